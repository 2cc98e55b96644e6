"""Cleaning, splitting and tokenizing scraped news articles.

The raw files keep everything a scraper picked up. :func:`clean_article` turns one raw file
into the article's own text plus a record of every piece it removed, so nothing disappears
without trace. The steps, in order:

1. **Characters**: drop invisible characters that split words (byte-order mark, soft hyphen,
   zero-width spaces and joiners: :data:`INVISIBLE_CHARACTERS`), compose accents (Unicode NFC),
   turn CRLF/CR into LF, non-breaking and thin spaces into plain spaces, spaced dots
   (``. . .``) into ``...``.
2. **Blog owner's comments** between ``^`` marks are cut out (kind ``blog_comment``).
3. **Furniture lines** are recognised on their own: ``Related article:`` and ``See also``
   links, ``Original url:`` footers and bare URLs, ``No comments:``, ``Post a Comment``,
   ``Leave a Reply``, cookie notices, ``From the MT:`` source notes, bylines and date lines.
4. **Run-in subheadings** inside line-wrapped text (``Mass demonstrations Lukashenko, ...``)
   are split off (see :func:`split_run_in_heading`).
5. Lines are grouped into blocks at blank lines; a wrapped block is joined into one line.
6. **Header**: the blocks before the first sentence are the masthead; its last line is the
   title, any earlier one the site name. A title is short (at most 300 characters: a longer
   block without a full stop is article text) and a masthead holds at most four blocks; a
   byline in another language ("Von Hans Müller") or a line of author names after the title
   is the byline, not the title. Markdown headings in the body are subheadings.
7. **Photo captions**: a block ending in a photo credit (``Natalia Fedosenko / TASS``,
   ``© AFP via Getty Images``) is a caption; a credit on its own removes the block above it.
8. **Paragraphs split mid-sentence** are joined: a block that does not end a sentence runs on
   into the next body block.

Examples
--------
>>> raw = "Title\\n\\nBy AFP\\n\\nIt began.\\n\\nProtests against\\n\\nLukashenko's rule grew.\\n"
>>> clean_text(raw)
"It began.\\n\\nProtests against Lukashenko's rule grew."
>>> split_sentences('"We agreed," he said. Mr Putin left on Aug. 9. He is back.')
['"We agreed," he said.', 'Mr Putin left on Aug. 9.', 'He is back.']
>>> tokenize("Belarussian leader Lukashenko's “brotherly” ties")
['belarusian', 'leader', 'lukashenko', 'brotherly', 'ties']

Words and sentences of any alphabet are found ("größte", "Лукашенко встретился с Путиным.");
the stop words and spelling variants are English. Every function takes time linear in its
input (``benchmarks/hostile.py`` times the inputs that once took quadratic time).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .aliases import SPELLING_VARIANTS, STOP_WORDS

T = TypeVar("T")

__all__ = [
    "CleanedArticle",
    "Removal",
    "clean_article",
    "clean_text",
    "count_words",
    "normalize_characters",
    "parse_date",
    "sentences_by_paragraph",
    "split_paragraphs",
    "split_run_in_heading",
    "split_sentences",
    "tokenize",
]


@dataclass(frozen=True)
class Removal:
    """One piece of text the cleaner removed, and why."""

    kind: str
    text: str


@dataclass(frozen=True)
class CleanedArticle:
    """The result of :func:`clean_article`.

    Attributes
    ----------
    text : str
        The article body, paragraphs separated by one blank line.
    title, site, byline, date_text, url : str
        What the raw file states in its masthead and footer ('' where absent).
    removed : tuple of Removal
        Everything that was taken out, in file order.
    """

    text: str
    title: str = ""
    site: str = ""
    byline: str = ""
    date_text: str = ""
    url: str = ""
    removed: tuple[Removal, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- characters
_SPACED_DOTS = re.compile(r"[ \u00a0\u2009\u202f]?\.[ \u00a0\u2009\u202f]\.[ \u00a0\u2009\u202f]\.")
# Every spaced ellipsis holds one of these: where none occurs, _SPACED_DOTS need not scan the text.
_SPACED_DOT_PAIRS = tuple(f".{space}." for space in " \u00a0\u2009\u202f")
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile(r"[ \t]{2,}")
INVISIBLE_CHARACTERS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
"""Characters that are invisible and may sit inside a word, removed before anything else: the
soft hyphen (U+00AD), zero-width space, non-joiner and joiner (U+200B-U+200D), word joiner and
invisible operators (U+2060-U+2064), byte-order mark / zero-width no-break space (U+FEFF), and
the bidirectional marks, embeddings and isolates (U+061C, U+200E, U+200F, U+202A-U+202E,
U+2066-U+2069) and the Mongolian vowel separator (U+180E). Left in, they split words:
``"Rus\\u200bsia"`` would read as ``rus``, ``sia``."""
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _require_str(value: object, *, function: str, argument: str = "text") -> None:
    """Raise a ``TypeError`` that says what ``function`` was given instead of a ``str`` and what to do."""
    if isinstance(value, str):
        return
    kind = "None" if value is None else type(value).__name__
    if isinstance(value, (bytes, bytearray, memoryview)):
        hint = ": decode it first, e.g. data.decode('utf-8')"
    elif isinstance(value, float) and value != value:
        hint = " (NaN: a missing text?)"
    elif isinstance(value, Iterable):
        hint = f": pass one text at a time, e.g. [{function}(t) for t in texts]"
    else:
        hint = ""
    raise TypeError(f"{function}() expects {argument} as a str, got {kind}{hint}")


def _drop_invisible(text: str) -> str:
    """``text`` without :data:`INVISIBLE_CHARACTERS` (every one is outside ASCII: ASCII text is returned as it is)."""
    if text.isascii():
        return text
    return _INVISIBLE.sub("", text)


def normalize_characters(raw: str) -> str:
    """Normalise characters, line ends and spaces; keep quotes and dashes.

    Invisible characters that split words (:data:`INVISIBLE_CHARACTERS`: soft hyphens,
    zero-width spaces and joiners, byte-order marks...) are removed; the text is put in Unicode
    NFC form (an accent typed as a combining mark joins its letter: ``e`` + U+0301 -> ``é``);
    CRLF, CR and the Unicode line and paragraph separators become LF; non-breaking, thin and
    other odd spaces plain spaces, runs of spaces one; spaced dots (``. . .``) ``...``; every
    line is stripped.

    >>> normalize_characters("\\ufeffRussia\\u2009.\\u2009.\\u2009. that\\r\\n")
    'Russia... that\\n'
    >>> normalize_characters("Mos\\u00adcow and Rus\\u200bsia")
    'Moscow and Russia'
    """
    _require_str(raw, function="normalize_characters", argument="raw")
    text = raw
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if "\u2028" in text or "\u2029" in text:
            text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(pair in text for pair in _SPACED_DOT_PAIRS):
        text = _SPACED_DOTS.sub("...", text)
    text = _ODD_SPACES.sub(" ", text)
    if "  " in text or "\t" in text:  # what every run of spaces and tabs holds
        text = _SPACE_RUN.sub(" ", text)  # runs never cross a line end: no need to go line by line
    return "\n".join(map(str.strip, text.split("\n")))


# --------------------------------------------------------------------------- patterns
# A blog owner's comment opens with "^" and white space at the start of a line and closes with
# white space and "^" at the end of a line. The two ends are searched for separately (see
# _blog_comments): one regex with ".*?" between them rescanned the rest of the text from every
# opening that nothing closes, which took time growing with the square of the text.
_COMMENT_OPEN = re.compile(r"(?m)^\^\s")
_COMMENT_CLOSE = re.compile(r"(?m)\s\^[ \t]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_URL = re.compile(r"^(?:https?://|www\.)\S+(?:\s+\S+)*$", re.IGNORECASE)
_URL_PIECE = re.compile(r"^[\w./%?=&#~+-]+$")
_BYLINE = re.compile(r"^By\s+[A-Z][^.!?]{1,100}$")
# Bylines in other languages: a prefix, then names (checked by _names_line).
_FOREIGN_BYLINE = re.compile(
    r"^(?:Von|Par|Por|Door|Av|Af|Przez|Autor(?:in|a)?:|Author:|Автор:|Авторы:|Аўтар:)\s+(?P<names>\S.{0,150})$"
)
# What joins names in a byline: commas, "&", "and" in a few languages.
_NAME_JOINER = re.compile(r"\s*(?:,|&|\s(?:and|und|et|y|e|i|и|і|та|oraz|en|og|och|ve)\s)\s*")
_NAME_PARTICLES = frozenset("von van der den de da di du del della la le bin ibn al el ten ter zu".split())
_TITLE_MAX = 300
"""Characters a title may have: a longer block without a finished sentence is article text."""
_HEADER_MAX = 4
"""Blocks a masthead may have (site names, section, title). More blocks before the first sentence
are no masthead: the first is kept as the title, the others are article text."""

# (kind, pattern, hint): a line is of the first kind whose pattern it matches. Every match holds
# the hint once lower-cased, so the pattern is tried only on lines that do (the empty hint of
# the patterns anchored at the start, which fail at once, lets every line through).
_FURNITURE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("related_link", re.compile(r"^(?:#+\s*)?(?:\*\*)?(?:Related articles?|Read more|See also)\b", re.I), ""),
    ("footer", re.compile(r"^Original (?:url|URL|link|article)\s*:?", re.I), ""),
    ("blog_furniture", re.compile(r"^(?:No comments?:?|\d+ comments?:?|Post a Comment|Leave a Reply|"
                                   r"Note: Only a member of this blog may post a comment\.?|"
                                   r"Newer Post|Older Post|Home|Subscribe to:.*|Share this:?)$", re.I), ""),
    ("cookie_notice", re.compile(r"\b(?:uses|use of) cookies\b", re.I), "cook"),
    ("source_note", re.compile(r"^(?:From|Via|Source)(?: the)? [\w .&'-]{1,40}:$"), ""),
)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DATE_LINE = re.compile(
    rf"^{_WEEKDAY}(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})(?:\s*[,|-]?\s*\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)?$",
    re.I,
)

_CREDIT_AGENCIES = r"TASS|AFP|Reuters|AP|EPA|Sputnik|BelTA|RIA Novosti|Kommersant|Getty Images|Shutterstock"
_CREDIT = re.compile(
    rf"(?:^|\s)(?:©\s*[^.!?]{{2,80}}|(?:Photo|Credit|Image)s?:\s*[^.!?]{{2,80}}|"
    rf"(?:[A-Z][\w'’.-]*\s){{1,3}}/\s?(?:{_CREDIT_AGENCIES}|[A-Z][\w.-]+(?:\s[A-Z][\w.-]+)?))$"
)

# Sentence-final punctuation of other scripts: Armenian, Devanagari, Arabic, Urdu, Ethiopic, CJK.
_OTHER_STOPS = "։।॥؟۔።。！？"
_SENTENCE_PUNCTUATION = (".", "!", "?", ":", "…", *_OTHER_STOPS)
_CLOSING_MARKS = "\"”’')]»«"
# A full stop, "!" or "?" (or another script's), then maybe closing quotes, then white space or
# the end; the character before it is checked by _can_end_sentence. Starts with one character
# class, so the engine skips straight to the punctuation.
_FINISHED_SENTENCE = re.compile(rf"[.!?{_OTHER_STOPS}][\"”’')»«]*(?:\s|$)")

# A run-in subheading: 1-3 words at the start of a wrapped line that follows a finished
# sentence, then the capitalised first word of the section's first sentence.
_RUN_IN = re.compile(r"^(?P<head>[A-Z][a-z]+(?: [A-Za-z][a-z]+){0,2}) (?P<next>[A-Z][\w'’]*)(?P<after>\S*)(?: (?P<following>\S+))?")
_VERB_LIKE = re.compile(r"(?:ed|ly)$")
_AUXILIARIES = frozenset("is are was were be been has have had will would can could may might must did does do said says".split())
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at for with from by against about over under into as that "
    "which who than his her its their our your my this these those".split()
)
_ROLE_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson president minister leader chief head analyst ambassador "
    "candidate official officials director member members general secretary premier".split()
)


# --------------------------------------------------------------------------- helpers
def _strip_markup(line: str) -> str:
    # Each regex runs only when its characters occur: _MD_EMPHASIS has no literal prefix and
    # would otherwise be tried at every position of every line.
    if line.startswith("#"):
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
    if "*" in line or "_" in line:
        line = _MD_EMPHASIS.sub("", line)
    return line.strip()


def _ends_sentence(text: str) -> bool:
    """True when the text ends with sentence punctuation, maybe followed by closing quotes or brackets."""
    return text.rstrip().rstrip(_CLOSING_MARKS).endswith(_SENTENCE_PUNCTUATION)


def _can_end_sentence(char: str) -> bool:
    """True when a sentence can end after ``char``: a lower-case or caseless letter, a combining
    mark, a digit or a closing quote or bracket. Not a capital: "U.S." ends no sentence."""
    if char.isalpha():
        return not (char.isupper() or char.istitle())
    return char.isdecimal() or char in "\"”’')»«" or unicodedata.category(char)[0] == "M"


def _has_sentence(text: str) -> bool:
    """True when the text contains a finished sentence (not just a headline)."""
    return any(m.start() and _can_end_sentence(text[m.start() - 1]) for m in _FINISHED_SENTENCE.finditer(text))


def _blog_comments(text: str) -> list[tuple[int, int]]:
    """Start and end of each blog owner's comment (``^ ... ^``), in one pass over ``text``.

    The same spans as ``re.finditer(r"(?ms)^\\^\\s.*?\\s\\^[ \\t]*$", text)``: each opening
    is closed by the first closing mark after it; where none follows, no later opening can be
    closed either, so the search stops.

    >>> _blog_comments("Text.\\n^ A comment\\nover lines ^\\nMore.\\n^ unclosed\\n")
    [(6, 30)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    while (opening := _COMMENT_OPEN.search(text, pos)) is not None:
        closing = _COMMENT_CLOSE.search(text, opening.end())
        if closing is None:
            break
        spans.append((opening.start(), closing.end()))
        pos = closing.end()
    return spans


def _names_line(line: str, *, min_words: int = 2, min_names: int = 2) -> bool:
    """True when ``line`` is nothing but people's names: at least ``min_names`` names of
    ``min_words``-4 capitalised words (initials and particles such as "von" allowed), joined by
    commas, "&" or "and" in a few languages; a last part of one word may name a place or agency.

    >>> _names_line("Hans Müller und Anna Schmidt"), _names_line("Tatiana Kalinovskaya and Maria Antonova")
    (True, True)
    >>> _names_line("Putin Lukashenko Talks"), _names_line("Putin, Lukashenko To Talk Integration")
    (False, False)
    """
    if len(line) > 150:
        return False
    parts = _NAME_JOINER.split(line)
    if not min_names <= len(parts) <= 8:
        return False
    for k, part in enumerate(parts):
        words = part.split()
        fewest = 1 if k and k == len(parts) - 1 else min_words  # "Hans Müller, Moskau"
        if not fewest <= len(words) <= 4:
            return False
        for j, word in enumerate(words):
            if 0 < j < len(words) - 1 and word in _NAME_PARTICLES:
                continue
            initial = len(word) == 2 and word[1] == "."
            if not word[0].isupper() or not (initial or all(c.isalpha() or c in "'’-" for c in word)):
                return False
    return True


def _is_byline(line: str) -> bool:
    """True for a byline: "By ..." (English) or "Von ...", "Par ...", "Автор: ..." and names."""
    if _BYLINE.match(line):
        return True
    foreign = _FOREIGN_BYLINE.match(line)
    return bool(foreign) and _names_line(foreign.group("names"), min_words=1, min_names=1)


def split_run_in_heading(line: str, *, previous: str) -> tuple[str, str] | None:
    """Split a subheading that the scraper ran into the first line of its section.

    A heading is recognised only at the start of a wrapped line whose previous line ended a
    sentence (not an abbreviation or initial: "Mr.", "Aug.", "U.S."), as 1-3 words (first capitalised) followed by a capitalised word that starts a
    sentence. Clauses and noun phrases that merely continue with a name are not headings:
    the candidate may hold no role noun ("Kremlin spokesman Dmitry Peskov"), no verb-like
    word ("Putin swiftly congratulated Lukashenko"), and the word after it must not be
    followed by another capitalised word.

    Returns ``(heading, rest)`` or ``None``.

    >>> split_run_in_heading("Dependent on Russia The", previous="loans.")
    ('Dependent on Russia', 'The')
    >>> split_run_in_heading("Kremlin spokesman Dmitry Peskov said", previous="integration.") is None
    True
    >>> split_run_in_heading("Lukashenko met on Aug. 9", previous="talks between Mr. Putin and Mr.") is None
    True
    """
    _require_str(line, function="split_run_in_heading", argument="line")
    _require_str(previous, function="split_run_in_heading", argument="previous")
    if not _ends_sentence(previous):
        return None
    end = previous.rstrip()
    if end.endswith(".") and _is_abbreviation(_word_before_stop(end, 0, len(end) - 1)):
        return None  # "Mr." or "U.S." at the end of a line ends no sentence
    match = _RUN_IN.match(line)
    if not match:
        return None
    head, nxt, after, following = (match.group(g) for g in ("head", "next", "after", "following"))
    words = head.split()
    if any(w.lower() in _ROLE_NOUNS for w in words) or words[0].lower() in {"the", "a", "an", "in", "on", "but", "and"}:
        return None
    if any(_VERB_LIKE.search(w) or w.lower() in _AUXILIARIES for w in words[1:]):
        return None  # "Putin swiftly congratulated Lukashenko": a clause, not a heading
    if following and following[:1].isupper() and not after:
        return None  # "Kremlin spokesman Dmitry Peskov": a name continues the noun phrase
    if nxt.isupper() and len(nxt) > 1:
        return None  # an acronym is more likely part of the phrase than a sentence start
    return head, line[len(head) + 1 :]


def _find_credit(text: str) -> re.Match[str] | None:
    """The photo credit ending ``text``, if any (see ``_CREDIT``)."""
    # every credit holds "©", a "Photo:"-style colon or a "Name / AGENCY" slash: the costly
    # search is skipped for the many blocks that hold none of them
    if "©" in text or ":" in text or "/" in text:
        return _CREDIT.search(text)
    return None


def _join_wrapped(lines: list[str]) -> str:
    return " ".join(part.strip() for part in lines if part.strip())


def _block_is_url(lines: list[str]) -> bool:
    return bool(lines) and bool(re.match(r"^(?:https?://|www\.)", lines[0], re.I)) and all(
        _URL_PIECE.match(piece) for line in lines for piece in line.split()
    )


def _repair_url(text: str) -> str:
    """Rejoin a URL that the scraper broke with spaces or line ends (URLs hold no spaces)."""
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- cleaning
def clean_article(raw: str) -> CleanedArticle:
    """Clean one scraped article and report everything removed.

    Parameters
    ----------
    raw : str
        The file's text as read (any line ends, BOM allowed).

    Returns
    -------
    CleanedArticle
        Body text (paragraphs separated by a blank line), masthead facts and removals.

    Examples
    --------
    >>> art = clean_article("Title\\n\\nRelated article: Something\\n\\nA sentence.\\n")
    >>> art.title, art.text, [r.kind for r in art.removed]
    ('Title', 'A sentence.', ['title', 'related_link'])
    """
    _require_str(raw, function="clean_article", argument="raw")
    text = normalize_characters(raw)
    removed: list[Removal] = []

    def drop(kind: str, piece: str) -> None:
        piece = piece.strip()
        if piece:
            removed.append(Removal(kind, piece))

    if "^" in text:  # blog comments are set off by "^" marks
        spans = _blog_comments(text)
        for start, end in spans:
            drop("blog_comment", " ".join(text[start:end].split()))
        if spans:
            ends = [0, *(i for span in spans for i in span), len(text)]
            text = "".join(text[ends[i] : ends[i + 1]] for i in range(0, len(ends), 2))

    # ---- line pass: furniture, bylines, dates, URLs, run-in headings; build blocks
    facts = {"byline": "", "date_text": "", "url": ""}
    blocks: list[list[str]] = []
    current: list[str] = []
    expecting_url = False
    url_parts: list[str] = []

    def close_block() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            close_block()
            continue
        plain = _strip_markup(stripped)
        if expecting_url and (_URL.match(plain) or (url_parts and _URL_PIECE.match(plain))):
            url_parts.append(plain)
            continue
        expecting_url = False
        lowered = plain.lower()
        kind = next((k for k, pattern, hint in _FURNITURE if hint in lowered and pattern.search(plain)), None)
        if kind == "footer":
            drop("footer", plain)
            rest = re.sub(r"^Original (?:url|link|article)\s*:?\s*", "", plain, flags=re.I)
            if rest:
                url_parts.append(rest)
            expecting_url = True
            close_block()
            continue
        if kind:
            drop(kind, plain)
            close_block()
            continue
        if not facts["byline"] and _is_byline(plain):
            facts["byline"] = plain
            drop("byline", plain)
            close_block()
            continue
        if _DATE_LINE.match(plain):
            facts["date_text"] = facts["date_text"] or plain
            drop("date_line", plain)
            close_block()
            continue
        if _URL.match(plain) and " " not in plain:
            drop("url", plain)
            facts["url"] = facts["url"] or plain
            close_block()
            continue
        if current:
            split = split_run_in_heading(stripped, previous=current[-1])
            if split:
                heading, rest = split
                drop("subheading", heading)
                close_block()
                current.append(rest)
                continue
        current.append(stripped)
    close_block()

    if url_parts:
        facts["url"] = _repair_url(" ".join(url_parts))
        drop("url", " ".join(url_parts))

    # ---- a quoted headline wrapped over lines at the top of a block becomes its own block
    split_blocks: list[list[str]] = []
    for block in blocks:
        if len(block) > 1 and block[0][:1] in "“\"" and not re.search(r"[”\"]", block[0][1:]):
            for i, line in enumerate(block[1:], start=1):
                if re.search(r"[”\"]$", line):
                    headline = _join_wrapped(block[: i + 1])
                    if not _has_sentence(headline[1:-1]):
                        split_blocks.append(block[: i + 1])
                        block = block[i + 1 :]
                    break
        if block:
            split_blocks.append(block)

    # ---- block pass: header, headings, captions, credits
    paragraphs: list[str] = []
    header: list[str] = []
    in_header = True
    for block in split_blocks:
        joined = _join_wrapped(block)
        plain = _strip_markup(joined)
        if not plain:
            continue  # markup alone ("**")
        is_heading = bool(_MD_HEADING.match(block[0]))
        credit = _find_credit(plain)
        if credit:
            credit_only = plain == credit.group(0).strip()
            if credit_only and paragraphs:
                drop("photo_caption", paragraphs.pop())
            drop("photo_credit" if credit_only else "photo_caption", plain)
            continue
        if in_header and len(plain) <= _TITLE_MAX and not _has_sentence(plain):
            if header and not facts["byline"] and _names_line(plain):
                facts["byline"] = plain  # "Hans Müller und Anna Schmidt" after the title
                drop("byline", plain)
                continue
            if len(header) < _HEADER_MAX:
                header.append(plain.strip("“”\"'"))
                continue
            # no masthead is this long: the first block is the title, the rest article text
            paragraphs.extend(header[1:])
            del header[1:]
            paragraphs.append(plain)
            in_header = False
            continue
        in_header = False
        plain_heading = (
            not _has_sentence(plain)
            and len(plain.split(maxsplit=6)) <= 6
            and plain[:1].isupper()
            and plain.split()[-1].lower() not in _FUNCTION_WORDS
            and (not paragraphs or _ends_sentence(paragraphs[-1]))
        )
        if is_heading or plain_heading:
            drop("subheading", plain)
            continue
        paragraphs.append(plain)

    title = header[-1] if header else ""
    site = " | ".join(header[:-1])
    if site:
        drop("site_name", site)
    if title:
        removed.insert(0, Removal("title", title))

    # ---- join paragraphs that the scraper split mid-sentence (as lists of parts: joining
    # strings one by one would copy the growing paragraph for every part)
    merged: list[list[str]] = []
    for para in paragraphs:
        if merged and not _ends_sentence(merged[-1][-1]):
            merged[-1].append(para)
        else:
            merged.append([para])
    # a trailing fragment that never ends a sentence is kept: it is article text

    return CleanedArticle(
        text="\n\n".join(" ".join(parts) for parts in merged),
        title=title,
        site=site,
        byline=facts["byline"],
        date_text=facts["date_text"],
        url=facts["url"],
        removed=tuple(removed),
    )


def clean_text(raw: str) -> str:
    """Return only the article body of a scraped text (see :func:`clean_article`).

    >>> clean_text("Headline\\n\\nNo comments:\\n\\nPost a Comment\\n\\nIt rained.")
    'It rained.'
    """
    _require_str(raw, function="clean_text", argument="raw")
    return clean_article(raw).text


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _single_spaced(text: str) -> str:
    """``text`` with each run of white space made one space and none at either end."""
    # Printable text holds no white space but " " (every other space, tab or line break is
    # unprintable), so unless two spaces meet or one ends it, it is single-spaced already and
    # is returned as it is: most paragraphs of a clean text are.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def split_paragraphs(text: str) -> list[str]:
    """Split clean text into paragraphs at blank lines; white space inside becomes single spaces.

    >>> split_paragraphs("One.\\n\\n\\nTwo\\nlines.\\n")
    ['One.', 'Two lines.']
    """
    _require_str(text, function="split_paragraphs")
    return [_single_spaced(p) for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


# --------------------------------------------------------------------------- dates
_MONTH_NUMBER = {
    name: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}


def parse_date(text: str) -> "datetime.date":
    """Parse a date as news sites print it; raise ``ValueError`` naming the text otherwise.

    >>> parse_date("September 03, 2020"), parse_date("Saturday, 15 August 2020")
    (datetime.date(2020, 9, 3), datetime.date(2020, 8, 15))
    >>> parse_date("Aug. 5, 2020")
    datetime.date(2020, 8, 5)
    """
    import datetime

    _require_str(text, function="parse_date")

    s = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if iso:
        y, m, d = map(int, iso.groups())
    else:
        s = re.sub(rf"^{_WEEKDAY}", "", s, flags=re.I)
        s = re.sub(r"\s*[,|-]?\s*\d{1,2}:\d{2}.*$", "", s)
        mdy = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", s)
        dmy = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", s)
        if mdy:
            month, d, y = mdy.group(1), int(mdy.group(2)), int(mdy.group(3))
        elif dmy:
            d, month, y = int(dmy.group(1)), dmy.group(2), int(dmy.group(3))
        else:
            raise ValueError(f"unrecognised date {text!r}")
        if month.lower() not in _MONTH_NUMBER:
            raise ValueError(f"unrecognised month in date {text!r}")
        m = _MONTH_NUMBER[month.lower()]
    try:
        return datetime.date(y, m, d)
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r}: {exc}") from None


# --------------------------------------------------------------------------- sentences
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt maj capt sgt sen rep gov pres jr sr inc ltd co corp no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ fig e.g i.e".split()
)
# A sentence end: "...", "…", ".", "!" or "?" (or another script's), closing quotes or brackets,
# then white space and a letter or digit, maybe after an opening quote; the group captures that
# character, and _starts_sentence says whether it opens a sentence (a capital, a caseless letter,
# a digit). Written to start with one character class (the optional group turns a "." into "..."
# exactly where an alternation "...|…|[.!?]" would), so the regex engine skips to candidate
# characters instead of trying every position.
_BOUNDARY = re.compile(rf"[.!?…{_OTHER_STOPS}](?:(?<=\.)\.\.)?[\"”’')\]»«]*(?=\s+[\"“‘'(\[«»„‚]?([^\W_]))")
# The word before a full stop, read backwards: letters, digits and dots. Matched on the reversed
# chunk, because "([\w.]+)\.?$" searched forwards retries every start of a long word that
# ends in a hyphen or a bracket, which takes time growing with the square of the word.
_WORD_REVERSED = re.compile(r"[\w.]*")
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")


def _starts_sentence(char: str) -> bool:
    """True when a sentence may open with ``char``: a capital or caseless letter, or a digit."""
    return char.isdecimal() or (char.isalpha() and not char.islower())


def _is_abbreviation(word: str) -> bool:
    """True when a full stop after ``word`` (lower-cased, without the stop) ends no sentence:
    a known abbreviation ("mr", "aug"), a single letter (an initial) or a dotted acronym ("u.s").

    >>> [_is_abbreviation(w) for w in ("gen", "j", "u.s", "в", "moscow", "9")]
    [True, True, True, True, False, False]
    """
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or bool(_DOTTED_ACRONYM.fullmatch(word))


def _word_before_stop(text: str, start: int, dot: int) -> str:
    """The word that the full stop ``text[dot]`` ends, lower-cased, without its dots.

    Only the last space-free chunk of ``text[start:dot + 1]`` is read (closing quotes and
    brackets before the stop are skipped), so a long sentence is not copied for each stop.
    """
    chunk = text[max(start, text.rfind(" ", start, dot + 1) + 1) : dot + 1]
    chunk = chunk.rstrip(".!?…\"”’')]»«") + "."
    return _WORD_REVERSED.match(chunk[::-1]).group()[::-1].lower().rstrip(".")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences.

    Handles quotations (the closing quote stays with its sentence), honorifics with or
    without a full stop ("Mr Lukashenko", "Mr. Putin"), abbreviated months ("Aug. 9"),
    dotted acronyms ("U.S.", "e.g."), initials and ellipses ("Power... is": no break
    before a lower-case word). Paragraph breaks always end a sentence.

    >>> split_sentences("Moscow said... It is done. The U.S. and Russia met.")
    ['Moscow said...', 'It is done.', 'The U.S. and Russia met.']
    >>> split_sentences('“Power... is the scariest drug,” he said. “He agreed.”')
    ['“Power... is the scariest drug,” he said.', '“He agreed.”']

    Any alphabet: a sentence opens with a capital, a letter of a script without capitals or a
    digit; guillemets are quotes; initials are letters of any script.

    >>> split_sentences("Лукашенко встретился с В. В. Путиным. «Они договорились», — сказал он.")
    ['Лукашенко встретился с В. В. Путиным.', '«Они договорились», — сказал он.']

    The splits of the texts last split are kept, up to :data:`SPLIT_MEMO_CHARS` characters of
    them (see :func:`sentences_by_paragraph`): every analysis splits the same articles again.
    """
    _require_str(text, function="split_sentences")
    return [sentence for sentences in _sentences_by_paragraph(text) for sentence in sentences]


def sentences_by_paragraph(text: str) -> list[list[str]]:
    """The sentences of each paragraph: :func:`split_sentences` grouped by :func:`split_paragraphs`.

    >>> sentences_by_paragraph("Moscow agreed. So did Minsk.\\n\\nMr. Putin left.")
    [['Moscow agreed.', 'So did Minsk.'], ['Mr. Putin left.']]
    """
    _require_str(text, function="sentences_by_paragraph")
    return [list(sentences) for sentences in _sentences_by_paragraph(text)]


SPLIT_MEMO_CHARS = 1 << 24
"""Characters of text (about 16.8 million: some 3,000 news articles) whose splits each process
remembers (see :func:`_memo_by_chars`)."""


def _memo_by_chars(limit: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember a function of one text for the most recently used texts, at most ``limit``
    characters of them in all (a longer text is not remembered).

    Bounded by characters rather than by a count of texts, so that what a process holds does
    not grow with the length of the articles. A corpus larger than the memo, read in order
    again by the next step, finds none of its texts still remembered: at 100,000 articles a
    memo of 16,384 texts held 235 MB in each worker process without a single hit. The
    function gets ``cache_clear()``.

    >>> calls = []
    >>> upper = _memo_by_chars(6)(lambda text: calls.append(text) or text.upper())
    >>> [upper(t) for t in ("abc", "abc", "defg", "abc")], calls
    (['ABC', 'ABC', 'DEFG', 'ABC'], ['abc', 'defg', 'abc'])
    """

    def decorate(func: Callable[[str], T]) -> Callable[[str], T]:
        memo: OrderedDict[str, T] = OrderedDict()  # least recently used first
        held = 0  # characters of the texts in memo

        @functools.wraps(func)
        def remembered(text: str) -> T:
            nonlocal held
            if text in memo:
                memo.move_to_end(text)
                return memo[text]
            value = func(text)
            if len(text) <= limit:
                memo[text] = value
                held += len(text)
                while held > limit:
                    held -= len(memo.popitem(last=False)[0])
            return value

        def cache_clear() -> None:
            nonlocal held
            memo.clear()
            held = 0

        remembered.cache_clear = cache_clear  # type: ignore[attr-defined]
        return remembered

    return decorate


@_memo_by_chars(SPLIT_MEMO_CHARS)
def _sentences_by_paragraph(text: str) -> tuple[tuple[str, ...], ...]:
    """The sentences of each paragraph of ``text``, memoised.

    The loader, :func:`~minsk_moscow.corpus.sentence_table`, the keyword and the topic
    analyses all split the same articles, so a corpus is split once when its texts fit in
    :data:`SPLIT_MEMO_CHARS` characters; their sentences are about the size of the texts.
    """
    return tuple(_paragraph_sentences(para) for para in split_paragraphs(text))


def _paragraph_sentences(para: str) -> tuple[str, ...]:
    """The sentences of one paragraph as :func:`split_paragraphs` gives it (single-spaced)."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(para):
        if not _starts_sentence(match.group(1)):
            continue  # a lower-case word follows: no break
        end = match.end()
        dot = match.start()
        # paragraphs hold single spaces only, so the word before the full stop lies in the
        # last space-free chunk: read that, not the whole sentence so far
        if para[dot] == "." and para[dot : dot + 3] != "..." and _is_abbreviation(_word_before_stop(para, start, dot)):
            continue
        sentence = para[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    tail = para[start:].strip()
    if tail:
        sentences.append(tail)
    return tuple(sentences)


# --------------------------------------------------------------------------- tokens
# Curly quotes, apostrophes and dashes (and the Unicode hyphens), folded to ASCII before tokens are found.
_QUOTE_FOLD: tuple[tuple[str, str], ...] = (
    ("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"),
    ("\u2010", "-"), ("\u2011", "-"),
)
# Letters and digits, joined by hyphens or apostrophes. The quantifiers are possessive (no
# backtracking): nothing a greedy run gave back could let the pattern match otherwise.
_TOKEN = re.compile(r"[a-z0-9]++(?:[-'][a-z0-9]++)*+")
# The same for text outside ASCII: letters and digits of any script ("größte", "лукашенко").
_UNICODE_TOKEN = re.compile(r"[^\W_]++(?:[-'][^\W_]++)*+")
_RULE_MEMOS: dict[tuple[str, frozenset[str], bool, int, bool], dict[str, Any]] = {}
_RULE_MEMO_LIMIT = 500_000
"""Strings memoised per scope and option set; a memo that grows beyond this starts afresh."""
_STOP_SETS: dict[frozenset[str], frozenset[str]] = {}
"""One object for every distinct stop-word set seen, so the memos' keys compare by identity."""
_STOP_SET_OF: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
"""``id(stops) -> (stops, its one object)``: a set met before is found without comparing its words."""


def _fold_chars(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``text`` with every ``char`` of the ``(char, replacement)`` pairs replaced.

    Same as ``str.translate`` with a dict table when no replacement is itself a ``char``, but
    much faster: a few ``str.replace`` calls are C loops (skipped when the character is
    absent), while ``translate`` looks every character of a non-ASCII text up in the table.
    """
    for char, replacement in pairs:
        if char in text:
            text = text.replace(char, replacement)
    return text


@functools.lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    """True for a combining mark (Unicode categories Mn, Mc, Me): part of the word it sits in."""
    return unicodedata.category(char)[0] == "M"


@functools.lru_cache(maxsize=64)
def _token_pattern_with(marks: frozenset[str]) -> re.Pattern[str]:
    """:data:`_UNICODE_TOKEN` with these combining marks as word characters too.

    Python's ``\\w`` holds letters and digits but no marks, so the vowel signs of Devanagari
    (or an accent left as a mark) would split a word; only the marks a text holds are added,
    as a small class (a class of every mark in Unicode makes the regex several times slower).
    """
    char = f"(?:[^\\W_]|[{''.join(sorted(marks))}])"
    return re.compile(rf"{char}++(?:[-']{char}++)*+")


def _raw_tokens(text: str) -> list[str]:
    """Every word of ``text``, lower-cased with quotes folded, before the rules of :func:`tokenize`.

    ASCII text takes the fast ASCII pattern. Other text loses its invisible characters, is put
    in NFC form (so "café" is one word however its accent was typed) and takes the Unicode
    pattern, with the combining marks it holds.
    """
    text = _fold_chars(text, _QUOTE_FOLD).lower()
    if text.isascii():
        return _TOKEN.findall(text)
    other = set(_NON_ASCII.findall(text))
    if not other.isdisjoint(INVISIBLE_CHARACTERS):
        text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    marks = frozenset(c for c in other if not c.isalnum() and _is_mark(c))
    return (_token_pattern_with(marks) if marks else _UNICODE_TOKEN).findall(text)


def count_words(text: str) -> int:
    """Number of words in ``text`` as :func:`tokenize` finds them, none dropped.

    Equal to ``len(tokenize(text, stop_words=None, min_length=1, keep_numbers=True))``
    (no rule of the tokenizer changes the count then), without running the rules.

    >>> count_words("The Kremlin’s “union state” in 2020")
    6
    """
    _require_str(text, function="count_words")
    return len(_raw_tokens(text))


def _apply_rules(
    token: str, *, stops: frozenset[str], variants: Mapping[str, str], min_length: int, keep_numbers: bool
) -> str | None:
    """One raw token after the possessive, variant, stop-word, length and number rules (None: dropped)."""
    if token.endswith("'s"):
        token = token[:-2]
    token = token.strip("'")
    token = variants.get(token, token)
    if len(token) < min_length or token in stops:
        return None
    if not keep_numbers and token.replace("-", "").isnumeric():
        return None
    return token


def _rule_memo(
    scope: str, *, stops: frozenset[str], variants: Mapping[str, str], min_length: int, keep_numbers: bool
) -> dict[str, Any]:
    """A memo ``string -> result`` for results that depend only on the string and the options
    of :func:`tokenize`; ``scope`` names what is memoised (``"token"``: the result of
    :func:`_apply_rules` for a raw token; the keyword module keeps its own scopes).

    Such a result is the same every time and news vocabulary is Zipfian, so most look-ups hit.
    With the immutable default variants table (or none) the memo is kept across calls, one per
    scope and option set; any other mapping may change between calls, so it gets a fresh memo
    (the caller keeps it for one call).
    """
    if variants and variants is not SPELLING_VARIANTS:
        return {}
    key = (scope, _one_stop_set(stops), variants is SPELLING_VARIANTS, min_length, keep_numbers)
    memo = _RULE_MEMOS.get(key)
    if memo is None or len(memo) > _RULE_MEMO_LIMIT:
        memo = _RULE_MEMOS[key] = {}
    return memo


def _one_stop_set(stops: frozenset[str]) -> frozenset[str]:
    """The one object kept for stop-word sets equal to ``stops`` (the first of them seen).

    A memo key holding another object equal to ``stops`` would make every look-up compare the
    two sets word by word (microseconds, once per :func:`tokenize` call). That happens
    whenever equal sets are different objects: the same stop words unpickled in a worker for
    each task, or a caller's set beside :data:`~minsk_moscow.aliases.STOP_WORDS`. A set met
    before is recognised by its identity (it is kept alive here, so its id is not reused).

    >>> a, b = frozenset({"the", "a"}), frozenset(["a", "the"])
    >>> _one_stop_set(a) is _one_stop_set(b) is a
    True
    """
    seen = _STOP_SET_OF.get(id(stops))
    if seen is not None and seen[0] is stops:
        return seen[1]
    if len(_STOP_SET_OF) >= 256:  # sets made afresh on every call (a list of stop words) would pile up
        _STOP_SET_OF.clear()
    if len(_STOP_SETS) >= 64:
        _STOP_SETS.clear()
    one = _STOP_SETS.setdefault(stops, stops)
    _STOP_SET_OF[id(stops)] = (stops, one)
    return one


def _rule_results(
    text: str, *, stops: frozenset[str], variants: Mapping[str, str], min_length: int, keep_numbers: bool
) -> list[str | None]:
    """Every raw token of ``text`` after the rules of :func:`tokenize`, ``None`` where one drops it."""
    memo = _rule_memo("token", stops=stops, variants=variants, min_length=min_length, keep_numbers=keep_numbers)
    results: list[str | None] = []
    for raw in _raw_tokens(text):
        try:
            results.append(memo[raw])
        except KeyError:
            rule = _apply_rules(raw, stops=stops, variants=variants, min_length=min_length, keep_numbers=keep_numbers)
            results.append(memo.setdefault(raw, rule))
    return results


def tokenize(
    text: str,
    *,
    stop_words: Iterable[str] | None = STOP_WORDS,
    variants: Mapping[str, str] = SPELLING_VARIANTS,
    min_length: int = 2,
    keep_numbers: bool = False,
) -> list[str]:
    """Lower-cased content tokens for counting.

    Curly and straight quotes and apostrophes are treated alike, possessives are folded
    ("Lukashenko's" and "countries'" count as "lukashenko", "countries"), spelling variants
    are mapped through ``variants`` (default :data:`~minsk_moscow.aliases.SPELLING_VARIANTS`),
    and ``stop_words`` (default :data:`~minsk_moscow.aliases.STOP_WORDS`; ``None`` keeps
    all) are removed after mapping. Hyphenated words stay whole ("ex-soviet", "s-400");
    bare numbers are dropped unless ``keep_numbers``.

    Words of any script are tokens ("größte", "лукашенко", "बेलारूस"); invisible characters
    (:data:`INVISIBLE_CHARACTERS`) never split a word. The stop words and spelling variants
    are English: other languages keep all their words.

    >>> tokenize("The Kremlin's “union state” and Zhirinovksy’s S-400s in 2020")
    ['kremlin', 'union', 'state', 'zhirinovsky', 's-400s']
    >>> tokenize("The Kremlin's", stop_words=None)
    ['the', 'kremlin']
    >>> tokenize("Лукашенко и Путин: größte Rus\\u200bsia")
    ['лукашенко', 'путин', 'größte', 'russia']
    """
    _require_str(text, function="tokenize")
    stops = frozenset(stop_words) if stop_words is not None else frozenset()
    results = _rule_results(text, stops=stops, variants=variants, min_length=min_length, keep_numbers=keep_numbers)
    return [token for token in results if token is not None]
