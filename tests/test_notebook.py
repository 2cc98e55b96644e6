"""The notebook helpers: tables whose HTML is the same wherever the notebook runs."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import minsk_moscow as mm


def _table_id(frame: pd.DataFrame, **options) -> str:
    return re.search(r'<table id="T_(t[0-9a-f]+)"', mm.show_table(frame, **options)._repr_html_()).group(1)


QUARTERLY = pd.DataFrame({"quarter": ["2020Q3", "2020Q4"], "articles": [4, 2], "hand": [-0.25, 0.1],
                          "hybrid": [-0.1857142857142857, 0.05]})


@pytest.mark.parametrize("last_bits", [1e-16, -3e-17, 2e-12])
def test_a_table_keeps_its_id_when_a_float_differs_only_past_what_is_shown(last_bits):
    """A mean computed on another processor may differ in its last bits (BLAS picks its kernels by
    processor); the table looks the same and must keep the same HTML, or strict notebook checks fail."""
    moved = QUARTERLY.assign(hybrid=QUARTERLY["hybrid"] + last_bits)
    assert not moved["hybrid"].equals(QUARTERLY["hybrid"])
    assert _table_id(moved, ids=["quarter"]) == _table_id(QUARTERLY, ids=["quarter"])


@pytest.mark.parametrize(("change", "same"), [
    ({"hybrid": [-0.186, 0.05]}, True),  # -0.18571... is shown as -0.186 too
    ({"hybrid": [-0.185, 0.05]}, False),
    ({"hand": [-0.26, 0.1]}, False),
    ({"articles": [5, 2]}, False),
    ({"quarter": ["2020Q3", "2021Q1"]}, False),
])
def test_a_table_gets_another_id_exactly_when_it_shows_something_else(change, same):
    assert (_table_id(QUARTERLY.assign(**change)) == _table_id(QUARTERLY)) is same


def test_the_id_follows_the_precision_shown():
    assert _table_id(QUARTERLY, precision=2) != _table_id(QUARTERLY, precision=3)
