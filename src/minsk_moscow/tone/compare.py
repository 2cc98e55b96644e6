"""Compare tone methods honestly: grouped cross-validation, forward-in-time validation, one test.

Every method is a pair of steps: *fit* on labelled training sentences (development articles
and the seed articles, never the frozen test split) and *score* other sentences. The methods:

- ``rules_seed``: the cue lexicon and rules as first shipped (written on the seeds; fixed
  parameters, nothing fitted);
- ``rules``: the revised rules with the broad lexicon (``tone/data/cues.csv``), their five
  weights (:class:`~minsk_moscow.tone.score.ToneParams`) fitted on the training sentences;
- ``ngrams``: logistic regression over word n-grams alone;
- ``model``: logistic regression over word n-grams and the revised rules' cue features
  (:func:`~minsk_moscow.tone.model.train_tone_model`);
- ``hybrid``: the mean of ``rules`` and ``model``: half the readable rules, half the learned model;
- ``vader``: VADER's compound score (nothing fitted);
- ``always_cooperation``: +1 for every sentence (the majority baseline).

:func:`cross_validate` holds out whole development articles (``k`` folds, articles dealt to
folds in date order); :func:`forward_validate` trains on everything dated before each year and
scores that year's development articles; :func:`method_agreement` summarises any set of scores
with sentence- and article-level agreement and intervals from a bootstrap over articles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..notebook import SEED
from .model import MODEL_SETTINGS, train_tone_model
from .rules import cue_features
from .score import relation_tone, rule_scores, vader_compound
from .validation import RULE_GRID, agreement, fit_tone_params, sign_of

__all__ = ["CANDIDATES", "METHODS", "choose_method", "cross_validate", "fit_method", "forward_validate",
           "method_agreement", "score_test_split", "score_with", "sign_errors"]

METHODS: tuple[str, ...] = ("rules_seed", "rules", "ngrams", "model", "hybrid", "vader", "always_cooperation")
"""The methods compared, in the order tables show them."""

_C = MODEL_SETTINGS["C"]


def fit_method(name: str, train: pd.DataFrame, *, C: float = _C) -> Callable[[Sequence[str]], np.ndarray]:
    """Fit method ``name`` on ``train`` (columns ``text``, ``tone``, ``ambiguous``); return a scorer."""
    if name == "rules_seed":  # nothing fitted: the seed rules as shipped
        return lambda texts: relation_tone(texts, method="rules_seed")
    if name == "rules":
        texts = train["text"].tolist()
        params = fit_tone_params(cue_features(texts), train["tone"], texts=texts, ambiguous=train["ambiguous"],
                                 grid=RULE_GRID)
        return lambda t: rule_scores(list(t), params=params)
    if name in ("ngrams", "model"):
        return train_tone_model(train, **{**MODEL_SETTINGS, "C": C, "dense": name == "model"}).scores
    if name == "hybrid":
        rules, model = fit_method("rules", train, C=C), fit_method("model", train, C=C)
        return lambda texts: (rules(texts) + model(texts)) / 2
    if name == "vader":
        return vader_compound
    if name == "always_cooperation":
        return lambda texts: np.ones(len(list(texts)))
    raise ValueError(f"unknown method {name!r}; choose from {METHODS}")


def score_with(name: str, train: pd.DataFrame, texts: Sequence[str], *, C: float = _C) -> np.ndarray:
    """Fit ``name`` on ``train`` and score ``texts``."""
    return np.asarray(fit_method(name, train, C=C)(list(texts)), dtype=float)


def _folds(table: pd.DataFrame, k: int) -> pd.Series:
    order = table.groupby("article_id")["date"].min().sort_values(kind="stable")
    fold_of = {a: i % k for i, a in enumerate(order.index)}
    return table["article_id"].map(fold_of)


def cross_validate(
    dev: pd.DataFrame,
    *,
    methods: Sequence[str] = METHODS,
    k: int = 5,
    extra_train: pd.DataFrame | None = None,
    C: float = _C,
) -> pd.DataFrame:
    """Held-out scores of each method on the development articles, ``k`` folds by article.

    ``extra_train`` (e.g. the seed labels) is added to every fold's training data and never
    scored. Returns ``dev`` with a ``fold`` column and one score column per method.
    """
    out = dev.copy()
    out["fold"] = _folds(dev, k)
    for name in methods:
        out[name] = np.nan
    for f in range(k):
        held = out["fold"] == f
        train = pd.concat([dev[~held], extra_train], ignore_index=True) if extra_train is not None else dev[~held]
        for name in methods:
            out.loc[held, name] = score_with(name, train, dev.loc[held, "text"].tolist(), C=C)
    return out


def forward_validate(
    dev: pd.DataFrame,
    *,
    methods: Sequence[str] = METHODS,
    extra_train: pd.DataFrame | None = None,
    first_year: int | None = None,
    C: float = _C,
) -> pd.DataFrame:
    """Scores of each development year by methods fitted only on earlier articles.

    For each year from ``first_year`` (default: the second year of ``dev``), training uses the
    development and ``extra_train`` sentences dated before 1 January of that year. Returns the
    scored rows with a ``trained_before`` column (the year) and one score column per method.
    """
    years = sorted(dev["date"].dt.year.unique())
    first_year = first_year or years[1]
    pool = pd.concat([dev, extra_train], ignore_index=True) if extra_train is not None else dev
    parts = []
    for year in (y for y in years if y >= first_year):
        train = pool[pool["date"].dt.year < year]
        part = dev[dev["date"].dt.year == year].copy()
        part["trained_before"] = year
        for name in methods:
            part[name] = score_with(name, train, part["text"].tolist(), C=C)
        parts.append(part)
    return pd.concat(parts)


def _metrics(table: pd.DataFrame, score: str, label: str, band: float) -> dict[str, float]:
    sent = agreement(table[label], table[score], ambiguous=table["ambiguous"], band=band)
    by_article = table.groupby("article_id").agg(hand=(label, "mean"), score=(score, "mean"))
    art = agreement(by_article["hand"], by_article["score"])
    friction, cooperation = _recalls(table[label].to_numpy(dtype=float), table[score].to_numpy(dtype=float),
                                     table["ambiguous"].to_numpy(dtype=bool), band)
    return {"spearman": sent["spearman"], "spearman_clear": sent["spearman_clear"], "sign_accuracy": sent["sign_accuracy"],
            "friction_recall": round(friction, 3), "balanced_accuracy": round((friction + cooperation) / 2, 3),
            "article_spearman": art["spearman"], "n": sent["n"], "n_clear": sent["n_clear"], "n_signed": sent["n_signed"],
            "articles": len(by_article)}


def _recalls(y: np.ndarray, s: np.ndarray, amb: np.ndarray, band: float) -> tuple[float, float]:
    """Share of clear friction (-1) and of clear cooperation (+1) labels whose score has their sign."""
    sign = sign_of(s, band=band)
    out = []
    for cls in (-1, 1):
        mask = (y == cls) & ~amb
        out.append(float(np.mean(sign[mask] == cls)) if mask.any() else np.nan)
    return out[0], out[1]


def method_agreement(
    table: pd.DataFrame,
    methods: Sequence[str],
    *,
    label: str = "tone",
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.DataFrame:
    """Agreement of each method's score column with the hand labels, with article-bootstrap intervals.

    Sentence-level Spearman (all sentences, and the clear, non-ambiguous ones); sign accuracy on the
    clear non-zero labels (VADER's sign read with its usual ±0.05 neutral band); friction recall (the
    share of clear -1 labels scored negative, which "always cooperation" never gets) and balanced
    accuracy (the mean of the friction and the cooperation recall: 0.5 for any constant answer); and
    article-level Spearman (mean score against mean hand label per article). Intervals: percentile bootstrap resampling whole articles, the same
    resamples for every method, so differences between methods are compared on equal terms.
    """
    rng = np.random.default_rng(seed)
    codes, articles = pd.factorize(table["article_id"])
    rows_of = [np.flatnonzero(codes == a) for a in range(len(articles))]
    draws = [rng.integers(0, len(articles), size=len(articles)) for _ in range(n_boot)]
    y = table[label].to_numpy(dtype=float)
    amb = table["ambiguous"].to_numpy(dtype=bool)
    scores = table[list(methods)].to_numpy(dtype=float).reshape(len(table), len(methods))
    bands = np.array([0.05 if name == "vader" else 0.0 for name in methods])
    metrics = ("spearman", "spearman_clear", "sign_accuracy", "friction_recall", "balanced_accuracy", "article_spearman")
    boots = {key: np.full((n_boot, len(methods)), np.nan) for key in metrics}
    # Each resample: the rows of the drawn articles (every method is scored on the same rows at once).
    for b, draw in enumerate(draws):
        sizes = np.array([len(rows_of[a]) for a in draw])
        idx = np.concatenate([rows_of[a] for a in draw])
        ys, ss, ambs = y[idx], scores[idx], amb[idx]
        sign = np.where(ss > bands, 1, np.where(ss < -bands, -1, 0))
        boots["spearman"][b] = _spearman_columns(ys, ss)
        boots["spearman_clear"][b] = _spearman_columns(ys[~ambs], ss[~ambs])
        signed = (ys != 0) & ~ambs
        if signed.any():
            boots["sign_accuracy"][b] = np.mean(sign[signed] == ys[signed, None], axis=0)
        recall = []
        for cls in (-1, 1):
            mask = (ys == cls) & ~ambs
            recall.append(np.mean(sign[mask] == cls, axis=0) if mask.any() else np.full(len(methods), np.nan))
        boots["friction_recall"][b] = recall[0]
        boots["balanced_accuracy"][b] = (recall[0] + recall[1]) / 2
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        boots["article_spearman"][b] = _spearman_columns(np.add.reduceat(ys, starts) / sizes,
                                                         np.add.reduceat(ss, starts, axis=0) / sizes[:, None])
    rows = []
    q = [(1 - level) / 2, 1 - (1 - level) / 2]
    for j, name in enumerate(methods):
        band = 0.05 if name == "vader" else 0.0
        row = {"method": name, **_metrics(table, name, label, band)}
        for key in metrics:
            v = boots[key][:, j]
            v = v[~np.isnan(v)]
            lo, hi = np.quantile(v, q) if len(v) else (np.nan, np.nan)
            row[f"{key}_lo"], row[f"{key}_hi"] = round(float(lo), 3), round(float(hi), 3)
        rows.append(row)
    cols = ["method", "n", "n_clear", "n_signed", "articles", *(f"{m}{s}" for m in metrics for s in ("", "_lo", "_hi"))]
    return pd.DataFrame(rows)[cols].set_index("method")


def _spearman_columns(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`spearman_rho` of ``a`` with each column of ``b`` (NaN where a side is constant)."""
    from scipy.stats import rankdata
    out = np.full(b.shape[1], np.nan)
    if len(a) < 3 or np.ptp(a) == 0:
        return out
    varied = np.ptp(b, axis=0) > 0
    if not varied.any():
        return out
    ra = rankdata(a)
    rb = rankdata(b[:, varied], axis=0)
    ra, rb = ra - ra.mean(), rb - rb.mean(axis=0)
    out[varied] = np.clip((ra @ rb) / np.sqrt((ra @ ra) * (rb * rb).sum(axis=0)), -1.0, 1.0)
    return out


def sign_errors(table: pd.DataFrame, method: str, *, label: str = "tone") -> pd.DataFrame:
    """Clear labels (non-zero, non-ambiguous) whose score has the wrong sign or is 0."""
    clear = (table[label] != 0) & (table["ambiguous"] == 0)
    wrong = clear & (sign_of(table[method]) != table[label])
    return table[wrong]


def score_test_split(test: pd.DataFrame, train: pd.DataFrame, *, methods: Sequence[str] = METHODS) -> pd.DataFrame:
    """Each method fitted on ``train`` (development and seed articles) and scored on the test split.

    Fitted on the same data as the shipped defaults, so the ``hybrid`` column equals
    ``relation_tone(test["text"])``.
    """
    out = test.copy()
    for name in methods:
        out[name] = score_with(name, train, test["text"].tolist())
    return out


CANDIDATES: tuple[str, ...] = ("rules", "ngrams", "model", "hybrid")
"""The methods the default is chosen from (the seed rules, VADER and the majority baseline are
benchmarks, not candidates)."""


def choose_method(*results: pd.DataFrame, candidates: Sequence[str] = CANDIDATES) -> pd.Series:
    """Rank candidate methods on development results: the mean over ``results`` (e.g. the
    cross-validation and the forward-in-time tables of :func:`method_agreement`) of the mean of
    Spearman's rho (all sentences) and sign accuracy. Best first; the default is the first."""
    value = sum(r.loc[list(candidates), ["spearman", "sign_accuracy"]].mean(axis=1) for r in results) / len(results)
    return value.sort_values(ascending=False, kind="stable").round(3).rename("development criterion")
