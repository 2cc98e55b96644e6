"""End to end: `make run CORPUS=...` on one folder a new user might have, as they would run it.

The folder (``my articles``, a space in its name) mixes what such a folder holds:

- the seed articles re-dated a year later and lightly altered (another transliteration, a
  dropped paragraph), with a metadata table (``articles.csv``) that lacks one more article,
  which must then take its title and date from its own text;
- 60 synthetic articles (``benchmarks/synth.py``: seed sentences with scraping debris, dates
  over 2020-2021, no metadata rows), so every per-article figure and table must switch to
  periods and stay legible;
- the hostile files of ``tests/corpora.py`` (UTF-16, zero-width characters and soft hyphens,
  ``^ `` lines, no punctuation, an undecodable file name, two identical texts, a subfolder),
  every one of which must be kept.

One run covers them all, so ``make test`` pays for one re-run instead of three.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

import minsk_moscow as mm

from corpora import hostile
from e2e import check_run, make_run, output_texts

HOSTILE_STEMS = ("utf16", "zero_width", "carets", "no_punctuation", "copy_a", "copy_b", "2021__sub_article")
N_SYNTHETIC = 60


def _write_own(folder: Path) -> Path:
    """The seed articles re-dated a year later and lightly altered, with a metadata table that lacks one."""
    folder.mkdir(parents=True, exist_ok=True)
    table = pd.read_csv(mm.SEEDS_DIR / "articles.csv", dtype=str, keep_default_na=False)
    for row in table.itertuples():
        text = (mm.SEEDS_DIR / row.file).read_text(encoding="utf-8")
        text = text.replace("Lukashenko", "Lukashenka").replace("2020", "2021")
        if row.article_id == "mt-2020-08-05":  # drop one paragraph
            text = text.replace("The 65-year-old authoritarian leader has also called for military exercises near the Russian border.", "")
        (folder / f"own_{row.file}").write_text(text, encoding="utf-8")
    table["file"] = "own_" + table["file"]
    table["article_id"] = table["article_id"].str.replace("2020", "2021").str.replace("^", "own-", regex=True)
    table["date"] = (pd.to_datetime(table["date"]) + pd.DateOffset(years=1)).dt.strftime("%Y-%m-%d")
    table["url"] = ""
    table.to_csv(folder / "articles.csv", index=False)
    # one more article with no metadata row: its date must come from its text
    extra = (mm.SEEDS_DIR / "000_2eecfafdc5e0904a.txt").read_text(encoding="utf-8")
    extra = extra.replace("September 03, 2020", "October 12, 2021").replace("Belarus Leader Replaces", "Belarus Leader Again Replaces")
    (folder / "zz_unlisted.txt").write_text(extra, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def own_corpus(tmp_path_factory) -> Path:
    """The altered seed articles alone, for the loader's checks."""
    return _write_own(tmp_path_factory.mktemp("own") / "my_articles")


@pytest.fixture(scope="module")
def my_articles(tmp_path_factory) -> Path:
    folder = hostile(tmp_path_factory.mktemp("user") / "my articles")
    _write_own(folder)
    spec = importlib.util.spec_from_file_location("synth", mm.PROJECT_ROOT / "benchmarks" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.build_corpus(folder, N_SYNTHETIC, seed=1)
    return folder


@pytest.fixture(scope="module")
def run(my_articles, tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "out"
    return make_run(my_articles, out, "SPLIT_DATE=2021-08-09"), out


@pytest.fixture(scope="module")
def articles(run) -> pd.DataFrame:
    """``results/articles.csv`` of the run: one row per article loaded."""
    return pd.read_csv(run[1] / "results" / "articles.csv", dtype=str, keep_default_na=False)


@pytest.mark.e2e
def test_the_re_run_finishes_and_reports_every_step(run):
    check_run(*run)


@pytest.mark.e2e
def test_figures_are_written_to_the_output_folder(run):
    written = {p.name for p in (run[1] / "figures").glob("*.png")}
    expected = {p.name for p in mm.FIGURES_DIR.glob("*.png")}
    # every figure, the validation figures included: they describe the validation set, whatever the corpus
    assert expected and written == expected


@pytest.mark.e2e
def test_many_articles_give_figures_of_bounded_size(run, articles):
    for png in (run[1] / "figures").glob("*.png"):
        width, height = Image.open(png).size
        assert width <= 2600 and height <= 2600, f"{png.name} is {width} x {height} px for {len(articles)} articles"


@pytest.mark.e2e
def test_many_articles_are_shown_by_period(run, articles):
    out = run[1]
    dates = pd.to_datetime(articles["date"].replace("", None))
    quarters = dates.dt.to_period("Q").nunique() + bool(dates.isna().any())  # the undated ones: one more document
    assert quarters >= 9  # 2020-2021 and the re-dated articles of 2022, and two undated files
    keywords = "\n".join(output_texts(out / "02_tfidf_keywords.ipynb"))
    assert f"one document per quarter: {quarters} documents" in keywords
    topics = output_texts(out / "03_topic_clusters.ipynb")
    assert sum("2020Q1" in t for t in topics) >= 2  # the topic mix and the map's crosstab, by quarter
    overview = output_texts(out / "01_corpus_overview.ipynb")
    assert max(len(t.splitlines()) for t in overview) < 200  # long tables show their top and bottom rows
    assert any("..." in t for t in overview)


@pytest.mark.e2e
def test_every_file_is_kept_and_the_overview_counts_them(my_articles, run, articles):
    n_files = sum(1 for _ in my_articles.rglob("*.txt"))
    assert len(articles) == n_files == 5 + 1 + N_SYNTHETIC + len(HOSTILE_STEMS) + 1
    ids = set(articles["article_id"])
    assert set(HOSTILE_STEMS) <= ids
    assert any(i.startswith("caf") and i.endswith("_article") for i in ids)  # the undecodable name, printable
    overview = output_texts(run[1] / "01_corpus_overview.ipynb")
    assert any("what it does" in t for t in overview)  # the up-front check of what the corpus supports
    assert any(t.startswith(f"{n_files} articles, ") for t in overview)


@pytest.mark.e2e
def test_the_overview_shows_the_new_corpus_not_the_seeds(articles):
    row = articles.set_index("article_id")
    assert "own-mt-2021-08-05" in row.index and "zz_unlisted" in row.index
    assert row.loc["zz_unlisted", "date"].startswith("2021-10-12")  # read from its text
    assert not any(i.startswith(("mt-2020", "ft-2020", "ft-2021")) for i in row.index)  # no seed article leaked in
    assert row.loc["copy_b", "duplicate_of"] == "copy_a" or row.loc["copy_a", "duplicate_of"] == "copy_b"


def test_loader_on_the_new_corpus(own_corpus):
    with pytest.warns(mm.CorpusWarning, match="zz_unlisted.txt"):
        corpus = mm.load_corpus(own_corpus, unlisted="infer")
    assert len(corpus) == 6
    row = corpus.set_index("article_id").loc["zz_unlisted"]
    assert row["date"] == pd.Timestamp("2021-10-12") and row["date_basis"] == "stated"
    assert row["title"] == "Belarus Leader Again Replaces Security Chiefs as Russian Prime Minister Visits"
    assert "military exercises near the Russian border" not in corpus.set_index("article_id").loc["own-mt-2021-08-05", "text"]
    assert "lukashenko" in mm.tokenize(corpus["text"].iloc[0])  # the alias table maps Lukashenka back
    with pytest.raises(mm.CorpusError, match="zz_unlisted.txt: file has no row"):
        mm.load_corpus(own_corpus, unlisted="error")
