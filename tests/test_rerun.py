"""``make run CORPUS=...`` on the test corpora of ``tests/corpora.py``: every notebook finishes, tells the truth.

The off-topic folder runs in every ``make test`` (the hostile files run there too, mixed into the
folder of ``tests/test_own_corpus.py``); every corpus runs on its own in ``make test-corpora``
(marker ``corpora``), which takes a few minutes. Corpora that cannot be loaded at all must stop
with the loader's message, never with a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from corpora import BUILDERS, build
from e2e import NOTEBOOKS, check_run, make_run, output_texts

IN_MAKE_TEST = ("off_topic",)
SEED_TERMS = ("mishustin", "moscow times", "financial times", "five articles", "mt-2020", "ft-2020")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    done: dict[str, tuple[subprocess.CompletedProcess, Path]] = {}

    def run(name: str) -> tuple[subprocess.CompletedProcess, Path]:
        if name not in done:
            root = tmp_path_factory.mktemp(name)
            corpus = build(name, root / "in")
            done[name] = (make_run(corpus, root / "out"), root / "out")
        return done[name]

    return run


def _no_seed_terms(out: Path) -> None:
    """No seed article's id, outlet or name appears in what notebooks 01-03 say about this corpus."""
    for path in NOTEBOOKS[:3]:
        nb = nbformat.read(out / path.name, as_version=4)
        said = "\n".join(json.dumps(o.get("text", "")) + json.dumps(o.get("data", {}).get("text/plain", ""))
                         + json.dumps(o.get("data", {}).get("text/markdown", ""))
                         for c in nb.cells if c.cell_type == "code" for o in c.outputs).lower()
        found = [t for t in SEED_TERMS if t in said]
        assert not found, f"{path.name} shows seed terms on an off-topic corpus: {found}"


@pytest.mark.e2e
@pytest.mark.parametrize("name", IN_MAKE_TEST)
def test_a_re_run_finishes_and_reports_every_step(name, runs):
    result, out = runs(name)
    check_run(result, out)


@pytest.mark.e2e
def test_off_topic_articles_get_no_seed_findings(runs):
    result, out = runs("off_topic")
    assert result.returncode == 0
    _no_seed_terms(out)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "needs dated articles on both sides" in report  # all three are dated after the split date
    # min_df = 2 leaves no terms over three unrelated articles: the robustness check runs without it and says so
    assert "robustness skipped" not in report
    outputs = " ".join(" ".join(output_texts(out / NOTEBOOKS[1].name)).split())  # unwrapped
    assert ("1 of 8 settings could not be computed on this corpus and is left out of the check: min_df = 2 "
            "(no terms left") in outputs
    assert "in at least 6 of 7 settings" in outputs and "1 more setting could not be computed" in outputs


@pytest.mark.e2e
@pytest.mark.corpora
@pytest.mark.parametrize("name", [n for n in BUILDERS if n not in IN_MAKE_TEST])
def test_every_test_corpus_runs(name, runs):
    result, out = runs(name)
    check_run(result, out)


@pytest.mark.e2e
@pytest.mark.parametrize("make_corpus, expected", [
    (lambda root: root / "missing folder", "no such folder or file"),
    (lambda root: (root / "empty").mkdir() or root / "empty", "no"),
])
def test_a_corpus_that_cannot_load_stops_with_a_message(tmp_path, make_corpus, expected):
    corpus = make_corpus(tmp_path)
    result = make_run(corpus, tmp_path / "out")
    assert result.returncode == 2, result.stdout[-2000:]
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_seed_prose_is_replaced_and_the_next_pointer_kept():
    from minsk_moscow.rerun import SEED_PROSE_NOTE, prepare_for_corpus

    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    copy = prepare_for_corpus(nb, banner="> **A re-run on `x`**")
    assert copy.cells[1].source == "> **A re-run on `x`**"
    assert len(copy.cells) == len(nb.cells) + 1
    tagged = [c for c in copy.cells if "seed-prose" in c.metadata.get("tags", [])]
    assert tagged and all(c.source.startswith((SEED_PROSE_NOTE, "## Findings", "## Limits")) for c in tagged)
    findings = [c.source for c in tagged if c.source.startswith("## Findings")]
    assert findings and findings[-1].endswith("## Next\n\n[02 · TF-IDF keyword comparison](02_tfidf_keywords.ipynb).")
    assert nb.cells[1].source != copy.cells[1].source  # the original is untouched


def _recording_pool(monkeypatch) -> tuple[list[str], list[str], list[str]]:
    """Replace the run's process pool by one that records what is submitted and runs nothing.

    Returns the start method and tasks per process of each pool, the work submitted (functions and step labels, and "results
    done" when results/ ends, a moment after it starts as a real step would) and the notebooks started.
    """
    from minsk_moscow import rerun

    contexts: list[tuple[str, int | None]] = []
    submitted: list[str] = []
    started: list[str] = []

    class Recording(rerun.ProcessPoolExecutor):
        def __init__(self, *args, mp_context=None, **kwargs):
            contexts.append((mp_context.get_start_method() if mp_context else "default",
                             kwargs.get("max_tasks_per_child")))
            super().__init__(*args, mp_context=mp_context, **kwargs)

        def submit(self, fn, /, *args, **kwargs):  # no notebook or module is executed here
            future = rerun.Future()
            if fn is rerun._then_stop_workers:  # the step it wraps
                fn, args = args[0], args[1:]
            submitted.append(fn.__name__ if fn is not rerun._run_module else args[0].label)
            if fn is rerun._preflight:
                future.set_result(fn(*args))
                return future
            kind = "notebook" if fn is rerun._execute else "module"
            job = args[0]
            if kind == "notebook":
                started.append(Path(job.notebook).stem[:2])
            if kind == "module" and job.module == "results":  # done a moment later, as a real step would be

                def finish():
                    submitted.append("results done")
                    future.set_result((job.label, "written", ""))

                threading.Timer(0.3, finish).start()
                return future
            future.set_result((Path(job.notebook).stem, "") if kind == "notebook" else (job.label, "written", ""))
            return future

    monkeypatch.setattr(rerun, "ProcessPoolExecutor", Recording)
    return contexts, submitted, started


def test_notebooks_and_steps_run_in_spawned_workers(tmp_path, monkeypatch):
    """Forked workers would inherit the worker pool that loading a large corpus starts in the parent
    process, whose threads do not survive a fork: results/ and interactive/ then hung on 10,000 articles."""
    from minsk_moscow import rerun

    contexts, submitted, started = _recording_pool(monkeypatch)
    monkeypatch.setenv("MINSK_MOSCOW_JOBS", "2")
    corpus = build("off_topic", tmp_path / "in")
    assert rerun.main([str(corpus), "--out", str(tmp_path / "out"), "--memory", "1000"]) == 0
    # the corpus is first loaded in a process of its own (its memory is given back), then two at a time: 04
    # and 03 first, results/ as soon as they are done (it reads their cached steps), ahead of the notebooks
    # still waiting, then the longer of the rest; the tone explorers once results/ is done (its tone sentences)
    # each piece of work in a process of its own, which ends with it (and gives its memory back)
    assert contexts == [("spawn", None), ("spawn", 1)]
    assert submitted == ["_preflight", "_execute", "_execute", "results/", "_execute", "interactive/ (term explorer)",
                         "_execute", "results done", "interactive/ (tone and validation explorers)"]
    assert started == ["04", "03", "02", "01"]
    assert "memory" not in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_work_that_does_not_fit_in_memory_beside_the_running_work_waits(tmp_path, monkeypatch, capsys):
    """On a machine short of memory the pieces of work run one after the other, in the same order of priority,
    and the run says which waited: two large notebooks side by side on 100,000 articles held 15.6 GiB."""
    from minsk_moscow import rerun

    _, submitted, started = _recording_pool(monkeypatch)
    monkeypatch.setenv("MINSK_MOSCOW_JOBS", "2")
    corpus = build("off_topic", tmp_path / "in")
    assert rerun.main([str(corpus), "--out", str(tmp_path / "out"), "--memory", "0.5"]) == 0
    # 04 and 03 alone, then results/ alone (nothing starts beside it while it runs), then the rest in turn
    assert submitted == ["_preflight", "_execute", "_execute", "results/", "results done",
                         "interactive/ (tone and validation explorers)", "_execute", "interactive/ (term explorer)",
                         "_execute"]
    assert started == ["04", "03", "02", "01"]
    err = capsys.readouterr().err
    assert "waiting 03_topic_clusters: it may need about" in err
    assert "over the 0.5 GiB this run may use" in err
    assert "note: on this corpus the largest piece of work may need about" in err
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "- **memory**: 03_topic_clusters, " in report and "waited for memory (the run planned within 0.5 GiB" in report


@pytest.mark.parametrize("memory", ["0", "-2", "inf", "nan"])
def test_a_memory_that_is_not_positive_is_refused(memory, capsys):
    from minsk_moscow import rerun

    with pytest.raises(SystemExit) as stop:
        rerun.main(["--memory", memory])
    assert stop.value.code == 2
    assert "--memory must be a positive number of GiB" in capsys.readouterr().err


@pytest.mark.parametrize(("queue", "running", "budget", "expected"), [
    (["04", "03", "01"], [], 100, ["04", "03"]),  # room for all: two slots
    (["04", "03", "01"], [], 12, ["04", "01"]),  # 03 does not fit beside 04, 01 does
    (["04", "03"], [], 5, ["04"]),  # nothing runs: the first starts even if too large
    (["03", "01"], ["04"], 12, ["01"]),
    (["03"], ["01"], 12, ["03"]),
    (["03", "01"], ["04", "02"], 100, []),  # no slot free
    (["r", "01"], [], 100, ["01"]),  # r is not ready
])
def test_work_starts_while_slots_and_memory_last(queue, running, budget, expected):
    from minsk_moscow.rerun import _startable

    needs = {"04": 9, "03": 9, "02": 7, "01": 2, "r": 1}
    assert _startable(queue, running, slots=2, ready=lambda label: label != "r", needs=needs,
                      budget=budget) == expected


def test_memory_needs_grow_with_the_corpus_and_the_workers():
    from minsk_moscow.rerun import MEMORY_PER_CHAR, PROCESS_MEMORY, memory_needs

    labels = ["01_corpus_overview", "04_relation_tone", "results/", "something new"]
    small, large = memory_needs(labels, chars=0, workers=2), memory_needs(labels, chars=10**9, workers=2)
    assert set(small.values()) == {4 * PROCESS_MEMORY}  # no text: the processes only
    assert all(large[label] > small[label] for label in labels)
    assert large["something new"] == max(large.values()) == 4 * PROCESS_MEMORY + max(MEMORY_PER_CHAR.values()) * 10**9
    assert memory_needs(labels, chars=0, workers=8)["01_corpus_overview"] == 10 * PROCESS_MEMORY


_POOL_IN_A_POOL = """
import functools, multiprocessing, sys
from concurrent.futures import ProcessPoolExecutor
from minsk_moscow import rerun
from minsk_moscow.parallel import map_chunks

if __name__ == "__main__":
    work = functools.partial(map_chunks, str.upper, ["a", "b", "c"], jobs=2, chunk_size=1, min_parallel=0)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as once:
        print(once.submit(rerun._then_stop_workers, work).result())
"""


@pytest.mark.slow
def test_a_step_that_starts_workers_lets_its_pool_worker_exit(tmp_path):
    """Loading 2,000+ articles in the run's first process starts worker processes there; that process waited
    for them on its way out and the run hung before the first notebook (seen on 10,000 articles)."""
    script = tmp_path / "pool_in_a_pool.py"
    script.write_text(_POOL_IN_A_POOL, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "['A', 'B', 'C']"


def _stream(name: str, text: str):
    return nbformat.v4.new_output("stream", name=name, text=text)


@pytest.mark.parametrize("outputs, expected", [
    pytest.param([_stream("stdout", "units: 90, kept: 89, terms: 222"),
                  _stream("stdout", "\nleft out (no term in two or more units): mt-2020-08-05:24\n")],
                 [("stdout", "units: 90, kept: 89, terms: 222\nleft out (no term in two or more units): "
                             "mt-2020-08-05:24\n")], id="one print split in two"),
    pytest.param([_stream("stdout", "a\n"), nbformat.v4.new_output("display_data", data={"text/plain": "x"}),
                  _stream("stdout", "b\n")], [("stdout", "a\n"), "display_data", ("stdout", "b\n")],
                 id="a display between prints stays between them"),
    pytest.param([_stream("stderr", "warning\n"), _stream("stdout", "a\n"), _stream("stdout", "b\n")],
                 [("stderr", "warning\n"), ("stdout", "a\nb\n")], id="stderr and stdout stay apart"),
])
def test_prints_split_by_the_kernel_are_saved_as_one_output(outputs, expected):
    from minsk_moscow.rerun import merge_split_streams

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=outputs), nbformat.v4.new_markdown_cell("x")])
    merged = merge_split_streams(nb).cells[0].outputs
    assert [(o["name"], o["text"]) if o["output_type"] == "stream" else o["output_type"] for o in merged] == expected


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parents[1].joinpath("notebooks").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_committed_notebooks_hold_no_split_prints(path):
    from minsk_moscow.rerun import merge_split_streams

    nb = nbformat.read(path, as_version=4)
    before = [len(c.get("outputs", [])) for c in nb.cells]
    assert [len(c.get("outputs", [])) for c in merge_split_streams(nb).cells] == before


class _Client:
    """Stands in for nbclient's NotebookClient: each start fails as ``failures`` says, else the cells 'run'."""

    starts = 0
    failures: list[str] = []

    def __init__(self, nb, **kwargs):
        self.nb = nb

    def execute(self):
        type(self).starts += 1
        failure = type(self).failures.pop(0) if type(self).failures else ""
        if failure == "start":
            raise RuntimeError("Kernel died before replying to kernel_info")
        for i, cell in enumerate(self.nb.cells, start=1):
            cell["execution_count"] = i
            if failure == "later":
                raise RuntimeError("Kernel died")


@pytest.mark.parametrize("failures, starts, stopped", [
    (["start"], 2, ""),
    (["start", "start"], 3, ""),
    (["start"] * 3, 3, "RuntimeError: Kernel died before replying to kernel_info"),
    (["later"], 1, "RuntimeError: Kernel died"),  # cells ran: reported, not run again
])
def test_a_kernel_that_does_not_start_is_started_again(tmp_path, monkeypatch, failures, starts, stopped):
    import nbclient

    from minsk_moscow import rerun

    monkeypatch.setattr(nbclient, "NotebookClient", _Client)
    monkeypatch.setattr(_Client, "starts", 0)
    monkeypatch.setattr(_Client, "failures", list(failures))
    source = tmp_path / "01_x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), source)
    job = rerun._Job(notebook=str(source), output=str(tmp_path / "out.ipynb"), env={}, banner=None)
    assert rerun._execute(job) == ("01_x", stopped)
    assert _Client.starts == starts
