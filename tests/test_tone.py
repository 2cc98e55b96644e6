"""Relation tone: finder, attribution, cue rules, score, validation helpers, on the real articles."""

from __future__ import annotations


import matplotlib
import numpy as np
import pandas as pd
import pytest
from linear import assert_linear
from scipy.stats import spearmanr
from sklearn.metrics import confusion_matrix

import minsk_moscow as mm
from minsk_moscow import tone

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    return mm.load_tone_labels()


@pytest.fixture(scope="module")
def sentences() -> pd.DataFrame:
    return mm.sentence_table(mm.load_corpus())


@pytest.fixture(scope="module")
def relation(sentences: pd.DataFrame) -> pd.DataFrame:
    return mm.relation_table(sentences)


def sentence(labels: pd.DataFrame, article: str, index: int, phrase: str) -> str:
    """The labelled sentence, checked to still contain ``phrase`` (so the test reads as text)."""
    text = labels.set_index(["article_id", "sentence"]).loc[(article, index), "text"]
    assert phrase in text, f"{article}:{index} no longer contains {phrase!r}: {text!r}"
    return text


# ------------------------------------------------------------------ the labels file
def test_labels_cover_every_sentence_and_are_found(labels: pd.DataFrame, sentences: pd.DataFrame) -> None:
    keys = set(zip(sentences["article_id"], sentences["text"]))
    missing = [(a, t) for a, t in zip(labels["article_id"], labels["text"]) if (a, t) not in keys]
    assert missing == [], f"labelled sentences no longer produced by mm.sentence_table: {missing}"
    assert len(labels) == len(sentences) == 127
    assert int(labels["relation"].sum()) == 93


def test_labels_values_and_uniqueness(labels: pd.DataFrame) -> None:
    assert set(labels["tone"]) <= {-1, 0, 1}
    assert set(labels["relation"]) <= {0, 1}
    assert set(labels["ambiguous"]) <= {0, 1}
    assert not labels.duplicated(["article_id", "sentence"]).any()
    assert not labels.duplicated(["article_id", "text"]).any()
    rel = labels[labels["relation"] == 1]
    assert set(rel["speaker"]) == {"belarus", "russia", "other", "reporter"}
    assert (labels.loc[labels["relation"] == 0, "tone"] == 0).all()
    # every ambiguous or zero-toned relation sentence says why
    hard = rel[(rel["ambiguous"] == 1) | (rel["tone"] == 0)]
    assert (hard["rationale"].str.len() > 10).all()


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.assign(tone=d["tone"].replace({1: 2})), "tone not in"),
        (lambda d: pd.concat([d, d.iloc[[0]]]), "duplicate"),
        (lambda d: d.assign(ambiguous=d["ambiguous"].replace({1: 5})), "ambiguous not in"),
    ],
)
def test_load_tone_labels_rejects_bad_files(tmp_path, labels: pd.DataFrame, edit, message: str) -> None:
    path = tmp_path / "labels.csv"
    edit(labels).to_csv(path, index=False)
    with pytest.raises(ValueError, match=message):
        mm.load_tone_labels(path)


def test_join_tone_labels_by_text_survives_renumbering(sentences: pd.DataFrame, labels: pd.DataFrame) -> None:
    shuffled = labels.assign(sentence=labels["sentence"] + 1000).sample(frac=1, random_state=0)
    joined = mm.join_tone_labels(sentences, shuffled)
    assert joined.attrs["labels_unmatched"] == []
    assert joined["label_tone"].notna().all()
    assert int(joined["label_relation"].sum()) == 93


def test_join_tone_labels_labels_a_repeated_sentence_each_time(sentences: pd.DataFrame, labels: pd.DataFrame) -> None:
    first = sentences[sentences["article_id"] == "mt-2020-08-05"]
    repeated = pd.concat([first, first.iloc[[4]]], ignore_index=True)  # a pull-quote printed twice
    joined = mm.join_tone_labels(repeated, labels)
    assert len(joined) == len(repeated)
    assert joined["label_tone"].iloc[-1] == joined["label_tone"].iloc[4]
    assert joined["label_tone"].notna().all()


def test_join_tone_labels_matches_only_labelled_articles_yet_gives_the_whole_merge(sentences, labels) -> None:
    other = sentences.assign(article_id="other-" + sentences["article_id"])  # articles nobody labelled
    mixed = pd.concat([other.iloc[:40], sentences, other.iloc[40:]], ignore_index=True).set_axis(
        range(100, 100 + 2 * len(sentences)))
    mixed.attrs["source"] = "test"
    renamed = labels.rename(columns={c: f"label_{c}" for c in ("relation", "tone", "ambiguous", "speaker",
                                                                  "rationale")})
    expected = mixed.merge(renamed[["article_id", "text", *[c for c in renamed if c.startswith("label_")]]],
                           on=["article_id", "text"], how="left")
    for col in ("label_relation", "label_tone", "label_ambiguous"):
        expected[col] = expected[col].astype("Int64")
    joined = mm.join_tone_labels(mixed, labels)
    pd.testing.assert_frame_equal(joined, expected, check_exact=True)
    assert joined.attrs["labels_unmatched"] == [] and joined["label_tone"].notna().sum() == len(labels)


def test_relation_table_says_which_cues_the_rules_found(relation: pd.DataFrame) -> None:
    found = relation["is_relation"].to_numpy(dtype=bool)
    assert relation.loc[~found, "cues"].isna().all()
    hits = mm.cue_hits(relation.loc[found, "text"].tolist())
    expected = [mm.cue_note(hits[hits["sentence"] == i].to_dict("records")) for i in range(int(found.sum()))]
    assert relation.loc[found, "cues"].tolist() == expected
    assert relation.loc[found, "cues"].str.len().gt(0).sum() > 0.8 * found.sum()


def test_join_tone_labels_refuses_two_labels_for_one_sentence(sentences: pd.DataFrame, labels: pd.DataFrame) -> None:
    doubled = pd.concat([labels, labels.iloc[[0]].assign(tone=-labels["tone"].iloc[0])], ignore_index=True)
    with pytest.raises(pd.errors.MergeError):
        mm.join_tone_labels(sentences, doubled)


# ------------------------------------------------------------------ hard cases of the score
HARD_CASES = [
    # (article, sentence, phrase, expected sign, why)
    ("ft-2021-09-09", 13, "Belarusian and Russian troops", 1, "joint drills are cooperation"),
    ("ft-2021-09-09", 6, "buy a large shipment of weapons", 1, "weapons purchase is cooperation"),
    ("ft-2021-09-09", 7, "moved Su-30 fighters to Belarus", 1, "deployment on the partner's side"),
    ("ft-2021-09-09", 8, "ready to provide a new loan", 1, "a loan, despite the crackdown words"),
    ("mt-2020-09-11", 14, "intervening militarily", 1, "military help offered to Lukashenko"),
    ("mt-2020-09-11", 12, "cracked down on the protest movement", 0, "crackdown is not Minsk-Moscow conflict"),
    ("ft-2020-08-15", 7, "Nearly 7,000 people were arrested", 0, "arrests of protesters are domestic"),
    ("mt-2020-08-05", 21, "refused to sign any agreements", -1, "refusal"),
    ("mt-2020-08-05", 22, "failed to reach an agreement", -1, "negated agreement"),
    ("ft-2021-09-09", 1, "no documents were expected to be signed", -1, "negated signing"),
    ("mt-2020-08-05", 15, "second thoughts about backing Lukashenko", -1, "doubted support"),
    ("mt-2020-08-05", 4, "arrested 33 Russians", -1, "arrest of the other side's citizens"),
    ("mt-2020-08-05", 23, "the arrest of the Russians", -1, "arrest of the other side's citizens"),
    ("mt-2020-09-03", 5, "but Lukashenko has so far resisted outright unification", -1, "the 'but' clause carries it"),
    ("ft-2021-09-09", 10, "Yet Lukashenko has stalled implementing the agreements", -1, "stalling agreements"),
    ("ft-2020-08-15", 35, "which it blames on western governments", 1, "hostility aimed at the West"),
    ("ft-2020-08-15", 32, "mutually beneficial co-operation", 1, "'destructive', 'damage' aim elsewhere"),
    ("mt-2020-09-03", 7, 'could not agree earlier', 1, "a negation about the past"),
    ("mt-2020-08-05", 12, "could not threaten", 1, "a negated threat"),
    ("mt-2020-09-03", 11, '"unnecessary" trade barriers', 1, "negative words, cooperative content"),
    ("mt-2020-09-03", 4, "refused to quit and has instead sought support", 1, "refusing to quit is domestic"),
]


# The hybrid score is continuous: "0" means within NEUTRAL of zero.
NEUTRAL = 0.15
# A known limit of the revised rules (the learned half cannot outweigh it): "damage" is read as
# friction between the two, though the Kremlin warns *against* those who would damage the ties.
KNOWN_MISSES = {"'destructive', 'damage' aim elsewhere"}


@pytest.mark.parametrize(
    "article, index, phrase, expected, why",
    [pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason="known miss")) if c[4] in KNOWN_MISSES else c
     for c in HARD_CASES],
    ids=[c[4] for c in HARD_CASES],
)
def test_relation_tone_hard_cases(labels, article: str, index: int, phrase: str, expected: int, why: str) -> None:
    text = sentence(labels, article, index, phrase)
    score = mm.relation_tone([text])[0]
    assert mm.sign_of([score], band=NEUTRAL if expected == 0 else 0.0)[0] == expected, f"{why}: {text!r} scored {score:.3f}"
    assert labels.set_index(["article_id", "sentence"]).loc[(article, index), "tone"] == expected


def test_vader_gets_the_hard_cases_wrong(labels) -> None:
    """The reason for the project's score: VADER reads these backwards."""
    texts = [sentence(labels, a, i, p) for a, i, p, e, _ in HARD_CASES if e != 0]
    expected = np.array([e for *_, e, _ in HARD_CASES if e != 0])
    vader_right = (mm.sign_of(mm.vader_compound(texts), band=0.05) == expected).mean()
    ours_right = (mm.sign_of(mm.relation_tone(texts)) == expected).mean()
    assert ours_right >= 0.9  # all but the known miss
    assert vader_right < 0.5


@pytest.mark.parametrize(
    "text, cue, effect",
    [
        ("Minsk refused to sign the treaty.", "sign", "reversed: refused"),
        ("There was no plan to sign any documents.", "sign", "reversed: negated"),
        ("Minsk refused to sign any agreement.", "agreement", "dropped: later in a negation scope"),
        ("They agreed on what they could not agree earlier.", "agree", "dropped: negated in the past"),
        ("Lukashenko is under huge pressure from protesters.", "pressure", "dropped: domestic"),
        ("Moscow condemned interference which it blames on western governments.", "condemned",
         "reversed: aimed at a third party"),
        ("Lukashenko continues to withstand pressure from Moscow.", "pressure", "kept: resisted"),
        ("Moscow offered a loan, but Minsk refused it.", "refused", "counted: refusal"),
        ("Politics could not threaten the ties.", "threaten", "reversed: negated conflict"),
        # the revised rules (default lexicon):
        # dominance: the object of pressure, of failed talks, of help, is not scored on its own
        ("The Kremlin put pressure on Minsk to accept deeper integration.", "integration", "dropped: object of 'pressure'"),
        ("The talks in Sochi ended without a deal on oil prices.", "deal", "dropped: object of 'talks in sochi ended without'"),
        ("Russia helped Belarus weather the crisis.", "crisis", "dropped: object of 'helped'"),
        # an outcome cue outranks a promise in its segment
        ("The loan Moscow pledged has yet to arrive.", "pledged", "dropped: object of 'has yet to arrive'"),
        # a negated refusal cancels out
        ("Russia and Belarus do not plan to give up economic cooperation.", "cooperation", "counted"),
        # "without any doubt" negates nothing
        ("The remarks could without any doubt be regarded as the recognition of Crimea.", "recognition of crimea", "counted"),
        # third parties: the party named after the cue is its target
        ("Belarus began importing oil via Lithuania amid a supply row with Russia.", "row", "counted"),
        # a quotation mark does not end a negation
        ("The Kremlin has no plan to \u201cswallow\u201d Belarus.", "swallow", "reversed: negated conflict"),
    ],
)
def test_cue_rules(text: str, cue: str, effect: str) -> None:
    hits = mm.cue_hits([text])
    assert effect in hits.loc[hits["cue"] == cue, "effect"].tolist(), hits[["cue", "effect"]].values.tolist()


def test_contrast_clause_carries_the_sentence() -> None:
    text = "The Kremlin offered aid but Minsk has so far resisted unification."
    hits = mm.cue_hits([text])
    assert hits.set_index("cue").loc["aid", "before_contrast"]
    assert not hits.set_index("cue").loc["unification", "before_contrast"]
    assert mm.relation_tone([text])[0] < 0
    assert mm.relation_tone([text], params=mm.ToneParams(contrast_weight=1.0))[0] > 0


def test_relation_tone_range_types_and_empty_input(sentences) -> None:
    scores = mm.relation_tone(s for s in sentences["text"])  # any iterable
    assert isinstance(scores, np.ndarray) and scores.shape == (len(sentences),)
    assert np.all((scores >= -1) & (scores <= 1))
    assert mm.relation_tone([]).shape == (0,)
    assert mm.relation_tone(["The weather was fine."], method="rules")[0] == 0.0  # no cue, no score
    assert abs(mm.relation_tone(["The weather was fine."])[0]) < NEUTRAL
    with pytest.raises(TypeError, match="not one string"):
        mm.relation_tone("Putin met Lukashenko.")
    with pytest.raises(ValueError, match="method must be one of"):
        mm.relation_tone(["Putin met Lukashenko."], method="vader")


def test_vader_blend_only_runs_vader_when_asked(monkeypatch) -> None:
    text = ["Putin and Lukashenko held terrible talks."]
    blended = mm.relation_tone(text, params=mm.ToneParams(vader_weight=1.0))[0]

    def no_vader(_):
        raise AssertionError("VADER ran although vader_weight is 0")

    monkeypatch.setattr(tone.score, "vader_compound", no_vader)
    plain = mm.relation_tone(text)[0]
    assert plain > blended


# ------------------------------------------------------------------ finder and attribution
@pytest.mark.parametrize(
    "article, index, expected, why",
    [
        ("ft-2020-08-15", 4, True, "'He and I agreed' continues a sentence that named Russia"),
        ("mt-2020-08-05", 13, True, "'she' refers back to Zakharova speaking about Minsk"),
        ("mt-2020-08-05", 27, True, "inside a quote left open by the sentence before"),
        ("ft-2021-09-09", 5, True, "'between the countries' names the relation"),
        ("mt-2020-09-11", 3, True, "'Russian-Belarusian' names both sides"),
        ("mt-2020-09-11", 12, False, "crackdown on protesters names one side only"),
        ("ft-2020-08-15", 7, False, "arrests of protesters"),
        ("ft-2020-08-15", 28, False, "'he' continues a sentence naming only Belarus"),
    ],
)
def test_finder_on_real_sentences(relation, article: str, index: int, expected: bool, why: str) -> None:
    row = relation.set_index(["article_id", "sentence"]).loc[(article, index)]
    assert bool(row["is_relation"]) is expected, why


def test_finder_recall_and_precision(relation, labels) -> None:
    joined = mm.join_tone_labels(relation, labels)
    truth = joined["label_relation"].to_numpy() == 1
    found = joined["is_relation"].to_numpy()
    assert (found & truth).sum() / truth.sum() >= 0.9
    assert (found & truth).sum() / found.sum() >= 0.9


@pytest.mark.parametrize(
    "article, index, side",
    [
        ("mt-2020-08-05", 9, "russia"),  # Kremlin spokesperson Dmitry Peskov describing
        ("mt-2020-08-05", 23, "other"),  # ..., says political analyst Artyom Shraibman
        ("mt-2020-08-05", 8, "other"),  # ..." said Arseniy Sivitski, director of ... in Minsk
        ("mt-2020-08-05", 14, "russia"),  # "..." she wrote (Zakharova)
        ("ft-2020-08-15", 2, "belarus"),  # all quotation: Lukashenko's quote
        ("ft-2021-09-09", 3, "belarus"),  # "...," said Lukashenko
        ("mt-2020-08-05", 15, "other"),  # Valery Tsepkalo, a main rival ..., has said
        ("ft-2021-09-09", 13, "reporter"),  # narration
    ],
)
def test_attribution_on_real_sentences(relation, article: str, index: int, side: str) -> None:
    assert relation.set_index(["article_id", "sentence"]).loc[(article, index), "speaker_side"] == side


def test_attribution_agrees_with_hand_labels(relation, labels) -> None:
    joined = mm.join_tone_labels(relation, labels)
    rel = joined[joined["label_relation"] == 1]
    assert (rel["label_speaker"] == rel["speaker_side"]).mean() >= 0.9


# ------------------------------------------------------------------ metrics against references
def test_agreement_matches_scipy_and_hand_count() -> None:
    rng = np.random.default_rng(3)
    labels = rng.choice([-1, 0, 1], size=40)
    scores = labels * 0.4 + rng.normal(0, 0.5, size=40)
    ambiguous = rng.random(40) < 0.2
    res = mm.agreement(labels, scores, ambiguous=ambiguous)
    assert res["spearman"] == round(spearmanr(labels, scores).statistic, 3)
    keep = (labels != 0) & ~ambiguous
    assert res["n_signed"] == keep.sum()
    assert res["spearman_signed"] == round(spearmanr(labels[keep], scores[keep]).statistic, 3)
    assert res["sign_accuracy"] == round(float(np.mean(np.sign(scores[keep]) == labels[keep])), 3)


def test_sign_accuracy_counts_neutral_scores_as_wrong() -> None:
    assert mm.agreement([1, -1, 1], [0.5, -0.5, 0.01], band=0.05)["sign_accuracy"] == round(2 / 3, 3)


def test_confusion_table_matches_sklearn() -> None:
    rng = np.random.default_rng(4)
    labels = rng.choice([-1, 0, 1], size=50)
    scores = rng.uniform(-1, 1, size=50)
    table = mm.confusion_table(labels, scores, band=0.2)
    expected = confusion_matrix(labels, mm.sign_of(scores, band=0.2), labels=[-1, 0, 1])
    np.testing.assert_array_equal(table.to_numpy(), expected)
    assert list(table.index) == [-1, 0, 1] and list(table.columns) == [-1, 0, 1]


# ------------------------------------------------------------------ bootstrap
def test_bootstrap_is_deterministic_and_percentile() -> None:
    values = [0.9, -0.2, 0.5, 1.0, -1.0, 0.3, 0.7]
    first = mm.bootstrap_mean_ci(values, seed=11)
    assert first == mm.bootstrap_mean_ci(values, seed=11)
    assert first != mm.bootstrap_mean_ci(values, seed=12)
    rng = np.random.default_rng(11)
    x = np.asarray(values)
    means = x[rng.integers(0, len(x), size=(2000, len(x)))].mean(axis=1)
    lo, hi = np.quantile(means, [0.025, 0.975])
    assert first == pytest.approx((x.mean(), lo, hi))
    assert first[1] <= first[0] <= first[2]


def test_bootstrap_edge_cases() -> None:
    assert mm.bootstrap_mean_ci([0.4]) == (0.4, 0.4, 0.4)
    assert all(np.isnan(v) for v in mm.bootstrap_mean_ci([]))
    assert mm.bootstrap_mean_ci([1.0, np.nan, 1.0]) == (1.0, 1.0, 1.0)


def test_tone_summary_by_article_month_and_seed(relation) -> None:
    found = relation[relation["is_relation"]]
    by_article = mm.tone_summary(found)
    assert list(by_article["article_id"]) == list(found["article_id"].unique())
    assert by_article["n"].sum() == len(found)
    assert (by_article["lo"] <= by_article["mean"]).all() and (by_article["mean"] <= by_article["hi"]).all()
    pd.testing.assert_frame_equal(by_article, mm.tone_summary(found))
    by_month = mm.tone_summary(found, by="month")
    assert list(by_month["month"]) == ["2020-08", "2020-09", "2021-09"]
    assert by_month["n"].sum() == len(found)


def test_tone_summary_by_date_has_one_date_column_a_row_per_day(relation) -> None:
    found = relation[relation["is_relation"]]
    by_day = mm.tone_summary(found, by="date")
    assert by_day.columns.tolist() == ["date", "n", "mean", "lo", "hi"]
    days = found.groupby("date")["tone"].agg(["size", "mean"])
    assert by_day["date"].tolist() == days.index.tolist()
    assert by_day["n"].tolist() == days["size"].tolist()
    np.testing.assert_allclose(by_day["mean"], days["mean"])
    # each day's interval is the one of its sentences grouped under any other name
    as_column = mm.tone_summary(found.assign(day=found["date"]), by="day")
    shown = ["n", "mean", "lo", "hi"]
    np.testing.assert_array_equal(by_day[shown].to_numpy(), as_column[shown].to_numpy())


# ------------------------------------------------------------------ fitting and held-out evaluation
@pytest.fixture(scope="module")
def labelled_relation(labels) -> pd.DataFrame:
    return labels[labels["relation"] == 1].reset_index(drop=True)


def test_default_params_are_the_fit_on_development_and_seed_labels() -> None:
    train = mm.training_table()
    assert set(train["split"]) == {"dev", "seed"}
    texts = train["text"].tolist()
    fitted = mm.fit_tone_params(mm.cue_features(texts), train["tone"], texts=texts, ambiguous=train["ambiguous"],
                                grid=mm.RULE_GRID)
    assert fitted == mm.DEFAULT_TONE_PARAMS


def test_seed_rules_are_kept_as_shipped(labelled_relation) -> None:
    rel = labelled_relation
    fitted = mm.fit_tone_params(mm.cue_features(rel["text"], lexicon=mm.SEED_LEXICON), rel["tone"],
                                texts=rel["text"].tolist(), ambiguous=rel["ambiguous"])
    assert fitted == mm.SEED_TONE_PARAMS


def test_loao_scores_each_article_with_parameters_fitted_without_it(labelled_relation) -> None:
    rel = labelled_relation
    held = mm.loao_scores(rel, with_vader=False)
    article = "mt-2020-08-05"
    train = rel["article_id"] != article
    params = mm.fit_tone_params(mm.cue_features(rel.loc[train, "text"]), rel.loc[train, "tone"],
                                texts=rel.loc[train, "text"].tolist(), ambiguous=rel.loc[train, "ambiguous"])
    expected = mm.relation_tone(rel.loc[~train, "text"], params=params, method="rules")
    np.testing.assert_allclose(held.loc[~train, "score"], expected)
    assert (held.loc[~train, "material_weight"] == params.material_weight).all()


def test_held_out_agreement_meets_the_targets_and_beats_vader(labelled_relation) -> None:
    rel = labelled_relation
    held = mm.loao_scores(rel, with_vader=True)
    ours = mm.agreement(rel["tone"], mm.loao_scores(rel, with_vader=False)["score"], ambiguous=rel["ambiguous"])
    blend = mm.agreement(rel["tone"], held["score"], ambiguous=rel["ambiguous"])
    vader = mm.agreement(rel["tone"], held["vader"], ambiguous=rel["ambiguous"], band=0.05)
    for res in (ours, blend):
        assert res["spearman"] >= 0.6 and res["sign_accuracy"] >= 0.8
    assert vader["spearman"] < 0.3 and vader["sign_accuracy"] < 0.6


# ------------------------------------------------------------------ events and plots
def test_events_table_has_sources_and_the_key_dates() -> None:
    events = mm.load_events()
    assert events["source"].str.len().gt(5).all()
    dates = set(events["date"].dt.strftime("%Y-%m-%d"))
    assert {"2020-07-29", "2020-08-09", "2020-08-15", "2020-09-14", "2021-09-10"} <= dates
    assert events["date"].is_monotonic_increasing


def test_time_plot_breaks_the_axis_over_the_gap(relation) -> None:
    import matplotlib.pyplot as plt

    found = relation[relation["is_relation"]]
    summary = mm.tone_summary(found)
    fig = mm.plot_tone_over_time(found, summary, events=mm.load_events())
    assert len(fig.axes) == 2  # Jul-Sep 2020 and Sep 2021
    monthly = mm.plot_tone_over_time(found, mm.tone_summary(found, by="month"), label="month", max_gap_days=1000)
    assert len(monthly.axes) == 1
    plt.close("all")


# ------------------------------------------------------------------ invisible characters, clear errors
@pytest.mark.parametrize("char", ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200d"])
def test_invisible_characters_inside_names_and_cues(char: str) -> None:
    plain = "Moscow offered Minsk a loan, but Lukashenko refused integration."
    hidden = f"Mos{char}cow offered Mi{char}nsk a lo{char}an, but Lukashen{char}ko refused inte{char}gration."
    assert mm.actor_sides(hidden) == mm.actor_sides(plain) == {"belarus", "russia"}
    assert mm.cue_hits([hidden])["cue"].tolist() == mm.cue_hits([plain])["cue"].tolist()
    assert mm.relation_tone([hidden]).tolist() == mm.relation_tone([plain]).tolist()


@pytest.mark.parametrize("func", [mm.cue_hits, mm.cue_features], ids=["cue_hits", "cue_features"])
def test_cue_functions_refuse_one_string_and_non_strings(func) -> None:
    with pytest.raises(TypeError, match=r"not one string"):
        func("Moscow offered Minsk a loan.")
    with pytest.raises(TypeError, match=r"sentence 1 .*\bNone\b"):
        func(["Moscow offered Minsk a loan.", None])


def test_finder_and_attribution_name_a_text_that_is_not_a_string() -> None:
    with pytest.raises(TypeError, match=r"actor_sides\(\) expects .*\bstr\b.*\bNone\b"):
        mm.actor_sides(None)
    table = pd.DataFrame({"article_id": ["a", "a"], "text": ["Putin met Lukashenko.", float("nan")]})
    for func in (mm.find_relation_sentences, mm.attribute_speakers, mm.relation_table):
        with pytest.raises(TypeError, match=r"row 1 .*\bfloat\b"):
            func(table)


# ------------------------------------------------------------------ linear time on hostile input
def _one_sentence(unit: str, n: int) -> str:
    text = (unit * (n // len(unit) + 1))[:n].rstrip() + "."
    return text[0].upper() + text[1:]


# Units of one endless sentence, each aimed at a rule that rescanned the sentence for every match.
_HOSTILE_UNITS = {
    # negators and the cues in their scope, no punctuation to end a scope
    "negations": "Lukashenko did not agree to Moscow's terms or accept Putin's loan nor sign ",
    # negated refusals cancel out: every negator was paired with every refusal
    "negated refusals": "Minsk never refused Moscow's loans nor rejected Putin's aid ",
    # conflict cues aimed at third parties: the clause was searched again for each
    "third parties": "Putin threatened sanctions against the West as Minsk accused Washington of pressure ",
    # conflict cues near domestic words
    "domestic": "protesters threatened Moscow as Minsk accused the opposition of pressure ",
    # dominant cues of both signs in one segment
    "dominant cues": "the Kremlin put pressure on Minsk to accept deeper integration ",
    # reporting verbs that name no speaker (passive): the text before each was read again
    "reporting verbs": "Lukashenko was said to agree as Putin was told ",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["negations", "third parties"])
def test_relation_tone_takes_linear_time_on_one_huge_sentence(name: str) -> None:
    assert_linear(lambda s: mm.relation_tone(pd.Series([s])), lambda n: _one_sentence(_HOSTILE_UNITS[name], n))


def _paragraph_table(paragraph: str) -> pd.DataFrame:
    sentences = mm.split_sentences(paragraph)
    return mm.relation_table(pd.DataFrame({"article_id": "a", "text": sentences}))


@pytest.mark.slow
@pytest.mark.parametrize("unit", list(_HOSTILE_UNITS.values()), ids=list(_HOSTILE_UNITS))
def test_relation_table_takes_linear_time_on_a_paragraph_without_sentence_breaks(unit: str) -> None:
    build = lambda n: "Putin and Lukashenko met in Sochi. " + _one_sentence(unit, n)  # noqa: E731
    table = _paragraph_table(build(2000))
    assert len(table) == 2 and table["is_relation"].all()  # the long sentence is scored too
    assert_linear(_paragraph_table, build)


@pytest.mark.parametrize("bad", [float("nan"), None, 3])
def test_relation_tone_refuses_items_that_are_not_text(bad):
    with pytest.raises(TypeError, match="sentence 1 is a"):
        mm.relation_tone(["Minsk and Moscow signed a deal.", bad])


def test_the_relation_table_keeps_both_halves_of_the_score(relation: pd.DataFrame) -> None:
    """``tone`` is read once with its two halves: each is exactly what relation_tone gives alone."""
    found = relation[relation["is_relation"]]
    texts = found["text"].tolist()
    assert np.array_equal(found["tone"].to_numpy(), mm.relation_tone(texts))
    assert np.array_equal(found["tone_rules"].to_numpy(), mm.relation_tone(texts, method="rules"))
    assert np.array_equal(found["tone_model"].to_numpy(), mm.relation_tone(texts, method="model"))
    assert relation.loc[~relation["is_relation"], ["tone", "tone_rules", "tone_model"]].isna().all().all()
    assert mm.tone_halves([]).shape == (0, 2)
    with pytest.raises(TypeError, match="not one string"):
        mm.tone_halves("Minsk and Moscow agreed.")
