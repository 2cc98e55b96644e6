"""Parallel per-article stages give what the serial run gives, and large inputs stay bounded.

The thresholds that keep small inputs in one process are lowered to zero here (and chunks made
small), so the seed articles are cut into several chunks and sent to two worker processes; every
result must equal the one-process result exactly (same floats, same order).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import minsk_moscow as mm
from minsk_moscow import keywords, parallel, topics
from minsk_moscow.tone import plots as tone_plots
from minsk_moscow.tone import score, summary

pytestmark = pytest.mark.slow  # worker processes take seconds to start: in make test, not in make check


@pytest.fixture
def always_parallel(monkeypatch):
    """Send even the five seed articles to workers, two articles (or 40 sentences) per task."""
    monkeypatch.setattr(keywords, "PARALLEL_MIN_DOCS", 0)
    monkeypatch.setattr(keywords, "_CHUNK_DOCS", 2)
    monkeypatch.setattr(topics, "_COUNT_UNITS", 7)
    monkeypatch.setattr(score, "PARALLEL_MIN_SENTENCES", 0)
    monkeypatch.setattr(score, "PARALLEL_CHUNK", 40)
    monkeypatch.setattr(mm.corpus, "PARALLEL_MIN_ITEMS", 0)
    monkeypatch.setattr(keywords, "_GRAM_MEMO_SIZE", 0)  # the serial run counts again, it does not remember


def _same_sparse(a: sparse.spmatrix, b: sparse.spmatrix) -> bool:
    a, b = sparse.csr_matrix(a), sparse.csr_matrix(b)
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data, b.data))


# --------------------------------------------------------------------------- identical to serial
@pytest.mark.parametrize("options", [{}, {"ngram_range": (1, 3), "min_ngram_count": 1}, {"stop_words": None}])
def test_tfidf_in_workers_is_the_serial_matrix(corpus, always_parallel, options):
    one = mm.tfidf_matrix(corpus, jobs=1, **options)
    two = mm.tfidf_matrix(corpus, jobs=2, **options)
    assert _same_sparse(one.matrix, two.matrix)
    assert one.terms.tolist() == two.terms.tolist() and one.doc_ids.equals(two.doc_ids)


def test_tfidf_workers_get_slices_of_stored_arrow_texts_and_python_strings_otherwise(corpus, always_parallel,
                                                                                     monkeypatch):
    sent = []
    monkeypatch.setattr(keywords, "imap_batches", lambda func, items, *, _real=keywords.imap_batches, **kw: (
        sent.append(type(items).__name__) or _real(func, items, **kw)))
    stored = keywords._gram_counts(corpus["text"].astype(object).astype("str"), jobs=2)  # as tfidf_matrix passes them
    plain = keywords._gram_counts(corpus["text"].tolist(), jobs=2)
    assert sent == ["ArrowStringArray", "list"]
    assert _same_sparse(stored[0], plain[0]) and stored[1].tolist() == plain[1].tolist()


def test_tfidf_of_long_documents_cut_into_pieces_for_the_workers_is_the_serial_whole_one(corpus, always_parallel,
                                                                                       monkeypatch):
    docs = mm.merge_by_group(corpus, mm.display_groups(corpus, max_groups=2))
    whole = mm.tfidf_matrix(docs, jobs=1)
    monkeypatch.setattr(keywords, "_PIECE_CHARS", 2_000)
    monkeypatch.setattr(keywords, "_PARALLEL_MIN_PIECES", 0)
    batches = []
    monkeypatch.setattr(keywords, "imap_batches", lambda func, items, *, _real=keywords.imap_batches, **kw: (
        batches.append((len(items), kw["min_parallel"])) or _real(func, items, **kw)))
    cut = mm.tfidf_matrix(docs, jobs=2)
    assert batches and batches[0][0] > 2 * len(docs) and batches[0][1] == 0  # the pieces went to the workers
    assert _same_sparse(whole.matrix, cut.matrix) and whole.terms.tolist() == cut.terms.tolist()


def test_sentence_table_split_in_workers_is_the_serial_table(corpus, always_parallel, monkeypatch):
    calls, real = [], parallel.imap_chunks

    def spy(func, items, **kwargs):
        calls.append((len(items), kwargs["chunk_size"], kwargs["jobs"]))
        return real(func, items, **kwargs)

    monkeypatch.setattr(parallel, "imap_chunks", spy)  # what imap_batches hands the batches to
    pd.testing.assert_frame_equal(mm.sentence_table(corpus, jobs=2), mm.sentence_table(corpus, jobs=1),
                                  check_exact=True)
    assert calls == [(5, 1, 2), (5, 1, 1)]  # with jobs=2 the five articles went to the workers one by one


@pytest.mark.parametrize("size", [2, 3])
def test_sentence_table_numbers_the_rows_of_every_batch_from_its_start(corpus, always_parallel, monkeypatch, size):
    # Two articles without text make a batch with no sentences (size 2): the rows after it must
    # still point at their own articles.
    blank = corpus.iloc[:2].assign(article_id=["blank-1", "blank-2"], text=["", ""])
    mixed = pd.concat([corpus.iloc[:2], blank, corpus.iloc[2:]], ignore_index=True)
    monkeypatch.setattr(mm.corpus, "_chunk_size", lambda n, *, jobs: size)
    table = mm.sentence_table(mixed, jobs=2)
    by_article = pd.concat([mm.sentence_table(mixed.iloc[[i]], jobs=1) for i in range(len(mixed)) if mixed["text"][i]],
                           ignore_index=True)
    pd.testing.assert_frame_equal(table, by_article, check_exact=True)
    assert table["article_id"].unique().tolist() == corpus["article_id"].tolist()
    # a corpus whose columns hold Python objects, or whose ids are categories, gives the same table
    for types in ({"article_id": object, "text": object}, {"article_id": "category"}):
        pd.testing.assert_frame_equal(mm.sentence_table(mixed.astype(types), jobs=2), table, check_exact=True)


def test_token_counts_in_workers_are_the_serial_counts(corpus, always_parallel):
    tokens = corpus["text"].map(mm.tokenize)  # what notebook 02's overview counted before
    counts = mm.token_counts(corpus, jobs=2)
    assert counts["n_tokens"].tolist() == tokens.map(len).tolist()
    assert counts["n_distinct"].tolist() == tokens.map(set).map(len).tolist()
    pd.testing.assert_frame_equal(counts, mm.token_counts(corpus, jobs=1), check_exact=True)
    assert mm.token_counts(corpus.iloc[:0]).shape == (0, 2)


def test_group_counts_in_workers_are_the_serial_counts(corpus, always_parallel):
    period = mm.split_by_date(corpus, mm.ELECTION_DATE)
    pd.testing.assert_frame_equal(mm.group_term_counts(corpus, period, jobs=2),
                                  mm.group_term_counts(corpus, period, jobs=1), check_exact=True)


@pytest.mark.parametrize("unit", ["capped", "paragraph", "window"])
def test_units_from_workers_are_the_serial_units(corpus, always_parallel, unit):
    pd.testing.assert_frame_equal(mm.make_units(corpus, unit=unit, jobs=2), mm.make_units(corpus, unit=unit, jobs=1),
                                  check_exact=True)


def test_units_workers_get_slices_of_the_stored_texts(corpus, always_parallel, monkeypatch):
    # The workers get the texts as pandas stores them (Arrow strings: a few buffers per batch),
    # each batch knowing the corpus row of its first article; the units are those of Python objects.
    from minsk_moscow import topics

    sent = []
    monkeypatch.setattr(topics, "_chunked", lambda func, items, **kw: sent.append(items) or keywords._chunked(func, items, **kw))
    stored = mm.make_units(corpus, jobs=2)
    assert type(sent[0].texts).__name__ == "ArrowStringArray"
    part = sent[0][2:4]
    assert list(part) == [(row, corpus["article_id"].iloc[row], corpus["text"].iloc[row]) for row in (2, 3)]
    plain = mm.make_units(corpus.astype({"article_id": object, "text": object}), jobs=2)
    assert type(sent[1].texts).__name__ == "NumpyExtensionArray"
    pd.testing.assert_frame_equal(plain.astype({"article_id": "str"}), stored, check_exact=True)


def test_unit_tfidf_tokenized_in_workers_is_the_serial_one(corpus, always_parallel):
    units = mm.make_units(corpus, jobs=1).drop(columns="tokens")  # forces tokenizing every unit text
    one = mm.vectorize_units(units, extra_stop_words=mm.SIDE_WORDS, jobs=1)
    two = mm.vectorize_units(units, extra_stop_words=mm.SIDE_WORDS, jobs=2)
    assert _same_sparse(one.matrix, two.matrix) and one.terms == two.terms and one.dropped == two.dropped


@pytest.mark.parametrize("extra", [frozenset(), mm.SIDE_WORDS], ids=["no extra stop words", "side words"])
def test_unit_tfidf_counted_in_workers_is_the_serial_one(corpus, always_parallel, extra):
    units = mm.make_units(corpus, jobs=1)  # its tokens are reused: the workers count them
    one = mm.vectorize_units(units, extra_stop_words=extra, jobs=1)
    two = mm.vectorize_units(units, extra_stop_words=extra, jobs=2)
    assert len(units) > 3 * topics._COUNT_UNITS  # several chunks
    assert _same_sparse(one.matrix, two.matrix) and one.terms == two.terms and one.dropped == two.dropped
    pd.testing.assert_frame_equal(one.units, two.units, check_exact=True)


def test_sweep_in_workers_is_the_serial_sweep(corpus, monkeypatch):
    vectors = mm.vectorize_units(mm.make_units(corpus), extra_stop_words=mm.SIDE_WORDS)
    monkeypatch.setattr(keywords, "PARALLEL_MIN_DOCS", 0)
    options = dict(ks=[2, 3, 4], seeds=[0, 1, 2], lsa_components=10, n_top=5)
    pd.testing.assert_frame_equal(mm.sweep_k(vectors, jobs=2, **options), mm.sweep_k(vectors, jobs=1, **options),
                                  check_exact=True)


@pytest.mark.parametrize("method", ["hybrid", "rules", "model", "rules_seed"])
def test_tone_in_workers_is_the_serial_tone(sentences, always_parallel, method):
    texts = sentences["text"].tolist()
    assert np.array_equal(mm.relation_tone(texts, method=method, jobs=2), mm.relation_tone(texts, method=method, jobs=1))


@pytest.mark.parametrize("given", ["index", "columns"])
def test_relation_table_from_workers_keeps_the_given_index_and_columns(sentences, always_parallel, given):
    # The workers send back only the columns they add; the table is still the serial one, for an
    # index of any labels and for a table that already holds some of those columns (a second run).
    if given == "index":
        sentences = sentences.set_axis([f"s{i}" for i in range(len(sentences) - 1, -1, -1)])
    else:
        sentences = mm.relation_table(sentences, jobs=1).drop(columns=["tone_model", "cues"]).assign(extra=1)
    serial = mm.relation_table(sentences, jobs=1)
    pd.testing.assert_frame_equal(mm.relation_table(sentences, jobs=2), serial, check_exact=True)
    sent_back = mm.tone.summary._added_columns(sentences.iloc[:40], params=mm.DEFAULT_TONE_PARAMS, vader=False)
    assert list(sent_back.columns) == [c for c in serial.columns if c in mm.tone.summary._ADDED_COLUMNS]  # no text


def test_relation_table_and_vader_in_workers(sentences, always_parallel):
    pd.testing.assert_frame_equal(mm.relation_table(sentences, vader=True, jobs=2),
                                  mm.relation_table(sentences, vader=True, jobs=1), check_exact=True)


@pytest.mark.parametrize("by", ["article_id", "month", "speaker_side"])
def test_tone_summary_in_workers_is_the_serial_summary(sentences, monkeypatch, by):
    """Each group keeps its own seed in the workers: the same intervals, dates and order."""
    found = mm.relation_table(sentences).query("is_relation")
    found = found.assign(date=found["date"].where(found["article_id"] != "mt-2020-09-11"))  # one article undated
    serial = mm.tone_summary(found, by=by, jobs=1)
    monkeypatch.setattr(summary, "PARALLEL_MIN_DRAWS", 0)
    calls = []
    monkeypatch.setattr(summary, "map_chunks", lambda *a, **k: calls.append(k) or parallel.map_chunks(*a, **k))
    pd.testing.assert_frame_equal(mm.tone_summary(found, by=by, jobs=2), serial, check_exact=True)
    assert calls and calls[0]["min_parallel"] == 0 and calls[0]["chunk_size"] < len(serial)


def test_cue_hits_in_workers_are_the_serial_hits(sentences, always_parallel):
    texts = sentences["text"].tolist()
    pd.testing.assert_frame_equal(mm.cue_hits(texts, jobs=2), mm.cue_hits(texts, jobs=1), check_exact=True)


def test_small_inputs_never_start_workers(corpus, sentences, monkeypatch):
    """Below the thresholds, jobs=2 still runs in this process (the seed notebooks stay fast)."""
    import joblib
    import sklearn.utils.parallel  # noqa: F401 - it subclasses joblib.Parallel when first imported: before the patch

    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started for a small input")

    monkeypatch.setattr(joblib, "Parallel", refuse)
    mm.tfidf_matrix(corpus, jobs=2)
    mm.token_counts(corpus, jobs=2)
    units = mm.make_units(corpus, jobs=2)
    mm.sweep_k(mm.vectorize_units(units, extra_stop_words=mm.SIDE_WORDS), ks=[2, 3], seeds=[0, 1], jobs=2)
    found = mm.relation_table(sentences, vader=True, jobs=2).query("is_relation")
    mm.tone_summary(found, jobs=2)


def test_map_chunks_keeps_order_and_values_with_workers():
    items = [f"sentence {i}" for i in range(23)]
    assert parallel.map_chunks(len, items, jobs=2, chunk_size=4, min_parallel=0) == [len(x) for x in items]


_SEEN: list[str] = []


def _seen_len(item: str) -> int:
    _SEEN.append(item)
    return len(item)


def test_imap_chunks_hands_out_results_in_order_one_at_a_time():
    items = [f"sentence {i}" for i in range(23)]
    results = parallel.imap_chunks(len, items, jobs=2, chunk_size=4, min_parallel=0)
    assert [*results] == [len(x) for x in items]
    _SEEN.clear()
    results = parallel.imap_chunks(_seen_len, items, jobs=1, chunk_size=4)
    assert next(results) == len(items[0])
    assert _SEEN == items[:4]  # only the first chunk has been worked on when its first result is handed out
    assert [len(items[0]), *results] == [len(x) for x in items]


# --------------------------------------------------------------------------- bounded on large inputs
def test_sample_units_keeps_small_sets_whole_and_reports_a_sample():
    assert topics.sample_units(89, max_units=topics.MAX_SWEEP_UNITS, random_state=0).note == ""
    big = topics.sample_units(50_000, max_units=2_000, random_state=7)
    assert big.sampled and len(big.rows) == 2_000 and big.total == 50_000
    assert np.all(np.diff(big.rows) > 0) and big.note == "sampled 2,000 of 50,000 units (random_state=7)"
    assert np.array_equal(big.rows, topics.sample_units(50_000, max_units=2_000, random_state=7).rows)


def test_sweep_on_more_units_than_the_bound_samples_and_says_so(corpus, monkeypatch):
    vectors = mm.vectorize_units(mm.make_units(corpus), extra_stop_words=mm.SIDE_WORDS)
    options = dict(ks=[2, 3], seeds=[0, 1], lsa_components=10, n_top=5)
    whole = mm.sweep_k(vectors, **options)
    assert whole.attrs["sample_note"] == ""
    with pytest.warns(topics.TopicWarning, match="sampled 60 of"):
        sampled = mm.sweep_k(vectors, max_units=60, **options)
    assert sampled.attrs["sample_note"].startswith("sampled 60 of")
    assert mm.summarize_sweep(sampled).attrs["sample_note"] == sampled.attrs["sample_note"]
    monkeypatch.setattr(topics, "MAX_SILHOUETTE_UNITS", 40)  # silhouettes on 40 units: still a number
    assert mm.sweep_k(vectors, **options)["silhouette"].notna().all()


def test_fits_on_more_units_than_the_bound_learn_from_a_sample_and_place_every_unit(corpus):
    vectors = mm.vectorize_units(mm.make_units(corpus), extra_stop_words=mm.SIDE_WORDS)
    n = vectors.matrix.shape[0]
    assert mm.fit_nmf(vectors, k=3, random_state=0).note == ""
    with pytest.warns(topics.TopicWarning, match=f"sample of 40 of {n}"):
        nmf = mm.fit_nmf(vectors, k=3, random_state=0, max_units=40)
    assert nmf.note.startswith(f"topics learnt from a sample of 40 of {n} units") and len(nmf.labels) == n
    assert np.allclose(nmf.unit_topics.groupby("unit_id")["weight"].sum(), 1.0)
    with pytest.warns(topics.TopicWarning, match="fit_lsa_kmeans"):
        kmeans = mm.fit_lsa_kmeans(vectors, k=3, random_state=0, max_units=40)
    assert kmeans.note and len(kmeans.labels) == n and set(kmeans.labels) == {0, 1, 2}


def test_unit_vectors_subset_keeps_only_terms_the_units_hold(corpus):
    vectors = mm.vectorize_units(mm.make_units(corpus), extra_stop_words=mm.SIDE_WORDS)
    part = vectors.subset([0, 5, 9])
    assert part.matrix.shape[0] == 3 and (part.matrix.getnnz(axis=0) > 0).all()
    assert part.units["unit_id"].tolist() == vectors.units["unit_id"].iloc[[0, 5, 9]].tolist()


def test_unit_map_refuses_a_map_too_large_to_draw():
    with pytest.raises(ValueError, match="sample_units"):
        mm.unit_map(np.ones((topics.MAX_MAP_UNITS + 1, 3)), random_state=0)


def test_bootstrap_memory_and_cost_are_bounded():
    rng = np.random.default_rng(0)
    small = rng.normal(size=500)
    mean, lo, hi = summary.bootstrap_mean_ci(small, seed=3)
    means = small[np.random.default_rng(3).integers(0, 500, size=(2000, 500))].mean(axis=1)
    assert (lo, hi) == tuple(round(float(q), 12) for q in np.quantile(means, [0.025, 0.975]))
    big = np.clip(rng.normal(0.2, 0.5, summary.BOOTSTRAP_MAX_VALUES + 1), -1, 1)
    mean, lo, hi = summary.bootstrap_mean_ci(big)
    half = 1.959963984540054 * big.std() / np.sqrt(len(big))
    assert lo == pytest.approx(mean - half, abs=1e-9) and hi == pytest.approx(mean + half, abs=1e-9)


def test_tone_summary_names_groups_given_the_normal_interval(monkeypatch):
    table = pd.DataFrame({"article_id": ["a"] * 30 + ["b"] * 3, "date": pd.Timestamp("2020-09-01"),
                          "tone": np.linspace(-1, 1, 33)})
    assert mm.tone_summary(table).attrs["interval_note"] == ""
    monkeypatch.setattr(summary, "BOOTSTRAP_MAX_VALUES", 10)
    assert mm.tone_summary(table).attrs["interval_note"].startswith("1 of 2 groups")


def test_tone_chart_draws_a_sample_of_many_points(monkeypatch):
    import matplotlib.pyplot as plt

    monkeypatch.setattr(tone_plots, "MAX_TONE_POINTS", 50)
    dates = pd.Timestamp("2020-08-01") + pd.to_timedelta(np.arange(400) % 60, unit="D")
    points = pd.DataFrame({"date": dates, "tone": np.sin(np.arange(400))})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = tone_plots.plot_tone_over_time(points, mm.tone_summary(points.assign(article_id="x"), by="month"))
    drawn = fig.axes[0].collections[0].get_offsets()
    assert len(drawn) == 50
    assert any("a random 50 of 400" in t.get_text() for t in fig.legends[0].get_texts())
    plt.close(fig)


_HELD: list[bytes] = []


def _hold_and_tell(_: int, *, mb: int) -> int:
    """Keep ``mb`` more megabytes in this worker (as a growing memo would) and say which process it is."""
    import os
    import time

    _HELD.append(b"x" * (mb * 2**20))
    time.sleep(1.1)  # the pool looks at a worker's memory at most once a second
    return os.getpid()


def test_workers_that_grow_by_design_are_kept(recwarn):
    """The pool replaced a worker that grew by 300 MB (with a warning of a 'memory leak' that reached the
    notebooks); up to WORKER_MEMORY_GROWTH a worker now keeps what it holds, and its memos."""
    import functools

    from minsk_moscow.rerun import _stop_workers

    _stop_workers()  # fresh workers, measured from their first task
    try:
        pids = mm.map_chunks(functools.partial(_hold_and_tell, mb=350), list(range(6)), jobs=2, chunk_size=1,
                             min_parallel=0)
    finally:
        _stop_workers()  # and the 2 GB they hold go
    assert len(set(pids)) <= 2  # 3 tasks per worker, 700 MB more after the first: no worker replaced
    assert not [w for w in recwarn if "worker stopped" in str(w.message)]


_FRAGMENT = """
import minsk_moscow as mm

def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) * 1024

texts = [("x" * 1000) + str(i) for i in range(300_000)]  # each on the C heap (over 512 bytes)
kept = texts[::10]  # the survivors leave every page of the heap in use
del texts
before = rss()
assert mm.release_memory()
print(before - rss())
"""


@pytest.mark.skipif(mm.parallel._malloc_trim() is None, reason="no glibc malloc_trim on this system")
def test_release_memory_gives_the_pages_of_freed_objects_back():
    import subprocess
    import sys

    freed = int(subprocess.run([sys.executable, "-c", _FRAGMENT], capture_output=True, text=True, check=True).stdout)
    assert freed > 150 * 2**20  # of the 300 MB the dropped texts held


def test_release_memory_leaves_small_steps_alone(monkeypatch):
    calls = []
    monkeypatch.setattr(mm.parallel, "_malloc_trim", lambda: calls.append(1) or (lambda pad: 0))
    assert not mm.release_memory(items=mm.RELEASE_MIN_ITEMS - 1)
    assert mm.release_memory(items=mm.RELEASE_MIN_ITEMS) and mm.release_memory()
    assert len(calls) == 2


def test_collector_is_paused_inside_and_restored_after_a_step_even_one_that_fails():
    import gc

    assert gc.isenabled()
    with mm.collector_paused():
        with mm.collector_paused():  # a paused step inside another leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), mm.collector_paused():
        1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with mm.collector_paused():
            pass
        assert not gc.isenabled()  # a collector paused by the caller stays paused
    finally:
        gc.enable()


@pytest.mark.parametrize("step", ["load", "units"])
def test_steps_that_build_lasting_objects_run_with_the_collector_paused(corpus, monkeypatch, tmp_path, step):
    import gc

    seen = []
    if step == "load":
        clean = mm.corpus.clean_article
        monkeypatch.setattr(mm.corpus, "clean_article", lambda raw: seen.append(gc.isenabled()) or clean(raw))
        monkeypatch.setenv("MINSK_MOSCOW_CACHE", "0")
        loaded = mm.load_corpus(mm.SEEDS_DIR, jobs=1)
        assert loaded["text"].tolist() == corpus["text"].tolist()
        with pytest.raises(mm.CorpusError, match="no .txt articles"):
            mm.load_corpus(tmp_path, jobs=1)
    else:
        units = mm.make_units(corpus, tokenizer=lambda s: seen.append(gc.isenabled()) or mm.tokenize(s), jobs=1)
        assert units["text"].tolist() == mm.make_units(corpus, jobs=1)["text"].tolist()
    assert seen and not any(seen)
    assert gc.isenabled()


@pytest.mark.parametrize("module, step", [
    ("keywords", lambda corpus: mm.tfidf_matrix(corpus)),
    ("corpus", lambda corpus: mm.sentence_table(corpus)),
    ("topics", lambda corpus: mm.make_units(corpus)),
], ids=["tfidf_matrix", "sentence_table", "make_units"])
def test_big_steps_give_their_freed_memory_back_with_their_number_of_items(corpus, monkeypatch, module, step):
    calls = []
    monkeypatch.setattr(getattr(mm, module), "release_memory", lambda items=None: calls.append(items) or False)
    step(corpus)
    assert calls == [len(corpus)]
