"""Per-article work over all cores, in chunks, with a progress bar that stays out of notebooks.

One setting, ``MINSK_MOSCOW_JOBS``, says how many worker processes the per-article stages use
(default: every core; ``1`` runs everything in this process). Work is cut into chunks that are
sent to the workers in order and put back together in order, so the result is the same as a
serial run, and memory holds only a few chunks in flight at a time.

Progress bars (tqdm) are written to the process's original standard error
(``sys.__stderr__``): in a terminal run they show; inside a notebook kernel they go to the
terminal that started the kernel, never into the notebook's saved outputs. They appear only
for long work (at least ``min_items`` items) and can be switched off with
``MINSK_MOSCOW_PROGRESS=0``.

Examples
--------
>>> map_chunks(str.upper, ["a", "b", "c"], jobs=1)
['A', 'B', 'C']
>>> n_jobs(0) >= 1
True
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["RELEASE_MIN_ITEMS", "WORKER_MEMORY_GROWTH", "collector_paused", "imap_batches", "imap_chunks",
           "map_chunks", "n_jobs", "progress", "release_memory"]

T = TypeVar("T")
R = TypeVar("R")

PROGRESS_MIN_ITEMS = 2_000
"""Work with fewer items than this gets no progress bar (it is over in moments)."""


def n_jobs(jobs: int | None = None) -> int:
    """Worker processes to use: ``jobs`` if given (>= 1), else ``$MINSK_MOSCOW_JOBS``, else every core.

    ``0`` or a negative number also means every core.

    >>> n_jobs(1)
    1
    """
    if jobs is None:
        value = os.environ.get("MINSK_MOSCOW_JOBS", "").strip()
        if value:
            try:
                jobs = int(value)
            except ValueError:
                raise ValueError(f"MINSK_MOSCOW_JOBS={value!r} is not a whole number of worker processes") from None
        else:
            jobs = 0
    if jobs <= 0:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
    return jobs


def _progress_enabled() -> bool:
    return os.environ.get("MINSK_MOSCOW_PROGRESS", "").strip().lower() not in ("0", "false", "no", "off")


def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "",
             min_items: int = PROGRESS_MIN_ITEMS) -> Iterator[T]:
    """``iterable`` with a tqdm progress bar on the terminal, when the work is long enough.

    The bar goes to ``sys.__stderr__`` (so never into a notebook's outputs) and only when
    ``total`` is at least ``min_items`` and ``$MINSK_MOSCOW_PROGRESS`` is not ``0``.

    >>> list(progress(range(3), total=3))
    [0, 1, 2]
    """
    stream = sys.__stderr__
    if total is None or total < min_items or not _progress_enabled() or stream is None:
        yield from iterable
        return
    from tqdm import tqdm  # the terminal bar, never the notebook widget; imported only when shown

    yield from tqdm(iterable, total=total, desc=desc, file=stream, mininterval=1.0, leave=False,
                   dynamic_ncols=True)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _chunk_size(n_items: int, *, jobs: int | None) -> int:
    """Items per task sent to a worker: a few tasks per worker at least, at most 500 items each."""
    return max(1, min(500, n_items // (4 * n_jobs(jobs))))


WORKER_MEMORY_GROWTH = 2**30
"""How much a worker process may grow (bytes) before it is replaced by a fresh one.

The process pool (joblib's loky) replaces a worker that grew by more than 300 MB since its first
task, as a guard against leaks, and warns of "a too short worker timeout or a memory leak". Workers
here grow by design as they go (the tokenizer's memo of the words it has seen, the texts of large
chunks): at 100,000 articles they were replaced several times per stage, each a fresh start of
about a second, and the warning reached the notebooks. Above this much growth the guard still acts."""


RELEASE_MIN_ITEMS = 2_000
"""Steps over fewer items than this do not call :func:`release_memory` (they free little)."""


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc (Linux); absent on macOS, Windows, musl
    except (AttributeError, OSError, TypeError):
        return None


def release_memory(items: int | None = None) -> bool:
    """Give the free pages of this process's heap back to the operating system.

    A step over a large corpus builds and drops millions of Python objects (texts, token lists,
    rows); glibc keeps the pages they leave free inside its heap, so the process stays at the
    step's peak (at 100,000 articles, 1.9 GB of 4.0 GB after making the topic units). The big
    steps of the package call this at their end, where glibc's ``malloc_trim`` is available, when
    they went over at least :data:`RELEASE_MIN_ITEMS` items (``items``; ``None``: always). It
    costs tens of milliseconds on a large heap. Returns whether the trim ran.

    >>> release_memory(items=10)
    False
    """
    if items is not None and items < RELEASE_MIN_ITEMS:
        return False
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a step builds objects that outlive it.

    A full collection walks every container object alive, and one starts whenever the
    surviving containers have grown by a quarter: a step that keeps building them (the rows of
    a corpus, the token lists of a million topic units) walks everything it has built a dozen
    times over, a cost that grows faster than the corpus (at 100,000 articles, 7.4 s of a 71 s
    load and 4.6 s of 39 s of :func:`~minsk_moscow.topics.make_units` in the main process).
    Reference counting still frees every object that is not in a reference cycle at once; the
    cycles a step leaves are collected by the first collection after it. A step inside another
    paused step leaves the collector paused.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _apply(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    loky = sys.modules.get("joblib.externals.loky.process_executor")  # set in each worker, read after its tasks
    if loky is not None and getattr(loky, "_MAX_MEMORY_LEAK_SIZE", WORKER_MEMORY_GROWTH) < WORKER_MEMORY_GROWTH:
        loky._MAX_MEMORY_LEAK_SIZE = WORKER_MEMORY_GROWTH
    return [func(item) for item in chunk]


def map_chunks(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    chunk_size: int = 500,
    desc: str = "",
    min_parallel: int = 2_000,
) -> list[R]:
    """``[func(x) for x in items]``, spread over :func:`n_jobs` processes in ordered chunks.

    The result is identical to the serial list comprehension (same order, same values).
    ``func`` must be picklable (a module-level function, or a :func:`functools.partial` of
    one). Fewer than ``min_parallel`` items, or one job, run in this process: starting workers
    costs more than it saves on small work.

    Parameters
    ----------
    func
        The per-item function.
    items
        A sequence (a list, a tuple, a pandas Series' ``.tolist()``...).
    jobs
        Worker processes (default :func:`n_jobs`).
    chunk_size
        Items per task sent to a worker.
    desc
        Label of the progress bar (shown only for long work, see :func:`progress`).
    min_parallel
        Below this many items the work runs serially.

    >>> map_chunks(len, ["ab", "c"], jobs=2, chunk_size=1)  # fewer than min_parallel items: run here, same list
    [2, 1]
    """
    return list(imap_chunks(func, items, jobs=jobs, chunk_size=chunk_size, desc=desc, min_parallel=min_parallel))


def imap_chunks(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    chunk_size: int = 500,
    desc: str = "",
    min_parallel: int = 2_000,
) -> Iterator[R]:
    """:func:`map_chunks` one result at a time, in order: memory holds only the chunks in flight.

    A caller that turns each result into something smaller as it comes (a table row, a count)
    never holds every result at once. The options are those of :func:`map_chunks`.

    >>> list(imap_chunks(str.upper, ["a", "b"], jobs=1))
    ['A', 'B']
    """
    if isinstance(items, (str, bytes)):
        raise TypeError("map_chunks needs a sequence of items, not one string")
    items = items if isinstance(items, Sequence) else list(items)
    workers = n_jobs(jobs)
    chunks = list(_chunks(items, max(1, chunk_size)))
    bar_min = max(1, PROGRESS_MIN_ITEMS // max(1, chunk_size))
    if workers == 1 or len(items) < min_parallel or len(chunks) < 2:
        parts: Any = progress((_apply(func, c) for c in chunks), total=len(items) and len(chunks), desc=desc,
                              min_items=bar_min)
    else:
        from joblib import Parallel, delayed

        runner = Parallel(n_jobs=workers, return_as="generator", batch_size=1)
        parts = progress(runner(delayed(_apply)(func, c) for c in chunks), total=len(chunks), desc=desc,
                         min_items=bar_min)
    for part in parts:
        yield from part


def imap_batches(
    func: Callable[[Sequence[T]], R],
    items: Sequence[T],
    *,
    batch_size: int,
    jobs: int | None = None,
    desc: str = "",
    min_parallel: int = 2_000,
) -> Iterator[R]:
    """``func(batch)`` for consecutive batches of ``batch_size`` items, in order, one result at a time.

    For work that handles many items at once (and returns one result for them, such as a small
    table): each batch is one task of :func:`imap_chunks`. Fewer than ``min_parallel`` items run
    in this process, as in :func:`map_chunks`.

    >>> list(imap_batches(len, "abcde", batch_size=2))
    [2, 2, 1]
    """
    batches = [items[i:i + batch_size] for i in range(0, len(items), max(1, batch_size))]
    serial = len(items) < min_parallel
    return imap_chunks(func, batches, jobs=jobs, chunk_size=1, desc=desc,
                       min_parallel=len(batches) + 1 if serial else 0)
