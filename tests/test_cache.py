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


def test_arrays_sparse_matrices_and_dataclasses_are_keyed_by_content(calls):
    from dataclasses import dataclass

    import numpy as np
    from scipy import sparse

    _, seen = calls

    @dataclass(frozen=True)
    class Vectors:
        matrix: sparse.csr_matrix
        terms: tuple[str, ...]

    def total(vectors: Vectors, weights: np.ndarray) -> float:
        seen.append(1)
        return float(vectors.matrix.sum() + weights.sum())

    matrix = sparse.csr_matrix(np.array([[0.0, 1.0], [2.0, 0.0]]))
    assert mm.cached(total, Vectors(matrix, ("gas", "loan")), np.array([1.0, 2.0])) == 6.0
    assert mm.cached(total, Vectors(matrix.copy(), ("gas", "loan")), np.array([1.0, 2.0])) == 6.0  # a copy: a hit
    assert len(seen) == 1
    changed = matrix.copy()
    changed[0, 1] = 5.0
    mm.cached(total, Vectors(changed, ("gas", "loan")), np.array([1.0, 2.0]))  # one value differs
    mm.cached(total, Vectors(matrix, ("gas", "oil")), np.array([1.0, 2.0]))  # one term differs
    mm.cached(total, Vectors(matrix, ("gas", "loan")), np.array([1.0, 3.0]))  # the array differs
    assert len(seen) == 4


def test_how_arguments_are_passed_does_not_change_the_key(calls):
    func, seen = calls
    frame = pd.DataFrame({"x": [1, 2]})
    mm.cached(func, frame)
    mm.cached(func, frame, scale=1)  # the default, given
    mm.cached(func, frame=frame)  # by name
    assert len(seen) == 1

    def first(items, *, n=1):
        seen.append(1)
        return items[:n]

    assert mm.cached(first, [3, 4]) == [3]
    assert mm.cached(first, (3, 4)) == [3]  # a tuple of the same items: the same key (the first result)
    assert len(seen) == 2


def test_warnings_are_given_again_on_a_hit(calls):
    _, seen = calls

    def sampled(n: int) -> int:
        seen.append(1)
        import warnings

        warnings.warn(f"sampled 2,000 of {n:,} units", mm.TopicWarning, stacklevel=2)
        return n

    for _ in range(2):
        with pytest.warns(mm.TopicWarning, match="sampled 2,000 of 5,000 units"):
            assert mm.cached(sampled, 5000) == 5000
    assert len(seen) == 1


def test_a_table_with_list_cells_is_keyed_by_its_cells(calls):
    func, seen = calls
    units = pd.DataFrame({"unit_id": ["a", "b"], "tokens": [["gas", "loan"], ["protest"]]})
    mm.cached(func, units)
    mm.cached(func, units.copy())
    changed = units.copy()
    changed.at[1, "tokens"] = ["protests"]
    mm.cached(func, changed)
    assert len(seen) == 2


@pytest.mark.parametrize("tokens", [False, True], ids=["plain cells", "list cells"])
def test_tables_differing_only_in_index_or_column_names_get_their_own_keys(calls, tokens):
    func, seen = calls
    table = pd.DataFrame({"unit_id": ["a", "b"], "text": ["Gas loan.", "Protest."]})
    if tokens:
        table["tokens"] = [["gas", "loan"], ["protest"]]
    for variant in (table, table.set_axis([5, 6]), table.set_axis(["x", "y"]), table.rename(columns={"text": "body"}),
                    table.copy(), table.set_axis([5, 6]).copy()):
        mm.cached(func, variant)
    assert len(seen) == 4


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([["Minsk", "Moscow"]], [["MinskMoscow"]]),  # the same letters, cut differently
        ([["Minsk"], ["Moscow"]], [["Minsk", "Moscow"]]),  # the same tokens, in other units
        ([["Minsk", "Moscow"]], ["Minsk", "Moscow"]),  # token lists against plain texts
        (["Lukashenko", "Putin"], ["Lukashenk", "oPutin"]),
        ([["Belarus"], []], [[], ["Belarus"]]),
        ([["Sochi", 2021]], [["Sochi", "2021"]]),  # not all strings: read item by item
    ],
)
def test_token_lists_and_texts_are_keyed_exactly(calls, first, second):
    """Sequences of texts and of token lists are hashed at once (lengths beside the joined text); contents
    that would join to the same characters still get different keys."""
    _, seen = calls

    def count_calls(value) -> None:
        seen.append(1)

    for value in (first, second, first, tuple(second)):  # a tuple of the same items is the same key
        mm.cached(count_calls, value)
    assert len(seen) == 2


def test_the_cache_keeps_the_most_recently_used_files_within_its_limit(calls, tmp_path, monkeypatch):
    import os
    import time

    func, seen = calls
    frames = [pd.DataFrame({"text": ["Minsk"] * n}) for n in (1, 2, 3)]
    now = time.time()
    for age, frame in zip((300, 200), frames):  # a and b, a used longest ago
        mm.cached(func, frame)
        (newest,) = sorted(tmp_path.glob("*.pkl"), key=lambda p: p.stat().st_mtime_ns)[-1:]
        os.utime(newest, (now - age, now - age))
    size = max(p.stat().st_size for p in tmp_path.glob("*.pkl"))
    assert mm.cached(func, frames[0]) == 1 and len(seen) == 2  # a hit: a is now the most recently used
    monkeypatch.setenv("MINSK_MOSCOW_CACHE_GB", str(2.5 * size / 2**30))  # room for two files
    assert mm.cached(func, frames[2]) == 3 and len(seen) == 3  # c is written, b (least recently used) goes
    assert mm.cached(func, frames[0]) == 1 and mm.cached(func, frames[2]) == 3 and len(seen) == 3
    assert mm.cached(func, frames[1]) == 2 and len(seen) == 4  # b was removed: computed again
    assert len(list(tmp_path.glob("*.pkl"))) == 2


def test_pruning_keeps_the_new_file_and_clears_half_written_files_of_stopped_runs(calls, tmp_path):
    import os
    import time

    old_tmp, new_tmp, other = tmp_path / "a.tmp", tmp_path / "b.tmp", tmp_path / "notes.txt"
    kept = tmp_path / "kept.pkl"
    for path in (old_tmp, new_tmp, other, kept):
        path.write_bytes(b"x" * 100)
    os.utime(old_tmp, (time.time() - 2 * 86400,) * 2)
    assert cache.prune_cache(max_bytes=0, keep=kept) == [old_tmp]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tmp", "kept.pkl", "notes.txt"]
    assert cache.prune_cache(max_bytes=0) == [kept]


def test_a_cache_limit_that_is_not_a_number_is_named(calls, monkeypatch):
    func, _ = calls
    monkeypatch.setenv("MINSK_MOSCOW_CACHE_GB", "lots")
    with pytest.raises(ValueError, match="MINSK_MOSCOW_CACHE_GB='lots'"):
        mm.cached(func, pd.DataFrame({"text": ["Minsk"]}))
