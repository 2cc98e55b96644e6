"""Tone of Minsk-Moscow relations, sentence by sentence, and its validation.

A subpackage with one module per part; everything public is importable from here and from
``minsk_moscow``.

*Tone* here is how a sentence depicts relations **between the Belarusian and the Russian
state** (leaders, governments, security services, the Union State): positive for cooperation,
agreement, support, aid, integration, alignment, joint action; negative for friction:
disputes, accusations, pressure, threats, refusals, arrests of the other side's citizens,
resistance to integration; zero when the sentence says nothing either way. It is not the
writer's mood: a crackdown on Belarusian protesters is not Minsk-Moscow conflict, and joint
drills or weapons purchases are cooperation although their words sound hostile. The full
definition, with edge cases, is the labelling guide ``validation/GUIDE.md``.

- :mod:`.finder`: which sentences concern the relation (:func:`find_relation_sentences`).
- :mod:`.attribution`: whose words a sentence reports (:func:`attribute_speakers`).
- :mod:`.lexicon`: the cue lexicon as an editable CSV (``tone/data/cues.csv``: pattern,
  CAMEO-style class and code, note, example), compiled by :class:`Lexicon`.
- :mod:`.rules`: negation, contrast, dominance, domestic and third-party rules over the cues
  (:func:`cue_hits` shows every cue and what the rules did with it; :func:`cue_features`).
- :mod:`.model`: logistic regression over word n-grams and cue features, shipped as
  ``tone/data/tone_model.json`` and rebuilt by ``make model`` (:func:`load_tone_model`).
- :mod:`.score`: :func:`relation_tone`, by default the mean of the rules and the model.
- :mod:`.devset`: the out-of-sample validation set (``validation/``), its frozen test split
  and the guard that keeps test sentences out of every fit (:func:`refuse_test_rows`).
- :mod:`.validation`: agreement with hand labels, fitting the rules' weights.
- :mod:`.compare`: the methods compared by grouped and forward-in-time validation.
- :mod:`.labels`, :mod:`.summary`, :mod:`.plots`: the seed labels and events, per-group
  summaries with bootstrap intervals, figures.

Examples
--------
>>> relation_tone([
...     "Lukashenko said he hoped to buy a large shipment of weapons, including S-400s.",
...     "The Belarussian leader refused to sign any agreements on closer integration.",
...     "Nearly 7,000 people were arrested during the crackdown.",
... ]).round(3).tolist()
[0.718, -0.846, 0.062]
"""

from __future__ import annotations

from .finder import (
    RELATION_ACTORS,
    RELATION_PHRASES,
    actor_sides,
    find_relation_sentences,
)
from .attribution import (
    NON_STATE_SPEAKERS,
    attribute_speakers,
)
from .lexicon import (
    CUE_CLASSES,
    Cue,
    LEXICON_FILE,
    Lexicon,
    NEGATORS,
    RESISTERS,
    REVISED_NEGATORS,
    REVISED_RESISTERS,
    SEED_LEXICON_FILE,
    read_cues,
)
from .rules import (
    CONFLICT_CUES,
    COOPERATION_CUES,
    DEFAULT_LEXICON,
    SEED_LEXICON,
    cue_features,
    cue_hits,
    cue_note,
)
from .score import (
    DEFAULT_METHOD,
    DEFAULT_TONE_PARAMS,
    SEED_TONE_PARAMS,
    ToneParams,
    relation_tone,
    rule_scores,
    tone_halves,
    vader_compound,
)
from .model import (
    MODEL_FILE,
    MODEL_SETTINGS,
    ToneModel,
    build_model,
    load_tone_model,
    model_tokens,
    train_tone_model,
    training_table,
)
from .devset import (
    TestSplitError,
    annotator_agreement,
    development_sets,
    load_second_annotator,
    load_validation_set,
    make_test_split,
    refuse_test_rows,
    seed_relation_labels,
)
from .validation import (
    RULE_GRID,
    agreement,
    confusion_table,
    fit_tone_params,
    loao_scores,
    sign_of,
    spearman_rho,
)
from .compare import (
    CANDIDATES,
    METHODS,
    choose_method,
    cross_validate,
    fit_method,
    forward_validate,
    method_agreement,
    score_test_split,
    score_with,
    sign_errors,
)
from .labels import (
    join_tone_labels,
    load_events,
    load_tone_labels,
)
from .summary import (
    bootstrap_mean_ci,
    compare_by_period,
    relation_table,
    tone_summary,
)
from .plots import (
    plot_agreement,
    plot_long_run,
    plot_tone_by_group,
    plot_tone_over_time,
)

__all__ = [
    "RELATION_ACTORS",
    "RELATION_PHRASES",
    "actor_sides",
    "find_relation_sentences",
    "NON_STATE_SPEAKERS",
    "attribute_speakers",
    "CUE_CLASSES",
    "Cue",
    "Lexicon",
    "LEXICON_FILE",
    "NEGATORS",
    "RESISTERS",
    "REVISED_NEGATORS",
    "REVISED_RESISTERS",
    "SEED_LEXICON_FILE",
    "read_cues",
    "CONFLICT_CUES",
    "COOPERATION_CUES",
    "DEFAULT_LEXICON",
    "SEED_LEXICON",
    "cue_features",
    "cue_hits",
    "cue_note",
    "DEFAULT_METHOD",
    "DEFAULT_TONE_PARAMS",
    "SEED_TONE_PARAMS",
    "ToneParams",
    "relation_tone",
    "rule_scores",
    "tone_halves",
    "vader_compound",
    "MODEL_FILE",
    "MODEL_SETTINGS",
    "ToneModel",
    "build_model",
    "load_tone_model",
    "model_tokens",
    "train_tone_model",
    "training_table",
    "TestSplitError",
    "annotator_agreement",
    "development_sets",
    "load_validation_set",
    "load_second_annotator",
    "make_test_split",
    "refuse_test_rows",
    "seed_relation_labels",
    "RULE_GRID",
    "spearman_rho",
    "agreement",
    "confusion_table",
    "fit_tone_params",
    "loao_scores",
    "sign_of",
    "CANDIDATES",
    "METHODS",
    "choose_method",
    "cross_validate",
    "fit_method",
    "forward_validate",
    "method_agreement",
    "score_test_split",
    "score_with",
    "sign_errors",
    "join_tone_labels",
    "load_events",
    "load_tone_labels",
    "bootstrap_mean_ci",
    "compare_by_period",
    "relation_table",
    "tone_summary",
    "plot_agreement",
    "plot_long_run",
    "plot_tone_by_group",
    "plot_tone_over_time",
]
