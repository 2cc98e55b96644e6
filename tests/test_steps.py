"""Up-front checks of what a corpus supports, and steps that report instead of crashing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import minsk_moscow as mm
from minsk_moscow import steps


def _corpus(dates, languages=None):
    n = len(dates)
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "date": pd.to_datetime(dates),
                         "language": languages or ["en"] * n, "text": ["Minsk and Moscow."] * n})


@pytest.fixture
def other_corpus(monkeypatch, tmp_path):
    monkeypatch.setenv("MINSK_MOSCOW_CORPUS", str(tmp_path))
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("MINSK_MOSCOW_REPORT", str(report))
    return report


@pytest.mark.parametrize("dates, languages, step, expected", [
    (["2021-03-01"], None, "tfidf", "skipped: TF-IDF needs at least 2 articles in English; this corpus has 1"),
    (["2021-03-01", "2021-04-01"], None, "tfidf", "runs"),
    (["2021-03-01", "2021-04-01"], ["en", "ru"], "tfidf", "skipped: TF-IDF needs at least 2 articles in English"),
    (["2021-03-01", "2021-04-01"], None, "election", "skipped: the before/after comparison needs dated articles on "
                                                     "both sides of 9 August 2020"),
    (["2020-03-01", "2021-04-01"], None, "election", "runs"),
    ([None, None], None, "years", "skipped: the year comparison needs dated articles from at least two years"),
    (["2020-03-01", "2021-04-01"], None, "sensitivity", "runs"),
    (["2021-03-01", "2022-04-01"], None, "sensitivity", "runs"),  # the before/after comparison cannot, years can
    (["2020-03-01", "2020-10-01"], None, "kwic_sides", "runs"),  # the year comparison cannot, before/after can
    (["2021-03-01", "2021-04-01"], None, "years", "skipped: the year comparison needs dated articles from at least "
                                                  "two years; this corpus has 1"),
    (["2021-03-01", "2021-04-01"], None, "kwic_sides", "skipped: it builds on 'election' or 'years', neither of "
                                                       "which ran"),
])
def test_check_corpus_says_which_steps_run(other_corpus, dates, languages, step, expected):
    plan = mm.check_corpus(_corpus(dates, languages), notebook="02", show=False)
    assert plan.status(step).startswith(expected)
    assert list(plan.table()["step"]) == [s.name for s in mm.NOTEBOOK_STEPS["02"]]


def test_seed_only_steps_run_on_the_seeds_alone(other_corpus, monkeypatch):
    assert "belongs to the seed study" in mm.check_corpus(_corpus(["2021-01-01"]), notebook="03", show=False).status("themes")
    monkeypatch.delenv("MINSK_MOSCOW_CORPUS")
    assert mm.check_corpus(_corpus(["2021-01-01"]), notebook="03", show=False).status("themes") == "runs"


def test_steps_run_skip_and_fail_with_one_line_and_a_report(other_corpus, capsys):
    mm.check_corpus(_corpus(["2021-03-01"]), notebook="02", show=False)
    namespace: dict = {}
    assert steps.run_step("overview", "x = 41\nx + 1", namespace) == 42
    assert steps.run_step("tfidf", "raise AssertionError('never runs')", namespace) is None
    assert steps.run_step("top_terms", "raise AssertionError('never runs')", namespace) is None
    assert steps.run_step("robustness", "raise ValueError('no terms left for TF-IDF')", namespace) is None
    assert steps.run_step("findings", "{}['missing']", namespace) is None
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "Skipped on this corpus: TF-IDF needs at least 2 articles in English; this corpus has 1.",
        "Skipped on this corpus: it builds on 'tfidf', which did not run.",
        "Skipped on this corpus: it builds on 'tfidf', which did not run.",
        "This step could not run on this corpus: KeyError: 'missing' (in <step>, <module>)",
    ]
    records = [json.loads(line) for line in other_corpus.read_text().splitlines()]
    assert [(r["step"], r["state"]) for r in records] == [
        ("(corpus)", "checked"), ("overview", "ran"), ("tfidf", "skipped"), ("top_terms", "skipped"),
        ("robustness", "skipped"), ("findings", "failed")]


def test_on_the_seeds_a_failing_step_shows_its_traceback(monkeypatch):
    monkeypatch.delenv("MINSK_MOSCOW_CORPUS", raising=False)
    monkeypatch.delenv("MINSK_MOSCOW_REPORT", raising=False)
    mm.check_corpus(mm.load_corpus(), notebook="02", show=False)
    with pytest.raises(KeyError):
        steps.run_step("findings", "{}['missing']", {})


def test_an_earlier_cell_of_the_same_step_blocks_the_next(other_corpus):
    mm.check_corpus(_corpus(["2020-03-01", "2021-04-01"]), notebook="02", show=False)
    steps.run_step("election", "raise ValueError('too few tokens')", {})
    assert steps.run_step("election", "1", {}) is None
    assert steps._PLAN.status("election").startswith("skipped")


def _step_cells(notebook: str, *names: str) -> list[tuple[str, str]]:
    """``(step, code)`` of each ``%%step`` cell of a committed notebook for these steps, in order."""
    import nbformat

    path = next(mm.NOTEBOOKS_DIR.glob(f"{notebook}_*.ipynb"))
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        head, _, body = cell.source.partition("\n")
        if cell.cell_type == "code" and head.startswith("%%step ") and head.split()[1] in names:
            cells.append((head.split()[1], body))
    return cells


def test_notebook_02_checks_the_prior_and_shows_contexts_for_the_comparison_that_ran(
        other_corpus, corpus, sentences, monkeypatch, tmp_path):
    """A corpus dated after the split date but over two years has the year comparison alone: the
    prior check and the keywords in context use it, instead of being skipped with the comparison that could not run."""
    import matplotlib.pyplot as plt

    monkeypatch.setenv("MINSK_MOSCOW_FIGURES", str(tmp_path / "figures"))  # never the committed figures/
    later = corpus.assign(date=corpus["date"] + pd.DateOffset(years=1))  # 2021-2022: none before 9 August 2020
    plan = mm.check_corpus(later, notebook="02", show=False)
    namespace = {"mm": mm, "pd": pd, "plt": plt, "corpus": later, "sentences": sentences, "plan": plan}
    cells = _step_cells("02", "election", "years", "sensitivity", "kwic_sides")
    assert [name for name, _ in cells] == ["election", "election", "election", "years", "years", "sensitivity",
                                           "kwic_sides"]
    try:
        for name, code in cells:
            steps.run_step(name, code, namespace)
    finally:
        plt.close("all")
    assert plan.status("election").startswith("skipped") and plan.ran("years")
    assert plan.ran("sensitivity") and plan.ran("kwic_sides")
    assert set(zip(namespace["sensitivity"]["a"], namespace["sensitivity"]["b"])) == {("2021", "2022")}
    kwic = namespace["kwic_sides"]
    assert len(kwic) and set(kwic["side"]) == {"2021", "2022"}
    assert set(namespace["group_of"]) == {"years"}
