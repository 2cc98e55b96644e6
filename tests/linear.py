"""Shared check for the linear-time tests of tests/test_text.py and tests/test_tone.py."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


def best_time(func: Callable[[Any], Any], arg: Any, *, repeat: int = 3, before: Callable[[], Any] | None = None) -> float:
    """The fastest of ``repeat`` runs of ``func(arg)`` (``before()`` runs ahead of each, untimed)."""
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        func(arg)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(func, build, *, start: int = 4096, min_seconds: float = 0.03, max_size: int = 1 << 23,
                  bound: float = 8.0, before: Callable[[], Any] | None = None) -> None:
    """``func(build(4n))`` takes less than ``bound`` times ``func(build(n))`` (best of three runs each),
    ``n`` the first of ``start``, ``2 start``, ... at which one run takes ``min_seconds``: a linear
    function gives about 4, a quadratic one about 16. Two doublings rather than one, because one
    size can be slow by chance (memory layout, a busy machine) and give a ratio of 3 for a linear
    function. The garbage collector is off meanwhile."""
    gc.collect()
    gc.disable()
    try:
        n = start
        while best_time(func, build(n), repeat=1, before=before) < min_seconds and n < max_size:
            n *= 2
        small, large = build(n), build(4 * n)
        for _ in range(2):  # measured again once: a busy machine can slow one run
            t, t4 = best_time(func, small, before=before), best_time(func, large, before=before)
            if t4 / t < bound:
                return
    finally:
        gc.enable()
    raise AssertionError(f"{t:.3f} s at {n:,} characters, {t4:.3f} s at {4 * n:,} (x{t4 / t:.1f}; linear: about 4)")
