"""The one setup call every notebook makes, so notebooks hold no boilerplate.

>>> rng = setup_notebook(seed=7)
>>> round(float(rng.random()), 4)
0.6251
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .plotting import use_style

__all__ = ["SEED", "Table", "head_and_tail", "setup_notebook", "show_table"]

SEED = 20200809
"""Default seed for every random step: the date of the disputed election, 9 August 2020."""


def setup_notebook(*, seed: int = SEED) -> np.random.Generator:
    """Seed Python and NumPy, fix pandas display options and the plot style.

    Inside IPython it also makes inline figures render without volatile metadata, shows warnings
    as one line ``CorpusWarning: <message>`` (no temporary file path of the kernel's cell, which
    changes on every run) and registers the ``%%step`` cell magic (:mod:`minsk_moscow.steps`). Returns a
    NumPy generator seeded with ``seed`` for any further random step.
    """
    random.seed(seed)
    np.random.seed(seed)  # for libraries that still read the global state
    pd.set_option("display.precision", 3)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_colwidth", 160)
    pd.set_option("display.width", 160)
    use_style()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dev dependency
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is not None:
        from .steps import register_step_magic

        register_step_magic(shell)  # %%step <name>: see minsk_moscow.steps
        warnings.formatwarning = plain_warning
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic(
            "config",
            'InlineBackend.print_figure_kwargs = {"bbox_inches": "tight", "metadata": {"Software": None}}',
        )
    return np.random.default_rng(seed)


def plain_warning(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> str:
    """A warning as notebooks show it: its class and message, without the file and line it came from.

    >>> plain_warning(UserWarning("3 article(s) have no date"), UserWarning, "/tmp/ipykernel_1/2.py", 8)
    'UserWarning: 3 article(s) have no date\\n'
    """
    return f"{category.__name__}: {message}\n"


def head_and_tail(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The first and last ``n`` rows of a long table (all of it when it has at most ``2 n`` rows).

    The index keeps the original row numbers, so the gap shows where rows were left out.

    >>> head_and_tail(pd.DataFrame({"x": range(7)}), 2)["x"].tolist()
    [0, 1, 5, 6]
    """
    return frame if len(frame) <= 2 * n else pd.concat([frame.head(n), frame.tail(n)])


class Table:
    """A table for reading: text left-aligned and wrapped, never cut with "…", ids never broken.

    Made by :func:`show_table`. In a notebook it renders as HTML; its plain-text form is the
    DataFrame's own, so nothing volatile (no memory address) reaches the saved outputs.
    """

    def __init__(self, frame: pd.DataFrame, html: str) -> None:
        self.frame, self._html = frame, html

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 120):
            return repr(self.frame)


def show_table(
    frame: pd.DataFrame,
    *,
    wrap: Sequence[str] = (),
    ids: Sequence[str] = (),
    width: int = 60,
    index: bool = False,
    precision: int = 3,
) -> Table:
    """Display ``frame`` for reading: long text wrapped at about ``width`` characters, left-aligned.

    ``wrap`` names the long-text columns (wrapped, whole: no "…"); ``ids`` the columns that must
    never break (identifiers, dates); numbers are right-aligned with ``precision`` decimals. The
    HTML is deterministic (a fixed table id derived from the content), so strict notebook checks
    stay stable.

    >>> t = show_table(pd.DataFrame({"id": ["mt-2020-08-05"], "note": ["a long note"]}), wrap=["note"], ids=["id"])
    >>> "white-space: nowrap" in t._repr_html_() and "a long note" in t._repr_html_()
    True
    """
    import hashlib

    if not index and not frame.index.is_unique:  # the index is hidden: a repeated label must not stop the table
        frame = frame.reset_index(drop=True)
    # from the content as shown (floats to ``precision`` decimals): the last bits of a float computed on another
    # processor (BLAS picks its kernels by processor) must not change the table's id
    uid = "t" + hashlib.sha1(frame.to_csv(float_format=f"%.{precision}f").encode("utf-8")).hexdigest()[:10]
    styler = frame.style.set_uuid(uid).format(precision=precision, na_rep="")
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if dates:
        styler = styler.format("{:%Y-%m-%d}", subset=dates, na_rep="")
    if not index:
        styler = styler.hide(axis="index")
    text_cols = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype).startswith(("str", "string"))]
    styles = [{"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
              {"selector": "td", "props": "vertical-align: top;"}]
    styler = styler.set_table_styles(styles)
    if text_cols:
        styler = styler.set_properties(subset=text_cols, **{"text-align": "left"})
    wrapped = [c for c in wrap if c in frame.columns]
    if wrapped:
        styler = styler.set_properties(subset=wrapped, **{"white-space": "normal", "min-width": f"{width // 2}ch",
                                                          "max-width": f"{width}ch", "overflow-wrap": "anywhere"})
    kept = [c for c in [*ids, *dates] if c in frame.columns]
    if kept:
        styler = styler.set_properties(subset=kept, **{"white-space": "nowrap"})
    return Table(frame, styler.to_html())
