"""Loading a folder of scraped articles, with their metadata, as a tidy DataFrame.

A corpus folder holds ``.txt`` files and, optionally, a metadata table ``articles.csv``
(see :data:`METADATA_COLUMNS`). With a table, the loader uses it and checks it against the
folder; without one, it takes what each text states (title, dateline, ``Original url:``).

Problems are never skipped quietly. Everything that makes the corpus untrustworthy (empty or
undecodable files, rows without files, files without rows, duplicate ids, bad dates, articles
that are all boilerplate) is collected and raised together as one :class:`CorpusError` that
names each file and what is wrong; an article whose date cannot be found is kept with a
missing date and reported in a :class:`CorpusWarning`.

Examples
--------
>>> corpus = load_corpus()
>>> corpus[["article_id", "date_basis"]].head(2).values.tolist()
[['mt-2020-08-05', 'stated'], ['ft-2020-08-15', 'stated']]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import pandas as pd

from .config import unlisted_policy
from .paths import METADATA_FILE, corpus_dir
from .text import Removal, clean_article, count_words, parse_date, sentences_by_paragraph, split_paragraphs, tokenize

__all__ = [
    "METADATA_COLUMNS",
    "CorpusError",
    "CorpusWarning",
    "display_groups",
    "load_corpus",
    "merge_by_group",
    "paragraph_table",
    "read_article",
    "read_metadata",
    "removal_table",
    "sentence_table",
    "spelling_variant_counts",
]

METADATA_COLUMNS: dict[str, str] = {
    "article_id": "stable, unique id used in every table and figure (required)",
    "file": "name of the .txt file in the same folder (required)",
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
_OUTLET_HINTS = {"themoscowtimes.com": "The Moscow Times", "ft.com": "Financial Times", "From the MT:": "The Moscow Times"}


class CorpusError(ValueError):
    """The corpus cannot be trusted as it is; ``problems`` lists ``(file, message)`` pairs."""

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {where}: {what}" for where, what in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the corpus:\n{lines}")


class CorpusWarning(UserWarning):
    """Something the loader kept but a reader should know about (e.g. a missing date)."""


def read_article(path: str | Path) -> str:
    """Read one article as text; BOM and CRLF line ends are accepted.

    Raises
    ------
    CorpusError
        If the file is empty, holds only white space, or is not valid UTF-8 (the message
        gives the byte offset).
    """
    path = Path(path)
    data = path.read_bytes()
    if not data:
        raise CorpusError([(path.name, "the file is empty (0 bytes)")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            [(path.name, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} ({exc.reason})")]
        ) from None
    if not text.strip():
        raise CorpusError([(path.name, f"the file holds only white space ({len(data)} bytes)")])
    return text


def read_metadata(path: str | Path) -> pd.DataFrame:
    """Read and check a metadata table (see :data:`METADATA_COLUMNS`).

    Raises
    ------
    CorpusError
        Listing every missing column, duplicate id or file, unparseable date, unknown
        ``date_basis`` and inferred date without a reason.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError([(path.name, f"cannot read the metadata table: {exc}")]) from None
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
            dates.append(pd.Timestamp(parse_date(row["date"])) if row["date"] else pd.NaT)
        except ValueError as exc:
            problems.append((where, f"unparseable date: {exc}"))
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


def load_corpus(
    folder: str | Path | None = None,
    *,
    metadata: str | Path | None | Literal["auto"] = "auto",
    unlisted: Literal["error", "infer"] | None = None,
) -> pd.DataFrame:
    """Load every ``.txt`` article in ``folder`` as one row, sorted by date.

    Parameters
    ----------
    folder
        Folder of ``.txt`` files; default :func:`~minsk_moscow.paths.corpus_dir` (the
        project's ``seeds/`` unless ``$MINSK_MOSCOW_CORPUS`` is set).
    metadata
        ``"auto"`` uses ``folder/articles.csv`` when it exists; a path uses that table;
        ``None`` ignores any table and takes everything from the texts.
    unlisted
        With a table, a file that has no row is an error (``"error"``) or is loaded with the
        facts its text states (``"infer"``), flagged in ``metadata_source`` and reported in a
        :class:`CorpusWarning`. Default: :func:`~minsk_moscow.config.unlisted_policy`
        (``"error"`` unless ``$MINSK_MOSCOW_UNLISTED`` says otherwise).

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, title, outlet, site, author, date, date_basis, date_note, url,
        text, file, metadata_source, n_paragraphs, n_sentences, n_words, n_raw_chars,
        n_removed_chars, removed`` (``removed``: tuple of :class:`~minsk_moscow.text.Removal`).

    Raises
    ------
    CorpusError
        Naming every file that cannot be loaded and why (nothing is dropped silently).
    """
    folder = corpus_dir() if folder is None else Path(folder)
    unlisted = unlisted_policy() if unlisted is None else unlisted
    if unlisted not in ("error", "infer"):
        raise ValueError(f"unlisted must be 'error' or 'infer', not {unlisted!r}")
    if not folder.is_dir():
        raise CorpusError([(str(folder), "no such folder")])
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not files:
        raise CorpusError([(str(folder), "no .txt articles in the folder")])
    table_path = folder / METADATA_FILE if metadata == "auto" else (Path(metadata) if metadata else None)
    table = read_metadata(table_path) if table_path is not None and table_path.exists() else None
    if metadata not in ("auto", None) and table is None:
        raise CorpusError([(str(table_path), "metadata table not found")])

    problems: list[tuple[str, str]] = []
    rows_by_file = {} if table is None else {row["file"]: row for _, row in table.iterrows()}
    if table is not None:
        names = {p.name for p in files}
        for name, row in rows_by_file.items():
            if name not in names:
                problems.append((f"{METADATA_FILE} ({row['article_id']})", f"row names file {name!r}, which is not in the folder"))

    records = []
    for path in files:
        try:
            raw = read_article(path)
        except CorpusError as exc:
            problems.extend(exc.problems)
            continue
        art = clean_article(raw)
        if not art.text.strip():
            kinds = ", ".join(sorted({r.kind for r in art.removed})) or "nothing recognisable"
            problems.append((path.name, f"no article text left after cleaning: everything was boilerplate ({kinds})"))
            continue
        row = rows_by_file.get(path.name)
        if table is not None and row is None and unlisted == "error":
            problems.append((path.name, f"file has no row in {METADATA_FILE} (add one, or load with unlisted='infer')"))
            continue
        if row is not None:
            record = {c: row[c] for c in METADATA_COLUMNS}
            record["metadata_source"] = "table"
        else:
            date, basis, note = pd.NaT, "missing", "no date found in the text"
            if art.date_text:
                try:
                    date, basis, note = pd.Timestamp(parse_date(art.date_text)), "stated", f"dateline {art.date_text!r}"
                except ValueError as exc:
                    problems.append((path.name, f"unparseable date line: {exc}"))
                    continue
            record = {
                "article_id": path.stem,
                "file": path.name,
                "title": art.title or path.stem,
                "outlet": _outlet_from_text(art.url, art.removed),
                "site": art.site,
                "author": art.byline.removeprefix("By ").strip(),
                "date": date,
                "date_basis": basis,
                "date_note": note,
                "url": art.url,
                "metadata_source": "text",
            }
        paragraphs = sentences_by_paragraph(art.text)
        record.update(
            text=art.text,
            n_paragraphs=len(paragraphs),
            n_sentences=sum(map(len, paragraphs)),
            n_words=count_words(art.text),
            n_raw_chars=len(raw),
            n_removed_chars=sum(len(r.text) for r in art.removed),
            removed=art.removed,
        )
        records.append(record)
    if problems:
        raise CorpusError(problems)

    corpus = pd.DataFrame.from_records(records)
    corpus["date"] = pd.to_datetime(corpus["date"])
    if table is not None:
        inferred = corpus.loc[corpus["metadata_source"] == "text", "file"].tolist()
        if inferred:
            warnings.warn(
                f"{len(inferred)} article(s) have no row in {METADATA_FILE}; their title and date come from "
                "the text: " + ", ".join(inferred),
                CorpusWarning,
                stacklevel=2,
            )
    undated = corpus.loc[corpus["date"].isna(), "file"].tolist()
    if undated:
        warnings.warn(
            f"{len(undated)} article(s) have no date (none in a metadata table, none stated in the text): "
            + ", ".join(undated),
            CorpusWarning,
            stacklevel=2,
        )
    columns = list(METADATA_COLUMNS)[:1] + [c for c in METADATA_COLUMNS if c not in ("article_id", "file")]
    columns += ["text", "file", "metadata_source", "n_paragraphs", "n_sentences", "n_words",
                "n_raw_chars", "n_removed_chars", "removed"]
    return corpus[columns].sort_values(["date", "article_id"], na_position="last").reset_index(drop=True)


def removal_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per piece of text the cleaner removed: ``article_id, kind, text``.

    >>> removal_table(load_corpus()).query("kind == 'photo_credit'")["text"].tolist()
    ['Mikhail Metzel / TASS']
    """
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
    rows = [
        {"article_id": aid, "date": date, "paragraph": i, "text": para}
        for aid, date, text in zip(corpus["article_id"], corpus["date"], corpus["text"])
        for i, para in enumerate(split_paragraphs(text))
    ]
    return pd.DataFrame(rows, columns=["article_id", "date", "paragraph", "text"])


def sentence_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: ``article_id, date, paragraph, sentence, text``.

    ``sentence`` counts within the article, so ``(article_id, sentence)`` is a stable key.
    """
    rows = []
    for aid, date, text in zip(corpus["article_id"], corpus["date"], corpus["text"]):
        n = 0
        for p, sentences in enumerate(sentences_by_paragraph(text)):
            for sent in sentences:
                rows.append({"article_id": aid, "date": date, "paragraph": p, "sentence": n, "text": sent})
                n += 1
    return pd.DataFrame(rows, columns=["article_id", "date", "paragraph", "sentence", "text"])


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

