"""The result files (minsk_moscow.results): columns, rows, the data dictionary, determinism,
agreement with the notebooks and with the committed ``results/``, and small or odd corpora.

The seed run passes ``topic_k`` (notebook 03's k on the seeds) so that the tests do not rerun
the topic sweep (180 model fits); everything else runs exactly as ``make run`` runs it.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import minsk_moscow as mm
from minsk_moscow import results

K = 4  # notebook 03's "chosen k" on the seeds
CUTOFF = mm.DEFAULT_SPLIT_DATE
COMMITTED = mm.PROJECT_ROOT / "results"

COLUMNS = {
    "articles.csv": ["article_id", "title", "outlet", "site", "author", "date", "date_basis", "date_note", "url",
                     "words", "sentences", "language", "duplicate_of"],
    "tone_sentences.csv": ["article_id", "date", "outlet", "paragraph", "sentence", "text", "speaker_side", "tone",
                           "tone_rules", "tone_model", "vader", "hand_relation", "hand_label", "hand_ambiguous",
                           "hand_speaker", "cues"],
    "tfidf_terms.csv": ["group", "rank", "term", "weight", "tied"],
    "log_odds.csv": ["comparison", "group_a", "group_b", "term", "count_a", "count_b", "prior", "delta", "z", "favours"],
    "topic_mix.csv": ["group", "date", "topic", "label", "top_terms", "share"],
}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> tuple[Path, results.ResultsReport]:
    out = tmp_path_factory.mktemp("results")
    return out, results.write_results(mm.SEEDS_DIR, out, cutoff=CUTOFF, topic_k=K)


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def _dictionary(readme: str) -> dict[str, list[str]]:
    """File -> the columns its section of the README documents."""
    sections = re.split(r"^## ", readme, flags=re.MULTILINE)
    out = {}
    for section in sections:
        head = section.splitlines()[0] if section else ""
        match = re.fullmatch(r"`([\w.]+\.csv)`", head.strip())
        if match:
            out[match.group(1)] = re.findall(r"^\| `([^`]+)` \| .+ \|$", section, flags=re.MULTILINE)
    return out


def _section(readme: str, title: str) -> str:
    return readme.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


# --------------------------------------------------------------------------- the seed corpus
def test_every_file_is_written_with_its_columns(seed_run):
    out, report = seed_run
    assert report.skipped == {} and report.notes == []
    assert sorted(p.name for p in out.iterdir()) == sorted([*results.RESULT_FILES, "README.md"])
    for name, columns in COLUMNS.items():
        table = _read(out, name)
        assert table.columns.tolist() == columns, name
        assert len(table) == report.written[name] > 0
        text = (out / name).read_text(encoding="utf-8")
        assert "\r" not in text and text.endswith("\n")


def test_row_counts_follow_the_package(seed_run, corpus):
    out, _ = seed_run
    assert _read(out, "articles.csv")["article_id"].tolist() == corpus["article_id"].tolist()
    found = mm.relation_table(mm.sentence_table(corpus))
    assert len(_read(out, "tone_sentences.csv")) == int(found["is_relation"].sum())
    assert len(_read(out, "tfidf_terms.csv")) == mm.tfidf_matrix(corpus).matrix.nnz  # one document per article here
    log_odds = _read(out, "log_odds.csv")
    period = mm.split_by_date(corpus, CUTOFF, labels=("before", "after"))
    assert (log_odds["comparison"] == "before_after").sum() == len(mm.compare_groups(corpus, period, a="before", b="after"))
    assert log_odds.drop_duplicates("comparison")[["group_a", "group_b"]].values.tolist() == [["before", "after"], ["2020", "2021"]]
    assert len(_read(out, "topic_mix.csv")) == len(corpus) * K


def test_tone_sentences_hold_scores_cues_and_hand_labels(seed_run, corpus):
    out, _ = seed_run
    table = pd.read_csv(out / "tone_sentences.csv", keep_default_na=False, na_values={"hand_label": [""]})
    found = mm.relation_table(mm.sentence_table(corpus), vader=True).query("is_relation")
    assert table["text"].tolist() == found["text"].tolist()
    assert np.allclose(table["tone"], found["tone"], atol=1e-6)
    assert np.allclose(table["tone_rules"], mm.relation_tone(found["text"], method="rules"), atol=1e-6)
    assert np.allclose(table["tone_model"], mm.relation_tone(found["text"], method="model"), atol=1e-6)
    assert np.allclose(table["tone"], (table["tone_rules"] + table["tone_model"]) / 2, atol=2e-6)
    assert np.allclose(table["vader"], found["vader"], atol=1e-6)
    # every relation sentence of the seeds is hand-labelled
    assert table["hand_label"].notna().all() and set(table["hand_label"]) <= {-1, 0, 1}
    labels = mm.load_tone_labels().set_index(["article_id", "text"])
    for row in table.head(20).itertuples():
        assert row.hand_label == labels.loc[(row.article_id, row.text), "tone"]
    # the cues of one sentence, as cue_hits reports them
    i = int(np.flatnonzero(table["cues"] != "")[0])
    hits = mm.cue_hits([table.at[i, "text"]])
    assert table.at[i, "cues"] == "; ".join(f"{h.cue} ({h.cls}) → {h.effect}" for h in hits.itertuples())


def test_tables_match_what_the_notebooks_show(seed_run, corpus):
    out, _ = seed_run
    tfidf = pd.read_csv(out / "tfidf_terms.csv")
    top = mm.top_terms(mm.tfidf_matrix(mm.merge_by_group(corpus, mm.display_groups(corpus))), n=10)
    mine = tfidf[tfidf["rank"] <= 10]
    assert mine["term"].tolist() == top["term"].tolist()
    assert np.allclose(mine["weight"].round(3), top["weight"])
    log_odds = pd.read_csv(out / "log_odds.csv", keep_default_na=False)
    year = mm.split_by_year(corpus)
    years = mm.compare_groups(corpus, year, a="2020", b="2021")
    assert np.allclose(log_odds.loc[log_odds["comparison"] == "years", "z"], years["z"], atol=1e-6)
    mix = pd.read_csv(out / "topic_mix.csv")
    assert np.allclose(mix.groupby("group")["share"].sum(), 1, atol=1e-5)
    assert set(results.ANALYST_LABELS) <= set(mix["label"])  # notebook 03: all four analyst labels are earned
    summary = mm.tone_summary(pd.read_csv(out / "tone_sentences.csv", parse_dates=["date"]))
    assert summary["mean"].round(3).tolist() == [-0.601, 0.354, 0.392, 0.138, 0.375]  # notebook 04's by_article


def test_data_dictionary_documents_every_column(seed_run):
    out, report = seed_run
    readme = (out / "README.md").read_text(encoding="utf-8")
    documented = _dictionary(readme)
    for name in results.RESULT_FILES:
        assert documented[name] == _read(out, name).columns.tolist(), name
        assert f"| [`{name}`]({name}) | {report.written[name]} |" in readme
    assert "Nothing: every file was written." in _section(readme, "Not written")
    assert f"k = {K}" in readme and "`seeds`" in readme and str(mm.PROJECT_ROOT) not in readme


def test_writing_twice_gives_identical_bytes(seed_run, tmp_path):
    out, _ = seed_run
    results.write_results(mm.SEEDS_DIR, tmp_path, cutoff=CUTOFF, topic_k=K)
    for name in [*results.RESULT_FILES, "README.md"]:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_each_table_is_written_before_the_next_is_built(tmp_path, monkeypatch):
    """One large table in memory at a time: on 100,000 articles every table was held until the end."""
    seen = {}
    real = results.tfidf_table

    def tfidf_table(corpus):
        seen["files"] = sorted(p.name for p in tmp_path.iterdir())
        return real(corpus)

    monkeypatch.setattr(results, "tfidf_table", tfidf_table)
    report = results.write_results(mm.SEEDS_DIR, tmp_path, cutoff=CUTOFF, topic_k=K)
    assert seen["files"] == ["articles.csv", "tone_sentences.csv"]
    assert report.written["tfidf_terms.csv"] == len(_read(tmp_path, "tfidf_terms.csv")) > 0


def test_committed_results_are_current(seed_run):
    """``results/`` is what ``make run`` writes: rerun it (and commit) after a change of the numbers."""
    out, _ = seed_run
    for name in results.RESULT_FILES:
        assert (COMMITTED / name).read_bytes() == (out / name).read_bytes(), f"results/{name} is stale: run make run"
    committed = (COMMITTED / "README.md").read_text(encoding="utf-8").splitlines()
    fresh = (out / "README.md").read_text(encoding="utf-8").splitlines()
    assert [line for line in committed if not line.startswith("- topics:")] == \
        [line for line in fresh if not line.startswith("- topics:")]
    assert f"- topics: k = {K}, chosen as in notebook 03" in "\n".join(committed)


def test_settings_are_the_notebooks(corpus):
    """results.py makes notebook 02-04's calls with their settings; a notebook edit must be mirrored there."""
    def calls(notebook: str) -> dict[str, list[dict[str, str]]]:
        cells = json.loads((mm.NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
        found: dict[str, list[dict[str, str]]] = {}
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            source = "\n".join(line for line in source.splitlines() if not line.startswith("%%"))  # %%step
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    args = {f"arg{i}": ast.unparse(a) for i, a in enumerate(node.args)}
                    found.setdefault(node.func.attr, []).append(args | {k.arg: ast.unparse(k.value) for k in node.keywords})
                if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) in ("ANALYST_LABELS", "seeds"):
                    found.setdefault(ast.unparse(node.targets[0]), []).append({"value": ast.unparse(node.value)})
        return found

    nb03 = calls("03_topic_clusters.ipynb")
    assert nb03["ANALYST_LABELS"][0]["value"] == "mm.SEED_TOPIC_LABELS"
    assert results.ANALYST_LABELS == {label: list(terms) for label, terms in mm.SEED_TOPIC_LABELS.items()}
    assert nb03["seeds"][0]["value"] == "[mm.SEED + i for i in range(10)]"
    assert {"arg0": "corpus", "unit": "'capped'", "max_tokens": "40", "min_tokens": "5"} in nb03["make_units"]
    assert {"arg0": "units", "min_df": "2", "max_df": "0.5", "extra_stop_words": "mm.SIDE_WORDS"} in nb03["vectorize_units"]
    assert nb03["cached"][0] == {"arg0": "mm.sweep_k", "arg1": "vectors", "ks": "mm.k_range(len(vectors.units))", "seeds": "seeds",
                                 "lsa_components": "20", "n_top": "5"}
    assert nb03["choose_k"][0] == {"arg0": "summary", "method": "'nmf'", "min_ari": "0.8", "min_topic_match": "0.95",
                                   "if_unstable": "'warn'"}
    assert {"arg0": "mm.fit_nmf", "arg1": "vectors", "k": "k", "random_state": "mm.SEED"} in nb03["cached"]
    assert nb03["topic_summary"][0] == {"arg0": "nmf", "n_terms": "8"}
    nb02 = calls("02_tfidf_keywords.ipynb")
    assert {"arg0": "docs"} in nb02["tfidf_matrix"]
    assert {"arg0": "corpus", "arg1": "cutoff", "labels": "('before', 'after')", "undated": "'leave out'"} in nb02["split_by_date"]
    assert {"arg0": "corpus", "arg1": "period", "a": "'before'", "b": "'after'"} in nb02["compare_groups"]
    assert {"arg0": "corpus", "arg1": "year", "a": "early", "b": "late"} in nb02["compare_groups"]
    nb04 = calls("04_relation_tone.ipynb")
    assert {"arg0": "mm.relation_table", "arg1": "mm.sentence_table(corpus)", "vader": "True"} in nb04["cached"]


# --------------------------------------------------------------------------- small and odd corpora
ARTICLES = {
    "a.txt": ("Belarus and Russia agree on oil supplies",
              ("Minsk and Moscow agreed on Thursday to deepen cooperation on oil supplies. Belarusian President "
              "Alexander Lukashenko thanked Vladimir Putin for his support.\n\nProtests continued in the capital.")),
    "b.txt": ("Kremlin warns Minsk over detained contractors",
              ("Russia accused Belarus of staging a provocation after the arrest of 33 Russian contractors. The "
              "Kremlin said relations would suffer.")),
    "c.txt": ("Union State talks stall",
              ("Talks on the Union State stalled again as Lukashenko refused to sign any agreements on closer "
              "integration with Russia. Analysts said Moscow would keep up the pressure.")),
}


def _small_corpus(folder: Path, *, metadata: bool) -> Path:
    folder.mkdir()
    for name, (title, body) in ARTICLES.items():
        (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    if metadata:
        pd.DataFrame({
            "article_id": ["a", "b", "c"], "file": list(ARTICLES), "title": [t for t, _ in ARTICLES.values()],
            "outlet": ["Wire", "Wire", "Paper"], "date": ["2020-07-30", "2020-08-20", "2020-09-10"],
            "date_basis": "stated",
        }).to_csv(folder / "articles.csv", index=False)
    return folder


@pytest.mark.parametrize("metadata", [True, False], ids=["with articles.csv", "undated, no articles.csv"])
def test_small_corpus_writes_what_it_can(tmp_path, metadata):
    corpus = _small_corpus(tmp_path / "small", metadata=metadata)
    out = tmp_path / "out"
    out.mkdir()
    (out / "topic_mix.csv").write_text("stale\n", encoding="utf-8")  # from an earlier run on another corpus
    (out / "keep.txt").write_text("not ours\n", encoding="utf-8")
    report = results.write_results(corpus, out)  # the default path: topics chosen by the sweep
    expected_skipped = {"topic_mix.csv"} | (
        {"log_odds.csv, comparison years"} if metadata else {"log_odds.csv"})
    assert set(report.skipped) == expected_skipped
    written = {"articles.csv", "tone_sentences.csv", "tfidf_terms.csv"} | ({"log_odds.csv"} if metadata else set())
    assert {p.name for p in out.iterdir()} == written | {"README.md", "keep.txt"}
    assert report.written["articles.csv"] == 3 and report.written["tone_sentences.csv"] >= 3
    readme = (out / "README.md").read_text(encoding="utf-8")
    not_written = _section(readme, "Not written")
    for name, why in report.skipped.items():
        assert f"- `{name}`: {why}" in not_written
    assert "topic model (notebook 03) cannot run on this corpus" in not_written
    documented = _dictionary(readme)
    assert set(documented) == written
    for name in written:
        assert documented[name] == _read(out, name).columns.tolist()
    tone = _read(out, "tone_sentences.csv")
    assert (tone["hand_label"] == "").all()  # no hand labels for these articles
    if metadata:
        assert _read(out, "log_odds.csv")["comparison"].unique().tolist() == ["before_after"]
        assert _read(out, "articles.csv")["date"].tolist() == ["2020-07-30", "2020-08-20", "2020-09-10"]
    else:
        assert "have no date" in report.skipped["log_odds.csv"]
        assert any("CorpusWarning" in note and "no date" in note for note in report.notes)
        assert (_read(out, "articles.csv")["date"] == "").all() and "none dated" in readme


def test_one_article_and_the_command(tmp_path, capsys):
    folder = tmp_path / "one"
    folder.mkdir()
    title, body = ARTICLES["b.txt"]
    (folder / "only.txt").write_text(f"{title}\n\nSeptember 03, 2020\n\n{body}\n", encoding="utf-8")
    assert results.main(["--corpus", str(folder), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "wrote" in printed and "not written: tfidf_terms.csv: TF-IDF (notebook 02) cannot run" in printed
    assert _read(tmp_path / "out", "articles.csv")["date"].tolist() == ["2020-09-03"]
    assert not (tmp_path / "out" / "log_odds.csv").exists()
