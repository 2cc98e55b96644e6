"""Loading the corpus: metadata, checks against the texts, and every kind of bad input."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import minsk_moscow as mm

EXPECTED = [
    # article_id, date, date_basis, outlet
    ("mt-2020-08-05", "2020-08-05", "stated", "The Moscow Times (AFP)"),
    ("ft-2020-08-15", "2020-08-15", "stated", "Financial Times"),
    ("mt-2020-09-03", "2020-09-03", "stated", "The Moscow Times (AFP)"),
    ("mt-2020-09-11", "2020-09-11", "inferred", "The Moscow Times (AFP)"),
    ("ft-2021-09-09", "2021-09-09", "inferred", "Financial Times"),
]


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return mm.load_corpus()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the seed corpus that a test may break."""
    out = tmp_path / "corpus"
    shutil.copytree(mm.SEEDS_DIR, out, ignore=shutil.ignore_patterns("events.csv", "relation_labels.csv"))
    return out


def _error(folder: Path, **kwargs) -> str:
    with pytest.raises(mm.CorpusError) as info:
        mm.load_corpus(folder, **kwargs)
    return str(info.value)


# ---------------------------------------------------------------- the seed corpus
def test_seed_corpus_rows_in_date_order(corpus):
    got = [(r.article_id, r.date.strftime("%Y-%m-%d"), r.date_basis, r.outlet) for r in corpus.itertuples()]
    assert got == EXPECTED
    assert pd.api.types.is_datetime64_any_dtype(corpus["date"])


def test_seed_files_are_byte_identical_to_shared_seeds():
    shared = mm.PROJECT_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for path in shared.glob("*.txt"):
        assert (mm.SEEDS_DIR / path.name).read_bytes() == path.read_bytes(), path.name


def test_metadata_agrees_with_what_the_texts_state(corpus):
    for row in corpus.itertuples():
        art = mm.clean_article(mm.read_article(mm.SEEDS_DIR / row.file))
        assert art.title == row.title
        if art.date_text:
            assert pd.Timestamp(mm.parse_date(art.date_text)) == row.date
            assert row.date_basis == "stated"
        if art.url:
            assert art.url == row.url
        if row.date_basis == "inferred":
            assert len(row.date_note) > 40  # the reason is written out


def test_loaded_text_is_the_clean_body(corpus):
    assert all(corpus["text"] == [mm.clean_text(mm.read_article(mm.SEEDS_DIR / f)) for f in corpus["file"]])
    assert (corpus["n_paragraphs"] >= 3).all()
    assert corpus["n_sentences"].sum() == len(mm.sentence_table(corpus))


def test_removal_table_accounts_for_every_removed_piece(corpus):
    removed = mm.removal_table(corpus)
    assert set(removed["article_id"]) == set(corpus["article_id"])
    counts = removed.groupby("article_id")["text"].apply(lambda s: s.str.len().sum())
    assert counts.to_dict() == dict(zip(corpus["article_id"], corpus["n_removed_chars"]))
    assert {"photo_caption", "related_link", "blog_comment", "cookie_notice", "subheading"} <= set(removed["kind"])


def test_sentence_and_paragraph_tables(corpus):
    sentences = mm.sentence_table(corpus)
    paragraphs = mm.paragraph_table(corpus)
    assert list(sentences.columns) == ["article_id", "date", "paragraph", "sentence", "text"]
    assert not sentences.duplicated(["article_id", "sentence"]).any()
    joined = sentences.groupby(["article_id", "paragraph"])["text"].apply(" ".join)
    original = paragraphs.set_index(["article_id", "paragraph"])["text"]
    assert (joined.sort_index() == original.sort_index()).all()


# ---------------------------------------------------------------- without a metadata table
def test_without_metadata_the_text_supplies_title_date_url(folder):
    (folder / "articles.csv").unlink()
    with pytest.warns(mm.CorpusWarning, match=r"2 article\(s\) have no date.*002_51a6276876a87040.txt.*004_4d55c02ab95329b8.txt"):
        corpus = mm.load_corpus(folder)
    row = corpus.set_index("file").loc["000_2eecfafdc5e0904a.txt"]
    assert row["title"] == "Belarus Leader Replaces Security Chiefs as Russian Prime Minister Visits"
    assert row["date"] == pd.Timestamp("2020-09-03") and row["date_basis"] == "stated"
    assert row["outlet"] == "The Moscow Times" and row["metadata_source"] == "text"
    assert row["url"].endswith("prime-minister-visits-a71340")
    assert corpus.set_index("file").loc["003_740e88bf1534004e.txt", "date"] == pd.Timestamp("2020-08-15")
    assert corpus["date"].isna().sum() == 2
    assert corpus["date"].isna().iloc[-2:].all()  # undated articles sort last, they are not dropped


def test_metadata_none_ignores_the_table():
    with pytest.warns(mm.CorpusWarning):
        corpus = mm.load_corpus(metadata=None)
    assert (corpus["metadata_source"] == "text").all()


# ---------------------------------------------------------------- bad input
def test_empty_file(folder):
    (folder / "005_empty.txt").write_bytes(b"")
    assert "005_empty.txt: the file is empty" in _error(folder, unlisted="infer")


def test_whitespace_only_file(folder):
    (folder / "005_blank.txt").write_text(" \n\t\n\n", encoding="utf-8")
    assert "005_blank.txt: the file holds only white space" in _error(folder, unlisted="infer")


def test_undecodable_bytes(folder):
    (folder / "005_latin1.txt").write_bytes("Lukashenko said \u00abno\u00bb.".encode("latin-1"))
    message = _error(folder, unlisted="infer")
    assert "005_latin1.txt: not valid UTF-8: byte 0xab at offset 16" in message


def test_bom_and_crlf_simply_work(folder):
    path = folder / "000_2eecfafdc5e0904a.txt"
    original = mm.load_corpus(folder).set_index("file").loc[path.name, "text"]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert mm.load_corpus(folder).set_index("file").loc[path.name, "text"] == original


def test_metadata_row_without_file(folder):
    (folder / "001_2fa9e59c5bad71dc.txt").unlink()
    message = _error(folder)
    assert "articles.csv (mt-2020-08-05): row names file '001_2fa9e59c5bad71dc.txt', which is not in the folder" in message


def test_file_without_metadata_row(folder):
    shutil.copy(folder / "000_2eecfafdc5e0904a.txt", folder / "005_extra.txt")
    assert "005_extra.txt: file has no row in articles.csv" in _error(folder)


def test_file_without_row_can_be_inferred_on_request(folder):
    shutil.copy(folder / "000_2eecfafdc5e0904a.txt", folder / "005_extra.txt")
    with pytest.warns(mm.CorpusWarning, match=r"1 article\(s\) have no row in articles.csv.*005_extra.txt"):
        corpus = mm.load_corpus(folder, unlisted="infer")
    extra = corpus.set_index("article_id").loc["005_extra"]
    assert extra["metadata_source"] == "text" and extra["date"] == pd.Timestamp("2020-09-03")
    assert len(corpus) == 6


def test_duplicate_id(folder):
    table = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    table.loc[1, "article_id"] = table.loc[0, "article_id"]
    table.to_csv(folder / "articles.csv", index=False)
    assert "duplicate article_id 'mt-2020-08-05' (lines 2, 3)" in _error(folder)


@pytest.mark.parametrize("bad", ["2020-02-30", "sometime in 2020", "15/08/2020"])
def test_unparseable_date(folder, bad):
    table = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    table.loc[2, "date"] = bad
    table.to_csv(folder / "articles.csv", index=False)
    message = _error(folder)
    assert "articles.csv line 4 (000_2eecfafdc5e0904a.txt): unparseable date" in message
    assert repr(bad) in message


def test_inferred_date_needs_a_reason_and_basis_is_checked(folder):
    table = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    table.loc[3, "date_note"] = ""
    table.loc[0, "date_basis"] = "guessed"
    table.to_csv(folder / "articles.csv", index=False)
    message = _error(folder)
    assert "an inferred date needs its reason in date_note" in message
    assert "date_basis must be one of ('stated', 'inferred'), not 'guessed'" in message


def test_missing_required_column(folder):
    table = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    table.drop(columns=["date"]).to_csv(folder / "articles.csv", index=False)
    assert "articles.csv: missing column(s): date" in _error(folder)


def test_article_that_is_all_boilerplate(folder):
    (folder / "005_furniture.txt").write_text(
        "Commentary on Political Economy\n\nNo comments:\n\nPost a Comment\n\nLeave a Reply\n", encoding="utf-8"
    )
    message = _error(folder, unlisted="infer")
    assert "005_furniture.txt: no article text left after cleaning: everything was boilerplate" in message
    assert "blog_furniture" in message


def test_all_problems_are_reported_together(folder):
    (folder / "005_empty.txt").write_bytes(b"")
    (folder / "006_bad.txt").write_bytes(b"\xff\xfe")
    (folder / "004_4d55c02ab95329b8.txt").unlink()
    err = pytest.raises(mm.CorpusError, mm.load_corpus, folder).value
    files = sorted(where for where, _ in err.problems)
    assert files == ["005_empty.txt", "006_bad.txt", "articles.csv (ft-2021-09-09)"]


def test_folder_problems(tmp_path):
    assert "no such folder" in _error(tmp_path / "missing")
    assert "no .txt articles" in _error(tmp_path)
    (tmp_path / "a.txt").write_text("Headline\n\nIt rained.\n", encoding="utf-8")
    assert "metadata table not found" in _error(tmp_path, metadata=tmp_path / "nope.csv")


def test_unparseable_stated_date_in_text(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nSeptember 31, 2020\n\nIt rained.\n", encoding="utf-8")
    assert "a.txt: unparseable date line: impossible date 'September 31, 2020'" in _error(tmp_path)


def test_no_warning_when_every_article_is_dated(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mm.load_corpus()


def test_unlisted_policy_comes_from_the_environment(folder, monkeypatch):
    shutil.copy(folder / "000_2eecfafdc5e0904a.txt", folder / "005_extra.txt")
    monkeypatch.setenv("MINSK_MOSCOW_UNLISTED", "infer")
    with pytest.warns(mm.CorpusWarning):
        assert len(mm.load_corpus(folder)) == 6
    monkeypatch.setenv("MINSK_MOSCOW_UNLISTED", "maybe")
    with pytest.raises(ValueError, match="use 'error' or 'infer'"):
        mm.load_corpus(folder)



# --------------------------------------------------------------------------- display groups
def _dated(dates: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(dates))],
        "date": pd.to_datetime(pd.Series(dates, dtype=object)),
        "text": [f"Text {i}." for i in range(len(dates))],
    })


@pytest.mark.parametrize(
    ("max_groups", "unit", "n_groups"),
    [(12, "article", 5), (5, "article", 5), (4, "month", 3), (3, "month", 3), (2, "quarter", 2), (1, "year", 2)],
)
def test_display_groups_take_the_finest_unit_that_fits(corpus, max_groups, unit, n_groups):
    groups = mm.display_groups(corpus, max_groups=max_groups)
    assert groups.name == unit and groups.nunique() == n_groups
    assert groups.index.equals(corpus.index)


def test_display_groups_label_periods_and_undated_articles():
    frame = _dated(["2020-07-05", "2020-08-15", "2020-11-01", "2021-01-02", None])
    assert mm.display_groups(frame, max_groups=5).name == "article"
    quarters = mm.display_groups(frame, max_groups=4)  # 5 groups by month (with "undated"), 4 by quarter
    assert quarters.name == "quarter"
    assert quarters.tolist() == ["2020Q3", "2020Q3", "2020Q4", "2021Q1", "undated"]
    assert mm.display_groups(pd.concat([frame] * 2), max_groups=5).tolist()[:2] == ["2020-07", "2020-08"]
    assert mm.display_groups(frame, max_groups=3).tolist() == ["2020", "2020", "2020", "2021", "undated"]


def test_display_groups_fall_back_to_years_and_reject_nonsense():
    frame = _dated([f"{year}-01-01" for year in range(2000, 2015)])
    groups = mm.display_groups(frame, max_groups=12)
    assert groups.name == "year" and groups.nunique() == 15  # more years than max_groups: years all the same
    with pytest.raises(ValueError, match="max_groups"):
        mm.display_groups(frame, max_groups=0)


def test_merge_by_group_with_one_article_per_group_gives_the_articles(corpus):
    docs = mm.merge_by_group(corpus, mm.display_groups(corpus))
    assert docs["article_id"].tolist() == corpus["article_id"].tolist()
    assert docs["text"].tolist() == corpus["text"].tolist()
    assert docs["date"].tolist() == corpus["date"].tolist() and docs["n_articles"].eq(1).all()


def test_merge_by_group_joins_texts_in_date_order_and_loses_nothing(corpus):
    shuffled = corpus.iloc[[4, 2, 0, 3, 1]].reset_index(drop=True)
    docs = mm.merge_by_group(shuffled, mm.display_groups(shuffled, max_groups=2))
    assert docs["article_id"].tolist() == ["2021Q3", "2020Q3"]  # order of first appearance
    q3 = docs.set_index("article_id").loc["2020Q3"]
    assert q3["n_articles"] == 4 and q3["date"] == pd.Timestamp("2020-08-05")
    assert q3["text"] == "\n\n".join(corpus["text"].iloc[:4])  # date order inside the group
    assert sum(len(t) for t in docs["text"]) == sum(len(t) for t in corpus["text"]) + 2 * 3


def test_merge_by_group_needs_one_group_per_article(corpus):
    with pytest.raises(ValueError, match="4 entries for 5 articles"):
        mm.merge_by_group(corpus, mm.display_groups(corpus).iloc[:4])


def test_counts_are_those_of_the_clean_text(corpus):
    # paragraphs, sentences and words as the text functions count them (each split once)
    assert corpus[["n_paragraphs", "n_sentences", "n_words"]].values.tolist() == [
        [26, 28, 687], [28, 36, 794], [16, 16, 374], [3, 29, 667], [11, 18, 526]
    ]
    for text, paragraphs, sentences, words in zip(corpus["text"], corpus["n_paragraphs"], corpus["n_sentences"],
                                                  corpus["n_words"]):
        assert paragraphs == len(mm.split_paragraphs(text))
        assert sentences == len(mm.split_sentences(text))
        assert words == len(mm.tokenize(text, stop_words=None, min_length=1, keep_numbers=True))
