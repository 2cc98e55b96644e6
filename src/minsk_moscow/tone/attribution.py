"""Attribution: whose words a relation sentence reports (Belarusian side, Russian side, other, reporter)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

import pandas as pd

from ..aliases import SPELLING_VARIANTS
from .finder import _WORD_RE, RELATION_ACTORS, _fold, _opens_quote, _require_texts, actor_sides

__all__ = ["NON_STATE_SPEAKERS", "attribute_speakers"]

# =========================================================================== attribution
_REPORT_CORE = re.compile(
    r"\b(?:said|says|say|told|tells|added|adding|wrote|writes|tweeted|stated|announced|claimed|claims|"
    r"according to)\b"
)
_REPORT_OTHER = re.compile(
    r"\b(?:warned|accused|suggested|described|describing|hailed|indicated|vowed|urged|promised|insisted|"
    r"argued|noted|called for|calling on|raised the (?:prospect|possibility))\b"
)
NON_STATE_SPEAKERS: frozenset[str] = frozenset(
    "analyst analysts expert experts director researcher professor commentator journalist opposition "
    "candidate rival activist activists party school university center centre institute group "
    "tikhanovskaya tsepkalo babariko kolesnikova zhirinovsky navalny milinkevich".split()
)
"""Words marking a non-state speaker (analysts, opposition, parties, named opposition figures and
the nationalist MP Zhirinovsky): in a speaker phrase they outrank actor names, so "Arseniy
Sivitski, director of the Center ... in Minsk" is ``"other"``, not the Belarusian side."""
_PRONOUN_SUBJECTS = frozenset("he she they i we".split())
_PASSIVE = frozenset("was were been be is are being".split())
_FILLERS = frozenset("has had have also and then later reportedly swiftly repeatedly".split())
_DESCRIPTION = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,4}(?:leader|president|strongman|premier|minister)\b")


_QUOTE_MARK = re.compile('"')
_PHRASE_CUT = re.compile('[";:]')


def _last_words(text: str, lo: int, hi: int, n: int) -> list[str]:
    """The last ``n`` words of ``text[lo:hi]``: ``_WORD_RE.findall(text[lo:hi])[-n:]``, reading only
    as far back as needed (a window that grows fourfold until it holds more than ``n`` words:
    its first word may be cut, the others are whole)."""
    width = 128
    while True:
        start = max(lo, hi - width)
        words = _WORD_RE.findall(text, start, hi)
        if start == lo or len(words) > n:
            return words[-n:]
        width *= 4


def _speaker_side(words: Sequence[str]) -> str | None:
    """Side of a speaker phrase (words nearest the verb first), or None when only a pronoun."""
    canon = [SPELLING_VARIANTS.get(w.removesuffix("'s"), w.removesuffix("'s")) for w in words]
    if any(w in NON_STATE_SPEAKERS for w in canon):
        return "other"
    for w in canon:
        if w in _PRONOUN_SUBJECTS:
            return None
        for part in w.split("-"):
            if part in RELATION_ACTORS:
                return RELATION_ACTORS[part]
    return "other" if canon else None


def _explicit_speaker(folded: str) -> tuple[str | None, bool]:
    """(side or None for a pronoun, whether a reporting verb was found) of a sentence folded by ``finder._fold``.

    Linear in the sentence: quote marks and phrase cuts are found once and looked up by
    bisection, and only the last words before each verb are read (a sentence with thousands of
    reporting verbs used to be read again up to each one).
    """
    quotes: list[int] | None = None  # positions of '"', found at the first verb
    cuts: list[int] = []  # positions of '"', ';' and ':'
    for pattern in (_REPORT_CORE, _REPORT_OTHER):
        for m in pattern.finditer(folded):
            pos = m.start()
            if quotes is None:
                quotes = [q.start() for q in _QUOTE_MARK.finditer(folded)]
                cuts = [c.start() for c in _PHRASE_CUT.finditer(folded)]
            if bisect.bisect_left(quotes, pos) % 2:
                continue  # inside a quotation
            k = bisect.bisect_left(cuts, pos)
            lo = cuts[k - 1] + 1 if k else 0  # the phrase runs back to the last quote, ";" or ":"
            last = pos  # the phrase stripped: its last character is folded[last - 1]
            while last > lo and folded[last - 1].isspace():
                last -= 1
            inverted = last == lo or (folded[last - 1] == "," and pattern is _REPORT_CORE)
            if m.group(0) == "according to" or inverted:
                # '..., said X' and 'according to X'
                after = [w.group() for w in itertools.islice(_WORD_RE.finditer(folded, m.end()), 10)]
                if after:
                    return _speaker_side(after), True
                continue
            words = _last_words(folded, lo, pos, 16)
            if words and words[-1] in _PASSIVE:
                continue  # "was announced": no speaker named
            words = [w for w in words if w not in _FILLERS]
            if not words:
                continue
            if _DESCRIPTION.search(" ".join(words[-6:])) and not actor_sides(" ".join(words[-6:])):
                return None, True  # "the strongman leader said": refers back, like a pronoun
            return _speaker_side(list(reversed(words))), True
    return None, False


def attribute_speakers(sentences: pd.DataFrame, *, carry: int = 6) -> pd.DataFrame:
    """Attribute each sentence to the side whose words it reports.

    Rules, in order:

    1. A reporting verb outside quotation marks ("said", "told", "according to", then
       "accused", "hailed", "called for", ...) names a speaker: the words before it back to
       the last quote mark (or, for "..., said X" and "according to X", the words after it).
       Words marking a non-state speaker (:data:`NON_STATE_SPEAKERS`: analyst, opposition,
       director, party, ...) make it ``"other"``; otherwise the actor nearest the verb gives
       ``"belarus"`` or ``"russia"``; a name with neither is ``"other"``.
       A passive verb ("was announced") names nobody.
    2. A pronoun speaker ("he said") or a bare description ("the strongman leader has
       suggested") takes the side of the last attributed speaker of the same article within
       ``carry`` sentences.
    3. A sentence that is all quotation (no reporting verb, inside or opening a quote) takes
       the speaker of the quote it belongs to (the sentence before if that one quoted,
       otherwise the sentence after).
    4. Otherwise the sentence is the reporter's own narration: ``"reporter"``.

    Returns the input plus ``speaker_side`` in {"belarus", "russia", "other", "reporter"}.

    >>> t = pd.DataFrame({"article_id": ["a"] * 4, "text": [
    ...     '"We agreed," Lukashenko told Mishustin.', '"This lesson helped," he said.',
    ...     "Analysts said Moscow will seek concessions.", "The two met in Sochi."]})
    >>> attribute_speakers(t)["speaker_side"].tolist()
    ['belarus', 'belarus', 'other', 'reporter']
    """
    _require_texts(sentences["text"], function="attribute_speakers", index=sentences.index)
    out = sentences.copy()
    folds = [_fold(text) for text in out["text"]]  # each sentence folded once for every rule below
    aids = list(out["article_id"])
    sides: list[str | None] = []
    found: list[bool] = []
    last: tuple[str, int, str] | None = None  # (article, position, side)
    for i, (aid, folded) in enumerate(zip(aids, folds)):
        side, has_verb = _explicit_speaker(folded)
        if has_verb and side is None and last and last[0] == aid and i - last[1] <= carry:
            side = last[2]
        if side is not None:
            last = (aid, i, side)
        sides.append(side)
        found.append(has_verb)
    # quotation-only sentences take the speaker of their quote
    open_before = False
    for i, folded in enumerate(folds):
        in_quote = open_before or folded.lstrip().startswith('"')
        if sides[i] is None and not found[i] and in_quote:
            prev_ok = i > 0 and aids[i - 1] == aids[i] and '"' in folds[i - 1] and sides[i - 1]
            next_ok = i + 1 < len(folds) and aids[i + 1] == aids[i] and sides[i + 1]
            sides[i] = sides[i - 1] if prev_ok else (sides[i + 1] if next_ok else None)
        open_before = (open_before != _opens_quote(folded)) if i + 1 < len(folds) and aids[i + 1] == aids[i] else False
    out["speaker_side"] = [s if s is not None else "reporter" for s in sides]
    return out


