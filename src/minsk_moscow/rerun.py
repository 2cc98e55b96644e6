"""``make run``: execute the notebooks (on the seeds, or on another corpus) and report what ran.

On the seed articles the notebooks are executed in place. On another corpus
(``make run CORPUS=path``, a folder of articles or one table file) executed copies go to
``build/<name>/`` (or ``OUT``), with figures, ``results/`` and ``interactive/`` beside them,
and the committed notebooks are never touched. In those copies the prose that interprets the
seed articles is replaced by a note, a banner says which corpus the run is about, and each
notebook's generated findings describe this corpus.

The run

1. loads the corpus once first, so a corpus that cannot be loaded stops with the loader's
   own message (which file, what is wrong), not a traceback;
2. executes the notebooks and writes ``results/`` and ``interactive/``, several at a time
   (``--jobs``, default ``$MINSK_MOSCOW_JOBS`` or every core), printing what runs and when it
   is done; ``results/`` starts once notebooks 03 and 04 are done, so that it reads the topic
   sweep, the topic fit and the relation table they left in the cache instead of computing them
   again, and the tone and validation explorers of ``interactive/`` start after ``results/``
   (its tone sentences); a free worker takes the first work that can start, that chain first;
   work starts beside running work only where the memory all of it is estimated to need
   (:func:`memory_needs`, from the size of the corpus) fits in what the machine has available
   (``--memory`` GiB sets that amount), so a laptop runs the large notebooks of a large corpus
   one after the other rather than running out of memory;
3. ends with a short report of every step that ran, was skipped or failed, and why
   (also written to ``report.md``).

From the shell::

    python -m minsk_moscow.rerun                      # the seeds, in place
    python -m minsk_moscow.rerun path/to/articles     # another corpus, into build/articles/
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import multiprocessing
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import NOTEBOOKS_DIR, PROJECT_ROOT, SEEDS_DIR

__all__ = ["MEMORY_PER_CHAR", "PROCESS_MEMORY", "SEED_PROSE_NOTE", "main", "memory_budget", "memory_needs",
           "merge_split_streams", "prepare_for_corpus", "read_report"]

SEED_PROSE_NOTE = ("*The seed study's reading of the output above is left out of this re-run: it describes the "
                   "five seed articles, not this corpus.*")
"""What replaces a markdown cell tagged ``seed-prose`` when the notebooks run on another corpus."""

_TIMEOUT = 1800
_KERNEL_STARTS = 3
"""Tries to start a notebook's kernel. A kernel picks free ports and binds them a moment later; when
notebooks and other runs start kernels at once, another process may take one in between and the
kernel dies before it replies ("Address already in use"). Nothing has run then, so it is started again."""


def _banner(name: str, n_articles: int, facts: str) -> str:
    return (f"> **A re-run on `{name}`** ({n_articles} article{'s' * (n_articles != 1)}{facts}). Every output, "
            "figure and generated finding below is about this corpus. The introductions and method notes still "
            "describe the seed study's design (five articles on Minsk and Moscow, 2020–2021); where the seed "
            "study's prose interprets an output, it is left out and says so.")


def prepare_for_corpus(nb, *, banner: str):
    """A copy of notebook ``nb`` for another corpus: banner after the title, seed prose replaced.

    A ``seed-prose`` cell that holds a ``## Next`` section keeps its link to the next notebook. ``## Findings`` and ``## Limits`` cells become a heading and a note.
    """
    import copy

    import nbformat

    out = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(out.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown" and "seed-prose" in tags:
            source = cell.source
            heading = re.match(r"\s*(#+ [^\n]+)", source)
            link = re.search(r"\[[^\]]+\]\(\d\d_[^)]+\.ipynb\)", source[source.index("## Next"):]) \
                if "## Next" in source else None
            keep_next = f"## Next\n\n{link.group(0)}." if link else ""  # the pointer, without the seed reading
            if heading and heading.group(1).lstrip("# ").startswith(("Findings", "Limits")):
                what = heading.group(1).lstrip("# ").split()[0].lower()
                text = (f"{heading.group(1)}\n\nThe {what} written for the seed study are left out of this re-run: "
                        "they describe the five seed articles. ")
                text += ("The findings generated from this corpus's own results are printed above."
                         if what == "findings" else
                         "The limits of the methods themselves are stated in the seed notebooks; on a corpus of "
                         "another size every interval above is this corpus's own.")
            else:
                text = SEED_PROSE_NOTE
            cell.source = text + ("\n\n" + keep_next if keep_next else "")
        cells.append(cell)
        if i == 0:
            cells.append(nbformat.v4.new_markdown_cell(banner))
    out.cells = cells
    return out


@dataclass
class _Job:
    notebook: str
    output: str
    env: dict[str, str]
    banner: str | None


def _execute(job: _Job) -> tuple[str, str]:
    """Execute one notebook in a fresh kernel; returns (notebook name, '' or why it stopped)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ.update(job.env)
    nb = nbformat.read(job.notebook, as_version=4)
    if job.banner is not None:
        nb = prepare_for_corpus(nb, banner=job.banner)
    for attempt in range(1, _KERNEL_STARTS + 1):
        client = NotebookClient(nb, timeout=_TIMEOUT, kernel_name="python3", record_timing=False,
                                extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                resources={"metadata": {"path": str(Path(job.notebook).parent)}})
        stopped = ""
        try:
            client.execute()
        except CellExecutionError as exc:
            ename = getattr(exc, "ename", "Error")
            evalue = (getattr(exc, "evalue", "") or "").strip().splitlines()
            stopped = f"{ename}: {evalue[0] if evalue else ''}"
        except Exception as exc:  # noqa: BLE001 - a kernel that dies or times out is reported, not raised
            stopped = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
            if attempt < _KERNEL_STARTS and not any(c.get("execution_count") for c in nb.cells):
                continue  # the kernel never started (a port taken meanwhile by another process): nothing ran
        break
    merge_split_streams(nb)
    if not (stopped and job.output == job.notebook):  # a committed notebook is only overwritten by a whole run
        nbformat.write(nb, job.output)
    return Path(job.notebook).stem, stopped


def merge_split_streams(nb: Any) -> Any:
    """Join each run of consecutive ``stdout`` (or ``stderr``) outputs of a cell into one, in place.

    The kernel sends what a cell prints in batches, on a timer: the same prints may come as one
    output or as two (``"units: 90"`` and ``"\\n..."``) depending on the moment, and the saved
    notebook would differ from run to run. Outputs of other kinds keep their place between them.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("stream", name="stdout", text="a"),
    ...                                           nbformat.v4.new_output("stream", name="stdout", text="b\\n")])
    >>> [o["text"] for o in merge_split_streams(nbformat.v4.new_notebook(cells=[cell])).cells[0].outputs]
    ['ab\\n']
    """
    for cell in nb.cells:
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (last is not None and output.get("output_type") == last.get("output_type") == "stream"
                    and output.get("name") == last.get("name")):
                last["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged
    return nb


def read_report(path: str | Path) -> list[dict]:
    """The step records (one dict per line) that the notebooks appended to ``path``."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _summary(records: list[dict], stopped: dict[str, str], extra: list[tuple[str, str, str]]) -> str:
    lines = ["# Run report", ""]
    by_notebook: dict[str, list[dict]] = {}
    for r in records:
        if r["step"] != "(corpus)":
            by_notebook.setdefault(r["notebook"], []).append(r)
    for name, why in sorted(stopped.items()):
        key = name[:2]
        if why:
            lines.append(f"- **{name}** stopped: {why}")
        steps = by_notebook.get(key, [])
        final: dict[str, dict] = {}
        for r in steps:  # a step's first cell that did not run says why
            if r["step"] not in final or (final[r["step"]]["state"] == "ran" and r["state"] != "ran"):
                final[r["step"]] = r
        ran = [s for s, r in final.items() if r["state"] == "ran"]
        other = [r for r in final.values() if r["state"] != "ran"]
        lines.append(f"- **{name}**: {len(ran)} step(s) ran" + (f"; {len(other)} did not:" if other else "."))
        lines += [f"    - {r['step']} {r['state']}: {r['why']}" for r in other]
    for what, state, why in extra:
        lines.append(f"- **{what}**: {state}" + (f" ({why})" if why else ""))
    return "\n".join(lines) + "\n"


_TERM_EXPLORER = "interactive/ (term explorer)"
_RESULTS = "results/"
_TONE_EXPLORERS = "interactive/ (tone and validation explorers)"
_PRIORITY = ("04", "03", _RESULTS, _TONE_EXPLORERS, "02", _TERM_EXPLORER)
"""Which work a free worker takes first, among the work that can start (notebooks by number; anything not
listed comes after, notebooks in number order). results/ waits for 03 and 04 and the tone explorers for
results/, so that chain starts first and each link takes the next free worker; of the rest the longer go
first, and on a large corpus 01 is by far the quickest. On 100,000 articles, with every notebook queued at
once (01 and the term explorer ahead of results/), 02 ended four minutes before results/, leaving a core idle."""


def _priority(label: str) -> tuple[int, str]:
    return (_PRIORITY.index(key) if (key := _key(label)) in _PRIORITY else len(_PRIORITY), label)


def _key(label: str) -> str:
    """A notebook's number ("04" for "04_relation_tone"), any other work's label."""
    return label[:2] if label[:2].isdigit() else label


_GIB = 1 << 30
PROCESS_MEMORY = 150 << 20
"""Memory of one process of a re-run before it holds any of the corpus (bytes). On the seed articles each notebook
held 450 to 580 MiB at its peak in its four processes: the pool process that drives it, the kernel, and the kernel's
two worker processes."""

MEMORY_PER_CHAR = {"01": 9, "02": 27, "03": 21, "04": 14, _RESULTS: 17, _TONE_EXPLORERS: 6, _TERM_EXPLORER: 11}
"""Memory a piece of work holds at its peak beyond :data:`PROCESS_MEMORY` per process, per character of the
corpus's clean text (bytes), rounded up: the resident memory of each piece's processes, summed every second, at
its highest in a re-run on 100,000 synthetic articles of 381 million characters, with two worker processes per
kernel (``benchmarks/README.md``)."""


def memory_needs(labels: Sequence[str], *, chars: int, workers: int) -> dict[str, int]:
    """The memory each piece of work of a re-run is estimated to need at its peak (bytes).

    A notebook runs in a kernel beside the pool process that drives it, and starts ``workers`` worker
    processes: each takes :data:`PROCESS_MEMORY`, and the work holds :data:`MEMORY_PER_CHAR` bytes per
    character of the corpus's clean text (``chars``) on top. Work not listed there takes the largest rate.

    >>> needs = memory_needs(["02_tfidf_keywords", "04_relation_tone"], chars=381_000_000, workers=2)
    >>> {label: round(n_bytes / 2**30, 1) for label, n_bytes in needs.items()}  # GiB, at 100,000 articles
    {'02_tfidf_keywords': 10.2, '04_relation_tone': 5.6}
    """
    largest = max(MEMORY_PER_CHAR.values())
    return {label: (2 + workers) * PROCESS_MEMORY + round(MEMORY_PER_CHAR.get(_key(label), largest) * chars)
            for label in labels}


def _startable(queue: Sequence[str], running: Sequence[str], *, slots: int, ready: Callable[[str], bool],
               needs: Mapping[str, int], budget: float) -> list[str]:
    """The work to start now, in queue order: what is ``ready`` while a slot is free and the memory fits.

    Work that is ready starts when the estimated needs of everything running, itself included, fit in
    ``budget``; when nothing runs, the first ready work starts whatever it needs (the run must go on). A
    piece too large to go beside the running ones lets a smaller one behind it start.

    >>> needs = {"03": 9, "04": 9, "01": 2}
    >>> _startable(["04", "03", "01"], [], slots=2, ready=lambda label: True, needs=needs, budget=12)
    ['04', '01']
    >>> _startable(["03"], ["01"], slots=2, ready=lambda label: True, needs=needs, budget=12)
    ['03']
    """
    started: list[str] = []
    held = sum(needs[label] for label in running)
    for label in queue:
        if len(running) + len(started) >= slots:
            break
        if not ready(label) or ((running or started) and held + needs[label] > budget):
            continue
        started.append(label)
        held += needs[label]
    return started


def _gib(n_bytes: float) -> str:
    return f"{n_bytes / _GIB:.1f} GiB"


def memory_budget(gib: float | None = None) -> int:
    """Bytes the re-run may plan to use at once: ``gib`` GiB if given, else the memory available now."""
    if gib is not None:
        return int(gib * _GIB)
    import psutil

    return int(psutil.virtual_memory().available)


@dataclass
class _ModuleJob:
    label: str
    module: str
    argv: list[str]
    env: dict[str, str]
    after: tuple[str, ...] = ()
    """The notebooks (by number) and steps (by label) whose cached results it reads: it starts once they are done."""


def _run_module(job: _ModuleJob) -> tuple[str, str, str]:
    """``python -m minsk_moscow.<module> argv`` in a pool worker; returns (label, state, why)."""
    os.environ.update(job.env)
    buffer = io.StringIO()
    try:
        main = importlib.import_module(f"minsk_moscow.{job.module}").main
        with contextlib.redirect_stdout(buffer), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(job.argv)
    except Exception as exc:  # noqa: BLE001 - reported in the run report
        return job.label, "failed", f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return job.label, "written" if not code else "failed", "" if not code else f"exit code {code}"


def _then_stop_workers(func, /, *args):
    """``func(*args)`` in a pool worker, then :func:`_stop_workers`.

    A pool worker that started worker processes of its own (a large corpus is loaded in parallel) cannot exit
    while they run: on its way out it waits for them, and the pool that waits for it hangs.
    """
    try:
        return func(*args)
    finally:
        _stop_workers()


def _stop_workers() -> None:
    """End the worker processes the step started (map_chunks), as a process that exits normally would."""
    try:
        from joblib.externals.loky import reusable_executor

        executor = getattr(reusable_executor, "_executor", None)
        if executor is not None:
            executor.shutdown(wait=True)
    except Exception:  # noqa: BLE001, S110 - only tidying up; the step's result is already known
        pass


def _preflight(corpus: Path) -> tuple[int, str, int]:
    """Load the corpus once; print its warnings; raise SystemExit(2) with the loader's message.

    Returns the number of articles, the banner's facts and the characters of clean text.
    """
    from .corpus import CorpusError, load_corpus
    from .steps import corpus_facts

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = load_corpus(corpus)
        except CorpusError as exc:
            print(f"CORPUS={corpus}: the articles cannot be loaded.\n{exc}", file=sys.stderr)
            raise SystemExit(2) from None
    for w in caught:
        print(f"note: {w.message}", file=sys.stderr)
    facts = corpus_facts(frame)
    detail = f", {facts['english']} in English, {facts['dated']} dated"
    return len(frame), detail, int(frame["text"].str.len().sum()) if len(frame) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m minsk_moscow.rerun [CORPUS] [--out DIR] [--jobs N]``."""
    parser = argparse.ArgumentParser(prog="python -m minsk_moscow.rerun", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="", help="folder of articles or one table file (default: seeds)")
    parser.add_argument("--out", default="", help="output folder for another corpus (default build/<name>)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks (and the results/ and interactive/ steps) run at once (default: every core)")
    parser.add_argument("--notebooks", nargs="*", default=None, help="notebook files (default: all, in order)")
    parser.add_argument("--memory", type=float, default=None, metavar="GIB",
                        help="memory the run may use at once, in GiB (default: what is available when it starts)")
    args = parser.parse_args(argv)
    if args.memory is not None and not 0 < args.memory < float("inf"):
        parser.error(f"--memory must be a positive number of GiB, not {args.memory:g}")

    from .parallel import n_jobs

    started = time.perf_counter()
    notebooks = [Path(p) for p in args.notebooks] if args.notebooks else sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    env = {k: v for k, v in os.environ.items() if k.startswith("MINSK_MOSCOW_")}
    if args.corpus:
        corpus = Path(args.corpus).expanduser()
        if not corpus.exists():
            print(f"CORPUS={args.corpus}: no such folder or file (from {Path.cwd()})", file=sys.stderr)
            return 2
        corpus = corpus.resolve()
        name = corpus.stem if corpus.is_file() else corpus.name
        out = Path(args.out).expanduser().resolve() if args.out else PROJECT_ROOT / "build" / name
        print(f"Loading {corpus} ...", file=sys.stderr)
        # in a process of its own: memory that loading a large corpus took (gigabytes at 100,000 articles) is
        # given back when it exits, not kept by this process while the notebooks run
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as once:
            n_articles, facts, chars = once.submit(_then_stop_workers, _preflight, corpus).result()
        banner = _banner(name, n_articles, facts)
    else:
        corpus, out, banner, chars = SEEDS_DIR, None, None, 0
    report = (out if out is not None else PROJECT_ROOT / "build") / "report.jsonl"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    env["MINSK_MOSCOW_REPORT"] = str(report)
    if out is not None:
        (out / "figures").mkdir(parents=True, exist_ok=True)
        env.update(MINSK_MOSCOW_CORPUS=str(corpus), MINSK_MOSCOW_FIGURES=str(out / "figures"))
    target = out if out is not None else PROJECT_ROOT
    pages = str((out / "interactive") if out is not None else PROJECT_ROOT / "build" / "interactive")
    # results/ reads notebook 03's topic sweep and fit and notebook 04's relation table from the cache, the tone
    # and validation explorers read results/'s tone sentences and notebook 04's validation: each starts once
    # what it reads is there, instead of computing it again (at the same time, on a large corpus). The term
    # explorer reads nothing of theirs.
    modules = [
        _ModuleJob(_TERM_EXPLORER, "interactive", ["--out", pages, "--pages", "term_explorer.html"], env),
        _ModuleJob(_RESULTS, "results", ["--out", str(target / "results")], env, after=("03", "04")),
        _ModuleJob(_TONE_EXPLORERS, "interactive",
                   ["--out", pages, "--pages", "tone_explorer.html", "validation_explorer.html"], env,
                   after=("04", _RESULTS)),
    ]
    jobs = max(1, min(len(notebooks) + len(modules), n_jobs(args.jobs)))
    # every piece of work by label (a notebook's is its file's stem), with the labels it waits for
    work: dict[str, _Job | _ModuleJob] = {nb.stem: _Job(str(nb), str((out / nb.name) if out is not None else nb),
                                                         env, banner) for nb in notebooks}
    work.update((m.label, m) for m in modules)
    before = {m.label: [label for label in work if _key(label) in m.after] for m in modules}
    queue = sorted(work, key=_priority)
    stopped: dict[str, str] = {}
    done_modules: dict[str, tuple[str, str, str]] = {}
    # Several pieces of work run at once only where their estimated memory fits (a 16 GiB laptop runs the
    # large notebooks of a 100,000-article corpus one after the other, not side by side).
    needs = memory_needs(list(work), chars=chars, workers=n_jobs())
    budget = memory_budget(args.memory)
    if max(needs.values()) > budget:
        print(f"note: on this corpus the largest piece of work may need about {_gib(max(needs.values()))}, more than "
              f"the {_gib(budget)} this run may use: it runs alone, and may be slow or fail", file=sys.stderr)
    elif out is not None:
        print(f"memory: {_gib(budget)} for this run; the largest piece of work may need about "
              f"{_gib(max(needs.values()))} on this corpus", file=sys.stderr)
    waited: list[str] = []

    def ready(label: str) -> bool:
        return all(t in stopped or t in done_modules for t in before.get(label, ()))

    # Fresh (spawned) workers: a forked copy of this process would inherit the worker pool that loading
    # the corpus above may have started (its threads do not survive a fork) and hang when it uses it. Each
    # piece of work gets a process of its own, which ends with it: results/ and interactive/ run in that
    # process, and a process kept for the next piece held on to their memory (2.6 GiB at 100,000 articles,
    # unplanned for beside the next notebook).
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                             max_tasks_per_child=1) as pool:
        running: dict[Future, str] = {}
        while queue or running:
            # a free worker takes the first work in the queue that can start (what it reads is done, and
            # the memory it needs is free)
            for label in _startable(queue, list(running.values()), slots=jobs, ready=ready, needs=needs,
                                    budget=budget):
                job = work[label]
                queue.remove(label)
                if isinstance(job, _Job):
                    print(f"running {Path(job.notebook).name} ...", file=sys.stderr)
                    running[pool.submit(_execute, job)] = label
                else:
                    print(f"writing {label} ...", file=sys.stderr)
                    running[pool.submit(_then_stop_workers, _run_module, job)] = label
            if len(running) < jobs:  # a worker is free: what is ready and still queued waits for memory
                for label in (label for label in queue if ready(label) and label not in waited):
                    waited.append(label)
                    print(f"waiting {label}: it may need about {_gib(needs[label])} beside the "
                          f"{_gib(sum(needs[r] for r in running.values()))} of the work running, over the "
                          f"{_gib(budget)} this run may use", file=sys.stderr)
            if not running:  # cannot happen: what a step waits for is always in the run
                raise RuntimeError(f"nothing can start: {', '.join(queue)} wait for work that is not in the run")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                if isinstance(work[running.pop(future)], _Job):
                    name, why = future.result()
                    stopped[name] = why
                    print(f"done    {name}.ipynb" + (f" (stopped: {why})" if why else ""), file=sys.stderr)
                else:
                    label, state, why = future.result()
                    done_modules[label] = (label, state, why)
                    print(f"done    {label}" + (f" ({state}: {why})" if state != "written" else ""), file=sys.stderr)
    extra = [done_modules[m.label] for m in modules]
    if waited:
        extra.append(("memory", f"{', '.join(waited)} waited for memory",
                      f"the run planned within {_gib(budget)}; the largest piece of work was estimated at "
                      f"{_gib(max(needs.values()))}"))
    text = _summary(read_report(report), stopped, extra)
    (report.parent / "report.md").write_text(text, encoding="utf-8")
    print("\n" + text, end="")
    if out is not None:
        print(f"Executed notebooks, figures, results/ and interactive/ for {corpus} are in {out}/")
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)  # the whole run, its first load too
    return 1 if any(stopped.values()) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
