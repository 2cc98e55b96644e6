"""One figure style and one way to save figures, shared by every notebook.

:func:`use_style` sets fonts that stay legible at GitHub's rendering width; :func:`save_fig`
writes ``figures/NN_<name>.png`` (or into ``$MINSK_MOSCOW_FIGURES``) at a fixed dpi, with no
timestamps or version strings, so re-running a notebook rewrites identical bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .paths import figures_dir

__all__ = ["DPI", "save_fig", "use_style"]

DPI = 120
_NAME = re.compile(r"^\d{2}_[a-z0-9_]+$")


def use_style() -> None:
    """Apply the project's plot style (seaborn's whitegrid, larger fonts, stable output)."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", font_scale=1.15)
    mpl.rcParams.update(
        {
            "figure.figsize": (9, 5),
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "axes.titlesize": 14,
            "axes.titleweight": "bold",
            "axes.labelsize": 12,
            "svg.hashsalt": "minsk-moscow",
            "font.family": "DejaVu Sans",
        }
    )


def save_fig(fig: Figure | None, name: str, *, folder: str | Path | None = None) -> Path:
    """Save ``fig`` (default: the current figure) as ``<folder>/<name>.png`` and return the path.

    ``name`` must look like ``NN_<words>`` (``"02_tfidf_heatmap"``), so each figure is
    traceable to its notebook. The PNG carries no software or date metadata.

    >>> import matplotlib.pyplot as plt, tempfile
    >>> fig, ax = plt.subplots()
    >>> save_fig(fig, "01_example", folder=tempfile.mkdtemp()).name
    '01_example.png'
    >>> plt.close(fig)
    """
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like 'NN_lower_case_words'")
    fig = fig if fig is not None else plt.gcf()
    out = Path(folder) if folder is not None else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    fig.savefig(path, dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return path
