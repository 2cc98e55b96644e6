"""Fixtures shared by the test modules: the seed corpus, loaded once per test process."""

from __future__ import annotations

import pandas as pd
import pytest

import minsk_moscow as mm


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
