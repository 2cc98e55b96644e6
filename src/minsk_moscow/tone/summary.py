"""Finder, attribution and score in one table, and mean tone per group with bootstrap intervals."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..notebook import SEED
from ..parallel import _chunk_size, map_chunks, n_jobs, release_memory
from .attribution import attribute_speakers
from .finder import find_relation_sentences
from . import score
from .score import DEFAULT_TONE_PARAMS, ToneParams, vader_compound

__all__ = ["BOOTSTRAP_MAX_VALUES", "bootstrap_mean_ci", "compare_by_period", "relation_table", "tone_summary"]

BOOTSTRAP_MAX_VALUES = 10_000
"""Most values :func:`bootstrap_mean_ci` resamples. A percentile bootstrap costs ``n_boot`` times
the values (2,000 x 400,000 draws for a month of a large corpus); for a mean of more than this
many values the bootstrap distribution is normal to well within its own resampling noise, so the
interval is the normal one, ``mean ± z * sd / sqrt(n)``. :func:`tone_summary` says which groups got
it (``attrs["interval_note"]``)."""
_BOOTSTRAP_BATCH = 2_000_000
"""Resampled values drawn at once (16 MB of indices and values)."""
PARALLEL_MIN_DRAWS = 100_000_000
"""From this many resampled values on (``n_boot`` times the values of the groups that are resampled),
:func:`tone_summary` resamples its groups in worker processes: about a second of work in one process
(a minute for the articles of a 100,000-article corpus)."""

# =========================================================================== pipeline
def relation_table(
    sentences: pd.DataFrame, *, params: ToneParams = DEFAULT_TONE_PARAMS, vader: bool = False, jobs: int | None = None
) -> pd.DataFrame:
    """Finder, attribution and score in one table (any corpus's sentence table).

    Adds ``sides``, ``context_sides``, ``is_relation``, ``speaker_side``, ``tone`` (the default
    score, :func:`~minsk_moscow.tone.relation_tone`), its two halves ``tone_rules`` and
    ``tone_model`` (:func:`~minsk_moscow.tone.tone_halves`; ``tone`` is their mean), ``cues`` (what the
    rules found, :func:`~minsk_moscow.tone.cue_note`: ``""`` when nothing), all four missing for
    sentences that are not relation sentences, and, with ``vader=True``, ``vader``.

    From :data:`~minsk_moscow.tone.score.PARALLEL_MIN_SENTENCES` sentences on, whole articles
    go to ``jobs`` worker processes in chunks of about
    :data:`~minsk_moscow.tone.score.PARALLEL_CHUNK` sentences (default ``$MINSK_MOSCOW_JOBS``):
    the finder and the attribution look back only within an article, so the table is the same
    as in one process. (A table whose articles' sentences are not contiguous is done in one process.)
    The workers send back only the columns they add; the others are those of ``sentences``
    (shared with it, not copied, until either is changed).
    """
    bounds = _article_chunks(sentences, size=score.PARALLEL_CHUNK)
    if len(sentences) < score.PARALLEL_MIN_SENTENCES or n_jobs(jobs) == 1 or len(bounds) < 3:
        return _relation_part(sentences, params=params, vader=vader, jobs=jobs)
    chunks = [sentences.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    work = functools.partial(_added_columns, params=params, vader=vader)
    parts = map_chunks(work, chunks, jobs=jobs, chunk_size=1, desc="relation sentences", min_parallel=0)
    del chunks
    added = pd.concat(parts, ignore_index=True)
    del parts
    table = sentences.copy(deep=False)
    for name in added.columns:  # in the order _relation_part adds them; a column it replaces keeps its place
        table[name] = added[name].array
    del added
    release_memory(items=len(table))
    return table


_ADDED_COLUMNS = frozenset({"sides", "context_sides", "is_relation", "speaker_side", "tone", "tone_rules",
                            "tone_model", "cues", "vader"})
"""The columns :func:`_relation_part` writes (also when the sentence table already has one of them)."""


def _added_columns(sentences: pd.DataFrame, *, params: ToneParams, vader: bool) -> pd.DataFrame:
    """The columns :func:`_relation_part` adds to some whole articles, in its order (run in a worker)."""
    table = _relation_part(sentences, params=params, vader=vader, jobs=1)
    return table[[name for name in table.columns if name in _ADDED_COLUMNS or name not in sentences.columns]]


def _relation_part(sentences: pd.DataFrame, *, params: ToneParams, vader: bool, jobs: int | None) -> pd.DataFrame:
    """:func:`relation_table` of some whole articles (here, or in a worker with ``jobs=1``)."""
    table = attribute_speakers(find_relation_sentences(sentences))
    found = table["is_relation"].to_numpy(dtype=bool)
    texts = table.loc[found, "text"].tolist()
    halves, notes = score._halves_and_notes(texts, params=params, jobs=jobs)  # relation sentences only
    for column, values in (("tone", (halves[:, 0] + halves[:, 1]) / 2), ("tone_rules", halves[:, 0]),
                           ("tone_model", halves[:, 1])):
        table[column] = np.nan
        table.loc[found, column] = values
    cues = np.full(len(table), None, dtype=object)
    cues[found] = notes
    table["cues"] = pd.Series(cues, index=table.index, dtype="str")
    if vader:
        table["vader"] = np.nan
        table.loc[found, "vader"] = vader_compound(texts, jobs=jobs)
    return table


def _article_chunks(sentences: pd.DataFrame, *, size: int) -> list[int]:
    """Row positions cutting ``sentences`` into runs of whole articles of about ``size`` rows each.

    ``[0, n]`` (one chunk) when an article's rows are not contiguous or there is no ``article_id``.
    """
    n = len(sentences)
    if "article_id" not in sentences or n == 0:
        return [0, n]
    ids = sentences["article_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    if len(starts) != sentences["article_id"].nunique(dropna=False):
        return [0, n]
    bounds, last = [0], 0
    for start in starts[1:]:
        if start - last >= size:
            bounds.append(int(start))
            last = int(start)
    bounds.append(n)
    return bounds


# =========================================================================== uncertainty
def bootstrap_mean_ci(
    values: Sequence[float], *, n_boot: int = 2000, level: float = 0.95, seed: int = SEED
) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval of the mean (resampling the values).

    Deterministic for a given ``seed``. One value gives a zero-width interval; none gives NaNs.
    Resamples are drawn in batches (the same random stream as all at once), so memory stays
    bounded. Above :data:`BOOTSTRAP_MAX_VALUES` values the interval is the normal one the
    bootstrap converges to, ``mean ± z * sd / sqrt(n)`` (``sd`` of the values as the bootstrap
    resamples them, ``ddof=0``): its cost no longer grows with ``n_boot`` times the values.

    >>> bootstrap_mean_ci([1.0, 0.0, 1.0, 1.0, -1.0], seed=1)
    (0.4, -0.4, 1.0)
    """
    x = np.asarray(list(values), dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (float("nan"),) * 3
    if len(x) == 1:
        return (float(x[0]),) * 3
    n = len(x)
    if n > BOOTSTRAP_MAX_VALUES:  # the bootstrap distribution of a mean of this many values is normal
        half = NormalDist().inv_cdf(1 - (1 - level) / 2) * float(x.std()) / math.sqrt(n)
        mean = float(x.mean())
        return round(mean, 12), round(mean - half, 12), round(mean + half, 12)
    rng = np.random.default_rng(seed)
    batch = max(1, _BOOTSTRAP_BATCH // n)  # resamples drawn a batch at a time: the same stream, bounded memory
    means = np.concatenate([x[rng.integers(0, n, size=(min(batch, n_boot - start), n))].mean(axis=1)
                            for start in range(0, n_boot, batch)])
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
    jobs: int | None = None,
) -> pd.DataFrame:
    """Mean tone per group with a bootstrap interval over the group's sentences.

    ``by`` is a column (``"article_id"``, ``"speaker_side"``, ``"outlet"``...), the ``date``
    column itself (a group per date), or ``"month"`` or ``"quarter"`` (calendar periods of
    ``date``). Rows with a NaN ``value`` (non-relation
    sentences) are left out. Each group is resampled with its own seed derived from ``seed``, so
    from :data:`PARALLEL_MIN_DRAWS` resampled values on (a large corpus) the groups go to ``jobs``
    worker processes (default ``$MINSK_MOSCOW_JOBS``) with the same result.

    Returns columns ``by, date, n, mean, lo, hi`` (``date``: the group's first date, or the
    15th of the month, or the middle of the quarter), sorted by date; grouped by ``date``
    itself, the columns are ``date, n, mean, lo, hi``. ``attrs["interval_note"]``
    names the groups too large to resample (:data:`BOOTSTRAP_MAX_VALUES`), ``""`` when there are none.

    >>> t = pd.DataFrame({"article_id": ["x", "x", "y"], "tone": [0.5, -0.5, 1.0],
    ...                   "date": pd.to_datetime(["2020-01-05", "2020-01-05", "2020-05-01"])})
    >>> tone_summary(t)[["article_id", "n", "mean", "lo", "hi"]].values.tolist()
    [['x', 2, 0.0, -0.5, 0.5], ['y', 1, 1.0, 1.0, 1.0]]
    """
    data = table.dropna(subset=[value]).copy()
    periods = {"month": "M", "quarter": "Q"}
    if by in periods:
        data[by] = data[date].dt.to_period(periods[by])
    groups = data.groupby(by, sort=True)
    codes = groups.ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")  # each group's rows in table order, groups one after another
    bounds = np.searchsorted(codes[order], np.arange(groups.ngroups + 1))
    values = data[value].to_numpy(dtype=float)
    keys = groups.size().index
    samples = [(values[order[bounds[i] : bounds[i + 1]]], seed + i) for i in range(len(keys))]
    sizes = np.diff(bounds)
    draws = n_boot * int(sizes[sizes <= BOOTSTRAP_MAX_VALUES].sum())  # larger groups are not resampled
    intervals = map_chunks(functools.partial(_interval, n_boot=n_boot, level=level), samples, jobs=jobs,
                           chunk_size=_chunk_size(len(samples), jobs=jobs), desc="bootstrap intervals",
                           min_parallel=0 if draws >= PARALLEL_MIN_DRAWS else len(samples) + 1)
    if by in periods:
        labels = [str(key) for key in keys]
        when = [key.start_time + pd.Timedelta(days={"month": 14, "quarter": 45}[by]) for key in keys]
    else:
        labels, when = list(keys), groups[date].min().tolist()  # the first date of each group (NaT skipped)
    rows = [{by: label, "date": first, "n": int(n), "mean": mean, "lo": lo, "hi": hi}
            for label, first, n, (mean, lo, hi) in zip(labels, when, sizes, intervals)]
    columns = list(dict.fromkeys([by, "date", "n", "mean", "lo", "hi"]))  # by="date": the date once
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(list(dict.fromkeys(["date", by]))).reset_index(drop=True)
    large = int((out["n"] > BOOTSTRAP_MAX_VALUES).sum())
    out.attrs["interval_note"] = (
        f"{large} of {len(out)} groups hold over {BOOTSTRAP_MAX_VALUES:,} sentences: their interval is the normal "
        "approximation of the bootstrap (mean ± z·sd/√n)" if large else ""
    )
    return out


def _interval(sample: tuple[np.ndarray, int], *, n_boot: int, level: float) -> tuple[float, float, float]:
    """:func:`bootstrap_mean_ci` of one group's ``(values, seed)`` (picklable, for the workers)."""
    values, seed = sample
    return bootstrap_mean_ci(values, n_boot=n_boot, level=level, seed=seed)


def compare_by_period(
    table: pd.DataFrame, *, by: str = "quarter", a: str = "hand", b: str = "score", date: str = "date", seed: int = SEED
) -> pd.DataFrame:
    """Two columns' means per period side by side (e.g. hand labels and a score), each with its interval.

    Columns: ``by``, ``date``, ``articles`` and ``n`` (sentences) behind each period, then ``mean``, ``lo``
    and ``hi`` of ``a`` and of ``b`` with the column name as suffix (``mean_hand``, ``lo_score``...), from
    :func:`tone_summary`.

    >>> t = pd.DataFrame({"article_id": ["x", "x", "y"], "date": pd.to_datetime(["2020-01-05", "2020-02-01", "2020-05-01"]),
    ...                   "hand": [1.0, -1.0, 1.0], "score": [0.5, -0.2, 0.9]})
    >>> compare_by_period(t)[["quarter", "articles", "n", "mean_hand", "mean_score"]].values.tolist()
    [['2020Q1', 1, 2, 0.0, 0.15], ['2020Q2', 1, 1, 1.0, 0.9]]
    """
    left = tone_summary(table, by=by, value=a, date=date, seed=seed)
    right = tone_summary(table, by=by, value=b, date=date, seed=seed)
    out = left.merge(right, on=[by, "date", "n"], suffixes=(f"_{a}", f"_{b}"))
    periods = {"quarter": "Q", "month": "M"}
    keys = table[date].dt.to_period(periods[by]).astype(str) if by in periods else table[by]
    out.insert(2, "articles", out[by].map(table.groupby(keys)["article_id"].nunique()).astype(int))
    return out
