"""The cache of corpus-independent steps: a hit only for the same code, data and arguments."""

from __future__ import annotations

import pandas as pd
import pytest

import minsk_moscow as mm
from minsk_moscow import cache


@pytest.fixture
def calls(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path)
    monkeypatch.delenv("MINSK_MOSCOW_CACHE", raising=False)
    seen: list[int] = []

    def count_rows(frame: pd.DataFrame, *, scale: int = 1) -> int:
        seen.append(1)
        return len(frame) * scale

    return count_rows, seen


def test_same_content_is_a_hit_even_for_a_copy(calls):
    func, seen = calls
    frame = pd.DataFrame({"text": ["Minsk and Moscow", "Lukashenko"], "n": [1, 2]})
    assert mm.cached(func, frame) == 2
    assert mm.cached(func, frame.copy()) == 2
    assert len(seen) == 1


@pytest.mark.parametrize("change", ["cell", "argument", "code"])
def test_any_change_computes_afresh(calls, monkeypatch, change):
    func, seen = calls
    frame = pd.DataFrame({"text": ["Minsk and Moscow", "Lukashenko"]})
    mm.cached(func, frame)
    if change == "cell":
        frame.loc[1, "text"] = "Putin"
        mm.cached(func, frame)
    elif change == "argument":
        mm.cached(func, frame, scale=2)
    else:
        cache.code_fingerprint.cache_clear()
        monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version of the code")
        mm.cached(func, frame)
    assert len(seen) == 2


def test_switched_off_and_damaged_files_recompute(calls, monkeypatch, tmp_path):
    func, seen = calls
    frame = pd.DataFrame({"x": [1]})
    mm.cached(func, frame)
    for path in tmp_path.glob("*.pkl"):
        path.write_bytes(b"not a pickle")
    assert mm.cached(func, frame) == 1
    monkeypatch.setenv("MINSK_MOSCOW_CACHE", "0")
    mm.cached(func, frame)
    assert len(seen) == 3
