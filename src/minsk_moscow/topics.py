"""Topic clustering of short text units: units, TF-IDF, NMF and k-means on LSA, choosing k.

A handful of articles is too few to cluster as documents, so the unit of analysis is a
stretch of text inside an article. :func:`make_units` builds three kinds:

- ``"paragraph"``: the paragraphs as the cleaner found them;
- ``"window"``: non-overlapping windows of ``window`` consecutive sentences of an article;
- ``"capped"`` (default): paragraphs, except that a paragraph longer than ``max_tokens``
  content tokens is cut at sentence boundaries into the fewest near-equal parts that fit,
  and a paragraph shorter than ``min_tokens`` is joined to the next one of its article.
  This keeps the authors' paragraphs where they exist and evens out a text whose paragraph
  breaks were lost (a line-wrapped repost otherwise becomes a few giant "paragraphs").

:func:`vectorize_units` turns units into a TF-IDF matrix with the project tokenizer;
:func:`fit_nmf` (topics as non-negative factors) and :func:`fit_lsa_kmeans` (clusters of
LSA vectors) return a :class:`TopicFit` holding tidy tables (``topic_terms``,
``article_topics``, and ``unit_topics`` built when read) and each unit's topic weights as a
matrix. :func:`sweep_k` scores every ``(method, k, seed)`` with silhouette, UMass and NPMI
coherence (:func:`topic_coherence`, computed from unit co-occurrence) and stability across
seeds (adjusted Rand index of the unit labels and cosine similarity of topics matched
one-to-one, :func:`match_topics`).

Safeguards for tiny corpora: :func:`check_k` raises when there are fewer than
``min_units_per_topic`` (default 3) units per requested topic, and :func:`vectorize_units`
raises when ``min_df``/``max_df`` leave fewer than ``min_terms`` terms and warns
(:class:`TopicWarning`) when units lose every term.

Examples
--------
>>> import pandas as pd
>>> corpus = pd.DataFrame({"article_id": ["a"], "date": [pd.Timestamp("2020-08-05")],
...     "text": ["Putin met Lukashenko. They spoke of gas.\\n\\nProtests grew in Minsk."]})
>>> make_units(corpus, unit="paragraph")[["unit_id", "n_sentences", "n_tokens"]].values.tolist()
[['a:00', 2, 5], ['a:01', 1, 3]]
"""

from __future__ import annotations

import dataclasses
import functools
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import chain, combinations
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, Sized

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from .aliases import SPELLING_VARIANTS, STOP_WORDS
from .corpus import _article_columns, _ArticleSlice
from . import keywords as _keywords
from .keywords import _chunked, _count_docs, _Counts, _merge_counts, _tfidf_from_counts
from .parallel import collector_paused, map_chunks, release_memory
from .text import sentences_by_paragraph, tokenize

__all__ = [
    "MAX_FIT_UNITS",
    "MAX_MAP_UNITS",
    "MAX_SILHOUETTE_UNITS",
    "MAX_SWEEP_UNITS",
    "MIN_UNITS_PER_TOPIC",
    "SEED_TOPIC_LABELS",
    "SIDE_WORDS",
    "TopicFit",
    "TopicWarning",
    "UnitSample",
    "UnitVectors",
    "check_k",
    "choose_k",
    "k_range",
    "fit_lsa_kmeans",
    "fit_nmf",
    "lsa_vectors",
    "make_units",
    "match_topics",
    "mean_pairwise_ari",
    "occurrence_matrix",
    "plot_unit_map",
    "representative_units",
    "sample_units",
    "summarize_sweep",
    "sweep_k",
    "topic_coherence",
    "topic_labels",
    "topic_mix",
    "topic_summary",
    "unit_lengths",
    "unit_map",
    "vectorize_units",
]

SEED_TOPIC_LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Security services, KGB & mercenaries": ("security", "assistance", "comprehensive", "mercenaries", "ensure"),
    "Election, protests & Lukashenko's grip": ("protests", "president", "power", "leader", "opposition"),
    "Union State deals & state support": ("state", "agreements", "union", "support", "integration"),
    "Military & economic cooperation": ("cooperation", "countries", "military", "exercises", "trade"),
})
"""The analyst's reading of the seed corpus's four NMF topics (notebook 03): each label with the five
top terms it was read from. :func:`topic_labels` gives a label only to a topic that shares at least
three of them, so on another corpus unread topics are named by their top terms."""

MIN_UNITS_PER_TOPIC = 3
"""Fewest units per topic :func:`check_k` accepts on average. With fewer, a "topic" can be
the vocabulary of one or two paragraphs, silhouette is undefined for singleton clusters, and
seed-to-seed agreement says little."""

MAX_SWEEP_UNITS = 2_000
"""Most units :func:`sweep_k` fits on. A larger corpus is scored on a seeded random sample of this
many units (:func:`sample_units`), reported in a :class:`TopicWarning` and in the sweep table's
``attrs["sample_note"]``: the sweep fits ``len(ks) * len(seeds) * len(methods)`` models, which on
every unit of a large corpus would take hours, while stability across seeds and coherence are
already clear on a few thousand units. The chosen ``k`` is then fitted on every unit."""

MAX_SILHOUETTE_UNITS = 1_000
"""Most units a silhouette score is computed on. Silhouette compares every unit with every other
(time and memory grow with the square of the units), so above this :func:`sweep_k` scores a seeded
random sample of this many units, the same units for every fit of one sweep."""

MAX_FIT_UNITS = 50_000
"""Most units :func:`fit_nmf` and :func:`fit_lsa_kmeans` learn from. On a larger corpus the topics
(NMF's ``H``, k-means' centres) are learnt from a seeded random sample of this many units and
every unit is then placed on them (``NMF.transform``, nearest centre), reported in a
:class:`TopicWarning` and the fit's ``note``. An NMF's iterations to convergence grow with the
data: on 1.35 million units (100,000 articles) fitting every unit took five minutes, while topics
learnt from 50,000 units are the same topics (cosine 0.87-1.00 to the full fit's on 135,000 units,
no closer than two seeds of the full fit are to each other) and placing all units on them takes
seconds."""

MAX_MAP_UNITS = 2_000
"""Most units :func:`unit_map` places with t-SNE (its cost grows faster than the units, and a map of
more points is unreadable); map a sample from :func:`sample_units` on a larger corpus."""

SIDE_WORDS: frozenset[str] = frozenset(
    "belarus belarusian belarusians minsk lukashenko alexander "
    "russia russian russians moscow kremlin putin vladimir".split()
)
"""Names of the two sides and their leaders (canonical tokens). In a corpus about
Minsk-Moscow relations they are in a large share of all units (in the seed corpus
"lukashenko" alone is in about half) and say *who*, not *what*; as topic terms they pull
units together by actor rather than by theme. Pass them as ``extra_stop_words`` to
:func:`vectorize_units` to model themes."""

UnitKind = Literal["paragraph", "window", "capped"]
Method = Literal["nmf", "kmeans"]


class TopicWarning(UserWarning):
    """Something in the topic pipeline a reader should know (e.g. units left with no terms)."""


# --------------------------------------------------------------------------- units
def _balanced_parts(counts: Sequence[int], max_tokens: int) -> list[tuple[int, int]]:
    """Cut a run of sentences (token ``counts``) into the fewest near-equal parts <= max_tokens.

    Returns ``(start, stop)`` sentence slices. A single sentence longer than ``max_tokens``
    stays whole.

    >>> _balanced_parts([10, 10, 10, 10, 10], 25)
    [(0, 2), (2, 3), (3, 5)]
    >>> _balanced_parts([5, 5], 25)
    [(0, 2)]
    """
    total = sum(counts)
    n = len(counts)
    if total <= max_tokens or n <= 1:
        return [(0, n)]
    for parts in range(math.ceil(total / max_tokens), n + 1):
        target = total / parts
        cuts, running, start = [], 0, 0
        for i, c in enumerate(counts):
            running += c
            # cut after sentence i when the running sum is closest to the next multiple
            if len(cuts) < parts - 1 and i < n - 1 and running >= target * (len(cuts) + 1) - c / 2:
                cuts.append((start, i + 1))
                start = i + 1
        cuts.append((start, n))
        if all(sum(counts[a:b]) <= max_tokens or b - a == 1 for a, b in cuts):
            return cuts
    return [(i, i + 1) for i in range(n)]


class _Piece(NamedTuple):
    """Consecutive sentences of one article, each with its content tokens."""

    paragraph: int
    sentences: list[str]
    tokens: list[list[str]]

    @property
    def counts(self) -> list[int]:
        """The number of content tokens of each sentence."""
        return [len(tokens) for tokens in self.tokens]

    def joined(self, other: _Piece) -> _Piece:
        """This piece followed by ``other`` (keeping this piece's first paragraph)."""
        return _Piece(self.paragraph, self.sentences + other.sentences, self.tokens + other.tokens)

    def part(self, start: int, stop: int) -> _Piece:
        """Sentences ``start:stop`` of this piece."""
        return _Piece(self.paragraph, self.sentences[start:stop], self.tokens[start:stop])


def _capped(paragraphs: Sequence[_Piece], *, max_tokens: int, min_tokens: int) -> list[_Piece]:
    """The ``"capped"`` units of one article's paragraphs (see :func:`make_units`)."""
    merged: list[_Piece] = []
    carry: _Piece | None = None
    for piece in paragraphs:
        if carry is not None:
            piece, carry = carry.joined(piece), None
        if sum(piece.counts) < min_tokens:
            carry = piece
            continue
        merged.append(piece)
    if carry is not None:
        if merged:
            merged[-1] = merged[-1].joined(carry)
        else:
            merged.append(carry)
    return [piece.part(a, b) for piece in merged for a, b in _balanced_parts(piece.counts, max_tokens)]


def make_units(
    corpus: pd.DataFrame,
    *,
    unit: UnitKind = "capped",
    window: int = 3,
    max_tokens: int = 40,
    min_tokens: int = 5,
    tokenizer: Callable[[str], list[str]] = tokenize,
    jobs: int | None = None,
) -> pd.DataFrame:
    """Split every article into text units for topic clustering.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``article_id``, ``date`` and ``text`` (paragraphs separated by blank lines),
        as :func:`~minsk_moscow.corpus.load_corpus` returns.
    unit : {"capped", "paragraph", "window"}
        ``"paragraph"``: one unit per paragraph. ``"window"``: non-overlapping windows of
        ``window`` consecutive sentences, across paragraph breaks, within one article (the
        last window may be shorter). ``"capped"``: paragraphs, with a paragraph over
        ``max_tokens`` content tokens cut at sentence boundaries into the fewest near-equal
        parts that fit, and a paragraph under ``min_tokens`` joined to the next paragraph
        of its article (or to the previous one when it is the last).
    window, max_tokens, min_tokens : int
        Options of the unit kinds above (content tokens as ``tokenizer`` counts them).
    tokenizer : callable
        Gives a text's content tokens. It runs once per sentence: the tokens of a paragraph
        or unit are those of its sentences, as they are for any tokenizer whose tokens never
        span a space (such as :func:`~minsk_moscow.text.tokenize`). Another tokenizer must be
        picklable (a module-level function) for the work to go to worker processes.
    jobs : int, optional
        Worker processes that split and tokenize the articles (default ``$MINSK_MOSCOW_JOBS``,
        else every core); corpora under :data:`~minsk_moscow.keywords.PARALLEL_MIN_DOCS`
        articles are done in this process. The table is the same whatever the number.

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``unit_id`` (``"<article_id>:<nn>"``), ``article_id``, ``date``,
        ``unit`` (0-based within the article), ``paragraph`` (first paragraph it comes
        from), ``n_sentences``, ``n_tokens``, ``text``; articles in corpus order. With the
        default ``tokenizer`` also ``tokens``, the unit's content tokens, which
        :func:`vectorize_units` reuses instead of tokenizing every unit a second time.

    Examples
    --------
    >>> corpus = pd.DataFrame({"article_id": ["x"], "date": [pd.NaT],
    ...     "text": ["But she added a veiled threat:\\n\\nRussia will defend the Union State."]})
    >>> make_units(corpus, min_tokens=5)["text"].tolist()
    ['But she added a veiled threat: Russia will defend the Union State.']
    >>> make_units(corpus, unit="window", window=1)["n_sentences"].tolist()
    [1, 1]
    """
    if unit not in ("paragraph", "window", "capped"):
        raise ValueError(f"unit must be 'paragraph', 'window' or 'capped', not {unit!r}")
    if window < 1 or max_tokens < 1 or min_tokens < 0:
        raise ValueError("window and max_tokens must be >= 1 and min_tokens >= 0")
    default = tokenizer is tokenize
    work = functools.partial(_article_units, unit=unit, window=window, max_tokens=max_tokens, min_tokens=min_tokens,
                             tokenizer=None if default else tokenizer)
    articles = _ArticleSlice(0, corpus["article_id"].array, corpus["text"].array)
    with collector_paused():  # a token list per unit: millions of containers that outlive the step
        parts = [part for part in _chunked(work, articles, jobs=jobs, desc="making units") if len(part)]
    if not parts:
        frame = pd.DataFrame([], columns=list(_UNIT_COLUMNS))
    else:
        # Each chunk comes back as a small frame (its strings in Arrow buffers, not as millions of
        # Python objects); article id and date are taken from the corpus.
        frame = pd.concat(parts, ignore_index=True)
        del parts
        for at, (name, values) in enumerate(_article_columns(corpus, frame.pop("_row").to_numpy()).items(), start=1):
            frame.insert(at, name, values)
    release_memory(items=len(corpus))
    return frame if default else frame.drop(columns="tokens")


_UNIT_COLUMNS = ("unit_id", "article_id", "date", "unit", "paragraph", "n_sentences", "n_tokens", "text", "tokens")


def _article_units(
    articles: Iterable[tuple[int, Any, str]], *, unit: UnitKind, window: int, max_tokens: int, min_tokens: int,
    tokenizer: Callable[[str], list[str]] | None,
) -> pd.DataFrame:
    """The units of consecutive articles ``(row, article_id, text)`` as a frame (run in a worker):
    the columns of :func:`make_units` but ``article_id`` and ``date``, and ``_row``, the
    article's row in the corpus.

    ``tokenizer=None`` stands for :func:`~minsk_moscow.text.tokenize` with its defaults.
    """
    tokenizer = tokenize if tokenizer is None else tokenizer
    names = ("unit_id", "_row", *_UNIT_COLUMNS[3:])  # article_id and date come from the corpus
    out: tuple[list, ...] = tuple([] for _ in names)
    for row, aid, text in articles:
        paragraphs = [
            _Piece(p, sentences, [tokenizer(s) for s in sentences])
            for p, sentences in enumerate(sentences_by_paragraph(text))
        ]
        if unit == "paragraph":
            pieces = paragraphs
        elif unit == "window":
            flat = [piece.part(i, i + 1) for piece in paragraphs for i in range(len(piece.sentences))]
            pieces = [reduce(_Piece.joined, flat[i : i + window]) for i in range(0, len(flat), window)]
        else:
            pieces = _capped(paragraphs, max_tokens=max_tokens, min_tokens=min_tokens)
        for i, piece in enumerate(pieces):
            tokens = list(chain.from_iterable(piece.tokens))
            values = (f"{aid}:{i:02d}", row, i, piece.paragraph, len(piece.sentences), len(tokens),
                      " ".join(piece.sentences), tokens)
            for column, value in zip(out, values):
                column.append(value)
    frame = pd.DataFrame(dict(zip(names, out)))
    for name in ("_row", "unit", "paragraph", "n_sentences", "n_tokens"):
        frame[name] = frame[name].astype(np.int64)  # also when the chunk has no unit
    frame["tokens"] = frame["tokens"].astype(object)
    return frame


def unit_lengths(units: pd.DataFrame) -> pd.DataFrame:
    """Per article: number of units, content tokens per unit (median, min, max), and shares.

    ``share_of_units`` next to ``share_of_tokens`` shows whether an article weighs in the
    clustering (one vote per unit) as much as its text does.

    >>> u = pd.DataFrame({"article_id": ["a", "a", "b"], "n_tokens": [10, 20, 90]})
    >>> unit_lengths(u)[["article_id", "n_units", "median_tokens", "share_of_units", "share_of_tokens"]].values.tolist()
    [['a', 2, 15.0, 0.667, 0.25], ['b', 1, 90.0, 0.333, 0.75]]
    """
    g = units.groupby("article_id", sort=False)["n_tokens"]
    out = pd.DataFrame(
        {
            "n_units": g.size(),
            "median_tokens": g.median().astype(float),
            "min_tokens": g.min(),
            "max_tokens": g.max(),
        }
    )
    out["share_of_units"] = (out["n_units"] / out["n_units"].sum()).round(3)
    out["share_of_tokens"] = (g.sum() / units["n_tokens"].sum()).round(3)
    return out.reset_index()


# --------------------------------------------------------------------------- TF-IDF
@dataclass(frozen=True)
class UnitVectors:
    """TF-IDF of text units: ``matrix`` (units x terms, rows L2-normalised), ``terms``, ``units``.

    ``units`` is the unit table restricted to the rows of ``matrix`` (same order);
    ``dropped`` lists the ids of units left out because no term of theirs survived pruning.
    """

    matrix: sparse.csr_matrix
    terms: tuple[str, ...]
    units: pd.DataFrame
    dropped: tuple[str, ...] = ()

    @property
    def occurrence(self) -> sparse.csr_matrix:
        """Binary units x terms matrix: 1 where the term occurs in the unit."""
        return (self.matrix > 0).astype(np.int64).tocsr()

    def subset(self, rows: Sequence[int] | np.ndarray) -> UnitVectors:
        """The units at positions ``rows`` (e.g. :func:`sample_units`' ``rows``), with only the terms they hold.

        Rows keep their weights (idf and length normalisation of the whole set); terms found in
        none of these units are left out, so every term of the subset occurs in it (coherence and
        topic terms need that). ``dropped`` is kept as it was.

        >>> u = pd.DataFrame({"unit_id": list("abc"), "text": ["gas loan", "loan protest", "protest vote"]})
        >>> v = vectorize_units(u, min_df=1, max_df=1.0, min_terms=3).subset([0, 1])
        >>> v.terms, v.units["unit_id"].tolist()
        (('gas', 'loan', 'protest'), ['a', 'b'])
        """
        rows = np.asarray(rows, dtype=np.int64)
        part = self.matrix[rows]
        cols = np.flatnonzero(part.getnnz(axis=0))
        if len(cols) < len(self.terms):
            part = part[:, cols]
        terms = tuple(self.terms[j] for j in cols)
        return UnitVectors(sparse.csr_matrix(part), terms, self.units.iloc[rows].reset_index(drop=True), self.dropped)


class UnitSample(NamedTuple):
    """Which units a bounded step works on: from :func:`sample_units`."""

    rows: np.ndarray
    """Positions of the units kept, ascending (every position when nothing was sampled)."""
    total: int
    """How many units there were."""
    note: str
    """``""`` when every unit is kept, else e.g. ``"sampled 5,000 of 412,000 units (random_state=0)"``."""

    @property
    def sampled(self) -> bool:
        """Whether some units were left out."""
        return len(self.rows) < self.total


def sample_units(
    units: int | Sized | UnitVectors, *, max_units: int, random_state: int
) -> UnitSample:
    """At most ``max_units`` units, drawn at random with a seed when there are more.

    ``units`` is a number of units, or anything with that many rows (a unit table, LSA
    vectors, :class:`UnitVectors`). Up to ``max_units`` every unit is kept (``rows`` is
    ``0 .. n-1`` and ``note`` empty, so small corpora are never sampled); above, a uniform
    sample without replacement by :func:`numpy.random.default_rng` with ``random_state``,
    in the units' order, with a ``note`` to report. Index units, vectors and labels with the
    same ``rows`` (``vectors.subset(rows)``, ``lsa[rows]``, ``units.iloc[rows]``).

    >>> small = sample_units(89, max_units=3_000, random_state=0)
    >>> len(small.rows), small.note, small.sampled
    (89, '', False)
    >>> s = sample_units(412_000, max_units=5_000, random_state=0)
    >>> len(s.rows), s.note
    (5000, 'sampled 5,000 of 412,000 units (random_state=0)')
    """
    if isinstance(units, UnitVectors):
        n = units.matrix.shape[0]
    elif isinstance(units, (int, np.integer)):
        n = int(units)
    else:
        n = len(units)
    if max_units < 1:
        raise ValueError(f"max_units must be at least 1, got {max_units}")
    if n <= max_units:
        return UnitSample(np.arange(n), n, "")
    rows = np.sort(np.random.default_rng(random_state).choice(n, size=max_units, replace=False))
    return UnitSample(rows, n, f"sampled {max_units:,} of {n:,} units (random_state={random_state})")


_COUNT_UNITS = 5_000
"""Units per task when their terms are counted in worker processes (see :func:`_unit_counts`)."""


def _unit_counts(
    units: pd.DataFrame, *, stops: frozenset[str], extra: frozenset[str], variants: Mapping[str, str],
    jobs: int | None = None,
) -> tuple[sparse.csr_array, np.ndarray]:
    """Counts of the content tokens of each unit, with the stop words ``stops | extra`` (see
    :func:`~minsk_moscow.keywords._merge_counts`: terms numbered as first seen).

    The ``tokens`` column of :func:`make_units` (default tokenizer) is reused when ``stops``
    and ``variants`` are the tokenizer's defaults: stop words are removed token by token, so
    removing ``extra`` from them gives what tokenizing with ``stops | extra`` would. Otherwise
    each unit's text is tokenized. Either way the units go in chunks to the worker processes,
    which count them (from :data:`~minsk_moscow.keywords.PARALLEL_MIN_DOCS` units; the matrix
    does not depend on the chunks or the workers).
    """
    if "tokens" in units and stops is STOP_WORDS and variants is SPELLING_VARIANTS:
        work = functools.partial(_count_token_lists, extra=extra)
        items, desc = units["tokens"].tolist(), "counting unit terms"
    else:
        all_stops = stops | extra if extra else stops  # one set object: the tokenizer's memo finds it by identity
        default = variants is SPELLING_VARIANTS
        work = functools.partial(_count_texts, stop_words=all_stops, variants=None if default else dict(variants))
        items, desc = units["text"].tolist(), "tokenizing units"
    return _merge_counts(_chunked(work, items, jobs=jobs, desc=desc, chunk_size=_COUNT_UNITS))


def _count_token_lists(docs: Sequence[list[str]], *, extra: frozenset[str]) -> _Counts:
    """:func:`~minsk_moscow.keywords._count_docs` of token lists without the words ``extra`` (run in a worker)."""
    return _count_docs(([token for token in tokens if token not in extra] for tokens in docs) if extra else docs)


def _count_texts(texts: Sequence[str], *, stop_words: frozenset[str], variants: Mapping[str, str] | None) -> _Counts:
    """:func:`~minsk_moscow.keywords._count_docs` of the :func:`~minsk_moscow.text.tokenize` tokens of
    each text (run in a worker; ``variants=None``: the default table)."""
    table = SPELLING_VARIANTS if variants is None else variants
    return _count_docs(tokenize(text, stop_words=stop_words, variants=table) for text in texts)


def vectorize_units(
    units: pd.DataFrame,
    *,
    min_df: int | float = 2,
    max_df: int | float = 0.5,
    sublinear_tf: bool = True,
    min_terms: int = 20,
    max_dropped_share: float = 0.05,
    stop_words: Iterable[str] | None = STOP_WORDS,
    extra_stop_words: Iterable[str] = (),
    variants: Mapping[str, str] = SPELLING_VARIANTS,
    jobs: int | None = None,
) -> UnitVectors:
    """TF-IDF of the units with :func:`~minsk_moscow.text.tokenize` (smooth idf, L2 rows).

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`make_units` (needs ``unit_id`` and ``text``).
    min_df, max_df : int or float
        Passed to scikit-learn: a term must occur in at least ``min_df`` units (a count, or a
        share if float) and in at most ``max_df`` of them. ``max_df=0.5`` drops words that
        are in every other unit ("belarus", "russia") and so separate nothing.
    sublinear_tf : bool
        Use ``1 + log(tf)`` so a name repeated in one unit does not swamp it.
    min_terms : int
        Raise when fewer terms than this survive the pruning.
    max_dropped_share : float
        Warn when more than this share of the units keep no term (see below).
    stop_words, extra_stop_words, variants
        Passed to :func:`~minsk_moscow.text.tokenize` (``extra_stop_words`` are added to
        ``stop_words``; e.g. :data:`SIDE_WORDS`).
    jobs : int, optional
        Worker processes that count the terms of the units (default ``$MINSK_MOSCOW_JOBS``;
        from :data:`~minsk_moscow.keywords.PARALLEL_MIN_DOCS` units), reusing the ``tokens``
        column of :func:`make_units`, or tokenizing the unit texts when it cannot be reused
        (other stop words than the default plus ``extra_stop_words``, other variants). The
        terms are counted into a sparse matrix and weighted exactly as scikit-learn's
        ``TfidfVectorizer`` weighs them, without its per-token Python lists (memory stays close
        to the matrix); the matrix is the same whatever the number of workers.

    Raises
    ------
    ValueError
        With fewer than 2 units, or when pruning leaves fewer than ``min_terms`` terms (the
        message gives the vocabulary size before and after, to guide ``min_df``).

    Warns
    -----
    TopicWarning
        When more than ``max_dropped_share`` of the units keep no term at all. Such units
        (only words found in one unit) are always left out of ``matrix`` and ``units`` and
        listed in ``dropped``; a few of them are expected with short units.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": list("abc"), "text": ["gas loan gas", "loan protest", "protest gas"]})
    >>> v = vectorize_units(u, min_df=1, max_df=1.0, min_terms=3)
    >>> v.terms, v.matrix.shape
    (('gas', 'loan', 'protest'), (3, 3))
    """
    if len(units) < 2:
        raise ValueError(f"need at least 2 units to build a TF-IDF matrix, got {len(units)}")
    stops, extra = frozenset(stop_words or ()), frozenset(extra_stop_words)
    # Counted chunk by chunk into a sparse matrix, then weighted as TfidfVectorizer weighs (same floats).
    counts, vocabulary = _unit_counts(units, stops=stops, extra=extra, variants=variants, jobs=jobs)
    n_before = len(vocabulary)
    try:
        matrix, term_array = _tfidf_from_counts(counts, vocabulary, min_ngram_count=1, min_df=min_df, max_df=max_df,
                                                sublinear_tf=sublinear_tf, smooth_idf=True, norm="l2")
    except ValueError as exc:
        raise ValueError(
            f"min_df={min_df!r} and max_df={max_df!r} leave no terms: {n_before} distinct terms in "
            f"{len(units)} units before pruning ({exc})"
        ) from None
    terms = tuple(term_array.tolist())
    if len(terms) < min_terms:
        raise ValueError(
            f"min_df={min_df!r} and max_df={max_df!r} leave only {len(terms)} terms (of {n_before} in "
            f"{len(units)} units); at least min_terms={min_terms} are needed for topics: lower min_df "
            "or add text"
        )
    keep = np.asarray(matrix.getnnz(axis=1) > 0)
    dropped = tuple(units.loc[~keep, "unit_id"].astype(str))
    if len(dropped) > max_dropped_share * len(units):
        warnings.warn(
            f"{len(dropped)} of {len(units)} units keep no term after pruning (min_df={min_df!r}, "
            f"max_df={max_df!r}) and are left out: " + ", ".join(dropped[:10]) + (" ..." if len(dropped) > 10 else ""),
            TopicWarning,
            stacklevel=2,
        )
    vectors = UnitVectors(matrix[keep], terms, units.loc[keep].reset_index(drop=True), dropped)
    release_memory(items=len(units))
    return vectors


def check_k(n_units: int, k: int, *, n_terms: int | None = None, min_units_per_topic: int = MIN_UNITS_PER_TOPIC) -> None:
    """Raise ``ValueError`` unless ``k`` topics are sensible for ``n_units`` units.

    Rules: ``k >= 2``; ``n_units >= min_units_per_topic * k`` (see
    :data:`MIN_UNITS_PER_TOPIC`); and ``k < n_terms`` when the vocabulary size is given.

    >>> check_k(84, 6)
    >>> check_k(10, 4)
    Traceback (most recent call last):
    ...
    ValueError: 10 units are too few for k=4 topics: need at least 3 units per topic (12); use k <= 3
    """
    if k < 2:
        raise ValueError(f"k must be at least 2, got {k}")
    if n_units < min_units_per_topic * k:
        raise ValueError(
            f"{n_units} units are too few for k={k} topics: need at least {min_units_per_topic} units per "
            f"topic ({min_units_per_topic * k}); use k <= {n_units // min_units_per_topic}"
        )
    if n_terms is not None and k >= n_terms:
        raise ValueError(f"k={k} topics need more than {n_terms} terms")


def k_range(n_units: int, *, max_k: int = 10, min_units_per_topic: int = MIN_UNITS_PER_TOPIC) -> range:
    """The numbers of topics worth trying on ``n_units`` units: 2 to ``max_k``, at most one per ``min_units_per_topic`` units.

    Raises :class:`~minsk_moscow.steps.NotEnoughData` when not even two topics fit.

    >>> k_range(89)
    range(2, 11)
    >>> k_range(16)
    range(2, 6)
    >>> k_range(5)
    Traceback (most recent call last):
    ...
    minsk_moscow.steps.NotEnoughData: choosing k needs at least 6 units with shared terms (3 per topic); this corpus has 5
    """
    from .steps import NotEnoughData

    top = min(max_k, n_units // min_units_per_topic)
    if top < 2:
        raise NotEnoughData(f"choosing k needs at least {2 * min_units_per_topic} units with shared terms "
                            f"({min_units_per_topic} per topic); this corpus has {n_units}")
    return range(2, top + 1)


# --------------------------------------------------------------------------- fits
@dataclass(frozen=True)
class TopicFit:
    """One fitted topic model or clustering: tidy tables, and the unit-by-topic numbers as matrices.

    Attributes
    ----------
    method : {"nmf", "kmeans"}
    k, random_state : int
    topic_terms : DataFrame
        ``topic, rank, term, weight``: every term of every topic, by falling weight (NMF:
        row of H; k-means: mean TF-IDF of the cluster's units).
    article_topics : DataFrame
        ``article_id, date, topic, share``: the share of the article's content tokens
        given to each topic (unit weights times unit token counts); shares sum to 1.
    labels : ndarray
        Dominant topic of each unit (row order of the vectors).
    term_vectors : ndarray
        ``k x n_terms`` topic-term weights, used to match topics across runs.
    weights : ndarray
        ``n_units x k``: each unit's share of each topic (NMF: row of W scaled to sum 1;
        k-means: 1 for its cluster, else 0).
    scores : ndarray
        ``n_units x k``: what ranks representative units (NMF: the unit's loading on the topic,
        a row of W; k-means: cosine of the unit's LSA vector to the cluster centre).
    units : DataFrame
        ``unit_id, article_id, n_tokens`` of each unit, in the row order of ``weights``
        (``n_tokens`` 1 when the units had no such column).
    note : str
        ``""``, or how the fit was bounded on a large corpus (e.g. ``"topics learnt from a sample
        of 50,000 of 1,353,747 units (random_state=...); every unit placed on them"``, see
        :data:`MAX_FIT_UNITS`).

    The long table :attr:`unit_topics` (one row per unit and topic) is built from these when
    it is read: a corpus of a million units would otherwise keep ``k`` million rows alive in
    every fit.
    """

    method: str
    k: int
    random_state: int
    topic_terms: pd.DataFrame
    article_topics: pd.DataFrame
    labels: np.ndarray = field(repr=False)
    term_vectors: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    scores: np.ndarray = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    note: str = ""

    def top_terms(self, n: int = 10) -> dict[int, list[str]]:
        """The ``n`` heaviest terms of each topic."""
        tt = self.topic_terms[self.topic_terms["rank"] < n]
        return {int(t): g["term"].tolist() for t, g in tt.groupby("topic", sort=True)}

    @property
    def unit_topics(self) -> pd.DataFrame:
        """``unit_id, article_id, topic, weight, score, dominant, n_tokens`` for every (unit, topic).

        Built on each access from :attr:`weights`, :attr:`scores`, :attr:`labels` and
        :attr:`units` (``k`` rows per unit: keep the result rather than reading it in a loop).
        ``dominant`` marks the unit's own topic; ``unit_id`` and ``article_id`` are
        categoricals (one small code per row).
        """
        n, k = self.weights.shape
        each = np.repeat(np.arange(n), k)  # row of every (unit, topic) in the unit table
        table = pd.DataFrame(
            {
                "unit_id": _repeated(self.units["unit_id"], each),
                "article_id": _repeated(self.units["article_id"], each),
                "topic": np.tile(np.arange(k), n),
                "weight": self.weights.ravel(),
                "score": self.scores.ravel(),
                "dominant": (self.labels[:, None] == np.arange(k)[None, :]).ravel(),
            }
        )
        table["n_tokens"] = np.repeat(self.units["n_tokens"].to_numpy(dtype=float), k)
        return table

    def token_mass(self) -> np.ndarray:
        """``n_units x k``: each unit's content tokens given to each topic (weight times tokens)."""
        return self.weights * self.units["n_tokens"].to_numpy(dtype=float)[:, None]


def _token_shares(mass: np.ndarray, key: pd.Series, k: int) -> pd.DataFrame:
    """Share of each topic (columns ``0..k-1``) in the content tokens of each ``key`` group (rows,
    in order of first appearance): ``mass`` (units x topics, weight times tokens) summed per group
    and normalised per row. Units whose key is missing count in no group."""
    labels = None
    if isinstance(key.dtype, pd.CategoricalDtype):  # grouped by the codes, named after
        labels, name = key.cat.categories, key.name
        key = key.cat.codes.where(key.cat.codes >= 0).rename(name)
    shares = pd.DataFrame(mass, columns=pd.RangeIndex(k, name="topic")).groupby(
        key.reset_index(drop=True), sort=False).sum()
    if labels is not None:
        shares.index = pd.Index(labels.take(shares.index.to_numpy(dtype=np.int64)), name=name)
    return shares.div(shares.sum(axis=1), axis=0)


def _repeated(ids: pd.Series, rows: np.ndarray) -> pd.Categorical:
    """``ids`` at ``rows`` as a categorical: one small code per row instead of a string each."""
    codes, uniques = pd.factorize(ids)
    return pd.Categorical.from_codes(codes[rows].astype(np.int32), categories=uniques)


def _tables(
    vectors: UnitVectors, method: str, k: int, random_state: int, weights: np.ndarray, scores: np.ndarray,
    term_vectors: np.ndarray, note: str = "",
) -> TopicFit:
    units = vectors.units
    labels = weights.argmax(axis=1)
    order = np.argsort(-term_vectors, axis=1, kind="stable")
    topic_terms = pd.DataFrame(
        {
            "topic": np.repeat(np.arange(k), term_vectors.shape[1]),
            "rank": np.tile(np.arange(term_vectors.shape[1]), k),
            "term": np.asarray(vectors.terms, dtype=object)[order].ravel(),
            "weight": np.take_along_axis(term_vectors, order, axis=1).ravel(),
        }
    )
    topic_terms["term"] = topic_terms["term"].astype(str)
    kept = units[["unit_id", "article_id"]]  # shares the units' columns (copy on write)
    kept["n_tokens"] = units["n_tokens"] if "n_tokens" in units else 1
    fit = TopicFit(method, k, random_state, topic_terms, pd.DataFrame(), labels, term_vectors, weights, scores, kept,
                   note)
    by_article = _token_shares(fit.token_mass(), units["article_id"], k)
    dates = units.drop_duplicates("article_id").set_index("article_id")["date"] if "date" in units else None
    article_topics = by_article.stack().rename("share").reset_index()
    article_topics["topic"] = article_topics["topic"].astype(int)
    article_topics.insert(1, "date", article_topics["article_id"].map(dates) if dates is not None else pd.NaT)
    return dataclasses.replace(fit, article_topics=article_topics)


def fit_nmf(
    vectors: UnitVectors,
    *,
    k: int,
    random_state: int,
    init: Literal["random", "nndsvd", "nndsvda", "nndsvdar"] = "random",
    max_iter: int = 2000,
    tol: float = 1e-4,
    min_units_per_topic: int = MIN_UNITS_PER_TOPIC,
    max_units: int | None = MAX_FIT_UNITS,
) -> TopicFit:
    """Non-negative matrix factorisation of the TF-IDF matrix into ``k`` topics.

    ``X ~ W H``: each row of ``H`` is a topic (weights over terms), each row of ``W`` mixes
    topics into a unit. The default random start makes the seed matter, which is what
    :func:`sweep_k` measures; ``max_iter`` is high enough for the coordinate-descent solver
    to converge on a corpus of this size (scikit-learn warns otherwise).

    On more than ``max_units`` units (:data:`MAX_FIT_UNITS`; ``None``: never) ``H`` is learnt
    from a random sample of that many units drawn with ``random_state`` and every unit's ``W``
    comes from ``NMF.transform`` (``H`` fixed); the fit's ``note`` and a :class:`TopicWarning`
    say so. Up to that size the fit is the plain one.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": list("abcdef"), "article_id": list("aabbcc"), "n_tokens": 2,
    ...     "text": ["gas loan", "gas oil loan", "protest police", "police protest", "gas oil", "protest vote"]})
    >>> fit = fit_nmf(vectorize_units(u, min_df=1, max_df=1.0, min_terms=3), k=2, random_state=0)
    >>> sorted(terms[0] for terms in fit.top_terms(1).values())
    ['gas', 'protest']
    """
    n_units, n_terms = vectors.matrix.shape
    check_k(n_units, k, n_terms=n_terms, min_units_per_topic=min_units_per_topic)
    sample = sample_units(n_units, max_units=max_units or n_units, random_state=random_state)
    note = _fit_note(sample, "fit_nmf")
    parts = _nmf_parts(vectors, k, random_state, init=init, max_iter=max_iter, tol=tol, rows=sample.rows if note else None)
    return _tables(vectors, "nmf", k, random_state, *parts, note=note)


def _fit_note(sample: UnitSample, function: str) -> str:
    """The note (and warning) of a fit learnt on a sample; ``""`` when it used every unit."""
    if not sample.sampled:
        return ""
    note = f"topics learnt from a {sample.note.replace('sampled ', 'sample of ')}; every unit placed on them"
    warnings.warn(f"{function}: {note} (MAX_FIT_UNITS)", TopicWarning, stacklevel=3)
    return note


def _nmf_parts(vectors: UnitVectors, k: int, random_state: int, *, init: str = "random", max_iter: int = 2000,
               tol: float = 1e-4, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fitted NMF as :func:`_tables` takes it: unit shares, unit loadings ``W`` and topics ``H``.

    With ``rows``, ``H`` is learnt from those units only and ``W`` of every unit is ``transform``'s.
    """
    from sklearn.decomposition import NMF
    model = NMF(n_components=k, init=init, random_state=random_state, max_iter=max_iter, tol=tol)
    if rows is None:
        w = model.fit_transform(vectors.matrix)
    else:
        model.fit(vectors.matrix[rows])
        w = model.transform(vectors.matrix)
    h = model.components_
    totals = w.sum(axis=1, keepdims=True)
    shares = np.divide(w, totals, out=np.full_like(w, 1.0 / k), where=totals > 0)
    return shares, w, h


def lsa_vectors(vectors: UnitVectors, *, n_components: int = 50, random_state: int) -> np.ndarray:
    """Latent semantic analysis: truncated SVD of the TF-IDF matrix, rows scaled to unit length.

    ``n_components`` is capped at ``min(n_units, n_terms) - 1``. On unit-length rows,
    Euclidean k-means and distances behave like cosine ones.

    >>> u = pd.DataFrame({"unit_id": list("abc"), "text": ["gas loan", "loan protest", "protest gas"]})
    >>> lsa_vectors(vectorize_units(u, min_df=1, max_df=1.0, min_terms=3), random_state=0).shape
    (3, 2)
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize
    n = min(n_components, min(vectors.matrix.shape) - 1)
    if n < 1:
        raise ValueError("LSA needs at least 2 units and 2 terms")
    svd = TruncatedSVD(n_components=n, random_state=random_state)
    reduced = svd.fit_transform(vectors.matrix)
    return normalize(reduced)


def fit_lsa_kmeans(
    vectors: UnitVectors,
    *,
    k: int,
    random_state: int,
    lsa: np.ndarray | None = None,
    n_components: int = 50,
    n_init: int = 10,
    min_units_per_topic: int = MIN_UNITS_PER_TOPIC,
    max_units: int | None = MAX_FIT_UNITS,
) -> TopicFit:
    """k-means clusters of the units' LSA vectors (see :func:`lsa_vectors`).

    Each unit belongs to one cluster (hard assignment). A cluster's terms are the mean
    TF-IDF of its units. ``lsa`` may be passed to reuse one projection across fits
    (otherwise it is computed with ``random_state``); ``n_init`` restarts are run per fit.
    k-means runs on one thread: its sums over many units then add in one order, so the
    clusters do not depend on the machine's cores (and a busy machine does not stall it).
    On more than ``max_units`` units (:data:`MAX_FIT_UNITS`; ``None``: never) the centres are
    found on a random sample of that many units (drawn with ``random_state``) and every unit
    goes to its nearest centre; the fit's ``note`` and a :class:`TopicWarning` say so.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": list("abcdef"), "article_id": list("aabbcc"), "n_tokens": 2,
    ...     "text": ["gas loan", "gas oil loan", "protest police", "police protest", "gas oil", "protest vote"]})
    >>> fit = fit_lsa_kmeans(vectorize_units(u, min_df=1, max_df=1.0, min_terms=3), k=2, random_state=0)
    >>> sorted(fit.labels[[0, 1, 4]].tolist()) == [fit.labels[0]] * 3
    True
    """
    n_units, n_terms = vectors.matrix.shape
    check_k(n_units, k, n_terms=n_terms, min_units_per_topic=min_units_per_topic)
    x = lsa if lsa is not None else lsa_vectors(vectors, n_components=n_components, random_state=random_state)
    sample = sample_units(n_units, max_units=max_units or n_units, random_state=random_state)
    note = _fit_note(sample, "fit_lsa_kmeans")
    parts = _kmeans_parts(vectors, k, random_state, x, n_init=n_init, rows=sample.rows if note else None)
    return _tables(vectors, "kmeans", k, random_state, *parts, note=note)


def _kmeans_parts(vectors: UnitVectors, k: int, random_state: int, x: np.ndarray, *, n_init: int = 10,
                  rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """k-means of the LSA vectors ``x`` as :func:`_tables` takes it: one-hot clusters, scores, mean TF-IDF.

    With ``rows``, the centres are found on those units and every unit goes to the nearest.
    """
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize
    model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state)
    with threadpool_limits(limits=1, user_api="openmp"):  # same clusters on any machine, and no idle spinning
        labels = model.fit_predict(x) if rows is None else model.fit(x[rows]).predict(x)
    onehot = (labels[:, None] == np.arange(k)[None, :]).astype(float)
    centres = normalize(model.cluster_centers_)
    scores = x @ centres.T
    counts = onehot.sum(axis=0)
    sums = np.asarray((sparse.csr_matrix(onehot.T) @ vectors.matrix).todense())  # k x terms, stays sparse until here
    term_vectors = np.divide(sums, counts[:, None], out=np.zeros_like(sums), where=counts[:, None] > 0)
    return onehot, scores, term_vectors


# --------------------------------------------------------------------------- scores
def occurrence_matrix(documents: Sequence[Iterable[str]]) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """Binary document x term matrix of token collections, terms sorted.

    >>> m, terms = occurrence_matrix([["gas", "loan", "gas"], ["loan"]])
    >>> terms, m.toarray().tolist()
    (('gas', 'loan'), [[1, 1], [0, 1]])
    """
    sets = [set(doc) for doc in documents]
    terms = tuple(sorted(set().union(*sets)))
    index = {t: i for i, t in enumerate(terms)}
    rows = [i for i, s in enumerate(sets) for _ in s]
    cols = [index[t] for s in sets for t in sorted(s)]
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(sets), len(terms)))
    return m, terms


def topic_coherence(
    top_terms: Sequence[str],
    occurrence: sparse.spmatrix | np.ndarray,
    terms: Sequence[str],
    *,
    measure: Literal["umass", "npmi"] = "npmi",
) -> float:
    """Coherence of one topic's top terms from their co-occurrence in the same units.

    With ``D(w)`` the number of units holding ``w``, ``D(w, v)`` those holding both and
    ``N`` the number of units, and pairs taken over the top terms in rank order:

    - ``"umass"`` (Mimno et al. 2011): mean over pairs ``m > l`` of
      ``log((D(w_m, w_l) + 1) / D(w_l))``; 0 is the best, more negative is worse.
    - ``"npmi"`` (Bouma 2009; Aletras & Stevenson 2013): mean over pairs of
      ``log(P(w, v) / (P(w) P(v))) / -log P(w, v)`` with ``P = D / N``; ranges from -1
      (never together; used when ``D(w, v) = 0``) through 0 (independent) to 1 (always
      together).

    Both are the *mean* over the ``n (n - 1) / 2`` pairs, so topics with different numbers
    of terms compare. Terms must occur in at least one unit.

    Examples
    --------
    >>> m, terms = occurrence_matrix([["putin", "lukashenko"], ["putin", "sochi"],
    ...                               ["putin", "lukashenko", "loan"], ["protest"]])
    >>> round(topic_coherence(["putin", "lukashenko", "loan"], m, terms, measure="umass"), 4)
    -0.1352
    >>> round(topic_coherence(["putin", "lukashenko", "loan"], m, terms, measure="npmi"), 4)
    0.3742
    """
    if measure not in ("umass", "npmi"):
        raise ValueError(f"measure must be 'umass' or 'npmi', not {measure!r}")
    if len(top_terms) < 2:
        raise ValueError("coherence needs at least two terms")
    index = {t: i for i, t in enumerate(terms)}
    return _coherence(top_terms, sparse.csc_matrix(occurrence), index, measure=measure)


def _coherence(top_terms: Sequence[str], occurrence: sparse.csc_matrix, index: Mapping[str, int], *, measure: str
               ) -> float:
    """:func:`topic_coherence` with the occurrence matrix already in CSC form and the term index built."""
    missing = [t for t in top_terms if t not in index]
    if missing:
        raise ValueError(f"terms not in the vocabulary: {missing}")
    cols = [index[t] for t in top_terms]
    occ = occurrence[:, cols]
    occ = (occ > 0).astype(np.int64)
    n_docs = occ.shape[0]
    df = np.asarray(occ.sum(axis=0)).ravel()
    if (df == 0).any():
        raise ValueError(f"terms that occur in no unit: {[t for t, d in zip(top_terms, df) if d == 0]}")
    co = (occ.T @ occ).toarray()
    values = []
    for l_, m_ in combinations(range(len(cols)), 2):  # l_ ranks above m_
        joint = co[l_, m_]
        if measure == "umass":
            values.append(math.log((joint + 1) / df[l_]))
        elif joint == 0:
            values.append(-1.0)
        else:
            p_joint = joint / n_docs
            pmi = math.log(p_joint / ((df[l_] / n_docs) * (df[m_] / n_docs)))
            denom = -math.log(p_joint)
            values.append(1.0 if denom == 0 else pmi / denom)
    return float(np.mean(values))


def mean_pairwise_ari(labelings: Sequence[Sequence[int]]) -> float:
    """Mean adjusted Rand index over all pairs of labelings of the same units.

    1 means every run found the same partition (topic numbers may differ); about 0 means no
    more agreement than chance.

    >>> mean_pairwise_ari([[0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 1]])
    0.0
    """
    from sklearn.metrics import adjusted_rand_score
    if len(labelings) < 2:
        raise ValueError("need at least two labelings to compare")
    return float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(labelings, 2)]))


def match_topics(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics (rows) of ``a`` to those of ``b`` one-to-one by cosine similarity.

    Uses the Hungarian algorithm to maximise the total similarity. Returns ``(order, sims)``:
    topic ``i`` of ``a`` matches topic ``order[i]`` of ``b`` with cosine ``sims[i]``.

    >>> order, sims = match_topics(np.array([[1.0, 0, 0], [0, 1, 1]]), np.array([[0, 2.0, 2], [3, 0, 0]]))
    >>> order.tolist(), sims.round(3).tolist()
    ([1, 0], [1.0, 1.0])
    """
    from scipy.optimize import linear_sum_assignment
    from sklearn.preprocessing import normalize
    sim = normalize(np.asarray(a, dtype=float)) @ normalize(np.asarray(b, dtype=float)).T
    rows, cols = linear_sum_assignment(-sim)
    order = np.empty(len(rows), dtype=int)
    order[rows] = cols
    return order, sim[rows, cols][np.argsort(rows)]


# --------------------------------------------------------------------------- choosing k
def sweep_k(
    vectors: UnitVectors,
    *,
    ks: Iterable[int] = range(2, 11),
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    methods: Sequence[Method] = ("nmf", "kmeans"),
    n_top: int = 10,
    lsa_components: int = 50,
    lsa_random_state: int = 0,
    min_units_per_topic: int = MIN_UNITS_PER_TOPIC,
    max_units: int | None = MAX_SWEEP_UNITS,
    sample_random_state: int = 0,
    jobs: int | None = None,
) -> pd.DataFrame:
    """Fit every method for every ``k`` and seed, and score each fit.

    Cost: ``len(ks) * len(seeds) * len(methods)`` fits. On more than ``max_units`` units
    (:data:`MAX_SWEEP_UNITS`; ``None``: never) the sweep runs on a random sample of that many
    units drawn with ``sample_random_state`` (:func:`sample_units`), reported by a
    :class:`TopicWarning` and in the table's ``attrs["sample_note"]`` (``""`` when every unit
    was used); silhouettes are computed on at most :data:`MAX_SILHOUETTE_UNITS` units, the same
    ones for every fit. So the cost is bounded whatever the corpus; a corpus up to those sizes
    gets exactly the unsampled sweep. Every ``k`` is checked with :func:`check_k` (on the units
    swept) before anything is fitted. From :data:`~minsk_moscow.keywords.PARALLEL_MIN_DOCS`
    units on, each ``(method, k)`` is fitted in one of ``jobs`` worker processes (default
    ``$MINSK_MOSCOW_JOBS``); every fit is seeded and k-means runs single-threaded, so the table
    does not depend on the number of workers.

    Returns
    -------
    pandas.DataFrame
        One row per ``(method, k, seed)``:

        - ``silhouette``: of the unit labels (dominant topics), cosine, in the shared LSA
          space (one yardstick for both methods; it favours k-means, which optimises there);
        - ``umass``, ``npmi``: mean :func:`topic_coherence` of the topics' ``n_top`` terms;
        - ``ari``: mean adjusted Rand index of this seed's unit labels against each other
          seed's (the mean over seeds is the mean pairwise ARI);
        - ``topic_match``: mean cosine of this seed's topics matched one-to-one
          (:func:`match_topics`) to each other seed's, averaged over the other seeds;
        - ``smallest_topic``: units in the smallest topic (dominant labels).
    """
    ks = list(ks)
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ValueError("stability needs at least two seeds")
    sample = sample_units(vectors, max_units=max_units or vectors.matrix.shape[0] or 1, random_state=sample_random_state)
    if sample.sampled:
        vectors = vectors.subset(sample.rows)
        warnings.warn(f"sweep_k: {sample.note} to score k (MAX_SWEEP_UNITS); fit the chosen k on every unit",
                      TopicWarning, stacklevel=2)
    n_units, n_terms = vectors.matrix.shape
    for k in ks:
        check_k(n_units, k, n_terms=n_terms, min_units_per_topic=min_units_per_topic)
    for method in methods:
        if method not in ("nmf", "kmeans"):
            raise ValueError(f"unknown method {method!r}")
    lsa = lsa_vectors(vectors, n_components=lsa_components, random_state=lsa_random_state)
    scored = sample_units(n_units, max_units=MAX_SILHOUETTE_UNITS, random_state=sample_random_state).rows
    block = functools.partial(_sweep_block, vectors=vectors, lsa=lsa, scored=scored, seeds=tuple(seeds), n_top=n_top,
                              min_units_per_topic=min_units_per_topic)
    tasks = [(method, k) for method in methods for k in ks]
    # Each (method, k) is one task: its fits for every seed and their scores. Large sweeps spread the
    # tasks over worker processes; every fit is seeded and single-threaded, so the table is the same.
    parallel = n_units >= _keywords.PARALLEL_MIN_DOCS
    blocks = map_chunks(block, tasks, jobs=jobs, chunk_size=1, desc="sweeping k", min_parallel=0 if parallel else len(tasks) + 1)
    table = pd.DataFrame([row for rows in blocks for row in rows])
    table.attrs["sample_note"] = sample.note
    return table


class _SweepFit(NamedTuple):
    """What :func:`sweep_k` scores of one fit: dominant topics, topic-term weights, top terms."""

    labels: np.ndarray
    term_vectors: np.ndarray
    top: list[list[str]]


def _sweep_block(
    task: tuple[str, int], *, vectors: UnitVectors, lsa: np.ndarray, scored: np.ndarray, seeds: tuple[int, ...],
    n_top: int, min_units_per_topic: int,
) -> list[dict[str, object]]:
    """The rows of :func:`sweep_k` for one ``(method, k)``: a fit per seed, each scored against the others."""
    with threadpool_limits(limits=1):  # one thread per fit: the same numbers, and no threads spinning idle
        return _sweep_rows(task, vectors=vectors, lsa=lsa, scored=scored, seeds=seeds, n_top=n_top)


def _sweep_rows(
    task: tuple[str, int], *, vectors: UnitVectors, lsa: np.ndarray, scored: np.ndarray, seeds: tuple[int, ...],
    n_top: int,
) -> list[dict[str, object]]:
    """The body of :func:`_sweep_block`."""
    method, k = task
    occurrence = sparse.csc_matrix(vectors.occurrence)
    index = {t: i for i, t in enumerate(vectors.terms)}
    terms = np.asarray(vectors.terms, dtype=object)
    fits = []
    for seed in seeds:  # what fit_nmf / fit_lsa_kmeans compute, without their tables (k was checked)
        if method == "nmf":
            weights, _, term_vectors = _nmf_parts(vectors, k, seed)
        else:
            weights, _, term_vectors = _kmeans_parts(vectors, k, seed, lsa)
        order = np.argsort(-term_vectors, axis=1, kind="stable")[:, :n_top]  # as TopicFit.top_terms(n_top)
        fits.append(_SweepFit(weights.argmax(axis=1), term_vectors, [terms[row].tolist() for row in order]))
    ari = np.ones((len(fits), len(fits)))
    for i, j in combinations(range(len(fits)), 2):
        ari[i, j] = ari[j, i] = _ari(fits[i].labels, fits[j].labels)
    rows = []
    for i, fit in enumerate(fits):
        others = [f for j, f in enumerate(fits) if j != i]
        sil = _silhouette(lsa[scored], fit.labels[scored])
        tops = fit.top
        rows.append(
            {
                "method": method,
                "k": k,
                "seed": seeds[i],
                "silhouette": float(sil),
                "umass": float(np.mean([_coherence(t, occurrence, index, measure="umass") for t in tops])),
                "npmi": float(np.mean([_coherence(t, occurrence, index, measure="npmi") for t in tops])),
                "ari": float(np.mean([ari[i, j] for j in range(len(fits)) if j != i])),
                "topic_match": float(np.mean([match_topics(fit.term_vectors, o.term_vectors)[1].mean() for o in others])),
                "smallest_topic": int(np.bincount(fit.labels, minlength=k).min()),
            }
        )
    return rows


def _ari(a: np.ndarray, b: np.ndarray) -> float:
    """scikit-learn's ``adjusted_rand_score(a, b)`` for non-negative integer labels, without its overhead.

    The same pair counts (``pair_confusion_matrix``) in exact integer arithmetic and the same
    final formula, so the same float.

    >>> from sklearn.metrics import adjusted_rand_score
    >>> a, b = np.array([0, 0, 1, 1, 2]), np.array([1, 1, 0, 2, 2])
    >>> _ari(a, b) == adjusted_rand_score(a, b)
    True
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    n = len(a)
    cells = np.bincount(a * (int(b.max(initial=0)) + 1) + b)
    sum_squares = int((cells * cells).sum())
    rows, cols = np.bincount(a), np.bincount(b)
    tp = sum_squares - n
    fp = int((cols * cols).sum()) - sum_squares
    fn = int((rows * rows).sum()) - sum_squares
    tn = n * n - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def _silhouette(x: np.ndarray, labels: np.ndarray) -> float:
    """Cosine silhouette of ``labels``; NaN when it is undefined (one label, or one unit per label)."""
    from sklearn.metrics import silhouette_score
    n_labels = len(np.unique(labels))
    return float(silhouette_score(x, labels, metric="cosine")) if 1 < n_labels < len(labels) else np.nan


def summarize_sweep(sweep: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of every score in a :func:`sweep_k` table.

    Columns ``method, k`` then ``<score>_mean`` and ``<score>_sd`` for silhouette, umass,
    npmi, ari and topic_match, plus the smallest topic over all seeds.

    >>> s = pd.DataFrame({"method": "nmf", "k": 2, "seed": [0, 1], "silhouette": [0.1, 0.3], "umass": -1.0,
    ...                   "npmi": 0.0, "ari": 1.0, "topic_match": 1.0, "smallest_topic": [3, 4]})
    >>> summarize_sweep(s)[["k", "silhouette_mean", "smallest_topic"]].values.tolist()
    [[2.0, 0.2, 3.0]]
    """
    scores = ["silhouette", "umass", "npmi", "ari", "topic_match"]
    g = sweep.groupby(["method", "k"], sort=False)
    out = g[scores].agg(["mean", "std"])
    out.columns = [f"{s}_{'sd' if stat == 'std' else stat}" for s, stat in out.columns]
    out["smallest_topic"] = g["smallest_topic"].min()
    out = out.reset_index()
    out.attrs["sample_note"] = sweep.attrs.get("sample_note", "")
    return out


def choose_k(
    summary: pd.DataFrame,
    *,
    method: Method = "nmf",
    min_ari: float = 0.8,
    min_topic_match: float = 0.95,
    if_unstable: Literal["raise", "warn"] = "raise",
) -> int:
    """The largest ``k`` whose solution is stable across seeds, from :func:`summarize_sweep`.

    Stable means mean pairwise ARI of the unit labels ``>= min_ari`` and mean matched topic
    cosine ``>= min_topic_match``. The largest stable ``k`` is the finest reading the data
    reproduce; coherence and silhouette are not used to pick, because on short units both
    tend to rise as topics shrink towards single paragraphs.

    When no ``k`` is stable, ``if_unstable="raise"`` (default) raises ``ValueError`` (report
    the sweep instead of forcing a choice); ``"warn"`` emits a :class:`TopicWarning` and
    returns the most stable ``k`` (highest mean ARI, the smaller ``k`` on ties), so that a
    notebook run on a new corpus goes on with topics that it flags as tentative.

    >>> s = pd.DataFrame({"method": "nmf", "k": [2, 3, 4, 5], "ari_mean": [0.95, 0.7, 0.9, 0.6],
    ...                   "topic_match_mean": [1.0, 0.9, 0.99, 0.8]})
    >>> choose_k(s)
    4
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     choose_k(s, min_ari=0.99, if_unstable="warn"), caught[0].category.__name__
    (2, 'TopicWarning')
    """
    if if_unstable not in ("raise", "warn"):
        raise ValueError(f"if_unstable must be 'raise' or 'warn', not {if_unstable!r}")
    rows = summary[summary["method"] == method]
    stable = rows[(rows["ari_mean"] >= min_ari) & (rows["topic_match_mean"] >= min_topic_match)]
    if not stable.empty:
        return int(stable["k"].max())
    message = (
        f"no k is stable for {method!r} (mean ARI >= {min_ari} and topic match >= {min_topic_match}); "
        f"best ARI {rows['ari_mean'].max():.3f}"
    )
    if if_unstable == "raise":
        raise ValueError(message)
    best = int(rows.sort_values(["ari_mean", "k"], ascending=[False, True], kind="stable")["k"].iloc[0])
    warnings.warn(f"{message}: using the most stable k = {best}; treat its topics as tentative", TopicWarning, stacklevel=2)
    return best


# --------------------------------------------------------------------------- reading topics
def topic_summary(fit: TopicFit, *, n_terms: int = 8) -> pd.DataFrame:
    """One row per topic: units it dominates, its share of all content tokens, top terms.

    ``token_share`` is the sum over units of topic weight times unit tokens, over all tokens.
    """
    n_units = np.bincount(fit.labels, minlength=fit.k)
    everything = pd.Series(np.zeros(len(fit.labels), dtype=np.int64))  # one group: summed as topic_mix sums
    share = _token_shares(fit.token_mass(), everything, fit.k).iloc[0]
    terms = fit.top_terms(n_terms)
    return pd.DataFrame(
        {
            "topic": range(fit.k),
            "n_units": n_units,
            "token_share": share.round(3).to_numpy(),
            "top_terms": [", ".join(terms[t]) for t in range(fit.k)],
        }
    )


def topic_mix(fit: TopicFit, *, groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Each article's (or group of articles') content tokens shared among the topics.

    A unit gives each topic its topic weight times its token count; the shares of a row sum
    to 1. ``groups`` maps ``article_id`` to a group label (e.g. from
    :func:`~minsk_moscow.display_groups`) to pool articles, so a corpus of hundreds of
    articles gives a readable table by month. Rows are in the order the articles' units
    come (date order for :func:`make_units`), columns are topics.

    >>> import minsk_moscow as mm
    >>> vectors = vectorize_units(make_units(mm.load_corpus()), extra_stop_words=SIDE_WORDS)
    >>> fit = fit_nmf(vectors, k=3, random_state=0)
    >>> topic_mix(fit).shape
    (5, 3)
    >>> corpus = mm.load_corpus()
    >>> by_year = dict(zip(corpus["article_id"], corpus["date"].dt.year.astype(str)))
    >>> mix = topic_mix(fit, groups=by_year)
    >>> mix.index.tolist(), mix.sum(axis=1).round(6).tolist()
    (['2020', '2021'], [1.0, 1.0])
    """
    key = fit.units["article_id"]
    if groups is not None:
        missing = sorted(set(key.unique()) - set(groups))
        if missing:
            raise ValueError(f"groups has no group for article(s): {', '.join(map(str, missing))}")
        key = key.map(groups).rename("group")
    return _token_shares(fit.token_mass(), key, fit.k)


def topic_labels(
    fit: TopicFit,
    analyst_labels: Mapping[str, Sequence[str]] | None = None,
    *,
    n_terms: int = 5,
    min_shared: int = 3,
) -> dict[int, str]:
    """A readable label for every topic: the analyst's where it is earned, else the top terms.

    ``analyst_labels`` maps each label an analyst wrote to the top terms of the topic they
    read when writing it. A label goes to the topic whose ``n_terms`` top terms share the
    most terms with that list, and only if they share at least ``min_shared`` (by default
    3 of 5: the topic is recognisably the one that was read); each label and each topic is
    used once, best matches first. Every other topic is named by its top three terms. Keying
    labels by terms rather than topic numbers means a label cannot silently move to another
    topic when the data or the seed change, and the same notebook runs on any corpus without
    showing a label the data have not earned.

    >>> import numpy as np
    >>> tt = pd.DataFrame({"topic": [0, 0, 0, 1, 1, 1], "rank": [0, 1, 2] * 2,
    ...                    "term": ["protests", "police", "vote", "gas", "oil", "loans"], "weight": [3.0, 2, 1] * 2})
    >>> fit = TopicFit("nmf", 2, 0, tt, pd.DataFrame(), np.zeros(0), np.zeros((2, 3)), np.zeros((0, 2)),
    ...                np.zeros((0, 2)), pd.DataFrame())
    >>> topic_labels(fit, {"Election & protests": ["protests", "vote", "opposition"],
    ...                    "Energy": ["gas", "prices", "gazprom"]}, n_terms=3, min_shared=2)
    {0: 'Election & protests', 1: 'topic 1: gas, oil, loans'}
    """
    top = fit.top_terms(n_terms)
    candidates = sorted(
        (
            (-len(set(terms) & set(read)), topic, label)
            for label, read in (analyst_labels or {}).items()
            for topic, terms in top.items()
        ),
        key=lambda c: (c[0], c[1], c[2]),
    )
    labels: dict[int, str] = {}
    for shared, topic, label in candidates:
        if -shared >= min_shared and topic not in labels and label not in labels.values():
            labels[topic] = label
    return {
        topic: labels.get(topic) or f"topic {topic}: " + ", ".join(terms[:3]) for topic, terms in sorted(top.items())
    }


def representative_units(fit: TopicFit, units: pd.DataFrame, *, n: int = 3, max_chars: int | None = 220) -> pd.DataFrame:
    """The ``n`` units that best represent each topic, among the units it dominates.

    Ranked by the fit's ``score`` (NMF: the unit's loading on the topic, so a unit that
    uses many of the topic's terms beats a two-word unit that uses nothing else; k-means:
    cosine to the cluster centre), ties broken by unit id. ``max_chars`` shortens the text for display
    (``None`` keeps it whole).

    Returns ``topic, rank, unit_id, article_id, score, text``.
    """
    rows = np.arange(len(fit.labels))
    own = fit.scores[rows, fit.labels]  # each unit's score on its dominant topic
    candidates = [rows[fit.labels == topic] for topic in range(fit.k)]
    for topic, among in enumerate(candidates):  # the n best of each topic, and any tied with the n-th
        if len(among) > n > 0 and not np.isnan(own[among]).any():
            nth = np.partition(own[among], len(among) - n)[len(among) - n]
            candidates[topic] = among[own[among] >= nth]
    rows = np.sort(np.concatenate(candidates)) if candidates else rows[:0]
    ut = fit.units.iloc[rows, :2].reset_index(drop=True).assign(topic=fit.labels[rows].astype(np.int64), score=own[rows])
    ut = ut.sort_values(["topic", "score", "unit_id"], ascending=[True, False, True], kind="stable")
    top = ut.groupby("topic", sort=True).head(n).copy()
    top["rank"] = top.groupby("topic").cumcount()
    text = top["unit_id"].map(units.set_index("unit_id")["text"])
    if max_chars is not None:
        text = text.map(lambda t: t if len(t) <= max_chars else t[: max_chars - 1].rstrip() + "…")
    top["text"] = text
    return top[["topic", "rank", "unit_id", "article_id", "score", "text"]].reset_index(drop=True)


def unit_map(
    lsa: np.ndarray,
    *,
    method: Literal["tsne", "svd"] = "tsne",
    random_state: int,
    perplexity: float | None = None,
    max_units: int | None = MAX_MAP_UNITS,
) -> np.ndarray:
    """2-D coordinates of the units for a map, from their LSA vectors.

    A t-SNE map takes at most ``max_units`` units (:data:`MAX_MAP_UNITS`; ``None``: no limit):
    on a larger corpus pass a sample, ``lsa[sample_units(lsa, max_units=MAX_MAP_UNITS,
    random_state=...).rows]``, and say so with the sample's ``note``. Beyond it a ``ValueError``
    says this, instead of a t-SNE that runs for hours.

    ``"svd"`` keeps the first two LSA axes (linear: distances mean something, but two axes
    hold little of the variance). ``"tsne"`` (cosine metric, PCA start, exact gradient for
    up to 1000 units) keeps neighbourhoods, not distances; ``perplexity`` defaults to
    ``min(30, (n_units - 1) / 3)`` and must be below the number of units. t-SNE runs on one
    thread (the map is the same; with several, a machine busy with other work can stall it
    many times over).

    >>> from sklearn.preprocessing import normalize
    >>> x = normalize(np.random.default_rng(0).random((12, 4)))
    >>> unit_map(x, random_state=0, perplexity=20).shape
    Traceback (most recent call last):
    ...
    ValueError: perplexity=20 must be smaller than the number of units (12)
    >>> unit_map(x, method="svd", random_state=0).shape
    (12, 2)
    """
    from sklearn.manifold import TSNE
    n = lsa.shape[0]
    if method == "svd":
        if lsa.shape[1] < 2:
            raise ValueError("an SVD map needs at least 2 LSA components")
        return np.asarray(lsa[:, :2], dtype=float)
    if method != "tsne":
        raise ValueError(f"method must be 'tsne' or 'svd', not {method!r}")
    if max_units is not None and n > max_units:
        raise ValueError(
            f"a t-SNE map of {n:,} units is too slow and too crowded (max_units={max_units:,}): map a sample, "
            f"lsa[mm.sample_units(lsa, max_units={max_units}, random_state=...).rows]"
        )
    perplexity = min(30.0, (n - 1) / 3) if perplexity is None else perplexity
    if perplexity >= n:
        raise ValueError(f"perplexity={perplexity} must be smaller than the number of units ({n})")
    if perplexity <= 0:
        raise ValueError(f"need more units for a t-SNE map, got {n}")
    tsne = TSNE(
        n_components=2,
        perplexity=perplexity,
        metric="cosine",
        init="pca",
        random_state=random_state,
        method="exact" if n <= 1000 else "barnes_hut",
    )
    with threadpool_limits(limits=1, user_api="openmp"):  # same map; a busy machine does not stall its threads
        return tsne.fit_transform(lsa)


_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "p", "h")


def plot_unit_map(
    points: pd.DataFrame,
    *,
    topic_order: Sequence[str],
    group: str = "article",
    title: str = "Units on a map",
) -> "Figure":  # noqa: F821
    """Units on a 2-D map: colour is the topic, marker shape the group (article or period).

    ``points`` has columns ``x``, ``y``, ``topic`` and ``group``. Two separate legends, one for
    colours (topics, in ``topic_order``) and one for shapes (groups, drawn in black), each with
    markers that are easy to tell apart (at most 12 groups, as :func:`~minsk_moscow.display_groups`
    gives). Large maps use smaller points.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    groups = list(pd.unique(points[group]))
    if len(groups) > len(_MARKERS):
        raise ValueError(f"at most {len(_MARKERS)} groups can have their own marker, got {len(groups)}")
    palette = plt.get_cmap("tab10").colors
    colors = {t: palette[i % len(palette)] for i, t in enumerate(topic_order)}
    size = 70 if len(points) <= 300 else 18
    fig, ax = plt.subplots(figsize=(13, 7.5))
    for g, marker in zip(groups, _MARKERS):
        part = points[points[group] == g]
        ax.scatter(part["x"], part["y"], c=[colors[t] for t in part["topic"]], marker=marker, s=size, alpha=0.85,
                   edgecolors="white", linewidths=0.6)
    topic_handles = [Line2D([], [], marker="o", ls="", color=colors[t], markersize=9, label=t) for t in topic_order]
    group_handles = [Line2D([], [], marker=m, ls="", color="0.2", markersize=8, label=str(g)) for g, m in zip(groups, _MARKERS)]
    fig.legend(handles=topic_handles, title="colour: topic", loc="upper left", bbox_to_anchor=(0.71, 0.93),
               fontsize=10, title_fontsize=10, frameon=False, alignment="left")
    fig.legend(handles=group_handles, title=f"shape: {group}", loc="upper left", bbox_to_anchor=(0.71, 0.55),
               fontsize=10, title_fontsize=10, frameon=False, alignment="left")
    ax.set(title=title, xlabel="map axis 1", ylabel="map axis 2")
    fig.tight_layout(rect=(0, 0, 0.7, 1))  # room on the right for the two legends
    return fig
