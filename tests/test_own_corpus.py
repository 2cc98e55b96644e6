"""End to end: `make run CORPUS=...` on folders the project has never seen, as a new user would.

Two corpora are made here:

- the seed articles re-dated a year later and lightly altered (another transliteration, a
  dropped paragraph), with a metadata table that lacks one article, which must then take
  its title and date from its own text;
- 60 synthetic articles (``benchmarks/synth.py``: seed sentences with scraping debris, dates
  over 2020-2021, no metadata table), where every per-article figure and table must switch
  to periods and stay legible.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import minsk_moscow as mm

NOTEBOOKS = sorted(mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _digest(paths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def own_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("own") / "my_articles"
    folder.mkdir()
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


def _make_run(corpus: Path, out: Path, *options: str) -> Path:
    """``make run CORPUS=corpus OUT=out``; checks that the committed notebooks and figures stay untouched."""
    before = _digest(NOTEBOOKS) | _digest(mm.FIGURES_DIR.glob("*.png"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINSK_MOSCOW_")}
    result = subprocess.run(
        ["make", "run", f"CORPUS={corpus}", f"OUT={out}", *options],
        cwd=mm.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    after = _digest(NOTEBOOKS) | _digest(mm.FIGURES_DIR.glob("*.png"))
    assert after == before, "make run CORPUS=... must not touch the committed notebooks or figures/"
    return out


def _outputs(nb_path: Path) -> list[dict]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]


def _texts(nb_path: Path) -> list[str]:
    return ["".join(o.get("text") or o.get("data", {}).get("text/plain", "")) for o in _outputs(nb_path)]


@pytest.fixture(scope="module")
def run_output(own_corpus, tmp_path_factory) -> Path:
    return _make_run(own_corpus, tmp_path_factory.mktemp("build") / "out", "SPLIT_DATE=2021-08-09")


@pytest.fixture(scope="module")
def synthetic_output(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("synth", mm.PROJECT_ROOT / "benchmarks" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    folder = tmp_path_factory.mktemp("synthetic") / "synthetic_60"
    synth.build_corpus(folder, 60, seed=1)
    return _make_run(folder, tmp_path_factory.mktemp("build") / "synthetic")


@pytest.mark.e2e
@pytest.mark.parametrize("output", ["run_output", "synthetic_output"])
def test_every_notebook_ran_without_errors(output, request):
    out = request.getfixturevalue(output)
    assert NOTEBOOKS, "no notebooks found"
    for nb_path in NOTEBOOKS:
        executed = out / nb_path.name
        assert executed.exists(), nb_path.name
        nb = json.loads(executed.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(c["execution_count"] for c in code), nb_path.name
        assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"], nb_path.name


@pytest.mark.e2e
@pytest.mark.parametrize("output", ["run_output", "synthetic_output"])
def test_figures_are_written_to_the_output_folder(output, request):
    written = {p.name for p in (request.getfixturevalue(output) / "figures").glob("*.png")}
    expected = {p.name for p in mm.FIGURES_DIR.glob("*.png")}
    # every figure, the validation figures included: they describe the validation set, whatever the corpus
    assert expected and written == expected


@pytest.mark.e2e
def test_many_articles_give_figures_of_bounded_size(synthetic_output):
    from PIL import Image

    for png in (synthetic_output / "figures").glob("*.png"):
        width, height = Image.open(png).size
        assert width <= 2600 and height <= 2600, f"{png.name} is {width} x {height} px for 60 articles"


@pytest.mark.e2e
def test_many_articles_are_shown_by_period(synthetic_output):
    keywords = "\n".join(_texts(synthetic_output / "02_tfidf_keywords.ipynb"))
    assert "one document per quarter: 8 documents" in keywords  # 60 articles over 24 months -> 8 quarters
    topics = _texts(synthetic_output / "03_topic_clusters.ipynb")
    assert sum("2020Q1" in t for t in topics) >= 2  # the topic mix and the map's crosstab, by quarter
    overview = _texts(synthetic_output / "01_corpus_overview.ipynb")
    assert max(len(t.splitlines()) for t in overview) < 200  # long tables show their top and bottom rows
    assert any("..." in t for t in overview)


@pytest.mark.e2e
def test_overview_shows_the_new_corpus(run_output):
    nb = json.loads((run_output / "01_corpus_overview.ipynb").read_text(encoding="utf-8"))
    tables = ["".join(o["data"]["text/plain"]) for c in nb["cells"] if c["cell_type"] == "code"
              for o in c["outputs"] if "data" in o and "text/plain" in o["data"]]
    assert "what it does" in tables[0]  # the up-front check of what the corpus supports
    first = tables[1]
    assert "own-mt-2021-08-05" in first and "zz_unlisted" in first
    assert "2021-10-12" in first  # the unlisted article's date, read from its text
    assert "mt-2020-08-05" not in first  # nothing from the seed corpus leaked in


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
