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
    (["2021-03-01", "2021-04-01"], None, "sensitivity", "skipped: it builds on 'election', which did not run"),
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
