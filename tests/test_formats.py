"""The format readers behind load_corpus: bytes, HTML, Markdown, tables, dates (inputs built here)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pandas as pd
import pytest

from minsk_moscow import formats

TEXT = "Lukashenko’s “union state”: Minsk & Moscow met.\nThey agreed.\n"


# ---------------------------------------------------------------- decoding
@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (byte-order mark)"),
        (TEXT.encode("utf-16"), "UTF-16 (byte-order mark)"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16 (byte-order mark)"),
        (TEXT.encode("utf-32"), "UTF-32 (byte-order mark)"),
        (TEXT.encode("utf-16-le"), "UTF-16 LE (no byte-order mark; recognised by its NUL bytes)"),
        (TEXT.encode("utf-16-be"), "UTF-16 BE (no byte-order mark; recognised by its NUL bytes)"),
    ],
)
def test_decode_text(data, label):
    assert formats.decode_text(data) == (TEXT, label)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("«no»".encode("latin-1"), "not valid UTF-8: byte 0xab at offset 0"),
        (b"\xff\xfe\x00\xd8", "starts with a UTF-16 byte-order mark but is not valid UTF-16"),
        ("Minsk and Moscow met.".encode("utf-16-le") + b"\x00\xd8" + b"c\x00",
         "looks like UTF-16 (many NUL bytes) but is not valid UTF-16-LE"),
    ],
)
def test_decode_text_says_what_is_wrong(data, message):
    with pytest.raises(formats.FormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        formats.decode_text(data)


# ---------------------------------------------------------------- HTML
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("  <!-- saved page -->\n<html lang='en'>", True),
        ("<p>One.</p><p>Two.</p><br/>", True),
        ("<div class='a'>x</div> and <span>y</span>", True),
        ("Profits rose <5%> while a<b and b>c.", False),
        ("He wrote <p> once in a quote.", False),
        ("", False),
    ],
)
def test_looks_like_html(text, expected):
    assert formats.looks_like_html(text) is expected


def test_html_fragment_without_main_text_falls_back_to_visible_text():
    page = formats.html_to_text("<div>Minsk</div><script>var a = 1;</script><div>Moscow</div>", metadata=False)
    assert page.text == "Minsk\n\nMoscow" and page.method.startswith("all visible text")


@pytest.mark.parametrize("markup", ["", "<html></html>", "<!-- nothing -->"])
def test_html_without_any_text(markup):
    assert formats.html_to_text(markup, metadata=False).text == ""


# ---------------------------------------------------------------- Markdown
@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**bold** and __strong__ and *em* and _em_", "bold and strong and em and em"),
        ("a snake_case_name stays", "a snake_case_name stays"),
        ("[text](https://x.org) and [ref][1]\n\n[1]: https://y.org", "text and ref"),
        ("before ![alt](pic.png) after", "before  after"),
        ("Title\n=====\n\nBody.", "# Title\n\nBody."),
        ("## Sub ##\nText.", "## Sub\n\nText."),
        ("> quoted line\n> more", "quoted line\nmore"),
        ("1. first\n2. second", "first\n\nsecond"),
        ("```\ncode here\n```\nafter", "code here\n\nafter"),
        ("a\n\n---\n\nb", "a\n\nb"),
        ("see <https://x.org> now", "see https://x.org now"),
        ("a `code` mark<br>and ~~gone~~ [^1]", "a code markand gone"),
    ],
)
def test_markdown_to_text(markdown, expected):
    assert formats.markdown_to_text(markdown)[0] == expected


def test_markdown_front_matter():
    text, fields = formats.markdown_to_text("---\ntitle: 'A: deal'\nDate: 2020-09-14\nempty:\n---\n\nBody.\n")
    assert text == "Body." and fields == {"title": "A: deal", "date": "2020-09-14"}
    assert formats.markdown_to_text("Body.\n---\ntitle: x\n---\n")[1] == {}  # only at the top


# ---------------------------------------------------------------- tables
def test_read_table_cells_are_strings(tmp_path):
    frame = pd.DataFrame({
        "id": [1, 2],
        "when": pd.to_datetime(["2020-08-05 10:00", None]),
        "authors": [["A", "B"], []],
        "score": [1.5, float("nan")],
        "text": ["x", None],
    })
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    table = formats.read_table(tmp_path / "t.parquet")
    assert table.to_dict("records") == [
        {"id": "1", "when": "2020-08-05T10:00:00", "authors": "A; B", "score": "1.5", "text": "x"},
        {"id": "2", "when": "", "authors": "", "score": "", "text": ""},
    ]


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        ('[{"text": "a"}, {"text": "b", "extra": 1}]', [{"text": "a", "extra": ""}, {"text": "b", "extra": "1"}]),
        ('{"text": "a",\n "title": "t"}', [{"text": "a", "title": "t"}]),
        ('{"text": "a"}\n\n{"title": "t"}\n', [{"text": "a", "title": ""}, {"text": "", "title": "t"}]),
    ],
)
def test_read_table_json_shapes(tmp_path, content, rows):
    (tmp_path / "t.json").write_text(content, encoding="utf-8")
    assert formats.read_table(tmp_path / "t.json").to_dict("records") == rows


@pytest.mark.parametrize(
    ("name", "content", "problems"),
    [
        ("t.jsonl", '{"text": 1}\n[1]\n{bad\n', [("line 2", "not a JSON object"), ("line 3", "not JSON")]),
        ("t.json", '[{"text": 1}, 2]', [("item 2", "not a JSON object")]),
        ("t.csv", "", [("", "the table is empty")]),
        ("t.csv", 'a,b\n"x,y\n', [("", "cannot read the CSV table")]),
    ],
)
def test_read_table_problems(tmp_path, name, content, problems):
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(formats.FormatError) as info:
        formats.read_table(tmp_path / name)
    got = info.value.problems
    assert len(got) == len(problems)
    assert all(w == ew and m.startswith(em) for (w, m), (ew, em) in zip(got, problems)), got


def test_read_table_utf16_csv(tmp_path):
    (tmp_path / "t.csv").write_bytes("text,title\nMinsk,Ü\n".encode("utf-16"))
    assert formats.read_table(tmp_path / "t.csv").to_dict("records") == [{"text": "Minsk", "title": "Ü"}]


@pytest.mark.parametrize(
    ("columns", "overrides", "expected"),
    [
        (["Body", "Headline", "PubDate"], None, {"text": "Body", "title": "Headline", "date": "PubDate"}),
        (["full-text", "Site Name"], None, {"text": "full-text", "outlet": "Site Name"}),
        (["text", "body"], None, {"text": "text"}),  # the first alias wins
        (["story", "uuid"], {"text": "story"}, {"text": "story", "article_id": "uuid"}),
    ],
)
def test_map_columns(columns, overrides, expected):
    assert formats.map_columns(columns, overrides) == expected


def test_map_columns_errors():
    with pytest.raises(formats.FormatError, match="no text column.*columns found: a, b"):
        formats.map_columns(["a", "b"])
    with pytest.raises(formats.FormatError, match="no column 'c'.*columns found: a, b"):
        formats.map_columns(["a", "b"], {"text": "c"})
    with pytest.raises(ValueError, match="unknown field"):
        formats.map_columns(["a"], {"txt": "a"})
    assert set(formats.TABLE_COLUMNS) == {"text", "title", "date", "url", "outlet", "author", "article_id"}


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-08-05", (2020, 8, 5)),
        ("2020-08-05T23:30:00+03:00", (2020, 8, 5)),
        ("2020-08-05 10:00:00.123Z", (2020, 8, 5)),
        ("2020/8/5", (2020, 8, 5)),
        ("Wed, 05 Aug 2020 10:00:00 GMT", (2020, 8, 5)),
        ("Saturday, 15 August 2020", (2020, 8, 15)),
        ("Aug. 5, 2020", (2020, 8, 5)),
    ],
)
def test_parse_any_date(value, expected):
    assert formats.parse_any_date(value) == datetime.date(*expected)


@pytest.mark.parametrize(("value", "message"), [("05/08/2020", "unrecognised date"), ("2020-02-30", "impossible date"),
                                                ("soon", "unrecognised date"), ("February 30, 2020", "impossible")])
def test_parse_any_date_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        formats.parse_any_date(value)


@pytest.mark.parametrize(("date", "ok"), [((1500, 1, 1), False), ((1677, 9, 21), False), ((1677, 9, 22), True),
                                          ((2262, 4, 11), True), ((2262, 4, 12), False), ((2300, 1, 1), False)])
def test_check_date_range(date, ok):
    day = datetime.date(*date)
    if ok:
        assert formats.check_date_range(day) == day
        pd.Timestamp(day).as_unit("ns")
    else:
        with pytest.raises(ValueError, match=r"outside the range pandas can hold \(1677–2262\)"):
            formats.check_date_range(day)


def test_entities():
    assert formats.has_entities("a &amp; b &#39;c&#39; &nbsp;") and not formats.has_entities("AT&T and R&D")
    assert formats.unescape_entities("a &amp; b&nbsp;c &#8220;d&#8221;") == "a & b c “d”"


def test_json_rows_keep_json_types_as_text(tmp_path):
    (tmp_path / "t.jsonl").write_text(json.dumps({"text": "x", "meta": {"a": 1}, "n": 2.0, "ok": True}) + "\n",
                                      encoding="utf-8")
    assert formats.read_table(tmp_path / "t.jsonl").iloc[0].to_dict() == {"text": "x", "meta": '{"a": 1}', "n": "2",
                                                                          "ok": "True"}
    assert Path(tmp_path / "t.jsonl").exists()
