"""Loading articles, with their metadata, as a tidy DataFrame: one row per article.

:func:`load_corpus` takes a **folder** of article files or **one table file** of articles.

Folders
-------
Every article file in the folder and its subfolders is read, whatever the case of its suffix:

- ``.txt``: scraped text, cleaned by :func:`~minsk_moscow.text.clean_article`. A ``.txt``
  file that is really an HTML page (it starts with ``<!doctype html>``/``<html>`` or holds
  three or more HTML tags) is read as ``.html`` is, with a warning.
- ``.md``: Markdown made plain (emphasis, links, images, code marks, lists stripped; see
  :func:`~minsk_moscow.formats.markdown_to_text`), then cleaned; the front matter's
  ``title``, ``date``, ``author``, ``url`` and ``outlet`` (or ``source``) are used.
- ``.html``, ``.htm``: the article text as trafilatura extracts it (menus, footers, scripts,
  comments and tables left out; :func:`~minsk_moscow.formats.html_to_text`), one paragraph
  per block, then cleaned; title, date, URL, author and site name come from the page's
  metadata.

Files may be UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 (see
:func:`~minsk_moscow.formats.decode_text`). An optional metadata table ``articles.csv`` (see
:data:`METADATA_COLUMNS`) gives each file's facts; its ``file`` column names files by their
path inside the folder (``sub/a.txt``). Without a row, a file's title, date and URL come from
what it states (masthead and dateline, front matter, HTML metadata).

**Ids.** A file's id is its path inside the folder without the suffix, subfolders joined by
``__`` (``sub/a.txt`` -> ``sub__a``); characters of the file name that are not valid UTF-8 or
not printable are shown escaped (``bad\\xff.txt``, id ``bad_xff``). Ids must be unique up to
case: ``a.txt`` beside ``a.TXT`` or ``a.md`` is an error naming both.

**Not read**, each recorded (see below): hidden files and folders (``.git``,
``.ipynb_checkpoints``, ``.DS_Store``: noted only), the project's own tables beside the seeds
(:data:`COMPANION_FILES`: noted only), and, with a warning, files of other formats (named with
their suffix), other tables (load a table on its own), broken or looping symbolic links,
FIFOs, sockets and devices (never opened), and folders named like an article file that hold
none. A symbolic link to a folder already read is not followed again.

Table files
-----------
``.csv``, ``.jsonl``, ``.json`` (JSON lines or an array of objects) and ``.parquet``: one row
per article, as news databases export them. Columns are found by name
(:data:`~minsk_moscow.formats.TABLE_COLUMNS`, ignoring case, spaces and hyphens):

==============  =====================================================================
field           accepted column names (the first the table has is used)
==============  =====================================================================
``text``        text, body, content, article, full_text (**required**)
``title``       title, headline
``date``        date, published, publish_date, published_at, pubdate
``url``         url, link
``outlet``      outlet, source, publisher, media, site_name
``author``      author, authors, byline
``article_id``  article_id, id, doc_id, uuid
==============  =====================================================================

``load_corpus(path, columns={"text": "story", "date": "when"})`` names columns outright.
Without an id column (or for an empty id cell) the id is the table's name and the row number,
zero-padded to the width of the row count (``export-0017``): stable as long as the rows keep
their order. Rows are numbered from 1 after the header; a problem names its row
(``export.csv row 17 (id a17)``). Text that holds HTML is extracted as an ``.html`` page is
(with a warning); HTML entities (``&amp;``) are decoded; lone surrogates from JSON are
replaced by U+FFFD. A text without blank lines takes each line as a paragraph. Dates may be
ISO dates or timestamps, RFC 2822 or what :func:`~minsk_moscow.text.parse_date` reads.

The frame
---------
Columns ``article_id, title, outlet, site, author, date, date_basis, date_note, url, text,
file, metadata_source, n_paragraphs, n_sentences, n_words, n_raw_chars, n_removed_chars,
removed``, then ``language`` (ISO 639-1 code of the clean text, ``""`` when it holds fewer
than :data:`LANGUAGE_MIN_LETTERS` letters; see :func:`detect_language`) and ``duplicate_of``
(the id of an earlier article, in the frame's order, with the same clean text; ``""``
otherwise). Rows are sorted by date, then id. :func:`english_only` keeps the English ones.

Problems and notes
------------------
Problems are never skipped quietly. Everything that makes the corpus untrustworthy (empty,
unreadable or undecodable files, rows without files, files without rows, duplicate ids, bad
or impossible dates, articles that are all boilerplate, table rows without text) is collected
and raised together as one :class:`CorpusError` naming each file or row and what is wrong.
Things kept but worth knowing (missing dates, files not read, identical texts, articles not in
English, HTML found in a ``.txt`` file or a table cell, bad file names) are reported in one
:class:`CorpusWarning` per kind. Every note, warned or not (also UTF-16 decoding, HTML
extraction, metadata taken from the text, subfolders, hidden files, the table columns used),
is recorded on the frame ``load_corpus`` returns: :func:`load_notes` gives them as a table
``file, kind, message`` (kinds: :data:`NOTE_KINDS`).

Examples
--------
>>> corpus = load_corpus()
>>> corpus[["article_id", "date_basis", "language"]].head(2).values.tolist()
[['mt-2020-08-05', 'stated', 'en'], ['ft-2020-08-15', 'stated', 'en']]
>>> load_notes(corpus)["kind"].unique().tolist()
['companion']
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from .cache import _arrow_offsets, _arrow_texts
from .config import unlisted_policy
from .formats import (
    ARTICLE_SUFFIXES,
    TABLE_COLUMNS,
    TABLE_SUFFIXES,
    FormatError,
    check_date_range,
    decode_text,
    has_entities,
    html_to_text,
    looks_like_html,
    map_columns,
    markdown_to_text,
    parse_any_date,
    read_table,
    unescape_entities,
)
from .parallel import _chunk_size, collector_paused, imap_batches, imap_chunks, release_memory
from .paths import EVENTS_FILE, METADATA_FILE, TONE_LABELS_FILE, corpus_dir
from .text import (
    CleanedArticle,
    Removal,
    _sentences_by_paragraph,
    clean_article,
    count_words,
    normalize_characters,
    parse_date,
    sentences_by_paragraph,
    split_paragraphs,
    tokenize,
)

__all__ = [
    "COMPANION_FILES",
    "LANGUAGE_MIN_LETTERS",
    "METADATA_COLUMNS",
    "NOTE_KINDS",
    "TABLE_COLUMNS",
    "CorpusError",
    "CorpusWarning",
    "detect_language",
    "display_groups",
    "english_only",
    "load_corpus",
    "load_notes",
    "merge_by_group",
    "non_english_note",
    "paragraph_table",
    "read_article",
    "read_metadata",
    "removal_table",
    "sentence_table",
    "spelling_variant_counts",
    "token_counts",
]

METADATA_COLUMNS: dict[str, str] = {
    "article_id": "stable, unique id used in every table and figure (required)",
    "file": "name of the article file, its path inside the corpus folder (required)",
    "title": "headline (required)",
    "outlet": "who published the article (wire agency in brackets)",
    "site": "where the scraped copy came from, when it differs from the outlet",
    "author": "author(s), separated by '; ' ('' when the text names none)",
    "date": "publication date, YYYY-MM-DD (required)",
    "date_basis": "'stated' (printed in the text) or 'inferred' (required)",
    "date_note": "how the date is known; the reason is required when inferred",
    "url": "original URL with scraping breaks repaired ('' when unknown)",
}
DATE_BASES = ("stated", "inferred")
COMPANION_FILES: tuple[str, ...] = (EVENTS_FILE.name, TONE_LABELS_FILE.name)
"""Tables the project keeps beside the seed articles; in a corpus folder they are noted, not warned about."""
LANGUAGE_MIN_LETTERS = 50
"""A text with fewer letters gets language ``""``: too short to tell."""
NOTE_KINDS: dict[str, str] = {
    "skipped": "an entry of the folder not read: other format, table, broken or looping link, FIFO... (warned)",
    "file_name": "a file name that is not valid UTF-8 or not printable, shown escaped (warned)",
    "html": "article text extracted from HTML (warned when a .txt file or a table cell held it)",
    "duplicate": "the same clean text as an earlier article; kept, see duplicate_of (warned)",
    "language": "an article not in English (warned; see english_only)",
    "unlisted": "a file without a row in the metadata table, its facts taken from its text (warned)",
    "undated": "an article without a date (warned)",
    "hidden": "a hidden file or folder, not read",
    "companion": "a table beside the articles that is not an article: COMPANION_FILES, an unused metadata table",
    "subfolder": "an article read from a subfolder (its id keeps the folder)",
    "encoding": "a file decoded as UTF-16 or UTF-32",
    "inferred_metadata": "title, date or URL taken from the article itself",
    "cleaning": "a non-English text the cleaner found no sentence in, kept paragraph by paragraph",
    "columns": "which columns of a table file were read as which field",
    "generated_id": "ids made from row numbers for table rows without one",
    "repaired": "HTML entities decoded or lone surrogates replaced in a table cell",
}
"""Every kind of note :func:`load_notes` lists, and what it means."""
PARALLEL_MIN_ITEMS = 2_000
"""Fewer files or rows than this are read in this process (see :func:`~minsk_moscow.parallel.map_chunks`)."""

_OUTLET_HINTS = {"themoscowtimes.com": "The Moscow Times", "ft.com": "Financial Times", "From the MT:": "The Moscow Times"}
_WARNED_KINDS = ("skipped", "file_name", "html", "duplicate", "language")
_WARNING_LIST_MAX = 20
_NOTES_ATTR = "load_notes"


class _Notes(tuple):
    """The load notes on a frame's ``attrs``: a tuple that copies as itself.

    pandas deep-copies ``attrs`` into every frame or column it derives (a selection, a sort, a
    column read...). The notes never change, so sharing them is safe, and a copy of 100,000
    articles' notes on every such step cost about half a second each.
    """

    __slots__ = ()

    def __copy__(self) -> _Notes:
        return self

    def __deepcopy__(self, memo: dict) -> _Notes:
        return self

Note = tuple[str, str, str, bool]
"""(file, kind, message, warned)"""


class CorpusError(ValueError):
    """The corpus cannot be trusted as it is; ``problems`` lists ``(file, message)`` pairs."""

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {where}: {what}" for where, what in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the corpus:\n{lines}")


class CorpusWarning(UserWarning):
    """Something the loader kept but a reader should know about (e.g. a missing date)."""


# =========================================================================== small helpers
def _shown(name: str) -> str:
    """``name`` printable: bytes that are not UTF-8 as ``\\xff``, other unprintable characters as ``\\u200b``."""
    if name.isprintable():
        return name
    out = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (os.fsdecode's surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """``text`` with every lone surrogate (JSON can hold them) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _file_id(shown: str) -> str:
    """The id of a file from its (printable) path inside the folder: ``sub/a.txt`` -> ``sub__a``."""
    stem = shown.rsplit(".", 1)[0] if "." in shown.rsplit("/", 1)[-1] else shown
    return stem.replace("/", "__").replace("\\", "_")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding of a file's bytes; CorpusError naming the file when they are not text."""
    if not data:
        raise CorpusError([(name, "the file is empty (0 bytes)")])
    try:
        text, encoding = decode_text(data)
    except FormatError as exc:
        raise CorpusError([(name, str(exc))]) from None
    if not text.strip():
        raise CorpusError([(name, f"the file holds only white space ({len(data)} bytes)")])
    return text, encoding


def read_article(path: str | Path) -> str:
    """Read one article file as text; a BOM, CRLF line ends and UTF-16 are accepted.

    Raises
    ------
    CorpusError
        If the file cannot be read, is empty, holds only white space, or is not text in a
        known encoding (the message gives the byte offset).
    """
    path = Path(path)
    name = _shown(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError([(name, f"cannot read the file: {exc.strerror or exc}")]) from None
    return _decode(data, name)[0]


def _date_in_range(date: Any) -> pd.Timestamp:
    return pd.Timestamp(check_date_range(date))


def read_metadata(path: str | Path) -> pd.DataFrame:
    """Read and check a metadata table (see :data:`METADATA_COLUMNS`).

    Raises
    ------
    CorpusError
        Listing every missing column, duplicate id or file, unparseable date or one outside
        the range pandas can hold, unknown ``date_basis`` and inferred date without a reason.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError([(path.name, f"cannot read the metadata table: {exc}")]) from None
    except OSError as exc:
        raise CorpusError([(path.name, f"cannot read the metadata table: {exc.strerror or exc}")]) from None
    required = [c for c, doc in METADATA_COLUMNS.items() if "(required)" in doc]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise CorpusError([(path.name, f"missing column(s): {', '.join(missing)}")])
    for column in METADATA_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table = table.map(str.strip)
    problems: list[tuple[str, str]] = []
    for column in ("article_id", "file"):
        dup = table[column][table[column].duplicated(keep=False) & (table[column] != "")]
        for value in sorted(set(dup)):
            rows = ", ".join(str(i + 2) for i in table.index[table[column] == value])
            problems.append((path.name, f"duplicate {column} {value!r} (lines {rows})"))
    dates = []
    for i, row in table.iterrows():
        where = f"{path.name} line {i + 2} ({row['file'] or row['article_id'] or '?'})"
        for column in required:
            if not row[column]:
                problems.append((where, f"empty {column}"))
        try:
            dates.append(_date_in_range(parse_date(row["date"])) if row["date"] else pd.NaT)
        except ValueError as exc:
            message = str(exc) if "outside the range" in str(exc) else f"unparseable date: {exc}"
            problems.append((where, message))
            dates.append(pd.NaT)
        if row["date_basis"] and row["date_basis"] not in DATE_BASES:
            problems.append((where, f"date_basis must be one of {DATE_BASES}, not {row['date_basis']!r}"))
        if row["date_basis"] == "inferred" and not row["date_note"]:
            problems.append((where, "an inferred date needs its reason in date_note"))
    if problems:
        raise CorpusError(problems)
    table["date"] = pd.to_datetime(pd.Series(dates, index=table.index, dtype="datetime64[ns]"))
    return table


def _outlet_from_text(url: str, removed: tuple[Removal, ...]) -> str:
    host = urlparse(url).netloc.removeprefix("www.") if url else ""
    if host in _OUTLET_HINTS:
        return _OUTLET_HINTS[host]
    for r in removed:
        if r.kind == "source_note" and r.text in _OUTLET_HINTS:
            return _OUTLET_HINTS[r.text]
    return ""


# =========================================================================== language
_LETTERS = re.compile(r"[^\W\d_]+")
_ENGLISH_MARKERS = frozenset(
    "the and of to that with for from said was were has have which would its their this by".split()
)
_LANGUAGE_SAMPLE = 20_000
_SHORTCUT_SAMPLE = 4_000


def _plainly_english(words: list[str]) -> bool:
    """True for a text of at least 30 words, 95 % of them ASCII, with "the" and English function
    words as common as in English prose (``the`` >= 1.5 %, markers >= 12 % of the words; English
    news has about 6 % and 24 %, and never less than 2 % and 18 % in the seeds and 1,300
    synthetic articles; other languages have next to no "the").

    py3langid (whose model takes about a second to load) is asked only about the rest; a test
    checks the two agree.
    """
    if len(words) < 30 or sum(map(str.isascii, words)) < 0.95 * len(words):
        return False
    return (words.count("the") >= 0.015 * len(words)
            and sum(map(_ENGLISH_MARKERS.__contains__, words)) >= 0.12 * len(words))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language of ``text`` (py3langid), ``""`` when it is too short to tell.

    Text with fewer than :data:`LANGUAGE_MIN_LETTERS` letters gets ``""``. Plain English prose
    is recognised by its function words in the first 4,000 characters without loading
    py3langid's model (see ``_plainly_english``); everything else is classified by py3langid
    on its first 20,000 characters.

    >>> detect_language("Belarus and Russia signed the treaty that the Kremlin had sought for years, "
    ...                 "and the opposition said it was a step towards the loss of sovereignty.")
    'en'
    >>> detect_language("Minsk.")
    ''
    """
    words = _LETTERS.findall(text[:_SHORTCUT_SAMPLE].casefold())  # some 600 words tell English apart
    if sum(map(len, words)) < LANGUAGE_MIN_LETTERS:
        if len(text) <= _SHORTCUT_SAMPLE:
            return ""
        words = _LETTERS.findall(text[:_LANGUAGE_SAMPLE].casefold())
        if sum(map(len, words)) < LANGUAGE_MIN_LETTERS:
            return ""
    if _plainly_english(words):
        return "en"
    import py3langid

    return str(py3langid.classify(text[:_LANGUAGE_SAMPLE])[0])


# =========================================================================== per-article work
def _paragraphs_as_they_are(raw: str) -> CleanedArticle:
    """A text the cleaner found no sentence in, kept block by block (the first short line as title)."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", normalize_characters(raw)) if b.strip()]
    title = ""
    if len(blocks) > 1 and len(blocks[0]) <= 150 and not blocks[0].rstrip("\"”»'").endswith((".", "!", "?", "…")):
        title = blocks.pop(0)
    return CleanedArticle(text="\n\n".join(blocks), title=title,
                          removed=(Removal("title", title),) if title else ())


def _article(raw: str, where: str) -> dict[str, Any]:
    """Clean ``raw`` and count it: ``{"article", "language", "counts"...}`` or ``{"problem"}``."""
    art = clean_article(raw)
    notes: list[Note] = []
    language = detect_language(art.text) if art.text.strip() else ""
    if not art.text.strip():
        other = detect_language(normalize_characters(raw))
        if other in ("", "en"):
            kinds = ", ".join(sorted({r.kind for r in art.removed})) or "nothing recognisable"
            return {"problem": (where, f"no article text left after cleaning: everything was boilerplate ({kinds})")}
        art, language = _paragraphs_as_they_are(raw), other
        notes.append((where, "cleaning", f"the cleaner found no sentence in this {other} text; its paragraphs are "
                                         "kept as they are" + (", the first line as the title" if art.title else ""),
                      False))
    paragraphs = sentences_by_paragraph(art.text)
    return {
        "article": art,
        "language": language,
        "notes": notes,
        "n_paragraphs": len(paragraphs),
        "n_sentences": sum(map(len, paragraphs)),
        "n_words": count_words(art.text),
        "n_raw_chars": len(raw),
        "n_removed_chars": sum(len(r.text) for r in art.removed),
    }


def _from_html(markup: str, where: str, *, metadata: bool, warn: bool, notes: list[Note]) -> tuple[str, dict]:
    page = html_to_text(markup, metadata=metadata)
    how = "trafilatura" if page.method == "trafilatura" else page.method
    message = f"article text extracted from HTML ({how})"
    if warn:
        message = "holds HTML, not plain text: " + message
    notes.append((where, "html", message, warn))
    facts = {"title": page.title, "date": page.date, "url": page.url, "author": page.author, "outlet": page.sitename,
             "source": "the page's HTML metadata"}
    return page.text, facts


def _read_file(task: tuple[str, str, str]) -> dict[str, Any]:
    """Read, decode, convert and clean one article file (runs in a worker process for large folders)."""
    real, shown, kind = task
    notes: list[Note] = []
    out: dict[str, Any] = {"shown": shown, "notes": notes, "problems": [], "facts": {}}
    try:
        data = Path(real).read_bytes()
    except OSError as exc:
        out["problems"].append((shown, f"cannot read the file: {exc.strerror or exc}"))
        return out
    try:
        raw, encoding = _decode(data, shown)
    except CorpusError as exc:
        out["problems"].extend(exc.problems)
        return out
    if not encoding.startswith("UTF-8"):
        notes.append((shown, "encoding", f"decoded as {encoding}", False))
    if kind == "markdown":
        raw, front = markdown_to_text(raw)
        out["facts"] = {"title": front.get("title", ""), "date": front.get("date", ""), "url": front.get("url", ""),
                        "author": front.get("author", "") or front.get("authors", ""),
                        "outlet": front.get("outlet", "") or front.get("source", "") or front.get("publisher", ""),
                        "source": "the front matter"}
    elif kind == "html" or looks_like_html(raw):
        raw, out["facts"] = _from_html(raw, shown, metadata=True, warn=kind != "html", notes=notes)
    return _with_article(out, _article(raw, shown), notes)


def _with_article(out: dict[str, Any], result: dict[str, Any], notes: list[Note]) -> dict[str, Any]:
    """``out`` with the cleaned article (or its problem) and the cleaner's notes."""
    if "problem" in result:
        out["problems"].append(result["problem"])
        return out
    notes.extend(result.pop("notes"))
    out.update(result)
    return out


def _read_row(task: tuple[str, str]) -> dict[str, Any]:
    """Convert and clean the text of one table row (runs in a worker process for large tables)."""
    where, text = task
    notes: list[Note] = []
    out: dict[str, Any] = {"notes": notes, "problems": []}
    if looks_like_html(text):
        text, _ = _from_html(text, where, metadata=False, warn=True, notes=notes)
    elif has_entities(text):
        text = unescape_entities(text)
        notes.append((where, "repaired", "HTML entities (&amp; ...) decoded", False))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n\n" not in text.strip():
        text = text.replace("\n", "\n\n")  # a database's line breaks are paragraph breaks
    return _with_article(out, _article(text, where), notes)


def _map(func: Any, tasks: list, *, jobs: int | None, desc: str = "loading") -> Iterator[Any]:
    """``func(t)`` for each task in order, over worker processes for many tasks (same results, same order).

    One result at a time: the caller keeps what it needs of each, so the results of every file
    (cleaned text, removal records, notes) are never all held at once."""
    return imap_chunks(func, tasks, jobs=jobs, chunk_size=_chunk_size(len(tasks), jobs=jobs), desc=desc,
                       min_parallel=PARALLEL_MIN_ITEMS)


@dataclass(frozen=True)
class _ArticleSlice:
    """Consecutive articles of a corpus: the row of the first, and their ids and texts as pandas stores them.

    What :func:`sentence_table` and :func:`~minsk_moscow.topics.make_units` send their workers: a
    slice of pandas' Arrow strings is pickled as a few buffers, so the main process makes no
    Python string of any text. Slicing gives the articles of a batch; iterating gives
    ``(row, article_id, text)`` as Python values, ``row`` counting from the corpus's first row.

    >>> part = _ArticleSlice(0, pd.array(["a", "b", "c"]), pd.array(["A.", "B.", "C."]))[1:]
    >>> len(part), list(part)
    (2, [(1, 'b', 'B.'), (2, 'c', 'C.')])
    """

    start: int
    ids: pd.api.extensions.ExtensionArray
    texts: pd.api.extensions.ExtensionArray

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, part: slice) -> _ArticleSlice:
        begin, stop, step = part.indices(len(self))
        if step != 1:
            raise ValueError("articles are sliced in runs (step 1)")
        return _ArticleSlice(self.start + begin, self.ids[begin:stop], self.texts[begin:stop])

    def __iter__(self) -> Iterator[tuple[int, Any, str]]:
        return zip(range(self.start, self.start + len(self)), self.ids.tolist(), self.texts.tolist())


def _article_columns(corpus: pd.DataFrame, rows: np.ndarray) -> dict[str, Any]:
    """``article_id`` and ``date`` of the corpus rows ``rows``, for a table with one row per sentence or unit.

    Text columns of pandas' string type and plain dates (what :func:`load_corpus` gives) are
    taken as they are stored, without a Python object per row; any other column is given as a
    NumPy array, for pandas to infer its type as it always did.
    """
    out = {}
    for name in ("article_id", "date"):
        column = corpus[name]
        stored = isinstance(column.dtype, pd.StringDtype) or (isinstance(column.dtype, np.dtype) and column.dtype.kind == "M")
        out[name] = column.array.take(rows) if stored else column.to_numpy()[rows]
    return out


# =========================================================================== the folder
def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _scan(root: Path, *, skip: set[str]) -> tuple[list[tuple[str, str, str]], list[Note], list[tuple[str, str]]]:
    """Article files under ``root`` as ``(real path, shown path, kind)``, with notes and problems.

    Never opens anything: only ``os.scandir`` and ``os.stat``. ``skip`` holds top-level names
    handled elsewhere (the metadata table).
    """
    tasks: list[tuple[str, str, str]] = []
    notes: list[Note] = []
    problems: list[tuple[str, str]] = []
    root_stat = os.stat(root)
    visited = {(root_stat.st_dev, root_stat.st_ino)}

    def skipped(shown: str, why: str) -> None:
        notes.append((shown, "skipped", why, True))

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if prefix:
                skipped(_shown(prefix.rstrip("/")), f"folder not read: {exc.strerror or exc}")
            else:
                problems.append((str(root), f"cannot list the folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            rel = prefix + entry.name
            shown = _shown(rel)
            if shown != rel:
                notes.append((shown, "file_name", ("the name is not valid UTF-8 or holds unprintable characters; "
                                                   "it is shown with escapes"), True))
            if entry.name.startswith("."):
                notes.append((shown, "hidden", "hidden file or folder, not read", False))
                continue
            if not prefix and entry.name in skip:
                continue
            suffix = os.path.splitext(entry.name)[1].lower()
            try:
                info = os.stat(entry.path)  # follows symbolic links
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    skipped(shown, "symbolic link loop (it leads back to itself), not followed")
                elif entry.is_symlink():
                    target = _shown(os.readlink(entry.path))
                    skipped(shown, f"broken symbolic link (to {target}, which does not exist)")
                else:
                    skipped(shown, f"cannot look at it: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in visited:
                    skipped(shown, "symbolic link to a folder already read (a loop or a second link), not followed")
                    continue
                visited.add(key)
                before = len(tasks)
                walk(entry.path, rel + "/")
                if suffix in ARTICLE_SUFFIXES and len(tasks) == before:
                    skipped(shown, f"a folder named like a {suffix} file, holding no article")
                continue
            if not stat.S_ISREG(info.st_mode):
                skipped(shown, f"{_file_kind(info.st_mode)}, not a file: never opened")
                continue
            if suffix in ARTICLE_SUFFIXES:
                tasks.append((entry.path, shown, ARTICLE_SUFFIXES[suffix]))
                if prefix:
                    notes.append((shown, "subfolder", f"read from a subfolder; its id is {_file_id(shown)!r}", False))
            elif not prefix and entry.name in COMPANION_FILES:
                notes.append((shown, "companion", "a table of the project beside the articles, not an article", False))
            elif suffix in TABLE_SUFFIXES:
                skipped(shown, f"a {suffix} table inside the folder is not read as articles: load it on its own, "
                               "load_corpus(path to the table)")
            else:
                skipped(shown, f"unsupported format {suffix or '(no suffix)'}: articles are "
                               f"{', '.join(ARTICLE_SUFFIXES)} files")

    walk(os.fspath(root), "")
    return tasks, notes, problems


def _facts_date(facts: dict[str, str], art: CleanedArticle) -> tuple[Any, str, str, str | None]:
    """``(date, basis, note, problem)`` from what a file states: its metadata, else its dateline."""
    if facts.get("date"):
        raw = facts["date"]
        try:
            date = check_date_range(parse_any_date(raw))
        except ValueError as exc:
            message = str(exc) if "outside the range" in str(exc) else f"unparseable date in {facts['source']}: {exc}"
            return pd.NaT, "", "", message
        return pd.Timestamp(date), "stated", f"date {raw!r} in {facts['source']}", None
    if art.date_text:
        try:
            date = check_date_range(parse_date(art.date_text))
        except ValueError as exc:
            message = str(exc) if "outside the range" in str(exc) else f"unparseable date line: {exc}"
            return pd.NaT, "", "", message
        return pd.Timestamp(date), "stated", f"dateline {art.date_text!r}", None
    return pd.NaT, "missing", "no date found in the text", None


def _provenance(facts: dict[str, str], art: CleanedArticle, date: Any) -> str:
    """Where a file's title, date and URL came from, e.g. ``title and date from the text; no URL``."""
    source = facts.get("source", "")
    found: dict[str, list[str]] = {}
    for field, own, from_text in (("title", facts.get("title"), art.title), ("url", facts.get("url"), art.url)):
        where = source if own else ("the text" if from_text else "")
        found.setdefault(where, []).append(field)
    date_from = "" if pd.isna(date) else (source if facts.get("date") else "the text")
    found.setdefault(date_from, []).append("date")
    parts = [f"{' and '.join(fields)} from {where}" for where, fields in found.items() if where]
    if "title" in found.get("", []):
        parts.append("title from the file name")
    missing = [f for f in found.get("", []) if f != "title"]
    if missing:
        parts.append("no " + " and no ".join(missing))
    return "; ".join(parts)


class _StoredTexts:
    """Clean texts collected one at a time and stored as Arrow strings every ``batch`` texts.

    The Python string of each text can go as soon as its batch is stored, instead of every text
    being held as a Python string until the table is built (and then beside its UTF-8 copy,
    which the conversion attaches to each string).

    >>> texts = _StoredTexts(batch=2)
    >>> for text in ["One.", "Two.", "Три."]:
    ...     texts.append(text)
    >>> texts.array().tolist(), str(texts.array().dtype)
    (['One.', 'Two.', 'Три.'], 'str')
    """

    def __init__(self, *, batch: int = 1_000) -> None:
        self._batch = batch
        self._pending: list[str] = []
        self._stored: list[Any] = []

    def append(self, text: str) -> None:
        self._pending.append(text)
        if len(self._pending) >= self._batch:
            self._store()

    def _store(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._stored.append(pa.array(self._pending, type=pa.large_string()))
            self._pending = []

    def array(self) -> Any:
        """Every text so far, in order, as a pandas "str" array."""
        import pyarrow as pa

        self._store()
        return pd.array(pa.chunked_array(self._stored, type=pa.large_string()), dtype="str")


def _utf8(texts: pd.Series) -> list[Any]:
    """The UTF-8 bytes of every text: views into the stored Arrow buffers, or encoded strings."""
    chunks = _arrow_texts(texts.array)
    if chunks is None:
        return [str(text).encode("utf-8", "surrogatepass") for text in texts]
    out: list[Any] = []
    for data, bounds in _arrow_offsets(chunks):
        bounds = bounds.tolist()
        out += [data[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    return out


def _first_twins(texts: pd.Series) -> np.ndarray:
    """For each text, the position of the first text equal to it (its own when it is the first).

    Texts are compared by a SHA-1 digest of their bytes (fast here, and only a first sieve: a
    digest seen before is confirmed byte for byte, so the result is exact), read from the
    stored buffers: a dict keyed by the texts themselves held a Python copy of the whole corpus.

    >>> _first_twins(pd.Series(["a", "b", "a", "b", "c", "a"], dtype="str")).tolist()
    [0, 1, 0, 1, 4, 0]
    """
    views = _utf8(texts)
    first = np.arange(len(views))
    seen: dict[bytes, list[int]] = {}
    for i, data in enumerate(views):
        rows = seen.setdefault(hashlib.sha1(data, usedforsecurity=False).digest(), [])
        twin = next((j for j in rows if views[j] == data), None)
        if twin is None:
            rows.append(i)
        else:
            first[i] = twin
    return first


def _counts(result: dict[str, Any]) -> dict[str, Any]:
    """The counts and records of one cleaned article (its text is stored apart, see :class:`_StoredTexts`)."""
    art: CleanedArticle = result["article"]
    return {
        "n_paragraphs": result["n_paragraphs"],
        "n_sentences": result["n_sentences"],
        "n_words": result["n_words"],
        "n_raw_chars": result["n_raw_chars"],
        "n_removed_chars": result["n_removed_chars"],
        "removed": art.removed,
        "language": result["language"],
    }


def _load_folder(folder: Path, *, metadata: Any, unlisted: str, jobs: int | None,
                 notes: list[Note]) -> tuple[list[dict], _StoredTexts, list[tuple[str, str]], bool]:
    table_path = folder / METADATA_FILE if metadata == "auto" else (Path(metadata) if metadata else None)
    table = read_metadata(table_path) if table_path is not None and table_path.exists() else None
    if metadata not in ("auto", None) and table is None:
        raise CorpusError([(str(table_path), "metadata table not found")])
    skip = {METADATA_FILE}
    if table_path is not None and table_path.parent.resolve() == folder.resolve():
        skip.add(table_path.name)
    tasks, scan_notes, problems = _scan(folder, skip=skip)
    notes.extend(scan_notes)
    if metadata is None and (folder / METADATA_FILE).is_file():
        notes.append((METADATA_FILE, "companion", "metadata table not used (metadata=None)", False))
    if not tasks:
        found = sorted({n[0] for n in scan_notes if n[1] == "skipped"})
        listed = f"; not read: {', '.join(found)}" if found else ""
        message = f"no .txt articles (nor .md, .html or .htm) in the folder or its subfolders{listed}"
        raise CorpusError([(str(folder), message), *problems])

    rows_by_file = {} if table is None else {row["file"]: row for _, row in table.iterrows()}
    if table is not None:
        names = {real[len(os.fspath(folder)) + 1:] for real, _, _ in tasks}
        for name, row in rows_by_file.items():
            if name not in names:
                problems.append((f"{METADATA_FILE} ({row['article_id']})",
                                 f"row names file {name!r}, which is not in the folder"))

    results = _map(_read_file, tasks, jobs=jobs)
    records, texts = [], _StoredTexts()
    for (real, shown, _), result in zip(tasks, results):
        problems.extend(result["problems"])
        notes.extend(result["notes"])
        if "article" not in result:
            continue
        art: CleanedArticle = result["article"]
        rel = real[len(os.fspath(folder)) + 1:]
        row = rows_by_file.get(rel)
        if table is not None and row is None and unlisted == "error":
            problems.append((shown, f"file has no row in {METADATA_FILE} (add one, or load with unlisted='infer')"))
            continue
        if row is not None:
            record = {c: row[c] for c in METADATA_COLUMNS}
            record["file"] = shown
            record["metadata_source"] = "table"
        else:
            facts = result["facts"]
            date, basis, date_note, problem = _facts_date(facts, art)
            if problem:
                problems.append((shown, problem))
                continue
            url = facts.get("url") or art.url
            name = shown.rsplit("/", 1)[-1]
            record = {
                "article_id": _file_id(shown),
                "file": shown,
                "title": facts.get("title") or art.title or (name.rsplit(".", 1)[0] if "." in name else name),
                "outlet": facts.get("outlet") or _outlet_from_text(url, art.removed),
                "site": art.site,
                "author": facts.get("author") or art.byline.removeprefix("By ").strip(),
                "date": date,
                "date_basis": basis,
                "date_note": date_note,
                "url": url,
                "metadata_source": "text",
            }
            notes.append((shown, "inferred_metadata", _provenance(facts, art, date), False))
        record["_where"] = shown
        record.update(_counts(result))
        records.append(record)
        texts.append(art.text)
    return records, texts, problems, table is not None


# =========================================================================== a table file
def _load_table(path: Path, *, columns: Mapping[str, str] | None, jobs: int | None,
                notes: list[Note]) -> tuple[list[dict], _StoredTexts, list[tuple[str, str]]]:
    name = path.name
    try:
        frame = read_table(path)
    except FormatError as exc:
        raise CorpusError([(f"{name} {where}" if where else name, message) for where, message in exc.problems]) from None
    except OSError as exc:
        raise CorpusError([(name, f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        mapping = map_columns(list(frame.columns), columns)
    except FormatError as exc:
        raise CorpusError([(name, message) for _, message in exc.problems]) from None
    if frame.empty:
        raise CorpusError([(name, "the table has no rows")])
    used = ", ".join(f"{field} <- {column!r}" for field, column in mapping.items())
    unused = [c for c in frame.columns if c not in mapping.values()]
    notes.append((name, "columns", f"read {used}" + (f"; not read: {', '.join(unused)}" if unused else ""), False))

    width = len(str(len(frame)))
    stem = _shown(path.stem)
    cells = {field: frame[column].tolist() for field, column in mapping.items()}
    n = len(frame)
    ids, wheres, generated = [], [], 0
    for i in range(n):
        given = _no_surrogates(cells["article_id"][i].strip()) if "article_id" in cells else ""
        if not given:
            generated += 1
        ids.append(given or f"{stem}-{i + 1:0{width}d}")
        wheres.append(f"{name} row {i + 1} (id {ids[-1]})")
    if generated:
        why = "the table has no id column" if "article_id" not in cells else f"{generated} row(s) have an empty id"
        notes.append((name, "generated_id", f"ids generated from row numbers ({ids[0]} ...): {why}", False))

    problems: list[tuple[str, str]] = []
    tasks: list[tuple[str, str]] = []
    keep: list[int] = []
    for i in range(n):
        text = cells["text"][i]
        if not text.strip():
            problems.append((wheres[i], "empty text"))
            continue
        repaired = _no_surrogates(text)
        if repaired != text or any(_no_surrogates(cells[f][i]) != cells[f][i] for f in cells if f != "text"):
            notes.append((wheres[i], "repaired", "lone surrogates (from JSON escapes) replaced by U+FFFD", False))
        tasks.append((wheres[i], repaired))
        keep.append(i)
    results = _map(_read_row, tasks, jobs=jobs)

    def cell(field: str, i: int) -> str:
        return " ".join(_no_surrogates(cells[field][i]).split()) if field in cells else ""

    records, texts = [], _StoredTexts()
    for i, result in zip(keep, results):
        problems.extend(result["problems"])
        notes.extend(result["notes"])
        if "article" not in result:
            continue
        art: CleanedArticle = result["article"]
        date, basis, date_note = pd.NaT, "missing", "no date in the table"
        raw_date = cell("date", i)
        if raw_date:
            try:
                date = pd.Timestamp(check_date_range(parse_any_date(raw_date)))
            except ValueError as exc:
                if "outside the range" in str(exc):
                    problems.append((wheres[i], str(exc)))
                else:
                    problems.append((wheres[i], f"unparseable date {raw_date!r} in column {mapping['date']!r}"))
                continue
            basis, date_note = "stated", f"column {mapping['date']!r} of {name}: {raw_date!r}"
        url = cell("url", i)
        record = {
            "article_id": ids[i],
            "title": cell("title", i) or art.title or ids[i],
            "outlet": cell("outlet", i) or _outlet_from_text(url, art.removed),
            "site": "",
            "author": cell("author", i),
            "date": date,
            "date_basis": basis,
            "date_note": date_note,
            "url": url,
            "file": f"{name} row {i + 1}",
            "metadata_source": "table",
            "_where": wheres[i],
        }
        record.update(_counts(result))
        records.append(record)
        texts.append(art.text)
    return records, texts, problems


# =========================================================================== load_corpus
def _same_ids(records: list[dict]) -> list[tuple[str, str]]:
    """A problem for every id that equals an earlier one up to case."""
    first: dict[str, dict] = {}
    problems = []
    for record in records:
        key = record["article_id"].casefold()
        if key in first:
            other = first[key]
            problems.append((record["_where"], (f"article_id {record['article_id']!r} is the same id as "
                                                f"{other['_where']}'s {other['article_id']!r} up to case (ids must be "
                                                "unique up to case: rename a file, or give ids in a table)")))
        else:
            first[key] = record
    return problems


def _listing(items: list[str], separator: str = ", ") -> str:
    shown = separator.join(items[:_WARNING_LIST_MAX])
    if len(items) > _WARNING_LIST_MAX:
        shown += f" and {len(items) - _WARNING_LIST_MAX} more (all in mm.load_notes(corpus))"
    return shown


def _warn(notes: list[Note], corpus: pd.DataFrame, *, had_table: bool) -> None:
    """One CorpusWarning per kind, in a fixed order; the first two as the loader always wrote them."""
    if had_table:
        inferred = corpus.loc[corpus["metadata_source"] == "text", "file"].tolist()
        if inferred:
            warnings.warn(
                f"{len(inferred)} article(s) have no row in {METADATA_FILE}; their title and date come from "
                "the text: " + ", ".join(inferred),
                CorpusWarning,
                stacklevel=3,
            )
    undated = corpus.loc[corpus["date"].isna(), "file"].tolist()
    if undated:
        warnings.warn(
            f"{len(undated)} article(s) have no date (none in a metadata table, none stated in the text): "
            + ", ".join(undated),
            CorpusWarning,
            stacklevel=3,
        )
    headers = {
        "skipped": "entr(ies) of the folder are not read",
        "file_name": "file name(s) are not valid UTF-8 or not printable; they are shown with escapes",
        "html": "file(s) or row(s) hold HTML, not plain text; their article text was extracted (trafilatura)",
        "duplicate": "article(s) have the same text as an earlier one; kept, see the column duplicate_of",
        "language": "article(s) are not in English (the analyses read English; mm.english_only(corpus) keeps the "
                    "English ones)",
    }
    for kind in _WARNED_KINDS:
        items = [n for n in notes if n[1] == kind and n[3]]
        if not items:
            continue
        if kind == "skipped":
            listed = [f"{f}: {m}" for f, _, m, _ in items]
        elif kind in ("duplicate", "language"):
            listed = [f"{f} ({m})" for f, _, m, _ in items]
        else:
            listed = [f for f, _, _, _ in items]
        separator = "; " if kind == "skipped" else ", "
        warnings.warn(f"{len(items)} {headers[kind]}: {_listing(listed, separator)}", CorpusWarning, stacklevel=3)


def load_corpus(
    path: str | Path | None = None,
    *,
    metadata: str | Path | None | Literal["auto"] = "auto",
    unlisted: Literal["error", "infer"] | None = None,
    columns: Mapping[str, str] | None = None,
    jobs: int | None = None,
) -> pd.DataFrame:
    """Load a folder of article files, or one table file of articles, one row per article, sorted by date.

    See the module docstring for the formats, the ids, the table columns and what is noted.

    Parameters
    ----------
    path
        A folder (``.txt``, ``.md``, ``.html``/``.htm`` files, in subfolders too) or a table
        file (``.csv``, ``.jsonl``, ``.json``, ``.parquet``); default
        :func:`~minsk_moscow.paths.corpus_dir` (the project's ``seeds/`` unless
        ``$MINSK_MOSCOW_CORPUS`` is set).
    metadata
        Folders only. ``"auto"`` uses ``folder/articles.csv`` when it exists; a path uses that
        table; ``None`` ignores any table and takes everything from the texts.
    unlisted
        With a metadata table, a file that has no row is an error (``"error"``) or is loaded
        with the facts its text states (``"infer"``), flagged in ``metadata_source`` and
        reported in a :class:`CorpusWarning`. Default:
        :func:`~minsk_moscow.config.unlisted_policy` (``"error"`` unless
        ``$MINSK_MOSCOW_UNLISTED`` says otherwise).
    columns
        Table files only: ``{field: column}`` for columns the table names otherwise than
        :data:`TABLE_COLUMNS` expects, e.g. ``{"text": "story", "date": "when"}``.
    jobs
        Worker processes for reading and cleaning (default :func:`~minsk_moscow.parallel.n_jobs`);
        fewer than :data:`PARALLEL_MIN_ITEMS` files or rows are read in this process. The
        result is the same either way.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, title, outlet, site, author, date, date_basis, date_note, url,
        text, file, metadata_source, n_paragraphs, n_sentences, n_words, n_raw_chars,
        n_removed_chars, removed, language, duplicate_of`` (``removed``: tuple of
        :class:`~minsk_moscow.text.Removal`; ``n_raw_chars``: characters the cleaner received,
        i.e. the file as read, or the text extracted from HTML or Markdown). Its notes are in
        ``corpus.attrs["load_notes"]``, read with :func:`load_notes`.

    Raises
    ------
    CorpusError
        Naming every file or row that cannot be loaded and why (nothing is dropped silently).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "export.csv").write_text(
    ...         "headline,body,published_at\\nDeal,Minsk and Moscow signed a deal.,2020-08-05T10:00:00Z\\n")
    ...     corpus = load_corpus(Path(folder) / "export.csv")
    >>> corpus[["article_id", "title", "date", "text", "file"]].values.tolist()
    [['export-1', 'Deal', Timestamp('2020-08-05 00:00:00'), 'Minsk and Moscow signed a deal.', 'export.csv row 1']]
    """
    path = corpus_dir() if path is None else Path(path)
    unlisted = unlisted_policy() if unlisted is None else unlisted
    if unlisted not in ("error", "infer"):
        raise ValueError(f"unlisted must be 'error' or 'infer', not {unlisted!r}")
    from .cache import _enabled, cached

    # the stamp stats every file (a second at 100,000 files): only worth it when the cache is on
    stamp = _source_stamp(path, metadata) if _enabled() else None
    if stamp is None:
        return _load(path, metadata, unlisted, columns, jobs)
    return cached(_load_stamped, str(path), metadata, unlisted, columns, stamp, jobs=jobs)


LOAD_CACHE_MIN_FILES = 1_000
"""A folder of at least this many files is kept in the cache once loaded (see :func:`_source_stamp`)."""
LOAD_CACHE_MIN_BYTES = 4 * 2**20
"""A table file of at least this size is kept in the cache once loaded."""


def _source_stamp(path: Path, metadata: str | Path | None) -> tuple | None:
    """What a large corpus is made of: every file's path, size and modification time; ``None`` for a small one.

    :func:`load_corpus` keeps a large corpus in :data:`~minsk_moscow.cache.CACHE_DIR`
    (``build/cache/``) under this stamp, the arguments and the package code
    (:func:`~minsk_moscow.cache.cached`), so the notebooks and ``results/`` of one re-run read
    and clean the files once: an added, removed, resized or re-saved file, or any change to the
    code, loads afresh. Small corpora (the seeds, the tests) are always read afresh.
    ``$MINSK_MOSCOW_CACHE=0`` switches the cache off, and :func:`load_corpus` then takes no stamp.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None  # the loader says what is wrong
    if stat.S_ISREG(info.st_mode):
        if info.st_size < LOAD_CACHE_MIN_BYTES:
            return None
        return (("", info.st_size, info.st_mtime_ns),)
    if not stat.S_ISDIR(info.st_mode):
        return None
    entries = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            try:
                item = os.lstat(full)
            except OSError:
                item = None
            relative = os.fsencode(os.path.relpath(full, path))
            entries.append((relative, item.st_size, item.st_mtime_ns, item.st_mode) if item else (relative,))
    if len(entries) < LOAD_CACHE_MIN_FILES:
        return None
    if metadata not in ("auto", None):
        try:
            item = os.stat(metadata)
            entries.append((os.fsencode(os.path.abspath(metadata)), item.st_size, item.st_mtime_ns))
        except OSError:
            pass  # the loader says what is wrong
    return tuple(entries)


def _load_stamped(path: str, metadata: str | Path | None, unlisted: str, columns: Mapping[str, str] | None,
                  stamp: tuple, *, jobs: int | None = None) -> pd.DataFrame:
    """:func:`_load`, with the source's stamp as an argument so that it is part of the cache key."""
    return _load(Path(path), metadata, unlisted, columns, jobs)


@collector_paused()  # the rows of every article pile up until the frame is built
def _load(path: Path, metadata: str | Path | None | Literal["auto"], unlisted: Literal["error", "infer"],
          columns: Mapping[str, str] | None, jobs: int | None) -> pd.DataFrame:
    notes: list[Note] = []
    had_table = False
    if path.is_dir():
        if columns is not None:
            raise ValueError("columns= names the columns of a table file; a folder has none")
        records, texts, problems, had_table = _load_folder(path, metadata=metadata, unlisted=unlisted, jobs=jobs,
                                                           notes=notes)
    else:
        suffix = path.suffix.lower()
        try:
            info = os.stat(path)
        except OSError:
            raise CorpusError([(str(path), "no such folder or file")]) from None
        if not stat.S_ISREG(info.st_mode):
            raise CorpusError([(str(path), f"{_file_kind(info.st_mode)}: load_corpus reads a folder or a table file")])
        if suffix in ARTICLE_SUFFIXES:
            raise CorpusError([(str(path), ("is one article file: load the folder that holds it "
                                            "(a table file is the other input load_corpus takes)"))])
        if suffix not in TABLE_SUFFIXES:
            raise CorpusError([(str(path), f"not a folder or a table file ({', '.join(TABLE_SUFFIXES)})")])
        if metadata not in ("auto", None):
            raise ValueError("metadata= is the table of a folder's files; a table file holds its own metadata")
        records, texts, problems = _load_table(path, columns=columns, jobs=jobs, notes=notes)
    problems += _same_ids(records)
    if problems:
        raise CorpusError(problems)

    corpus = pd.DataFrame.from_records(records)
    del records
    corpus["text"] = texts.array()  # stored as it was collected, never a Python string per article again
    del texts
    corpus["date"] = pd.to_datetime(corpus["date"])
    columns_out = list(METADATA_COLUMNS)[:1] + [c for c in METADATA_COLUMNS if c not in ("article_id", "file")]
    columns_out += ["text", "file", "metadata_source", "n_paragraphs", "n_sentences", "n_words",
                    "n_raw_chars", "n_removed_chars", "removed", "language", "_where"]
    corpus = corpus[columns_out].sort_values(["date", "article_id"], na_position="last").reset_index(drop=True)

    first = _first_twins(corpus["text"])
    duplicate_of = [""] * len(corpus)
    for i in np.flatnonzero(first != np.arange(len(first))).tolist():
        j = int(first[i])
        duplicate_of[i] = corpus["article_id"].iat[j]
        notes.append((corpus["_where"].iat[i], "duplicate", f"same clean text as {corpus['_where'].iat[j]}", True))
    corpus["duplicate_of"] = duplicate_of
    for where, language in zip(corpus["_where"], corpus["language"]):
        if language not in ("en", ""):
            notes.append((where, "language", f"language {language}", True))
    if had_table:
        notes += [(f, "unlisted", f"no row in {METADATA_FILE}; title and date come from the text", True)
                  for f in corpus.loc[corpus["metadata_source"] == "text", "file"]]
    notes += [(f, "undated", "no date found", True) for f in corpus.loc[corpus["date"].isna(), "file"]]
    corpus = corpus.drop(columns="_where")
    _warn(notes, corpus, had_table=had_table)
    corpus.attrs[_NOTES_ATTR] = _Notes((f, k, m) for f, k, m, _ in notes)
    release_memory(items=len(corpus))
    return corpus


def load_notes(corpus: pd.DataFrame) -> pd.DataFrame:
    """Everything :func:`load_corpus` noticed while loading ``corpus``: ``file, kind, message``.

    The notes live on the frame ``load_corpus`` returns (``corpus.attrs["load_notes"]``) and
    on frames pandas derives from it by selecting rows or columns, sorting or copying
    (``pd.concat`` and ``merge`` may drop them). ``kind`` is one of :data:`NOTE_KINDS`; warned
    kinds were also issued as :class:`CorpusWarning`.

    Raises
    ------
    ValueError
        For a frame that carries no notes (not made by :func:`load_corpus`).

    >>> load_notes(load_corpus()).values.tolist()[0]
    ['events.csv', 'companion', 'a table of the project beside the articles, not an article']
    """
    notes = corpus.attrs.get(_NOTES_ATTR)
    if notes is None:
        raise ValueError("this frame carries no load notes: they live on the frame load_corpus returns "
                         "(and on its row selections and sorted copies)")
    return pd.DataFrame(list(notes), columns=["file", "kind", "message"])


def english_only(corpus: pd.DataFrame) -> pd.DataFrame:
    """The articles of ``corpus`` in English, in the same order; records and prints nothing.

    English is ``language == "en"``. An article too short to tell (``language == ""``, fewer
    than :data:`LANGUAGE_MIN_LETTERS` letters) is kept: dropping it would lose it silently,
    and the analyses read it as they read any English text. :func:`non_english_note` says
    what this leaves out.

    >>> corpus = load_corpus()
    >>> len(english_only(corpus)) == len(corpus), non_english_note(corpus)
    (True, '')

    A notebook that reads only English::

        corpus = mm.english_only(all_articles := mm.load_corpus())
        if note := mm.non_english_note(all_articles):
            print(note)
    """
    if "language" not in corpus.columns:
        raise ValueError("the frame has no language column: load it with load_corpus")
    return corpus[corpus["language"].isin(["en", ""])].reset_index(drop=True)


def non_english_note(corpus: pd.DataFrame) -> str:
    """One sentence on the articles :func:`english_only` leaves out, ``""`` when there are none.

    >>> frame = pd.DataFrame({"article_id": ["a", "b", "c"], "language": ["en", "ru", ""]})
    >>> non_english_note(frame)
    '1 of 3 articles are not in English and are left out: b (ru)'
    """
    if "language" not in corpus.columns:
        raise ValueError("the frame has no language column: load it with load_corpus")
    other = corpus[~corpus["language"].isin(["en", ""])]
    if other.empty:
        return ""
    listed = _listing([f"{a} ({lang})" for a, lang in zip(other["article_id"], other["language"])])
    return f"{len(other)} of {len(corpus)} articles are not in English and are left out: {listed}"


def _empty_table(**dtypes: Any) -> pd.DataFrame:
    """An empty table with these columns and dtypes (what a per-article table of no articles is)."""
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in dtypes.items()})


def removal_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per piece of text the cleaner removed: ``article_id, kind, text``.

    >>> removal_table(load_corpus()).query("kind == 'photo_credit'")["text"].tolist()
    ['Mikhail Metzel / TASS']
    """
    if corpus.empty:
        return _empty_table(article_id=object, kind=object, text=object)
    rows = [
        {"article_id": aid, "kind": r.kind, "text": r.text}
        for aid, removed in zip(corpus["article_id"], corpus["removed"])
        for r in removed
    ]
    return pd.DataFrame(rows, columns=["article_id", "kind", "text"])


def paragraph_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per paragraph: ``article_id, date, paragraph, text``.

    >>> paragraph_table(load_corpus()).groupby("article_id").size().min()
    np.int64(3)
    """
    if corpus.empty:
        return _empty_table(article_id=object, date="datetime64[ns]", paragraph="int64", text=object)
    rows = [
        {"article_id": aid, "date": date, "paragraph": i, "text": para}
        for aid, date, text in zip(corpus["article_id"], corpus["date"], corpus["text"])
        for i, para in enumerate(split_paragraphs(text))
    ]
    return pd.DataFrame(rows, columns=["article_id", "date", "paragraph", "text"])


def sentence_table(corpus: pd.DataFrame, *, jobs: int | None = None) -> pd.DataFrame:
    """One row per sentence: ``article_id, date, paragraph, sentence, text``.

    ``sentence`` counts within the article, so ``(article_id, sentence)`` is a stable key.
    An empty corpus (no rows, or no columns at all) gives an empty table with these columns.
    From :data:`PARALLEL_MIN_ITEMS` articles the texts are split over ``jobs`` worker processes
    (default :func:`~minsk_moscow.parallel.n_jobs`); the table is the same whatever the number.

    >>> sentence_table(pd.DataFrame()).columns.tolist()
    ['article_id', 'date', 'paragraph', 'sentence', 'text']
    >>> sentence_table(pd.DataFrame({"article_id": ["a"], "date": [pd.NaT], "text": ["One. Two.\\n\\nThree."]}))[
    ...     ["paragraph", "sentence", "text"]].values.tolist()
    [[0, 0, 'One.'], [0, 1, 'Two.'], [1, 2, 'Three.']]
    """
    if corpus.empty:
        return _empty_table(article_id=object, date="datetime64[ns]", paragraph="int64", sentence="int64", text=object)
    # The workers get slices of the columns as they are stored (for pandas' Arrow strings, a few
    # buffers per slice) and make the Python strings themselves.
    articles = _ArticleSlice(0, corpus["article_id"].array, corpus["text"].array)
    parts = [part for part in imap_batches(_sentence_rows, articles, batch_size=_chunk_size(len(articles), jobs=jobs),
                                           jobs=jobs, desc="splitting sentences", min_parallel=PARALLEL_MIN_ITEMS)
             if len(part)]
    del articles
    # Each chunk of articles comes back as a small frame (its sentences in one Arrow buffer).
    split = pd.concat(parts, ignore_index=True) if parts else _sentence_rows([])
    del parts
    rows = split["_row"].to_numpy(dtype=np.intp)
    table = pd.DataFrame({
        **_article_columns(corpus, rows),
        "paragraph": split["paragraph"].to_numpy(),
        "sentence": split["sentence"].to_numpy(),
        "text": split["text"] if len(split) else [],
    }, columns=["article_id", "date", "paragraph", "sentence", "text"])
    del split, rows
    release_memory(items=len(corpus))
    return table


def _sentence_rows(articles: Iterable[tuple[int, Any, str]]) -> pd.DataFrame:
    """``_row, paragraph, sentence, text`` of every sentence of ``articles`` (run in a worker).

    ``articles`` gives ``(row, article_id, text)`` (an :class:`_ArticleSlice`); ``_row`` is the article's row.
    """
    row, paragraph, sentence, text = [], [], [], []
    for i, _, article in articles:
        n = 0
        for p, sentences in enumerate(_sentences_by_paragraph(article)):
            k = len(sentences)
            paragraph += [p] * k
            sentence += range(n, n + k)
            text += sentences
            n += k
        row += [i] * n
    return pd.DataFrame({"_row": np.asarray(row, dtype=np.intp), "paragraph": np.asarray(paragraph, dtype=np.int64),
                         "sentence": np.asarray(sentence, dtype=np.int64), "text": text})


def token_counts(corpus: pd.DataFrame, *, jobs: int | None = None) -> pd.DataFrame:
    """Per article: its content tokens (:func:`~minsk_moscow.text.tokenize`) and how many are distinct.

    Columns ``n_tokens`` and ``n_distinct``, one row per article with the corpus's index. The
    token lists are not kept (at 100,000 articles they hold tens of millions of words). From
    :data:`PARALLEL_MIN_ITEMS` articles the texts go to ``jobs`` worker processes (default
    :func:`~minsk_moscow.parallel.n_jobs`); the counts are the same whatever the number.

    >>> token_counts(pd.DataFrame({"text": ["Russia and Belarus: Russia's ally.", ""]})).values.tolist()
    [[4, 3], [0, 0]]
    """
    texts = corpus["text"].tolist()
    counts = list(imap_chunks(_token_count, texts, jobs=jobs, chunk_size=_chunk_size(len(texts), jobs=jobs),
                              desc="counting tokens", min_parallel=PARALLEL_MIN_ITEMS))
    return pd.DataFrame(np.asarray(counts, dtype=np.int64).reshape(len(texts), 2), columns=["n_tokens", "n_distinct"],
                        index=corpus.index)


def _token_count(text: str) -> tuple[int, int]:
    """How many content tokens ``text`` has, and how many distinct ones (run in a worker)."""
    tokens = tokenize(text)
    return len(tokens), len(set(tokens))


def spelling_variant_counts(corpus: pd.DataFrame) -> pd.DataFrame:
    """How often each spelling variant of :data:`~minsk_moscow.aliases.SPELLING_VARIANTS`
    occurs in each article's clean text (before the tokenizer maps it to its canonical form).

    Returns a tidy DataFrame ``article_id, variant, canonical, count`` (only non-zero counts).

    >>> counts = spelling_variant_counts(load_corpus())
    >>> counts.query("variant == 'zhirinovksy'")[["article_id", "count"]].values.tolist()
    [['mt-2020-08-05', 1]]
    """
    from collections import Counter

    from .aliases import SPELLING_VARIANTS

    rows = []
    for aid, text in zip(corpus["article_id"], corpus["text"]):
        counts = Counter(t for t in tokenize(text, stop_words=None, variants={}) if t in SPELLING_VARIANTS)
        rows += [{"article_id": aid, "variant": v, "canonical": SPELLING_VARIANTS[v], "count": n} for v, n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["article_id", "variant", "canonical", "count"])


_PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


def display_groups(corpus: pd.DataFrame, *, max_groups: int = 12) -> pd.Series:
    """The unit in which per-article tables and figures show a corpus, for each article.

    A handful of articles is shown one by one; hundreds would make a heatmap column, a word
    cloud or a table row each, which nobody can read. So while the corpus has at most
    ``max_groups`` articles each article is its own group (its ``article_id``); beyond that
    articles are grouped by the finest calendar period, month, quarter or year, that gives at
    most ``max_groups`` groups (by year if none does). Articles without a date form the group
    ``"undated"``.

    Returns a Series aligned with ``corpus`` whose ``name`` is the unit (``"article"``,
    ``"month"``, ``"quarter"`` or ``"year"``) and whose values are the group labels
    (``"2020-08"``, ``"2020Q3"``, ``"2020"``).

    >>> corpus = load_corpus()
    >>> display_groups(corpus).name, display_groups(corpus).tolist()[:2]
    ('article', ['mt-2020-08-05', 'ft-2020-08-15'])
    >>> groups = display_groups(corpus, max_groups=3)
    >>> groups.name, groups.tolist()
    ('month', ['2020-08', '2020-08', '2020-09', '2020-09', '2021-09'])
    >>> display_groups(corpus, max_groups=2).name
    'quarter'
    """
    if max_groups < 1:
        raise ValueError(f"max_groups must be at least 1, got {max_groups}")
    if len(corpus) <= max_groups:
        return pd.Series(corpus["article_id"].to_numpy(), index=corpus.index, name="article")
    dates = pd.to_datetime(corpus["date"])
    for unit, code in _PERIODS.items():
        labels = dates.dt.to_period(code).astype(str).where(dates.notna(), "undated").rename(unit)
        if labels.nunique() <= max_groups:
            return labels
    return labels  # by year, however many years there are


def merge_by_group(corpus: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """One document per group: the texts of the group's articles, joined in date order.

    ``groups`` is aligned with ``corpus`` (e.g. from :func:`display_groups`). The result has
    the columns the analysis functions read, ``article_id`` (the group label), ``date`` (the
    group's earliest date), ``n_articles`` and ``text`` (paragraphs separated by a blank
    line), in the order the groups first appear in ``corpus``. A group of one article is that
    article's text unchanged, so with one group per article the documents are the articles.

    >>> corpus = load_corpus()
    >>> docs = merge_by_group(corpus, display_groups(corpus, max_groups=3))
    >>> docs[["article_id", "n_articles"]].values.tolist()
    [['2020-08', 2], ['2020-09', 2], ['2021-09', 1]]
    >>> docs["text"].iloc[0].startswith(corpus["text"].iloc[0])
    True
    """
    if len(groups) != len(corpus):
        raise ValueError(f"groups has {len(groups)} entries for {len(corpus)} articles")
    frame = pd.DataFrame(
        {"group": groups.to_numpy(), "date": corpus["date"].to_numpy(), "text": corpus["text"].to_numpy()}
    )
    frame["order"] = range(len(frame))
    frame = frame.sort_values(["date", "order"], kind="stable", na_position="last")
    docs = frame.groupby("group", sort=False).agg(
        date=("date", "min"), n_articles=("text", "size"), text=("text", "\n\n".join), first=("order", "min")
    )
    docs = docs.sort_values("first", kind="stable").drop(columns="first")
    return docs.rename_axis("article_id").reset_index()

