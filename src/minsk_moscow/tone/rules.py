"""The cue lexicon and the rules that read it (negation, contrast, domestic and third-party context)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from .finder import _fold, _require_texts, actor_sides
from .lexicon import (
    LEXICON_FILE,
    REVISED_NEGATORS,
    REVISED_RESISTERS,
    SEED_LEXICON_FILE,
    Cue,
    Lexicon,
)

__all__ = ["CONFLICT_CUES", "COOPERATION_CUES", "DEFAULT_LEXICON", "SEED_LEXICON", "cue_features", "cue_hits", "cue_note"]

# =========================================================================== lexicons
SEED_LEXICON: Lexicon = Lexicon.from_csv(SEED_LEXICON_FILE, name="seed", revised=False)
"""The cue lexicon as first shipped (written on the five seed articles)."""
DEFAULT_LEXICON: Lexicon = Lexicon.from_csv(LEXICON_FILE, name="default", negators=REVISED_NEGATORS,
                                              resisters=REVISED_RESISTERS)
"""The default cue lexicon (:data:`~minsk_moscow.tone.lexicon.LEXICON_FILE`)."""
_COOP = ("material_cooperation", "verbal_cooperation", "relation_frame")
COOPERATION_CUES: tuple[Cue, ...] = DEFAULT_LEXICON.by_class(_COOP)
"""Cooperation cues of the default lexicon. Classes: material cooperation (weight
``material_weight``), verbal cooperation (weight 1) and relation frames (weight 0.5)."""
CONFLICT_CUES: tuple[Cue, ...] = DEFAULT_LEXICON.by_class(("verbal_conflict", "material_conflict"))
"""Conflict cues of the default lexicon. Classes: material conflict (weight ``material_weight``)
and verbal conflict (weight 1)."""

_MC, _REL = "material_cooperation", "relation_frame"
_VF, _MF = "verbal_conflict", "material_conflict"
_MATERIAL = frozenset({_MC, _MF})

# =========================================================================== rules
_CONTRAST = r"\b(?=[bynh])(?<!all )(?<!not )(?:but|yet|however|nonetheless|nevertheless)\b(?! also)(?! to\b)"
_SCOPE_END = re.compile(r"[,;:.!?()\"]|-\s|\b(?:and|but|which|who|while)\b")
# Revised rules: a quotation mark does not end a negation ("no plan to 'swallow' Belarus").
_SCOPE_END_REVISED = re.compile(r"[,;:.!?()]|-\s|\b(?:and|but|which|who|while)\b")
_PAST = re.compile(r"\b(?:earlier|previously|before|in the past)\b")
_DOMESTIC = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|strik(?:e|es|ers)|opposition|public order|streets|crackdown|unrest|"
    r"workers|rall(?:y|ies)|quit|resign\w*|step(?:ping)? down)\b"
)
"""Domestic words: a conflict cue within :data:`_DOMESTIC_WINDOW` words of one is about
Belarusian politics (pressure from protesters), not the relation, and is dropped. Only words of
the same segment (between commas, dashes, brackets) count."""
_DOMESTIC_WINDOW = 6
# A segment ends at , ; : ( ) or a dash with white space on one side at least: " - ", " -word",
# "word- ". Each alternative starts with a plain character test (the look-behind for "word- " comes
# after its "-"), which the regex engine tries much faster than a look-behind at every position.
_SEGMENT_END = re.compile(r"[,;:()]|\s-(?:\s|(?=\w))|-(?<=\w-)\s")
_FOREIGN = re.compile(
    r"\b(?:west|western|nato|eu|european|europe|u\.s|united states|america\w*|washington|brussels|ukrain\w*|"
    r"lithuania\w*|poland|polish|latvia\w*|estonia\w*|baltic|foreign (?:powers|governments|interference|forces))\b"
)
"""Third parties: a conflict cue is aimed outside the pair when its segment (between commas,
dashes, brackets, quote marks) names a third party, or when its clause does and its segment names neither
side. Joint hostility to a third party reads as alignment: half a cooperation cue."""

RELATION_FRAME_WEIGHT = 0.5
NEGATED_CONFLICT_FACTOR = 0.5
FOREIGN_CONFLICT_FACTOR = 0.5

_CONTRAST_RE = re.compile(_CONTRAST)


_TOKEN_RE = re.compile(r"\w+(?:[-']\w+)*")


def _normalise(sentence: str) -> str:
    return _fold(sentence).replace("co-operation", "cooperation")


class _Layout(NamedTuple):
    """Where the words, domestic words and segment bounds of a sentence are (see :func:`_layout`)."""

    word_starts: list[int]
    domestic_words: list[int]
    segment_bounds: list[int]
    quote_bounds: list[int]
    names_third_party: bool


def _layout(text: str, contrasts: Sequence[int]) -> _Layout:
    """What the domestic and third-party rules need of a sentence; only what they will use is found.

    Word starts are needed only to measure the distance to a domestic word, segment bounds only
    with a domestic word or a third party, quote bounds only with a third party. Segment and
    clause bounds never fall inside a word, so a third party named in a segment or clause is
    named in the sentence: with none in the sentence, no search within them can succeed.
    """
    domestic = [m.start() for m in _DOMESTIC.finditer(text)]
    third_party = _FOREIGN.search(text) is not None
    starts = [m.start() for m in _TOKEN_RE.finditer(text)] if domestic else []
    segments = [0, *(m.start() for m in _SEGMENT_END.finditer(text)), len(text)] if domestic or third_party else []
    quotes = sorted({*segments, *contrasts, *(m.start() for m in re.finditer('"', text))}) if third_party else []
    return _Layout(starts, [bisect.bisect_right(starts, d) - 1 for d in domestic], segments, quotes, third_party)


def _negations(text: str, lexicon: Lexicon, match_starts: Sequence[int], matches: Sequence[tuple[int, int, int]]
               ) -> list[tuple[int, int, int, str]]:
    """The negators and refusals of a sentence as ``(start, end, scope stop, "neg" | "res")``.

    A negator inside a cue ("no" in "point of no return") is none. Its scope stops at the next
    scope end (punctuation, "and", "but"...). Each scope end is searched for once: a later
    negator before the end already found has the same one (searching again from every negator
    read the rest of a long unpunctuated sentence once per negator).
    """
    negs: list[tuple[int, int, int, str]] = []
    scope_end = _SCOPE_END_REVISED if lexicon.revised else _SCOPE_END
    searched_from, stop = -1, -1  # stop: start of the first scope end at or after searched_from (-1: none)
    for m in lexicon.neg_re.finditer(text):
        start, end = m.span()
        i = bisect.bisect_right(match_starts, start) - 1
        if i >= 0 and start < matches[i][1]:
            continue  # "no" inside "point of no return"
        if searched_from < 0 or (stop >= 0 and end > stop):
            found = scope_end.search(text, end)
            searched_from, stop = end, (found.start() if found else -1)
        negs.append((start, end, stop if stop >= 0 else len(text), "res" if m.lastgroup == "res" else "neg"))
    return negs


def _cancel_negated_refusals(negs: list[tuple[int, int, int, str]], match_starts: Sequence[int]
                             ) -> list[tuple[int, int, int, str]]:
    """``negs`` without each negator that has a refusal in its scope with no cue before it, and
    without those refusals ("do not plan to give up cooperation", "never refused"): a negated
    refusal cancels out.

    For a negator ending at ``ne`` with scope stop ``stop``, the refusals it cancels are those
    starting in ``[ne, min(stop, c + 1))``, ``c`` the first cue start at or after ``ne``: one
    range of the refusals in reading order, found by bisection (not by pairing every negator
    with every refusal).
    """
    refusals = [k for k, n in enumerate(negs) if n[3] == "res"]
    if not refusals:
        return negs
    refusal_starts = [negs[k][0] for k in refusals]
    cancelled_negators: set[int] = set()
    depth = [0] * (len(refusals) + 1)  # +1 / -1 at the ends of each cancelled range of refusals
    for i, (_, ne, stop, kind) in enumerate(negs):
        if kind != "neg":
            continue
        c = bisect.bisect_left(match_starts, ne)
        limit = min(stop, match_starts[c] + 1) if c < len(match_starts) else stop
        lo, hi = bisect.bisect_left(refusal_starts, ne), bisect.bisect_left(refusal_starts, limit)
        if lo < hi:
            cancelled_negators.add(i)
            depth[lo] += 1
            depth[hi] -= 1
    if not cancelled_negators:
        return negs
    cancelled = set(cancelled_negators)
    running = 0
    for j, k in enumerate(refusals):
        running += depth[j]
        if running:
            cancelled.add(k)
    return [n for k, n in enumerate(negs) if k not in cancelled]


def _analyse(sentence: str, lexicon: Lexicon = DEFAULT_LEXICON) -> list[dict]:
    """Every cue hit in one sentence with what the rules did to it (see :func:`cue_hits`).

    Linear in the length of the sentence (up to logarithms): every position the rules look up
    (negation scopes, segments, clauses, domestic words, the parties a segment names) is found
    once per sentence and searched by bisection, and each segment or clause is read once
    however many cues it holds.
    """
    text = _normalise(sentence)
    matches = [(m.start(), m.end(), lexicon.which(text, m.start(), m.end())) for m in lexicon.cue_re.finditer(text)]
    match_starts = [start for start, _, _ in matches]
    negs = _negations(text, lexicon, match_starts, matches)
    if lexicon.revised and len(negs) > 1:
        negs = _cancel_negated_refusals(negs, match_starts)
    if not matches and not any(kind == "res" for *_, kind in negs):
        return []
    contrasts = [m.start() for m in _CONTRAST_RE.finditer(text)]
    last_contrast = max(contrasts) if contrasts else -1
    bounds = [0, *contrasts, len(text)]
    neg_stops = [stop for _, _, stop, _ in negs]
    layout: _Layout | None = None  # found on first use
    memo: dict[tuple[str, int, int], object] = {}  # what a segment or clause names, read once

    def spanned(kind: str, lo: int, hi: int, read):
        key = (kind, lo, hi)
        if key not in memo:
            memo[key] = read()
        return memo[key]

    def aimed_elsewhere(start: int, end: int) -> str | None:
        """'domestic' or 'foreign' when a conflict cue at text[start:end] is not about the pair."""
        nonlocal layout
        if layout is None:
            layout = _layout(text, contrasts)
        if layout.domestic_words:
            starts, seg_bounds, domestic = layout.word_starts, layout.segment_bounds, layout.domestic_words
            word = bisect.bisect_right(starts, start) - 1
            seg_lo = seg_bounds[bisect.bisect_right(seg_bounds, start) - 1]
            seg_hi = seg_bounds[bisect.bisect_left(seg_bounds, end)]
            first, last = bisect.bisect_left(starts, seg_lo), bisect.bisect_left(starts, seg_hi)
            # a domestic word within the window around the cue's word, inside its segment
            near_lo, near_hi = max(word - _DOMESTIC_WINDOW, first), min(word + _DOMESTIC_WINDOW, last - 1)
            d = bisect.bisect_left(domestic, near_lo)
            if d < len(domestic) and domestic[d] <= near_hi:
                return "domestic"
        if not layout.names_third_party:
            return None
        quote_bounds = layout.quote_bounds
        seg_lo = quote_bounds[bisect.bisect_right(quote_bounds, start) - 1]
        seg_hi = quote_bounds[bisect.bisect_left(quote_bounds, end)]
        lo = bounds[bisect.bisect_right(bounds, start) - 1]
        hi = bounds[bisect.bisect_right(bounds, start)]
        if lexicon.revised:
            target = _target_of(spanned("parties", seg_lo, seg_hi, lambda: _parties(text[seg_lo:seg_hi])),
                                start - seg_lo, end - seg_lo)
            if target is None:
                target = _target_of(spanned("parties", lo, hi, lambda: _parties(text[lo:hi])), start - lo, end - lo)
            return "foreign" if target == "third" else None
        if spanned("foreign", seg_lo, seg_hi, lambda: _FOREIGN.search(text[seg_lo:seg_hi]) is not None) or (
            spanned("foreign in", lo, hi, lambda: _FOREIGN.search(text, lo, hi) is not None)
            and not spanned("sides", seg_lo, seg_hi, lambda: actor_sides(text[seg_lo:seg_hi]))
        ):
            return "foreign"
        return None

    used_scopes: set[int] = set()
    hits = []

    def add(start: int, end: int, cls: str, note: str, effect: str, factor: float, flags: str = "") -> None:
        hits.append(
            {
                "start": start,
                "flags": flags,
                "cue": text[start:end],
                "cls": cls,
                "note": note,
                "effect": effect,
                "factor": factor,
                "material": cls in _MATERIAL,
                "before_contrast": start < last_contrast,
            }
        )

    for start, end, idx in matches:
        cue = lexicon.cues[idx]
        polarity = -1.0 if cue.cls in (_VF, _MF) else 1.0
        base = RELATION_FRAME_WEIGHT if cue.cls == _REL else 1.0
        effect, factor = "counted", polarity * base
        # The first scope holding the cue: scope stops never decrease along the sentence, so it
        # is the first one stopping after the cue, if that one starts before it.
        scope = bisect.bisect_right(neg_stops, start) if negs else None
        if scope is not None and (scope == len(negs) or negs[scope][1] > start):
            scope = None
        if scope is not None:
            kind = negs[scope][3]
            if scope in used_scopes:
                effect, factor = "dropped: later in a negation scope", 0.0
            elif _PAST.search(text, negs[scope][1], negs[scope][2]):
                effect, factor = "dropped: negated in the past", 0.0
            elif polarity > 0:
                effect, factor = ("reversed: refused" if kind == "res" else "reversed: negated"), -base
            elif kind == "res":
                effect = "kept: resisted"
            else:
                effect, factor = "reversed: negated conflict", NEGATED_CONFLICT_FACTOR * base
            used_scopes.add(scope)
        elif polarity < 0 and not (lexicon.revised and "pair" in cue.flags):
            where = aimed_elsewhere(start, end)
            if where == "domestic":
                effect, factor = "dropped: domestic", 0.0
            elif where == "foreign":
                effect, factor = "reversed: aimed at a third party", FOREIGN_CONFLICT_FACTOR * base
        add(start, end, cue.cls, cue.note, effect, factor, cue.flags)
    # A refusal with no cue in its scope ("Minsk refused it") is itself a rejection (CAMEO 12).
    for k, (ns, ne, _, kind) in enumerate(negs):
        if kind == "res" and k not in used_scopes:
            where = aimed_elsewhere(ns, ne)
            effect, factor = {"domestic": ("dropped: domestic", 0.0), "foreign": ("reversed: aimed at a third party", FOREIGN_CONFLICT_FACTOR)}.get(
                where or "", ("counted: refusal", -1.0))
            add(ns, ne, _VF, "refusal with nothing cooperative in its scope", effect, factor)
    if lexicon.revised and hits:
        _revised_rules(text, hits, contrasts, last_contrast)
    return hits


@lru_cache(maxsize=65536)
def _names_a_side(word: str) -> bool:
    return bool(actor_sides(word))


def _parties(span: str) -> list[tuple[int, str]]:
    """Every party ``span`` names, as ``(position, "third" | "pair")`` in sorted order."""
    mentions = [(m.start(), "third") for m in _FOREIGN.finditer(span)]
    mentions += [(m.start(), "pair") for m in _TOKEN_RE.finditer(span) if _names_a_side(m.group())]
    return sorted(mentions)


def _target_of(mentions: Sequence[tuple[int, str]], start: int, end: int) -> str | None:
    """The party a cue at ``[start, end)`` is aimed at among sorted ``mentions`` (see :func:`_target_party`)."""
    after = bisect.bisect_left(mentions, (end, ""))  # the least mention at or after the cue's end
    if after < len(mentions):
        return mentions[after][1]
    before = bisect.bisect_left(mentions, (start, "")) - 1  # the greatest mention before its start
    return mentions[before][1] if before >= 0 else None


def _target_party(span: str, start: int, end: int) -> str | None:
    """``"third"`` or ``"pair"``: the party a conflict cue at ``span[start:end]`` is aimed at.

    Revised third-party rule: the first party named after the cue (its object: "condemned western
    interference", "a supply row with Russia"), else the last one named before it (its subject);
    ``None`` when ``span`` names no party.

    >>> _target_party("condemned western interference", 0, 9), _target_party("a row with Russia", 2, 5)
    ('third', 'pair')
    """
    return _target_of(_parties(span), start, end)


def _revised_rules(text: str, hits: list[dict], contrasts: Sequence[int], last_contrast: int) -> None:
    """The rules added after the seed study, applied in place to a sentence's hits.

    - **Dominant cues** (lexicon flag ``dominant``): within the segment of a dominant cue
      (between commas, semicolons, brackets, dashes or contrast words), cues of the opposite
      sign are its object and are dropped ("put pressure on Minsk to accept deeper integration",
      "the talks ended without a deal", "helped Belarus weather the crisis").
    - **Qualifying contrast**: the clause after the last "but"/"yet" carries the sentence only if
      a cue counts in it; a "but" clause without one is a mere qualifier, and the clause before
      it counts in full ("Moscow is ready to help, but no request has been made").

    Where two dominant cues of opposite sign share a segment, an outcome cue (flags ``dominant
    pair``: a broken promise, a lost ally) wins, then the first in reading order ("offered to
    compensate Belarus for higher oil prices" is an offer).
    """
    signs = {h["factor"] > 0 for h in hits if h["factor"] != 0}
    if len(signs) == 2 and any("dominant" in h["flags"] for h in hits):  # else nothing to dominate
        _dominate(text, hits, contrasts)
    if last_contrast >= 0 and not any(h["factor"] != 0 and h["start"] > last_contrast for h in hits):
        for h in hits:
            h["before_contrast"] = False


def _dominate(text: str, hits: list[dict], contrasts: Sequence[int]) -> None:
    bounds = sorted({0, len(text), *contrasts, *(m.start() for m in _SEGMENT_END.finditer(text))})
    # Outcome cues (dominant and pair: a broken promise, a lost ally) go first, then in reading order.
    dominants = sorted((h for h in hits if "dominant" in h["flags"]), key=lambda h: ("pair" not in h["flags"], h["start"]))
    in_order = sorted(hits, key=lambda h: h["start"])
    starts = [h["start"] for h in in_order]
    governed: set[int] = set()  # segments whose first governing cue has acted
    for h in dominants:
        if h["factor"] == 0 or not h["effect"].startswith(("counted", "kept")):
            continue  # dropped by an earlier dominant cue, or reversed: then it governs nothing
        i = bisect.bisect_right(bounds, h["start"])
        if i in governed:
            # an earlier cue of the segment dropped every cue of the other sign (this one kept
            # its sign, or it would have been dropped): nothing is left to drop
            continue
        governed.add(i)
        lo, hi = bounds[i - 1], bounds[i] if i < len(bounds) else len(text)
        for other in in_order[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]:
            if other is not h and other["factor"] * h["factor"] < 0:
                other["factor"], other["effect"] = 0.0, f"dropped: object of '{h['cue']}'"


def _sentence_list(sentences: Iterable[str], *, function: str) -> list[str]:
    """``sentences`` as a list, refusing one string (its characters are no sentences) and any
    item that is not a string, with a message naming it."""
    if isinstance(sentences, str):
        raise TypeError(f"{function}() takes an iterable of sentences, not one string: use {function}([text])")
    sentences = list(sentences)
    _require_texts(sentences, function=function)
    return sentences


def _hit_rows(sentences: list[str], lexicon: Lexicon) -> list[dict]:
    """The rows of :func:`cue_hits` for ``sentences``, numbered from 0."""
    return [{"sentence": i, **hit} for i, s in enumerate(sentences) for hit in _analyse(s, lexicon)]


def cue_hits(sentences: Iterable[str], *, lexicon: Lexicon = DEFAULT_LEXICON, jobs: int | None = None) -> pd.DataFrame:
    """Every cue that fired in each sentence, and what the rules did with it.

    Columns: ``sentence`` (position in the input), ``cue`` (matched text), ``cls``
    (CAMEO-style class), ``note``, ``effect`` ("counted", "reversed: negated", "dropped:
    domestic", ...), ``factor`` (signed weight before the material and contrast weights),
    ``material`` and ``before_contrast`` (the cue stands before a "but"/"yet"). Long inputs
    are read in ``jobs`` worker processes, as :func:`~minsk_moscow.tone.relation_tone` scores
    them (:data:`~minsk_moscow.tone.score.PARALLEL_MIN_SENTENCES`); the table is the same.

    >>> cue_hits(["Lukashenko refused to sign any agreements on closer integration."])[
    ...     ["cue", "effect", "factor"]].values.tolist()
    [['sign', 'reversed: refused', -1.0], ['agreements', 'dropped: later in a negation scope', 0.0], ['closer', 'dropped: later in a negation scope', 0.0], ['integration', 'dropped: later in a negation scope', 0.0]]
    """
    from functools import partial

    from .score import _chunked_parts  # the chunks relation_tone scores in (score imports this module)

    sentences = _sentence_list(sentences, function="cue_hits")
    parts = _chunked_parts(partial(_hit_rows, lexicon=lexicon), sentences, jobs=jobs, desc="cues")
    rows = [{**row, "sentence": start + row["sentence"]} for start, part in parts for row in part]
    columns = ["sentence", "cue", "cls", "note", "effect", "factor", "material", "before_contrast"]
    return pd.DataFrame(rows, columns=columns)


_FEATURES = ("verbal_main", "material_main", "verbal_before", "material_before")


def cue_features(sentences: Iterable[str], *, lexicon: Lexicon = DEFAULT_LEXICON) -> pd.DataFrame:
    """Per sentence, the signed cue sums the score is built from.

    ``verbal_main`` / ``material_main``: verbal (and relation-frame) and material cue sums in
    the clause after the last contrast marker (or the whole sentence); ``*_before``: the same
    before it; ``n_cues``: cues that fired.

    >>> cue_features(["Moscow offered a loan, but Minsk refused it."]).to_dict("records")
    [{'verbal_main': -1.0, 'material_main': 0.0, 'verbal_before': 1.0, 'material_before': 1.0, 'n_cues': 3}]
    """
    rows = [_feature_row(_analyse(s, lexicon)) for s in _sentence_list(sentences, function="cue_features")]
    return pd.DataFrame(rows, columns=[*_FEATURES, "n_cues"])


def _feature_row(hits: list[dict]) -> tuple:
    """One sentence's row of :func:`cue_features` from its hits."""
    sums = [0.0] * len(_FEATURES)
    for h in hits:
        sums[h["material"] + 2 * h["before_contrast"]] += h["factor"]  # the position in _FEATURES
    return (*sums, len(hits))


def cue_note(hits: Iterable[dict]) -> str:
    """Cue hits as one line, ``cue (class) → effect`` joined by ``; ``, in the order of :func:`cue_hits`.

    >>> cue_note(cue_hits(["Minsk refused to sign the treaty."]).to_dict("records"))
    'sign (verbal_cooperation) → reversed: refused; treaty (verbal_cooperation) → dropped: later in a negation scope'
    """
    return "; ".join(f"{h['cue']} ({h['cls']}) → {h['effect']}" for h in hits)


def _features_and_notes(sentences: list[str], *, lexicon: Lexicon = DEFAULT_LEXICON) -> tuple[pd.DataFrame, list[str]]:
    """:func:`cue_features` and the :func:`cue_note` of each sentence, from one reading of it."""
    rows, notes = [], []
    for s in sentences:
        hits = _analyse(s, lexicon)
        rows.append(_feature_row(hits))
        notes.append(cue_note(hits))
    return pd.DataFrame(rows, columns=[*_FEATURES, "n_cues"]), notes


