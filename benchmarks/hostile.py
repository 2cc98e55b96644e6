"""Hostile inputs: do the cleaner, the sentence splitter and the tone pipeline stay linear?

Each hostile input is built at two (or more) sizes and the functions it attacks are timed on
each; the table gives the time, its ratio to the previous size and the peak memory. When a
size doubles, a linear function takes about twice as long (ratio ~2); a ratio near 4 means
the time grows with the square of the input (catastrophic regex backtracking, or a loop that
rescans the remaining text for every match). It is a benchmark, not a test: nothing fails,
ratios above 1.5 times the size ratio are flagged ``SUPERLINEAR`` (the unit tests hold the
same inputs to a bound: ``tests/test_text.py``, ``tests/test_tone.py``).

::

    .venv/bin/python benchmarks/hostile.py                     # 64 and 128 KB, every input
    .venv/bin/python benchmarks/hostile.py --sizes 256 512      # sizes in KB
    .venv/bin/python benchmarks/hostile.py --inputs caret_lines huge_sentence --repeat 3
    .venv/bin/python benchmarks/hostile.py --no-memory --json hostile.json

The inputs (``--inputs``; all by default):

``caret_lines``
    Every line starts with ``^ `` (the mark that opens a blog owner's comment) and no line
    closes one. Timed: :func:`~minsk_moscow.clean_text`.
``huge_sentence``
    One sentence with no sentence break and no comma, made of relation words, cues, negators
    and refusals, contrast words, domestic and third-party words and passive reporting verbs
    ("Minsk and Moscow never agreed ... Lukashenko was told to refuse ... Putin was said ..."). Timed: :func:`~minsk_moscow.relation_tone` on
    ``pd.Series([text])`` and :func:`~minsk_moscow.relation_table` on a one-row table.
``long_paragraph``
    A title and a line-wrapped paragraph that never breaks a sentence: every full stop
    follows an abbreviation ("Mr.", "Aug.", "U.S."). Timed: ``clean_text``,
    :func:`~minsk_moscow.split_sentences` of the clean text, and ``relation_table`` over the
    sentences of the raw text (the title and the paragraph).
``no_punctuation``
    Words and line ends, no punctuation at all (the text must be kept, not taken for a
    title). Timed: ``clean_text``.
``cyrillic``
    A Russian article (title, paragraphs of sentences). Timed: ``clean_text``,
    ``split_sentences``, :func:`~minsk_moscow.tokenize`.
``zero_width``
    English sentences with zero-width spaces, joiners, word joiners, byte-order marks and
    soft hyphens inside the words. Timed: ``clean_text`` and ``tokenize`` of the raw text.

The ``check`` column says what came out (characters kept, sentences, tokens, invisible
characters left, the tone), so a fast but wrong answer shows too.

Peak memory is measured with :mod:`tracemalloc` in a second run of each function (Python
allocations only; ``--no-memory`` skips it). Times are the fastest of ``--repeat`` runs; the
sentence-split memo is cleared before each run.

From another script::

    import hostile
    hostile.main(["--sizes", "32", "64", "--no-memory"])   # prints the table, returns 0
    rows = hostile.run_hostile(sizes_kb=(32, 64), memory=False)  # the rows, nothing printed
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import minsk_moscow as mm
from minsk_moscow import text as mm_text

__all__ = ["INPUTS", "Row", "build_input", "format_row", "main", "run_hostile"]

KB = 1024
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


# --------------------------------------------------------------------------- builders
def _repeat_to(unit: str, size: int) -> str:
    """``unit`` repeated and cut to ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _wrap(words: Sequence[str], width: int = 78) -> str:
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def caret_lines(size: int) -> str:
    """Lines that each open a blog comment (``^ ``) that no line closes."""
    unit = "".join(f"^ note {i}: Minsk and Moscow agree\n" for i in range(50))
    return _repeat_to(unit, size)


_SENTENCE_UNIT = (
    "Minsk and Moscow never agreed on integration as Lukashenko was told to refuse pressure and Putin was said "
    "to threaten sanctions against protesters in the streets and the West but "
)


def huge_sentence(size: int) -> str:
    """One sentence of ``size`` characters: relation words, cues and rule triggers, one full stop."""
    return _repeat_to(_SENTENCE_UNIT, size - 1).rstrip() + "."


def long_paragraph(size: int) -> str:
    """A title and one line-wrapped paragraph whose full stops all follow abbreviations."""
    unit = (
        "Mr. Putin and Mr. Lukashenko met on Aug. 9 near the U.S. embassy in Minsk and agreed on closer ties "
        "while Gen. Shoigu and Dr. Makei discussed oil supplies with the Kremlin and the two sides signed "
        "new deals on gas prices and loans as protesters marched in the streets of the capital and "
    )
    body = _repeat_to(unit, size).rsplit(" ", 1)[0] + " so the talks ended."
    return "Putin and Lukashenko meet again\n\n" + _wrap(body.split())


def no_punctuation(size: int) -> str:
    """Words and line ends only: no punctuation, no blank line."""
    rng = random.Random(20200809)
    vocab = ("minsk moscow lukashenko putin kremlin belarus russia talks oil gas loan union state integration "
             "protest opposition leader president meeting agreement sanctions border army economy the and of in "
             "to with on for").split()
    words, n = [], 0
    while n < size:
        word = rng.choice(vocab)
        words.append(word)
        n += len(word) + 1
    return _wrap(words)[:size].rstrip()


_CYRILLIC_SENTENCES = (
    "Лукашенко встретился с Путиным в Сочи.",
    "Они обсудили интеграцию и цены на газ.",
    "«Мы договорились о главном», — сказал президент Белоруссии.",
    "Кремль пообещал Минску новый кредит!",
    "Оппозиция считает, что Москва давит на Минск?",
    "Переговоры продолжатся 15 сентября.",
)


def cyrillic(size: int) -> str:
    """A Russian article: a title, then paragraphs of three sentences."""
    paragraphs, n, i = ["Лукашенко и Путин обсудили интеграцию"], 0, 0
    while n < size:
        para = " ".join(_CYRILLIC_SENTENCES[(i + k) % len(_CYRILLIC_SENTENCES)] for k in range(3))
        paragraphs.append(para)
        n += len(para) + 2
        i += 1
    return "\n\n".join(paragraphs)


def zero_width(size: int) -> str:
    """English sentences with an invisible character inside every third word."""
    rng = random.Random(7)
    unit = ("Russia and Belarus agreed on closer integration. Moscow offered Minsk a loan. "
            "Lukashenko refused to give up sovereignty. The Kremlin said the talks went well. ")
    words = []
    for word in _repeat_to(unit, size).split(" "):
        if len(word) > 3 and rng.random() < 0.34:
            cut = rng.randrange(1, len(word) - 1)
            word = word[:cut] + rng.choice(_INVISIBLE) + word[cut:]
        words.append(word)
    return "Relations\n\n" + " ".join(words).rsplit(".", 1)[0] + "."


# --------------------------------------------------------------------------- what is timed
def _relation_tone(text: str) -> float:
    return float(mm.relation_tone(pd.Series([text]))[0])


def _one_row_table(text: str) -> pd.DataFrame:
    return mm.relation_table(pd.DataFrame({"article_id": ["a"], "text": [text]}))


def _sentences_table(text: str) -> pd.DataFrame:
    sentences = mm.split_sentences(text)
    return mm.relation_table(pd.DataFrame({"article_id": ["a"] * len(sentences), "text": sentences}))


def _kept(raw: str, out: str) -> str:
    return f"kept {len(out) / max(len(raw), 1):.0%} of the characters"


@dataclass(frozen=True)
class _Operation:
    label: str
    run: Callable[[str], Any]
    check: Callable[[str, Any], str]


@dataclass(frozen=True)
class _Input:
    build: Callable[[int], str]
    operations: tuple[_Operation, ...]


_CLEAN = _Operation("clean_text", mm.clean_text, _kept)
INPUTS: dict[str, _Input] = {
    "caret_lines": _Input(caret_lines, (_CLEAN,)),
    "huge_sentence": _Input(huge_sentence, (
        _Operation("relation_tone", _relation_tone, lambda raw, tone: f"tone {tone:+.2f}"),
        _Operation("relation_table", _one_row_table, lambda raw, t: f"relation: {bool(t['is_relation'].iloc[0])}, "
                                                                     f"speaker {t['speaker_side'].iloc[0]}"),
    )),
    "long_paragraph": _Input(long_paragraph, (
        _CLEAN,
        _Operation("split_sentences", lambda raw: mm.split_sentences(mm.clean_text(raw)),
                   lambda raw, s: f"{len(s)} sentence(s)"),
        _Operation("relation_table", _sentences_table, lambda raw, t: f"{len(t)} row(s)"),
    )),
    "no_punctuation": _Input(no_punctuation, (_CLEAN,)),
    "cyrillic": _Input(cyrillic, (
        _CLEAN,
        _Operation("split_sentences", mm.split_sentences, lambda raw, s: f"{len(s)} sentences"),
        _Operation("tokenize", mm.tokenize, lambda raw, t: f"{len(t)} tokens"),
    )),
    "zero_width": _Input(zero_width, (
        _Operation("clean_text", mm.clean_text,
                   lambda raw, out: f"{sum(out.count(c) for c in _INVISIBLE)} invisible left"),
        _Operation("tokenize", mm.tokenize,
                   lambda raw, t: f"{len(t)} tokens, {sum(1 for w in t if w in {'rus', 'sia', 'mos', 'cow'})} broken"),
    )),
}
"""Every hostile input: its builder (size in characters -> text) and the functions timed on it."""


def build_input(name: str, size_kb: float) -> str:
    """The hostile input ``name`` at about ``size_kb`` KB (characters, not bytes).

    >>> len(build_input("caret_lines", 2))
    2048
    """
    return INPUTS[name].build(int(size_kb * KB))


# --------------------------------------------------------------------------- timing
@dataclass(frozen=True)
class Row:
    """One timed function on one hostile input at one size."""

    input: str
    operation: str
    size_kb: float
    seconds: float
    ratio: float | None
    size_ratio: float | None
    peak_mib: float | None
    check: str

    @property
    def verdict(self) -> str:
        if self.ratio is None or self.size_ratio is None:
            return ""
        if self.seconds < 0.02:
            return "(too fast to tell)"
        return "SUPERLINEAR" if self.ratio > 1.5 * self.size_ratio else "linear"


def _fresh() -> None:
    mm_text._sentences_by_paragraph.cache_clear()
    gc.collect()


def _time(operation: _Operation, text: str, *, repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(max(repeat, 1)):
        _fresh()
        start = time.perf_counter()
        result = operation.run(text)
        best = min(best, time.perf_counter() - start)
    return best, result


def _peak_mib(operation: _Operation, text: str) -> float:
    _fresh()
    tracemalloc.start()
    try:
        operation.run(text)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run_hostile(
    *,
    sizes_kb: Sequence[float] = (64, 128),
    inputs: Sequence[str] | None = None,
    repeat: int = 1,
    memory: bool = True,
    progress: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Build each hostile input at each size and time the functions it attacks.

    Parameters
    ----------
    sizes_kb
        Input sizes in KB (1,024 characters), smallest first; each row's ratio is to the
        size before it.
    inputs
        Names from :data:`INPUTS` (default: all).
    repeat
        Runs per function and size; the fastest counts.
    memory
        Also measure the peak of Python allocations with :mod:`tracemalloc` (a second run).
    progress
        Called with each row as soon as it is measured.

    Returns
    -------
    list of Row

    Examples
    --------
    >>> rows = run_hostile(sizes_kb=(1, 2), inputs=["caret_lines"], memory=False)
    >>> [(r.input, r.operation, r.size_kb) for r in rows]
    [('caret_lines', 'clean_text', 1), ('caret_lines', 'clean_text', 2)]
    """
    names = list(INPUTS) if inputs is None else list(inputs)
    unknown = sorted(set(names) - set(INPUTS))
    if unknown:
        raise ValueError(f"unknown input(s) {unknown}: choose from {sorted(INPUTS)}")
    mm.relation_tone(["Minsk and Moscow agreed."])  # load the model and lexicons before timing
    rows: list[Row] = []
    for name in names:
        texts = {size: build_input(name, size) for size in sizes_kb}
        for operation in INPUTS[name].operations:
            previous: tuple[float, float] | None = None
            for size in sizes_kb:
                seconds, result = _time(operation, texts[size], repeat=repeat)
                peak = _peak_mib(operation, texts[size]) if memory else None
                row = Row(
                    input=name,
                    operation=operation.label,
                    size_kb=size,
                    seconds=seconds,
                    ratio=seconds / previous[1] if previous and previous[1] > 0 else None,
                    size_ratio=size / previous[0] if previous else None,
                    peak_mib=peak,
                    check=operation.check(texts[size], result),
                )
                rows.append(row)
                if progress:
                    progress(row)
                previous = (size, seconds)
    return rows


# --------------------------------------------------------------------------- output
_HEADER = f"{'input':<15} {'function':<16} {'KB':>6} {'seconds':>9} {'ratio':>6} {'peak MiB':>9}  {'':<18} check"


def format_row(row: Row) -> str:
    """One line of the table."""
    ratio = f"{row.ratio:6.2f}" if row.ratio is not None else f"{'':6}"
    peak = f"{row.peak_mib:9.1f}" if row.peak_mib is not None else f"{'-':>9}"
    return (f"{row.input:<15} {row.operation:<16} {row.size_kb:>6g} {row.seconds:9.3f} {ratio} {peak}  "
            f"{row.verdict:<18} {row.check}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: parse ``argv``, print the table (and write ``--json``); return 0.

    >>> main(["--sizes", "1", "2", "--inputs", "no_punctuation", "--no-memory"])  # doctest: +ELLIPSIS
    input ...
    no_punctuation  clean_text            1 ...
    no_punctuation  clean_text            2 ...
    0
    """
    parser = argparse.ArgumentParser(prog="hostile.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[64, 128], metavar="KB",
                        help="input sizes in KB, smallest first (default: 64 128)")
    parser.add_argument("--inputs", nargs="+", choices=sorted(INPUTS), default=None, metavar="NAME",
                        help=f"hostile inputs to run (default: all of {', '.join(INPUTS)})")
    parser.add_argument("--repeat", type=int, default=1, help="runs per function and size; the fastest counts")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run (peak memory)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write every row as JSON")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    print(_HEADER, flush=True)
    rows = run_hostile(sizes_kb=sizes, inputs=args.inputs, repeat=args.repeat, memory=not args.no_memory,
                       progress=lambda row: print(format_row(row), flush=True))
    if args.json:
        args.json.write_text(json.dumps([{**asdict(r), "verdict": r.verdict} for r in rows], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
