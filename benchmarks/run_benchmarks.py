"""Time and measure each stage of the minsk-moscow pipeline on synthetic corpora.

    .venv/bin/python benchmarks/run_benchmarks.py                 # N = 1,000 and 10,000 (make bench)
    .venv/bin/python benchmarks/run_benchmarks.py --quick         # N = 200 and 1,000 (smoke run)
    .venv/bin/python benchmarks/run_benchmarks.py --sizes 1000 10000 100000   # the scaling run
    .venv/bin/python benchmarks/run_benchmarks.py --sizes 5000 --jobs 1
    .venv/bin/python benchmarks/run_benchmarks.py --profile load --sizes 10000

For each N a synthetic corpus is written to a temporary folder as ``.txt`` files (see
``synth.py``) and every stage runs in a fresh spawned Python process, alone, so that its
peak memory is its own (see ``stages.py``), once per ``--jobs`` value (worker processes the
package may use: 1 = serial; by default 1 and every usable core). Beside each stage a
baseline runs the same way: scikit-learn's ``TfidfVectorizer`` (tokenize, TF-IDF), plain
``TfidfVectorizer`` + one ``NMF`` on the same units (topics) and plain VADER per sentence
(tone). The table gives wall and CPU seconds (all processes), milliseconds per article (flat
across N = linear), peak memory, the parallel speed-up and whether the serial and parallel
outputs are identical. See README.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import stages
import synth

STAGES = ("load", "sentences", "split", "tokenize", "tfidf", "topics", "topic_fit", "tone", "tone_all", "pipeline")
DEFAULT_STAGES = ("load", "sentences", "tfidf", "topics", "tone", "pipeline")
LABELS = {
    "load": "load+clean",
    "sentences": "sentence table",
    "split": "sentence split",
    "tokenize": "tokenize",
    "tfidf": "TF-IDF",
    "topics": "topics (nb 03)",
    "topic_fit": "topic fit k=8",
    "tone": "relation table",
    "tone_all": "tone, all sent.",
    "pipeline": "whole pipeline",
}
BASELINES = {
    "tokenize": "sklearn TfidfVectorizer().build_analyzer() per text",
    "tfidf": "sklearn TfidfVectorizer().fit_transform(texts)",
    "topics": "sklearn TfidfVectorizer(min_df=2, max_df=0.5, English stop words) + one NMF(k=8) on the same unit texts",
    "tone": "VADER SentimentIntensityAnalyzer().polarity_scores per relation sentence (the sentences relation_table scores)",
    "tone_all": "VADER SentimentIntensityAnalyzer().polarity_scores per sentence",
}
PER_ARTICLE = ("load", "sentences", "split", "tokenize", "tfidf", "tone", "tone_all")
"""Stages whose work is per article (or per sentence): these are the ones parallelised."""
TARGET_PIPELINE_N = 100_000
TARGET_PIPELINE_S = 120.0
TARGET_PIPELINE_MIB = 4096.0
TARGET_LINEAR = 0.20  # per-article time may vary by this share across sizes
TARGET_SPEEDUP = 1.7  # parallel over serial, per-article stages, 2 cores
TARGET_TOKENIZE_RATIO = 2.0  # ours / baseline time: "at least half as fast"


# --------------------------------------------------------------------------- machine
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = int(line.split()[1]) / 2**20
    except OSError:
        pass
    import numpy
    import pandas
    import sklearn

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": round(mem_gib, 1) if mem_gib else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "scikit-learn": sklearn.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


# --------------------------------------------------------------------------- running jobs
def spawn(target, *args, timeout: float | None = None):
    """Run ``target(*args, conn)`` in a fresh spawned process and return what it sends."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, child))
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            proc.kill()
            proc.join()
            return None
        result = parent.recv()
    except EOFError:
        result = None
    proc.join(60)
    if proc.is_alive():  # the measurement is in; a child stuck on its way out is not waited for
        proc.kill()
        proc.join()
    if result is None:
        result = {"error": f"child exited with code {proc.exitcode} and sent nothing"}
    return result


def run(job: dict, timeout: float | None, repeat: int = 1) -> dict:
    """Run a job ``repeat`` times (each in a fresh process); keep the fastest run."""
    best = None
    walls = []
    for _ in range(max(repeat, 1)):
        result = spawn(stages.child_main, job, timeout=timeout)
        if result is None:
            return {**job, "error": f"timed out after {timeout:.0f} s"}
        if result.get("error"):
            return result
        walls.append(round(result["seconds"], 3))
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    if len(walls) > 1:
        best["all_seconds"] = walls
    return best


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --------------------------------------------------------------------------- printing
def mib(kib: float | None) -> str:
    return "—" if kib is None else f"{kib / 1024:,.0f}"


def fmt_s(s: float | None) -> str:
    if s is None:
        return "—"
    return f"{s:,.2f}" if s < 100 else f"{s:,.0f}"


def _rows_by(results: list[dict]) -> dict[tuple[str, int, int], dict]:
    return {(r["stage"], r["n"], r.get("jobs", 1)): r for r in results
            if r.get("variant") == "ours" and "seconds" in r and not r.get("error")}


def print_table(results: list[dict], out=sys.stdout) -> None:
    """The main table: one row per (stage, N, jobs)."""
    header = ("stage", "N", "jobs", "wall s", "CPU s", "ms/article", "peak MiB", "Δ MiB", "speed-up", "same",
              "baseline s", "base MiB", "ours/base")
    by = _rows_by(results)
    rows = []
    for r in results:
        if r.get("variant") != "ours":
            continue
        head = (LABELS[r["stage"]], f"{r['n']:,}", str(r.get("jobs", 1)))
        if r.get("skipped"):
            rows.append((*head, "skipped: " + r["skipped"]))
            continue
        if r.get("error"):
            rows.append((*head, "ERROR: " + r["error"][:70]))
            continue
        serial = by.get((r["stage"], r["n"], 1))
        speed = f"{serial['seconds'] / r['seconds']:.2f}x" if serial and r.get("jobs", 1) != 1 else ""
        same = ""
        if serial and r.get("jobs", 1) != 1:
            a, b = serial.get("info", {}).get("digest"), r.get("info", {}).get("digest")
            same = "—" if not (a and b) else ("yes" if a == b else "NO")
        base = r.get("baseline") or {}
        b_s = base.get("seconds") if not base.get("error") else None
        ratio = f"{r['seconds'] / b_s:.2f}" if b_s else ""
        b_label = fmt_s(b_s) + ("*" if base.get("info", {}).get("extrapolated") else "") if b_s else ""
        rows.append((
            *head, fmt_s(r["seconds"]), fmt_s(r.get("cpu_s")), f"{1000 * r['seconds'] / r['n']:.2f}",
            mib(r["peak_kib"]), mib(r["peak_kib"] - r["before_kib"]), speed, same,
            b_label, mib(base.get("peak_kib")) if b_s else "", ratio,
        ))
    full = [row for row in rows if len(row) == len(header)]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *full)]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))
    print(line, file=out)
    print("-" * len(line), file=out)
    for row in rows:
        if len(row) != len(header):
            print("  ".join([row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].rjust(widths[2]), row[3]]),
                  file=out)
        else:
            print("  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w)
                            for i, (x, w) in enumerate(zip(row, widths))), file=out)


def print_growth(results: list[dict], sizes: list[int], out=sys.stdout) -> None:
    """Milliseconds per article at each N, per stage and jobs: flat across N means linear."""
    if len(sizes) < 2:
        return
    by = _rows_by(results)
    jobs_seen = sorted({j for (_, _, j) in by})
    print(f"\nPer-article wall time (ms/article) by N; linear = flat (target: within {TARGET_LINEAR:.0%} of the "
          f"smallest N's); CPU in brackets:", file=out)
    print(f"{'stage':<16} {'jobs':>4} " + " ".join(f"{n:>17,}" for n in sizes) + "  largest/smallest", file=out)
    for stage in STAGES:
        for jobs in jobs_seen:
            cells = [by.get((stage, n, jobs)) for n in sizes]
            if not any(cells):
                continue
            text = " ".join(f"{1000 * c['seconds'] / n:>7.2f} [{1000 * c['cpu_s'] / n:>7.2f}]" if c else f"{'—':>17}"
                            for c, n in zip(cells, sizes))
            have = [(n, c) for n, c in zip(sizes, cells) if c]
            growth = ""
            if len(have) > 1:
                (n0, c0), (n1, c1) = have[0], have[-1]
                g = (c1["seconds"] / n1) / (c0["seconds"] / n0)
                growth = f"{g:.2f}" + ("" if abs(g - 1) <= TARGET_LINEAR else "  (not flat)")
            print(f"{LABELS[stage]:<16} {jobs:>4} {text}  {growth}", file=out)


def print_notes(results: list[dict], sizes: list[int], out=sys.stdout) -> None:
    print("\nStage details:", file=out)
    for r in results:
        if r.get("variant") == "ours" and r.get("info"):
            info = {k: v for k, v in r["info"].items() if k != "digest"}
            print(f"  {LABELS[r['stage']]:<16} N={r['n']:<7,} jobs={r.get('jobs', 1)} workers={r.get('workers', 0)} "
                  f"main peak {mib(r.get('main_peak_kib'))} MiB  {json.dumps(info)}", file=out)
        base = r.get("baseline") or {}
        if base.get("info", {}).get("extrapolated"):
            i = base["info"]
            print(f"  {'':<16} baseline VADER: timed on a random sample of {i['timed']:,} of {i['sentences']:,} "
                  f"sentences in {base['timed_seconds']:.2f} s ({i['per_sentence_s'] * 1e6:.0f} µs/sentence, "
                  f"{1 / i['per_sentence_s']:,.0f} sentences/s); * = {i['sentences']:,} x that rate "
                  f"(EXTRAPOLATED)", file=out)


def print_targets(results: list[dict], out=sys.stdout) -> None:
    by = _rows_by(results)
    print("\nTargets (2-core machine):", file=out)
    pipes = sorted((k for k in by if k[0] == "pipeline"), key=lambda k: (k[1], k[2]))
    for stage, n, jobs in pipes:
        pipe = by[(stage, n, jobs)]
        mark = ""
        if n == TARGET_PIPELINE_N:
            ok_t = pipe["seconds"] <= TARGET_PIPELINE_S
            ok_m = pipe["peak_kib"] / 1024 <= TARGET_PIPELINE_MIB
            mark = (f"  target <= {TARGET_PIPELINE_S:.0f} s {'OK' if ok_t else 'MISSED'}, "
                    f"peak <= {TARGET_PIPELINE_MIB:,.0f} MiB {'OK' if ok_m else 'MISSED'}")
        print(f"  pipeline N={n:,} jobs={jobs}: {pipe['seconds']:.1f} s wall, {pipe['cpu_s']:.1f} s CPU, "
              f"peak {pipe['peak_kib'] / 1024:,.0f} MiB{mark}", file=out)
        print(f"     steps: {json.dumps(pipe['info'].get('steps_s', {}))}; "
              f"topics: {json.dumps(pipe['info'].get('topic_steps_s', {}))}", file=out)
    if not pipes:
        print("  pipeline: not run", file=out)
    for (stage, n, jobs), r in sorted(by.items(), key=lambda kv: (kv[0][1], STAGES.index(kv[0][0]), kv[0][2])):
        serial = by.get((stage, n, 1))
        if jobs != 1 and serial and stage in PER_ARTICLE + ("pipeline",):
            speed = serial["seconds"] / r["seconds"]
            target = stage in PER_ARTICLE and stage != "load"
            verdict = (f"(target >= {TARGET_SPEEDUP}) {'OK' if speed >= TARGET_SPEEDUP else 'MISSED'}" if target
                       else "(for information)")
            same = {True: "identical outputs", False: "OUTPUTS DIFFER"}.get(
                serial.get("info", {}).get("digest") == r.get("info", {}).get("digest")
                if serial.get("info", {}).get("digest") else None, "no digest")
            print(f"  speed-up {LABELS[stage]:<16} N={n:,}: {speed:.2f}x with {jobs} jobs {verdict}; {same}", file=out)
        if stage == "tokenize" and jobs == 1 and r.get("baseline", {}).get("seconds"):
            ratio = r["seconds"] / r["baseline"]["seconds"]
            print(f"  tokenize N={n:,}: ours/sklearn time {ratio:.2f} (target <= {TARGET_TOKENIZE_RATIO:.1f}, "
                  f"i.e. at least half as fast) {'OK' if ratio <= TARGET_TOKENIZE_RATIO else 'MISSED'}", file=out)


# --------------------------------------------------------------------------- main
def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=None, help="corpus sizes (default 1000 10000)")
    p.add_argument("--quick", action="store_true", help="smoke run: sizes 200 and 1000")
    p.add_argument("--stages", nargs="+", choices=STAGES, default=list(DEFAULT_STAGES),
                   help=f"stages to run (default: {' '.join(DEFAULT_STAGES)})")
    p.add_argument("--jobs", type=int, nargs="+", default=None,
                   help="MINSK_MOSCOW_JOBS values to run every stage with (default: 1 and every usable core)")
    p.add_argument("--no-baselines", action="store_true", help="skip the baseline jobs")
    p.add_argument("--warm", action="store_true",
                   help="start each parallel job's worker processes before its timed stage, as they are already "
                        "running in a notebook or a pipeline once the load has started them (the start-up time is "
                        "given in the stage details); without it every parallel stage pays for starting them")
    p.add_argument("--seed", type=int, default=20200809, help="random seed of the synthetic corpus")
    p.add_argument("--vocab-noise", type=float, default=0.05,
                   help="share of lower-case 5+ letter words replaced by Zipf pseudo-words (0: pure seed sentences)")
    p.add_argument("--vader-sample", type=int, default=20_000,
                   help="time baseline VADER on this many randomly sampled sentences and extrapolate "
                        "(0: all sentences)")
    p.add_argument("--repeat", type=int, default=1,
                   help="run every job this many times (each in a fresh process) and keep the fastest")
    p.add_argument("--timeout", type=float, default=3600, help="seconds before a job is killed")
    p.add_argument("--keep", metavar="DIR", help="write the corpora under DIR and keep them")
    p.add_argument("--json", metavar="FILE", help="also write all measurements as JSON")
    p.add_argument("--profile", metavar="STAGE", choices=STAGES,
                   help="instead of the table, profile STAGE with pyinstrument at each size and print the top")
    p.add_argument("--patch", metavar="FILE", type=lambda x: str(Path(x).resolve()),
                   help="execute this Python file in every job before the stage (to measure proposed "
                        "monkeypatches before/after; the load job's pickled corpus is made with it too)")
    p.add_argument("--profile-baseline", action="store_true", help="with --profile: profile the baseline variant")
    p.add_argument("--profile-lines", type=int, default=60, help="lines of the profile to print")
    args = p.parse_args(argv)
    if args.sizes is None:
        args.sizes = [200, 1000] if args.quick else [1000, 10_000]
    args.sizes = sorted(set(args.sizes))
    if args.jobs is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:
            cores = os.cpu_count() or 1
        args.jobs = [1, cores] if cores > 1 else [1]
    args.jobs = sorted(set(args.jobs))
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    info = machine()
    print(f"minsk-moscow benchmark  {info['date']}")
    print(f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
          f"{info['memory_gib']} GiB RAM, {info['os']}")
    print(f"load average at start: {loadavg()} (other work on the machine inflates wall times; "
          f"CPU s is less sensitive to it)")
    print(f"Python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, "
          f"scikit-learn {info['scikit-learn']}")
    for stage in ("tfidf", "topics", "tone"):
        ok, note = stages.availability(stage)
        print(f"  {LABELS[stage]}: {note}")
    print(f"  jobs (MINSK_MOSCOW_JOBS) per stage: {', '.join(map(str, args.jobs))}")
    if args.warm:
        print("  workers started before each parallel stage's timing (--warm): a stage's time leaves out their start-up")
    for stage, what in BASELINES.items():
        print(f"  baseline {LABELS[stage]}: {what}")
    if args.patch:
        print(f"  PATCHED: every job first executes {args.patch}")

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mm-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    material = synth.seed_material()
    results: list[dict] = []
    try:
        for n in args.sizes:
            folder = root / f"corpus_{n}"
            if folder.exists() and not args.keep:
                shutil.rmtree(folder)
            t = time.perf_counter()
            if not (args.keep and folder.exists() and len(list(folder.glob("*.txt"))) == n):
                summary = synth.build_corpus(folder, n, seed=args.seed, vocab_noise=args.vocab_noise, material=material)
                print(f"\nN={n:,}: wrote {n:,} articles ({summary['bytes'] / 2**20:.1f} MiB, "
                      f"{summary['mean_words']:.0f} words/article; seeds {summary['seed_mean_words']:.0f}) "
                      f"to {folder} in {time.perf_counter() - t:.1f} s")
            pickle_path = root / f"corpus_{n}.pkl"
            if pickle_path.exists():
                pickle_path.unlink()
            base_job = {"n": n, "folder": str(folder), "corpus_pickle": str(pickle_path), "seed": args.seed,
                        "vader_sample": args.vader_sample, "patch": args.patch, "jobs": args.jobs[-1],
                        "warm": args.warm}
            needs_corpus = [s for s in args.stages if s not in ("load", "pipeline")]
            stage_list = list(args.stages)
            if needs_corpus and "load" not in stage_list:
                stage_list.insert(0, "load")  # produces the corpus pickle the other stages read

            if args.profile:
                if args.profile not in ("load", "pipeline"):
                    run({**base_job, "stage": "load", "variant": "ours"}, args.timeout)
                variant = "baseline" if args.profile_baseline else "ours"
                job = {**base_job, "stage": args.profile, "variant": variant}
                print(f"\n=== pyinstrument profile: {LABELS[args.profile]} ({variant}), N={n:,} ===")
                text = spawn(stages.profile_child, job, args.profile_lines, timeout=args.timeout)
                print(text)
                continue

            for stage in stage_list:
                ok, note = stages.availability(stage)
                if not ok:
                    print(f"  {LABELS[stage]:<16} N={n:<7,} {note}")
                    results.append({"stage": stage, "variant": "ours", "n": n, "skipped": note})
                    continue
                for jobs in args.jobs:
                    r = run({**base_job, "stage": stage, "variant": "ours", "jobs": jobs}, args.timeout, args.repeat)
                    if stage in BASELINES and not args.no_baselines and jobs == args.jobs[0]:
                        r["baseline"] = run({**base_job, "stage": stage, "variant": "baseline", "jobs": 1},
                                            args.timeout, args.repeat)
                    results.append(r)
                    if r.get("error"):
                        print(f"  {LABELS[stage]:<16} N={n:<7,} jobs={jobs} ERROR {r['error']}\n{r.get('traceback', '')}")
                    else:
                        b = r.get("baseline", {})
                        extra = f"  (baseline {b['seconds']:.2f} s)" if b.get("seconds") else ""
                        print(f"  {LABELS[stage]:<16} N={n:<7,} jobs={jobs} {r['seconds']:8.2f} s "
                              f"(CPU {r['cpu_s']:.2f} s)  peak {r['peak_kib'] / 1024:7,.0f} MiB{extra}  "
                              f"[load avg {loadavg()}]", flush=True)
                    if args.json:  # keep what is measured so far, in case a later job takes the machine down
                        Path(args.json).write_text(json.dumps({"machine": info, "args": vars(args), "results": results},
                                                              indent=1, default=str))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    if args.profile:
        return 0
    peak_method = next((r["peak_method"] for r in results if r.get("peak_method")), "?")
    pool = ("; workers started before the timing, --warm" if args.warm else "")
    print(f"\nResults (each job in a fresh spawned process{pool}; peak = {peak_method}, during the stage; Δ = peak "
          f"minus the RSS of all the job's processes just before the stage; CPU s = user+system CPU time of the "
          f"job's process and its workers, all threads; speed-up = serial wall / this wall; same = serial and "
          f"parallel outputs have the same fingerprint; ours/base = wall-time ratio, < 1 is faster; load average "
          f"at end {loadavg()})\n")
    print_table(results)
    print_growth(results, args.sizes)
    print_notes(results, args.sizes)
    print_targets(results)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "args": vars(args), "results": results},
                                              indent=1, default=str))
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
