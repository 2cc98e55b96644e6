"""One figure style and one way to save figures, shared by every notebook.

:func:`use_style` sets fonts that stay legible at GitHub's rendering width; :func:`save_fig`
writes ``figures/NN_<name>.png`` (or into ``$MINSK_MOSCOW_FIGURES``) at a fixed dpi, with no
timestamps or version strings, so re-running a notebook rewrites identical bytes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .paths import figures_dir

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["DPI", "ELECTION_DATE", "plot_article_lengths", "plot_article_timeline", "save_fig", "use_style"]

DPI = 120
_NAME = re.compile(r"^\d{2}_[a-z0-9_]+$")


def use_style() -> None:
    """Apply the project's plot style (seaborn's whitegrid, larger fonts, stable output)."""
    import matplotlib as mpl
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
    import matplotlib.pyplot as plt
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like 'NN_lower_case_words'")
    fig = fig if fig is not None else plt.gcf()
    out = Path(folder) if folder is not None else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    # Written beside it, then moved into place: a reader (another process checking figures/)
    # sees the old file or the new one, never a half-written one.
    part = out / f".{name}.{os.getpid()}.png.part"
    try:
        fig.savefig(part, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


ELECTION_DATE = "2020-08-09"
"""The disputed Belarusian presidential election, the story's turning point."""


def plot_article_timeline(
    corpus: "pd.DataFrame",
    *,
    max_labels: int = 40,
    marks: dict[str, str] | None = None,
    title: str = "Articles in the corpus by publication date",
) -> Figure:
    """Plot when the articles were published, marking inferred dates differently.

    With up to ``max_labels`` dated articles each one is a labelled point (filled: date
    stated in the text; hollow: inferred); with more, a bar chart of articles per month.
    ``marks`` maps ISO dates to labels drawn as vertical lines (default: the election).

    >>> import minsk_moscow as mm
    >>> fig = plot_article_timeline(mm.load_corpus())
    >>> [t.get_text() for t in fig.axes[0].texts][:2]
    ['election 9 Aug 2020', 'mt-2020-08-05']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    marks = {ELECTION_DATE: "election 9 Aug 2020"} if marks is None else marks
    dated = corpus.dropna(subset=["date"]).sort_values("date")
    fig, ax = plt.subplots(figsize=(10, 4.2))
    for day, label in marks.items():
        x = pd.Timestamp(day)
        ax.axvline(x, color="firebrick", linestyle="--", linewidth=1.2)
        ax.text(x, 1.02, label, transform=ax.get_xaxis_transform(), color="firebrick", ha="center", fontsize=10)
    if len(dated) <= max_labels:
        basis = dated.get("date_basis", pd.Series("stated", index=dated.index))
        gap = max((dated["date"].max() - dated["date"].min()) * 0.12, pd.Timedelta(days=1))
        last_on_level: list[pd.Timestamp] = []
        for _, row in dated.iterrows():
            # the lowest level whose last label is far enough to the left, so labels never overlap
            y = next((i for i, last in enumerate(last_on_level) if row["date"] - last >= gap), len(last_on_level))
            last_on_level[y:y + 1] = [row["date"]]
            y += 1
            stated = basis.loc[row.name] == "stated"
            ax.plot([row["date"]] * 2, [0, y], color="grey", linewidth=0.8)
            ax.scatter(row["date"], y, s=90, color="steelblue" if stated else "white", edgecolor="steelblue", linewidth=2, zorder=3)
            ax.text(row["date"], y + 0.25, row["article_id"], ha="center", fontsize=10)
        ax.set_ylim(0, len(last_on_level) + 1.2)
        ax.set_yticks([])
        ax.scatter([], [], color="steelblue", label="date stated in the text")
        ax.scatter([], [], color="white", edgecolor="steelblue", linewidth=2, label="date inferred")
        ax.legend(loc="upper center", frameon=True, fontsize=10)
        ax.set_ylabel("")
    else:
        monthly = dated.set_index("date").resample("MS").size()
        ax.bar(monthly.index, monthly.to_numpy(), width=20, color="steelblue")
        ax.set_ylabel("articles per month")
    ax.set_xlabel("publication date")
    ax.set_title(title, pad=22)
    span = (dated["date"].max() - dated["date"].min()) if len(dated) else pd.Timedelta(0)
    pad = max(span * 0.06, pd.Timedelta(days=10))
    if len(dated):
        ax.set_xlim(dated["date"].min() - pad, dated["date"].max() + pad)
    fig.autofmt_xdate()
    return fig


def plot_article_lengths(
    corpus: "pd.DataFrame",
    *,
    max_bars: int = 30,
    title: str = "Length of each clean article",
) -> Figure:
    """Words in each clean article: one labelled bar per article, or a histogram for many.

    With up to ``max_bars`` articles each gets a bar (in corpus order, top to bottom) with
    its sentence count written beside it; with more, bars would be unreadable, so the figure
    is a histogram of article lengths with the median marked.

    >>> import minsk_moscow as mm
    >>> fig = plot_article_lengths(mm.load_corpus())
    >>> [t.get_text() for t in fig.axes[0].texts][:1]
    ['28 sentences']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    words = corpus["n_words"].to_numpy()
    if len(corpus) <= max_bars:
        fig, ax = plt.subplots(figsize=(9, max(3.0, 0.45 * len(corpus) + 2.25)))
        ax.barh(corpus["article_id"], words, color="steelblue")
        for y, (n_words, n_sentences) in enumerate(zip(words, corpus["n_sentences"])):
            ax.text(n_words + 8, y, f"{n_sentences} sentences", va="center", fontsize=10)
        ax.invert_yaxis()
        ax.set(title=title, xlabel="words in the clean text", ylabel="article (date order)")
        ax.set_xlim(0, words.max() * 1.25)
        return fig
    median = float(np.median(words))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.hist(words, bins=min(40, max(10, len(words) // 10)), color="steelblue", edgecolor="white")
    ax.axvline(median, color="firebrick", linestyle="--", linewidth=1.5, label=f"median {median:,.0f} words")
    ax.legend(frameon=False)
    ax.set(title=f"{title}s ({len(words):,} articles)", xlabel="words in the clean text", ylabel="articles")
    return fig

