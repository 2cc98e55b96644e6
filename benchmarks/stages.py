"""The timed stages of the benchmark; each job runs in a fresh (spawned) Python process.

A job is ``(stage, variant, n, jobs)`` with ``variant`` ``"ours"`` (the project's code) or
``"baseline"`` (scikit-learn / plain VADER) and ``jobs`` the worker processes the package may
use (``MINSK_MOSCOW_JOBS``, set before the package is imported; 1 = everything in the job's
own process). :func:`run_job` imports the libraries, prepares the stage's input (untimed: e.g.
reads the loaded corpus that the ``load`` job pickled), then measures the stage alone:

- wall time with :func:`time.perf_counter`, and CPU time (user + system, all threads) of the
  job's process *and of its worker processes* over the same span (psutil), which other load
  on the machine inflates far less;
- peak memory: the main process's resident set high-water mark ``VmHWM`` (reset with
  ``echo 5 > /proc/self/clear_refs`` just before the stage), and, every 20 ms during the
  stage, the resident sizes of the process and all its worker processes added up; the peak is
  the larger of the two. So it counts the interpreter, the libraries, the stage's input and
  everything the stage allocates, in every process, but not the untimed setup. ``delta`` is
  that peak minus the resident size just before the stage. Where the reset is not allowed, the
  main process's part is ``getrusage(RUSAGE_SELF).ru_maxrss`` over the whole process.
"""

from __future__ import annotations

import gc
import importlib
import os
import re
import resource
import sys
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


def _children():
    """The live worker processes below this one (psutil), or [] without psutil."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the lock file
        return []
    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def _tree_cpu_s() -> tuple[float, dict[int, float]]:
    """CPU seconds of this process plus its finished children, and of each live child by pid."""
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = {}
    for child in _children():
        try:
            t = child.cpu_times()
            live[child.pid] = t.user + t.system
        except Exception:  # a worker may exit while we look
            continue
    return _cpu_s() + done.ru_utime + done.ru_stime, live


def _tree_rss_kib() -> int:
    """Resident KiB of this process and every live child, added up."""
    total = _status_kib("VmRSS")
    for child in _children():
        try:
            total += child.memory_info().rss // 1024
        except Exception:
            continue
    return total


class _RssSampler:
    """A thread that records the largest :func:`_tree_rss_kib` seen while the stage runs."""

    def __init__(self, every: float = 0.02):
        import threading

        self.every, self.peak, self.samples = every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss_kib())
            self.samples += 1
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _tree_rss_kib())


# --------------------------------------------------------------------------- module look-up


def find(name: str, *modules: str):
    """``mm.<name>`` if the package exports it, else ``minsk_moscow.<module>.<name>``, else None."""
    import minsk_moscow as mm

    if hasattr(mm, name):
        return getattr(mm, name)
    for module in modules:
        try:
            mod = importlib.import_module(f"minsk_moscow.{module}")
        except Exception:  # a module being written may not import yet
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
    if stage == "topic_fit":
        if all(find(f, "topics") for f in ("make_units", "vectorize_units", "fit_nmf")):
            return True, f"mm.make_units -> vectorize_units -> fit_nmf(k={TOPIC_K})"
        return False, "not available yet (topics module: make_units/vectorize_units/fit_nmf)"
    if stage == "topics":
        if all(find(f, "topics") for f in ("make_units", "sweep_k", "sample_units", "unit_map")):
            return True, ("notebook 03's path: make_units -> vectorize_units -> sweep_k (k = 2..10 x 10 seeds x "
                          "NMF/k-means, on a sample of MAX_SWEEP_UNITS) -> choose_k -> fit_nmf on every unit -> "
                          "topic tables, representative units, topic_mix -> LSA + k-means on every unit -> t-SNE "
                          "map of a MAX_MAP_UNITS sample")
        return False, "not available yet (topics module: sweep_k with sampling, sample_units, unit_map)"
    if stage == "tone_all":
        if find("relation_tone", "tone"):
            return True, "mm.relation_tone(every sentence text of mm.sentence_table(corpus))"
        return False, "not available yet (tone module: relation_tone)"
    if stage == "tone":
        if find("relation_table", "tone"):
            return True, "mm.relation_table(mm.sentence_table(corpus)): finder, attribution, tone of relation sentences"
        return False, "not available yet (tone module: relation_table)"
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
    import numpy as np

    import minsk_moscow as mm

    tfidf_matrix = find("tfidf_matrix", "keywords")
    if tfidf_matrix is not None:
        result = tfidf_matrix(corpus)
        m = result.matrix
        return {"shape": list(m.shape), "nnz": int(m.nnz),
                "digest": _later(lambda: (m.indptr, m.indices, m.data, np.asarray(result.terms, dtype=object)))}
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=mm.tokenize).fit_transform(corpus["text"])
    return {"shape": list(matrix.shape), "nnz": int(matrix.nnz)}


def _digest(*arrays) -> str:
    """A short fingerprint of arrays / strings, to check that serial and parallel runs agree."""
    import hashlib

    import numpy as np

    h = hashlib.sha1()
    for a in arrays:
        if isinstance(a, str):
            h.update(a.encode())
        else:
            a = np.asarray(a)
            h.update(a.tobytes() if a.dtype != object else "\x1f".join(map(str, a.tolist())).encode())
    return h.hexdigest()[:12]


def _later(arrays):
    """:func:`_digest` of the arrays that ``arrays()`` returns, computed when it is called:
    stages return this, and the fingerprint (with any conversion it needs) is taken after the
    stage's timing (:func:`_resolved`), as it is a check of the output, not part of the work."""
    return lambda: _digest(*arrays())


def _resolved(summary: dict) -> dict:
    """``summary`` with every fingerprint of :func:`_later` computed."""
    return {key: value() if callable(value) else value for key, value in summary.items()}


def _sentences_ours(corpus):
    import minsk_moscow as mm

    table = mm.sentence_table(corpus)
    return {"sentences": len(table), "digest": _later(lambda: (table["text"].to_numpy(object),))}


def _topics_notebook(corpus) -> dict:
    """Notebook 03's topic steps on the whole corpus, bounded as the package bounds them."""
    import warnings

    import minsk_moscow as mm

    steps, t = {}, time.perf_counter()

    def lap(name):
        nonlocal t
        now = time.perf_counter()
        steps[name] = round(now - t, 2)
        t = now

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        units = mm.make_units(corpus, unit="capped", max_tokens=40, min_tokens=5)
        lap("make_units")
        vectors = mm.vectorize_units(units, min_df=2, max_df=0.5, extra_stop_words=mm.SIDE_WORDS)
        lap("vectorize_units")
        seeds = [mm.SEED + i for i in range(10)]
        max_k = min(10, len(vectors.units) // 3)
        sweep = mm.sweep_k(vectors, ks=range(2, max_k + 1), seeds=seeds, lsa_components=20, n_top=5)
        summary = mm.summarize_sweep(sweep)
        k = mm.choose_k(summary, method="nmf", min_ari=0.8, min_topic_match=0.95, if_unstable="warn")
        lap("sweep_k")
        nmf = mm.fit_nmf(vectors, k=k, random_state=mm.SEED)
        lap("fit_nmf")
        labels = mm.topic_labels(nmf, mm.SEED_TOPIC_LABELS)
        mm.topic_summary(nmf, n_terms=8)
        mm.representative_units(nmf, vectors.units, n=3, max_chars=None)
        groups = mm.display_groups(corpus)
        mix = mm.topic_mix(nmf, groups=dict(zip(corpus["article_id"], groups)))
        lap("tables")
        lsa = mm.lsa_vectors(vectors, n_components=20, random_state=mm.SEED)
        kmeans = mm.fit_lsa_kmeans(vectors, k=k, random_state=mm.SEED, lsa=lsa)
        lap("lsa_kmeans")
        shown = mm.sample_units(lsa, max_units=mm.MAX_MAP_UNITS, random_state=mm.SEED)
        xy = mm.unit_map(lsa[shown.rows], method="tsne", random_state=mm.SEED,
                         perplexity=min(15, (len(shown.rows) - 1) / 3))
        lap("unit_map")
    return {"units": len(units), "shape": list(vectors.matrix.shape), "k": k, "labels": len(labels),
            "sweep_note": sweep.attrs.get("sample_note", ""), "map_note": shown.note, "split_s": steps,
            "digest": _digest(nmf.term_vectors, nmf.labels, kmeans.labels, mix.to_numpy(), xy,
                              summary.drop(columns="method").to_numpy(float))}


def _topics_baseline(units_texts, k: int) -> dict:
    """Plain scikit-learn on the same unit texts: TfidfVectorizer + one NMF fit."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(min_df=2, max_df=0.5, sublinear_tf=True, stop_words="english").fit_transform(units_texts)
    NMF(n_components=k, init="random", random_state=0, max_iter=2000, tol=1e-4).fit(matrix)
    return {"shape": list(matrix.shape), "k": k}


def _relation_ours(sentences) -> dict:
    import minsk_moscow as mm

    table = mm.relation_table(sentences)
    found = table["is_relation"].to_numpy(bool)
    return {"sentences": len(table), "relation": int(found.sum()),
            "digest": _later(lambda: (found, table["tone"].to_numpy(float), table["speaker_side"].to_numpy(object)))}


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
    return {"sentences": len(texts), "scored": int(len(scores)), "nonzero": int((scores != 0).sum()),
            "digest": _later(lambda: (scores,))}


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


def _load(folder: str):
    """``mm.load_corpus(folder)``; files without a metadata row take title and date from their text."""
    import inspect
    import warnings

    import minsk_moscow as mm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "unlisted" in inspect.signature(mm.load_corpus).parameters:
            return mm.load_corpus(folder, unlisted="infer")
        return mm.load_corpus(folder)


def run_pipeline(folder: str) -> dict:
    """The whole helper pipeline from a folder of .txt files: load -> sentences -> TF-IDF -> topics -> tone.

    Topics are notebook 03's bounded path (:func:`_topics_notebook`), tone is ``relation_table``.
    """
    import minsk_moscow as mm

    steps = {}
    t = time.perf_counter()
    corpus = _load(folder)
    steps["load_corpus"] = time.perf_counter() - t
    t = time.perf_counter()
    sentences = mm.sentence_table(corpus)
    steps["sentence_table"] = time.perf_counter() - t
    t = time.perf_counter()
    tfidf = _tfidf_ours(corpus)
    steps["tfidf"] = time.perf_counter() - t
    tfidf = _resolved(tfidf)  # the fingerprint now, outside the step's time: the matrix is not kept
    topics, tone = {}, {}
    if availability("topics")[0]:
        t = time.perf_counter()
        topics = _topics_notebook(corpus)
        steps["topics"] = time.perf_counter() - t
    if availability("tone")[0]:
        t = time.perf_counter()
        tone = _relation_ours(sentences)
        steps["tone"] = time.perf_counter() - t
        tone = _resolved(tone)
    return {"steps_s": {k: round(v, 2) for k, v in steps.items()}, "sentences": len(sentences),
            "topic_steps_s": topics.get("split_s", {}),
            "digest": _later(lambda: (*(part.get("digest", "") for part in (tfidf, topics, tone)),
                                      sentences["text"].to_numpy(object)))}


def prepare(stage: str, variant: str, ctx: dict):
    """Untimed setup: returns a zero-argument callable that runs the stage."""
    import minsk_moscow as mm  # imported (and counted in memory) before the stage

    if stage == "load":
        return lambda: _load(ctx["folder"])
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
    if stage == "sentences":
        return lambda: _sentences_ours(corpus)
    if stage == "topic_fit":
        return lambda: _topics_ours(corpus)
    if stage == "topics":
        if variant == "baseline":
            texts = mm.make_units(corpus)["text"].tolist()
            return lambda: _topics_baseline(texts, TOPIC_K)
        return lambda: _topics_notebook(corpus)
    if stage == "tone":
        sentences = mm.sentence_table(corpus)
        if variant == "baseline":
            found = mm.find_relation_sentences(sentences)
            sent_texts = found.loc[found["is_relation"].to_numpy(bool), "text"].tolist()
            del sentences, found
            return lambda: _tone_baseline(sent_texts, sample=ctx.get("vader_sample", 0), seed=ctx.get("seed", 0))
        return lambda: _relation_ours(sentences)
    if stage == "tone_all":
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
                "sentences": int(result["n_sentences"].sum()),
                "digest": _digest(result["article_id"].to_numpy(object), result["text"].to_numpy(object),
                                  result["date"].astype("int64").to_numpy())}
    if stage in ("split", "tokenize"):
        return {"items": sum(len(x) for x in result)}
    return _resolved(result) if isinstance(result, dict) else {}


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
    os.environ["MINSK_MOSCOW_JOBS"] = str(job.get("jobs", 1))  # before the package reads it
    os.environ.setdefault("MINSK_MOSCOW_PROGRESS", "0")
    os.environ["MINSK_MOSCOW_CACHE"] = "0"  # every job computes: a load cached by an earlier job is no measurement
    t_import = time.perf_counter()
    import minsk_moscow  # noqa: F401

    import_s = time.perf_counter() - t_import
    apply_patch(job.get("patch"))
    stage, variant = job["stage"], job["variant"]
    fn = prepare(stage, variant, job)
    pool_start_s = _start_workers(job.get("jobs", 1)) if job.get("warm") and variant == "ours" else None
    gc.collect()
    before = _tree_rss_kib()
    reset_ok = _reset_peak()
    cpu0, live0 = _tree_cpu_s()
    t0 = time.perf_counter()
    with _RssSampler() as sampler:
        result = fn()
    seconds = time.perf_counter() - t0
    cpu1, live1 = _tree_cpu_s()
    cpu = cpu1 - cpu0 + sum(v - live0.get(pid, 0.0) for pid, v in live1.items())
    main_peak = _peak_kib(reset_ok)
    peak = max(main_peak, sampler.peak)
    out = {**job, "seconds": seconds, "cpu_s": cpu, "peak_kib": peak, "main_peak_kib": main_peak,
           "before_kib": before, "workers": len(live1), "rss_samples": sampler.samples,
           "peak_method": ("max(main VmHWM reset before stage, summed RSS of main + workers sampled every 20 ms)"
                           if reset_ok else "max(ru_maxrss of main, summed RSS sampled every 20 ms)"),
           "import_s": import_s, "info": _summary(stage, result)}
    if pool_start_s is not None:
        out["info"] = {**out["info"], "workers_started_s": round(pool_start_s, 2)}
    if stage in ("tone", "tone_all") and variant == "baseline":
        info = out["info"]
        out["timed_seconds"] = seconds
        out["seconds"] = info["per_sentence_s"] * info["sentences"]
        out["cpu_s"] = cpu * info["sentences"] / max(info["timed"], 1)
    if stage == "load" and job.get("corpus_pickle") and not Path(job["corpus_pickle"]).exists():
        result[["article_id", "date", "text"]].to_pickle(job["corpus_pickle"])
    return out


def _start_workers(jobs: int) -> float | None:
    """Start the package's worker processes (joblib's loky pool) and wait until each has run a
    task and imported the package, as the load leaves them in a notebook or the pipeline: the
    seconds it took, or None with one job (no workers)."""
    if jobs <= 1:
        return None
    import pkgutil

    import minsk_moscow as mm

    t = time.perf_counter()
    # tasks long enough (50 ms each) that every worker gets some, so every worker has started
    mm.map_chunks(time.sleep, [0.05] * (4 * jobs), jobs=jobs, chunk_size=1, min_parallel=0)
    # then each imports the package (a second or so, which no worker can do twice over while the
    # other waits); nothing is tokenized or split, so no memo of the package is filled
    mm.map_chunks(pkgutil.resolve_name, ["minsk_moscow.parallel:n_jobs"] * (2 * jobs), jobs=jobs, chunk_size=1,
                  min_parallel=0)
    return time.perf_counter() - t


def _end_workers() -> None:
    """Stop this process's worker processes (joblib's loky pool) without waiting on them at exit.

    Python's exit handlers join the pool's workers, and now and then that join never returns:
    the measurement is already sent, so the job ends its workers itself and leaves at once.
    """
    import signal

    children = _children()
    for child in children:
        try:
            child.send_signal(signal.SIGTERM)
        except Exception:
            pass
    try:
        import psutil

        _, alive = psutil.wait_procs(children, timeout=5)
        for child in alive:
            child.kill()
    except Exception:
        pass


def child_main(job: dict, conn) -> None:
    """Entry point of the spawned process: send back the measurement (or the error)."""
    try:
        conn.send(run_job(job))
    except BaseException as exc:  # report anything to the parent
        import traceback

        conn.send({**job, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
    finally:
        conn.close()
        _end_workers()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def profile_job(job: dict, top: int = 60) -> str:
    """Run one stage under pyinstrument (after untimed setup) and return the profile text."""
    from pyinstrument import Profiler

    os.environ["MINSK_MOSCOW_JOBS"] = str(job.get("jobs", 1))
    os.environ.setdefault("MINSK_MOSCOW_PROGRESS", "0")
    os.environ["MINSK_MOSCOW_CACHE"] = "0"  # every job computes: a load cached by an earlier job is no measurement
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
    except BaseException as exc:
        import traceback

        conn.send(f"profiling failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        conn.close()
        _end_workers()
        os._exit(0)


if __name__ == "__main__":  # pragma: no cover
    print(os.getpid())
