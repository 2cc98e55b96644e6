"""Agreement of a score with hand labels, fitting the score's parameters, and leave-one-group-out scores."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, fields, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from .devset import refuse_test_rows
from .rules import DEFAULT_LEXICON, Lexicon, cue_features
from .score import ToneParams, _raw, _squash, vader_compound

__all__ = ["RULE_GRID", "spearman_rho", "agreement", "confusion_table", "fit_tone_params", "loao_scores", "sign_of"]

# =========================================================================== validation
def sign_of(scores: Iterable[float], *, band: float = 0.0) -> np.ndarray:
    """-1, 0 or +1 per score: 0 inside ``[-band, band]``.

    >>> sign_of([-0.3, 0.02, 0.5], band=0.05).tolist()
    [-1, 0, 1]
    """
    x = np.asarray(list(scores), dtype=float)
    return np.where(x > band, 1, np.where(x < -band, -1, 0))


def spearman_rho(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho (average ranks for ties); NaN with fewer than 3 values or a constant side.

    >>> round(spearman_rho(np.array([1, 2, 3, 4]), np.array([1, 3, 2, 4])), 3)
    0.8
    """
    from scipy.stats import rankdata
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(np.corrcoef(rankdata(a), rankdata(b))[0, 1])


def agreement(
    labels: Sequence[int],
    scores: Sequence[float],
    *,
    ambiguous: Sequence[bool] | None = None,
    band: float = 0.0,
) -> dict[str, float]:
    """Agreement of a score with hand labels (-1/0/+1).

    Returns ``n`` and ``spearman`` over all the sentences given; ``n_clear`` and
    ``spearman_clear`` over the non-ambiguous ones (all three labels); ``n_signed`` and
    ``spearman_signed`` over the non-zero, non-ambiguous labels; ``sign_accuracy``: the share
    of those whose score has the label's sign (a score within ``band`` of 0 counts as wrong).

    >>> agreement([1, -1, 1, 0], [0.5, -0.2, -0.1, 0.0])
    {'n': 4, 'spearman': 0.632, 'n_clear': 4, 'spearman_clear': 0.632, 'n_signed': 3, 'spearman_signed': 0.866, 'sign_accuracy': 0.667}
    """
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    amb = np.zeros(len(y), bool) if ambiguous is None else np.asarray(ambiguous, dtype=bool)
    signed = (y != 0) & ~amb

    def rho(a: np.ndarray, b: np.ndarray) -> float:
        return round(spearman_rho(a, b), 3)

    acc = float(np.mean(sign_of(s[signed], band=band) == y[signed])) if signed.any() else float("nan")
    return {
        "n": int(len(y)),
        "spearman": rho(y, s),
        "n_clear": int((~amb).sum()),
        "spearman_clear": rho(y[~amb], s[~amb]),
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


RULE_GRID: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {"material_weight": (1.0, 1.5, 2.0), "contrast_weight": (0.0, 0.25, 0.5), "vader_weight": (0.0,),
     "neutral_band": (0.0, 0.25, 0.5)}
)
"""The grid the revised rules' parameters are fitted on (no VADER): see :data:`DEFAULT_TONE_PARAMS`."""

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
    texts: Sequence[str],
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
    Without ``vader``, VADER weights other than 0 are skipped. ``texts`` are the sentences the
    features come from: a sentence of the frozen test split is refused
    (:func:`~minsk_moscow.tone.devset.refuse_test_rows`).

    >>> texts = ["Putin promised aid.", "Minsk refused to sign.", "Talks went on."]
    >>> fit_tone_params(cue_features(texts), [1, -1, 1], texts=texts).scale
    0.5
    """
    refuse_test_rows(texts)
    if not len(texts) == len(features) == len(labels):
        raise ValueError(f"features, labels and texts differ in length: {len(features)}, {len(labels)}, {len(texts)}")
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
    lexicon: Lexicon = DEFAULT_LEXICON,
) -> pd.DataFrame:
    """Leave-one-group-out scores: each group scored with parameters fitted on the others.

    Parameters
    ----------
    table
        Labelled sentences with ``group``, ``label``, ``ambiguous`` and ``text`` columns.
    with_vader
        Let the fit blend in VADER (and report ``vader`` beside the score).
    lexicon
        The cue lexicon (default the broad one; :data:`SEED_LEXICON` for the rules as first shipped).

    Returns
    -------
    pandas.DataFrame
        Same index as ``table``: ``score`` (held-out), ``vader`` (compound, if asked) and the
        parameters fitted for that fold (one column per :class:`ToneParams` field).
    """
    features = cue_features(table[text], lexicon=lexicon).set_index(table.index)
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
            texts=table.loc[train, text].tolist(),
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


