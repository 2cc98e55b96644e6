"""The interactive pages (minsk_moscow.interactive): self-contained, titled, with the sentences
behind every hover and the keywords in context behind every term."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import minsk_moscow as mm
from minsk_moscow import interactive
from minsk_moscow.results import tone_sentence_table

CUTOFF = mm.DEFAULT_SPLIT_DATE
PAGES = ("tone_explorer.html", "validation_explorer.html", "term_explorer.html")


@pytest.fixture(scope="module")
def pages(tmp_path_factory, corpus) -> dict[str, str]:
    out = tmp_path_factory.mktemp("interactive")
    written = interactive.write_interactive(corpus, out, cutoff=CUTOFF)
    assert sorted(written) == sorted(PAGES)
    return {name: path.read_text(encoding="utf-8") for name, path in written.items()}


def _plotly_data(page: str) -> list[dict]:
    """The traces passed to ``Plotly.newPlot`` in a page."""
    start = page.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    _, end = decoder.raw_decode(page, page.index('"', start))  # the div id
    traces, _ = decoder.raw_decode(page, page.index("[", end))
    return traces


def _values(array) -> list:
    """A plotly data array: a JSON list, or numbers packed as ``{"dtype", "bdata"}`` (base64)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _json_block(page: str, block_id: str):
    match = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, flags=re.DOTALL)
    return json.loads(match.group(1))


def _hover_texts(traces: list[dict]) -> list[str]:
    """The sentences shown on hover: customdata[1] of the traces whose points carry a row number."""
    texts = []
    for trace in traces:
        for row in trace.get("customdata") or []:
            if isinstance(row[0], int):
                texts.append(html.unescape(row[1].replace("<br>", " ")))
    return texts


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_pages_are_self_contained(pages):
    for name, page in pages.items():
        tags = re.findall(r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*>", page, flags=re.IGNORECASE)
        for tag in tags:
            assert not re.search(r"""\b(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//""", tag, flags=re.IGNORECASE), (name, tag)
        assert page.count("Plotly.newPlot(") == 1, name  # plotly.js inline, once
        assert "plotly.min.js" not in page and "cdn.plot.ly/plotly" not in page
        assert 3_000_000 < len(page.encode("utf-8")) < 8_000_000, name


def test_pages_have_title_and_description(pages):
    for name, page in pages.items():
        head = page.split("</head>", 1)[0]
        title = re.search(r"<title>(.+?)</title>", head).group(1)
        description = re.search(r'<meta name="description" content="([^"]+)">', head).group(1)
        assert len(title) > 20 and len(description) > 80, name
        assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in head
    assert "held-out hybrid" in re.search(r"<title>(.+?)</title>", pages["validation_explorer.html"]).group(1)


def test_tone_explorer_hovers_show_every_relation_sentence(pages, corpus):
    table = tone_sentence_table(corpus)
    page = pages["tone_explorer.html"]
    traces = _plotly_data(page)
    assert sorted(_hover_texts(traces)) == sorted(_squash(t) for t in table["text"])
    sentence_traces = [t for t in traces if t.get("customdata") and isinstance(t["customdata"][0][0], int)]
    assert {t["name"] for t in sentence_traces} == set(interactive.SPEAKER_NAMES.values())
    assert all("%{customdata[1]}" in t["hovertemplate"] and "hand label" in t["hovertemplate"] for t in sentence_traces)
    rows = _json_block(page, "tone-data")  # the click panel: whole sentences, scores and cues
    assert [r["text"] for r in rows] == table.sort_values(["date", "article_id", "sentence"], kind="stable")["text"].tolist()
    assert all(r["hand"] != "none" for r in rows)  # every seed relation sentence is hand-labelled
    means = next(t for t in traces if t.get("name", "").startswith("article mean"))
    assert [round(m, 3) for m in _values(means["y"])] == [-0.601, 0.354, 0.392, 0.138, 0.375]  # notebook 04's by_article
    assert "error_y" in means


def test_term_explorer_holds_the_keywords_in_context(pages, corpus):
    page = pages["term_explorer.html"]
    data = _json_block(page, "term-data")
    period = mm.split_by_date(corpus, CUTOFF, labels=("before", "after"))
    table = mm.compare_groups(corpus, period, a="before", b="after")
    assert [t[0] for t in data["terms"]] == table["term"].tolist()
    assert "plotly_hover" in page and "plotly_click" in page and 'id="panel-body"' in page
    sentences = mm.sentence_table(corpus)
    side = sentences["article_id"].map(dict(zip(corpus["article_id"], period)))
    by_term = {t[0]: t for t in data["terms"]}
    sample = [*table["term"][::40], "elections", "union state", "pressure"]
    for term in sample:
        entry = by_term[term]
        for k, key in enumerate(("before", "after")):
            kwic = mm.keywords_in_context(sentences[side == key], term, width=60)
            assert entry[5 + 2 * k] == len(kwic), (term, key)
            assert entry[4 + 2 * k] == kwic.head(3)[["left", "match", "right", "article_id"]].values.tolist(), (term, key)
    plain = [c for t in data["terms"] for c in t[4] + t[6] if not re.search(r'[<>&"\\]', "".join(c[:3]))]
    assert all(c[0] in page and c[2] in page for c in plain[:50])  # as written, inside the page


def test_validation_explorer_shows_every_labelled_sentence(pages):
    page = pages["validation_explorer.html"]
    validation = mm.load_validation_set()
    rows = _json_block(page, "validation-data")
    assert len(rows) == len(validation)
    assert sorted(r["text"] for r in rows) == sorted(validation["text"])
    hovers = _hover_texts(_plotly_data(page))
    assert len(hovers) == 2 * len(validation)  # over time, and against the hand label
    assert set(hovers) == {_squash(t) for t in validation["text"]}


def test_tone_explorer_is_deterministic_and_reads_its_csv(pages, corpus, tmp_path):
    table = tone_sentence_table(corpus)
    page = interactive.tone_explorer(table, events=mm.load_events())
    assert page == pages["tone_explorer.html"]  # built again: the same bytes as the page written
    path = tmp_path / "tone_sentences.csv"
    table.to_csv(path, index=False)
    from_csv = pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in ("hand_label", "hand_ambiguous",
                                                                                     "hand_relation", "date")})
    assert sorted(_hover_texts(_plotly_data(interactive.tone_explorer(from_csv, events=mm.load_events())))) == \
        sorted(_hover_texts(_plotly_data(page)))


def test_an_undated_corpus_gets_pages_that_say_why(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "undated"
    folder.mkdir()
    (folder / "a.txt").write_text("Talks stall\n\nMinsk and Moscow agreed to talk. Russia accused Belarus of lying.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Oil deal\n\nRussia cut oil supplies to Belarus.\n", encoding="utf-8")
    monkeypatch.setattr(interactive, "validation_explorer", lambda: "<!DOCTYPE html><title>stub</title>")  # corpus-free
    with pytest.warns(mm.CorpusWarning):
        assert interactive.main(["--corpus", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert "term_explorer.html" in capsys.readouterr().out
    terms = (tmp_path / "out" / "term_explorer.html").read_text(encoding="utf-8")
    assert "not available for this corpus" in terms and "have no date" in terms and '<meta name="description"' in terms
    tone = (tmp_path / "out" / "tone_explorer.html").read_text(encoding="utf-8")
    assert "relation sentence(s) of undated articles are not shown" in tone and "Plotly.newPlot(" in tone
    with pytest.warns(mm.CorpusWarning):
        undated = mm.load_corpus(folder)
    with pytest.raises(ValueError, match="no date"):
        interactive.term_explorer(undated)


def test_json_blocks_cannot_close_their_script():
    assert interactive._json(["</script><b>&"]) == '["\\u003c/script\\u003e\\u003cb\\u003e\\u0026"]'
    assert Path(interactive.__file__).name == "interactive.py"


def test_a_large_corpus_gives_a_light_tone_page(monkeypatch):
    from minsk_moscow import interactive

    monkeypatch.setattr(interactive, "MAX_EXPLORER_SENTENCES", 50)
    n = 400
    table = pd.DataFrame({"article_id": [f"a{i % 40}" for i in range(n)], "date": ["2020-08-05"] * n,
                          "sentence": range(n), "text": [f"Minsk and Moscow agreed on deal {i}." for i in range(n)],
                          "speaker_side": ["reporter"] * n, "tone": [0.5] * n})
    page = interactive.tone_explorer(table)
    assert "random sample of 50 of the 400 dated relation sentences" in page
    assert page.count("Minsk and Moscow agreed on deal") < 2 * 60  # drawn points and their detail rows only


def test_the_term_explorer_says_how_many_of_the_compared_terms_it_draws(corpus) -> None:
    from minsk_moscow.interactive import term_explorer

    compared = mm.compare_groups(corpus, mm.split_by_date(corpus, "2020-08-09", labels=("before", "after"),
                                                          undated="leave out"), a="before", b="after")
    page = term_explorer(corpus, cutoff="2020-08-09", max_terms=100)
    assert f"100 of {len(compared):,} terms drawn" in page


def test_only_the_pages_asked_for_are_written(tmp_path):
    from minsk_moscow.interactive import main, write_interactive

    assert main(["--out", str(tmp_path), "--pages", "validation_explorer.html"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["validation_explorer.html"]
    with pytest.raises(ValueError, match="no such interactive page: tone.html"):
        write_interactive(out_dir=tmp_path, pages=["tone.html"])
