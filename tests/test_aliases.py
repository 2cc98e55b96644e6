"""The explicit vocabulary tables are consistent with each other and with the tokenizer."""

from __future__ import annotations

import pytest

import minsk_moscow as mm


def test_variant_targets_are_canonical():
    # mapping twice changes nothing: no chains like a -> b -> c
    assert not set(mm.SPELLING_VARIANTS.values()) & set(mm.SPELLING_VARIANTS)


def test_actor_tokens_are_canonical_and_not_stop_words():
    assert not set(mm.ACTOR_ALIASES) & set(mm.SPELLING_VARIANTS)
    assert not set(mm.ACTOR_ALIASES) & mm.STOP_WORDS
    assert set(mm.ACTOR_ALIASES.values()) == {"belarus", "russia"}


@pytest.mark.parametrize("variant, canonical", sorted(mm.SPELLING_VARIANTS.items()))
def test_tokenizer_applies_every_variant(variant, canonical):
    assert mm.tokenize(variant, stop_words=None) == [canonical]


@pytest.mark.parametrize("word", ["said", "Thursday", "Mr", "would"])
def test_news_stop_words_are_dropped(word):
    assert mm.tokenize(f"Putin {word}") == ["putin"]


@pytest.mark.parametrize("variant, canonical", sorted(mm.SPELLING_VARIANTS.items()))
def test_tokenizer_applies_every_variant_in_text_of_any_script(variant, canonical):
    # outside ASCII the tokenizer takes another pattern: the tables apply the same
    assert mm.tokenize(f"«{variant.title()}» — Лукашенко") == [canonical, "лукашенко"]


@pytest.mark.parametrize("word", sorted(mm.ACTOR_ALIASES))
def test_actor_words_are_single_ascii_tokens(word):
    # the tone finder and the tokenizer both see an actor word as one lower-case ASCII token
    assert word.isascii() and word == word.lower()
    assert mm.tokenize(f"“{word.title()}’s” Лукашэнка", stop_words=None) == [word, "лукашэнка"]


def test_stop_words_are_scikit_learns_english_list_plus_the_news_words():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from minsk_moscow._stop_words import ENGLISH_STOP_WORDS as kept

    assert kept == ENGLISH_STOP_WORDS  # the copy kept as data is still scikit-learn's list
    assert mm.STOP_WORDS == ENGLISH_STOP_WORDS | mm.NEWS_STOP_WORDS
