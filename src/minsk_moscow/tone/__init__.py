"""Tone of Minsk-Moscow relations, sentence by sentence, and its validation.

A subpackage with one module per part: :mod:`.finder`, :mod:`.attribution`, :mod:`.rules`
(cue lexicon and rules), :mod:`.score`, :mod:`.validation` (agreement and fitting),
:mod:`.labels` (hand labels, events), :mod:`.summary` (the per-sentence table, bootstrap
summaries) and :mod:`.plots`. Everything public is importable from here and from
``minsk_moscow``.

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

from .attribution import (
    NON_STATE_SPEAKERS,
    attribute_speakers,
)
from .devset import (
    TestSplitError,
    load_second_annotator,
    load_validation_set,
    make_test_split,
    refuse_test_rows,
)
from .finder import (
    RELATION_ACTORS,
    RELATION_PHRASES,
    actor_sides,
    find_relation_sentences,
)
from .labels import (
    join_tone_labels,
    load_events,
    load_tone_labels,
)
from .lexicon import (
    CUE_CLASSES,
    LEXICON_FILE,
    NEGATORS,
    RESISTERS,
    SEED_LEXICON_FILE,
    Cue,
    Lexicon,
    read_cues,
)
from .plots import (
    plot_agreement,
    plot_tone_by_group,
    plot_tone_over_time,
)
from .rules import (
    CONFLICT_CUES,
    COOPERATION_CUES,
    DEFAULT_LEXICON,
    SEED_LEXICON,
    cue_features,
    cue_hits,
)
from .score import (
    DEFAULT_TONE_PARAMS,
    ToneParams,
    relation_tone,
    vader_compound,
)
from .summary import (
    bootstrap_mean_ci,
    relation_table,
    tone_summary,
)
from .validation import (
    agreement,
    confusion_table,
    fit_tone_params,
    loao_scores,
    sign_of,
)

__all__ = [
    "TestSplitError",
    "load_second_annotator",
    "load_validation_set",
    "make_test_split",
    "refuse_test_rows",
    "COOPERATION_CUES",
    "CONFLICT_CUES",
    "DEFAULT_TONE_PARAMS",
    "NEGATORS",
    "NON_STATE_SPEAKERS",
    "RELATION_ACTORS",
    "RELATION_PHRASES",
    "RESISTERS",
    "CUE_CLASSES",
    "DEFAULT_LEXICON",
    "LEXICON_FILE",
    "Lexicon",
    "SEED_LEXICON",
    "SEED_LEXICON_FILE",
    "read_cues",
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
