"""Tests for minsk_moscow.keywords: phrases, TF-IDF, log-odds, keywords in context."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

import minsk_moscow as mm
from minsk_moscow import keywords as kw


# --------------------------------------------------------------------------- phrases
@pytest.mark.parametrize(
    "sentence, present, absent",
    [
        # mt-2020-08-05: quoted phrase counts; comma and removed stop words break phrases
        (
            ('Belarus is more tightly linked to Russia than any other country and the two form a '
             '"union state" with an integrated economic zone, military alliance, and potential for '
             "even deeper unification."),
            ["union state", "integrated economic", "economic zone", "military alliance", "deeper unification"],
            ["zone military", "alliance potential", "linked russia", "form union", "country union"],
        ),
        # ft-2020-08-15: no phrase across "said ... Mr", nor across "Russia... that"
        (
            ("“As far as military matters are concerned, we have an agreement with Russia... that covers "
             "these incidents,” Mr Lukashenko said on Saturday after speaking to Mr Putin, according to "
             "state news agency Belta."),
            ["military matters", "state news", "news agency", "agency belta"],
            ["lukashenko putin", "said putin", "lukashenko saturday", "russia covers", "agreement russia"],
        ),
        # mt-2020-09-11: names next to each other make phrases, a stop word after them does not
        (
            ("Kremlin spokesman Dmitry Peskov said there was no plan for the leaders to hold a news "
             "conference or sign any documents."),
            ["kremlin spokesman", "spokesman dmitry", "dmitry peskov", "news conference"],
            ["peskov plan", "plan leaders", "conference sign"],
        ),
        # ft-2021-09-09: spelling variants are mapped before phrases are formed
        (
            ("Ahead of the talks, Kremlin spokesperson Dmitri Peskov said that no documents were "
             "expected to be signed."),
            ["kremlin spokesperson", "spokesperson dmitry", "dmitry peskov"],
            ["talks kremlin", "spokesperson dmitri", "peskov documents"],
        ),
    ],
)
def test_bigrams_only_from_adjacent_words(sentence: str, present: list[str], absent: list[str]) -> None:
    grams = mm.phrase_ngrams(sentence)
    for gram in present:
        assert gram in grams
    for gram in absent:
        assert gram not in grams


@pytest.mark.parametrize(
    "text, forbidden",
    [
        # ft-2021-09-09, two sentences in one paragraph
        (("as well as the advanced S-400 air defence weapons. Belarus also claimed that Moscow had moved "
          "Su-30 fighters"), "weapons belarus"),
        # mt-2020-09-11
        ("after coming under official pressure. Lukashenko, 66, has had a volatile relationship", "pressure lukashenko"),
        ("Several people have died in the crackdown. Putin swiftly congratulated Lukashenko", "crackdown putin"),
    ],
)
def test_no_bigram_across_sentence_boundary(text: str, forbidden: str) -> None:
    grams = mm.phrase_ngrams(text)
    first, second = forbidden.split()
    assert first in grams and second in grams  # both words are kept as unigrams
    assert forbidden not in grams


def test_unigrams_are_exactly_the_package_tokens(corpus: pd.DataFrame) -> None:
    for text in corpus["text"]:
        unigrams = mm.phrase_ngrams(text, ngram_range=(1, 1))
        assert sorted(unigrams) == sorted(mm.tokenize(text))


def test_trigrams_need_three_adjacent_words() -> None:
    grams = mm.phrase_ngrams("Kremlin spokesman Dmitry Peskov said", ngram_range=(3, 3))
    assert grams == ["kremlin spokesman dmitry", "spokesman dmitry peskov"]


def test_bad_ngram_range() -> None:
    with pytest.raises(ValueError, match="ngram_range"):
        mm.phrase_ngrams("Union state", ngram_range=(2, 1))


# --------------------------------------------------------------------------- TF-IDF
TOY = pd.DataFrame(
    {
        "article_id": ["d1", "d2", "d3"],
        "text": [
            "union state talks talks integration",
            "union state protest protest protest",
            "protest talks crackdown",
        ],
    }
)


@pytest.mark.parametrize("size", [1, 40, 400, 4000])
@pytest.mark.parametrize("article", range(5))
def test_pieces_of_a_long_text_hold_its_paragraphs_in_order(corpus: pd.DataFrame, article: int, size: int) -> None:
    text = corpus["text"].iloc[article] + "\n \n\n  \n" + corpus["text"].iloc[(article + 1) % 5]  # odd blank lines
    pieces = kw._pieces(text, size=size)
    assert len(pieces) > 1 or size >= len(text)
    assert [p for piece in pieces for p in mm.split_paragraphs(piece)] == mm.split_paragraphs(text)


@pytest.mark.parametrize("options", [{}, {"ngram_range": (1, 3)}, {"stop_words": None}, {"ngram_range": (2, 2)}])
def test_long_documents_counted_in_pieces_are_counted_as_whole_ones(corpus, monkeypatch, options) -> None:
    """Months of articles joined into one document each, counted in pieces of a few paragraphs: the same
    counts, terms and term order (so the same TF-IDF floats) as counting each document whole."""
    docs = mm.merge_by_group(corpus, mm.display_groups(corpus, max_groups=3))["text"].tolist()
    monkeypatch.setattr(kw, "_GRAM_MEMO_SIZE", 0)
    monkeypatch.setattr(kw, "_PIECE_CHARS", 10**9)
    whole, whole_terms = kw._gram_counts(docs, jobs=1, **options)
    monkeypatch.setattr(kw, "_PIECE_CHARS", 500)
    assert sum(len(kw._pieces(doc, size=500)) for doc in docs) > 3 * len(docs)
    summed = []
    monkeypatch.setattr(kw, "_pieces_to_documents", lambda counts, *rest, _sum=kw._pieces_to_documents: (
        summed.append(counts.shape[0]) or _sum(counts, *rest)))
    cut, cut_terms = kw._gram_counts(docs, jobs=1, **options)
    assert summed and summed[0] > 3 * len(docs)  # counted piece by piece, then summed per document
    assert cut_terms.tolist() == whole_terms.tolist()
    assert (cut != whole).nnz == 0 and cut.dtype == whole.dtype and cut.has_sorted_indices
    frame = pd.DataFrame({"article_id": ["a", "b", "c"], "text": docs})
    monkeypatch.setattr(kw, "_PIECE_CHARS", 10**9)
    expected = mm.tfidf_matrix(frame, jobs=1)
    monkeypatch.setattr(kw, "_PIECE_CHARS", 500)
    got = mm.tfidf_matrix(frame, jobs=1)
    assert got.terms.tolist() == expected.terms.tolist()
    assert np.array_equal(got.matrix.toarray(), expected.matrix.toarray())  # to the last bit


@pytest.mark.parametrize("sublinear_tf", [True, False])
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2)])
def test_tfidf_matches_scikit_learn_default_analyzer(sublinear_tf: bool, ngram_range: tuple[int, int]) -> None:
    # Toy texts without punctuation or stop words: sklearn's own word n-grams are the same terms.
    ours = mm.tfidf_matrix(TOY, ngram_range=ngram_range, sublinear_tf=sublinear_tf, min_ngram_count=1,
                           stop_words=None).frame()
    ref = TfidfVectorizer(ngram_range=ngram_range, sublinear_tf=sublinear_tf)
    expected = pd.DataFrame(ref.fit_transform(TOY["text"]).toarray(), index=ours.index,
                            columns=ref.get_feature_names_out())
    assert list(ours.columns) == list(expected.columns)
    np.testing.assert_allclose(ours.to_numpy(), expected.to_numpy(), atol=1e-12)


def test_tfidf_by_hand_one_cell() -> None:
    # d2, term "protest": tf 3 -> 1 + ln 3; df 2 of 3 -> idf ln(4/3) + 1 (smoothed).
    frame = mm.tfidf_matrix(TOY, ngram_range=(1, 1), norm=None, stop_words=None).frame()
    assert frame.loc["d2", "protest"] == pytest.approx((1 + math.log(3)) * (math.log(4 / 3) + 1))


def test_min_ngram_count_drops_one_off_phrases() -> None:
    terms = set(mm.tfidf_matrix(TOY, min_ngram_count=2, stop_words=None).terms)
    assert "union state" in terms  # occurs twice in the corpus
    assert "state talks" not in terms and "protest talks" not in terms  # once each
    assert "crackdown" in terms  # unigrams are never filtered by the phrase count
    all_pairs = set(mm.tfidf_matrix(TOY, min_ngram_count=1, stop_words=None).terms)
    assert {"state talks", "protest talks"} <= all_pairs


def test_tfidf_real_corpus_phrases(corpus: pd.DataFrame) -> None:
    tf = mm.tfidf_matrix(corpus)
    assert tf.matrix.shape == (len(corpus), len(tf.terms))
    assert list(tf.doc_ids) == corpus["article_id"].tolist()
    assert {"union state", "security assistance"} <= set(tf.terms)
    assert "said putin" not in set(tf.terms)
    np.testing.assert_allclose(np.sqrt(tf.matrix.multiply(tf.matrix).sum(axis=1)).A1, 1.0)


def test_tfidf_needs_two_documents(corpus: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="at least 2 documents"):
        mm.tfidf_matrix(corpus.head(1))


def test_top_terms_tidy_and_ranked(corpus: pd.DataFrame) -> None:
    top = mm.top_terms(mm.tfidf_matrix(corpus), n=5)
    assert list(top.columns) == ["article_id", "rank", "term", "weight", "tied"]
    assert (top["tied"] >= 1).all()
    assert (top.groupby("article_id").size() == 5).all()
    for _, part in top.groupby("article_id"):
        assert part["rank"].tolist() == [1, 2, 3, 4, 5]
        assert part["weight"].is_monotonic_decreasing
    ft = top[top["article_id"] == "ft-2020-08-15"]["term"].tolist()
    assert "security assistance" in ft or "assistance" in ft


# --------------------------------------------------------------------------- log-odds
def test_log_odds_hand_worked_example() -> None:
    # a = {union: 3, state: 1}; b = {union: 1, state: 1, protest: 2}; n_a = 4, n_b = 4.
    # Prior = a + b: alpha = {union: 4, state: 2, protest: 2}, alpha0 = 8.
    # union:   delta = ln((3+4)/(4+8-3-4)) - ln((1+4)/(4+8-1-4)) = ln(7/5) - ln(5/7) = 2 ln 1.4
    #          var   = 1/(3+4) + 1/(1+4) = 1/7 + 1/5 = 12/35
    # protest: delta = ln((0+2)/(4+8-0-2)) - ln((2+2)/(4+8-2-2)) = ln(2/10) - ln(4/8) = ln 0.4
    #          var   = 1/2 + 1/4 = 3/4
    # state:   equal counts in equal-sized groups -> delta = 0
    table = mm.log_odds_dirichlet({"union": 3, "state": 1}, {"union": 1, "state": 1, "protest": 2}).set_index("term")
    assert table.loc["union", "prior"] == 4
    assert table.loc["union", "delta"] == pytest.approx(2 * math.log(1.4))
    assert table.loc["union", "variance"] == pytest.approx(12 / 35)
    assert table.loc["union", "z"] == pytest.approx(2 * math.log(1.4) / math.sqrt(12 / 35))  # 1.149
    assert table.loc["protest", "delta"] == pytest.approx(math.log(0.4))
    assert table.loc["protest", "z"] == pytest.approx(math.log(0.4) / math.sqrt(0.75))  # -1.058
    assert table.loc["protest", "count_a"] == 0  # absent from group a, still scored
    assert table.loc["state", "z"] == pytest.approx(0.0)
    assert table.index.tolist() == ["union", "state", "protest"]  # sorted by z


def test_log_odds_alpha0_rescales_prior() -> None:
    # alpha0 = 4 halves the prior: alpha = {union: 2, state: 1, protest: 1}.
    # union: delta = ln(5/(4+4-3-2)) - ln(3/(4+4-1-2)) = ln(5/3) - ln(3/5); var = 1/5 + 1/3
    table = mm.log_odds_dirichlet({"union": 3, "state": 1}, {"union": 1, "state": 1, "protest": 2},
                                  alpha0=4).set_index("term")
    assert table.loc["union", "prior"] == pytest.approx(2)
    assert table.loc["union", "z"] == pytest.approx(2 * math.log(5 / 3) / math.sqrt(1 / 5 + 1 / 3))


def test_log_odds_is_antisymmetric() -> None:
    a, b = {"union": 5, "state": 2, "war": 1}, {"union": 1, "state": 4, "protest": 3}
    ab = mm.log_odds_dirichlet(a, b).set_index("term")["z"]
    ba = mm.log_odds_dirichlet(b, a).set_index("term")["z"]
    pd.testing.assert_series_equal(ab.sort_index(), -ba.sort_index())


def test_log_odds_explicit_prior_and_errors() -> None:
    table = mm.log_odds_dirichlet({"x": 1}, {"y": 1}, prior={"x": 10, "y": 10, "z": 10})
    assert set(table["term"]) == {"x", "y", "z"}  # the prior's vocabulary counts too
    with pytest.raises(ValueError, match="empty group"):
        mm.log_odds_dirichlet({}, {"y": 1})
    with pytest.raises(ValueError, match="empty group"):
        mm.log_odds_dirichlet({"x": 1}, {"x": 0})
    with pytest.raises(ValueError, match="lacks"):
        mm.log_odds_dirichlet({"x": 1}, {"y": 1}, prior={"x": 1})
    with pytest.raises(ValueError, match="non-negative"):
        mm.log_odds_dirichlet({"x": -1}, {"y": 1})


def test_split_by_date(corpus: pd.DataFrame) -> None:
    groups = mm.split_by_date(corpus, "2020-08-09")
    assert groups.tolist() == ["before", "after", "after", "after", "after"]
    years = mm.split_by_date(corpus, "2021-01-01", labels=("2020", "2021"))
    assert dict(zip(corpus["article_id"], years))["ft-2021-09-09"] == "2021"
    with pytest.raises(ValueError, match="no article falls in group 'before'"):
        mm.split_by_date(corpus, "2019-01-01")
    undated = corpus.assign(date=corpus["date"].where(corpus.index != 0))
    with pytest.raises(ValueError, match="no date"):
        mm.split_by_date(undated, "2020-08-09")


def test_compare_groups_on_corpus(corpus: pd.DataFrame) -> None:
    groups = mm.split_by_date(corpus, "2020-08-09")
    table = mm.compare_groups(corpus, groups, a="before", b="after")
    counts = mm.group_term_counts(corpus, groups)
    assert table["count_a"].sum() == counts["before"].sum()
    assert table["count_b"].sum() == counts["after"].sum()
    row = table.set_index("term").loc["brotherly"]  # only in the pre-election article
    assert (row["count_a"], row["count_b"], row["favours"]) == (2, 0, "before")
    assert table["z"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="no article in group"):
        mm.compare_groups(corpus, groups, a="before", b="later")


def test_top_distinctive_sides_and_ties() -> None:
    table = mm.log_odds_dirichlet({"union": 3, "state": 1}, {"union": 1, "state": 1, "protest": 2}, labels=("x", "y"))
    top = mm.top_distinctive(table, n=2)
    assert top[["favours", "term"]].values.tolist() == [["x", "union"], ["y", "protest"]]
    tied = mm.top_distinctive(mm.log_odds_dirichlet({"a": 2, "b": 2, "c": 1}, {"c": 4, "d": 1}), n=3)
    assert tied.loc[tied["term"] == "a", "tied"].item() == 2  # a and b: same counts, same z


def test_top_terms_counts_ties() -> None:
    docs = pd.DataFrame({"article_id": ["x", "y"], "text": ["union state talks", "protest protest talks"]})
    top = mm.top_terms(mm.tfidf_matrix(docs, stop_words=None), n=3).set_index(["article_id", "term"])
    assert top.loc[("x", "union"), "tied"] == 2 and top.loc[("x", "state"), "tied"] == 2  # same tf and df
    assert top.loc[("y", "protest"), "tied"] == 1


def test_split_by_year_adapts_to_the_corpus(corpus: pd.DataFrame) -> None:
    years = mm.split_by_year(corpus)
    assert years.tolist() == ["2020", "2020", "2020", "2020", "2021"]
    shifted = corpus.assign(date=corpus["date"] + pd.DateOffset(years=3))
    assert set(mm.split_by_year(shifted)) == {"2023", "2024"}
    with pytest.raises(ValueError, match="no article falls in group"):
        mm.split_by_year(corpus.head(4))  # all in 2020: nothing earlier


def test_prior_sensitivity_strength(corpus: pd.DataFrame) -> None:
    groups = mm.split_by_year(corpus)
    table = mm.prior_sensitivity(corpus, groups, a="2020", b="2021", alpha0s=[None, 10])
    assert table["alpha0"].iloc[1] == pytest.approx(10)
    assert abs(table["z_b"].iloc[1]) > abs(table["z_b"].iloc[0])  # a weaker prior shrinks less


# --------------------------------------------------------------------------- keywords in context
@pytest.mark.parametrize(
    "term, article_id, surface",
    [
        ("union state", "mt-2020-08-05", "union state"),
        ("union state", "ft-2021-09-09", "Union State"),
        ("security assistance", "ft-2020-08-15", "security assistance"),
        ("Lukashenka's", "mt-2020-09-03", "Lukashenko"),  # variant + possessive normalised
        ("brotherly", "mt-2020-08-05", "brotherly"),
    ],
)
def test_kwic_finds_real_sentences(sentences: pd.DataFrame, term: str, article_id: str, surface: str) -> None:
    hits = mm.keywords_in_context(sentences, term, width=1000)
    assert list(hits.columns) == ["article_id", "date", "paragraph", "sentence", "left", "match", "right"]
    mine = hits[hits["article_id"] == article_id]
    assert len(mine) >= 1
    assert surface in set(mine["match"])
    for _, h in mine.iterrows():
        original = sentences.set_index(["article_id", "sentence"]).loc[(h["article_id"], h["sentence"]), "text"]
        assert h["left"] + h["match"] + h["right"] == original  # nothing cut at width=1000


def test_kwic_counts_agree_with_phrase_counts(corpus: pd.DataFrame, sentences: pd.DataFrame) -> None:
    counts = mm.group_term_counts(corpus, corpus["article_id"], stop_words=mm.STOP_WORDS)
    for term in ["union state", "security assistance", "lukashenko", "exercises", "integration"]:
        hits = mm.keywords_in_context(sentences, term, width=1000)
        assert len(hits) == counts.loc[term].sum(), term


def test_kwic_width_and_limit(sentences: pd.DataFrame) -> None:
    hits = mm.keywords_in_context(sentences, "lukashenko", width=20, n=3)
    assert len(hits) == 3
    assert (hits["left"].str.len() <= 20).all() and (hits["right"].str.len() <= 20).all()
    assert hits["left"].str.startswith("…").any()
    with pytest.raises(ValueError, match="holds no token"):
        mm.keywords_in_context(sentences, "—")


def test_kwic_phrase_not_across_comma() -> None:
    s = pd.DataFrame({"text": ["an integrated economic zone, military alliance"]})
    assert mm.keywords_in_context(s, "zone military").empty
    assert len(mm.keywords_in_context(s, "military alliance")) == 1


def _kwic_reference(sentences: pd.DataFrame, term: str, *, width: int = 60, n: int | None = None,
                    text_column: str = "text", variants=mm.SPELLING_VARIANTS) -> pd.DataFrame:
    """``keywords_in_context`` as it was before :class:`~minsk_moscow.keywords.ContextFinder`:
    every sentence tokenized again and each match's record taken on its own."""
    wanted = mm.tokenize(term, stop_words=None, variants=variants, min_length=1, keep_numbers=True)
    if not wanted:
        raise ValueError(f"term {term!r} holds no token")
    k = len(wanted)
    keep = [c for c in sentences.columns if c != text_column]
    others = sentences[keep]
    forms = {wanted[0], *(key for key, value in variants.items() if value == wanted[0])}
    quick = all(form.isascii() and form.isalnum() for form in forms)
    rows = []
    for position, text in enumerate(sentences[text_column].astype(str)):
        if quick and not any(form in text.lower() for form in forms):
            continue
        pieces = kw._WORD_SPLIT.split(text)
        items = kw._piece_items(pieces, stops=frozenset(), variants=variants, min_length=1, keep_numbers=True)
        stream = list(itertools.chain.from_iterable(items))
        owner = [p for p, item in enumerate(items) for _ in item]
        offsets = [0, *itertools.accumulate(map(len, pieces))]
        for i in range(len(stream) - k + 1):
            if stream[i : i + k] == wanted:
                start, end = offsets[owner[i]], offsets[owner[i + k - 1] + 1]
                left, right = text[:start], text[end:]
                left = left if len(left) <= width else "…" + left[-(width - 1):]
                right = right if len(right) <= width else right[: width - 1] + "…"
                record = others.iloc[[position]].to_dict("records")[0]
                rows.append({**record, "left": left, "match": text[start:end], "right": right})
                if n is not None and len(rows) >= n:
                    return pd.DataFrame(rows, columns=[*keep, "left", "match", "right"])
    return pd.DataFrame(rows, columns=[*keep, "left", "match", "right"])


_KWIC_SPECIAL = [
    "union state", "Union State", "“union state”", "Lukashenka's", "Lukashenko", "Belarus's", "Zhirinovksy",
    "the", "of the", "said", "S-400", "ex-soviet", "2020", "24", "zone military", "military alliance",
    "Лукашенко", "no such term here", "unionstate", "Minsk and Moscow", "a", "Putin said",
]


def _same_frame(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert list(new.columns) == list(old.columns) and new.dtypes.equals(old.dtypes)


@pytest.mark.slow
def test_context_finder_gives_what_keywords_in_context_gave(sentences: pd.DataFrame) -> None:
    """One finder for many terms (the token index is used from its second search on) gives, term
    by term, the very table the former one-term search gave: values, column order and dtypes."""
    terms = sorted({t for text in sentences["text"] for t in kw.phrase_ngrams(text)})
    assert len(terms) > 1000 and any(" " in t for t in terms)
    finder = kw.ContextFinder(sentences)
    found = 0
    for term in [*_KWIC_SPECIAL, *terms[::4]]:
        old = _kwic_reference(sentences, term)
        _same_frame(finder.find(term), old)
        found += len(old)
    assert found > 900  # matches compared, over 300 terms
    for term, options in [("lukashenko", {"n": 3, "width": 20}), ("union state", {"n": 1}), ("belarus", {"n": 0}),
                          ("russia", {"width": 1}), ("russia", {"width": 0, "n": 4}), ("the", {"width": 5, "n": 50}),
                          ("nowhere", {"n": 2})]:
        old = _kwic_reference(sentences, term, **options)
        _same_frame(kw.keywords_in_context(sentences, term, **options), old)
        _same_frame(finder.find(term, **options), old)
    with pytest.raises(ValueError, match="holds no token"):
        finder.find("—")


@pytest.mark.slow
def test_context_finder_rows_are_those_of_iloc(sentences: pd.DataFrame) -> None:
    """``find(term, rows=...)`` is ``keywords_in_context(sentences.iloc[rows], term)``, rows in the order given."""
    finder = kw.ContextFinder(sentences)
    rng = np.random.default_rng(0)
    picks = [sorted(rng.choice(len(sentences), 20, replace=False).tolist()) for _ in range(3)]
    picks += [list(range(len(sentences)))[::-1], [5, 5, 3, -1], []]
    for term in [*_KWIC_SPECIAL, "belarus", "russia", "moscow"]:
        for rows in picks:
            _same_frame(finder.find(term, rows=rows, width=40), _kwic_reference(sentences.iloc[rows], term, width=40))
    for term in ["lukashenko", "union state", "nowhere"]:  # occurrences: the same matches, as tuples
        hits = finder.find(term, width=30)
        found = finder.occurrences(term, width=30)
        assert [list(o[1:]) for o in found] == hits[["left", "match", "right"]].values.tolist()
        assert [sentences["sentence"].iloc[o[0]] for o in found] == hits["sentence"].tolist()


def test_context_finder_on_other_tables() -> None:
    """Any columns (dates with a gap, numbers, a column named like an output), another text column
    and other spelling variants: still the former one-term search's table."""
    table = pd.DataFrame({
        "body": ["Lukashenka met Putin.", "", "Putin, Lukashenko: the union state.", "None", "nan and none"],
        "when": pd.to_datetime(["2020-08-09", None, "2021-01-01", "2020-01-01", "2020-02-02"]),
        "count": [1, 2, 3, 4, 5],
        "match": ["a", "b", "c", "d", "e"],
    })
    variants = {"lukashenka": "lukashenko", "vladimir": "putin"}
    finder = kw.ContextFinder(table, text_column="body", variants=variants)
    for term in ["lukashenko", "Lukashenka", "putin", "nan", "none", "union state", "met", "the"]:
        for options in ({}, {"n": 1}, {"width": 3}):
            old = _kwic_reference(table, term, text_column="body", variants=variants, **options)
            _same_frame(finder.find(term, **options), old)
            _same_frame(kw.keywords_in_context(table, term, text_column="body", variants=variants, **options), old)
    assert kw.keywords_in_context(table, "lukashenko", text_column="body")["count"].tolist() == [1, 3]
    with pytest.raises(KeyError):
        kw.keywords_in_context(table, "putin")  # no "text" column
    with pytest.raises(ValueError, match="holds no token"):
        kw.keywords_in_context(table, "...")  # the term is checked first


def test_context_finder_tokenizes_each_sentence_once(sentences: pd.DataFrame, monkeypatch) -> None:
    calls = []
    real = kw._piece_items
    monkeypatch.setattr(kw, "_piece_items", lambda pieces, **options: calls.append(1) or real(pieces, **options))
    finder = kw.ContextFinder(sentences)
    finder.find("union state")
    assert 0 < len(calls) < len(sentences) / 4  # the first search parses only the sentences that may match
    for term in ["belarus", "russia", "union state", "the", "minsk", "lukashenko", "putin"]:
        finder.find(term)
        finder.find(term, rows=range(0, len(sentences), 2))
    assert len(calls) == len(sentences)


# --------------------------------------------------------------------------- robustness and figures
def test_term_survival(corpus: pd.DataFrame) -> None:
    robust = mm.robustness_table(corpus, {"unigrams": {"ngram_range": (1, 1)}, "same": {}}, n=10)
    survival = mm.term_survival(robust, mm.top_terms(mm.tfidf_matrix(corpus), n=10))
    phrases = survival[survival["term"].str.contains(" ")]
    assert len(phrases) and (phrases["survives"] == 1).all() and (phrases["lost_in"] == "unigrams").all()
    words = survival[~survival["term"].str.contains(" ")]
    assert (words["settings"] == 2).all() and words["survives"].max() == 2


_STOP_SETTINGS = [
    {},
    {"stop_words": mm.STOP_WORDS - mm.NEWS_STOP_WORDS},
    {"stop_words": None},
    {"stop_words": mm.STOP_WORDS | set(mm.ACTOR_ALIASES)},  # aliases with spaces never match one token
    {"stop_words": {"belarus", "russia"}, "ngram_range": (1, 3)},
    {"ngram_range": (2, 3), "min_ngram_count": 1},
    {"stop_words": None, "min_df": 2, "sublinear_tf": False},
    {"min_length": 4},  # another tokenizer: counted on its own
    {"stop_words": ["the"], "keep_numbers": True},
]


@pytest.mark.parametrize("pieces", [False, True], ids=["whole articles", "pooled and cut in pieces"])
def test_settings_that_share_one_count_give_what_tfidf_matrix_gives_to_the_last_bit(corpus, pieces, monkeypatch):
    """Settings that differ in their stop words take their columns of one count: the same matrices,
    terms and rows as counting each setting's own tokens, float for float."""
    docs = corpus
    if pieces:  # months of articles, each cut into pieces of a few paragraphs
        docs = mm.merge_by_group(corpus, mm.display_groups(corpus, max_groups=3))
        monkeypatch.setattr(kw, "_PIECE_CHARS", 2_000)
        monkeypatch.setattr(kw, "_PARALLEL_MIN_PIECES", 10**9)
    kw._GRAM_MEMO.clear()
    shared = kw._tfidf_settings(docs, _STOP_SETTINGS)
    for setting, got in zip(_STOP_SETTINGS, shared):
        kw._GRAM_MEMO.clear()
        alone = kw.tfidf_matrix(docs, **setting)
        assert got.terms.tolist() == alone.terms.tolist(), setting
        assert got.doc_ids.equals(alone.doc_ids)
        for name in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(got.matrix, name), getattr(alone.matrix, name), err_msg=str(setting))
    kw._GRAM_MEMO.clear()


def test_robustness_table(corpus: pd.DataFrame) -> None:
    table = mm.robustness_table(corpus, {"same": {}, "unigrams": {"ngram_range": (1, 1)}}, n=10)
    same = table[table["setting"] == "same"]
    assert (same["kept"] == 10).all() and (same["lost"] == "").all()
    uni = table[table["setting"] == "unigrams"]
    gained = [t for cell in uni["gained"] if cell for t in cell.split(", ")]
    assert gained and all(" " not in t for t in gained)
    lost = ", ".join(uni["lost"])
    base = mm.top_terms(mm.tfidf_matrix(corpus), n=10)
    phrases = base[base["term"].str.contains(" ")]
    for term in phrases["term"]:
        assert term in lost  # every phrase is lost when only unigrams are counted


@pytest.mark.parametrize("impossible", [
    {"min_df": 6},  # five articles: no term is in six
    {"max_df": 0.1},  # every term is in more than half an article
    {"variants": {"lukashenka": "alexander lukashenko"}, "min_df": 6},  # counted by tfidf_matrix itself
], ids=["min_df", "max_df", "own count"])
def test_robustness_table_leaves_out_a_setting_with_no_terms_and_says_why(corpus: pd.DataFrame, impossible) -> None:
    unigrams = {"unigrams": {"ngram_range": (1, 1)}}
    table = mm.robustness_table(corpus, {**unigrams, "impossible": impossible}, n=10)
    alone = mm.robustness_table(corpus, unigrams, n=10)
    pd.testing.assert_frame_equal(table, alone)  # the settings that can run give the same rows
    assert list(table.attrs["skipped"]) == ["impossible"]
    assert table.attrs["skipped"]["impossible"].startswith("no terms left for TF-IDF")
    note = mm.robustness_note(table)
    assert note.startswith("1 of 2 settings could not be computed on this corpus and is left out of the check: "
                           "impossible (no terms left")
    assert mm.robustness_note(alone) == "" and alone.attrs["skipped"] == {}
    survival = mm.term_survival(table, mm.top_terms(mm.tfidf_matrix(corpus), n=10))
    assert (survival["settings"] == 1).all()  # only the setting that ran is counted


def test_robustness_table_stops_when_nothing_can_be_compared(corpus: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no terms left for TF-IDF"):
        mm.robustness_table(corpus, {"unigrams": {"ngram_range": (1, 1)}}, baseline={"min_df": 6})
    with pytest.raises(ValueError, match="none of the 2 other settings leaves terms for TF-IDF on this corpus"):
        mm.robustness_table(corpus, {"a": {"min_df": 6}, "b": {"max_df": 0.1}})
    two = mm.robustness_table(corpus, {"a": {"min_df": 6}, "b": {"max_df": 0.1}, "c": {"ngram_range": (1, 1)}})
    assert mm.robustness_note(two).startswith("2 of 3 settings could not be computed on this corpus and are left out")
    with pytest.raises(ValueError, match="ngram_range"):  # other mistakes are not skipped
        mm.robustness_table(corpus, {"a": {"ngram_range": (2, 1)}, "b": {"ngram_range": (1, 1)}})


def test_wordcloud_is_reproducible() -> None:
    weights = {"union state": 0.6, "integration": 0.5, "protest": 0.4, "crackdown": 0.3, "kremlin": 0.2}
    one = kw.tfidf_wordcloud(weights, random_state=3, width=300, height=200).to_array()
    two = kw.tfidf_wordcloud(weights, random_state=3, width=300, height=200).to_array()
    np.testing.assert_array_equal(one, two)
    assert "union state" in kw.tfidf_wordcloud(weights, width=300, height=200).words_  # no collocation split
    with pytest.raises(ValueError, match="no positive weights"):
        kw.tfidf_wordcloud({"x": 0.0})


# --------------------------------------------------------------------------- figures on pooled documents
@pytest.fixture(scope="module")
def monthly(corpus: pd.DataFrame) -> kw.Tfidf:
    return kw.tfidf_matrix(mm.merge_by_group(corpus, mm.display_groups(corpus, max_groups=3)))


def test_heatmap_names_the_documents_it_shows(monthly: kw.Tfidf) -> None:
    import matplotlib.pyplot as plt

    fig = kw.plot_tfidf_heatmap(monthly, n=3, document="month")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020-08", "2020-09", "2021-09"]
    assert ax.get_xlabel() == "Month" and ax.get_ylabel() == "Term (top 3 of each month)"
    plt.close(fig)


def test_wordclouds_one_per_pooled_document(monthly: kw.Tfidf) -> None:
    import matplotlib.pyplot as plt

    fig = kw.plot_wordclouds(monthly, max_words=10, document="month")
    assert [ax.get_title() for ax in fig.axes[:3]] == ["2020-08", "2020-09", "2021-09"]
    assert fig._suptitle.get_text().endswith("(top 10 terms per month)")
    caption = " ".join(text.get_text() for text in fig.texts)
    assert "weight in that month" in caption and "in this month only" in caption
    plt.close(fig)


def test_wordcloud_colour_means_unique_or_shared_and_agencies_are_left_out(monthly: kw.Tfidf, monkeypatch) -> None:
    """Colour carries one meaning (only in this document, or shared), and attribution names never show."""
    import matplotlib.pyplot as plt

    drawn = []
    real = kw.tfidf_wordcloud

    def spy(weights, **kwargs):
        cloud = real(weights, **kwargs)
        drawn.append((dict(weights), kwargs["color_func"]))
        return cloud

    monkeypatch.setattr(kw, "tfidf_wordcloud", spy)
    frame = monthly.frame()
    plt.close(kw.plot_wordclouds(monthly, max_words=40, document="month", exclude={"afp", "belta"}))
    in_docs = (frame > 0).sum(axis=0)
    for weights, color in drawn:
        assert not {"afp", "belta"} & set(weights)
        for term in weights:
            assert color(term) == ("#b2182b" if in_docs[term] == 1 else "#5b7a99")


# --------------------------------------------------------------------------- phrases, chunk by chunk
@pytest.mark.parametrize(
    "text, phrases",
    [
        # mt-2020-09-03: free-standing dashes and quoted clauses end phrases
        (('Moscow plans to use the elections to "tame the shrew," — a reference to the Belarussian leader — or to '
          '"change him" for a better ally'), ["moscow plans", "belarusian leader", "better ally"]),
        # ft-2020-08-15: hyphenated words stay whole
        ("the backbone of its quasi-Soviet command economy", ["quasi-soviet command", "command economy"]),
        # a dash is free-standing next to any white space, on either side of it
        ("Kremlin -spokesman Dmitry Peskov", ["spokesman dmitry", "dmitry peskov"]),
        ("Kremlin- spokesman Dmitry Peskov", ["spokesman dmitry", "dmitry peskov"]),
        ("Kremlin spokesman –\u00a0Dmitry Peskov", ["kremlin spokesman", "dmitry peskov"]),
        ("Kremlin\u00a0spokesman\tDmitry\nPeskov", ["kremlin spokesman", "spokesman dmitry", "dmitry peskov"]),
    ],
)
def test_phrases_stop_at_clause_marks_and_free_standing_dashes(text, phrases):
    assert [g for g in mm.phrase_ngrams(text) if " " in g] == phrases


def _bigrams_word_by_word(sentence: str) -> list[str]:
    """The phrases of ``sentence`` as defined, one word and one gap at a time (no memo, no chunks)."""
    runs: list[list[str]] = [[]]
    last_end = 0
    for match in kw._WORD_SPLIT.finditer(sentence):
        if kw._PHRASE_BREAK.search(sentence[last_end : match.start()]):
            runs.append([])
        last_end = match.end()
        for token in mm.tokenize(match.group(), stop_words=None, min_length=1, keep_numbers=True):
            if len(token) < 2 or token in mm.STOP_WORDS or token.replace("-", "").isdigit():
                runs.append([])  # a dropped token ends the phrase
            else:
                runs[-1].append(token)
    return [f"{a} {b}" for run in runs for a, b in itertools.pairwise(run)]


def test_phrases_are_those_of_adjacent_words_in_every_seed_sentence(sentences):
    for sentence in sentences["text"]:
        assert [g for g in mm.phrase_ngrams(sentence) if " " in g] == _bigrams_word_by_word(sentence), sentence


def test_log_odds_labels_list_every_term_without_crossing_lines() -> None:
    import matplotlib.pyplot as plt

    a = {f"w{i}": 1 for i in range(8)} | {"war": 5}
    b = {"peace": 6, "talks": 2}
    table = kw.log_odds_dirichlet(a, b, labels=("a", "b"))
    fig = kw.plot_log_odds(table, labels=("a", "b"), n_labels=3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    listed = " ".join(t for t in texts if ": " in t)
    assert all(f"w{i}" in listed for i in range(8))  # the whole tie is named, never "+k"
    assert "+5" not in listed and "(8 terms)" in listed
    assert not [c for c in fig.axes[0].get_children() if type(c).__name__ == "Annotation" and c.arrow_patch is not None]
    plt.close(fig)


def test_term_counts_of_the_same_texts_and_options_are_counted_once(corpus, monkeypatch):
    """The before/after counts, both comparisons and both prior checks of notebook 02 count one corpus."""
    from minsk_moscow import keywords

    counted = []
    real = keywords._chunked
    monkeypatch.setattr(keywords, "_chunked", lambda *a, **k: counted.append(1) or real(*a, **k))
    period = mm.split_by_date(corpus, mm.ELECTION_DATE)
    first = mm.group_term_counts(corpus, period)
    comparison = mm.compare_groups(corpus, period, a="before", b="after")
    assert len(counted) == 1
    mm.group_term_counts(corpus, period, ngram_range=(1, 1))  # other options
    mm.group_term_counts(corpus.assign(text=corpus["text"].str.upper()), period)  # other texts
    assert len(counted) == 3
    counts, terms = keywords._gram_counts(corpus["text"], ngram_range=(1, 2))
    with pytest.raises(ValueError, match="read-only"):
        counts.data[0] = 99  # shared by every caller
    keywords._GRAM_MEMO.clear()
    pd.testing.assert_frame_equal(mm.group_term_counts(corpus, period), first)
    pd.testing.assert_frame_equal(mm.compare_groups(corpus, period, a="before", b="after"), comparison)
    assert len(keywords._GRAM_MEMO) <= keywords._GRAM_MEMO_SIZE


@pytest.mark.parametrize("texts", [
    ["Lukashenko met Putin in Sochi.", "", "Союзное государство — größte Krise.", "Ties."],
    ["a", "bc"], ["ab", "c"],  # the same letters, cut differently
], ids=["mixed scripts", "a|bc", "ab|c"])
def test_texts_stored_as_arrow_strings_get_the_key_of_their_list(texts) -> None:
    """The counts are remembered by the texts' content: a "str" column, a slice of one and the list
    of its strings are the same texts, read from the Arrow buffers or from the strings."""
    stored = pd.Series(["before", *texts], dtype="str").array[1:]  # a slice: its buffers start elsewhere
    assert kw._arrow_texts(stored) is not None
    key = kw._memo_key(stored, default=True, options={})
    assert key == kw._memo_key(list(texts), default=True, options={})
    assert key != kw._memo_key([*texts[:-1], texts[-1] + "."], default=True, options={})
    assert kw._arrow_texts(pd.Series(["a", None], dtype="str").array) is None  # a missing text: the list path


@pytest.mark.parametrize("dtype", ["str", object])
def test_term_counts_are_merged_while_later_chunks_are_counted(corpus, monkeypatch, dtype) -> None:
    """Each chunk's counts join the matrix as soon as they come (in the workers' case, while the
    workers count the next chunks), not once every chunk is done; the matrix is the same."""
    monkeypatch.setattr(kw, "_GRAM_MEMO_SIZE", 0)
    texts = corpus["text"].astype(dtype)
    expected = kw._gram_counts(texts, jobs=1, ngram_range=(1, 2))
    events = []
    monkeypatch.setattr(kw, "_CHUNK_DOCS", 2)
    monkeypatch.setattr(kw, "_gram_chunk", lambda docs, _real=kw._gram_chunk, **options: (
        events.append("count") or _real(docs, **options)))
    monkeypatch.setattr(kw._Counts, "term_list", lambda self, _real=kw._Counts.term_list: (
        events.append("merge") or _real(self)))
    counts, terms = kw._gram_counts(texts, jobs=1, ngram_range=(1, 2))
    assert events == ["count", "merge"] * 3  # five articles, two per chunk
    assert terms.tolist() == expected[1].tolist() and (counts != expected[0]).nnz == 0
