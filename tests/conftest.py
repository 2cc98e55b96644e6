"""Fixtures shared by the test modules (the seed corpus, loaded once per test process), and the
order in which the test workers take the test files."""

from __future__ import annotations

import pandas as pd
import pytest

import minsk_moscow as mm

_FIRST = ("tests/test_site.py", "tests/test_parallel.py")
"""Files of many seconds that are neither end-to-end runs nor notebooks (a browser, worker pools)."""


def _start_order(item: pytest.Item) -> int:
    """0: end-to-end re-runs (half a minute each), 1: notebooks and :data:`_FIRST`, 2: the rest."""
    if item.get_closest_marker("e2e"):
        return 0
    path = item.nodeid.split("::")[0]
    return 1 if path.endswith(".ipynb") or path in _FIRST else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest test files first, so the two test workers (``-n auto --dist loadfile
    --no-loadscope-reorder``) do not end with one of them running an end-to-end re-run alone.

    A file goes where its slowest test would put it (its tests stay together and in order).
    """
    rank: dict[str, int] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        rank[path] = min(rank.get(path, 2), _start_order(item))
    items.sort(key=lambda item: rank[item.nodeid.split("::")[0]])  # stable: order within a file kept


@pytest.fixture(autouse=True)
def _fresh_term_counts():
    """Each test counts terms afresh: what one test counted is not remembered into the next."""
    from minsk_moscow import keywords

    keywords._GRAM_MEMO.clear()


@pytest.fixture(scope="session")
def _seed_corpus() -> pd.DataFrame:
    return mm.load_corpus(mm.SEEDS_DIR)


@pytest.fixture(scope="session")
def _seed_sentences(_seed_corpus: pd.DataFrame) -> pd.DataFrame:
    return mm.sentence_table(_seed_corpus)


@pytest.fixture(scope="module")
def corpus(_seed_corpus: pd.DataFrame) -> pd.DataFrame:
    """The seed articles as ``load_corpus`` gives them (a copy per module: a test may change it)."""
    return _seed_corpus.copy()


@pytest.fixture(scope="module")
def sentences(_seed_sentences: pd.DataFrame) -> pd.DataFrame:
    """The seed articles' sentences (a copy per module)."""
    return _seed_sentences.copy()
