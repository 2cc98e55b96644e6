"""Run parameters read from the environment in one place."""

from __future__ import annotations

import pandas as pd
import pytest

import minsk_moscow as mm


def test_split_date_parameter(monkeypatch):
    assert mm.split_date() == pd.Timestamp("2020-08-09")
    monkeypatch.setenv("MINSK_MOSCOW_SPLIT_DATE", "2021-01-01")
    assert mm.split_date() == pd.Timestamp("2021-01-01")
    monkeypatch.setenv("MINSK_MOSCOW_SPLIT_DATE", "after the election")
    with pytest.raises(ValueError, match="not a date"):
        mm.split_date()


def test_unlisted_policy(monkeypatch):
    assert mm.unlisted_policy() == "error"
    monkeypatch.setenv("MINSK_MOSCOW_UNLISTED", " Infer ")
    assert mm.unlisted_policy() == "infer"
