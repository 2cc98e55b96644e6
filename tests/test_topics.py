"""Tests for minsk_moscow.topics: units, safeguards, coherence, stability, determinism."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import minsk_moscow as mm
from minsk_moscow import topics

# Real sentences from the seed articles.
SOCHI = (
    "In a statement, the Kremlin said on Friday the two leaders would meet in the Black Sea resort of Sochi "
    "to discuss further integration plans as well as key trade and energy projects."
)
MERCENARIES = (
    "But the biggest upset came last week when his KGB security services arrested 33 Russians, calling them "
    "mercenaries who were dispatched over the frontier to stir unrest."
)
UNION = (
    "Belarus is more tightly linked to Russia than any other country and the two form a \"union state\" with an "
    "integrated economic zone, military alliance, and potential for even deeper unification."
)
LESSON = '"This lesson prompted us to make relevant conclusions," he said.'
AGREED = (
    '"We agreed" on issues on which Russia and Belarus "could not agree earlier," Lukashenko told Mishustin, '
    'adding that opposition protests were a "lesson" for the two countries.'
)
# mt-2020-09-11 lost its paragraph breaks: one "paragraph" holds many sentences.
REPOST = " ".join(
    [
        "Several people have died in the crackdown.",
        "Putin swiftly congratulated Lukashenko on his victory and raised the possibility of intervening militarily.",
        "The opposition formed a Coordination Council to organise a handover of power but the Belarusian "
        "authorities have detained senior members and pressured others to leave the country.",
        "Historically Russians and Belarusians have enjoyed good relations and members of the opposition say the "
        "protests are not aimed against Russia.",
        "In an address to Russians this week, Tikhanovskaya said it was important not to allow politicians and "
        'propaganda to "poison" ties.',
        "Belarus, an ex-Soviet state of 9.5 million people, relies on Russia for cheap oil and loans.",
    ]
)


def _corpus(*articles: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [a for a, _ in articles],
            "date": [pd.Timestamp("2020-09-11")] * len(articles),
            "text": [t for _, t in articles],
        }
    )


@pytest.fixture(scope="module")
def vectors() -> topics.UnitVectors:
    return topics.vectorize_units(topics.make_units(mm.load_corpus()), extra_stop_words=topics.SIDE_WORDS)


# --------------------------------------------------------------------------- units
@pytest.mark.parametrize("max_tokens", [15, 25, 40])
def test_capped_units_split_long_paragraph_at_sentences(max_tokens):
    units = topics.make_units(_corpus(("mt-2020-09-11", REPOST)), max_tokens=max_tokens)
    counts = [len(mm.tokenize(s)) for s in mm.split_sentences(REPOST)]
    assert len(units) > 1
    assert " ".join(units["text"]) == REPOST  # nothing lost, order kept
    assert all(n <= max_tokens or s == 1 for n, s in zip(units["n_tokens"], units["n_sentences"]))
    assert len(units) == len(topics._balanced_parts(counts, max_tokens))
    assert units["paragraph"].eq(0).all()


def test_paragraph_units_keep_the_giant_paragraph():
    units = topics.make_units(_corpus(("mt-2020-09-11", REPOST)), unit="paragraph")
    assert units["text"].tolist() == [REPOST]


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"{LESSON}\n\n{AGREED}", [f"{LESSON} {AGREED}"]),  # a short paragraph joins the next
        (f"{AGREED}\n\n{LESSON}", [f"{AGREED} {LESSON}"]),  # ... or the previous when it is last
        (f"{UNION}\n\n{AGREED}", [UNION, AGREED]),
    ],
)
def test_capped_units_join_short_paragraphs(text, expected):
    units = topics.make_units(_corpus(("mt-2020-09-03", text)), min_tokens=6)
    assert units["text"].tolist() == expected


def test_window_units_cross_paragraphs_within_article():
    text = f"{SOCHI}\n\n{MERCENARIES}\n\n{UNION}"
    units = topics.make_units(_corpus(("a", text), ("b", UNION)), unit="window", window=2)
    assert units["unit_id"].tolist() == ["a:00", "a:01", "b:00"]
    assert units["text"].tolist() == [f"{SOCHI} {MERCENARIES}", UNION, UNION]
    assert units["paragraph"].tolist() == [0, 2, 0]


def test_make_units_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unit must be"):
        topics.make_units(_corpus(("a", SOCHI)), unit="sentence")


def test_unit_lengths_shares():
    units = topics.make_units(_corpus(("a", f"{SOCHI}\n\n{UNION}"), ("b", MERCENARIES)), unit="paragraph")
    table = topics.unit_lengths(units)
    assert table["n_units"].tolist() == [2, 1]
    assert table["share_of_units"].tolist() == [0.667, 0.333]
    assert math.isclose(table["share_of_tokens"].sum(), 1.0, abs_tol=0.002)


# --------------------------------------------------------------------------- safeguards
def _units(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(texts))], "text": list(texts)})


def test_min_df_leaving_no_vocabulary_raises():
    with pytest.raises(ValueError, match="leave no terms"):
        topics.vectorize_units(_units(SOCHI, MERCENARIES, UNION), min_df=3, max_df=1.0)


def test_min_df_leaving_almost_no_vocabulary_raises():
    with pytest.raises(ValueError, match=r"leave only \d+ terms"):
        topics.vectorize_units(_units(SOCHI, MERCENARIES, UNION, AGREED), min_df=2, max_df=1.0)


def test_units_without_terms_are_dropped_and_warned_about():
    texts = [SOCHI, SOCHI, UNION, UNION, MERCENARIES]
    with pytest.warns(topics.TopicWarning, match="1 of 5 units keep no term"):
        v = topics.vectorize_units(_units(*texts), min_df=2, max_df=1.0, min_terms=5)
    assert v.dropped == ("u4",)
    assert v.matrix.shape[0] == len(v.units) == 4


@pytest.mark.parametrize("n_units, k", [(84, 30), (10, 4), (100, 1)])
def test_check_k_raises_for_too_few_units(n_units, k):
    with pytest.raises(ValueError):
        topics.check_k(n_units, k)


def test_check_k_accepts_enough_units():
    topics.check_k(12, 4)
    with pytest.raises(ValueError, match="more than 4 terms"):
        topics.check_k(12, 4, n_terms=4)


def test_fits_refuse_too_many_topics(vectors):
    k = vectors.matrix.shape[0] // topics.MIN_UNITS_PER_TOPIC + 1
    with pytest.raises(ValueError, match="too few"):
        topics.fit_nmf(vectors, k=k, random_state=0)
    with pytest.raises(ValueError, match="too few"):
        topics.fit_lsa_kmeans(vectors, k=k, random_state=0)
    with pytest.raises(ValueError, match="too few"):
        topics.sweep_k(vectors, ks=[2, k], seeds=[0, 1])


# --------------------------------------------------------------------------- coherence
# Four units as term sets, from the seed articles' vocabulary. D(putin)=3, D(lukashenko)=2,
# D(loan)=1, D(putin, lukashenko)=2, D(putin, loan)=1, D(lukashenko, loan)=1, N=4.
DOCS = [["putin", "lukashenko"], ["putin", "sochi"], ["putin", "lukashenko", "loan"], ["protests"]]


def test_umass_against_hand_computation():
    m, terms = topics.occurrence_matrix(DOCS)
    # pairs: log((2+1)/3) + log((1+1)/3) + log((1+1)/2) = log(2/3); mean over 3 pairs
    expected = math.log(2 / 3) / 3
    assert topics.topic_coherence(["putin", "lukashenko", "loan"], m, terms, measure="umass") == pytest.approx(expected)


def test_npmi_against_hand_computation():
    m, terms = topics.occurrence_matrix(DOCS)
    npmi_pl = math.log(0.5 / (0.75 * 0.5)) / -math.log(0.5)
    npmi_pn = math.log(0.25 / (0.75 * 0.25)) / -math.log(0.25)
    npmi_ln = math.log(0.25 / (0.5 * 0.25)) / -math.log(0.25)
    expected = (npmi_pl + npmi_pn + npmi_ln) / 3
    assert expected == pytest.approx(0.3742, abs=1e-4)
    assert topics.topic_coherence(["putin", "lukashenko", "loan"], m, terms, measure="npmi") == pytest.approx(expected)


@pytest.mark.parametrize("pair, expected", [(["sochi", "protests"], -1.0), (["loan", "loan"], 1.0)])
def test_npmi_bounds(pair, expected):
    m, terms = topics.occurrence_matrix(DOCS)
    assert topics.topic_coherence(pair, m, terms, measure="npmi") == pytest.approx(expected)


def test_coherence_rejects_unknown_terms_and_measures():
    m, terms = topics.occurrence_matrix(DOCS)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        topics.topic_coherence(["putin", "gazprom"], m, terms)
    with pytest.raises(ValueError, match="measure"):
        topics.topic_coherence(["putin", "loan"], m, terms, measure="cv")


# --------------------------------------------------------------------------- stability
@pytest.mark.parametrize("labels", [[0, 0, 1, 1, 2, 2], [3, 1, 3, 0, 0, 1]])
def test_ari_of_identical_partitions_is_one(labels):
    relabelled = [{0: 5, 1: 6, 2: 7, 3: 8}[x] for x in labels]
    assert topics.mean_pairwise_ari([labels, labels, relabelled]) == pytest.approx(1.0)


def test_ari_of_unrelated_partitions_is_not_one():
    assert topics.mean_pairwise_ari([[0, 0, 1, 1], [0, 1, 0, 1]]) < 0.5


def test_match_topics_recovers_a_permutation(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=1)
    permuted = fit.term_vectors[[2, 0, 3, 1]]
    order, sims = topics.match_topics(fit.term_vectors, permuted)
    assert order.tolist() == [1, 3, 0, 2]
    assert np.allclose(sims, 1.0)


# --------------------------------------------------------------------------- fits and tables
@pytest.mark.parametrize("fit_fn", [topics.fit_nmf, topics.fit_lsa_kmeans])
def test_fits_are_deterministic_and_tidy(vectors, fit_fn):
    a = fit_fn(vectors, k=4, random_state=7)
    b = fit_fn(vectors, k=4, random_state=7)
    for name in ("topic_terms", "unit_topics", "article_topics"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    n_units = vectors.matrix.shape[0]
    assert len(a.unit_topics) == n_units * 4
    assert a.unit_topics.groupby("unit_id")["dominant"].sum().eq(1).all()
    shares = a.article_topics.groupby("article_id")["share"].sum()
    assert np.allclose(shares, 1.0)
    assert set(a.article_topics["article_id"]) == set(vectors.units["article_id"])
    first = a.topic_terms[a.topic_terms["topic"] == 0]["weight"].to_numpy()
    assert (np.diff(first) <= 0).all()


def test_nmf_seed_matters_with_random_start(vectors):
    a = topics.fit_nmf(vectors, k=4, random_state=1)
    b = topics.fit_nmf(vectors, k=4, random_state=2)
    assert not np.array_equal(a.unit_topics["weight"].to_numpy(), b.unit_topics["weight"].to_numpy())


def test_article_topics_weight_units_by_tokens():
    units = topics.make_units(_corpus(("a", f"{SOCHI}\n\n{LESSON}"), ("b", UNION)), unit="paragraph")
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    v = topics.UnitVectors(None, ("x",), units)
    fit = topics._tables(v, "test", 2, 0, weights, weights, np.ones((2, 1)))
    a = fit.article_topics.query("article_id == 'a'").set_index("topic")["share"]
    n_sochi, n_lesson = units["n_tokens"].iloc[:2]
    assert a[0] == pytest.approx(n_sochi / (n_sochi + n_lesson))


def test_representative_units_are_the_topics_strongest(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=0)
    reps = topics.representative_units(fit, vectors.units, n=2, max_chars=None)
    assert reps.groupby("topic").size().eq(2).all()
    for topic, group in reps.groupby("topic"):
        own = fit.unit_topics[(fit.unit_topics["topic"] == topic) & fit.unit_topics["dominant"]]
        assert group["score"].iloc[0] == pytest.approx(own["score"].max())
        assert group["unit_id"].isin(own["unit_id"]).all()
    assert reps["text"].iloc[0] in vectors.units["text"].tolist()


def test_topic_labels_need_shared_top_terms_and_fall_back_to_terms(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=0)
    top = fit.top_terms(5)
    read = {
        "Read as topic 0": top[0][:3] + ["not-a-term", "nor-this"],  # 3 of 5 shared: earned
        "Read as topic 1": top[1][:2] + ["not-a-term", "nor-this", "nor-that"],  # only 2: not earned
    }
    labels = topics.topic_labels(fit, read)
    assert labels[0] == "Read as topic 0"
    for topic in range(1, 4):  # no earned label: named by the top terms, never a KeyError
        assert labels[topic] == f"topic {topic}: " + ", ".join(top[topic][:3])
    assert topics.topic_labels(fit, read, min_shared=2)[1] == "Read as topic 1"


def test_topic_labels_give_each_label_to_the_best_matching_topic_only(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=0)
    top = fit.top_terms(5)
    labels = topics.topic_labels(fit, {"Same": top[2], "Other": top[2][:3]})
    assert labels[2] == "Same"  # 5 shared beats 3 shared
    assert list(labels.values()).count("Same") == 1 and "Other" not in labels.values()
    assert len(set(labels.values())) == 4


def test_sweep_is_deterministic_and_complete(vectors):
    kwargs = dict(ks=[2, 3], seeds=[0, 1, 2], lsa_components=10, n_top=5)
    a = topics.sweep_k(vectors, **kwargs)
    b = topics.sweep_k(vectors, **kwargs)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2 * 2 * 3
    assert a[["silhouette", "umass", "npmi", "ari", "topic_match"]].notna().all().all()
    summary = topics.summarize_sweep(a)
    # the mean over seeds of each seed's ARI to the others is the mean pairwise ARI
    for (method, k), g in a.groupby(["method", "k"]):
        row = summary[(summary["method"] == method) & (summary["k"] == k)].iloc[0]
        assert row["ari_mean"] == pytest.approx(g["ari"].mean())


def test_sweep_needs_two_seeds(vectors):
    with pytest.raises(ValueError, match="two seeds"):
        topics.sweep_k(vectors, ks=[2], seeds=[0])


def test_choose_k_refuses_when_nothing_is_stable():
    summary = pd.DataFrame({"method": "nmf", "k": [2, 3], "ari_mean": [0.3, 0.2], "topic_match_mean": [0.7, 0.6]})
    with pytest.raises(ValueError, match="no k is stable"):
        topics.choose_k(summary)


@pytest.mark.parametrize(("aris", "expected"), [([0.3, 0.6, 0.5], 3), ([0.6, 0.6, 0.5], 2)])
def test_choose_k_can_fall_back_to_the_most_stable_k_with_a_warning(aris, expected):
    summary = pd.DataFrame({"method": "nmf", "k": [2, 3, 4], "ari_mean": aris, "topic_match_mean": [0.7, 0.9, 0.9]})
    with pytest.warns(topics.TopicWarning, match=f"using the most stable k = {expected}; treat its topics as tentative"):
        assert topics.choose_k(summary, if_unstable="warn") == expected
    with pytest.raises(ValueError, match="if_unstable"):
        topics.choose_k(summary, if_unstable="ignore")


def test_unit_map_is_deterministic_and_checks_perplexity(vectors):
    lsa = topics.lsa_vectors(vectors, n_components=10, random_state=0)
    a = topics.unit_map(lsa, random_state=3)
    b = topics.unit_map(lsa, random_state=3)
    assert a.shape == (lsa.shape[0], 2)
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="perplexity"):
        topics.unit_map(lsa[:10], random_state=3, perplexity=10)


def test_topic_mix_per_article_matches_the_fit_and_pools_groups_by_tokens(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=0)
    per_article = fit.article_topics.pivot(index="article_id", columns="topic", values="share")
    mix = topics.topic_mix(fit)
    assert mix.index.tolist() == list(dict.fromkeys(vectors.units["article_id"]))  # date order kept
    pd.testing.assert_frame_equal(mix, per_article.reindex(mix.index), check_names=False, atol=1e-12)
    pooled = topics.topic_mix(fit, groups={a: "all" for a in mix.index})
    ut = fit.unit_topics
    mass = (ut["weight"] * ut["n_tokens"]).groupby(ut["topic"]).sum()
    np.testing.assert_allclose(pooled.loc["all"].to_numpy(), (mass / mass.sum()).to_numpy())


def test_topic_mix_refuses_articles_without_a_group(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=0)
    with pytest.raises(ValueError, match="no group for article"):
        topics.topic_mix(fit, groups={"mt-2020-08-05": "2020"})


# --------------------------------------------------------------------------- tokens counted and kept once
@pytest.mark.parametrize("unit", ["capped", "paragraph", "window"])
def test_unit_token_counts_are_those_of_the_unit_text(unit):
    units = topics.make_units(mm.load_corpus(), unit=unit)
    assert units["n_tokens"].tolist() == [len(mm.tokenize(text)) for text in units["text"]]


@pytest.mark.parametrize("extra", [(), topics.SIDE_WORDS])
def test_vectors_from_the_kept_unit_tokens_are_those_of_the_texts(extra):
    units = topics.make_units(mm.load_corpus())
    assert units["tokens"].tolist() == [mm.tokenize(text) for text in units["text"]]  # kept for vectorize_units
    reused = topics.vectorize_units(units, extra_stop_words=extra)
    fresh = topics.vectorize_units(units.drop(columns="tokens"), extra_stop_words=extra)
    assert reused.terms == fresh.terms
    assert (reused.matrix != fresh.matrix).nnz == 0


def test_unit_map_has_one_legend_for_colours_and_one_for_shapes() -> None:
    import matplotlib.pyplot as plt

    points = pd.DataFrame({"x": [0, 1, 2, 3], "y": [1, 0, 1, 0], "topic": ["a", "b", "a", "b"],
                           "article": ["mt-2020-08-05", "mt-2020-08-05", "ft-2021-09-09", "ft-2021-09-09"]})
    fig = mm.plot_unit_map(points, topic_order=["a", "b"], group="article")
    legends = fig.legends
    assert [lg.get_title().get_text() for lg in legends] == ["colour: topic", "shape: article"]
    assert [t.get_text() for t in legends[0].get_texts()] == ["a", "b"]
    assert [t.get_text() for t in legends[1].get_texts()] == ["mt-2020-08-05", "ft-2021-09-09"]
    markers = {h.get_marker() for h in legends[1].legend_handles}
    assert len(markers) == 2  # every group its own shape
    plt.close(fig)
    many = pd.DataFrame({"x": range(13), "y": range(13), "topic": ["a"] * 13, "article": [f"g{i}" for i in range(13)]})
    with pytest.raises(ValueError, match="at most 12 groups"):
        mm.plot_unit_map(many, topic_order=["a"], group="article")


# --------------------------------------------------------------------------- large fits stay small
def test_unit_topics_hold_the_ids_as_codes_of_the_units_ids(vectors):
    fit = topics.fit_nmf(vectors, k=4, random_state=0)
    ut = fit.unit_topics
    assert all(isinstance(ut[c].dtype, pd.CategoricalDtype) for c in ("unit_id", "article_id"))
    for column in ("unit_id", "article_id"):
        assert ut[column].astype(str).tolist() == np.repeat(vectors.units[column].to_numpy(), 4).tolist()
    assert fit.article_topics["article_id"].dtype == vectors.units["article_id"].dtype
    reps = topics.representative_units(fit, vectors.units, n=2)
    assert reps["unit_id"].dtype == vectors.units["unit_id"].dtype


@pytest.mark.parametrize("fit_fn", [topics.fit_nmf, topics.fit_lsa_kmeans])
def test_a_fit_keeps_k_numbers_per_unit_not_k_rows(vectors, fit_fn):
    fit = fit_fn(vectors, k=4, random_state=0)
    n_units = len(vectors.units)
    assert "unit_topics" not in {f.name for f in dataclasses.fields(fit)}  # built when read
    assert fit.weights.shape == fit.scores.shape == (n_units, 4) and len(fit.units) == n_units
    ut = fit.unit_topics
    np.testing.assert_array_equal(ut["weight"].to_numpy().reshape(n_units, 4), fit.weights)
    np.testing.assert_array_equal(ut["n_tokens"].to_numpy()[::4], vectors.units["n_tokens"].to_numpy(dtype=float))
    summary = topics.topic_summary(fit)
    mass = (ut["weight"] * ut["n_tokens"]).groupby(ut["topic"]).sum()
    np.testing.assert_allclose(summary["token_share"], (mass / mass.sum()).round(3), atol=1e-12)
    assert summary["n_units"].tolist() == ut[ut["dominant"]].groupby("topic").size().reindex(range(4), fill_value=0).tolist()


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_representative_units_keep_every_unit_tied_at_the_cut(n):
    """Units tied with the n-th best score are all candidates, so the unit-id tie-break decides as on the full table."""
    units = pd.DataFrame({"unit_id": ["u9", "u1", "u5", "u3", "u7", "u2"], "article_id": list("aabbcc"),
                          "n_tokens": 3, "text": [f"text {i}" for i in range(6)]})
    weights = np.array([[1.0, 0.0]] * 5 + [[0.0, 1.0]])
    scores = np.array([[0.9, 0], [0.5, 0], [0.5, 0], [0.7, 0], [0.5, 0], [0, 0.2]])
    fit = topics._tables(topics.UnitVectors(None, ("x",), units), "test", 2, 0, weights, scores, np.ones((2, 1)))
    got = topics.representative_units(fit, units, n=n)
    ut = fit.unit_topics[fit.unit_topics["dominant"]].astype({"unit_id": str, "article_id": str})
    full = ut.sort_values(["topic", "score", "unit_id"], ascending=[True, False, True], kind="stable").groupby("topic").head(n)
    assert got["unit_id"].tolist() == full["unit_id"].tolist()
    assert got.loc[got["topic"] == 0, "unit_id"].tolist() == ["u9", "u3", "u1", "u5", "u7"][:n]


@pytest.mark.parametrize("groups", [None, {"a": "x", "b": "x", "c": "y"}, {"a": "p", "b": "q", "c": "r"}])
def test_token_shares_by_codes_are_those_by_the_ids(groups):
    ids = pd.Series(["c", "a", "b", None], dtype="str", name="article_id", index=[10, 11, 12, 13])
    mass = np.array([[0.25, 0.75], [1.0, 0.0], [0.5, 0.5], [0.3, 0.7]]) * np.array([[4.0], [7], [1], [2]])
    as_codes = ids.astype("category")
    if groups is not None:
        ids, as_codes = ids.map(groups).rename("group"), as_codes.map(groups).rename("group")
    expected = topics._token_shares(mass, ids, 2)
    got = topics._token_shares(mass, as_codes, 2)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_index_type=False)
    assert got.index.tolist() == expected.index.tolist() == list(dict.fromkeys(ids.dropna()))


def test_units_take_the_corpus_types_of_ids_and_dates():
    corpus = pd.DataFrame({"article_id": [7, 3, 9], "date": pd.to_datetime(["2021-05-28", "2020-09-11", None]),
                           "text": [SOCHI, "", f"{UNION}\n\n{LESSON}"]})
    units = topics.make_units(corpus, unit="paragraph")
    assert units["article_id"].tolist() == [7, 9, 9]  # the empty article has no unit
    assert units["article_id"].dtype == corpus["article_id"].dtype and units["date"].dtype == corpus["date"].dtype
    assert units["unit_id"].tolist() == ["7:00", "9:00", "9:01"]
    assert units["date"].iloc[0] == pd.Timestamp("2021-05-28") and units["date"].iloc[1:].isna().all()
