"""``make run CORPUS=...`` on the test corpora of ``tests/corpora.py``: every notebook finishes, tells the truth.

Two corpora run in every ``make test`` (the off-topic folder and the hostile folder with a space
in its name); every corpus runs in ``make test-corpora`` (marker ``corpora``), which takes a
few minutes. Corpora that cannot be loaded at all must stop with the loader's message, never
with a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest

import minsk_moscow as mm

from corpora import BUILDERS, build

NOTEBOOKS = sorted(mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
IN_MAKE_TEST = ("off_topic", "hostile")
SEED_TERMS = ("mishustin", "moscow times", "financial times", "five articles", "mt-2020", "ft-2020")


def _make_run(corpus: Path, out: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINSK_MOSCOW_")}
    return subprocess.run(["make", "--no-print-directory", "run", f"CORPUS={corpus}", f"OUT={out}"],
                          cwd=mm.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    done: dict[str, tuple[subprocess.CompletedProcess, Path]] = {}

    def run(name: str) -> tuple[subprocess.CompletedProcess, Path]:
        if name not in done:
            root = tmp_path_factory.mktemp(name)
            corpus = build(name, root / "in")
            done[name] = (_make_run(corpus, root / "out"), root / "out")
        return done[name]

    return run


def _seed_prose() -> list[str]:
    """Every paragraph of the committed notebooks' seed-study prose."""
    texts = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if "seed-prose" in cell.metadata.get("tags", []):
                texts += [p.strip() for p in cell.source.split("\n\n") if len(p.strip()) > 40 and "](0" not in p]
    return texts


def _check_run(name: str, result: subprocess.CompletedProcess, out: Path) -> None:
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
    assert "Traceback" not in result.stderr + result.stdout
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "stopped" not in report and " failed" not in report, report
    seed_prose = _seed_prose()
    for path in NOTEBOOKS:
        nb = nbformat.read(out / path.name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), path.name
        outputs = [o for c in code for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], path.name
        text = "\n".join(o.get("text", "") + "".join(o.get("data", {}).get("text/plain", "")) for o in outputs)
        assert "Traceback" not in text, path.name
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        leaked = [p[:60] for p in seed_prose if p in markdown]
        assert not leaked, f"{path.name}: seed prose in a re-run: {leaked}"
        assert "> **A re-run on `" in markdown, f"{path.name}: no banner naming the corpus"
    for path in NOTEBOOKS:
        assert f"**{path.stem}**" in report


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
    _check_run(name, result, out)


@pytest.mark.e2e
def test_off_topic_articles_get_no_seed_findings(runs):
    result, out = runs("off_topic")
    assert result.returncode == 0
    _no_seed_terms(out)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "needs dated articles on both sides" in report  # all three are dated after the split date


@pytest.mark.e2e
def test_the_hostile_folder_keeps_every_article(runs):
    result, out = runs("hostile")
    assert result.returncode == 0
    nb = nbformat.read(out / NOTEBOOKS[0].name, as_version=4)
    shown = "\n".join("".join(o.get("data", {}).get("text/plain", "")) + o.get("text", "")
                      for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    for stem in ("utf16", "zero_width", "carets", "no_punctuation", "copy_a", "copy_b", "sub_article"):
        assert stem in shown, stem
    assert "caf" in shown  # the file with an undecodable byte in its name is kept, under a printable id


@pytest.mark.e2e
@pytest.mark.corpora
@pytest.mark.parametrize("name", [n for n in BUILDERS if n not in IN_MAKE_TEST])
def test_every_test_corpus_runs(name, runs):
    result, out = runs(name)
    _check_run(name, result, out)


@pytest.mark.e2e
@pytest.mark.parametrize("make_corpus, expected", [
    (lambda root: root / "missing folder", "no such folder or file"),
    (lambda root: (root / "empty").mkdir() or root / "empty", "no"),
])
def test_a_corpus_that_cannot_load_stops_with_a_message(tmp_path, make_corpus, expected):
    corpus = make_corpus(tmp_path)
    result = _make_run(corpus, tmp_path / "out")
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
