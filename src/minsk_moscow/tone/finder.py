"""Finding relation sentences: which sentences concern Minsk-Moscow relations, and which sides they name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType

import pandas as pd

from ..aliases import ACTOR_ALIASES, SPELLING_VARIANTS
from ..text import _drop_invisible, _fold_chars, _require_str

__all__ = ["RELATION_ACTORS", "RELATION_PHRASES", "actor_sides", "find_relation_sentences"]

# =========================================================================== actors
_EXTRA_ACTORS: dict[str, str] = {
    # Citizens: arrests of the other side's citizens are part of the relation.
    "belarusians": "belarus",
    "russians": "russia",
    # Belarusian state bodies and officials.
    "kgb": "belarus",  # the Belarusian state security committee kept the Soviet name
    "makei": "belarus",
    "golovchenko": "belarus",
    # Russian state bodies and officials.
    "lavrov": "russia",
    "shoigu": "russia",
    "medvedev": "russia",
    # In this story "mercenaries" are the 33 Russian (Wagner) contractors held in Minsk.
    "mercenaries": "russia",
}
RELATION_ACTORS: MappingProxyType[str, str] = MappingProxyType({**ACTOR_ALIASES, **_EXTRA_ACTORS})
"""Canonical token -> side: :data:`~minsk_moscow.aliases.ACTOR_ALIASES` plus citizens and officials."""

RELATION_PHRASES: tuple[str, ...] = (
    "union state", "two countries", "two states", "two nations", "both countries", "the countries",
    "the nations", "two sides", "two leaders", "two men", "bilateral",
)
"""Phrases that name the relation itself: a sentence with one of them is a relation sentence."""

_RELATION_WORDS: frozenset[str] = frozenset(
    "ties relations relationship integration integrate integrating unification unify union partnership "
    "alliance allies ally brotherly".split()
)
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in RELATION_PHRASES) + r")\b")
# A word of any script (letters, digits), maybe with an apostrophe ending ("lukashenko's").
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W\d_]+)?")
_FOLD: tuple[tuple[str, str], ...] = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))
_ANAPHOR = re.compile(
    r"\b(?:he|she|him|his|her|they|them|their|i|we|us|our)\b|"
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,3}(?:leader|president|strongman|premier|minister|spokesman|"
    r"spokeswoman|spokesperson|ambassador)\b"
)
_CONNECTIVE = re.compile(r"^\W*(?:but|yet|however|nonetheless|nevertheless|still|instead|also)\b")


def _fold(text: str) -> str:
    """``text`` lower-cased, curly quotes and dashes folded to ASCII, invisible characters removed
    (a zero-width space or soft hyphen inside "Mos\\u00adcow" must not hide the name)."""
    return _fold_chars(_drop_invisible(text), _FOLD).lower()


def _require_texts(texts: Sequence[object], *, function: str, index: Sequence[object] | None = None) -> None:
    """Raise a ``TypeError`` naming the first text that is not a ``str``: "row i (index label)"
    of a table when ``index`` is given, else "sentence i"."""
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            kind = "None" if text is None else type(text).__name__
            missing = " (NaN: a missing text?)" if isinstance(text, float) and text != text else ""
            where = f"row {i} (index {index[i]!r})" if index is not None else f"sentence {i}"
            raise TypeError(f"{function}(): the text of {where} is {kind}{missing}, not a str")


def actor_sides(text: str) -> frozenset[str]:
    """The sides (``"belarus"``, ``"russia"``) named in ``text``.

    Hyphenated words are split ("pro-Lukashenko", "Russian-Belarusian") and possessives
    folded; spelling variants are mapped first (see :data:`RELATION_ACTORS`).

    >>> sorted(actor_sides("Russian-Belarusian strategic partnership"))
    ['belarus', 'russia']
    >>> sorted(actor_sides("a pro-Lukashenko position"))
    ['belarus']
    """
    _require_str(text, function="actor_sides")
    return _sides_of(_WORD_RE.findall(_fold(text)))


def _side_of_word(word: str) -> str | None:
    """The side one word names: possessive dropped, spelling variant mapped, then :data:`RELATION_ACTORS`."""
    word = word.removesuffix("'s")
    return RELATION_ACTORS.get(SPELLING_VARIANTS.get(word, word))


# Every word that names a side, with its side: the actors and the variants of them, each also
# with "'s". Any other word names none (its "'s"-less form is neither a variant nor an actor).
_SIDE_OF: dict[str, str] = {
    word: side
    for key in (*RELATION_ACTORS, *SPELLING_VARIANTS)
    for word in (key, key + "'s")
    if (side := _side_of_word(word))
}


def _sides_of(words: Iterable[str]) -> frozenset[str]:
    """The sides named by these words of a folded text (``_WORD_RE`` matches; a hyphen never is
    part of one, so "pro-lukashenko" gives "pro" and "lukashenko")."""
    return frozenset(_SIDE_OF[word] for word in _SIDE_OF.keys() & words)


def _opens_quote(folded: str) -> bool:
    """Whether a sentence folded by :func:`_fold` leaves a quotation open (an odd number of quote marks)."""
    return folded.count('"') % 2 == 1


def find_relation_sentences(sentences: pd.DataFrame, *, lookback: int = 2) -> pd.DataFrame:
    """Flag the sentences that concern the Belarus-Russia relation.

    A sentence is a relation sentence when, counting the whole sentence (so a quote's speaker
    counts together with what is said: Lukashenko speaking about Russia is both sides):

    1. it names both sides (see :data:`RELATION_ACTORS`), or
    2. it contains a relation phrase (:data:`RELATION_PHRASES`: "the two countries",
       "union state", ...), or a relation word ("ties", "integration", ...) and one side, or
    3. it continues earlier sentences: it has a pronoun or a definite description
       ("the strongman leader"), opens with a connective ("But", "Yet"), or sits inside a
       quote left open by the sentence before; then the sides named by the nearest earlier
       sentence of the same article that names any (at most ``lookback`` back) are added.

    Parameters
    ----------
    sentences
        A table with ``article_id`` and ``text`` in reading order (as from
        :func:`~minsk_moscow.corpus.sentence_table`).
    lookback
        How many sentences back a pronoun or quote may reach.

    Returns
    -------
    pandas.DataFrame
        The input plus ``sides`` (sides named, ``"belarus+russia"``, ``"belarus"``, ...),
        ``context_sides`` (sides added from context) and ``is_relation`` (bool).

    Examples
    --------
    >>> t = pd.DataFrame({"article_id": ["a"] * 3, "text": [
    ...     "Lukashenko spoke to Putin.", "He said they agreed.", "Protests grew in Minsk."]})
    >>> find_relation_sentences(t)["is_relation"].tolist()
    [True, True, False]
    """
    _require_texts(sentences["text"], function="find_relation_sentences", index=sentences.index)
    out = sentences.copy()
    sides_col, context_col, flags = [], [], []
    history: list[tuple[str, frozenset[str], bool]] = []  # (article, sides named, quote open after)
    for aid, text in zip(out["article_id"].tolist(), out["text"].tolist()):
        folded = _fold(text)
        words = set(_WORD_RE.findall(folded))
        own = _sides_of(words)
        history_here = [h for h in history[-lookback:] if h[0] == aid]
        was_open = bool(history_here) and history_here[-1][2]
        # the sides of the nearest earlier sentence that names any, taken if this one continues it
        earlier = next((sides for _, sides, _ in reversed(history_here) if sides), frozenset())
        continues = bool(earlier) and (was_open or bool(_ANAPHOR.search(folded) or _CONNECTIVE.search(folded)))
        context: frozenset[str] = earlier if continues else frozenset()
        union = own | context
        flags.append(len(union) == 2 or bool(_PHRASE_RE.search(folded)) or (bool(words & _RELATION_WORDS) and bool(union)))
        sides_col.append("+".join(sorted(own)))
        context_col.append("+".join(sorted(context - own)))
        history.append((aid, own, was_open != _opens_quote(folded)))
    out["sides"] = sides_col
    out["context_sides"] = context_col
    out["is_relation"] = flags
    return out


