"""The cue lexicon and the rules that read it (negation, contrast, domestic and third-party context)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

from .finder import _fold, actor_sides

__all__ = ["CONFLICT_CUES", "COOPERATION_CUES", "Cue", "NEGATORS", "RESISTERS", "cue_features", "cue_hits"]

# =========================================================================== cue lexicon
class Cue(NamedTuple):
    """One cue: a regular expression over lower-cased text, its class and a note."""

    pattern: str
    cls: str
    note: str = ""


_VC, _MC, _REL = "verbal_cooperation", "material_cooperation", "relation_frame"
_VF, _MF = "verbal_conflict", "material_conflict"
_MATERIAL = frozenset({_MC, _MF})

COOPERATION_CUES: tuple[Cue, ...] = (
    # -- material cooperation (CAMEO 06 material cooperation, 07 provide aid, 08 yield) --
    Cue(r"(?:security|military|economic|financial|comprehensive) (?:assistance|aid|support)", _MC, "aid named as such"),
    Cue(r"assistance|aid|loans?|credits?|subsid(?:y|ies|i[sz]e[sd]?|i[sz]ing)|bail-?outs?", _MC, "aid and money"),
    Cue(r"(?:cheap|discounted|subsidi[sz]ed) (?:oil|gas|energy)", _MC, "energy on favourable terms"),
    Cue(r"(?:buy|bought|purchas\w*|deliver\w*|suppl\w*|shipment)\b[^.]{0,40}?\b(?:weapons|arms|jets|helicopters|fighters|tanks|missiles|s-400s?)",
        _MC, "arms deals"),
    Cue(r"(?:moved|deployed|sent|stationed|transferred)\b[^.]{0,25}?\b(?:fighters|jets|aircraft|troops|forces|units|s-400s?)",
        _MC, "deploying forces on the partner's side"),
    Cue(r"joint (?:\w+ ){0,2}(?:exercises|drills|maneuvers|manoeuvres|manoeuvrers|patrols?|training)", _MC, "joint drills"),
    Cue(r"(?:belarusian|russian) and (?:russian|belarusian) (?:troops|forces|soldiers|servicemen|militaries)", _MC,
        "both armies together"),
    Cue(r"zapad(?:-\d{4})?", _MC, "the joint Zapad exercises"),
    Cue(r"(?:military|security|defen[cs]e) (?:cooperation|co-operation|integration)", _MC, "military cooperation"),
    Cue(r"releas\w* (?:\w+ ){0,5}?(?:mercenaries|russians|belarusians|contractors|detainees|prisoners|citizens)", _MC,
        "release of held persons (CAMEO 0841)"),
    # -- verbal cooperation (CAMEO 03 intend to cooperate, 04 consult, 05 diplomatic cooperation) --
    Cue(r"mutually beneficial|strategic partnership|good (?:relations|ties)|close (?:relations|ties|allies)|"
        r"better (?:relations|relationship|ties)|moving forward|single people", _VC, "explicitly good relations"),
    Cue(r"agree(?:s|d|ing|ment|ments)?|treat(?:y|ies)|pacts?", _VC, "agreement"),
    Cue(r"sign(?:s|ed|ing)?(?! of)", _VC, "signing (not 'signs of')"),
    Cue(r"talks|discuss(?:es|ed|ing|ion|ions)?|negotiat\w*|consult\w*|(?:phone|telephone) (?:calls?|conversations?)",
        _VC, "consultation"),
    Cue(r"meet(?:s|ing|ings)?|summit|visit(?:s|ed|ing)?", _VC, "meetings and visits"),
    Cue(r"congratulat\w*|hail(?:s|ed|ing)?|prais\w*|thank\w*", _VC, "praise"),
    Cue(r"support(?:s|ed|ing|ive)?|back(?:s|ed|ing)|bolster\w*|pro-(?:lukashenk[oa]|kremlin|russian|moscow|minsk)",
        _VC, "support"),
    Cue(r"promis\w*|pledg\w*|assur\w*|guarantee\w*|offer(?:s|ed|ing)?|ready to (?:provide|help|support|give|assist)",
        _VC, "promises and offers"),
    Cue(r"appeal(?:s|ed)?(?= (?:\w+ ){0,3}(?:to|for))|help(?:s|ed|ing)?", _VC, "appeals for help"),
    Cue(r"cooperat\w*|co-operat\w*|(?:coordinat|co-ordinat)\w*(?! council)", _VC, "cooperation (not the opposition's council)"),
    Cue(r"integrat\w*|unif(?:y|ied|ying|ication)|closer|tight(?:en|er|ening)|deeper", _VC, "integration"),
    Cue(r"progress|together|solidarity|resolv\w*|settle(?:s|d)?", _VC, "progress and settlement"),
    # -- relation frames (half weight): the relation named as an alliance or dependence --
    Cue(r"union state|union(?<!european union)(?<!soviet union)|alliance|allies|ally|allied|partner(?:s|ship|ships)?|"
        r"brotherly|fraternal|friend(?:s|ly|ship)?", _REL, "alliance frame"),
    Cue(r"(?:dependen\w*|reli\w*|rely) on", _REL, "dependence on the partner"),
)
"""Cooperation cues. Classes: material cooperation (weight ``material_weight``), verbal
cooperation (weight 1) and relation frames (weight 0.5). Order matters: a longer phrase
listed first wins over a word inside it."""

CONFLICT_CUES: tuple[Cue, ...] = (
    # -- material conflict (CAMEO 17 coerce, 18 assault, 19 fight) --
    Cue(r"(?:arrest\w*|detain\w*|detention|jail\w*|seiz\w*|expel\w*)\W+(?:\w+\W+){0,4}?(?:russians|russian (?:citizens|nationals)|"
        r"mercenaries|contractors|belarusians|belarusian (?:citizens|nationals)|diplomats)", _MF,
        "arrests of the other side's citizens (not of protesters)"),
    Cue(r"(?:raid\w*|storm\w*)\W+(?:\w+\W+){0,3}?(?:\w*bank|\w*gazprom\w*|embassy|offices?|company)", _MF,
        "raids on the other side's assets"),
    Cue(r"(?:exercises|drills|troops|forces) (?:\w+ ){0,2}near the (?:russian|belarusian) border", _MF,
        "military moves against the partner's border"),
    Cue(r"sanction\w*|embargo\w*|trade war|(?:oil|gas|energy) (?:war|cut\w*)|cut off", _MF, "economic coercion"),
    # -- verbal conflict (CAMEO 11 disapprove, 12 reject, 13 threaten, 16 reduce relations) --
    Cue(r"point of no return|crisis of trust|burn\w* (?:\S+ ){0,3}bridges|play\w* (?:\w+ )?off against|"
        r"fall(?:en)? flat|fell flat|wring\w*|serious consequences|in exchange(?: for)?|guardian against", _VF,
        "fixed phrases of friction"),
    Cue(r"accus\w*|criticis\w*|criticiz\w*|condemn\w*|denounc\w*|blam\w*", _VF, "accusation and criticism"),
    Cue(r"threat(?:s|en|ens|ened|ening)?|ultimatum|harm|poison\w*|hostil\w*", _VF, "threats"),
    Cue(r"disput\w*(?! (?:presidential |election )?(?:election|elections|vote|polls?|result|win))", _VF,
        "disputes (not 'the disputed election')"),
    Cue(r"tensions?|discord|friction|strain(?:s|ed)?|ruptur\w*|rift\w*|cris[ie]s(?<!political crisis)(?<!political crises)|conflicts?|volatile|upset|blow",
        _VF, "friction"),
    Cue(r"suspicio\w*|distrust|mistrust|fatigue|incompatible|uncoordinated|provocation\w*|provok\w*", _VF, "distrust"),
    Cue(r"meddl\w*|interfer\w*|puppet\w*|destabili[sz]\w*|penetration|undermin\w*|sovereignty", _VF,
        "interference and sovereignty"),
    Cue(r"incorporat\w*|absor\w*|annex\w*|takeover|exploit\w*|concessions?|leverag\w*|capitali[sz]e on|"
        r"pressur\w*|(?:push|pushed|pushing|pushes) for|dump\w*|tame|isolat\w*", _VF, "pressure and coercion"),
    Cue(r"escalat\w*|delay\w*|postpon\w*|defer(?:s|red|ring)?|or later", _VF, "escalation and delay"),
)
"""Conflict cues. Classes: material conflict (weight ``material_weight``) and verbal conflict
(weight 1)."""

NEGATORS: str = (
    r"not(?! (?:just|only|least))|no(?! (?:doubt|less|sooner|matter))|never|n't|without|neither|nor|"
    r"nothing(?! less)|none"
)
"""Plain negation. Its scope runs to the next punctuation mark, "and", "but", "which" or
"who"; the first cue inside the scope is reversed (a negated cooperation cue becomes a
conflict cue of the same weight, a negated conflict cue a weak cooperation cue), the others
are dropped. A scope that mentions the past ("could not agree earlier") is about the past:
its cue is dropped instead."""

RESISTERS: str = (
    r"fail(?:s|ed|ing)? to|refus\w*|resist\w*|reject\w*|rul\w* out|stall\w*|withst\w*|declin\w* to|"
    r"second thoughts about|doubts? about|reluctan\w*|balk\w*|unable to|unwilling"
)
"""Refusal and resistance verbs: like :data:`NEGATORS`, but a conflict cue in their scope stays
a conflict cue ("withstand pressure from Moscow" is friction)."""

_CONTRAST = r"\b(?=[bynh])(?<!all )(?<!not )(?:but|yet|however|nonetheless|nevertheless)\b(?! also)(?! to\b)"
_SCOPE_END = re.compile(r"[,;:.!?()\"]|-\s|\b(?:and|but|which|who|while)\b")
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

_CUES: tuple[Cue, ...] = COOPERATION_CUES + CONFLICT_CUES
# Material cues first, then conflict phrases, then the rest: the first alternative wins.
_ORDER = sorted(range(len(_CUES)), key=lambda i: (_CUES[i].cls not in _MATERIAL, _CUES[i].cls != _VF or "phrases" not in _CUES[i].note))


def _split_top(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups and character classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _flatten(pattern: str) -> list[str]:
    """Alternatives of ``pattern`` with a leading ``(?:a|b)`` group expanded, so that most start
    with a literal letter: the regex engine then skips them in one comparison. Pure speed-up."""
    out = []
    for alt in _split_top(pattern):
        if alt.startswith("(?:"):
            depth, j = 0, 0
            for j, ch in enumerate(alt):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    break
            rest = alt[j + 1 :]
            if not rest[:1] or rest[:1] in "?*+{":
                out.append(alt)
                continue
            out.extend(p for inner in _split_top(alt[3:j]) for p in _flatten(inner + rest))
        else:
            out.append(alt)
    return out


# Stage 1 finds cue spans with one flat alternation (fast); stage 2 tells which cue matched.
_ALTERNATIVES = [a for i in _ORDER for a in _flatten(_CUES[i].pattern)]
assert all(a[:1].isalnum() for a in _ALTERNATIVES), "every cue alternative must start with a letter or digit"
_BY_FIRST: dict[str, list[str]] = {}
for _alt in _ALTERNATIVES:  # dispatch on the first character, keeping the order within each
    _BY_FIRST.setdefault(_alt[0], []).append(_alt[1:])
_CUE_RE = re.compile(r"\b(?:" + "|".join(f"{c}(?:{'|'.join(alts)})" for c, alts in _BY_FIRST.items()) + r")\b")
_CUE_EACH = tuple((i, re.compile(rf"(?:{_CUES[i].pattern})\b")) for i in _ORDER)
# The lookahead lists the first letters of every negator and resister: a cheap early exit.
_NEG_RE = re.compile(rf"(?=[nwfrsdbu])(?:(?P<neg>\b(?:{NEGATORS})\b|(?<=\w)n't\b)|(?P<res>\b(?:{RESISTERS})\b))")
assert {p[0] for p in _split_top(NEGATORS) + _split_top(RESISTERS)} <= set("nwfrsdbu")
_CONTRAST_RE = re.compile(_CONTRAST)


_WHICH: dict[str, int] = {}


def _which_cue(text: str, start: int, end: int) -> int:
    """Index of the first cue (in priority order) matching exactly ``text[start:end]``."""
    key = text[start:end]
    if key in _WHICH:
        return _WHICH[key]
    for i, pattern in _CUE_EACH:
        m = pattern.match(text, start)
        if m and m.end() == end:
            if len(_WHICH) < 100_000:
                _WHICH[key] = i
            return i
    raise AssertionError(f"no cue matches {key!r}")  # pragma: no cover


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


def _analyse(sentence: str) -> list[dict]:
    """Every cue hit in one sentence with what the rules did to it (see :func:`cue_hits`)."""
    text = _normalise(sentence)
    matches = [(m.start(), m.end(), _which_cue(text, m.start(), m.end())) for m in _CUE_RE.finditer(text)]
    negs = []
    for m in _NEG_RE.finditer(text):
        if any(s <= m.start() < e for s, e, _ in matches):
            continue  # "no" inside "point of no return"
        stop = _SCOPE_END.search(text, m.end())
        negs.append((m.start(), m.end(), stop.start() if stop else len(text), "res" if m.lastgroup == "res" else "neg"))
    if not matches and not any(kind == "res" for *_, kind in negs):
        return []
    contrasts = [m.start() for m in _CONTRAST_RE.finditer(text)]
    last_contrast = max(contrasts) if contrasts else -1
    bounds = [0, *contrasts, len(text)]
    layout: _Layout | None = None  # found on first use

    def aimed_elsewhere(start: int, end: int) -> str | None:
        """'domestic' or 'foreign' when a conflict cue at text[start:end] is not about the pair."""
        nonlocal layout
        if layout is None:
            layout = _layout(text, contrasts)
        if layout.domestic_words:
            starts, seg_bounds = layout.word_starts, layout.segment_bounds
            word = bisect.bisect_right(starts, start) - 1
            seg_lo = max(b for b in seg_bounds if b <= start)
            seg_hi = min(b for b in seg_bounds if b >= end)
            first, last = bisect.bisect_left(starts, seg_lo), bisect.bisect_left(starts, seg_hi)
            if any(abs(word - d) <= _DOMESTIC_WINDOW and first <= d < last for d in layout.domestic_words):
                return "domestic"
        if not layout.names_third_party:
            return None
        quote_bounds = layout.quote_bounds
        segment = text[max(b for b in quote_bounds if b <= start) : min(b for b in quote_bounds if b >= end)]
        lo = max(b for b in bounds if b <= start)
        hi = min(b for b in bounds if b > start)
        if _FOREIGN.search(segment) or (_FOREIGN.search(text, lo, hi) and not actor_sides(segment)):
            return "foreign"
        return None

    used_scopes: set[int] = set()
    hits = []

    def add(start: int, end: int, cls: str, note: str, effect: str, factor: float) -> None:
        hits.append(
            {
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
        cue = _CUES[idx]
        polarity = -1.0 if cue.cls in (_VF, _MF) else 1.0
        base = RELATION_FRAME_WEIGHT if cue.cls == _REL else 1.0
        effect, factor = "counted", polarity * base
        scope = next((k for k, (ns, ne, stop, _) in enumerate(negs) if ne <= start < stop), None) if negs else None
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
        elif polarity < 0:
            where = aimed_elsewhere(start, end)
            if where == "domestic":
                effect, factor = "dropped: domestic", 0.0
            elif where == "foreign":
                effect, factor = "reversed: aimed at a third party", FOREIGN_CONFLICT_FACTOR * base
        add(start, end, cue.cls, cue.note, effect, factor)
    # A refusal with no cue in its scope ("Minsk refused it") is itself a rejection (CAMEO 12).
    for k, (ns, ne, _, kind) in enumerate(negs):
        if kind == "res" and k not in used_scopes:
            where = aimed_elsewhere(ns, ne)
            effect, factor = {"domestic": ("dropped: domestic", 0.0), "foreign": ("reversed: aimed at a third party", FOREIGN_CONFLICT_FACTOR)}.get(
                where or "", ("counted: refusal", -1.0))
            add(ns, ne, _VF, "refusal with nothing cooperative in its scope", effect, factor)
    return hits


def cue_hits(sentences: Iterable[str]) -> pd.DataFrame:
    """Every cue that fired in each sentence, and what the rules did with it.

    Columns: ``sentence`` (position in the input), ``cue`` (matched text), ``cls``
    (CAMEO-style class), ``note``, ``effect`` ("counted", "reversed: negated", "dropped:
    domestic", ...), ``factor`` (signed weight before the material and contrast weights),
    ``material`` and ``before_contrast`` (the cue stands before a "but"/"yet").

    >>> cue_hits(["Lukashenko refused to sign any agreements on closer integration."])[
    ...     ["cue", "effect", "factor"]].values.tolist()
    [['sign', 'reversed: refused', -1.0], ['agreements', 'dropped: later in a negation scope', 0.0], ['closer', 'dropped: later in a negation scope', 0.0], ['integration', 'dropped: later in a negation scope', 0.0]]
    """
    rows = [{"sentence": i, **hit} for i, s in enumerate(sentences) for hit in _analyse(s)]
    columns = ["sentence", "cue", "cls", "note", "effect", "factor", "material", "before_contrast"]
    return pd.DataFrame(rows, columns=columns)


_FEATURES = ("verbal_main", "material_main", "verbal_before", "material_before")


def cue_features(sentences: Iterable[str]) -> pd.DataFrame:
    """Per sentence, the signed cue sums the score is built from.

    ``verbal_main`` / ``material_main``: verbal (and relation-frame) and material cue sums in
    the clause after the last contrast marker (or the whole sentence); ``*_before``: the same
    before it; ``n_cues``: cues that fired.

    >>> cue_features(["Moscow offered a loan, but Minsk refused it."]).to_dict("records")
    [{'verbal_main': -1.0, 'material_main': 0.0, 'verbal_before': 1.0, 'material_before': 1.0, 'n_cues': 3}]
    """
    rows = []
    for s in sentences:
        sums = [0.0] * len(_FEATURES)
        hits = _analyse(s)
        for h in hits:
            sums[h["material"] + 2 * h["before_contrast"]] += h["factor"]  # the position in _FEATURES
        rows.append((*sums, len(hits)))
    return pd.DataFrame(rows, columns=[*_FEATURES, "n_cues"])


