"""The out-of-sample validation set: its shape, its frozen split, and the guard that keeps test rows out of fits."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import minsk_moscow as mm


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return mm.load_validation_set()


def test_set_is_real_articles_from_many_outlets_and_years(table: pd.DataFrame) -> None:
    articles = table.drop_duplicates("article_id")
    assert len(articles) >= 40 and len(table) >= 400
    assert articles["outlet"].nunique() >= 8
    assert {"wire", "western", "russian_state", "belarus_state", "belarus_independent"} <= set(articles["outlet_kind"])
    assert set(table["date"].dt.year) == set(range(2019, 2026))
    assert articles["url"].str.match(r"https?://").all()
    assert set(table["tone"]) == {-1, 0, 1}
    # only labelled sentences are kept, never whole articles
    per_article = table.groupby("article_id").size()
    listed = articles.set_index("article_id")["relation_sentences"]
    assert per_article.sort_index().tolist() == listed.sort_index().tolist()
    assert (articles["relation_sentences"] <= articles["sentences_read"]).all()


def test_no_seed_sentence_and_no_duplicate(table: pd.DataFrame) -> None:
    seeds = set(mm.load_tone_labels()["text"].str.lower())
    assert not table["text"].str.lower().isin(seeds).any()
    assert not table.duplicated("text").any()


def test_split_is_frozen_whole_articles_with_the_latest_year_in_test(table: pd.DataFrame) -> None:
    articles = table.drop_duplicates("article_id")
    assert table.groupby("article_id")["split"].nunique().eq(1).all()  # whole articles
    test = articles[articles["split"] == "test"]
    assert len(test) >= len(articles) / 3
    latest = articles["date"].dt.year.max()
    assert (articles.loc[articles["date"].dt.year == latest, "split"] == "test").all()
    # the committed split is what make_test_split draws from the articles table
    redrawn = mm.make_test_split(articles[["article_id", "date"]].reset_index(drop=True))
    frozen = pd.read_csv(mm.VALIDATION_DIR / "split.csv")
    assert redrawn.sort_values("article_id").reset_index(drop=True).equals(frozen.sort_values("article_id").reset_index(drop=True))


def test_second_annotator_covers_at_least_150_sentences_and_agrees(table: pd.DataFrame) -> None:
    from sklearn.metrics import cohen_kappa_score

    b = mm.load_second_annotator()
    merged = table.merge(b, on=["article_id", "position"], how="inner", validate="one_to_one")
    assert len(merged) == len(b) >= 150
    assert set(merged["split"]) == {"dev", "test"}
    kappa = cohen_kappa_score(merged["tone_a"], merged["tone_b"])
    assert kappa > 0.6
    # every disagreement was settled, and recorded
    disagreements = merged[merged["tone_a"] != merged["tone_b"]]
    settled = pd.read_csv(mm.VALIDATION_DIR / "adjudication.csv")
    assert set(zip(disagreements["article_id"], disagreements["position"])) == set(zip(settled["article_id"], settled["position"]))


def test_fitting_refuses_test_rows(table: pd.DataFrame) -> None:
    test_rows = table[table["split"] == "test"].head(5)
    dev_rows = table[table["split"] == "dev"]
    mixed = pd.concat([dev_rows, test_rows])
    texts = mixed["text"].tolist()
    with pytest.raises(mm.TestSplitError, match="frozen test split"):
        mm.refuse_test_rows(texts)
    with pytest.raises(mm.TestSplitError):
        mm.fit_tone_params(mm.cue_features(texts), mixed["tone"], texts=texts)
    with pytest.raises(mm.TestSplitError):
        mm.train_tone_model(mixed)
    with pytest.raises(mm.TestSplitError):
        mm.loao_scores(mixed, with_vader=False)
    with pytest.raises(mm.TestSplitError):
        mm.cross_validate(mixed, methods=["rules"], k=2)
    # white space and case do not hide a test sentence
    with pytest.raises(mm.TestSplitError):
        mm.refuse_test_rows(["  " + test_rows["text"].iloc[0].upper().replace(" ", "  ") + " "])
    mm.refuse_test_rows(dev_rows["text"])  # development rows pass


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda a, s, p: (a, s.assign(tone=s["tone"].where(s.index != 0, 5)), p), "tone must be"),
        (lambda a, s, p: (a.assign(date=a["date"].where(a.index != 0, "2020-13-45")), s, p), "unparseable date"),
        (lambda a, s, p: (pd.concat([a, a.iloc[[0]]]), s, p), "duplicate article_id"),
        (lambda a, s, p: (a, pd.concat([s, s.iloc[[0]]]), p), "duplicate (article_id, position)"),
        (lambda a, s, p: (a.iloc[1:], s, p), "sentences of articles not in articles.csv"),
        (lambda a, s, p: (a, s, p.iloc[1:]), "articles without a split"),
        (lambda a, s, p: (a, s.assign(speaker=s["speaker"].where(s.index != 3, "kremlin")), p), "speaker not in"),
    ],
)
def test_bad_validation_files_are_reported(tmp_path, edit, message: str) -> None:
    src = mm.VALIDATION_DIR
    a = pd.read_csv(src / "articles.csv", dtype=str, keep_default_na=False)
    s = pd.read_csv(src / "sentences.csv", dtype=str, keep_default_na=False)
    p = pd.read_csv(src / "split.csv", dtype=str, keep_default_na=False)
    a, s, p = edit(a, s, p)
    for name, frame in (("articles.csv", a), ("sentences.csv", s), ("split.csv", p)):
        frame.to_csv(tmp_path / name, index=False)
    with pytest.raises(ValueError) as err:
        mm.load_validation_set(tmp_path)
    assert message in str(err.value)


def test_missing_file_names_the_path(tmp_path) -> None:
    shutil.copy(mm.VALIDATION_DIR / "articles.csv", tmp_path / "articles.csv")
    with pytest.raises(FileNotFoundError, match="sentences.csv"):
        mm.load_validation_set(tmp_path)


def test_make_test_split_is_deterministic_and_whole_years() -> None:
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(12)],
                         "date": pd.to_datetime([f"{2019 + i // 4}-0{1 + i % 4}-01" for i in range(12)])})
    first, second = mm.make_test_split(arts), mm.make_test_split(arts)
    assert first.equals(second)
    years = arts["date"].dt.year
    assert (first.loc[years == 2021, "split"] == "test").all()
    assert (first.loc[years == 2019, "split"] == "test").sum() == 2  # ceil(4 / 3)
    with pytest.raises(ValueError, match="share"):
        mm.make_test_split(arts, share=1.5)


def test_seed_labels_in_validation_layout() -> None:
    seeds = mm.seed_relation_labels()
    assert len(seeds) == 93 and set(seeds["split"]) == {"seed"}
    assert seeds["date"].notna().all()
