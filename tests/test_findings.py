"""Tests for minsk_moscow.findings: findings generated from a corpus's own results.

On the seeds every bullet must carry the numbers the package computes; on another corpus (two
articles written here) no seed-only term, id or number may appear; with objects missing (steps
skipped on a small corpus) the bullets say what could not be computed, and why.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import minsk_moscow as mm
from minsk_moscow import findings

GAS = (
    "Belarus and Russia on Wednesday agreed the price Minsk will pay for Russian natural gas this year. "
    "Belarusian Prime Minister Roman Golovchenko called the deal with Gazprom a sign of the close partnership "
    "between Minsk and Moscow. The Kremlin said Russia remained the most reliable ally of Belarus and that the two "
    "countries would deepen economic integration."
)
OIL = (
    "Belarus accused Russia on Wednesday of breaking its promises on oil supplies. Belarusian officials said Moscow "
    "had cut deliveries to the Mozyr refinery and demanded compensation. Russian Deputy Prime Minister Alexander "
    "Novak rejected the claims and said Minsk must accept deeper integration before it could expect lower prices."
)

# Ids, outlets, terms and numbers that only the seed study has: none may appear in another corpus's findings.
SEED_ONLY = ["mt-2020", "ft-2020", "ft-2021", "Moscow Times", "Financial Times", "elections", "mishustin",
             "brotherly", "situation", "borders", "zapad", "exercises", "853", "374", "794", "1.717", "0.927",
             "2020-08", "2021-09", "5 August 2020", "9 September 2021"]


@pytest.fixture(scope="module")
def two() -> pd.DataFrame:
    """A two-article corpus built by hand: the columns the notebooks' objects are made from."""
    frame = pd.DataFrame({
        "article_id": ["gas-deal", "oil-row"],
        "outlet": ["Wire A", "Wire B"],
        "date": pd.to_datetime(["2021-03-03", "2021-06-09"]),
        "text": [GAS, OIL],
    })
    frame["n_words"] = frame["text"].map(mm.count_words)
    frame["n_sentences"] = frame["text"].map(lambda t: len(mm.split_sentences(t)))
    frame["n_raw_chars"] = frame["text"].str.len() + 50
    frame["n_removed_chars"] = 50
    return frame


@pytest.fixture(scope="module")
def test_result() -> pd.DataFrame:
    """A stand-in for notebook 04's test-split table (method_agreement's columns)."""
    row = {"n": 200, "articles": 20, "n_signed": 120}
    for metric, value in {"spearman": 0.41, "sign_accuracy": 0.8, "balanced_accuracy": 0.7,
                          "article_spearman": 0.55}.items():
        row |= {metric: value, f"{metric}_lo": value - 0.1, f"{metric}_hi": value + 0.1}
    constant = {**row, "sign_accuracy": 0.79, "balanced_accuracy": 0.5}
    return pd.DataFrame([row, constant], index=pd.Index(["hybrid", "always_cooperation"], name="method"))


def _text(f: findings.Findings) -> str:
    """Every bullet as plain text (unwrapped), then the Markdown."""
    return "\n".join(f.plain) + "\n" + f._repr_markdown_()


class FakePlan:
    """A plan whose steps report given statuses (anything else ran)."""

    def __init__(self, statuses: dict[str, str]) -> None:
        self.statuses = statuses

    def status(self, name: str) -> str:
        return self.statuses.get(name, "ran")


# --------------------------------------------------------------------------- the result object
def test_findings_render_as_markdown_and_deterministic_plain_text() -> None:
    f = findings.Findings(("**Bold** and `term` with a \\*star\\* and \\_under\\_.", "x " * 80))
    assert f.plain[0] == "Bold and term with a *star* and _under_."
    assert f._repr_markdown_().splitlines()[2].startswith("- **Bold**")
    text = repr(f)
    assert text == repr(findings.Findings(tuple(f.bullets))) == str(f)
    assert "0x" not in text and "**" not in text and "`" not in text
    assert all(len(line) <= 110 for line in text.splitlines())
    assert len(f) == 2 and list(f) == list(f.bullets)


def test_text_from_the_data_is_escaped_for_markdown(two) -> None:
    found = pd.DataFrame({"article_id": ["a_1", "a_1"], "date": pd.to_datetime(["2021-01-01"] * 2),
                          "text": ["Minsk *and* Moscow_agree [deal].", "Moscow <cut> gas to Minsk."],
                          "tone": [0.5, -0.5]})
    f = mm.tone_findings(found=found)
    assert "Minsk \\*and\\* Moscow\\_agree \\[deal\\]" in f._repr_markdown_()
    assert "Minsk *and* Moscow_agree [deal]" in repr(f)


def test_from_notebook_reads_names_and_gives_none_for_the_missing() -> None:
    assert mm.from_notebook("a", "b", namespace={"a": 1}) == {"a": 1, "b": None}
    assert mm.from_notebook("corpus") == {"corpus": None}  # outside IPython


# --------------------------------------------------------------------------- 01 corpus
def test_corpus_findings_on_the_seeds(corpus) -> None:
    f = mm.corpus_findings(corpus)
    text = _text(f)
    words, sents = corpus["n_words"], corpus["n_sentences"]
    share = corpus["n_removed_chars"] / corpus["n_raw_chars"]
    assert f.plain[0].startswith(f"{len(corpus)} articles from {corpus['outlet'].nunique()} outlets")
    assert f"{words.min()} to {words.max()} words" in text
    assert f"{sents.min()} to {sents.max()} sentences" in text
    assert f"{100 * share.min():.1f}% to {100 * share.max():.1f}%" in text
    first, last = corpus["date"].min(), corpus["date"].max()
    assert f"Dated {first.day} {first:%B %Y} to {last.day} {last:%B %Y}" in text
    assert f"{(corpus['date_basis'] == 'stated').sum()} stated in the text" in text


def test_corpus_findings_on_another_corpus_say_only_its_own_facts(two) -> None:
    with_flags = two.assign(language=["en", "ru"], duplicate_of=["", "gas-deal"])
    f = mm.corpus_findings(with_flags)
    text = _text(f)
    assert "2 articles from 2 outlets" in text
    assert "Dated 3 March 2021 to 9 June 2021" in text
    assert "1 of 2 articles read as English; 1 as ru" in " ".join(f.plain)
    assert "oil-row = gas-deal" in text
    assert not [s for s in SEED_ONLY if s.lower() in text.lower()]


def test_corpus_findings_without_dates_or_outlets() -> None:
    one = pd.DataFrame({"article_id": ["a"], "date": [pd.NaT], "outlet": [""], "text": ["Minsk and Moscow."]})
    plain = mm.corpus_findings(one).plain
    assert plain[0] == "1 article, with no outlet named."
    assert plain[1].startswith("No dates: the one article has no date")
    assert mm.corpus_findings(None).plain[0].startswith("No corpus")
    dated = one.assign(date=pd.to_datetime(["2021-03-03"]), date_basis=["stated"], n_raw_chars=[100],
                       n_removed_chars=[0])
    plain = mm.corpus_findings(dated).plain
    assert plain[1].startswith("Dated 3 March 2021 (stated in the text). 0 dated before and 1 on or after")
    assert "Cleaning removed nothing from the article." in plain


# --------------------------------------------------------------------------- 02 keywords
def test_keyword_findings_on_the_seeds(corpus) -> None:
    tfidf = mm.tfidf_matrix(corpus)
    top = mm.top_terms(tfidf, n=10)
    period = mm.split_by_date(corpus, mm.split_date(), labels=("before", "after"))
    election = mm.compare_groups(corpus, period, a="before", b="after")
    year = mm.split_by_year(corpus)
    early, late = sorted(year.unique())
    years = mm.compare_groups(corpus, year, a=early, b=late)
    variants = {"unigrams only": {"ngram_range": (1, 1)}, "min_df = 2": {"min_df": 2}}
    robust = mm.robustness_table(corpus, variants, n=10)
    survival = mm.term_survival(robust, top)
    f = mm.keyword_findings(corpus, tfidf, top, election, years, robust=robust, survival=survival,
                            period=period, year=year, unit=mm.display_groups(corpus))
    text = _text(f)
    assert f"{tfidf.matrix.shape[0]} documents (one per article) x {tfidf.matrix.shape[1]} terms" in text
    for doc, rows in top[top["rank"] <= 3].groupby("article_id"):
        for row in rows.itertuples():
            assert f"{row.term} ({row.weight:.3f}" in text, (doc, row.term)
    for table, labels in ((election, ("before", "after")), (years, (early, late))):
        best = mm.top_distinctive(table, n=1)
        for row in best.itertuples():
            assert f"{row.term} (z = {row.z:.3f}" in text
        passing = int((table["z"].abs() > 1.96).sum())
        if passing == 0:
            assert f"largest |z| = {table['z'].abs().max():.3f}" in text
        assert f"most distinctive of {labels[0]}" in text and f"most distinctive of {labels[1]}" in text
    assert f"({(period == 'before').sum()} article vs {(period == 'after').sum()})" in text
    every = int((survival["survives"] >= 2).sum())
    assert f"{every} {'stays' if every == 1 else 'stay'} in the top 10 under all 2 other settings" in text

    assert "could not be computed" not in text  # every setting ran


def test_keyword_findings_name_the_settings_that_could_not_run(corpus) -> None:
    tfidf = mm.tfidf_matrix(corpus)
    top = mm.top_terms(tfidf, n=10)
    robust = mm.robustness_table(corpus, {"unigrams only": {"ngram_range": (1, 1)}, "min_df = 6": {"min_df": 6},
                                          "max_df = 0.1": {"max_df": 0.1}}, n=10)
    survival = mm.term_survival(robust, top)
    text = _text(mm.keyword_findings(corpus, tfidf, top, robust=robust, survival=survival))
    every = int((survival["survives"] >= 1).sum())
    assert f"{every} {'stays' if every == 1 else 'stay'} in the top 10 under the 1 other setting;" in text
    assert "; 2 more settings could not be computed on this corpus (no terms left): min_df = 6, max_df = 0.1." in text


def test_keyword_findings_on_another_corpus_name_none_of_the_seed_terms(two) -> None:
    tfidf = mm.tfidf_matrix(two)
    top = mm.top_terms(tfidf, n=10)
    f = mm.keyword_findings(two, tfidf, top, cutoff="2021-05-01",
                            election=mm.compare_groups(two, mm.split_by_date(two, "2021-05-01"), a="before", b="after"))
    text = _text(f)
    assert "2 documents" in text and "gas-deal" in text and "oil-row" in text
    assert "Before vs after 1 May 2021" in text
    assert "No year comparison: every dated article is from 2021." in f.plain
    assert not [s for s in SEED_ONLY if s.lower() in text.lower()]


def test_keyword_findings_with_skipped_steps_say_why() -> None:
    one = pd.DataFrame({"article_id": ["a"], "date": pd.to_datetime(["2019-01-01"]), "text": ["Minsk and Moscow."]})
    plain = mm.keyword_findings(one, cutoff="2020-08-09").plain
    assert plain == [
        "No TF-IDF matrix: TF-IDF needs at least 2 articles in English; this corpus has 1.",
        "No before/after comparison: no article is dated on or after 9 August 2020 (the split date; set "
        "SPLIT_DATE=YYYY-MM-DD).",
        "No year comparison: every dated article is from 2019.",
    ]
    plan = mm.check_corpus(one, notebook="02", show=False)
    assert mm.keyword_findings(plan=plan).plain[0] == plain[0]


def test_reasons_follow_the_plan_to_the_step_that_did_not_run() -> None:
    plan = FakePlan({
        "vectors": "skipped: too few shared terms",
        "sweep": "skipped: an earlier cell of this step did not run (skipped: an earlier cell of this step did not run "
                 "(skipped: it builds on 'vectors', which did not run))",
    })
    assert mm.topic_findings(plan=plan).plain == ["No topics: the units were not vectorised (too few shared terms)."]
    failed = FakePlan({"relations": "failed: ValueError: boom (in x.py, f)"})
    assert mm.tone_findings(plan=failed).plain[0] == (
        "No relation sentences: the step failed on this corpus (ValueError: boom (in x.py, f)).")


# --------------------------------------------------------------------------- 03 topics
@pytest.fixture(scope="module")
def topic_objects(corpus):
    units = mm.make_units(corpus, unit="capped", max_tokens=40, min_tokens=5)
    vectors = mm.vectorize_units(units, min_df=2, max_df=0.5, extra_stop_words=mm.SIDE_WORDS)
    nmf = mm.fit_nmf(vectors, k=3, random_state=mm.SEED)
    kmeans = mm.fit_lsa_kmeans(vectors, k=3, random_state=mm.SEED,
                               lsa=mm.lsa_vectors(vectors, n_components=20, random_state=mm.SEED))
    summary = pd.DataFrame({"method": ["nmf"] * 3 + ["kmeans"] * 3, "k": [2, 3, 4] * 2,
                            "ari_mean": [0.95, 0.85, 0.6, 0.3, 0.2, 0.1], "ari_sd": 0.01,
                            "topic_match_mean": [1.0, 0.97, 0.8, 0.7, 0.6, 0.5]})
    return vectors, summary, nmf, kmeans


def test_topic_findings_on_the_seeds(corpus, topic_objects) -> None:
    vectors, summary, nmf, kmeans = topic_objects
    labels = mm.topic_labels(nmf, mm.SEED_TOPIC_LABELS)
    unit = mm.display_groups(corpus)
    mix = mm.topic_mix(nmf, groups=dict(zip(corpus["article_id"], unit))).rename(columns=labels)
    f = mm.topic_findings(vectors, summary, 3, nmf, kmeans, mix, labels=labels, unit=unit, seeds=[1, 2])
    text = _text(f)
    assert f"read {vectors.matrix.shape[0]} units from 5 articles and {vectors.matrix.shape[1]} terms" in text
    assert "k = 3 topics (k = 2 to 4 tried over 2 seeds): NMF's mean pairwise ARI 0.850 ± 0.010" in text
    assert "passing both stability thresholds" in text and "stable k: 2, 3" in text
    for topic, terms in nmf.top_terms(5).items():
        assert f"topic {topic}: " + ", ".join(terms) in text
    ari = mm.mean_pairwise_ari([nmf.labels, kmeans.labels])
    assert f"agree with ARI {ari:.3f}" in text
    for group, row in mix.iterrows():
        top = row.idxmax()
        number = {v: t for t, v in labels.items()}[top]
        assert f"{group}: topic {number} ({100 * row[top]:.1f}%)" in text
    assert "The largest topic in each article" in text
    for label in mm.SEED_TOPIC_LABELS:  # topics are named by their terms, never by the seed reading
        assert label not in text


def test_topic_findings_flag_an_unstable_k(topic_objects) -> None:
    vectors, summary, nmf, kmeans = topic_objects
    f = mm.topic_findings(vectors, summary.assign(ari_mean=0.5), 3, nmf, None, None)
    text = _text(f)
    assert "No k passes both stability thresholds" in text and "tentative" in text
    assert "No k-means check: it was not computed." in f.plain
    assert "No topic mix: it was not computed." in f.plain


# --------------------------------------------------------------------------- 04 tone
def test_tone_findings_on_the_seeds(corpus, test_result) -> None:
    sentences = mm.relation_table(mm.sentence_table(corpus))
    found = sentences[sentences["is_relation"]]
    f = mm.tone_findings(found, test_result, sentences=sentences, corpus=corpus)
    text = _text(f)
    mean, lo, hi = mm.bootstrap_mean_ci(found["tone"])
    assert f"{len(found)} relation sentences" in text and f"among {len(sentences)} sentences" in text
    assert f"Mean tone {mean:+.3f} [{lo:.3f}, {hi:.3f}] (n = {len(found)})" in text
    months = mm.tone_summary(found, by="month")
    first, last = months.iloc[0], months.iloc[-1]
    assert f"first month {first['month']} {first['mean']:+.3f} [{first['lo']:.3f}, {first['hi']:.3f}]" in text
    assert f"last month {last['month']} {last['mean']:+.3f} [{last['lo']:.3f}, {last['hi']:.3f}]" in text
    overlap = first["hi"] >= last["lo"] and last["hi"] >= first["lo"]
    assert ("the intervals overlap, so the change is not distinguishable" in text) == overlap
    assert f"Highest-scored sentence ({found['tone'].max():+.3f}" in text
    assert f"Lowest-scored ({found['tone'].min():+.3f}" in text
    assert ("The tone measure's validation (the frozen test split, not this corpus: 200 sentences from 20 articles"
            in text)
    assert "Spearman with the hand labels 0.410 [0.310, 0.510]" in text
    assert "always answering cooperation: sign 0.790, balanced accuracy 0.500" in text


def test_tone_findings_on_another_corpus(two) -> None:
    sentences = mm.relation_table(mm.sentence_table(two))
    found = sentences[sentences["is_relation"]]
    assert len(found) > 1
    f = mm.tone_findings(found, None, sentences=sentences, corpus=two)
    text = _text(f)
    assert "2021-03" in text and "2021-06" in text
    assert "No validation headline" in text
    assert not [s for s in SEED_ONLY if s.lower() in text.lower()]


def test_tone_findings_when_nothing_or_little_was_found(two) -> None:
    sentences = mm.relation_table(mm.sentence_table(two))
    none = mm.tone_findings(sentences.iloc[0:0], None, sentences=sentences).plain
    assert none[0].startswith("No relation sentence (one that depicts relations")
    single = sentences[sentences["is_relation"]].head(1)
    plain = mm.tone_findings(single, None).plain
    assert "(n = 1, no interval)" in plain[1]
    assert any(line.startswith("No change over time can be read: every dated relation sentence falls in one month")
               for line in plain)
    assert any(line.startswith("The only relation sentence") for line in plain)


def test_periods_say_whether_the_intervals_overlap() -> None:
    dates = pd.to_datetime(["2021-01-05"] * 6 + ["2021-05-05"] * 6)
    apart = pd.DataFrame({"article_id": ["a"] * 3 + ["b"] * 3 + ["c"] * 3 + ["d"] * 3, "date": dates,
                          "text": "x", "tone": [-0.9, -0.8, -1.0] * 2 + [0.9, 0.8, 1.0] * 2})
    text = findings._periods(apart, max_periods=12)
    assert "(n = 6 sentences from 2 articles)" in text
    assert "the intervals do not overlap: the last month reads more cooperative than the first" in text
    mixed = apart.assign(tone=np.tile([-1.0, 1.0], 6))
    assert "the intervals overlap" in findings._periods(mixed, max_periods=12)
    many = pd.concat([apart, apart]).assign(date=pd.date_range("2019-01-01", periods=24, freq="35D"))
    assert "(by quarter, 9 quarters" in findings._periods(many, max_periods=12)
    assert "(n = 1 sentence from 1 article, no interval)" in findings._periods(apart.iloc[[0, -1]], max_periods=12)


def test_no_number_is_printed_with_other_precisions(corpus) -> None:
    """Correlations, z and tone: 3 decimals; percentages: 1."""
    text = repr(mm.corpus_findings(corpus))
    for number in re.findall(r"\d+\.\d+%", text):
        assert len(number.split(".")[1]) == 2  # one decimal and the % sign
