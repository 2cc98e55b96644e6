"""Run parameters of the notebooks, read from environment variables in this one place.

The notebooks take no parameters cell: ``make run CORPUS=... SPLIT_DATE=... UNLISTED=...``
sets these variables, and the package reads them here (paths are in :mod:`.paths`).

- ``MINSK_MOSCOW_SPLIT_DATE``: the date that splits "before" from "after" in group
  comparisons (default :data:`DEFAULT_SPLIT_DATE`, the 9 August 2020 election).
- ``MINSK_MOSCOW_UNLISTED``: what :func:`~minsk_moscow.load_corpus` does with a file that has
  no row in the metadata table: ``error`` (default) or ``infer`` (take title and date from
  the text, flagged in ``metadata_source`` and reported in a warning).

>>> split_date()
Timestamp('2020-08-09 00:00:00')
"""

from __future__ import annotations

import os

import pandas as pd

__all__ = ["DEFAULT_SPLIT_DATE", "split_date", "unlisted_policy"]

DEFAULT_SPLIT_DATE = "2020-08-09"
"""The disputed Belarusian presidential election of 9 August 2020."""


def split_date() -> pd.Timestamp:
    """The before/after split date: ``$MINSK_MOSCOW_SPLIT_DATE`` or the 2020 election."""
    value = os.environ.get("MINSK_MOSCOW_SPLIT_DATE", "").strip() or DEFAULT_SPLIT_DATE
    try:
        return pd.Timestamp(value)
    except ValueError:
        raise ValueError(f"MINSK_MOSCOW_SPLIT_DATE={value!r} is not a date (use YYYY-MM-DD)") from None


def unlisted_policy() -> str:
    """``$MINSK_MOSCOW_UNLISTED`` (``error`` or ``infer``); ``error`` when unset."""
    value = os.environ.get("MINSK_MOSCOW_UNLISTED", "").strip().lower() or "error"
    if value not in ("error", "infer"):
        raise ValueError(f"MINSK_MOSCOW_UNLISTED={value!r}: use 'error' or 'infer'")
    return value
