"""The cue lexicon as data: a CSV a political scientist can read and edit, compiled for speed.

Each row of a lexicon file (``tone/data/cues.csv``) is one cue: ``pattern`` (a regular
expression over lower-cased text with curly quotes and dashes folded), ``class`` (one of the
CAMEO-style classes below), ``cameo`` (the CAMEO event code it stands for, where one fits),
``note`` (what it means, and what it deliberately does not match), ``example`` (a sentence it
must fire on), ``expect`` (the sign that example must score: the test suite checks every
row) and, optionally, ``flags`` (``dominant``, ``pair``: see :data:`_FLAGS`). The file order is the match priority: where two cues could match at one place, the
earlier row wins, so longer phrases come before the words inside them.

Classes: ``material_cooperation`` (CAMEO 06-08: aid, deals, deployments, joint drills,
releases), ``verbal_cooperation`` (03-05: agreement, support, praise, promises),
``relation_frame`` (the relation named as an alliance or dependence, half weight),
``verbal_conflict`` (11-13, 16: accusation, rejection, threats, reduced relations) and
``material_conflict`` (15, 17-19: coercion, arrests, seizures, force posture).

>>> lex = Lexicon.from_csv(SEED_LEXICON_FILE)
>>> len(lex.cues), lex.cues[0].cls
(37, 'material_cooperation')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "CUE_CLASSES",
    "Cue",
    "Lexicon",
    "LEXICON_FILE",
    "NEGATORS",
    "RESISTERS",
    "REVISED_NEGATORS",
    "REVISED_RESISTERS",
    "SEED_LEXICON_FILE",
    "read_cues",
]

DATA_DIR = Path(__file__).with_name("data")
LEXICON_FILE: Path = DATA_DIR / "cues.csv"
"""The default cue lexicon (broad: written for Minsk-Moscow relations 2019-2025)."""
SEED_LEXICON_FILE: Path = DATA_DIR / "cues_seed.csv"
"""The lexicon as first shipped, written while reading the five seed articles (kept for comparison)."""

CUE_CLASSES = ("material_cooperation", "verbal_cooperation", "relation_frame", "verbal_conflict", "material_conflict")
_COLUMNS = ("pattern", "class", "cameo", "note", "example", "expect")
_FLAGS = frozenset({"dominant", "pair"})
"""Optional ``flags`` column: ``dominant`` (in its segment, cues of the opposite sign are its
object and are dropped: "put pressure on Minsk to accept deeper integration"), ``pair`` (always
about the two states: the domestic and third-party rules do not apply)."""


class Cue(NamedTuple):
    """One cue: a regular expression over lower-cased text, its class and a note."""

    pattern: str
    cls: str
    note: str = ""
    cameo: str = ""
    example: str = ""
    expect: int = 0
    flags: str = ""


NEGATORS: str = (
    r"not(?! (?:just|only|least))|no(?! (?:doubt|less|sooner|matter))|never|n't|without|neither|nor|"
    r"nothing(?! less)|none"
)
"""Plain negation. Its scope runs to the next punctuation mark, "and", "but", "which" or
"who"; the first cue inside the scope is reversed (a negated cooperation cue becomes a
conflict cue of the same weight, a negated conflict cue a weak cooperation cue), the others
are dropped. A scope that mentions the past ("could not agree earlier") is about the past:
its cue is dropped instead."""

RESISTERS: str = (
    r"fail(?:s|ed|ing)? to|refus\w*|resist\w*|reject\w*|rul\w* out|stall\w*|withst\w*|declin\w* to|"
    r"second thoughts about|doubts? about|reluctan\w*|balk\w*|unable to|unwilling"
)
"""Refusal and resistance verbs: like :data:`NEGATORS`, but a conflict cue in their scope stays
a conflict cue ("withstand pressure from Moscow" is friction)."""

REVISED_NEGATORS: str = NEGATORS.replace("without|", "without(?! (?:any |a )?doubt)|")
"""The negators of the revised rules: "without any doubt" negates nothing."""
REVISED_RESISTERS: str = RESISTERS + r"|giv\w* up|abandon\w*|walk\w* away from|pull\w* out of|withdr[ae]w\w* from|renounc\w*|exit\w*"
"""The resisters of the revised rules: also giving up, abandoning or leaving a joint undertaking."""


def read_cues(path: str | Path) -> tuple[Cue, ...]:
    """Read and check a lexicon file; every problem names the file and line.

    >>> cues = read_cues(SEED_LEXICON_FILE)
    >>> cues[0].note, cues[0].expect
    ('aid named as such', 1)
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}")
        rows = list(reader)
    cues, problems = [], []
    for line, row in enumerate(rows, start=2):
        pattern, cls = row["pattern"].strip(), row["class"].strip()
        if cls not in CUE_CLASSES:
            problems.append(f"line {line}: class {cls!r} not in {CUE_CLASSES}")
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"line {line}: pattern {pattern!r} is not a regular expression ({exc})")
        if not pattern or not all(alt[:1].isalnum() or alt.startswith("(?:") for alt in _split_top(pattern)):
            problems.append(f"line {line}: every alternative of {pattern!r} must start with a letter, a digit or (?:")
        expect = row["expect"].strip()
        if expect not in {"-1", "0", "1"}:
            problems.append(f"line {line}: expect must be -1, 0 or 1, not {expect!r}")
        flags = (row.get("flags") or "").split()
        if set(flags) - _FLAGS:
            problems.append(f"line {line}: flags {sorted(set(flags) - _FLAGS)} not in {sorted(_FLAGS)}")
        cues.append(Cue(pattern, cls, row["note"].strip(), row["cameo"].strip(), row["example"].strip(),
                        int(expect) if expect in {"-1", "0", "1"} else 0, " ".join(flags)))
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return tuple(cues)


def _split_top(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups and character classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _flatten(pattern: str) -> list[str]:
    """Alternatives of ``pattern`` with a leading ``(?:a|b)`` group expanded, so that most start
    with a literal letter: the regex engine then skips them in one comparison. Pure speed-up."""
    out = []
    for alt in _split_top(pattern):
        if alt.startswith("(?:"):
            depth, j = 0, 0
            for j, ch in enumerate(alt):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    break
            rest = alt[j + 1 :]
            if not rest[:1] or rest[:1] in "?*+{":
                out.append(alt)
                continue
            out.extend(p for inner in _split_top(alt[3:j]) for p in _flatten(inner + rest))
        else:
            out.append(alt)
    return out


@dataclass(eq=False)
class Lexicon:
    """A cue list with its negators and resisters, compiled into the matchers the rules use.

    ``revised`` switches on the rules added after the seed study (see
    :func:`~minsk_moscow.tone.rules.cue_hits`); the seed lexicon runs without them, as shipped.
    Stage 1 finds cue spans with one flat alternation dispatched on the first character (fast);
    stage 2 (:meth:`which`) tells which cue matched a span, in file order.
    """

    cues: tuple[Cue, ...]
    negators: str = NEGATORS
    resisters: str = RESISTERS
    name: str = ""
    revised: bool = True
    _which: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        alternatives = [a for c in self.cues for a in _flatten(c.pattern)]
        by_first: dict[str, list[str]] = {}
        plain = []
        for alt in alternatives:  # dispatch on the first character, keeping the order within each
            if alt[:1].isalnum():
                by_first.setdefault(alt[0], []).append(alt[1:])
            else:
                plain.append(alt)
        branches = [f"{c}(?:{'|'.join(alts)})" for c, alts in by_first.items()] + plain
        self.cue_re = re.compile(r"\b(?:" + "|".join(branches) + r")\b")
        self.cue_each = tuple(re.compile(rf"(?:{c.pattern})\b") for c in self.cues)
        firsts = {p[0] for p in _split_top(self.negators) + _split_top(self.resisters)}
        # The lookahead lists the first letters of every negator and resister: a cheap early exit.
        self.neg_re = re.compile(
            rf"(?=[{''.join(sorted(firsts))}])(?:(?P<neg>\b(?:{self.negators})\b|(?<=\w)n't\b)|(?P<res>\b(?:{self.resisters})\b))")

    @classmethod
    def from_csv(cls, path: str | Path, **kwargs) -> Lexicon:
        """Read a lexicon file (see :func:`read_cues`)."""
        return cls(read_cues(path), name=kwargs.pop("name", Path(path).stem), **kwargs)

    def which(self, text: str, start: int, end: int) -> int:
        """Index of the first cue (in file order) matching exactly ``text[start:end]``."""
        key = text[start:end]
        if key in self._which:
            return self._which[key]
        for i, pattern in enumerate(self.cue_each):
            m = pattern.match(text, start)
            if m and m.end() == end:
                if len(self._which) < 100_000:
                    self._which[key] = i
                return i
        raise AssertionError(f"no cue matches {key!r}")  # pragma: no cover

    def by_class(self, classes: Sequence[str]) -> tuple[Cue, ...]:
        """The cues of the given classes, in file order."""
        return tuple(c for c in self.cues if c.cls in classes)
