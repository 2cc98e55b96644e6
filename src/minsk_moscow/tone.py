"""Tone of Minsk-Moscow relations, sentence by sentence, and its validation.

*Tone* here is how a sentence depicts relations **between the Belarusian and the Russian
state** (leaders, governments, security services, the Union State): positive for cooperation,
agreement, support, aid, integration, alignment, joint action; negative for friction:
disputes, accusations, pressure, threats, refusals, arrests of the other side's citizens,
resistance to integration; zero when the sentence says nothing either way. It is not the
writer's mood: a crackdown on Belarusian protesters is not Minsk-Moscow conflict, and joint
drills or weapons purchases are cooperation although their words sound hostile.

The pieces, each usable on any corpus:

- **Finder** (:func:`find_relation_sentences`): which sentences concern the relation (both
  sides named, a relation phrase, or a pronoun / quote / "But ..." continuing a sentence
  that named the other side).
- **Attribution** (:func:`attribute_speakers`): whose words a sentence reports: the
  Belarusian side, the Russian side, another named speaker (analysts, opposition, foreign
  officials), or nobody (the reporter).
- **Score** (:func:`relation_tone`): a documented cue lexicon in the spirit of CAMEO/GDELT
  event coding (:data:`COOPERATION_CUES`, :data:`CONFLICT_CUES`; verbal and material
  classes), with negation ("failed to reach an agreement", "refused to sign", "no documents
  were expected to be signed"), contrast ("but", "yet"), domestic-context and third-party
  rules; optionally blended with VADER. :func:`cue_hits` shows every cue that fired and what
  the rules did with it.
- **Fitting and validation**: :func:`fit_tone_params` picks the few free parameters
  (:class:`ToneParams`) on labelled sentences; :func:`loao_scores` refits them leaving one
  article out at a time; :func:`agreement` and :func:`confusion_table` compare any score
  with hand labels (:func:`load_tone_labels`).
- **Uncertainty and figures**: :func:`bootstrap_mean_ci`, :func:`tone_summary` (per article,
  per month or per any column), :func:`plot_tone_over_time` (intervals, every sentence as a
  point, events from :func:`load_events`), :func:`plot_tone_by_group`, :func:`plot_agreement`.

Examples
--------
>>> relation_tone([
...     "Lukashenko said he hoped to buy a large shipment of weapons, including S-400s.",
...     "The Belarussian leader refused to sign any agreements on closer integration.",
...     "Nearly 7,000 people were arrested during the crackdown.",
... ]).round(3).tolist()
[0.964, -0.762, 0.0]
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.stats import spearmanr

from .aliases import ACTOR_ALIASES, SPELLING_VARIANTS
from .notebook import SEED
from .paths import EVENTS_FILE, TONE_LABELS_FILE
from .text import _fold_chars

__all__ = [
    "COOPERATION_CUES",
    "CONFLICT_CUES",
    "DEFAULT_TONE_PARAMS",
    "NEGATORS",
    "NON_STATE_SPEAKERS",
    "RELATION_ACTORS",
    "RELATION_PHRASES",
    "RESISTERS",
    "Cue",
    "ToneParams",
    "actor_sides",
    "agreement",
    "attribute_speakers",
    "bootstrap_mean_ci",
    "confusion_table",
    "cue_features",
    "cue_hits",
    "find_relation_sentences",
    "fit_tone_params",
    "join_tone_labels",
    "load_events",
    "load_tone_labels",
    "loao_scores",
    "plot_agreement",
    "plot_tone_by_group",
    "plot_tone_over_time",
    "relation_table",
    "relation_tone",
    "sign_of",
    "tone_summary",
    "vader_compound",
]

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
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FOLD: tuple[tuple[str, str], ...] = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))
_ANAPHOR = re.compile(
    r"\b(?:he|she|him|his|her|they|them|their|i|we|us|our)\b|"
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,3}(?:leader|president|strongman|premier|minister|spokesman|"
    r"spokeswoman|spokesperson|ambassador)\b"
)
_CONNECTIVE = re.compile(r"^\W*(?:but|yet|however|nonetheless|nevertheless|still|instead|also)\b")


def _fold(text: str) -> str:
    return _fold_chars(text, _FOLD).lower()


def actor_sides(text: str) -> frozenset[str]:
    """The sides (``"belarus"``, ``"russia"``) named in ``text``.

    Hyphenated words are split ("pro-Lukashenko", "Russian-Belarusian") and possessives
    folded; spelling variants are mapped first (see :data:`RELATION_ACTORS`).

    >>> sorted(actor_sides("Russian-Belarusian strategic partnership"))
    ['belarus', 'russia']
    >>> sorted(actor_sides("a pro-Lukashenko position"))
    ['belarus']
    """
    sides = set()
    for word in _WORD_RE.findall(_fold(text).replace("-", " ")):
        word = word.removesuffix("'s")
        word = SPELLING_VARIANTS.get(word, word)
        side = RELATION_ACTORS.get(word)
        if side:
            sides.add(side)
    return frozenset(sides)


def _opens_quote(text: str) -> bool:
    return _fold_chars(text, _FOLD).count('"') % 2 == 1


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
    out = sentences.copy()
    sides_col, context_col, flags = [], [], []
    history: list[tuple[str, frozenset[str], bool]] = []  # (article, sides named, quote open after)
    for aid, text in zip(out["article_id"], out["text"]):
        folded = _fold(text)
        own = actor_sides(text)
        history_here = [h for h in history[-lookback:] if h[0] == aid]
        was_open = bool(history_here) and history_here[-1][2]
        continues = bool(_ANAPHOR.search(folded) or _CONNECTIVE.search(folded)) or was_open
        context: frozenset[str] = frozenset()
        if continues:
            for _, sides, _ in reversed(history_here):
                if sides:
                    context = sides
                    break
        words = set(_WORD_RE.findall(folded))
        union = own | context
        flags.append(len(union) == 2 or bool(_PHRASE_RE.search(folded)) or (bool(words & _RELATION_WORDS) and bool(union)))
        sides_col.append("+".join(sorted(own)))
        context_col.append("+".join(sorted(context - own)))
        history.append((aid, own, was_open != _opens_quote(text)))
    out["sides"] = sides_col
    out["context_sides"] = context_col
    out["is_relation"] = flags
    return out


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


def _outside_quotes(folded: str, pos: int) -> bool:
    return folded[:pos].count('"') % 2 == 0


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


def _explicit_speaker(text: str) -> tuple[str | None, bool]:
    """(side or None for a pronoun, whether a reporting verb was found)."""
    folded = _fold(text)
    for pattern in (_REPORT_CORE, _REPORT_OTHER):
        for m in pattern.finditer(folded):
            if not _outside_quotes(folded, m.start()):
                continue
            before = folded[: m.start()]
            cut = max(before.rfind('"'), before.rfind(";"), before.rfind(":"))
            phrase = before[cut + 1 :].strip()
            inverted = not phrase or (phrase.endswith(",") and pattern is _REPORT_CORE)
            if m.group(0) == "according to" or inverted:
                after = _WORD_RE.findall(folded[m.end() :])[:10]  # '..., said X' and 'according to X'
                if after:
                    return _speaker_side(after), True
                continue
            words = _WORD_RE.findall(phrase)
            if words and words[-1] in _PASSIVE:
                continue  # "was announced": no speaker named
            words = [w for w in words[-16:] if w not in _FILLERS]
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
    out = sentences.copy()
    texts = list(out["text"])
    aids = list(out["article_id"])
    sides: list[str | None] = []
    found: list[bool] = []
    last: tuple[str, int, str] | None = None  # (article, position, side)
    for i, (aid, text) in enumerate(zip(aids, texts)):
        side, has_verb = _explicit_speaker(text)
        if has_verb and side is None and last and last[0] == aid and i - last[1] <= carry:
            side = last[2]
        if side is not None:
            last = (aid, i, side)
        sides.append(side)
        found.append(has_verb)
    # quotation-only sentences take the speaker of their quote
    open_before = False
    for i, text in enumerate(texts):
        folded = _fold(text)
        in_quote = open_before or folded.lstrip().startswith('"')
        if sides[i] is None and not found[i] and in_quote:
            prev_ok = i > 0 and aids[i - 1] == aids[i] and '"' in _fold(texts[i - 1]) and sides[i - 1]
            next_ok = i + 1 < len(texts) and aids[i + 1] == aids[i] and sides[i + 1]
            sides[i] = sides[i - 1] if prev_ok else (sides[i + 1] if next_ok else None)
        open_before = (open_before != _opens_quote(text)) if i + 1 < len(texts) and aids[i + 1] == aids[i] else False
    out["speaker_side"] = [s if s is not None else "reporter" for s in sides]
    return out


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


# =========================================================================== score
@dataclass(frozen=True)
class ToneParams:
    """The free parameters of :func:`relation_tone`.

    raw = verbal_main + material_weight * material_main
    + contrast_weight * (verbal_before + material_weight * material_before)
    + vader_weight * VADER compound;
    score = 0 if ``|raw| <= neutral_band`` else ``tanh(raw / scale)``.
    """

    material_weight: float = 2.0
    contrast_weight: float = 0.0
    vader_weight: float = 0.0
    neutral_band: float = 0.0
    scale: float = 1.0


DEFAULT_TONE_PARAMS = ToneParams()
"""The parameters :func:`fit_tone_params` picks on all the labelled relation sentences of the
five seed articles, without VADER (cue lexicon only: fast, and as good held-out as the blend).
Their quality is judged by :func:`loao_scores`, which refits them without the article it
scores; a test checks that refitting on the labels still gives these values."""

_VADER = None


def vader_compound(sentences: Iterable[str]) -> np.ndarray:
    """VADER's compound score for each sentence (the general-purpose baseline).

    >>> vader_compound(["Moscow and Minsk agreed.", "Threats and arrests."]).round(3).tolist()
    [0.273, -0.691]
    """
    global _VADER
    if _VADER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _VADER = SentimentIntensityAnalyzer()
    return np.array([_VADER.polarity_scores(s)["compound"] for s in sentences], dtype=float)


def _raw(features: pd.DataFrame, params: ToneParams, vader: np.ndarray | None) -> np.ndarray:
    f = {k: features[k].to_numpy(dtype=float) for k in _FEATURES}
    raw = f["verbal_main"] + params.material_weight * f["material_main"]
    raw = raw + params.contrast_weight * (f["verbal_before"] + params.material_weight * f["material_before"])
    if params.vader_weight:
        if vader is None:
            raise ValueError("vader_weight is not zero: pass the VADER compound scores")
        raw = raw + params.vader_weight * np.asarray(vader, dtype=float)
    return raw


def _squash(raw: np.ndarray, params: ToneParams) -> np.ndarray:
    return np.where(np.abs(raw) <= params.neutral_band, 0.0, np.tanh(raw / params.scale))


def relation_tone(sentences: Iterable[str], *, params: ToneParams = DEFAULT_TONE_PARAMS) -> np.ndarray:
    """Tone of Minsk-Moscow relations in each sentence, in [-1, 1].

    Cue sums from :func:`cue_features` (cooperation positive, conflict negative, with the
    negation, contrast, domestic and third-party rules of :func:`cue_hits`), weighted and
    squashed as in :class:`ToneParams`. Meant for relation sentences
    (:func:`find_relation_sentences`): it scores any string, and a sentence with no cue
    scores 0. VADER is run only when ``params.vader_weight`` is not zero.

    Parameters
    ----------
    sentences
        Any iterable of sentence strings.
    params
        Weights; default :data:`DEFAULT_TONE_PARAMS`.

    Returns
    -------
    numpy.ndarray
        One float per sentence.

    Examples
    --------
    >>> relation_tone([
    ...     "The two countries hold joint military exercises.",
    ...     "Minsk arrested 33 Russians.",
    ...     "There was no plan to sign any documents.",
    ...     "Thousands were detained in the crackdown on protesters.",
    ... ]).round(3).tolist()
    [0.964, -0.964, -0.762, 0.0]
    """
    sentences = list(sentences)
    if not sentences:
        return np.zeros(0)
    features = cue_features(sentences)
    vader = vader_compound(sentences) if params.vader_weight else None
    return _squash(_raw(features, params, vader), params)


# =========================================================================== validation
def sign_of(scores: Iterable[float], *, band: float = 0.0) -> np.ndarray:
    """-1, 0 or +1 per score: 0 inside ``[-band, band]``.

    >>> sign_of([-0.3, 0.02, 0.5], band=0.05).tolist()
    [-1, 0, 1]
    """
    x = np.asarray(list(scores), dtype=float)
    return np.where(x > band, 1, np.where(x < -band, -1, 0))


def agreement(
    labels: Sequence[int],
    scores: Sequence[float],
    *,
    ambiguous: Sequence[bool] | None = None,
    band: float = 0.0,
) -> dict[str, float]:
    """Agreement of a score with hand labels (-1/0/+1).

    Returns ``n`` and ``spearman`` over all the sentences given; ``n_signed`` and
    ``spearman_signed`` over the non-zero, non-ambiguous labels; ``sign_accuracy``: the share
    of those whose score has the label's sign (a score within ``band`` of 0 counts as wrong).

    >>> agreement([1, -1, 1, 0], [0.5, -0.2, -0.1, 0.0])
    {'n': 4, 'spearman': 0.632, 'n_signed': 3, 'spearman_signed': 0.866, 'sign_accuracy': 0.667}
    """
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    amb = np.zeros(len(y), bool) if ambiguous is None else np.asarray(ambiguous, dtype=bool)
    signed = (y != 0) & ~amb

    def rho(a: np.ndarray, b: np.ndarray) -> float:
        if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
            return float("nan")
        return round(float(spearmanr(a, b).statistic), 3)

    acc = float(np.mean(sign_of(s[signed], band=band) == y[signed])) if signed.any() else float("nan")
    return {
        "n": int(len(y)),
        "spearman": rho(y, s),
        "n_signed": int(signed.sum()),
        "spearman_signed": rho(y[signed], s[signed]),
        "sign_accuracy": round(acc, 3),
    }


def confusion_table(labels: Sequence[int], scores: Sequence[float], *, band: float = 0.0) -> pd.DataFrame:
    """Hand label (rows) against the score's sign (columns), every class shown.

    >>> confusion_table([1, -1, 1], [0.5, 0.2, 0.0]).values.tolist()
    [[0, 0, 1], [0, 0, 0], [0, 1, 1]]
    """
    classes = [-1, 0, 1]
    y = pd.Categorical(np.asarray(labels, dtype=int), categories=classes)
    p = pd.Categorical(sign_of(scores, band=band), categories=classes)
    table = pd.crosstab(y, p, dropna=False)
    table.index = pd.Index(classes, name="hand label")
    table.columns = pd.Index(classes, name="predicted sign")
    return table


_DEFAULT_GRID: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "material_weight": (1.0, 1.5, 2.0),
        "contrast_weight": (0.0, 0.25, 0.5, 0.75, 1.0),
        "vader_weight": (0.0, 0.5, 1.0, 2.0),
        "neutral_band": (0.0, 0.25, 0.5),
    }
)
_SCALES = (0.5, 1.0, 1.5, 2.0, 3.0)


def fit_tone_params(
    features: pd.DataFrame,
    labels: Sequence[int],
    *,
    ambiguous: Sequence[bool] | None = None,
    vader: Sequence[float] | None = None,
    grid: Mapping[str, Sequence[float]] = _DEFAULT_GRID,
    scales: Sequence[float] = _SCALES,
) -> ToneParams:
    """Pick :class:`ToneParams` on labelled sentences by grid search.

    The weights and the neutral band maximise Spearman's rho over all the labelled sentences
    plus the sign accuracy on the non-zero, non-ambiguous ones (ties go to the first grid
    point, i.e. the simplest: no VADER, no band); then ``scale`` minimises the squared error
    between score and label, so a score of about +-1 means what a hand label of +-1 means.
    Without ``vader``, VADER weights other than 0 are skipped.

    >>> f = cue_features(["Putin promised aid.", "Minsk refused to sign.", "Talks went on."])
    >>> fit_tone_params(f, [1, -1, 1]).scale
    0.5
    """
    y = np.asarray(labels, dtype=float)
    amb = np.zeros(len(y), bool) if ambiguous is None else np.asarray(ambiguous, dtype=bool)
    v = None if vader is None else np.asarray(vader, dtype=float)
    names = list(grid)
    best, best_value = None, -np.inf
    for combo in itertools.product(*(grid[n] for n in names)):
        params = ToneParams(**dict(zip(names, combo)))
        if params.vader_weight and v is None:
            continue
        score = _squash(_raw(features, params, v), params)
        res = agreement(y, score, ambiguous=amb)
        value = np.nan_to_num(res["spearman"]) + np.nan_to_num(res["sign_accuracy"])
        if value > best_value + 1e-12:
            best, best_value = params, value
    assert best is not None
    raw = _raw(features, best, v)
    errors = [float(np.mean((_squash(raw, replace(best, scale=s)) - y) ** 2)) for s in scales]
    return replace(best, scale=float(scales[int(np.argmin(errors))]))


def loao_scores(
    table: pd.DataFrame,
    *,
    group: str = "article_id",
    label: str = "tone",
    ambiguous: str = "ambiguous",
    text: str = "text",
    with_vader: bool = True,
    grid: Mapping[str, Sequence[float]] = _DEFAULT_GRID,
) -> pd.DataFrame:
    """Leave-one-group-out scores: each group scored with parameters fitted on the others.

    Parameters
    ----------
    table
        Labelled sentences with ``group``, ``label``, ``ambiguous`` and ``text`` columns.
    with_vader
        Let the fit blend in VADER (and report ``vader`` beside the score).

    Returns
    -------
    pandas.DataFrame
        Same index as ``table``: ``score`` (held-out), ``vader`` (compound, if asked) and the
        parameters fitted for that fold (one column per :class:`ToneParams` field).
    """
    features = cue_features(table[text]).set_index(table.index)
    vader = pd.Series(vader_compound(table[text]), index=table.index) if with_vader else None
    out = pd.DataFrame(index=table.index)
    out["score"] = np.nan
    for name in (f.name for f in fields(ToneParams)):
        out[name] = np.nan
    for g in pd.unique(table[group]):
        test = table[group] == g
        train = ~test
        params = fit_tone_params(
            features[train],
            table.loc[train, label],
            ambiguous=table.loc[train, ambiguous],
            vader=None if vader is None else vader[train],
            grid=grid,
        )
        raw = _raw(features[test], params, None if vader is None else vader[test].to_numpy())
        out.loc[test, "score"] = _squash(raw, params)
        for name, value in asdict(params).items():
            out.loc[test, name] = value
    if vader is not None:
        out.insert(1, "vader", vader)
    return out


# =========================================================================== labels, events
_LABEL_COLUMNS = ("article_id", "sentence", "relation", "tone", "ambiguous", "speaker", "rationale", "text")


def load_tone_labels(path: str | Path = TONE_LABELS_FILE) -> pd.DataFrame:
    """Read the hand-labelled validation set and check it.

    One row per sentence of the seed articles: ``relation`` (1 if it concerns the
    Belarus-Russia relation), ``tone`` (-1/0/+1; 0 for non-relation sentences),
    ``ambiguous`` (1 for hard calls), ``speaker`` (whose words, hand-attributed, for
    relation sentences), ``rationale`` and the sentence ``text`` itself (so labels re-join by
    text if the splitter changes). Raises ``ValueError`` on bad values or duplicates.

    >>> labels = load_tone_labels()
    >>> int(labels["relation"].sum()), sorted(labels["tone"].unique().tolist())
    (93, [-1, 0, 1])
    """
    labels = pd.read_csv(path, dtype={"rationale": str, "speaker": str}, keep_default_na=False)
    missing = [c for c in _LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    problems = []
    for col, allowed in (("relation", {0, 1}), ("tone", {-1, 0, 1}), ("ambiguous", {0, 1})):
        bad = ~labels[col].isin(allowed)
        if bad.any():
            problems.append(f"{col} not in {sorted(allowed)} on rows {labels.index[bad].tolist()}")
    bad_speaker = (labels["relation"] == 1) & ~labels["speaker"].isin(["belarus", "russia", "other", "reporter"])
    if bad_speaker.any():
        problems.append(f"speaker missing or invalid on relation rows {labels.index[bad_speaker].tolist()}")
    off = (labels["relation"] == 0) & (labels["tone"] != 0)
    if off.any():
        problems.append(f"non-relation rows with a tone: {labels.index[off].tolist()}")
    for key in (["article_id", "sentence"], ["article_id", "text"]):
        dup = labels.duplicated(key, keep=False)
        if dup.any():
            problems.append(f"duplicate {key} on rows {labels.index[dup].tolist()}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return labels


def join_tone_labels(sentences: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Attach hand labels to a sentence table by article and sentence text (not position).

    The label columns arrive prefixed: ``label_relation``, ``label_tone``,
    ``label_ambiguous``, ``label_speaker``, ``label_rationale``. Sentences without a label get
    NA; labels whose text is no longer a sentence are listed in
    ``result.attrs["labels_unmatched"]`` as ``(article_id, text)`` pairs. A sentence that an
    article repeats word for word gets its label at each occurrence; two labels for the same
    ``(article_id, text)`` are an error.

    >>> sents = pd.DataFrame({"article_id": ["a", "a"], "text": ["One.", "Two."]})
    >>> labels = pd.DataFrame({"article_id": ["a", "a"], "text": ["Two.", "Gone."], "relation": [1, 0],
    ...     "tone": [1, 0], "ambiguous": [0, 0], "speaker": ["reporter", ""], "rationale": ["", ""]})
    >>> joined = join_tone_labels(sents, labels)
    >>> joined["label_tone"].tolist(), joined.attrs["labels_unmatched"]
    ([<NA>, 1], [('a', 'Gone.')])
    """
    cols = ["relation", "tone", "ambiguous", "speaker", "rationale"]
    renamed = labels[["article_id", "text", *cols]].rename(columns={c: f"label_{c}" for c in cols})
    merged = sentences.merge(renamed, on=["article_id", "text"], how="left", validate="many_to_one")
    for col in ("label_relation", "label_tone", "label_ambiguous"):
        merged[col] = merged[col].astype("Int64")
    keys = set(zip(sentences["article_id"], sentences["text"]))
    unmatched = [(a, t) for a, t in zip(labels["article_id"], labels["text"]) if (a, t) not in keys]
    merged.attrs["labels_unmatched"] = unmatched
    return merged


def load_events(path: str | Path = EVENTS_FILE) -> pd.DataFrame:
    """The dated key-events table: ``date`` (Timestamp), ``label``, ``event``, ``source``.

    >>> load_events()["label"].iloc[0]
    '33 Russians arrested'
    """
    events = pd.read_csv(path, parse_dates=["date"])
    missing = [c for c in ("date", "label", "event", "source") if c not in events.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    if events["source"].fillna("").str.strip().eq("").any():
        raise ValueError(f"{path}: every event needs a source")
    return events.sort_values("date").reset_index(drop=True)


# =========================================================================== pipeline
def relation_table(sentences: pd.DataFrame, *, params: ToneParams = DEFAULT_TONE_PARAMS, vader: bool = False) -> pd.DataFrame:
    """Finder, attribution and score in one table (any corpus's sentence table).

    Adds ``sides``, ``context_sides``, ``is_relation``, ``speaker_side``, ``tone`` (NaN for
    sentences that are not relation sentences) and, with ``vader=True``, ``vader``.
    """
    table = attribute_speakers(find_relation_sentences(sentences))
    scores = relation_tone(table["text"], params=params)
    table["tone"] = np.where(table["is_relation"], scores, np.nan)
    if vader:
        table["vader"] = np.where(table["is_relation"], vader_compound(table["text"]), np.nan)
    return table


# =========================================================================== uncertainty
def bootstrap_mean_ci(
    values: Sequence[float], *, n_boot: int = 2000, level: float = 0.95, seed: int = SEED
) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval of the mean (resampling the values).

    Deterministic for a given ``seed``. One value gives a zero-width interval; none gives NaNs.

    >>> bootstrap_mean_ci([1.0, 0.0, 1.0, 1.0, -1.0], seed=1)
    (0.4, -0.4, 1.0)
    """
    x = np.asarray(list(values), dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (float("nan"),) * 3
    if len(x) == 1:
        return (float(x[0]),) * 3
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, len(x), size=(n_boot, len(x)))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, 1 - (1 - level) / 2])
    return round(float(x.mean()), 12), round(float(lo), 12), round(float(hi), 12)


def tone_summary(
    table: pd.DataFrame,
    *,
    by: str = "article_id",
    value: str = "tone",
    date: str = "date",
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.DataFrame:
    """Mean tone per group with a bootstrap interval over the group's sentences.

    ``by`` is a column (``"article_id"``, ``"speaker_side"``, ``"outlet"``...) or
    ``"month"`` (calendar months of ``date``). Rows with a NaN ``value`` (non-relation
    sentences) are left out. Each group is resampled with its own seed derived from ``seed``.

    Returns columns ``by, date, n, mean, lo, hi`` (``date``: the group's first date, or the
    15th of the month), sorted by date.
    """
    data = table.dropna(subset=[value]).copy()
    if by == "month":
        data["month"] = data[date].dt.to_period("M")
    rows = []
    for i, (key, part) in enumerate(data.groupby(by, sort=True)):
        mean, lo, hi = bootstrap_mean_ci(part[value], n_boot=n_boot, level=level, seed=seed + i)
        when = key.start_time + pd.Timedelta(days=14) if by == "month" else part[date].min()
        rows.append({by: str(key) if by == "month" else key, "date": when, "n": len(part), "mean": mean, "lo": lo, "hi": hi})
    out = pd.DataFrame(rows, columns=[by, "date", "n", "mean", "lo", "hi"])
    return out.sort_values(["date", by]).reset_index(drop=True)


# =========================================================================== plots
def _segments(dates: Sequence[pd.Timestamp], *, max_gap_days: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    ds = sorted(pd.to_datetime(pd.Series(dates)).dropna().unique())
    segs = [[ds[0], ds[0]]]
    for d in ds[1:]:
        if (d - segs[-1][1]).days > max_gap_days:
            segs.append([d, d])
        else:
            segs[-1][1] = d
    return [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in segs]


def plot_tone_over_time(
    points: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    value: str = "tone",
    date: str = "date",
    label: str = "article_id",
    title: str = "Tone of Minsk-Moscow relations in the coverage",
    ylabel: str = "Relation tone\n(-1 conflict ... +1 cooperation)",
    max_gap_days: int = 120,
    pad_days: int = 10,
    jitter_days: float = 1.2,
    seed: int = SEED,
) -> Figure:
    """Mean tone per group with its interval, every sentence as a jittered point behind.

    ``points``: one row per scored sentence (``date``, ``value``); ``summary``: from
    :func:`tone_summary` (``date, mean, lo, hi`` and a short ``label`` column written above
    each interval with the mean, if present). ``events`` (``date``, ``label``) are drawn as numbered dotted lines,
    listed under the plot. When the dates have a gap longer than ``max_gap_days`` the time
    axis is broken into panels (one per stretch of coverage, sharing the y axis), so a year
    without articles takes no room; the same call works for hundreds of articles or for
    monthly summaries (``tone_summary(..., by="month")``, ``label="month"``).
    """
    pts = points.dropna(subset=[value])
    segs = _segments(list(pts[date]) + list(summary["date"]), max_gap_days=max_gap_days)
    spans = [max((b - a).days, 1) + 2 * pad_days for a, b in segs]
    fig, axes = plt.subplots(
        1, len(segs), figsize=(12, 5.8), sharey=True, squeeze=False,
        gridspec_kw={"width_ratios": [max(s, 30) for s in spans], "wspace": 0.05},
    )
    axes = axes[0]
    rng = np.random.default_rng(seed)
    jitter = pd.to_timedelta(rng.uniform(-jitter_days, jitter_days, len(pts)), unit="D")
    px = pd.to_datetime(pts[date]).to_numpy() + jitter.to_numpy()
    listed: list[str] = []
    for k, (ax, (a, b)) in enumerate(zip(axes, segs)):
        lo_d, hi_d = a - pd.Timedelta(days=pad_days), b + pd.Timedelta(days=pad_days)
        ax.axhline(0, color="0.55", lw=1)
        ax.scatter(px, pts[value], s=24, color="0.4", alpha=0.4, lw=0, label="one relation sentence", zorder=2)
        inside = summary[(summary["date"] >= lo_d) & (summary["date"] <= hi_d)]
        ax.errorbar(
            inside["date"], inside["mean"], yerr=[inside["mean"] - inside["lo"], inside["hi"] - inside["mean"]],
            fmt="o", ms=9, color="#b2182b", ecolor="#b2182b", elinewidth=2.5, capsize=6, zorder=4,
            label="mean with 95% bootstrap interval",
        )
        if label in inside:
            for _, r in inside.iterrows():
                ax.annotate(f"{r[label]}\n{r['mean']:+.2f}", (r["date"], r["hi"]), xytext=(0, 7),
                            textcoords="offset points", fontsize=10, color="#67001f", va="bottom", ha="center",
                            zorder=5, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        if events is not None:
            ev = events[(events["date"] >= lo_d) & (events["date"] <= hi_d)]
            previous = None
            for _, e in ev.iterrows():
                listed.append(f"{len(listed) + 1}  {e['date']:%d %b %Y}  {e['label']}")
                close = previous is not None and (e["date"] - previous).days < max(2, _span_days(lo_d, hi_d) / 25)
                level = 1.36 if close and level_prev == 1.2 else 1.2
                ax.axvline(e["date"], ymax=(level - 0.06 + 1.15) / 2.6, color="#2166ac", ls=":", lw=1.4, zorder=1)
                ax.text(e["date"], level, str(len(listed)), ha="center", va="center", fontsize=10, color="white",
                        fontweight="bold", bbox={"boxstyle": "circle,pad=0.2", "fc": "#2166ac", "ec": "none"})
                previous, level_prev = e["date"], level
        ax.set_xlim(lo_d, hi_d)
        ax.set_ylim(-1.15, 1.5)
        ax.set_yticks([-1, -0.5, 0, 0.5, 1])
        span = _span_days(lo_d, hi_d)
        if span > 150:
            ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, int(span // 180))))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
        else:
            ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15]))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
        if k:
            ax.tick_params(left=False)
            ax.spines["left"].set_visible(False)
        if k < len(axes) - 1:
            ax.spines["right"].set_visible(False)
    axes[0].set_ylabel(ylabel)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.suptitle(title, fontsize=15, fontweight="bold", y=0.99)
    fig.supxlabel("Publication date" + (" (axis broken where there is no coverage)" if len(segs) > 1 else ""),
                  fontsize=12, y=0.1)
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.02), ncol=2, frameon=False, fontsize=11)
    fig.subplots_adjust(bottom=0.27, top=0.91)
    if listed:
        ncol = 3
        rows = -(-len(listed) // ncol)
        for c in range(ncol):
            chunk = listed[c * rows : (c + 1) * rows]
            fig.text(0.09 + c * 0.3, -0.01, "\n".join(chunk), fontsize=10.5, color="#2166ac", va="top", ha="left",
                     linespacing=1.5)
    return fig


def _span_days(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Days between two timestamps (a float)."""
    return (end - start) / pd.Timedelta(days=1)


def plot_tone_by_group(
    summary: pd.DataFrame,
    *,
    by: str,
    names: Mapping[str, str] | None = None,
    title: str = "Tone by group",
    xlabel: str = "Mean relation tone (95% bootstrap interval)",
) -> Figure:
    """Mean tone per group (rows of :func:`tone_summary`) as points with intervals, ``n`` noted.

    ``names`` maps group keys to display names (e.g. ``{"belarus": "Belarusian side"}``) and,
    when given, also sets the order from top to bottom (groups not named go last).
    """
    data = summary.reset_index(drop=True)
    if names:
        rank = {k: i for i, k in enumerate(names)}
        data = data.iloc[sorted(range(len(data)), key=lambda i: rank.get(str(data[by].iloc[i]), len(rank)))]
    labels = [(names or {}).get(str(k), str(k)) for k in data[by]]
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(data) + 1.8))
    ypos = np.arange(len(data))[::-1]
    ax.axvline(0, color="0.55", lw=1)
    ax.errorbar(data["mean"], ypos, xerr=[data["mean"] - data["lo"], data["hi"] - data["mean"]], fmt="o", ms=9,
                color="#b2182b", elinewidth=2.5, capsize=6)
    for y, (_, r) in zip(ypos, data.iterrows()):
        ax.annotate(f"{r['mean']:+.2f}  (n = {r['n']})", (r["hi"], y), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=11)
    ax.set_yticks(ypos, labels)
    ax.set_xlim(-1.05, 1.3)
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_agreement(
    labels: Sequence[int],
    scores: Mapping[str, Sequence[float]],
    *,
    ambiguous: Sequence[bool] | None = None,
    title: str = "Hand labels against scores (held-out)",
    seed: int = SEED,
) -> Figure:
    """One panel per scorer: the score of each sentence against its hand label (jittered).

    Ambiguous labels are drawn hollow. The Spearman correlation is in each panel's title.
    """
    y = np.asarray(labels, dtype=float)
    amb = np.zeros(len(y), bool) if ambiguous is None else np.asarray(ambiguous, dtype=bool)
    fig, axes = plt.subplots(1, len(scores), figsize=(5.2 * len(scores), 4.8), sharey=True, squeeze=False)
    rng = np.random.default_rng(seed)
    jit = rng.uniform(-0.18, 0.18, len(y))
    for ax, (name, s) in zip(axes[0], scores.items()):
        s = np.asarray(s, dtype=float)
        res = agreement(y, s, ambiguous=amb)
        ax.scatter(s[~amb], y[~amb] + jit[~amb], s=34, color="#b2182b", alpha=0.7, label="clear label")
        ax.scatter(s[amb], y[amb] + jit[amb], s=34, facecolors="none", edgecolors="0.3", label="ambiguous label")
        ax.axvline(0, color="0.6", lw=1)
        ax.set_yticks([-1, 0, 1], ["-1 conflict", "0", "+1 cooperation"])
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel("score")
        ax.set_title(f"{name}\nSpearman {res['spearman']:.2f} · sign accuracy {res['sign_accuracy']:.2f}", fontsize=12)
    axes[0][0].set_ylabel("Hand label")
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.suptitle(title, fontsize=14, fontweight="bold")
    fig.legend(handles, names, loc="lower center", ncol=2, frameon=False, fontsize=11, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig
