"""Distinctive vocabulary: TF-IDF per article and weighted log-odds between groups of articles.

The pieces, each usable on any corpus DataFrame with ``article_id`` and ``text`` columns:

- :func:`phrase_ngrams` turns a text into unigrams plus n-grams of tokens that stood next to
  each other in the text: an n-gram never spans a sentence boundary, a clause mark
  (``, ; : ( ) — …``) or a word the tokenizer removed, so ``"union state"`` counts and
  ``"said Putin"`` (with ``said`` a stop word) or ``"zone, military"`` do not.
  :func:`make_analyzer` wraps it for scikit-learn.
- :func:`tfidf_matrix` builds scikit-learn's TF-IDF with that analyzer; :func:`top_terms`
  lists each document's highest-weighted terms as a tidy table.
- :func:`split_by_date`, :func:`group_term_counts` and :func:`log_odds_dirichlet` (Monroe,
  Colaresi & Quinn 2008, "Fightin' Words") compare two groups of articles term by term with a
  z-score; :func:`compare_groups` chains them and :func:`top_distinctive` reads off each side.
- :func:`keywords_in_context` shows the sentences a term comes from; a :class:`ContextFinder` does
  it for many terms over one sentence table, tokenizing each sentence once.
- :func:`robustness_table` re-ranks under other settings and reports which top terms survive
  (:func:`robustness_note` names the settings a corpus leaves no terms for).
- Figures: :func:`plot_tfidf_heatmap`, :func:`tfidf_wordcloud` / :func:`plot_wordclouds`,
  :func:`plot_log_odds` (save them with :func:`~minsk_moscow.plotting.save_fig`).

Examples
--------
>>> phrase_ngrams('The two form a "union state", said Putin.')
['form', 'union', 'state', 'putin', 'union state']
>>> table = log_odds_dirichlet({"union": 3, "state": 1}, {"union": 1, "state": 1, "protest": 2})
>>> table[["term", "count_a", "count_b", "z"]].round(3).values.tolist()
[['union', 3, 1, 1.149], ['state', 1, 1, 0.0], ['protest', 0, 2, -1.058]]
"""

from __future__ import annotations

import functools
import inspect
import itertools
import math
import numbers
import re
import textwrap
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from .aliases import SPELLING_VARIANTS, STOP_WORDS
from .cache import _arrow_texts
from .notebook import SEED
from .parallel import imap_batches, release_memory
from .text import _PARAGRAPH_BREAK, _rule_memo, _rule_results, split_sentences, tokenize

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CLOUD_EXCLUDED_TERMS",
    "ContextFinder",
    "Tfidf",
    "compare_groups",
    "group_term_counts",
    "keywords_in_context",
    "log_odds_dirichlet",
    "make_analyzer",
    "phrase_ngrams",
    "plot_log_odds",
    "plot_tfidf_heatmap",
    "plot_wordclouds",
    "prior_sensitivity",
    "robustness_note",
    "robustness_table",
    "split_by_date",
    "split_by_year",
    "term_survival",
    "tfidf_matrix",
    "tfidf_wordcloud",
    "top_distinctive",
    "top_terms",
]

Z_CRITICAL = 1.96
"""|z| above which a log-odds difference is called significant (two-sided 5 %, no correction)."""

# A word as the tokenizer sees it: letters/digits, joined by hyphens or apostrophes (possessive
# quantifiers, as in the tokenizer's pattern). Split by it, a text gives its pieces
# [gap, word, gap, word, ..., gap]; only words hold ASCII letters or digits.
_WORD_SPLIT = re.compile(r"([A-Za-z0-9]++(?:[-\u2010\u2011\u2013\u2014'\u2018\u2019\u02bc`][A-Za-z0-9]++)*+)")
_WORD_START = re.compile(r"[A-Za-z0-9]")
# Between two words: a clause mark or a free-standing dash ends a phrase.
_PHRASE_BREAK = re.compile(r"[,;:()\[\]{}<>|/…\u2013\u2014]|\.\.|(?:^|\s)-(?:\s|$)")
# Sentences joined by a clause mark: no phrase runs across a sentence end.
_SENTENCE_JOIN = " | "
assert _PHRASE_BREAK.search(_SENTENCE_JOIN)


# --------------------------------------------------------------------------- n-grams
def _piece_tokens(
    piece: str, *, stops: frozenset[str], variants: Mapping[str, str], min_length: int, keep_numbers: bool
) -> tuple[str | None, ...]:
    """What a piece of text adds to a token stream (``None``: no phrase continues here).

    A word gives its tokens after the tokenizer's rules, ``None`` for each one they drop; a gap
    between words gives ``(None,)`` when it ends a phrase (see ``_PHRASE_BREAK``), else nothing.
    """
    if _WORD_START.match(piece):
        options = {"stops": stops, "variants": variants, "min_length": min_length, "keep_numbers": keep_numbers}
        return tuple(_rule_results(piece, **options))
    return (None,) if _PHRASE_BREAK.search(piece) else ()


def _piece_items(pieces: Sequence[str], **options: Any) -> list[tuple[str | None, ...]]:
    """:func:`_piece_tokens` of every piece, each distinct piece worked out once (``options``: the rules)."""
    memo = _rule_memo("phrase piece", **options)
    for piece in set(pieces).difference(memo):
        memo[piece] = _piece_tokens(piece, **options)
    return list(map(memo.__getitem__, pieces))


def _token_stream(text: str, **options: Any) -> list[str | None]:
    """The tokens of ``text`` in order, ``None`` wherever a phrase may not continue (see :func:`_piece_tokens`).

    The text is taken chunk by chunk (split at white space), each distinct chunk worked out
    once. That changes no phrase break: a clause mark is one character or "..", and a dash is
    free-standing next to white space just as at either end of a gap.
    """
    memo = _rule_memo("phrase chunk", **options)
    chunks = text.split()
    for chunk in set(chunks).difference(memo):
        memo[chunk] = tuple(itertools.chain.from_iterable(_piece_items(_WORD_SPLIT.split(chunk), **options)))
    return list(itertools.chain.from_iterable(map(memo.__getitem__, chunks)))


def phrase_ngrams(
    text: str,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: Iterable[str] | None = STOP_WORDS,
    variants: Mapping[str, str] = SPELLING_VARIANTS,
    min_length: int = 2,
    keep_numbers: bool = False,
    vocabulary: Collection[str] | None = None,
) -> list[str]:
    """Unigrams and n-grams of adjacent tokens, in the order unigrams, bigrams, ...

    Tokens are exactly those of :func:`~minsk_moscow.text.tokenize` with the same options.
    An n-gram is formed only from tokens that were neighbours in the text: never across a
    sentence end (:func:`~minsk_moscow.text.split_sentences`), a clause mark
    (``, ; : ( ) — …``), or a removed stop word, number or short token.

    Parameters
    ----------
    text
        Clean article text.
    ngram_range
        ``(min_n, max_n)`` as in scikit-learn.
    stop_words, variants, min_length, keep_numbers
        Passed on to the tokenizer's rules.
    vocabulary
        If given, only n-grams of length >= 2 found in it are kept (unigrams always are);
        :func:`tfidf_matrix` uses it to drop one-off phrases.

    Examples
    --------
    >>> phrase_ngrams("an integrated economic zone, military alliance")
    ['integrated', 'economic', 'zone', 'military', 'alliance', 'integrated economic', 'economic zone', 'military alliance']
    >>> phrase_ngrams("Peace returns. Talks resume.", ngram_range=(2, 2))
    ['peace returns', 'talks resume']
    """
    min_n, max_n = ngram_range
    if not 1 <= min_n <= max_n:
        raise ValueError(f"ngram_range must satisfy 1 <= min_n <= max_n, got {ngram_range}")
    stops = frozenset(stop_words) if stop_words is not None else frozenset()
    stream = _token_stream(_SENTENCE_JOIN.join(split_sentences(text)), stops=stops, variants=variants,
                           min_length=min_length, keep_numbers=keep_numbers)
    grams = [token for token in stream if token is not None] if min_n == 1 else []
    for n in range(max(min_n, 2), max_n + 1):
        ngrams = [" ".join(window) for window in zip(*(stream[i:] for i in range(n))) if None not in window]
        grams += ngrams if vocabulary is None else [gram for gram in ngrams if gram in vocabulary]
    return grams


def make_analyzer(**options: object) -> Callable[[str], list[str]]:
    """A one-argument analyzer for scikit-learn vectorizers; ``options`` go to :func:`phrase_ngrams`.

    >>> make_analyzer(ngram_range=(2, 2))("Kremlin spokesman Dmitry Peskov said")
    ['kremlin spokesman', 'spokesman dmitry', 'dmitry peskov']
    """
    return functools.partial(phrase_ngrams, **options)


def _corpus_texts(corpus: pd.DataFrame, text_column: str, id_column: str) -> tuple[pd.Series, pd.Index]:
    """The texts (a Series) and the document ids."""
    missing = [c for c in (text_column, id_column) if c not in corpus.columns]
    if missing:
        raise KeyError(f"corpus lacks column(s) {missing}; it has {list(corpus.columns)}")
    ids = pd.Index(corpus[id_column].astype(str), name=id_column)
    if ids.has_duplicates:
        raise ValueError(f"duplicate {id_column} values: {sorted(set(ids[ids.duplicated()]))}")
    return corpus[text_column].fillna("").astype(str), ids


def _pretokenized(doc: list[str]) -> list[str]:
    """Analyzer for documents that are already lists of terms."""
    return doc


# --------------------------------------------------------------------------- counting, in parallel
PARALLEL_MIN_DOCS = 2_000
"""Fewer documents (articles, units, sentences) than this are always counted in this process:
starting worker processes costs more than it saves on small work (see
:func:`~minsk_moscow.parallel.map_chunks`; ``$MINSK_MOSCOW_JOBS`` sets the number of workers)."""

_CHUNK_DOCS = 250
"""Documents per task sent to a worker: a few hundred, so each task's result (a local
vocabulary and three integer arrays) is small and the work spreads evenly over the workers."""

_PIECE_CHARS = 1_000_000
"""A longer text (such as the articles of a month joined into one document) is counted in pieces of about
this many characters (a few hundred articles), cut at paragraph breaks and spread over the workers: a
dozen such documents would otherwise be counted one after another in one process (35-40 s at 100,000
articles, against about 21 s on two workers)."""
_PARALLEL_MIN_PIECES = 4
"""With long texts cut into pieces, this many pieces (four million characters or more) are enough to use workers."""


class _Counts(NamedTuple):
    """Term counts of consecutive documents: a local vocabulary and CSR arrays into it.

    ``terms`` is the vocabulary packed into one string (terms joined by ``_SEP``), or a list
    when a term holds that character: one string is far smaller than many (a worker's result
    is pickled, and every part is held until the parts are merged).
    """

    terms: str | list[str]
    indptr: np.ndarray
    indices: np.ndarray
    counts: np.ndarray

    def term_list(self) -> list[str]:
        """The local vocabulary, in its order."""
        if isinstance(self.terms, list):
            return self.terms
        return self.terms.split(_SEP) if self.terms else []


_SEP = "\x1f"  # the ASCII unit separator: never in a token


def _count_docs(docs: Iterable[Iterable[str]]) -> _Counts:
    """Counts of every term of each document (a list of terms), terms numbered as first seen."""
    vocab: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for doc in docs:
        tally = Counter(doc)
        indices.extend(vocab.setdefault(term, len(vocab)) for term in tally)  # numbered as first seen
        counts.extend(tally.values())
        indptr.append(len(indices))
    terms = list(vocab)
    packed = _SEP.join(terms)
    return _Counts(packed if packed.count(_SEP) == max(len(terms) - 1, 0) else terms,
                   np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int32),
                   np.asarray(counts, dtype=np.int32))


def _merge_counts(parts: Iterable[_Counts]) -> tuple[sparse.csr_array, np.ndarray]:
    """One documents x terms count matrix (int32 counts) from consecutive parts, terms in order of first sight.

    Columns are numbered as scikit-learn's ``CountVectorizer`` numbers them before sorting its
    vocabulary (the order in which terms are first seen in the corpus) and each row's entries
    are sorted by that number, as it leaves them; :func:`_tfidf_from_counts` then follows its
    steps one by one, so sums over a row (the L2 norm) add in the same order and give the same
    floats to the last bit.

    >>> m, terms = _merge_counts([_count_docs([["b", "a", "b"]]), _count_docs([["c", "b"], []])])
    >>> terms.tolist(), m.toarray().tolist()
    (['b', 'a', 'c'], [[2, 1, 0], [1, 0, 1], [0, 0, 0]])
    """
    vocab: dict[str, int] = {}
    indptrs, indices, counts = [np.zeros(1, dtype=np.int64)], [], []
    offset = 0
    for part in parts:
        terms = part.term_list()
        local = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms), dtype=np.int32, count=len(terms))
        indices.append(local[part.indices])
        counts.append(part.counts)
        indptrs.append(part.indptr[1:] + offset)
        offset += int(part.indptr[-1])
        del part, terms, local
    indptr = np.concatenate(indptrs)
    del indptrs
    if offset < np.iinfo(np.int32).max:  # 32-bit indices, as scikit-learn uses them
        indptr = indptr.astype(np.int32)
    empty = np.zeros(0, dtype=np.int32)
    data = np.concatenate(counts) if counts else empty
    del counts
    columns = np.concatenate(indices) if indices else empty
    del indices
    matrix = sparse.csr_array((data, columns, indptr), shape=(len(indptr) - 1, len(vocab)))
    matrix.sort_indices()
    return matrix, np.asarray(list(vocab), dtype=object)


def _select_terms(counts: sparse.csr_array, terms: np.ndarray, keep: np.ndarray) -> tuple[sparse.csr_array, np.ndarray]:
    """Columns ``keep`` (ascending) of a :func:`_merge_counts` matrix, entries sorted as it sorts them."""
    if len(keep) == len(terms):
        return counts, terms
    part = counts[:, keep]
    part.sort_indices()
    return part, terms[keep]


def _alphabetical(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order that sorts ``terms`` and each term's place in it."""
    order = np.argsort(terms, kind="stable") if len(terms) else np.zeros(0, dtype=np.int64)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    return order, rank


def _chunked(func: Callable[[Sequence[Any]], Any], items: Sequence[Any], *, jobs: int | None, desc: str,
             chunk_size: int | None = None, min_parallel: int | None = None) -> Iterator[Any]:
    """``func(chunk)`` for consecutive chunks of ``items`` (``_CHUNK_DOCS`` each), in order, one at a
    time as they are done, over :func:`~minsk_moscow.parallel.imap_batches`' workers when there are
    at least ``min_parallel`` (default :data:`PARALLEL_MIN_DOCS`) items (else in this process).

    A caller that merges the results as they come (:func:`_merge_counts`) works while the
    workers do the later chunks, and never holds every result at once."""
    return imap_batches(func, items, batch_size=chunk_size or _CHUNK_DOCS, jobs=jobs, desc=desc,
                        min_parallel=PARALLEL_MIN_DOCS if min_parallel is None else min_parallel)


def _pieces(text: str, *, size: int) -> list[str]:
    """``text`` cut at paragraph breaks into pieces of at least ``size`` characters (the last may be shorter).

    The cuts are breaks that :func:`~minsk_moscow.text.split_paragraphs` finds in the whole text (the same
    pattern, scanned from the start), each dropped with its cut, so the pieces' paragraphs, and so their
    sentences and terms, are those of the whole text in the same order. A text no longer than ``size`` is
    one piece.

    >>> _pieces("One.\\n\\nTwo.\\n \\nThree.", size=4)
    ['One.', 'Two.', 'Three.']
    >>> _pieces("One.\\n\\nTwo.", size=100)
    ['One.\\n\\nTwo.']
    """
    if len(text) <= size:
        return [text]
    pieces, start, cut_from = [], 0, size
    for brk in _PARAGRAPH_BREAK.finditer(text):
        if brk.start() >= cut_from:
            pieces.append(text[start:brk.start()])
            start = brk.end()
            cut_from = start + size
    pieces.append(text[start:])
    return pieces


def _pieces_to_documents(counts: sparse.csr_array, terms: np.ndarray, owner: np.ndarray, n_docs: int
                         ) -> tuple[sparse.csr_array, np.ndarray]:
    """The :func:`_merge_counts` matrix of whole documents from that of their consecutive pieces.

    ``owner`` gives each piece's document. Rows are summed per document; the columns are then
    numbered as counting the whole documents numbers them: by the document in which a term is first
    seen, then by its number of words (:func:`phrase_ngrams` lists unigrams, then bigrams, ...), then
    by where it is first seen (its number among the pieces' terms). Counts and order are exactly
    those of counting the documents whole.
    """
    n_pieces = counts.shape[0]
    summing = sparse.csr_array((np.ones(n_pieces, dtype=counts.dtype), (owner, np.arange(n_pieces))),
                               shape=(n_docs, n_pieces))
    docs = sparse.csr_array(summing @ counts)
    # Terms are numbered as first seen over the pieces in order: the first piece holding term j is the first
    # piece whose largest term number reaches j.
    last = np.full(n_pieces, -1, dtype=np.int64)
    filled = np.diff(counts.indptr) > 0
    last[filled] = counts.indices[counts.indptr[1:][filled] - 1]  # rows are sorted: the last entry is the largest
    first_piece = np.searchsorted(np.maximum.accumulate(last), np.arange(len(terms)), side="left")
    order = np.lexsort((np.arange(len(terms)), _term_words(terms), owner[first_piece]))
    number = np.empty(len(terms), dtype=counts.indices.dtype)
    number[order] = np.arange(len(terms), dtype=counts.indices.dtype)
    docs = sparse.csr_array((docs.data.astype(counts.dtype, copy=False), number[docs.indices],
                             docs.indptr.astype(counts.indptr.dtype, copy=False)), shape=docs.shape)
    docs.sort_indices()
    return docs, terms[order]


def _gram_chunk(texts: Sequence[str], *, default_variants: bool, **options: Any) -> _Counts:
    """:func:`_count_docs` of the :func:`phrase_ngrams` of each text (run in a worker process).

    ``default_variants`` stands for :data:`~minsk_moscow.aliases.SPELLING_VARIANTS`, which
    cannot be pickled and whose identity lets the tokenizer's memo work.
    """
    if default_variants:
        options["variants"] = SPELLING_VARIANTS
    texts = texts.tolist() if hasattr(texts, "tolist") else texts  # a slice of an Arrow column: its strings
    return _count_docs(phrase_ngrams(str(text), **options) for text in texts)


_GRAM_MEMO: dict[tuple, tuple[sparse.csr_array, np.ndarray]] = {}
"""The last :data:`_GRAM_MEMO_SIZE` results of :func:`_gram_counts`, keyed on the texts' content and the options."""
_GRAM_MEMO_SIZE = 2


def _frozen(value: Any) -> Any:
    """A hashable stand-in for an option value that compares equal exactly when the values do."""
    if isinstance(value, Mapping):
        return ("mapping", frozenset((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(value))
    if isinstance(value, (list, tuple)):
        return ("sequence", tuple(_frozen(v) for v in value))
    return value


def _gram_counts(texts: Sequence[str] | pd.Series, *, jobs: int | None = None, **options: Any) -> tuple[sparse.csr_array, np.ndarray]:
    """Counts of every :func:`phrase_ngrams` term (``options``) in every text (see :func:`_merge_counts`).

    The last two results are remembered (:data:`_GRAM_MEMO`, keyed on the texts' content and the
    options): notebook 02 counts the same corpus for the before/after counts, both comparisons and
    both prior checks, a minute at 100,000 articles each time. The remembered arrays are read-only.
    """
    variants = options.pop("variants", SPELLING_VARIANTS)
    default = variants is SPELLING_VARIANTS
    if not default:
        options["variants"] = dict(variants)
    # Texts stored as Arrow strings (pandas' "str") go to the workers as slices of the stored array
    # (a few buffers each; slicing the Series instead copied the whole column every time) and are
    # keyed by their bytes as stored; any others as one list of Python strings.
    stored = texts.array if isinstance(texts, pd.Series) else None
    items = stored if stored is not None and _arrow_texts(stored) is not None else (
        texts.tolist() if isinstance(texts, pd.Series) else list(texts))
    key = _memo_key(items, default=default, options=options)
    if key is not None and key in _GRAM_MEMO:
        _GRAM_MEMO[key] = _GRAM_MEMO.pop(key)  # the most recently used goes last
        return _GRAM_MEMO[key]
    work = functools.partial(_gram_chunk, default_variants=default, **options)
    if _longest(items) > _PIECE_CHARS:  # long documents: their pieces go to the workers
        items = items if isinstance(items, list) else items.tolist()
        pieces = [_pieces(text, size=_PIECE_CHARS) for text in items]
        owner = np.repeat(np.arange(len(items)), [len(p) for p in pieces])
        flat = list(itertools.chain.from_iterable(pieces))
        del pieces
        batch = max(1, min(_CHUNK_DOCS, _PIECE_CHARS * len(flat) // max(1, sum(map(len, flat)))))
        counts, terms = _merge_counts(_chunked(work, flat, jobs=jobs, desc="counting terms", chunk_size=batch,
                                               min_parallel=_PARALLEL_MIN_PIECES))
        del flat
        counts, terms = _pieces_to_documents(counts, terms, owner, len(items))
    else:
        counts, terms = _merge_counts(_chunked(work, items, jobs=jobs, desc="counting terms"))
    if key is not None:
        for array in (counts.data, counts.indices, counts.indptr, terms):
            array.flags.writeable = False  # shared by every caller: nobody may change it in place
        _GRAM_MEMO[key] = (counts, terms)
        while len(_GRAM_MEMO) > _GRAM_MEMO_SIZE:
            del _GRAM_MEMO[next(iter(_GRAM_MEMO))]
    release_memory(items=len(items))  # the workers' results, unpickled and merged, are gone
    return counts, terms


def _memo_key(items: Sequence[str], *, default: bool, options: Mapping[str, Any]) -> tuple | None:
    """The :data:`_GRAM_MEMO` key of these texts and options; None (not remembered) for texts that are not strings.

    ``items`` is a list of strings or a pandas Arrow string array (the same texts give the same key).
    """
    import hashlib

    from .cache import _digest_texts

    digest = hashlib.sha256()
    if not len(items) or type(items[0]) is not str or not _digest_texts(items, digest):
        return None
    return (digest.hexdigest(), default, _frozen(dict(options)))


def _longest(items: Sequence[str]) -> int:
    """The length of the longest text (a list of strings or a pandas Arrow string array)."""
    if not len(items):
        return 0
    chunks = _arrow_texts(items)
    if chunks is None:
        return max(map(len, items))
    import pyarrow.compute as pc

    return int(pc.max(pc.utf8_length(chunks)).as_py())


def _without_rare_phrases(counts: sparse.csr_array, terms: np.ndarray, min_ngram_count: int
                          ) -> tuple[sparse.csr_array, np.ndarray]:
    """Drop the phrases (terms with a space) seen fewer than ``min_ngram_count`` times in all documents."""
    if min_ngram_count <= 1 or not len(terms):
        return counts, terms
    # Column sums of the integer counts (exact); bincount with weights took 1.1 s here at 100,000 articles, this 0.1 s.
    totals = np.asarray(counts.sum(axis=0)).ravel()
    phrase = np.fromiter((" " in term for term in terms), dtype=bool, count=len(terms))
    return _select_terms(counts, terms, np.flatnonzero(~(phrase & (totals < min_ngram_count))))


def _tfidf_from_counts(
    counts: sparse.csr_array, terms: np.ndarray, *, min_ngram_count: int, min_df: int | float,  # noqa: PYI041
    max_df: int | float, sublinear_tf: bool, smooth_idf: bool, norm: str | None,  # noqa: PYI041
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """What ``TfidfVectorizer(analyzer=<the terms>, ...)`` gives for documents with these term
    counts (a :func:`_merge_counts` matrix), after one-off phrases are dropped: the same steps
    (prune by document frequency, sort the vocabulary, weight), the same errors, the same floats.
    Returns the matrix and its terms in alphabetical order."""
    from sklearn.feature_extraction.text import TfidfTransformer

    counts, terms = _without_rare_phrases(counts, terms, min_ngram_count)
    if not len(terms):
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    n_doc = counts.shape[0]
    max_doc_count = max_df if isinstance(max_df, numbers.Integral) else max_df * n_doc
    min_doc_count = min_df if isinstance(min_df, numbers.Integral) else min_df * n_doc
    if max_doc_count < min_doc_count:
        raise ValueError("max_df corresponds to < documents than min_df")
    matrix = sparse.csr_array(counts, dtype=np.float64)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = np.flatnonzero((df <= max_doc_count) & (df >= min_doc_count))
    if not len(keep):
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    if len(keep) < len(terms):  # as CountVectorizer prunes (no re-sorting); nothing to do when all are kept
        matrix, terms = matrix[:, keep], terms[keep]
    order, rank = _alphabetical(terms)
    matrix.indices = rank.astype(matrix.indices.dtype).take(matrix.indices, mode="clip")
    transformer = TfidfTransformer(norm=norm, smooth_idf=smooth_idf, sublinear_tf=sublinear_tf)
    return sparse.csr_matrix(transformer.fit(matrix).transform(matrix, copy=False)), terms[order]


# --------------------------------------------------------------------------- TF-IDF
class Tfidf(NamedTuple):
    """Result of :func:`tfidf_matrix`: unpack as ``matrix, terms = tfidf[:2]`` or use fields."""

    matrix: sparse.csr_matrix
    """Documents x terms, rows in corpus order, each row L2-normalised (by default)."""
    terms: np.ndarray
    """Column labels (unigrams and phrases), alphabetical."""
    doc_ids: pd.Index
    """Row labels (``article_id``)."""

    def frame(self) -> pd.DataFrame:
        """The matrix as a dense DataFrame (documents x terms); fine for up to a few thousand rows.

        >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union talks.", "Protest talks."]})
        >>> tfidf_matrix(docs).frame().shape
        (2, 3)
        """
        return pd.DataFrame(self.matrix.toarray(), index=self.doc_ids, columns=pd.Index(self.terms, name="term"))


def tfidf_matrix(
    corpus: pd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str = "article_id",
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int | float = 1,  # noqa: PYI041 - an int is a number of documents, a float a share
    max_df: int | float = 1.0,  # noqa: PYI041
    min_ngram_count: int = 2,
    sublinear_tf: bool = True,
    smooth_idf: bool = True,
    norm: str | None = "l2",
    stop_words: Iterable[str] | None = STOP_WORDS,
    variants: Mapping[str, str] = SPELLING_VARIANTS,
    min_length: int = 2,
    keep_numbers: bool = False,
    jobs: int | None = None,
) -> Tfidf:
    """TF-IDF of the :func:`phrase_ngrams` terms of every document, by scikit-learn.

    Parameters
    ----------
    corpus
        One row per document.
    ngram_range
        Unigrams and adjacent-word phrases up to ``max_n`` words.
    min_df, max_df, sublinear_tf, smooth_idf, norm
        As in :class:`~sklearn.feature_extraction.text.TfidfVectorizer`. The defaults keep a
        term found in a single document (``min_df=1``: in a small corpus that is precisely
        what sets a document apart) and damp repetition with ``1 + log(tf)``.
    min_ngram_count
        A phrase (n >= 2) is kept only if it occurs at least this often in the whole corpus,
        so one-off word pairs do not crowd out words; ``1`` keeps every pair.
    stop_words, variants, min_length, keep_numbers
        The tokenizer's rules (see :func:`~minsk_moscow.text.tokenize`). Proper names are
        ordinary tokens: a name found in every document gets the lowest idf.
    jobs
        Worker processes that find the terms (default ``$MINSK_MOSCOW_JOBS``, else every core);
        corpora under :data:`PARALLEL_MIN_DOCS` documents are always done in this process. The
        result does not depend on it: each document's terms are counted, the counts put together
        in document order and weighted by scikit-learn's ``TfidfTransformer``, exactly as
        ``TfidfVectorizer`` would weight them. Memory holds the counts (a sparse matrix), never
        every document's list of terms.

    Returns
    -------
    Tfidf
        ``(matrix, terms, doc_ids)``.

    Raises
    ------
    ValueError
        With fewer than two documents (idf compares documents) or no terms left.

    Examples
    --------
    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state talks.", "Protest talks."]})
    >>> tf = tfidf_matrix(docs, min_ngram_count=1)
    >>> list(tf.terms)
    ['protest', 'protest talks', 'state', 'state talks', 'talks', 'union', 'union state']
    >>> tf.frame().round(3).loc["b", ["protest", "talks"]].tolist()
    [0.632, 0.449]
    """
    texts, ids = _corpus_texts(corpus, text_column, id_column)
    if len(texts) < 2:
        raise ValueError(f"TF-IDF needs at least 2 documents, got {len(texts)}")
    counts, terms = _gram_counts(texts, jobs=jobs, ngram_range=ngram_range, stop_words=frozenset(stop_words or ()),
                                 variants=variants, min_length=min_length, keep_numbers=keep_numbers)
    weights = {"min_ngram_count": min_ngram_count, "min_df": min_df, "max_df": max_df, "sublinear_tf": sublinear_tf,
               "smooth_idf": smooth_idf, "norm": norm}
    return Tfidf(*_weighted(counts, terms, **weights), ids)


class _NoTermsLeft(ValueError):
    """The weighting settings leave no terms of this corpus (what :func:`robustness_table` skips a setting for)."""


def _weighted(counts: sparse.csr_array, terms: np.ndarray, **weights: Any) -> tuple[sparse.csr_matrix, np.ndarray]:
    """:func:`_tfidf_from_counts` with :func:`tfidf_matrix`'s error message."""
    try:
        return _tfidf_from_counts(counts, terms, **weights)
    except ValueError as exc:
        raise _NoTermsLeft(f"no terms left for TF-IDF with these settings ({exc})") from None


def _term_words(terms: np.ndarray) -> np.ndarray:
    """The number of words of each term (tokens hold no space when no spelling variant does)."""
    return np.fromiter((term.count(" ") + 1 for term in terms), dtype=np.int64, count=len(terms))


def _free_of(terms: np.ndarray, words: frozenset[str]) -> np.ndarray:
    """Whether each term (words joined by spaces) holds none of ``words``.

    >>> _free_of(np.array(["union state", "the union", "talks"], dtype=object), frozenset({"the"})).tolist()
    [True, False, True]
    """
    return np.fromiter((words.isdisjoint(term.split(" ")) for term in terms), dtype=bool, count=len(terms))


def top_terms(tfidf: Tfidf, *, n: int = 10) -> pd.DataFrame:
    """Each document's ``n`` highest-weighted terms: ``article_id, rank, term, weight, tied``.

    ``tied`` counts the document's terms with exactly this weight (itself included): in a small
    corpus many terms share a weight, and their order (alphabetical, so the table is stable)
    then means nothing. Zero weights are never listed.

    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state. Union.", "Protest talks."]})
    >>> top_terms(tfidf_matrix(docs), n=2).values.tolist()
    [['a', 1, 'union', 0.861, 1], ['a', 2, 'state', 0.509, 1], ['b', 1, 'protest', 0.707, 2], ['b', 2, 'talks', 0.707, 2]]
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    rows = []
    for i, doc in enumerate(tfidf.doc_ids):
        row = tfidf.matrix.getrow(i)
        pairs = sorted(zip(tfidf.terms[row.indices], row.data), key=lambda p: (-p[1], p[0]))
        same = Counter(round(float(w), 9) for w in row.data)
        rows += [
            (doc, rank, str(term), round(float(w), 3), same[round(float(w), 9)])
            for rank, (term, w) in enumerate(pairs[:n], start=1)
            if w > 0
        ]
    return pd.DataFrame(rows, columns=[tfidf.doc_ids.name or "article_id", "rank", "term", "weight", "tied"])


# --------------------------------------------------------------------------- groups and log-odds
def split_by_date(
    corpus: pd.DataFrame,
    cutoff: str | pd.Timestamp,
    *,
    labels: tuple[str, str] = ("before", "after"),
    column: str = "date",
    undated: str = "error",
) -> pd.Series:
    """Label each article ``labels[0]`` if dated before ``cutoff``, else ``labels[1]``.

    Returns a Series aligned with ``corpus`` (named ``group``). With ``undated="leave out"``
    an article without a date gets no label (``None``), so group comparisons leave it out;
    ``attrs["undated"]`` lists their ids (or row numbers).

    Raises
    ------
    ValueError
        If an article has no date (unless left out), or if either side would be empty.

    >>> docs = pd.DataFrame({"date": pd.to_datetime(["2020-08-05", "2020-09-03", None])})
    >>> split_by_date(docs.iloc[:2], "2020-08-09").tolist()
    ['before', 'after']
    >>> split_by_date(docs, "2020-08-09", undated="leave out").tolist()
    ['before', 'after', None]
    """
    if undated not in ("error", "leave out"):
        raise ValueError(f"undated must be 'error' or 'leave out', not {undated!r}")
    dates = pd.to_datetime(corpus[column])
    cut = pd.Timestamp(cutoff)
    missing = dates.isna()
    if missing.any() and (undated == "error" or missing.all()):
        raise ValueError(f"{int(missing.sum())} article(s) have no {column}: cannot place them before or after {cut.date()}")
    groups = pd.Series(np.where(dates < cut, labels[0], labels[1]), index=corpus.index, name="group", dtype=object)
    groups[missing.to_numpy()] = None
    ids = corpus["article_id"] if "article_id" in corpus else pd.Series(corpus.index, index=corpus.index)
    groups.attrs["undated"] = [str(i) for i in ids[missing.to_numpy()]]
    for label in labels:
        if not (groups == label).any():
            raise ValueError(f"no article falls in group {label!r} (cutoff {cut.date()}, dates {dates.min().date()} to {dates.max().date()})")
    return groups


def split_by_year(
    corpus: pd.DataFrame,
    year: int | None = None,
    *,
    column: str = "date",
    undated: str = "error",
) -> pd.Series:
    """Label articles of ``year`` (default: the latest year present) against all earlier ones.

    Labels are the years themselves (``"2020"`` vs ``"2021"``; ``"2019-2020"`` when the earlier
    side spans several years), so the comparison adapts to any corpus. See
    :func:`split_by_date` for ``undated`` and the errors.

    >>> docs = pd.DataFrame({"date": pd.to_datetime(["2019-05-01", "2020-08-05", "2021-09-09"])})
    >>> split_by_year(docs).tolist()
    ['2019-2020', '2019-2020', '2021']
    """
    dates = pd.to_datetime(corpus[column])
    if dates.isna().all():
        raise ValueError(f"no article has a {column}")
    year = int(dates.max().year) if year is None else int(year)
    first = int(dates.min().year)
    earlier = str(year - 1) if first >= year - 1 else f"{first}-{year - 1}"
    return split_by_date(corpus, pd.Timestamp(year=year, month=1, day=1), labels=(earlier, str(year)), column=column,
                         undated=undated)


def group_term_counts(
    corpus: pd.DataFrame,
    groups: pd.Series,
    *,
    text_column: str = "text",
    min_ngram_count: int = 2,
    jobs: int | None = None,
    **options: object,
) -> pd.DataFrame:
    """Term counts per group: a terms x groups DataFrame of integers (alphabetical terms).

    ``options`` go to :func:`phrase_ngrams` (default unigrams and bigrams); phrases must occur
    ``min_ngram_count`` times in the whole corpus, as in :func:`tfidf_matrix`. The terms are
    found by ``jobs`` worker processes on large corpora, as in :func:`tfidf_matrix` (same result).
    Groups are columns in order of first appearance; the table is dense (terms x groups), so
    keep the groups few (periods, outlets), not one per article of a large corpus.

    >>> docs = pd.DataFrame({"text": ["Union state.", "Union talks.", "Protest talks."]})
    >>> group_term_counts(docs, pd.Series(["x", "y", "y"]), ngram_range=(1, 1)).to_dict()
    {'x': {'protest': 0, 'state': 1, 'talks': 0, 'union': 1}, 'y': {'protest': 1, 'state': 0, 'talks': 2, 'union': 1}}
    """
    if len(groups) != len(corpus):
        raise ValueError(f"groups has {len(groups)} labels for {len(corpus)} articles")
    texts = corpus[text_column].fillna("").astype(str)
    options.setdefault("ngram_range", (1, 2))
    counts, terms = _without_rare_phrases(*_gram_counts(texts, jobs=jobs, **options), min_ngram_count)
    labels = [str(label) for label in groups]
    names = list(dict.fromkeys(labels))
    code = {name: i for i, name in enumerate(names)}
    rows = np.fromiter((code[label] for label in labels), dtype=np.int64, count=len(labels))
    member = sparse.csr_matrix((np.ones(len(labels), dtype=np.int64), (rows, np.arange(len(labels)))),
                               shape=(len(names), len(labels)))
    order, _ = _alphabetical(terms)
    sums = np.asarray((member @ counts).toarray(), dtype=np.int64)[:, order]
    return pd.DataFrame(dict(zip(names, sums)), index=pd.Index(terms[order].tolist(), dtype="str", name="term"))


def _as_counts(counts: Mapping[str, float] | pd.Series, name: str) -> pd.Series:
    series = pd.Series(counts, dtype=float) if not isinstance(counts, pd.Series) else counts.astype(float)
    if series.isna().any() or (series < 0).any():
        raise ValueError(f"{name} must hold non-negative counts")
    return series.groupby(level=0).sum()


def log_odds_dirichlet(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
    *,
    prior: Mapping[str, float] | pd.Series | None = None,
    alpha0: float | None = None,
    labels: tuple[str, str] = ("a", "b"),
) -> pd.DataFrame:
    """Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    For term *w* with counts :math:`y_a, y_b` in groups of :math:`n_a, n_b` tokens, prior
    pseudo-count :math:`\\alpha_w` and :math:`\\alpha_0 = \\sum_w \\alpha_w`:

    .. math::

        \\delta_w = \\log\\frac{y_a + \\alpha_w}{n_a + \\alpha_0 - y_a - \\alpha_w}
                  - \\log\\frac{y_b + \\alpha_w}{n_b + \\alpha_0 - y_b - \\alpha_w},\\qquad
        \\sigma^2_w \\approx \\frac{1}{y_a + \\alpha_w} + \\frac{1}{y_b + \\alpha_w},\\qquad
        z_w = \\delta_w / \\sigma_w.

    Positive *z* marks a term of group a, negative of group b.

    Parameters
    ----------
    counts_a, counts_b
        Term counts of each group (mapping or Series); a term missing from one counts 0.
    prior
        Pseudo-counts :math:`\\alpha_w`. Default: the two groups together (``counts_a +
        counts_b``), i.e. the informative prior of the paper built from the whole corpus.
        It must give every term a positive count.
    alpha0
        If given, the prior is rescaled to sum to ``alpha0`` (its shape is kept). A smaller
        ``alpha0`` shrinks less; the default keeps the corpus counts as they are.
    labels
        Names of the groups, used in the ``favours`` column.

    Returns
    -------
    pandas.DataFrame
        ``term, count_a, count_b, prior, delta, variance, z, favours``, sorted by ``z``
        descending (ties by total count, then term).

    Raises
    ------
    ValueError
        If a group has no tokens, or the prior misses a term or is not positive.

    Examples
    --------
    >>> t = log_odds_dirichlet({"war": 2}, {"war": 1, "peace": 3}, labels=("2020", "2021"))
    >>> t[["term", "z", "favours"]].round(2).values.tolist()
    [['war', 1.37, '2020'], ['peace', -1.3, '2021']]
    """
    a, b = _as_counts(counts_a, "counts_a"), _as_counts(counts_b, "counts_b")
    for label, series in zip(labels, (a, b)):
        if series.sum() <= 0:
            raise ValueError(f"group {label!r} has no tokens: cannot compare an empty group")
    if prior is None:
        alpha = a.add(b, fill_value=0)
    else:
        alpha = _as_counts(prior, "prior")
        missing = a.index.union(b.index).difference(alpha.index)
        if len(missing):
            raise ValueError(f"the prior lacks {len(missing)} term(s) found in the groups, e.g. {list(missing[:5])}")
    terms = alpha.index.union(a.index).union(b.index)
    a, b, alpha = (s.reindex(terms, fill_value=0.0) for s in (a, b, alpha))
    if (alpha <= 0).any():
        raise ValueError(f"the prior must be positive for every term; zero for {list(alpha.index[alpha <= 0][:5])}")
    if alpha0 is not None:
        if alpha0 <= 0:
            raise ValueError(f"alpha0 must be positive, got {alpha0}")
        alpha = alpha * (alpha0 / alpha.sum())
    a0, n_a, n_b = alpha.sum(), a.sum(), b.sum()
    delta = np.log((a + alpha) / (n_a + a0 - a - alpha)) - np.log((b + alpha) / (n_b + a0 - b - alpha))
    variance = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    z = delta / np.sqrt(variance)
    table = pd.DataFrame(
        {
            "term": terms.astype(str),
            "count_a": a.to_numpy(),
            "count_b": b.to_numpy(),
            "prior": alpha.to_numpy(),
            "delta": delta.to_numpy(),
            "variance": variance.to_numpy(),
            "z": z.to_numpy(),
        }
    )
    if (table[["count_a", "count_b"]] % 1 == 0).all().all():
        table[["count_a", "count_b"]] = table[["count_a", "count_b"]].astype(int)
    table["favours"] = np.where(table["z"] > 0, labels[0], np.where(table["z"] < 0, labels[1], "neither"))
    table["_total"] = table["count_a"] + table["count_b"]
    table = table.sort_values(["z", "_total", "term"], ascending=[False, False, True]).drop(columns="_total")
    return table.reset_index(drop=True)


def compare_groups(
    corpus: pd.DataFrame,
    groups: pd.Series,
    *,
    a: str,
    b: str,
    alpha0: float | None = None,
    **count_options: object,
) -> pd.DataFrame:
    """Log-odds of group ``a`` against group ``b``, with the whole corpus as the prior.

    The prior counts come from every article in ``corpus`` (including any in neither group);
    ``count_options`` go to :func:`group_term_counts`. See :func:`log_odds_dirichlet`.

    >>> docs = pd.DataFrame({"text": ["Union state union.", "Protest talks.", "Protest union."]})
    >>> t = compare_groups(docs, pd.Series(["x", "y", "y"]), a="x", b="y", ngram_range=(1, 1))
    >>> t[["term", "count_a", "count_b"]].values.tolist()[:2]
    [['union', 2, 1], ['state', 1, 0]]
    """
    counts = group_term_counts(corpus, groups, **count_options)
    for label in (a, b):
        if label not in counts.columns:
            raise ValueError(f"no article in group {label!r}; groups are {sorted(counts.columns)}")
    return log_odds_dirichlet(counts[a], counts[b], prior=counts.sum(axis=1), alpha0=alpha0, labels=(a, b))


def prior_sensitivity(
    corpus: pd.DataFrame,
    groups: pd.Series,
    *,
    a: str,
    b: str,
    alpha0s: Sequence[float | None] = (None, 1000, 100, 10),
    **count_options: object,
) -> pd.DataFrame:
    """How the log-odds verdict depends on the strength of the prior.

    For each ``alpha0`` (``None``: the corpus counts as they are) one row: the prior's total,
    the number of terms with ``z > 1.96`` (side a) and ``z < -1.96`` (side b), and the top
    term of each side with its z-score.

    >>> docs = pd.DataFrame({"text": ["Union state union.", "Protest talks.", "Protest union."]})
    >>> prior_sensitivity(docs, pd.Series(["x", "y", "y"]), a="x", b="y", alpha0s=[None, 1],
    ...                   ngram_range=(1, 1))[["alpha0", "top_a", "top_b"]].values.tolist()
    [[7.0, 'union', 'protest'], [1.0, 'union', 'protest']]
    """
    counts = group_term_counts(corpus, groups, **count_options)
    rows = []
    for alpha0 in alpha0s:
        table = log_odds_dirichlet(counts[a], counts[b], prior=counts.sum(axis=1), alpha0=alpha0, labels=(a, b))
        top_a, top_b = table.iloc[0], table.iloc[-1]
        rows.append(
            {
                "alpha0": round(float(table["prior"].sum()), 3),
                "a": a,
                "b": b,
                "significant_a": int((table["z"] > Z_CRITICAL).sum()),
                "significant_b": int((table["z"] < -Z_CRITICAL).sum()),
                "top_a": top_a["term"],
                "z_a": round(float(top_a["z"]), 2),
                "top_b": top_b["term"],
                "z_b": round(float(top_b["z"]), 2),
            }
        )
    return pd.DataFrame(rows)


def top_distinctive(table: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The ``n`` most distinctive terms on each side of a :func:`log_odds_dirichlet` table.

    Returns ``favours, rank, term, count_a, count_b, z, tied, significant``: ``tied`` counts
    the terms with the same z-score (same counts give the same z, and their order is
    alphabetical), ``significant`` is ``|z| > 1.96``.

    >>> t = log_odds_dirichlet({"war": 2}, {"war": 1, "peace": 3}, labels=("2020", "2021"))
    >>> top_distinctive(t, n=1)[["favours", "term"]].values.tolist()
    [['2020', 'war'], ['2021', 'peace']]
    """
    parts = []
    for side, part in ((">", table[table["z"] > 0]), ("<", table[table["z"] < 0].iloc[::-1])):
        part = part.head(n).copy()
        part.insert(1, "rank", range(1, len(part) + 1))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    same = Counter(table["z"].round(9))
    out["tied"] = [same[v] for v in out["z"].round(9)]
    out["significant"] = out["z"].abs() > Z_CRITICAL
    return out[["favours", "rank", "term", "count_a", "count_b", "z", "tied", "significant"]]


# --------------------------------------------------------------------------- keywords in context
class _Parsed(NamedTuple):
    """A sentence as :class:`ContextFinder` searches it: its token stream (as in
    :func:`_token_stream`, ``None`` wherever a phrase may not continue) and, for each entry,
    where the word it comes from starts and ends in the text."""

    stream: tuple[str | None, ...]
    starts: array
    ends: array


class ContextFinder:
    """Keywords in context of many terms over one sentence table, each sentence parsed at most once.

    :func:`keywords_in_context` searches a table for one term; a finder is the same search kept
    ready for the next term: every sentence is split into words and tokenized (as the
    n-grams are formed, see :func:`phrase_ngrams`) the first time a search looks at it, and kept.
    The first search of the whole table looks only at the sentences whose text holds the term's
    first word (or a spelling of it) and so parses only those; from the second search of the
    whole table on, every sentence is parsed once and indexed by token, so that each search
    looks only at the sentences holding the term's first token. :meth:`find` gives exactly the
    table ``keywords_in_context(sentences, term, ...)`` gives, and with ``rows`` that of
    ``keywords_in_context(sentences.iloc[rows], term, ...)``; :meth:`occurrences` gives the same
    matches as plain tuples, without building a table (cheaper when thousands of terms are looked up).

    The table and ``variants`` must not change while the finder is in use.

    Parameters
    ----------
    sentences : pandas.DataFrame
        A sentence table (e.g. :func:`~minsk_moscow.corpus.sentence_table`): a text column and
        any others, which are returned with each match.
    text_column : str
        The column of the sentences' text.
    variants : Mapping
        Spelling variants, as for :func:`~minsk_moscow.text.tokenize` (default
        :data:`~minsk_moscow.aliases.SPELLING_VARIANTS`).

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["x", "y"],
    ...                   "text": ['The two form a "union state".', "Lukashenka's union, state talks."]})
    >>> finder = ContextFinder(s)
    >>> finder.find("union state", width=10).values.tolist()
    [['x', '… form a "', 'union state', '".']]
    >>> finder.find("Lukashenko", width=10)[["article_id", "match"]].values.tolist()
    [['y', "Lukashenka's"]]
    >>> finder.find("union", rows=[1, 0])["article_id"].tolist()
    ['y', 'x']
    """

    def __init__(
        self,
        sentences: pd.DataFrame,
        *,
        text_column: str = "text",
        variants: Mapping[str, str] = SPELLING_VARIANTS,
    ) -> None:
        self.sentences = sentences
        self.text_column = text_column
        self.variants = variants
        self._texts: list[str] | None = None  # read at the first search (see _table)
        self._others: pd.DataFrame | None = None
        self._keep: list[Any] = []
        self._lowered: list[str | None] = []  # per sentence, once needed: its text lower-cased
        self._parsed: list[_Parsed | None] = []  # ... and parsed
        self._records: dict[int, dict[Any, Any]] = {}  # the other columns of each sentence with a match
        self._spellings: dict[str, set[str]] | None = None
        self._index: dict[str, list[int]] | None = None
        self._whole_searches = 0

    def _table(self) -> tuple[list[str], pd.DataFrame]:
        """The texts (as strings) and the other columns, read once."""
        if self._texts is None or self._others is None:
            self._keep = [c for c in self.sentences.columns if c != self.text_column]
            self._others = self.sentences[self._keep]
            self._texts = self.sentences[self.text_column].astype(str).tolist()
            self._lowered = [None] * len(self._texts)
            self._parsed = [None] * len(self._texts)
        return self._texts, self._others

    def _forms(self, token: str) -> set[str]:
        """``token`` and every spelling that ``variants`` maps to it."""
        if self._spellings is None:
            self._spellings = {}
            for key, value in self.variants.items():
                self._spellings.setdefault(value, set()).add(key)
        return {token, *self._spellings.get(token, ())}

    def _parse(self, position: int) -> _Parsed:
        """The stream of sentence ``position`` and where each entry's word lies in its text (memoised)."""
        parsed = self._parsed[position]
        if parsed is not None:
            return parsed
        pieces = _WORD_SPLIT.split(self._texts[position])  # type: ignore[index]
        items = _piece_items(pieces, stops=frozenset(), variants=self.variants, min_length=1, keep_numbers=True)
        stream: list[str | None] = []
        starts, ends = array("l"), array("l")
        offset = 0
        for piece, item in zip(pieces, items):
            end = offset + len(piece)
            if item:
                stream += item
                starts.extend([offset] * len(item))
                ends.extend([end] * len(item))
            offset = end
        parsed = self._parsed[position] = _Parsed(tuple(stream), starts, ends)
        return parsed

    def _token_index(self) -> dict[str, list[int]]:
        """Token -> the positions of the sentences whose stream holds it, ascending (built once)."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            for position in range(len(self._texts)):  # type: ignore[arg-type]
                for token in set(self._parse(position).stream):
                    if token is not None:
                        index.setdefault(token, []).append(position)
            self._index = index
        return self._index

    def _matches(self, wanted: tuple[str, ...], candidates: Iterable[int], forms: set[str], quick: bool,
                 width: int) -> Iterator[tuple[int, str, str, str]]:
        """Each occurrence of ``wanted`` in the ``candidates``, in order: ``(position, left, match, right)``.
        With ``quick``, a sentence whose lower-cased text holds none of the ``forms`` is passed over
        without being parsed."""
        texts, lowered, parsed = self._texts, self._lowered, self._parsed
        k, first = len(wanted), wanted[0]
        for position in candidates:
            text = texts[position]  # type: ignore[index]
            if quick:
                low = lowered[position]
                if low is None:
                    low = lowered[position] = text.lower()
                if not any(form in low for form in forms):
                    continue
            stream, starts, ends = parsed[position] or self._parse(position)
            i = -1
            while True:
                try:
                    i = stream.index(first, i + 1)
                except ValueError:
                    break
                if stream[i : i + k] == wanted:
                    start, end = starts[i], ends[i + k - 1]
                    left, right = text[:start], text[end:]
                    left = left if len(left) <= width else "…" + left[-(width - 1):]
                    right = right if len(right) <= width else right[: width - 1] + "…"
                    yield position, left, text[start:end], right

    def occurrences(
        self,
        term: str,
        *,
        width: int = 60,
        n: int | None = None,
        rows: Sequence[int] | None = None,
    ) -> list[tuple[int, str, str, str]]:
        """The occurrences :meth:`find` gives, without the table: ``(position, left, match, right)`` each,
        ``position`` being the sentence's place in the table (as for ``iloc``). Parameters as for :meth:`find`.

        >>> finder = ContextFinder(pd.DataFrame({"text": ["Minsk and Moscow.", "Moscow, then Minsk."]}))
        >>> finder.occurrences("minsk", width=8)
        [(0, '', 'Minsk', ' and Mo…'), (1, '…, then ', 'Minsk', '.')]
        """
        wanted = tuple(tokenize(term, stop_words=None, variants=self.variants, min_length=1, keep_numbers=True))
        if not wanted:
            raise ValueError(f"term {term!r} holds no token")
        texts, _ = self._table()
        # A sentence can match only if the first token, or a spelling that maps to it, is in its text:
        # a substring test skips the others without tokenizing them (only for plain letter-digit forms).
        forms = self._forms(wanted[0])
        quick = all(form.isascii() and form.isalnum() for form in forms)
        if rows is not None:
            candidates: Iterable[int] = rows
        else:
            self._whole_searches += 1
            candidates = self._token_index().get(wanted[0], []) if self._whole_searches > 1 else range(len(texts))
        limit = None if n is None else max(n, 1)  # n <= 0 stops after the first match, as it always has
        return list(itertools.islice(self._matches(wanted, candidates, forms, quick, width), limit))

    def find(
        self,
        term: str,
        *,
        width: int = 60,
        n: int | None = None,
        rows: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """Every occurrence of ``term`` with its context: see :func:`keywords_in_context`.

        Parameters
        ----------
        term : str
            A word or a phrase, normalised like the tokens.
        width : int
            Characters of context kept on each side (cut with ``…``).
        n : int, optional
            Stop after this many matches.
        rows : sequence of int, optional
            Positions (as for ``iloc``) of the sentences to search, in this order; default all.

        Returns
        -------
        pandas.DataFrame
            The table's other columns plus ``left, match, right``, one row per occurrence.
        """
        found = self.occurrences(term, width=width, n=n, rows=rows)
        _, others = self._table()
        missing = [p for p in dict.fromkeys(p for p, *_ in found) if p not in self._records]
        if missing:  # one pandas call for the sentences not met before (a row's record is the same in any batch)
            self._records.update(zip(missing, others.iloc[missing].to_dict("records")))
        rows_out = [{**self._records[p], "left": left, "match": match, "right": right} for p, left, match, right in found]
        return pd.DataFrame(rows_out, columns=[*self._keep, "left", "match", "right"])


def keywords_in_context(
    sentences: pd.DataFrame,
    term: str,
    *,
    width: int = 60,
    n: int | None = None,
    text_column: str = "text",
    variants: Mapping[str, str] = SPELLING_VARIANTS,
) -> pd.DataFrame:
    """Every occurrence of ``term`` (a token or a phrase) in a sentence table, with context.

    ``term`` is normalised like the tokens (``"Lukashenka's"`` finds ``lukashenko``), and a
    phrase matches only where :func:`phrase_ngrams` would form it (adjacent words, no clause
    mark between). Returns the sentence table's other columns plus ``left, match, right``:
    the text before and after, cut to ``width`` characters with ``…``. To search one table for
    many terms, use one :class:`ContextFinder` (each sentence is then tokenized once).

    >>> s = pd.DataFrame({"article_id": ["x"], "text": ['The two form a "union state" with a zone.']})
    >>> keywords_in_context(s, "Union State", width=15).values.tolist()
    [['x', '…e two form a "', 'union state', '" with a zone.']]
    """
    return ContextFinder(sentences, text_column=text_column, variants=variants).find(term, width=width, n=n)


# --------------------------------------------------------------------------- robustness
def robustness_table(
    corpus: pd.DataFrame,
    variants: Mapping[str, Mapping[str, object]],
    *,
    baseline: Mapping[str, object] | None = None,
    n: int = 10,
) -> pd.DataFrame:
    """How many of each article's top-``n`` TF-IDF terms survive other settings.

    Parameters
    ----------
    corpus
        As for :func:`tfidf_matrix`.
    variants
        Setting name -> keyword arguments of :func:`tfidf_matrix` that differ from the baseline.
    baseline
        Keyword arguments of the reference run (default: the defaults of :func:`tfidf_matrix`).
    n
        Length of each top list.

    Returns
    -------
    pandas.DataFrame
        One row per setting and article: ``setting, article_id, kept`` (baseline top terms
        still in the top ``n``), ``share`` (kept / baseline list length), ``lost`` and
        ``gained`` (terms, comma-separated, in rank order).

    A setting that leaves no terms on this corpus (``min_df=2`` over a few unrelated articles)
    has no rows; ``table.attrs["skipped"]`` maps its name to the reason, and
    :func:`robustness_note` says so in a sentence. If the baseline itself, or every setting,
    leaves no terms, a ``ValueError`` says so.

    Settings that tokenize alike (same stop words, variants, minimum length and numbers) share
    one count of the corpus's terms; each is then weighted as :func:`tfidf_matrix` would (same
    result as calling it once per setting, in a fraction of the time).

    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state. Union state talks.", "Protest talks."]})
    >>> robustness_table(docs, {"unigrams": {"ngram_range": (1, 1)}}, n=3)[["kept", "lost", "gained"]].values.tolist()
    [[2, 'union state', 'talks'], [2, '', '']]
    >>> apart = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state talks.", "Protest rally."]})
    >>> table = robustness_table(apart, {"unigrams": {"ngram_range": (1, 1)}, "min_df = 2": {"min_df": 2}}, n=3)
    >>> table["setting"].unique().tolist(), list(table.attrs["skipped"])
    (['unigrams'], ['min_df = 2'])
    """
    base_kw = dict(baseline or {})
    settings = {name: {**base_kw, **change} for name, change in variants.items()}
    tables = _tfidf_settings(corpus, [base_kw, *settings.values()], keep_errors=True)
    if isinstance(tables[0], ValueError):
        raise tables[0]
    skipped = {name: str(table) for name, table in zip(settings, tables[1:]) if isinstance(table, ValueError)}
    if settings and len(skipped) == len(settings):
        raise ValueError(f"none of the {len(settings)} other settings leaves terms for TF-IDF on this corpus "
                         f"({next(iter(skipped.values()))})")
    base = top_terms(tables[0], n=n)
    id_col = base.columns[0]
    base_lists = base.groupby(id_col, sort=False)["term"].apply(list)
    rows = []
    for name, other_tfidf in zip(settings, tables[1:]):
        if isinstance(other_tfidf, ValueError):
            continue
        other = top_terms(other_tfidf, n=n)
        other_lists = other.groupby(id_col, sort=False)["term"].apply(list)
        for doc, terms in base_lists.items():
            new = other_lists.get(doc, [])
            kept = [t for t in terms if t in new]
            rows.append(
                {
                    "setting": name,
                    id_col: doc,
                    "kept": len(kept),
                    "share": round(len(kept) / len(terms), 2),
                    "lost": ", ".join(t for t in terms if t not in new),
                    "gained": ", ".join(t for t in new if t not in terms),
                }
            )
    table = pd.DataFrame(rows, columns=["setting", id_col, "kept", "share", "lost", "gained"])
    table.attrs["skipped"] = skipped
    return table


def robustness_note(robust: pd.DataFrame) -> str:
    """One sentence on the settings a :func:`robustness_table` could not compute, ``""`` if none.

    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state talks.", "Protest rally."]})
    >>> robustness_note(robustness_table(docs, {"unigrams": {"ngram_range": (1, 1)}, "min_df = 2": {"min_df": 2}}))
    '1 of 2 settings could not be computed on this corpus and is left out of the check: min_df = 2 (no terms left for TF-IDF with these settings (After pruning, no terms remain. Try a lower min_df or a higher max_df.))'
    """
    skipped = dict(robust.attrs.get("skipped") or {})
    if not skipped:
        return ""
    total = len(skipped) + robust["setting"].nunique()
    verb = "is" if len(skipped) == 1 else "are"
    reasons = "; ".join(f"{name} ({reason})" for name, reason in skipped.items())
    return (f"{len(skipped)} of {total} settings could not be computed on this corpus and {verb} left out "
            f"of the check: {reasons}")


_TOKEN_OPTIONS = ("stop_words", "variants", "min_length", "keep_numbers")
_WEIGHT_OPTIONS = ("min_ngram_count", "min_df", "max_df", "sublinear_tf", "smooth_idf", "norm")


def _tfidf_settings(corpus: pd.DataFrame, settings: Sequence[Mapping[str, Any]], *, keep_errors: bool = False
                    ) -> list[Tfidf | ValueError]:
    """:func:`tfidf_matrix` of ``corpus`` under each setting (keyword arguments), counting once per tokenization.

    With ``keep_errors`` a setting that leaves no terms gets its ``ValueError`` in its place
    instead of raising it (the other settings are still computed).

    Settings with the same tokenizer options but the stop words share one count: of the longest
    n-grams any of them needs, with only the stop words they all have. A setting takes the columns
    of its lengths (tokens hold no space when no variant does, so a term's length is its spaces
    plus one) whose words are none of its other stop words: a stop word is dropped after every
    other rule and breaks the phrases around it, so those columns are exactly the counts its own
    stop words give, numbered in the same order. Anything unusual (another text or id column,
    variants with spaces) falls back to :func:`tfidf_matrix` itself.
    """
    defaults = {name: p.default for name, p in inspect.signature(tfidf_matrix).parameters.items()
                if p.kind is inspect.Parameter.KEYWORD_ONLY}
    full = [{**defaults, **setting} for setting in settings]
    out: list[Tfidf | ValueError | None] = [None] * len(full)

    def attempt(make: Callable[[], Tfidf]) -> Tfidf | ValueError:
        try:
            return make()
        except _NoTermsLeft as exc:
            if not keep_errors:
                raise
            return exc

    shared: dict[tuple[Any, ...], list[int]] = {}
    for i, kw in enumerate(full):
        unknown = set(kw) - set(defaults)
        spaced = any(any(c.isspace() for c in str(v)) for v in dict(kw["variants"]).values())
        if unknown or spaced or kw["text_column"] != "text" or kw["id_column"] != "article_id":
            out[i] = attempt(functools.partial(tfidf_matrix, corpus, **settings[i]))
            continue
        key = (id(kw["variants"]), kw["min_length"], kw["keep_numbers"], kw["jobs"])
        shared.setdefault(key, []).append(i)
    for members in shared.values():
        first = full[members[0]]
        texts, ids = _corpus_texts(corpus, "text", "article_id")
        if len(texts) < 2:
            raise ValueError(f"TF-IDF needs at least 2 documents, got {len(texts)}")
        for kw in (full[i] for i in members):
            if not 1 <= kw["ngram_range"][0] <= kw["ngram_range"][1]:
                raise ValueError(f"ngram_range must satisfy 1 <= min_n <= max_n, got {kw['ngram_range']}")
        longest = max(full[i]["ngram_range"][1] for i in members)
        stop_sets = [frozenset(full[i]["stop_words"] or ()) for i in members]
        common = frozenset.intersection(*stop_sets)
        counts, terms = _gram_counts(texts, jobs=first["jobs"], ngram_range=(1, longest), stop_words=common,
                                     variants=first["variants"], min_length=first["min_length"],
                                     keep_numbers=first["keep_numbers"])
        length = _term_words(terms)
        for i, stops in zip(members, stop_sets):
            low, high = full[i]["ngram_range"]
            keep = (length >= low) & (length <= high)
            if stops != common:
                keep &= _free_of(terms, stops - common)
            part = _select_terms(counts, terms, np.flatnonzero(keep))
            weights = {k: full[i][k] for k in _WEIGHT_OPTIONS}
            out[i] = attempt(lambda: Tfidf(*_weighted(*part, **weights), ids))  # called here, at once
    return out  # type: ignore[return-value]


def term_survival(robust: pd.DataFrame, baseline_top: pd.DataFrame) -> pd.DataFrame:
    """Per baseline top term: in how many settings of a :func:`robustness_table` it stays on top.

    ``baseline_top`` is the :func:`top_terms` table of the baseline run with the same ``n``.
    Returns its rows plus ``survives`` (settings where the term stays in the top list),
    ``settings`` (how many were tried) and ``lost_in`` (the settings that drop it).

    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state. Union state talks.", "Protest talks."]})
    >>> robust = robustness_table(docs, {"unigrams": {"ngram_range": (1, 1)}}, n=3)
    >>> term_survival(robust, top_terms(tfidf_matrix(docs), n=3))[["term", "survives", "lost_in"]].values.tolist()[:3]
    [['state', 1, ''], ['union', 1, ''], ['union state', 0, 'unigrams']]
    """
    id_col = baseline_top.columns[0]
    settings = list(dict.fromkeys(robust["setting"]))
    lost: dict[tuple[str, str], list[str]] = {}
    for doc, setting, cell in zip(robust[id_col], robust["setting"], robust["lost"]):
        for term in cell.split(", ") if cell else []:
            lost.setdefault((doc, term), []).append(setting)
    out = baseline_top.copy()
    dropped = [lost.get((doc, term), []) for doc, term in zip(out[id_col], out["term"])]
    out["survives"] = [len(settings) - len(d) for d in dropped]
    out["settings"] = len(settings)
    out["lost_in"] = [", ".join(d) for d in dropped]
    return out[[id_col, "rank", "term", "weight", "survives", "settings", "lost_in"]]


# --------------------------------------------------------------------------- figures
def _columns(tfidf: Tfidf, terms: Sequence[str]) -> pd.DataFrame:
    """The weights of ``terms`` in every document (documents x those terms), from the sparse matrix:
    the same table as ``tfidf.frame().loc[:, terms]`` without building the whole dense one."""
    where = {str(term): j for j, term in enumerate(tfidf.terms)}
    cols = [where[str(term)] for term in terms]
    values = sparse.csr_matrix(tfidf.matrix)[:, cols].toarray()
    return pd.DataFrame(values, index=tfidf.doc_ids, columns=pd.Index(list(terms), name="term"))


def _row_top(matrix: sparse.csr_matrix, i: int, terms: np.ndarray, shown: np.ndarray, n: int) -> dict[str, float]:
    """The ``n`` heaviest positive weights of row ``i`` among the ``shown`` terms, heaviest first
    and ties in alphabetical order (as ``row.nlargest(n)`` of the dense row orders them)."""
    start, stop = matrix.indptr[i], matrix.indptr[i + 1]
    cols, values = matrix.indices[start:stop], matrix.data[start:stop]
    keep = shown[cols] & (values > 0)
    cols, values = cols[keep], values[keep]
    top = np.lexsort((cols, -values))[:n]
    return {str(terms[j]): float(v) for j, v in zip(cols[top], values[top])}


def plot_tfidf_heatmap(
    tfidf: Tfidf, *, n: int = 6, title: str = "Top TF-IDF terms per article", document: str = "article"
) -> Figure:
    """Heatmap of the union of each document's top-``n`` terms (rows) across all documents.

    Rows are grouped by the document they rank highest in; cells show the weight (blank: the
    term does not occur in that document). ``document`` names what a document is in the axis
    labels (``"article"``, or ``"month"`` when articles are pooled by month).

    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state talks.", "Protest talks."]})
    >>> fig = plot_tfidf_heatmap(tfidf_matrix(docs), n=2)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['state', 'union', 'protest', 'talks']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    top = top_terms(tfidf, n=n)
    order = list(dict.fromkeys(top["term"]))
    weights = _columns(tfidf, order).T  # only the terms shown: never the whole documents x terms table
    fig, ax = plt.subplots(figsize=(1.9 * len(tfidf.doc_ids) + 3, 0.36 * len(order) + 1.6))
    labels = np.where(weights.to_numpy() > 0, np.vectorize("{:.2f}".format)(weights.to_numpy()), "")
    sns.heatmap(weights, ax=ax, cmap="Blues", annot=labels, fmt="", annot_kws={"size": 10},
                linewidths=0.4, linecolor="white", cbar_kws={"label": "TF-IDF weight", "shrink": 0.6})
    ax.set_title(title)
    ax.set_xlabel(document.capitalize())
    ax.set_ylabel(f"Term (top {n} of each {document})")
    ax.tick_params(axis="x", rotation=0, labelsize=10)
    ax.tick_params(axis="y", labelsize=10)
    fig.tight_layout()
    return fig


def tfidf_wordcloud(
    weights: Mapping[str, float] | pd.Series,
    *,
    random_state: int = SEED,
    width: int = 800,
    height: int = 450,
    max_words: int = 40,
    colormap: str = "viridis",
    color_func: Callable[..., str] | None = None,
) -> wordcloud.WordCloud:  # noqa: F821
    """A word cloud sized by the given weights (e.g. one TF-IDF row), reproducible by seed.

    A new :class:`wordcloud.WordCloud` is made on each call (reusing one changes the layout),
    with ``collocations=False`` because phrases are already terms.

    >>> cloud = tfidf_wordcloud({"union state": 0.5, "protest": 0.25}, width=200, height=100)
    >>> sorted(cloud.words_)
    ['protest', 'union state']
    """
    from wordcloud import WordCloud

    freqs = {str(k): float(v) for k, v in dict(weights).items() if v > 0}
    if not freqs:
        raise ValueError("no positive weights to draw")
    cloud = WordCloud(width=width, height=height, random_state=int(random_state), collocations=False,
                      background_color="white", max_words=max_words, colormap=colormap, color_func=color_func,
                      prefer_horizontal=0.95, relative_scaling=1.0, min_font_size=9,
                      max_font_size=int(height * 0.22))
    return cloud.generate_from_frequencies(freqs)


CLOUD_EXCLUDED_TERMS: frozenset[str] = frozenset([
    "afp", "ap", "reuters", "tass", "belta", "ria", "interfax", "agency", "news", "facebook", "twitter", "instagram",
    "youtube", "getty", "photo",
])
"""Words whose terms are left out of the word clouds (not of any table or statistic): news-agency
names and web debris that mark attribution or page furniture, not what an article is about. A
phrase is left out when any of its words is here ("news agency", "agency belta")."""

_ONLY_HERE, _SHARED = "#b2182b", "#5b7a99"


def plot_wordclouds(
    tfidf: Tfidf,
    *,
    max_words: int = 30,
    random_state: int = SEED,
    ncols: int = 2,
    titles: Mapping[str, str] | None = None,
    document: str = "article",
    exclude: Iterable[str] = CLOUD_EXCLUDED_TERMS,
) -> Figure:
    """One word cloud per document from its TF-IDF row, in a grid (same seed for each).

    Size is the term's TF-IDF weight; **colour says whether the term occurs in this document
    only** (red) or in others too (blue-grey). ``exclude`` terms (agency names, web debris:
    :data:`CLOUD_EXCLUDED_TERMS`) are left out of the pictures only. ``document`` names what a
    document is in the figure's text (``"article"``, ``"month"``...).

    >>> docs = pd.DataFrame({"article_id": ["a", "b"], "text": ["Union state talks.", "Protest talks."]})
    >>> fig = plot_wordclouds(tfidf_matrix(docs), max_words=5)
    >>> [ax.get_title() for ax in fig.axes]
    ['a', 'b']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    matrix = sparse.csr_matrix(tfidf.matrix)
    excluded = {str(e) for e in exclude}
    shown = np.fromiter((not excluded.intersection(str(term).split()) for term in tfidf.terms), dtype=bool,
                        count=len(tfidf.terms))
    in_docs = dict(zip(map(str, tfidf.terms), np.asarray((matrix > 0).sum(axis=0)).ravel().tolist()))
    n_docs = matrix.shape[0]
    nrows = math.ceil(n_docs / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.5 * ncols, 4.4 * nrows), squeeze=False)

    def colour(word: str, **_: object) -> str:
        return _ONLY_HERE if in_docs.get(word, 0) <= 1 else _SHARED

    for ax, (i, doc) in zip(axes.flat, enumerate(tfidf.doc_ids)):
        ax.imshow(tfidf_wordcloud(_row_top(matrix, i, tfidf.terms, shown, max_words), random_state=random_state,
                                  max_words=max_words, color_func=colour).to_array(), interpolation="bilinear")
        ax.set_title((titles or {}).get(doc, doc), fontsize=15)
        ax.axis("off")
    for ax in list(axes.flat)[n_docs:]:
        ax.axis("off")
    fig.suptitle(f"Word clouds of TF-IDF weights (top {max_words} terms per {document})", fontsize=18,
                 fontweight="bold")
    fig.text(0.5, 0.005, f"Size: the term's TF-IDF weight in that {document}. Colour: red = in this {document} only, "
             f"blue-grey = also in others. Positions mean nothing (layout seed {random_state}). Agency names and web "
             "debris are left out.", ha="center", va="bottom", fontsize=12, color="0.25", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def plot_log_odds(
    table: pd.DataFrame,
    *,
    labels: tuple[str, str] = ("a", "b"),
    n_labels: int = 6,
    title: str = "Distinctive terms: weighted log-odds with informative Dirichlet prior",
) -> Figure:
    """The "Fightin' Words" plot: z-score against total frequency, |z| > 1.96 marked.

    Terms with the same counts share one point (same z); point area grows with the number of
    terms there. The ``n_labels`` most extreme points on each side are numbered, and listed
    beside the plot with their z-score and every term they stand for (no crossing leader lines).

    >>> t = log_odds_dirichlet({"war": 2, "talks": 1}, {"war": 1, "peace": 3}, labels=("2020", "2021"))
    >>> fig = plot_log_odds(t, labels=("2020", "2021"), n_labels=2)
    >>> sorted(a.get_text().split(": ")[-1] for a in fig.axes[0].texts if ": " in a.get_text())
    ['peace', 'talks', 'war']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    points = (
        table.assign(total=table["count_a"] + table["count_b"], zr=table["z"].round(6))
        .groupby(["total", "zr"], sort=False)["term"]
        .agg(list)
        .reset_index()
    )
    points["n"] = points["term"].map(len)
    fig, ax = plt.subplots(figsize=(11, 7))
    side = np.sign(points["zr"])
    sig = points["zr"].abs() > Z_CRITICAL
    sizes = 18 + 14 * np.sqrt(points["n"] - 1)
    for mask, color, name in (
        ((side > 0) & ~sig, "#e6a49c", f"{labels[0]}, |z| ≤ {Z_CRITICAL}"),
        ((side < 0) & ~sig, "#9cc3e6", f"{labels[1]}, |z| ≤ {Z_CRITICAL}"),
        ((side > 0) & sig, "#c0392b", f"{labels[0]}, |z| > {Z_CRITICAL}"),
        ((side < 0) & sig, "#1f5f8b", f"{labels[1]}, |z| > {Z_CRITICAL}"),
        (side == 0, "0.6", "no difference"),
    ):
        if mask.any():
            ax.scatter(points.loc[mask, "total"], points.loc[mask, "zr"], s=sizes[mask], color=color,
                       edgecolor="white", linewidth=0.5, label=name, zorder=3)
    for y in (-Z_CRITICAL, Z_CRITICAL):
        ax.axhline(y, color="0.3", linestyle="--", linewidth=1.2, zorder=2)
    ax.text(1.0, Z_CRITICAL, f" z = {Z_CRITICAL}", transform=ax.get_yaxis_transform(), va="center", fontsize=10)
    ax.text(1.0, -Z_CRITICAL, f" z = -{Z_CRITICAL}", transform=ax.get_yaxis_transform(), va="center", fontsize=10)
    ax.set_xscale("log")
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if t <= points["total"].max() * 1.5]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    zmax = max(float(points["zr"].abs().max()), Z_CRITICAL) * 1.15
    ax.set_ylim(-zmax, zmax)
    listed: list[tuple[str, str]] = []
    for sign in (1, -1):
        part = points[side == sign].sort_values("zr", ascending=sign < 0).head(n_labels)
        for _, p in part.iterrows():
            number = str(len(listed) + 1)
            color = "#c0392b" if sign > 0 else "#1f5f8b"
            ax.annotate(number, xy=(p["total"], p["zr"]), xytext=(5, 0), textcoords="offset points", fontsize=10,
                        fontweight="bold", color=color, va="center", ha="left")
            terms = ", ".join(p["term"])
            listed.append((color, f"{number}  z = {p['zr']:+.2f}: {textwrap.shorten(terms, 150, placeholder=' …')}"
                           + (f" ({p['n']} terms)" if p["n"] > 3 else "")))
    y = 1.0
    for color, line in listed:
        wrapped = textwrap.fill(line, 46, subsequent_indent="     ")
        ax.text(1.1, y, wrapped, transform=ax.transAxes, fontsize=10.5, color=color, va="top", ha="left")
        y -= 0.052 * (wrapped.count("\n") + 1) + 0.012
    ax.set_xlabel("Term frequency in both groups together (log scale)")
    ax.set_ylabel(f"z-score  (> 0: {labels[0]};  < 0: {labels[1]})")
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=10, frameon=True, framealpha=0.9,
              title="point area: terms sharing the point", title_fontsize=9)
    fig.tight_layout()
    return fig
