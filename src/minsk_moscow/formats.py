"""Readers for the file formats :func:`~minsk_moscow.corpus.load_corpus` accepts.

Pure conversions, each from bytes or a string to text and the facts a file states; they raise
:class:`FormatError` (a ``ValueError``) with a message, and the loader names the file:

- :func:`decode_text`: UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with a
  byte-order mark, and UTF-16 without one (recognised by its many NUL bytes).
- :func:`looks_like_html` and :func:`html_to_text`: the article text of an HTML page or
  fragment (trafilatura, precision first; all visible text when it finds no main text) and
  the page's title, date, URL, author and site name.
- :func:`markdown_to_text`: Markdown made plain (emphasis, links, images, code marks, lists,
  quotes and rules stripped; headings kept as ``# heading`` lines for the cleaner, which takes
  the first as the title and drops the others as subheadings) and the front matter's fields.
- :func:`read_table` and :func:`map_columns`: a table of articles (``.csv``, ``.jsonl``,
  ``.json``, ``.parquet``) as strings, and which of its columns holds what
  (:data:`TABLE_COLUMNS`).
- :func:`parse_any_date`: the dates news databases export (ISO dates and times, RFC 2822,
  and every form :func:`~minsk_moscow.text.parse_date` reads), checked against the range
  pandas can hold.

Examples
--------
>>> decode_text("Minsk".encode("utf-16"))
('Minsk', 'UTF-16 (byte-order mark)')
>>> markdown_to_text("---\\ntitle: A deal\\n---\\n**Minsk** signed [a deal](https://x.org).\\n")
('Minsk signed a deal.', {'title': 'A deal'})
>>> map_columns(["Headline", "body", "published_at"])
{'text': 'body', 'title': 'Headline', 'date': 'published_at'}
>>> parse_any_date("2020-08-05T10:00:00Z"), parse_any_date("Wed, 05 Aug 2020 10:00:00 GMT")
(datetime.date(2020, 8, 5), datetime.date(2020, 8, 5))
"""

from __future__ import annotations

import datetime
import email.utils
import html as html_lib
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .text import parse_date

__all__ = [
    "ARTICLE_SUFFIXES",
    "TABLE_COLUMNS",
    "TABLE_SUFFIXES",
    "FormatError",
    "HtmlText",
    "check_date_range",
    "decode_text",
    "has_entities",
    "html_to_text",
    "looks_like_html",
    "map_columns",
    "markdown_to_text",
    "parse_any_date",
    "read_table",
    "unescape_entities",
]

ARTICLE_SUFFIXES: dict[str, str] = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}
"""Article files a corpus folder may hold (suffix, any case) and how each is read."""

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".jsonl", ".json", ".parquet")
"""Table files :func:`~minsk_moscow.corpus.load_corpus` reads as one article per row."""

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publish_date", "published_at", "pubdate"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "publisher", "media", "site_name"),
    "author": ("author", "authors", "byline"),
    "article_id": ("article_id", "id", "doc_id", "uuid"),
}
"""Which column of a table of articles fills which field: the first name of each tuple that
the table has, compared without regard to case, spaces or hyphens (``Full Text`` is
``full_text``). Only ``text`` is required. ``columns={"text": "story", ...}`` overrides."""


class FormatError(ValueError):
    """A file cannot be read as its format says; ``problems`` lists ``(where, message)`` pairs,
    ``where`` relative to the file (``""``, ``"line 3"``...)."""

    def __init__(self, problems: Iterable[tuple[str, str]] | str) -> None:
        self.problems = [("", problems)] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(f"{w}: {m}" if w else m for w, m in self.problems))


# =========================================================================== bytes -> text
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 (byte-order mark)"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 (byte-order mark)"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 (byte-order mark)"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 (byte-order mark)"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 (byte-order mark)"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when NUL bytes fill one byte of most pairs (ASCII-range UTF-16)."""
    if len(data) < 4:
        return None
    half = len(data) // 2
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes: ``(text, encoding)``, the byte-order mark removed.

    UTF-8 is the default; a byte-order mark announces UTF-8, UTF-16 or UTF-32, and UTF-16
    without one is recognised by its NUL bytes (every other byte of ASCII-range text).

    Raises
    ------
    FormatError
        Bytes that are none of these, with the offset of the first bad byte.

    >>> decode_text(b"\\xef\\xbb\\xbfMinsk")
    ('Minsk', 'UTF-8 (byte-order mark)')
    >>> decode_text("Minsk".encode("utf-16-le"))
    ('Minsk', 'UTF-16 LE (no byte-order mark; recognised by its NUL bytes)')
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), label
            except UnicodeDecodeError as exc:
                raise FormatError(f"starts with a {label.split()[0]} byte-order mark but is not valid "
                                  f"{label.split()[0]}: {exc.reason} at offset {exc.start + len(bom)}") from None
    codec = _utf16_without_bom(data) if b"\x00" in data else None  # NULs are valid UTF-8: look first
    if codec:
        label = f"UTF-16 {codec[-2:].upper()} (no byte-order mark; recognised by its NUL bytes)"
        try:
            return data.decode(codec), label
        except UnicodeDecodeError as exc:
            raise FormatError(f"looks like UTF-16 (many NUL bytes) but is not valid {codec.upper()}: "
                              f"{exc.reason} at offset {exc.start}") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} ({exc.reason})"
        ) from None


# =========================================================================== HTML
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|b|i|em|strong|u|ul|ol|li|h[1-6]|table|tbody|tr|td|th|img|script|style|body|head|"
    r"meta|link|article|section|header|footer|nav|figure|figcaption|blockquote|iframe|noscript|time|aside|main|"
    r"form|input|button|picture|source|svg)\b[^<>]*/?>",
    re.I,
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 table tr td th blockquote article section header footer nav figure "
    "figcaption aside main pre hr dd dt dl".split()
)


def looks_like_html(text: str) -> bool:
    """True for an HTML page (``<!doctype html>``, ``<html>``...) or text with three or more HTML tags.

    >>> looks_like_html("<p>Minsk</p><p>Moscow</p><br>"), looks_like_html("Profits rose <5%>.")
    (True, False)
    """
    if _HTML_START.match(text[:4000]):
        return True
    return any(found >= 3 for found, _ in enumerate(_HTML_TAG.finditer(text), start=1))


@dataclass(frozen=True)
class HtmlText:
    """What :func:`html_to_text` finds: paragraphs separated by blank lines, and the page's facts."""

    text: str
    title: str = ""
    date: str = ""
    url: str = ""
    author: str = ""
    sitename: str = ""
    method: str = "trafilatura"


def _visible_text(markup: str) -> str:
    """Every visible text of an HTML page or fragment, one line per block element."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    return root.text_content()


def html_to_text(markup: str, *, metadata: bool = True) -> HtmlText:
    """The article text of an HTML page or fragment, paragraphs separated by a blank line.

    The main text comes from ``trafilatura.extract(markup, include_comments=False,
    include_tables=False, favor_precision=True)`` (menus, footers, scripts and comments left
    out, entities decoded); when trafilatura finds no main text, every visible text is taken
    (``method`` says which). With ``metadata``, title, date (``YYYY-MM-DD``), URL, author and
    site name come from ``trafilatura.extract_metadata``.

    >>> html_to_text("<div class='x'><p>Minsk &amp; Moscow met.</p><p>They agreed.</p></div>").text
    'Minsk & Moscow met.\\n\\nThey agreed.'
    """
    import trafilatura

    body = trafilatura.extract(markup, include_comments=False, include_tables=False, favor_precision=True)
    method = "trafilatura"
    if not body or not body.strip():
        body, method = _visible_text(markup), "all visible text (trafilatura found no main text)"
    lines = (" ".join(line.split()) for line in body.splitlines())
    text = "\n\n".join(line for line in lines if line)
    if not metadata:
        return HtmlText(text, method=method)
    meta = trafilatura.extract_metadata(markup)
    return HtmlText(
        text,
        title=(meta.title or "").strip(),
        date=(meta.date or "").strip(),
        url=(meta.url or "").strip(),
        author=(meta.author or "").strip(),
        sitename=(meta.sitename or "").strip(),
        method=method,
    )


# =========================================================================== Markdown
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_INLINE = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote marks
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code marks
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])"), r"\1"),  # _emphasis_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strike-through
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # backslash escapes
)


def _front_matter(block: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.splitlines():
        match = _FRONT_FIELD.match(line)
        if match and match.group(2):
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            fields[match.group(1).lower()] = value.strip()
    return fields


def _inline(line: str) -> str:
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return line


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Markdown as plain text for the cleaner, and the fields of its front matter.

    Emphasis, code marks, link targets, images, footnote marks, inline HTML, list markers,
    quote marks and rules are removed; each list item becomes its own paragraph. Headings stay
    as ``# heading`` lines set off by blank lines (the cleaner takes the first as the title
    and drops the others as subheadings, recording each). The front matter (``---`` lines at
    the top) gives ``{field: value}`` (``title``, ``date``, ``author``...; lower-cased names).

    >>> markdown_to_text("# Deal\\n\\n![x](y.jpg)\\n- *One* item.\\n- Two [items](z).")
    ('# Deal\\n\\nOne item.\\n\\nTwo items.', {})
    """
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    fields: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        fields = _front_matter(front.group(1))
        text = text[front.end():]
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            out.append(line)
            continue
        if _SETEXT.match(line) and out and out[-1].strip() and not _ATX.match(out[-1]):
            out[-1] = "# " + out[-1].strip()  # "Title\n=====": a heading
            out.append("")
            continue
        if _RULE.match(line) or _REF_DEFINITION.match(line):
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        heading = _ATX.match(line)
        if heading:
            out += ["", "#" * len(heading.group(1)) + " " + _inline(heading.group(2)).strip(), ""]
            continue
        if _LIST_ITEM.match(line):
            out += ["", _inline(_LIST_ITEM.sub("", line)).strip()]
            continue
        out.append(_inline(line).strip())
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return body, fields


# =========================================================================== tables
def _cell(value: Any) -> str:
    """A table cell as text: ``""`` for missing values, ISO dates, ``"; "``-joined lists."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (pd.Timestamp, datetime.datetime, datetime.date)):
        return "" if pd.isna(value) else value.isoformat()
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, (int, bool))):
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, list):
            return "; ".join(_cell(v) for v in items if _cell(v))
        return _cell(items)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _json_rows(text: str) -> list[dict[str, Any]]:
    """Rows of a JSON array of objects, one JSON object, or JSON lines (one object a line)."""
    stripped = text.strip()
    if not stripped:
        raise FormatError("the table is empty")
    if stripped[0] in "[{":
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, list):
            bad = [(f"item {i + 1}", "not a JSON object") for i, item in enumerate(whole) if not isinstance(item, dict)]
            if bad:
                raise FormatError(bad)
            return whole
        if isinstance(whole, dict):
            return [whole]
    rows: list[dict[str, Any]] = []
    problems: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append((f"line {number}", f"not JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(item, dict):
            problems.append((f"line {number}", "not a JSON object"))
            continue
        rows.append(item)
    if problems:
        raise FormatError(problems)
    return rows


def read_table(path: str | Path) -> pd.DataFrame:
    """A table of articles as strings: ``.csv``, ``.jsonl``/``.json`` (JSON lines, or an array
    of objects) or ``.parquet``; one row per article, columns as the file names them.

    Missing values are ``""``; dates and times are ISO strings; lists (``authors``) are joined
    with ``"; "``. CSV and JSON may be UTF-8 or UTF-16 (see :func:`decode_text`).

    Raises
    ------
    FormatError
        A file that cannot be parsed; for JSON lines, every bad line by number.
    OSError
        A file that cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            frame = pq.read_table(path).to_pandas()
        except (pa.ArrowException, ValueError) as exc:
            raise FormatError(f"cannot read the Parquet file: {exc}") from None
    elif suffix in (".csv", ".jsonl", ".json"):
        data = path.read_bytes()
        if not data.strip():
            raise FormatError("the table is empty")
        text, _ = decode_text(data)
        if suffix == ".csv":
            try:
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
                raise FormatError(f"cannot read the CSV table: {' '.join(str(exc).split())}") from None
        else:
            rows = _json_rows(text)
            columns = list(dict.fromkeys(key for row in rows for key in row))
            # built column by column as objects: JSON strings may hold lone surrogates, which
            # pandas' Arrow-backed strings refuse
            cells = {str(c).strip(): [_cell(row.get(c)) for row in rows] for c in columns}
            return pd.DataFrame(cells, dtype=object, columns=list(cells))
    else:
        raise FormatError(f"not a table file: tables are {', '.join(TABLE_SUFFIXES)}")
    cells = {str(c).strip(): [_cell(v) for v in frame[c].tolist()] for c in frame.columns}
    return pd.DataFrame(cells, dtype=object, columns=list(cells))


def _column_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().casefold())


def map_columns(columns: Sequence[str], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Which column of a table fills which field (see :data:`TABLE_COLUMNS`): ``{field: column}``.

    ``overrides`` (``{"text": "story"}``) name columns for fields outright. Fields the table
    lacks are left out.

    Raises
    ------
    ValueError
        An override for a field that is not one of :data:`TABLE_COLUMNS`.
    FormatError
        No column for ``text``, or an override naming a column the table lacks (the message
        lists the columns found).

    >>> map_columns(["id", "Full Text", "source"], {"title": "id"})
    {'text': 'Full Text', 'title': 'id', 'outlet': 'source', 'article_id': 'id'}
    """
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(TABLE_COLUMNS))
    if unknown:
        raise ValueError(f"unknown field(s) in columns=: {', '.join(unknown)}; the fields are {', '.join(TABLE_COLUMNS)}")
    found = ", ".join(columns) or "none"
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_column_key(column), column)
    mapping: dict[str, str] = {}
    for field, aliases in TABLE_COLUMNS.items():
        if field in overrides:
            name = overrides[field]
            if name not in columns:
                raise FormatError(f"no column {name!r} (named for {field} in columns=); columns found: {found}")
            mapping[field] = name
            continue
        for alias in aliases:
            if alias in by_key:
                mapping[field] = by_key[alias]
                break
    if "text" not in mapping:
        raise FormatError(f"no text column (looked for {', '.join(TABLE_COLUMNS['text'])}; name it with "
                          f"columns={{'text': ...}}); columns found: {found}")
    return mapping


# =========================================================================== dates
_ISO_DATE_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.I,
)
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_PANDAS_MIN = pd.Timestamp.min.date()
_PANDAS_MAX = pd.Timestamp.max.date()


def check_date_range(date: datetime.date) -> datetime.date:
    """``date`` itself, or ``ValueError`` when pandas cannot hold it (before 1677-09-22, after 2262-04-11).

    >>> check_date_range(datetime.date(1500, 1, 1))
    Traceback (most recent call last):
    ...
    ValueError: date 1500-01-01 is outside the range pandas can hold (1677–2262)
    """
    if not _PANDAS_MIN < date <= _PANDAS_MAX:
        raise ValueError(f"date {date.isoformat()} is outside the range pandas can hold (1677–2262)")
    return date


def parse_any_date(value: str) -> datetime.date:
    """The calendar date of a date or timestamp as news databases export them.

    ISO dates with or without a time and zone (the date as written, not converted to UTC),
    ``YYYY/MM/DD``, RFC 2822 (``Wed, 05 Aug 2020 10:00:00 GMT``) and what
    :func:`~minsk_moscow.text.parse_date` reads. Day-first or month-first numeric dates
    (``05/08/2020``) are ambiguous and rejected.

    Raises
    ------
    ValueError
        Naming the value.

    >>> parse_any_date("2020-08-05 23:30:00+03:00"), parse_any_date("Aug. 5, 2020")
    (datetime.date(2020, 8, 5), datetime.date(2020, 8, 5))
    """
    text = value.strip()
    match = _ISO_DATE_TIME.fullmatch(text) or _SLASHED.fullmatch(text)
    if match:
        y, m, d = map(int, match.groups())
        try:
            return datetime.date(y, m, d)
        except ValueError as exc:
            raise ValueError(f"impossible date {value!r}: {exc}") from None
    try:
        return parse_date(text)
    except ValueError as exc:
        if str(exc).startswith("impossible"):
            raise
    try:
        stamp = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        stamp = None
    if stamp is not None:
        return stamp.date()
    raise ValueError(f"unrecognised date {value!r}")


def unescape_entities(text: str) -> str:
    """``text`` with HTML entities (``&amp;``, ``&#39;``, ``&nbsp;``...) decoded.

    >>> unescape_entities("Minsk &amp; Moscow&nbsp;met")
    'Minsk & Moscow met'
    """
    return html_lib.unescape(text).replace("\u00a0", " ")


_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")


def has_entities(text: str) -> bool:
    """True when ``text`` holds an HTML entity such as ``&amp;`` or ``&#39;``.

    >>> has_entities("Minsk &amp; Moscow"), has_entities("AT&T")
    (True, False)
    """
    return bool(_ENTITY.search(text))
