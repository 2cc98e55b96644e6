"""Loading the corpus: metadata, checks against the texts, and every kind of bad input."""

from __future__ import annotations

import pickle
import re
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


def test_sentence_table_rows_are_each_articles_sentences_in_order(corpus):
    """Row by row what ``sentences_by_paragraph`` gives, with the article's id and date; an
    article without a sentence has no row, and the columns keep the corpus's dtypes."""
    odd = pd.DataFrame({"article_id": ["a", "b", "c"], "date": pd.to_datetime(["2020-08-09", None, "2021-01-02"]),
                        "text": ["One. Two.\n\nThree.", "", "Mr. Putin left."]})
    for frame in (corpus, odd):
        expected = [(aid, date, p, n, sent)
                    for aid, date, text in zip(frame["article_id"], frame["date"], frame["text"])
                    for n, (p, sent) in enumerate((p, sent) for p, sents in enumerate(mm.sentences_by_paragraph(text))
                                                  for sent in sents)]
        table = mm.sentence_table(frame)
        assert list(table.itertuples(index=False, name=None)) == expected
        assert table["date"].dtype == frame["date"].dtype and table["article_id"].dtype == frame["article_id"].dtype


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
    with pytest.warns(mm.CorpusWarning) as caught:
        corpus = mm.load_corpus(folder, unlisted="infer")
    assert re.search(r"1 article\(s\) have no row in articles.csv.*005_extra.txt", str(caught[0].message))
    assert "000_2eecfafdc5e0904a.txt (same clean text as 005_extra.txt)" in str(caught[1].message)  # a copy
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


# =========================================================================== other people's inputs
# Everything below builds its input in tmp_path. Each test names the old behaviour it catches.
import contextlib
import json
import os
import signal
import stat

OLD_COLUMNS = ["article_id", "title", "outlet", "site", "author", "date", "date_basis", "date_note", "url", "text",
               "file", "metadata_source", "n_paragraphs", "n_sentences", "n_words", "n_raw_chars",
               "n_removed_chars", "removed"]
MARKUP_WORDS = {"div", "class", "amp", "nbsp", "href", "span", "script", "var", "http", "https", "jpg", "png", "quot"}


def _english(i: int, topic: str = "gas") -> str:
    """A distinct, clearly English article body of three paragraphs."""
    return (
        f"Belarus and Russia signed agreement number {i} on {topic} supplies on Monday, officials in Minsk said.\n\n"
        f"The Kremlin said the deal would keep prices stable for the next {i + 2} years and that talks would go on.\n\n"
        "Critics in the opposition said the agreement tied the country ever closer to Moscow."
    )


def _article(i: int, title: str | None = None, date: str = "September 14, 2020") -> str:
    return f"{title or f'Headline number {i}'}\n\n{date}\n\n{_english(i)}\n"


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "in"
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    folder.mkdir(exist_ok=True)
    return folder


def _load(path: Path, **kwargs) -> tuple[pd.DataFrame, list[str]]:
    """load_corpus with every warning caught: (corpus, warning messages)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = mm.load_corpus(path, **kwargs)
    return corpus, [str(w.message) for w in caught if issubclass(w.category, mm.CorpusWarning)]


def _assert_printable(corpus: pd.DataFrame) -> None:
    """Every id, title and file can be written out (a plot or a CSV would crash on a lone surrogate)."""
    for column in ("article_id", "title", "file", "author", "outlet", "url", "text"):
        for value in corpus[column]:
            value.encode("utf-8")


MARKDOWN = """---
title: "Minsk and Moscow Sign a Gas Deal"
date: 2020-09-14
author: Jane Doe
---

# Minsk and Moscow Sign a Gas Deal

![A pipeline near Minsk](https://example.com/pipe.jpg)

**Belarus** and *Russia* signed a [gas agreement](https://example.com/deal) on Monday, officials in Minsk said.

## Prices and terms

The Kremlin said the deal would keep prices stable for _five_ years and that talks would `go on`.

- Critics said the agreement tied the country closer to Moscow.
- Officials in Minsk rejected that view on Tuesday.
"""

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Belarus arrests Russians | The Moscow Times</title>
<meta property="og:title" content="Belarus Arrests 33 Russian Contractors">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2020-07-30T10:00:00Z">
<link rel="canonical" href="https://www.themoscowtimes.com/2020/07/30/belarus-arrests-a1">
<meta property="og:site_name" content="The Moscow Times">
<style>.article { color: red; }</style></head>
<body><nav class="menu"><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="article"><h1>Belarus Arrests 33 Russian Contractors</h1>
<p>Belarus on Wednesday arrested 33 Russian military contractors near Minsk &amp; accused them of plotting
unrest ahead of the election, the state news agency reported.</p>
<p>The Kremlin said it expected an explanation from Minsk and called the detention a &quot;provocation&quot;
that could hurt ties between the two allies.</p>
<p>President Alexander Lukashenko convened his security council and demanded answers from Moscow about the men.</p>
</div><footer class="site-footer">Cookie policy. Subscribe now.</footer><script>var x = 1;</script></body></html>
"""


# ---------------------------------------------------------------- 1. article files of other formats
# Old behaviour: only *.txt was read; .md and .html were ignored without a word, and a .txt
# holding an HTML page was cleaned as text, tags and all.
@pytest.mark.parametrize("name", ["story.md", "page.html", "page.htm", "page.txt"])
def test_markdown_and_html_articles(tmp_path, name):
    content = MARKDOWN if name.endswith(".md") else HTML_PAGE
    corpus, warned = _load(_folder(tmp_path, {name: content}))
    row = corpus.iloc[0]
    words = set(mm.tokenize(row["text"], stop_words=None))
    assert not words & MARKUP_WORDS, words & MARKUP_WORDS
    assert not re.search(r"[#*<>\[\]`]|\]\(", row["text"]), row["text"]
    if name.endswith(".md"):
        assert row["title"] == "Minsk and Moscow Sign a Gas Deal" and row["author"] == "Jane Doe"
        assert row["date"] == pd.Timestamp("2020-09-14")
        assert "Belarus and Russia signed a gas agreement on Monday" in row["text"]
        assert "pipeline" not in row["text"] and "Critics said" in row["text"] and "talks would go on" in row["text"]
        assert row["n_paragraphs"] == 4
    else:
        assert row["title"] == "Belarus Arrests 33 Russian Contractors" and row["author"] == "Jane Doe"
        assert row["date"] == pd.Timestamp("2020-07-30")
        assert row["url"] == "https://www.themoscowtimes.com/2020/07/30/belarus-arrests-a1"
        assert row["outlet"] == "The Moscow Times"
        assert row["n_paragraphs"] == 3 and "near Minsk & accused them" in row["text"]
        assert '"provocation"' in row["text"] and "Cookie" not in row["text"] and "Home" not in row["text"]
        notes = mm.load_notes(corpus)
        assert "html" in set(notes["kind"])
    # a .txt that is really an HTML page is said so; an .html page is what it claims to be
    assert any("page.txt" in w and "HTML" in w for w in warned) == (name == "page.txt")
    assert list(corpus.columns) == OLD_COLUMNS + ["language", "duplicate_of"]


# ---------------------------------------------------------------- 1. table files
ROWS = [
    {"id": "a1", "headline": "Gas deal signed", "body": _english(1), "published_at": "2020-08-05T10:00:00Z",
     "source": "Reuters", "link": "https://example.com/1", "byline": "Jane Doe"},
    {"id": "a2", "headline": "Oil row", "body": _english(2, "oil"), "published_at": "2020-08-03",
     "source": "AFP", "link": "https://example.com/2", "byline": ""},
    {"id": "a3", "headline": "Loan talks", "body": _english(3, "loan"), "published_at": "Sep 1, 2020",
     "source": "BelTA", "link": "", "byline": "Ivan Petrov"},
]


def _write_table(path: Path, rows: list[dict], kind: str) -> Path:
    frame = pd.DataFrame(rows)
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif kind == "json-array":
        path.write_text(json.dumps(rows), encoding="utf-8")
    elif kind == "parquet":
        frame.to_parquet(path, index=False)
    return path


TABLE_KINDS = [("export.csv", "csv"), ("export.jsonl", "jsonl"), ("export.json", "jsonl"),
               ("export.json", "json-array"), ("export.parquet", "parquet")]


@pytest.mark.parametrize(("name", "kind"), TABLE_KINDS)
def test_table_file_one_row_per_article(tmp_path, name, kind):
    # old behaviour: load_corpus("export.csv") raised "no such folder"
    corpus, warned = _load(_write_table(tmp_path / name, ROWS, kind))
    assert not warned
    assert corpus["article_id"].tolist() == ["a2", "a1", "a3"]  # date order
    row = corpus.set_index("article_id").loc["a1"]
    assert row["title"] == "Gas deal signed" and row["outlet"] == "Reuters" and row["author"] == "Jane Doe"
    assert row["url"] == "https://example.com/1" and row["date"] == pd.Timestamp("2020-08-05")
    assert row["text"] == _english(1) and row["metadata_source"] == "table" and row["n_paragraphs"] == 3
    assert corpus.set_index("article_id").loc["a3", "date"] == pd.Timestamp("2020-09-01")
    assert list(corpus.columns) == OLD_COLUMNS + ["language", "duplicate_of"]
    assert (corpus["language"] == "en").all() and (corpus["duplicate_of"] == "").all()
    assert "published_at" in corpus["date_note"].iloc[0]


def test_table_columns_can_be_named(tmp_path):
    rows = [{"story": _english(i), "when": f"2020-08-0{i + 1}", "uid": f"x{i}"} for i in range(3)]
    path = _write_table(tmp_path / "mine.csv", rows, "csv")
    corpus, _ = _load(path, columns={"text": "story", "date": "when", "article_id": "uid"})
    assert corpus["article_id"].tolist() == ["x0", "x1", "x2"]
    with pytest.raises(mm.CorpusError, match=r"no column 'nope'.*columns found: story, when, uid"):
        mm.load_corpus(path, columns={"text": "nope"})
    with pytest.raises(ValueError, match="unknown field"):
        mm.load_corpus(path, columns={"body_text": "story"})


def test_table_without_a_text_column_names_the_columns_it_has(tmp_path):
    path = _write_table(tmp_path / "export.csv", [{"id": 1, "headline": "x", "summary": "y"}], "csv")
    with pytest.raises(mm.CorpusError, match=r"export.csv: no text column.*columns found: id, headline, summary"):
        mm.load_corpus(path)


def test_table_without_ids_gets_row_ids(tmp_path):
    rows = [{"text": _english(i), "date": "2020-08-05"} for i in range(12)]
    corpus, warned = _load(_write_table(tmp_path / "export.csv", rows, "csv"))
    assert not warned
    assert corpus["article_id"].tolist() == [f"export-{i:02d}" for i in range(1, 13)]
    assert "generated" in " ".join(mm.load_notes(corpus)["message"])


def test_table_rows_with_problems_are_named(tmp_path):
    rows = [dict(r) for r in ROWS] + [dict(ROWS[0], id="a4"), dict(ROWS[0], id="a5")]
    rows[1]["body"] = "   "
    rows[2]["published_at"] = "sometime in 2020"
    rows[3]["published_at"] = "1500-01-01"
    rows[4]["id"] = "A1"  # the same id as a1 up to case
    message = str(pytest.raises(mm.CorpusError, mm.load_corpus, _write_table(tmp_path / "export.csv", rows, "csv")).value)
    assert "export.csv row 2 (id a2): empty text" in message
    assert "export.csv row 3 (id a3): unparseable date 'sometime in 2020'" in message
    assert "export.csv row 4 (id a4): date 1500-01-01 is outside the range pandas can hold (1677–2262)" in message
    assert "article_id 'A1'" in message and "row 1" in message and "row 5" in message


def test_table_text_holding_html_is_extracted(tmp_path):
    rows = [{"id": "h1", "text": "<div class='story'><p>" + _english(1).replace("\n\n", "</p><p>") + "</p></div>",
             "date": "2020-08-05"},
            {"id": "h2", "text": "Lukashenko &amp; Putin met again. " + _english(2), "date": "2020-08-06"}]
    corpus, warned = _load(_write_table(tmp_path / "export.jsonl", rows, "jsonl"))
    texts = corpus.set_index("article_id")["text"]
    assert texts["h1"] == _english(1)
    assert texts["h2"].startswith("Lukashenko & Putin met again.")
    assert any("export.jsonl row 1" in w and "HTML" in w for w in warned)


def test_bad_json_lines_and_lone_surrogates(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"text": _english(1)}) + "\n{not json\n", encoding="utf-8")
    assert "export.jsonl line 2: not JSON" in str(pytest.raises(mm.CorpusError, mm.load_corpus, path).value)
    path.write_text(json.dumps({"text": _english(1), "title": "Bad \udcff title"}) + "\n", encoding="utf-8")
    corpus, _ = _load(path)
    _assert_printable(corpus)
    assert corpus["title"].iloc[0] == "Bad \ufffd title"


# ---------------------------------------------------------------- 1. the frame: new columns, same order
def test_seed_corpus_keeps_its_columns_and_gains_language_and_duplicate_of(corpus):
    # old behaviour: no language and no duplicate_of column
    assert list(corpus.columns) == OLD_COLUMNS + ["language", "duplicate_of"]
    assert (corpus["language"] == "en").all() and (corpus["duplicate_of"] == "").all()


# ---------------------------------------------------------------- 2. silent losses
def test_subfolders_are_loaded_and_ids_keep_the_folder(tmp_path):
    # old behaviour: files in subfolders were ignored without a word
    folder = _folder(tmp_path, {"a.txt": _article(1), "sub/b.txt": _article(2), "sub/deeper/c.md": "---\ndate: 2020-09-14\n---\n" + _english(3),
                                ".ipynb_checkpoints/a-checkpoint.txt": _article(1), ".DS_Store": b"\x00\x01"})
    corpus, warned = _load(folder)
    assert not warned  # hidden files and folders are noted, not warned about
    assert sorted(corpus["article_id"]) == ["a", "sub__b", "sub__deeper__c"]
    assert sorted(corpus["file"]) == ["a.txt", "sub/b.txt", "sub/deeper/c.md"]
    notes = mm.load_notes(corpus)
    assert {".ipynb_checkpoints", ".DS_Store"} <= set(notes.loc[notes["kind"] == "hidden", "file"])


def test_metadata_table_can_name_files_in_subfolders(folder):
    (folder / "sub").mkdir()
    (folder / "000_2eecfafdc5e0904a.txt").rename(folder / "sub" / "000_2eecfafdc5e0904a.txt")
    table = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    table.loc[table["file"] == "000_2eecfafdc5e0904a.txt", "file"] = "sub/000_2eecfafdc5e0904a.txt"
    table.to_csv(folder / "articles.csv", index=False)
    corpus = mm.load_corpus(folder)
    assert corpus.set_index("article_id").loc["mt-2020-09-03", "file"] == "sub/000_2eecfafdc5e0904a.txt"


@contextlib.contextmanager
def _no_hang(seconds: int = 20):
    """Fail instead of hanging forever (opening a FIFO blocks until someone writes to it)."""
    def _alarm(signum, frame):
        raise TimeoutError("load_corpus blocked: it must never open a FIFO")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _odd_entry(folder: Path, kind: str) -> str:
    """Put one entry that is not an article into ``folder``; return how the warning must name it."""
    if kind == "broken_symlink":
        (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
        return "gone.txt"
    if kind == "looping_symlink":
        (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
        (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
        return "loop1.txt"
    if kind == "folder_loop":
        (folder / "again").symlink_to(folder, target_is_directory=True)
        return "again"
    if kind == "fifo":
        os.mkfifo(folder / "pipe.txt")
        return "pipe.txt"
    if kind == "folder_named_txt":
        (folder / "notes.txt").mkdir()
        return "notes.txt"
    name = {"image": "photo.jpg", "pdf": "report.pdf", "docx": "memo.docx", "table": "other.csv"}[kind]
    (folder / name).write_bytes(b"%PDF-1.4 binary \x00\x01")
    return name


@pytest.mark.parametrize("kind", ["broken_symlink", "looping_symlink", "folder_loop", "fifo", "folder_named_txt",
                                  "image", "pdf", "docx", "table"])
def test_entries_that_are_not_articles_are_warned_about(tmp_path, kind):
    # old behaviour: all of these were skipped without a word (and a folder loop is not followed forever)
    folder = _folder(tmp_path, {"a.txt": _article(1)})
    name = _odd_entry(folder, kind)
    with _no_hang():
        corpus, warned = _load(folder)
    assert corpus["article_id"].tolist() == ["a"]
    assert any(name in w for w in warned), warned
    suffix = Path(name).suffix
    if kind in ("image", "pdf", "docx", "table"):
        assert any(suffix in w for w in warned)
    assert name in set(mm.load_notes(corpus)["file"])


@pytest.mark.parametrize("names", [("a.txt", "a.TXT"), ("a.txt", "a.md"), ("A.txt", "a.txt"), ("a.txt", "a.html"),
                                   ("x__a.txt", "x/a.txt")])
def test_ids_must_be_unique_up_to_case(tmp_path, names):
    # old behaviour: a.txt and a.TXT were both loaded as id 'a' (one id, two articles); a.md was ignored
    folder = _folder(tmp_path, {names[0]: _article(1), names[1]: _article(2)})
    message = str(pytest.raises(mm.CorpusError, mm.load_corpus, folder).value)
    assert names[0] in message and names[1] in message and "same id" in message


def test_identical_texts_are_reported_and_kept(tmp_path):
    # old behaviour: two copies of one article were two articles, and nothing said so
    folder = _folder(tmp_path, {"a.txt": _article(1, date="September 1, 2020"),
                                "b.txt": _article(1, title="Another headline", date="September 2, 2020"),
                                "c.txt": _article(2)})
    corpus, warned = _load(folder)
    assert corpus.set_index("article_id")["duplicate_of"].to_dict() == {"a": "", "b": "a", "c": ""}
    assert any("b.txt" in w and "a" in w and "same text" in w for w in warned)
    assert "duplicate" in set(mm.load_notes(corpus)["kind"])


def test_every_copy_names_the_first_article_with_its_text(tmp_path):
    # three copies of one text and two of another, interleaved: each copy points at the first of its twins
    bodies = {"a": 1, "b": 1, "c": 2, "d": 1, "e": 2}
    folder = _folder(tmp_path, {f"{name}.txt": _article(n, title=f"Headline {name}", date=f"September {day}, 2020")
                                for day, (name, n) in enumerate(bodies.items(), start=1)})
    corpus, _ = _load(folder)
    assert corpus["article_id"].tolist() == list("abcde")
    assert corpus["duplicate_of"].tolist() == ["", "a", "", "a", "c"]
    notes = mm.load_notes(corpus).query("kind == 'duplicate'")
    assert notes["file"].tolist() == ["b.txt", "d.txt", "e.txt"]
    assert notes["message"].tolist() == ["same clean text as a.txt", "same clean text as a.txt", "same clean text as c.txt"]


# ---------------------------------------------------------------- 3. clear messages instead of tracebacks
def test_unreadable_file_is_named(tmp_path, monkeypatch):
    # old behaviour: a raw PermissionError traceback
    folder = _folder(tmp_path, {"a.txt": _article(1), "b.txt": _article(2)})
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert "b.txt: cannot read the file: Permission denied" in _error(folder)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_on_disk(tmp_path):
    folder = _folder(tmp_path, {"a.txt": _article(1), "b.txt": _article(2)})
    (folder / "b.txt").chmod(0)
    try:
        assert "b.txt: cannot read the file" in _error(folder)
    finally:
        (folder / "b.txt").chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.parametrize("where", ["metadata", "dateline"])
def test_date_outside_the_pandas_range(folder, where):
    # old behaviour: pandas' OutOfBoundsDatetime traceback ("Cannot cast 1500-01-01 00:00:00 to unit='ns'")
    if where == "metadata":
        table = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
        table.loc[0, "date"] = "1500-01-01"
        table.to_csv(folder / "articles.csv", index=False)
        expected = "articles.csv line 2 (001_2fa9e59c5bad71dc.txt): date 1500-01-01 is outside"
    else:
        (folder / "005_old.txt").write_text(_article(5, date="January 1, 1500"), encoding="utf-8")
        expected = "005_old.txt: date 1500-01-01 is outside"
    message = _error(folder, unlisted="infer")
    assert expected in message and "the range pandas can hold (1677–2262)" in message


def test_undecodable_file_name(tmp_path):
    # old behaviour: the id held a lone surrogate ('bad\udcff'): any plot, CSV or print of it crashed
    folder = _folder(tmp_path, {"good.txt": _article(1)})
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as handle:
        handle.write(_article(2).encode("utf-8"))
    corpus, warned = _load(folder)
    _assert_printable(corpus)
    assert r"bad\xff.txt" in set(corpus["file"])
    assert any(r"bad\xff.txt" in w and "not valid UTF-8" in w for w in warned)
    str(corpus.to_csv()).encode("utf-8")


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                               ("utf-16-le", b""), ("utf-16-be", b"")])
def test_utf16_files_are_decoded(tmp_path, encoding, bom):
    # old behaviour: "not valid UTF-8: byte 0xff at offset 0"
    folder = _folder(tmp_path, {"a.txt": bom + _article(1, title="Lukashenko’s “union” plan").encode(encoding)})
    corpus, warned = _load(folder)
    assert not warned
    assert corpus["title"].iloc[0] == "Lukashenko’s “union” plan" and corpus["text"].iloc[0] == _english(1)
    notes = mm.load_notes(corpus)
    assert notes.loc[notes["kind"] == "encoding", "message"].str.contains("UTF-16").all()
    assert len(notes[notes["kind"] == "encoding"]) == 1


@pytest.mark.parametrize("table", [mm.sentence_table, mm.paragraph_table, mm.removal_table])
@pytest.mark.parametrize("empty", ["no columns", "no rows"])
def test_tables_of_an_empty_corpus(corpus, table, empty):
    # old behaviour: KeyError 'article_id' on a frame without columns
    frame = pd.DataFrame() if empty == "no columns" else corpus.iloc[:0]
    out = table(frame)
    assert out.empty and list(out.columns) == list(table(corpus).columns)


def test_path_that_is_neither_folder_nor_table(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    (tmp_path / "a.txt").write_text(_article(1), encoding="utf-8")
    assert "not a folder or a table file" in _error(tmp_path / "report.pdf")
    assert "one article file" in _error(tmp_path / "a.txt")
    only_images = _folder(tmp_path / "x", {"photo.jpg": b"\xff\xd8"})
    message = _error(only_images)
    assert "no .txt articles" in message and "photo.jpg" in message
    os.mkfifo(tmp_path / "fifo.csv")
    with _no_hang():
        assert "a FIFO (named pipe): load_corpus reads a folder or a table file" in _error(tmp_path / "fifo.csv")
    (tmp_path / "header_only.csv").write_text("id,text\n", encoding="utf-8")
    assert "header_only.csv: the table has no rows" in _error(tmp_path / "header_only.csv")
    assert "no such folder or file" in _error(tmp_path / "nothing.csv")


# ---------------------------------------------------------------- 4. the notes table
def test_load_notes_on_the_frame(tmp_path, corpus):
    # old behaviour: no record of what the loader noticed beyond the warnings of the moment
    seed_notes = mm.load_notes(corpus)
    assert list(seed_notes.columns) == ["file", "kind", "message"]
    assert set(seed_notes["kind"]) <= {"companion"}  # events.csv and relation_labels.csv: noted, never warned
    folder = _folder(tmp_path, {"b.txt": _article(2, date="August 1, 2020"), "a.txt": _article(1), "x.pdf": b"%PDF"})
    loaded, warned = _load(folder)
    notes = mm.load_notes(loaded)
    assert ("x.pdf", "skipped") in set(zip(notes["file"], notes["kind"]))
    assert len(warned) == 1
    assert mm.load_notes(mm.english_only(loaded)).equals(notes)  # survives subsetting
    # shared, not copied, by every frame and column pandas derives (a copy per step is slow for a large corpus)
    kept = loaded.attrs["load_notes"]
    derived = (loaded[["text"]], loaded["text"], loaded.sort_values("date"), loaded.copy(), mm.english_only(loaded))
    assert all(x.attrs["load_notes"] is kept for x in derived)
    assert type(kept).__deepcopy__(kept, {}) is kept  # not walked item by item: O(1) whatever the corpus size
    (tmp_path / "c.pkl").write_bytes(pickle.dumps(loaded))  # as the cache stores a corpus
    assert mm.load_notes(pickle.loads((tmp_path / "c.pkl").read_bytes())).equals(notes)
    with pytest.raises(ValueError, match="load_corpus"):
        mm.load_notes(pd.DataFrame({"article_id": ["a"]}))


# ---------------------------------------------------------------- 5. language
RUSSIAN = ("Лукашенко встретился с Путиным\n\n"
           "Президент Беларуси Александр Лукашенко в понедельник встретился с Владимиром Путиным в Сочи. "
           "Стороны обсудили поставки газа и нефти, а также кредит в полтора миллиарда долларов.\n\n"
           "В Кремле заявили, что переговоры прошли в конструктивной атмосфере. "
           "Оппозиция в Минске раскритиковала соглашение.\n")
GERMAN = ("Lukaschenko trifft Putin\n\n"
          "Der belarussische Präsident Alexander Lukaschenko hat am Montag in Sotschi den russischen Präsidenten "
          "Wladimir Putin getroffen. Beide Seiten sprachen über Gaslieferungen und einen Kredit.\n\n"
          "Der Kreml erklärte, die Gespräche seien sehr konstruktiv verlaufen. Die Opposition in Minsk kritisierte "
          "das Abkommen scharf.\n")


def test_other_languages_never_fail_the_folder(tmp_path):
    # old behaviour: the Russian file failed the whole folder as "everything was boilerplate"
    folder = _folder(tmp_path, {"en.txt": _article(1), "ru.txt": RUSSIAN, "de.txt": GERMAN, "short.txt": "Hi.\n"})
    corpus, warned = _load(folder)
    assert corpus.set_index("article_id")["language"].to_dict() == {"en": "en", "ru": "ru", "de": "de", "short": ""}
    assert any("ru.txt" in w and "de.txt" in w and "not in English" in w for w in warned)
    assert "Путиным" in corpus.set_index("article_id").loc["ru", "text"]
    english = mm.english_only(corpus)
    assert english["article_id"].tolist() == ["en", "short"]  # too short to tell: kept, see english_only
    note = mm.non_english_note(corpus)
    assert "2 of 4 articles" in note and "ru (ru)" in note and "de (de)" in note
    assert mm.non_english_note(english) == ""


def test_english_only_records_nothing(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        english = mm.english_only(corpus)
    assert english.equals(corpus) and mm.non_english_note(corpus) == ""


def test_english_shortcut_agrees_with_py3langid(corpus):
    import py3langid

    others = ["De minister zei dat de gesprekken in Minsk goed waren en dat het akkoord was getekend. " * 3,
              "Le président biélorusse a rencontré Vladimir Poutine à Sotchi, et les deux ont parlé du gaz. " * 3,
              "El presidente de Bielorrusia se reunió con Putin en Sochi para hablar del gas y del crédito. " * 3,
              "Prezydent Białorusi spotkał się z Putinem w Soczi, aby omówić dostawy gazu i kredyt. " * 3]
    for text in [*corpus["text"], _english(1), GERMAN, RUSSIAN, *others]:
        assert mm.corpus.detect_language(text) == py3langid.classify(text)[0]


# ---------------------------------------------------------------- 6. parallel = serial
@pytest.mark.slow
def test_parallel_load_is_identical_to_serial(tmp_path, monkeypatch):
    rows = _write_table(tmp_path / "export.csv", [dict(r) for r in ROWS], "csv")
    folder = _folder(tmp_path, {"a.txt": _article(1), "sub/b.md": MARKDOWN, "c.html": HTML_PAGE, "d.txt": GERMAN,
                                "e.txt": _article(1), "f.pdf": b"%PDF"})
    monkeypatch.setattr(mm.corpus, "PARALLEL_MIN_ITEMS", 0)
    calls = []

    def spy(func, items, **kwargs):
        calls.append((len(items), kwargs["chunk_size"], kwargs["jobs"]))
        return mm.parallel.imap_chunks(func, items, **kwargs)

    monkeypatch.setattr(mm.corpus, "imap_chunks", spy)
    for path in (folder, rows):
        serial, warned_serial = _load(path, jobs=1)
        parallel, warned_parallel = _load(path, jobs=2)
        pd.testing.assert_frame_equal(serial, parallel)
        assert warned_serial == warned_parallel
        assert mm.load_notes(serial).equals(mm.load_notes(parallel))
    # with jobs=2 the work really was cut into several chunks for the workers
    assert [(n, size) for n, size, jobs in calls if jobs == 2] == [(5, 1), (3, 1)]


def test_a_large_corpus_is_loaded_once_and_afresh_when_a_file_changes(tmp_path, monkeypatch):
    from minsk_moscow import cache, corpus as corpus_module

    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.delenv("MINSK_MOSCOW_CACHE", raising=False)
    monkeypatch.setattr(corpus_module, "LOAD_CACHE_MIN_FILES", 3)
    folder = tmp_path / "articles"
    folder.mkdir()
    seeds = sorted(mm.SEEDS_DIR.glob("*.txt"))[:3]
    for seed in seeds:
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "copy_note.txt").write_text(seeds[1].read_text(encoding="utf-8"), encoding="utf-8")  # noted as a duplicate
    loads = []
    real = corpus_module._load
    monkeypatch.setattr(corpus_module, "_load", lambda *a: loads.append(1) or real(*a))

    with pytest.warns(mm.CorpusWarning) as fresh:
        first = mm.load_corpus(folder)
    with pytest.warns(mm.CorpusWarning) as again:  # warned again when read from the cache
        second = mm.load_corpus(folder)
    assert any("copy_note.txt" in str(w.message) for w in fresh)
    assert [str(w.message) for w in again] == [str(w.message) for w in fresh]
    assert len(loads) == 1
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(mm.load_notes(first), mm.load_notes(second))

    with open(folder / seeds[0].name, "a", encoding="utf-8") as handle:
        handle.write("\nOne more paragraph about Minsk and Moscow.\n")
    with pytest.warns(mm.CorpusWarning):
        changed = mm.load_corpus(folder)
    assert len(loads) == 2 and changed["text"].str.contains("One more paragraph").any()

    monkeypatch.setattr(corpus_module, "LOAD_CACHE_MIN_FILES", 100)  # a small folder: always read afresh
    with pytest.warns(mm.CorpusWarning):
        mm.load_corpus(folder)
    assert len(loads) == 3

    # with the cache switched off the files are not even stamped (a stat of every file)
    monkeypatch.setattr(corpus_module, "LOAD_CACHE_MIN_FILES", 3)
    monkeypatch.setenv("MINSK_MOSCOW_CACHE", "0")
    stamps = []
    monkeypatch.setattr(corpus_module, "_source_stamp", lambda *a: stamps.append(1))
    with pytest.warns(mm.CorpusWarning):
        mm.load_corpus(folder)
    assert len(loads) == 4 and not stamps


def _chunked_texts(texts: list[str]) -> pd.Series:
    """``texts`` as a "str" column stored in several Arrow chunks, the first one a slice."""
    parts = [pd.Series(["dropped", *texts[:2]], dtype="str").iloc[1:], pd.Series(texts[2:4], dtype="str"),
             pd.Series(texts[4:], dtype="str")]
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("store", [
    lambda texts: pd.Series(texts, dtype="str"),
    lambda texts: pd.Series(["x", *texts], dtype="str").iloc[1:],  # a slice: its buffers start elsewhere
    _chunked_texts,
    lambda texts: pd.Series(texts, dtype=object),
], ids=["str", "str slice", "str chunks", "object"])
def test_first_twins_are_found_however_the_texts_are_stored(store):
    texts = ["Лукашенко met Putin.", "", "Union state talks.", "Лукашенко met Putin.", "", "Union state talks",
             "Union state talks."]
    column = store(texts)
    assert column.tolist() == texts
    assert mm.corpus._first_twins(column).tolist() == [0, 1, 2, 0, 1, 5, 2]
