"""The one setup call every notebook makes, so notebooks hold no boilerplate.

>>> rng = setup_notebook(seed=7)
>>> round(float(rng.random()), 4)
0.6251
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from .plotting import use_style

__all__ = ["SEED", "head_and_tail", "setup_notebook"]

SEED = 20200809
"""Default seed for every random step: the date of the disputed election, 9 August 2020."""


def setup_notebook(*, seed: int = SEED) -> np.random.Generator:
    """Seed Python and NumPy, fix pandas display options and the plot style.

    Inside IPython it also makes inline figures render without volatile metadata. Returns a
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
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic(
            "config",
            'InlineBackend.print_figure_kwargs = {"bbox_inches": "tight", "metadata": {"Software": None}}',
        )
    return np.random.default_rng(seed)


def head_and_tail(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The first and last ``n`` rows of a long table (all of it when it has at most ``2 n`` rows).

    The index keeps the original row numbers, so the gap shows where rows were left out.

    >>> head_and_tail(pd.DataFrame({"x": range(7)}), 2)["x"].tolist()
    [0, 1, 5, 6]
    """
    return frame if len(frame) <= 2 * n else pd.concat([frame.head(n), frame.tail(n)])
