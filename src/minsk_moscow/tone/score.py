"""The relation-tone score: cue sums weighted, optionally blended with VADER, squashed into [-1, 1]."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..parallel import map_chunks, n_jobs
from .model import load_tone_model
from .rules import _FEATURES, SEED_LEXICON, _features_and_notes, _sentence_list, cue_features

__all__ = ["DEFAULT_METHOD", "DEFAULT_TONE_PARAMS", "PARALLEL_CHUNK", "PARALLEL_MIN_SENTENCES", "SEED_TONE_PARAMS", "ToneParams",
           "relation_tone", "rule_scores", "tone_halves", "vader_compound"]

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


DEFAULT_TONE_PARAMS = ToneParams(material_weight=1.5)
"""The rules' parameters: what :func:`fit_tone_params` picks for the broad lexicon on the
development articles and the seed articles together (never the test articles); a test checks
that refitting still gives these values."""
SEED_TONE_PARAMS = ToneParams(material_weight=2.0)
"""The parameters shipped with the seed rules (fitted on the five seed articles)."""

_VADER = None

PARALLEL_MIN_SENTENCES = 20_000
"""Fewer sentences than this are always scored in this process (:func:`relation_tone`,
:func:`vader_compound`): a worker process needs a few seconds to start and load the lexicon and
the model, about what scoring 20,000 sentences takes. Above it, chunks of
:data:`PARALLEL_CHUNK` sentences go to ``$MINSK_MOSCOW_JOBS`` workers
(:func:`~minsk_moscow.parallel.map_chunks`); every sentence is scored on its own, so the
scores are the same as in one process."""
PARALLEL_CHUNK = 5_000
"""Sentences per task sent to a worker."""


def _chunked_parts(func: Callable[[list[str]], Any], sentences: list[str], *, jobs: int | None,
                   desc: str) -> list[tuple[int, Any]]:
    """``func`` over consecutive chunks of ``sentences``: ``(position of the chunk's first sentence, result)``
    per chunk, in order. In workers from :data:`PARALLEL_MIN_SENTENCES` on (chunks of
    :data:`PARALLEL_CHUNK`), else here in chunks of ``_CHUNK`` (memory stays flat); one call when the
    input is smaller than a chunk."""
    parallel = len(sentences) >= PARALLEL_MIN_SENTENCES and n_jobs(jobs) > 1
    size = PARALLEL_CHUNK if parallel else _CHUNK
    if len(sentences) <= size and not parallel:
        return [(0, func(sentences))]
    starts = range(0, len(sentences), size)
    chunks = [sentences[i : i + size] for i in starts]
    parts = map_chunks(func, chunks, jobs=jobs, chunk_size=1, desc=desc, min_parallel=0 if parallel else len(chunks) + 1)
    return list(zip(starts, parts))


def _chunked_scores(func: Callable[[list[str]], np.ndarray], sentences: list[str], *, jobs: int | None,
                    desc: str) -> np.ndarray:
    """:func:`_chunked_parts` of a scorer, the scores concatenated."""
    parts = [part for _, part in _chunked_parts(func, sentences, jobs=jobs, desc=desc)]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _vader_chunk(sentences: list[str]) -> np.ndarray:
    """VADER's compound score of each sentence, with this process's analyzer."""
    global _VADER
    if _VADER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _VADER = SentimentIntensityAnalyzer()
    return np.array([_VADER.polarity_scores(s)["compound"] for s in sentences], dtype=float)


def vader_compound(sentences: Iterable[str], *, jobs: int | None = None) -> np.ndarray:
    """VADER's compound score for each sentence (the general-purpose baseline).

    ``jobs``: worker processes for long inputs (see :data:`PARALLEL_MIN_SENTENCES`; same scores).

    >>> vader_compound(["Moscow and Minsk agreed.", "Threats and arrests."]).round(3).tolist()
    [0.273, -0.691]
    """
    sentences = list(sentences)
    if not sentences:
        return np.array([], dtype=float)
    return _chunked_scores(_vader_chunk, sentences, jobs=jobs, desc="VADER")


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


METHODS_FOR_SCORE = ("hybrid", "rules", "model", "rules_seed")
_CHUNK = 20_000
DEFAULT_METHOD = "hybrid"
"""The default scorer, chosen on the development articles alone (notebook 04): the mean of the
revised rules and the learned model."""


def rule_scores(sentences: Sequence[str], *, params: ToneParams = DEFAULT_TONE_PARAMS,
                features: pd.DataFrame | None = None) -> np.ndarray:
    """The revised rules' score alone: cue sums weighted and squashed as in :class:`ToneParams`."""
    features = cue_features(sentences) if features is None else features
    vader = vader_compound(sentences) if params.vader_weight else None
    return _squash(_raw(features, params, vader), params)


def relation_tone(
    sentences: Iterable[str], *, params: ToneParams = DEFAULT_TONE_PARAMS, method: str = DEFAULT_METHOD,
    jobs: int | None = None,
) -> np.ndarray:
    """Tone of Minsk-Moscow relations in each sentence, in [-1, 1].

    The default (``method="hybrid"``) is the mean of two scores:

    - the **rules**: cue sums from :func:`cue_features` over the broad lexicon
      (cooperation positive, conflict negative, with the negation, contrast, dominance,
      domestic and third-party rules of :func:`cue_hits`), weighted and squashed as in
      :class:`ToneParams`;
    - the **model**: ``P(+1) - P(-1)`` of the shipped logistic regression over word n-grams and
      the same cue features (:func:`~minsk_moscow.tone.model.load_tone_model`).

    ``method="rules"`` or ``"model"`` gives either alone; ``"rules_seed"`` the lexicon and rules
    as first shipped (written on the five seed articles, kept for comparison). Meant for
    relation sentences (:func:`find_relation_sentences`); VADER runs only when
    ``params.vader_weight`` is not zero.

    Parameters
    ----------
    sentences
        Any iterable of sentence strings (a single string is refused: wrap it in a list).
    params
        Weights of the rules; default :data:`DEFAULT_TONE_PARAMS`.
    method
        ``"hybrid"`` (default), ``"rules"``, ``"model"`` or ``"rules_seed"``.
    jobs
        Worker processes for long inputs (default ``$MINSK_MOSCOW_JOBS``, else every core):
        from :data:`PARALLEL_MIN_SENTENCES` sentences on, chunks are scored in workers; shorter
        inputs are scored here, in chunks of 20,000 so memory stays flat. Each sentence is scored
        on its own, so the scores never depend on the chunks or the workers.

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
    ...     "Putin and Lukashenko will meet in Sochi on Friday.",
    ... ]).round(2).tolist()
    [0.89, -0.76, -0.76, -0.0]
    """
    if isinstance(sentences, str):
        raise TypeError("relation_tone takes an iterable of sentences, not one string: use relation_tone([text])")
    sentences = list(sentences)
    bad = next((i for i, s in enumerate(sentences) if not isinstance(s, str)), None)
    if bad is not None:  # a missing text (NaN, None) must not be scored as the word "nan"
        raise TypeError(f"relation_tone: sentence {bad} is a {type(sentences[bad]).__name__} ({sentences[bad]!r}), "
                        "not text; drop or fill missing sentences first")
    if method not in METHODS_FOR_SCORE:
        raise ValueError(f"method must be one of {METHODS_FOR_SCORE}, not {method!r}")
    if not sentences:
        return np.zeros(0)
    work = functools.partial(_score_chunk, params=params, method=method)
    return _chunked_scores(work, sentences, jobs=jobs, desc="scoring tone")


def tone_halves(sentences: Sequence[str], *, params: ToneParams = DEFAULT_TONE_PARAMS,
                jobs: int | None = None) -> np.ndarray:
    """The two halves of the default score, ``(rules, model)`` per sentence, from one reading of each sentence.

    An ``(n, 2)`` array: column 0 is ``relation_tone(sentences, method="rules")``, column 1
    ``method="model"``, and their mean is exactly the default (hybrid) score. One pass costs what the
    default costs; asking for the three scores one by one reads every sentence three times.

    >>> halves = tone_halves(["Minsk arrested 33 Russians."])
    >>> bool(((halves[:, 0] + halves[:, 1]) / 2 == relation_tone(["Minsk arrested 33 Russians."])).all())
    True
    """
    sentences = _sentence_list(sentences, function="tone_halves")
    if not sentences:
        return np.zeros((0, 2))
    work = functools.partial(_halves_chunk, params=params)
    return _chunked_scores(work, sentences, jobs=jobs, desc="scoring tone")


def _halves_chunk(sentences: list[str], *, params: ToneParams) -> np.ndarray:
    return _halves_from(sentences, cue_features(sentences), params=params)


def _halves_from(sentences: list[str], features: pd.DataFrame, *, params: ToneParams) -> np.ndarray:
    """``(rules, model)`` scores of each sentence from its :func:`~minsk_moscow.tone.rules.cue_features`."""
    rules = rule_scores(sentences, params=params, features=features)
    return np.column_stack([rules, load_tone_model().scores(sentences, features=features)])


def _halves_and_notes(sentences: list[str], *, params: ToneParams = DEFAULT_TONE_PARAMS,
                      jobs: int | None = None) -> tuple[np.ndarray, list[str]]:
    """:func:`tone_halves` and each sentence's :func:`~minsk_moscow.tone.rules.cue_note`, from one reading of
    each sentence (the rules find the cues once for both)."""
    if not sentences:
        return np.zeros((0, 2)), []
    parts = [part for _, part in _chunked_parts(functools.partial(_halves_notes_chunk, params=params), sentences,
                                                jobs=jobs, desc="scoring tone")]
    return np.concatenate([halves for halves, _ in parts]), [note for _, notes in parts for note in notes]


def _halves_notes_chunk(sentences: list[str], *, params: ToneParams) -> tuple[np.ndarray, list[str]]:
    features, notes = _features_and_notes(sentences)
    return _halves_from(sentences, features, params=params), notes


def _score_chunk(sentences: list[str], *, params: ToneParams, method: str) -> np.ndarray:
    """The scores of :func:`relation_tone` for one chunk of sentences (run here or in a worker)."""
    if method == "rules_seed":
        return rule_scores(sentences, params=SEED_TONE_PARAMS, features=cue_features(sentences, lexicon=SEED_LEXICON))
    if method == "rules":
        return rule_scores(sentences, params=params)
    if method == "model":
        return load_tone_model().scores(sentences)
    halves = _halves_chunk(sentences, params=params)
    return (halves[:, 0] + halves[:, 1]) / 2
