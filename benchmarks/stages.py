"""The timed stages of the benchmark; each job runs in a fresh (spawned) Python process.

A job is ``(stage, variant, n)`` with ``variant`` ``"ours"`` (the project's code) or
``"baseline"`` (scikit-learn / plain VADER). :func:`run_job` imports the libraries, prepares
the stage's input (untimed: e.g. reads the loaded corpus that the ``load`` job pickled),
then measures the stage alone:

- wall time with :func:`time.perf_counter`, and the process's CPU time (user + system, all
  threads) over the same span, which other load on the machine inflates far less;
- peak memory as the process's peak resident set size (``VmHWM`` in ``/proc/self/status``)
  *during the stage*: the kernel's high-water mark is reset (``echo 5 > /proc/self/clear_refs``)
  just before the stage starts, so the peak counts the interpreter, the imported libraries
  and the stage's input plus everything the stage allocates, but not the untimed setup.
  ``delta`` is that peak minus the resident size just before the stage. Where the reset is
  not allowed, the peak is ``getrusage(RUSAGE_SELF).ru_maxrss`` over the whole process.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import re
import resource
import time
from pathlib import Path

# --------------------------------------------------------------------------- memory


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        match = re.search(rf"^{field}:\s+(\d+) kB", fh.read(), re.M)
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_kib(reset_ok: bool) -> int:
    if reset_ok:
        return _status_kib("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_s() -> float:
    """User + system CPU seconds of this process (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- module look-up


def find(name: str, *modules: str):
    """``mm.<name>`` if the package exports it, else ``minsk_moscow.<module>.<name>``, else None."""
    import minsk_moscow as mm

    if hasattr(mm, name):
        return getattr(mm, name)
    for module in modules:
        try:
            mod = importlib.import_module(f"minsk_moscow.{module}")
        except Exception:  # noqa: BLE001 - a module being written may not import yet
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
    return None


def availability(stage: str) -> tuple[bool, str]:
    """Whether the stage's project function exists, and which function is used."""
    if stage == "tfidf":
        if find("tfidf_matrix", "keywords"):
            return True, "mm.tfidf_matrix(corpus) (keywords: unigrams + phrases)"
        return True, "fallback: TfidfVectorizer(analyzer=mm.tokenize) (keywords module not available yet)"
    if stage == "topics":
        if all(find(f, "topics") for f in ("make_units", "vectorize_units", "fit_nmf")):
            return True, f"mm.make_units -> vectorize_units -> fit_nmf(k={TOPIC_K})"
        return False, "not available yet (topics module: make_units/vectorize_units/fit_nmf)"
    if stage == "tone":
        if find("relation_tone", "tone"):
            return True, "mm.relation_tone(every sentence text of mm.sentence_table(corpus))"
        return False, "not available yet (tone module: relation_tone)"
    return True, ""


TOPIC_K = 8
TOPIC_SEED = 0


# --------------------------------------------------------------------------- stage bodies
def _corpus(ctx: dict):
    import pandas as pd

    return pd.read_pickle(ctx["corpus_pickle"])


def _sentences(ctx: dict):
    import minsk_moscow as mm

    return mm.sentence_table(_corpus(ctx))


def _tfidf_ours(corpus):
    import minsk_moscow as mm

    tfidf_matrix = find("tfidf_matrix", "keywords")
    if tfidf_matrix is not None:
        result = tfidf_matrix(corpus)
        return {"shape": list(result.matrix.shape), "nnz": int(result.matrix.nnz)}
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=mm.tokenize).fit_transform(corpus["text"])
    return {"shape": list(matrix.shape), "nnz": int(matrix.nnz)}


def _topics_ours(corpus):
    make_units = find("make_units", "topics")
    vectorize_units = find("vectorize_units", "topics")
    fit_nmf = find("fit_nmf", "topics")
    import warnings

    t0 = time.perf_counter()
    units = make_units(corpus)
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vectors = vectorize_units(units)
        t2 = time.perf_counter()
        fit = fit_nmf(vectors, k=TOPIC_K, random_state=TOPIC_SEED)
    t3 = time.perf_counter()
    return {"units": len(units), "shape": list(vectors.matrix.shape),
            "split_s": {"make_units": round(t1 - t0, 2), "vectorize_units": round(t2 - t1, 2),
                        "fit_nmf": round(t3 - t2, 2)}, "fit": type(fit).__name__}


def _tone_ours(sentences):
    relation_tone = find("relation_tone", "tone")
    texts = sentences["text"].tolist()
    scores = relation_tone(texts)
    return {"sentences": len(texts), "scored": int(len(scores)), "nonzero": int((scores != 0).sum())}


def _tone_baseline(texts, *, sample: int, seed: int):
    """Plain VADER compound score per sentence, on all sentences or a fixed random sample."""
    import numpy as np
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    total = len(texts)
    if sample and total > sample:
        idx = np.random.default_rng(seed).choice(total, size=sample, replace=False)
        texts = [texts[i] for i in idx]
    t0 = time.perf_counter()
    scores = [analyzer.polarity_scores(t)["compound"] for t in texts]
    dt = time.perf_counter() - t0
    return {"sentences": total, "timed": len(scores), "per_sentence_s": dt / max(len(scores), 1),
            "extrapolated": len(scores) < total}


def run_pipeline(folder: str) -> dict:
    """The whole pipeline from a folder of .txt files, as the notebooks run it."""
    import minsk_moscow as mm

    steps = {}
    t = time.perf_counter()
    corpus = mm.load_corpus(folder)
    steps["load_corpus"] = time.perf_counter() - t
    t = time.perf_counter()
    sentences = mm.sentence_table(corpus)
    steps["sentence_table"] = time.perf_counter() - t
    t = time.perf_counter()
    _tfidf_ours(corpus)
    steps["tfidf"] = time.perf_counter() - t
    if availability("topics")[0]:
        t = time.perf_counter()
        _topics_ours(corpus)
        steps["topics"] = time.perf_counter() - t
    if availability("tone")[0]:
        t = time.perf_counter()
        _tone_ours(sentences)
        steps["tone"] = time.perf_counter() - t
    return {"steps_s": {k: round(v, 2) for k, v in steps.items()}, "sentences": len(sentences)}


def prepare(stage: str, variant: str, ctx: dict):
    """Untimed setup: returns a zero-argument callable that runs the stage."""
    import minsk_moscow as mm  # noqa: F401 - imported (and counted in memory) before the stage

    if stage == "load":
        return lambda: mm.load_corpus(ctx["folder"])
    if stage == "pipeline":
        return lambda: run_pipeline(ctx["folder"])
    corpus = _corpus(ctx)
    texts = corpus["text"].tolist()
    if stage == "split":
        return lambda: [mm.split_sentences(t) for t in texts]
    if stage == "tokenize":
        if variant == "baseline":
            from sklearn.feature_extraction.text import TfidfVectorizer

            analyzer = TfidfVectorizer().build_analyzer()
            return lambda: [analyzer(t) for t in texts]
        return lambda: [mm.tokenize(t) for t in texts]
    if stage == "tfidf":
        if variant == "baseline":
            from sklearn.feature_extraction.text import TfidfVectorizer

            def baseline():
                matrix = TfidfVectorizer().fit_transform(texts)
                return {"shape": list(matrix.shape), "nnz": int(matrix.nnz)}

            return baseline
        return lambda: _tfidf_ours(corpus)
    if stage == "topics":
        return lambda: _topics_ours(corpus)
    if stage == "tone":
        sentences = mm.sentence_table(corpus)
        if variant == "baseline":
            sent_texts = sentences["text"].tolist()
            del sentences
            return lambda: _tone_baseline(sent_texts, sample=ctx.get("vader_sample", 0), seed=ctx.get("seed", 0))
        return lambda: _tone_ours(sentences)
    raise ValueError(f"unknown stage {stage!r}")


def _summary(stage: str, result) -> dict:
    if stage == "load":
        return {"articles": len(result), "dated": int(result["date"].notna().sum()),
                "mean_words": round(float(result["n_words"].mean()), 1),
                "sentences": int(result["n_sentences"].sum())}
    if stage in ("split", "tokenize"):
        return {"items": sum(len(x) for x in result)}
    return result if isinstance(result, dict) else {}


def apply_patch(path: str | None) -> None:
    """Execute an experimental patch file (e.g. monkeypatches proposed for the package)."""
    if not path:
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bench_patch", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


def run_job(job: dict) -> dict:
    """Run one measured job in this process (meant to be a fresh spawned process)."""
    t_import = time.perf_counter()
    import minsk_moscow  # noqa: F401

    import_s = time.perf_counter() - t_import
    apply_patch(job.get("patch"))
    stage, variant = job["stage"], job["variant"]
    fn = prepare(stage, variant, job)
    gc.collect()
    before = _status_kib("VmRSS")
    reset_ok = _reset_peak()
    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    cpu = _cpu_s() - cpu0
    peak = _peak_kib(reset_ok)
    out = {**job, "seconds": seconds, "cpu_s": cpu, "peak_kib": peak, "before_kib": before,
           "peak_method": "VmHWM reset before stage" if reset_ok else "ru_maxrss (whole process)",
           "import_s": import_s, "info": _summary(stage, result)}
    if stage == "tone" and variant == "baseline":
        info = out["info"]
        out["timed_seconds"] = seconds
        out["seconds"] = info["per_sentence_s"] * info["sentences"]
        out["cpu_s"] = cpu * info["sentences"] / max(info["timed"], 1)
    if stage == "load" and job.get("corpus_pickle") and not Path(job["corpus_pickle"]).exists():
        result[["article_id", "date", "text"]].to_pickle(job["corpus_pickle"])
    return out


def child_main(job: dict, conn) -> None:
    """Entry point of the spawned process: send back the measurement (or the error)."""
    try:
        conn.send(run_job(job))
    except BaseException as exc:  # noqa: BLE001 - report anything to the parent
        import traceback

        conn.send({**job, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
    finally:
        conn.close()


def profile_job(job: dict, top: int = 60) -> str:
    """Run one stage under pyinstrument (after untimed setup) and return the profile text."""
    from pyinstrument import Profiler

    apply_patch(job.get("patch"))
    fn = prepare(job["stage"], job["variant"], job)
    profiler = Profiler(interval=0.001)
    profiler.start()
    fn()
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    lines = text.splitlines()
    return "\n".join(lines[:top]) + ("\n..." if len(lines) > top else "")


def profile_child(job: dict, top: int, conn) -> None:
    try:
        conn.send(profile_job(job, top))
    except BaseException as exc:  # noqa: BLE001
        import traceback

        conn.send(f"profiling failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        conn.close()


if __name__ == "__main__":  # pragma: no cover
    print(os.getpid())
