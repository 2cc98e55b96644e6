"""Figures of tone: over time with events, by group, and agreement with hand labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..notebook import SEED
from .validation import agreement

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["MAX_TONE_POINTS", "plot_agreement", "plot_long_run", "plot_tone_by_group", "plot_tone_over_time"]

MAX_TONE_POINTS = 20_000
"""Most sentences :func:`plot_tone_over_time` draws as points; more would be an unreadable grey band
that takes long to render and bloats the PNG, so a seeded random sample of this many is drawn."""

# =========================================================================== plots
def _segments(dates: Sequence[pd.Timestamp], *, max_gap_days: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    ds = sorted(pd.to_datetime(pd.Series(dates)).dropna().unique())
    segs = [[ds[0], ds[0]]]
    for d in ds[1:]:
        if (d - segs[-1][1]).days > max_gap_days:
            segs.append([d, d])
        else:
            segs[-1][1] = d
    return [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in segs]


def plot_tone_over_time(
    points: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    value: str = "tone",
    date: str = "date",
    label: str = "article_id",
    title: str = "Tone of Minsk-Moscow relations in the coverage",
    ylabel: str = "Relation tone\n(−1 friction … +1 cooperation)",
    max_gap_days: int = 120,
    pad_days: int = 10,
    jitter_days: float = 1.2,
    hand: pd.DataFrame | None = None,
    seed: int = SEED,
) -> Figure:
    """Mean tone per group with its interval, every sentence as a jittered point behind.

    ``points``: one row per scored sentence (``date``, ``value``); ``summary``: from
    :func:`tone_summary` (``date, mean, lo, hi`` and a short ``label`` column written above
    each interval with the mean, if present). ``events`` (``date``, ``label``) are drawn as numbered dotted lines,
    listed under the plot. When the dates have a gap longer than ``max_gap_days`` the time
    axis is broken into panels (one per stretch of coverage, sharing the y axis), so a year
    without articles takes no room; the same call works for hundreds of articles or for
    monthly summaries (``tone_summary(..., by="month")``, ``label="month"``). ``hand``: the same
    summary of hand labels (``date, mean, lo, hi``), drawn beside the score's as open diamonds.
    Group labels sit under the points, event markers above them, so the two never collide.
    Beyond :data:`MAX_TONE_POINTS` sentences a seeded random sample of them is drawn as points
    (the legend says so); the means and intervals are ``summary``'s, from every sentence.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    pts = points.dropna(subset=[value])
    segs = _segments(list(pts[date]) + list(summary["date"]), max_gap_days=max_gap_days)
    point_label = "one relation sentence"
    if len(pts) > MAX_TONE_POINTS:  # a sample of the points: the means and intervals still use every sentence
        keep = np.sort(np.random.default_rng(seed).choice(len(pts), size=MAX_TONE_POINTS, replace=False))
        point_label += f" (a random {MAX_TONE_POINTS:,} of {len(pts):,} drawn)"
        pts = pts.iloc[keep]
    spans = [max((b - a).days, 1) + 2 * pad_days for a, b in segs]
    fig, axes = plt.subplots(
        1, len(segs), figsize=(12, 5.8), sharey=True, squeeze=False,
        gridspec_kw={"width_ratios": [max(s, 30) for s in spans], "wspace": 0.05},
    )
    axes = axes[0]
    rng = np.random.default_rng(seed)
    jitter = pd.to_timedelta(rng.uniform(-jitter_days, jitter_days, len(pts)), unit="D")
    px = pd.to_datetime(pts[date]).to_numpy() + jitter.to_numpy()
    listed: list[str] = []
    for k, (ax, (a, b)) in enumerate(zip(axes, segs)):
        lo_d, hi_d = a - pd.Timedelta(days=pad_days), b + pd.Timedelta(days=pad_days)
        ax.axhline(0, color="0.55", lw=1)
        ax.scatter(px, pts[value], s=24, color="0.4", alpha=0.4, lw=0, label=point_label, zorder=2)
        inside = summary[(summary["date"] >= lo_d) & (summary["date"] <= hi_d)]
        shift = pd.Timedelta(days=min(2.0, _span_days(lo_d, hi_d) / 60)) if hand is not None else pd.Timedelta(0)
        ax.errorbar(
            inside["date"] + shift, inside["mean"], yerr=[inside["mean"] - inside["lo"], inside["hi"] - inside["mean"]],
            fmt="o", ms=9, color="#b2182b", ecolor="#b2182b", elinewidth=2.5, capsize=6, zorder=4,
            label="mean score, 95% bootstrap interval",
        )
        if hand is not None:
            h_in = hand[(hand["date"] >= lo_d) & (hand["date"] <= hi_d)]
            ax.errorbar(
                h_in["date"] - shift, h_in["mean"], yerr=[h_in["mean"] - h_in["lo"], h_in["hi"] - h_in["mean"]],
                fmt="D", ms=8, mfc="white", mew=2, color="#2166ac", ecolor="#2166ac", elinewidth=2, capsize=5, zorder=4,
                label="mean hand label, 95% bootstrap interval",
            )
        if label in inside:
            for _, r in inside.iterrows():
                ax.text(r["date"], -1.3, f"{r[label]}\nscore {r['mean']:+.2f}", fontsize=9.5, color="#67001f",
                        va="center", ha="center", zorder=5)
        if events is not None:
            ev = events[(events["date"] >= lo_d) & (events["date"] <= hi_d)]
            previous, level_prev = None, 1.2
            for _, e in ev.iterrows():
                listed.append(f"{len(listed) + 1}  {e['date']:%d %b %Y}  {e['label']}")
                close = previous is not None and (e["date"] - previous).days < max(2, _span_days(lo_d, hi_d) / 25)
                level = 1.36 if close and level_prev == 1.2 else 1.2
                ax.axvline(e["date"], ymin=0.1, ymax=(level - 0.06 + 1.5) / 3.0, color="0.45", ls=":", lw=1.2, zorder=1)
                ax.text(e["date"], level, str(len(listed)), ha="center", va="center", fontsize=10, color="white",
                        fontweight="bold", bbox={"boxstyle": "circle,pad=0.2", "fc": "0.35", "ec": "none"})
                previous, level_prev = e["date"], level
        ax.set_xlim(lo_d, hi_d)
        ax.set_ylim(-1.5, 1.5)
        ax.set_yticks([-1, -0.5, 0, 0.5, 1])
        span = _span_days(lo_d, hi_d)
        if span > 150:
            ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, int(span // 180))))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
        else:
            ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15]))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
        if k:
            ax.tick_params(left=False)
            ax.spines["left"].set_visible(False)
        if k < len(axes) - 1:
            ax.spines["right"].set_visible(False)
    axes[0].set_ylabel(ylabel)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.suptitle(title, fontsize=15, fontweight="bold", y=0.99)
    fig.supxlabel("Publication date" + (" (axis broken where there is no coverage)" if len(segs) > 1 else ""),
                  fontsize=12, y=0.1)
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.02), ncol=3, frameon=False, fontsize=10)
    fig.subplots_adjust(bottom=0.27, top=0.91)
    if listed:
        ncol = 3
        rows = -(-len(listed) // ncol)
        for c in range(ncol):
            chunk = listed[c * rows : (c + 1) * rows]
            fig.text(0.09 + c * 0.3, -0.01, "\n".join(chunk), fontsize=10.5, color="0.25", va="top", ha="left",
                     linespacing=1.5)
    return fig


def _span_days(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Days between two timestamps (a float)."""
    return (end - start) / pd.Timedelta(days=1)


def plot_tone_by_group(
    summary: pd.DataFrame,
    *,
    by: str,
    names: Mapping[str, str] | None = None,
    title: str = "Tone by group",
    xlabel: str = "Mean relation tone (95% bootstrap interval)",
) -> Figure:
    """Mean tone per group (rows of :func:`tone_summary`) as points with intervals, ``n`` noted.

    ``names`` maps group keys to display names (e.g. ``{"belarus": "Belarusian side"}``) and,
    when given, also sets the order from top to bottom (groups not named go last).
    """
    import matplotlib.pyplot as plt
    data = summary.reset_index(drop=True)
    if names:
        rank = {k: i for i, k in enumerate(names)}
        data = data.iloc[sorted(range(len(data)), key=lambda i: rank.get(str(data[by].iloc[i]), len(rank)))]
    labels = [(names or {}).get(str(k), str(k)) for k in data[by]]
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(data) + 1.8))
    ypos = np.arange(len(data))[::-1]
    ax.axvline(0, color="0.55", lw=1)
    ax.errorbar(data["mean"], ypos, xerr=[data["mean"] - data["lo"], data["hi"] - data["mean"]], fmt="o", ms=9,
                color="#b2182b", elinewidth=2.5, capsize=6)
    for y, (_, r) in zip(ypos, data.iterrows()):
        ax.annotate(f"{r['mean']:+.2f}  (n = {r['n']})", (r["hi"], y), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=11)
    ax.set_yticks(ypos, labels)
    ax.set_xlim(-1.05, 1.3)
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_agreement(
    labels: Sequence[int],
    scores: Mapping[str, Sequence[float]],
    *,
    ambiguous: Sequence[bool] | None = None,
    title: str = "Hand labels against scores (held-out)",
    seed: int = SEED,
) -> Figure:
    """One panel per scorer: the score of each sentence against its hand label (jittered).

    Ambiguous labels are drawn hollow. The Spearman correlation is in each panel's title.
    """
    import matplotlib.pyplot as plt
    y = np.asarray(labels, dtype=float)
    amb = np.zeros(len(y), bool) if ambiguous is None else np.asarray(ambiguous, dtype=bool)
    fig, axes = plt.subplots(1, len(scores), figsize=(5.2 * len(scores), 4.8), sharey=True, squeeze=False)
    rng = np.random.default_rng(seed)
    jit = rng.uniform(-0.18, 0.18, len(y))
    for ax, (name, s) in zip(axes[0], scores.items()):
        s = np.asarray(s, dtype=float)
        res = agreement(y, s, ambiguous=amb)
        ax.scatter(s[~amb], y[~amb] + jit[~amb], s=34, color="#b2182b", alpha=0.7, label="clear label")
        ax.scatter(s[amb], y[amb] + jit[amb], s=34, facecolors="none", edgecolors="0.3", label="ambiguous label")
        ax.axvline(0, color="0.6", lw=1)
        ax.set_yticks([-1, 0, 1], ["-1 conflict", "0", "+1 cooperation"])
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel("score")
        ax.set_title(f"{name}\nSpearman {res['spearman']:.2f} · sign accuracy (clear labels) {res['sign_accuracy']:.2f}",
                     fontsize=12)
    axes[0][0].set_ylabel("Hand label")
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.suptitle(title, fontsize=14, fontweight="bold")
    fig.legend(handles, names, loc="lower center", ncol=2, frameon=False, fontsize=11, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def plot_long_run(
    panel: pd.DataFrame,
    *,
    a: str = "hand",
    b: str = "score",
    events: pd.DataFrame | None = None,
    title: str = "Hand-labelled and scored tone, by quarter",
    score_name: str = "score",
) -> Figure:
    """Two series over time, each a mean per period with its interval: hand labels and a score.

    ``panel`` is a :func:`~minsk_moscow.tone.summary.compare_by_period` table (``date``,
    ``mean_<a>``, ``lo_<a>``, ``hi_<a>`` and the same for ``b``). Events are numbered markers on the
    time axis, listed under the plot, so that their labels never overlap.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    hand, scored = ({"date": panel["date"], "mean": panel[f"mean_{c}"], "lo": panel[f"lo_{c}"], "hi": panel[f"hi_{c}"]}
                    for c in (a, b))
    fig, (ax, legend_ax) = plt.subplots(2, 1, figsize=(12, 6.4), gridspec_kw={"height_ratios": [4.2, 1.0]})
    offset = pd.Timedelta(days=9)  # the two series side by side within each period
    for frame, shift, color, name in ((hand, -offset, "#2166ac", "hand labels"), (scored, offset, "#b2182b", score_name)):
        x = frame["date"] + shift
        ax.errorbar(x, frame["mean"], yerr=[frame["mean"] - frame["lo"], frame["hi"] - frame["mean"]], fmt="-o",
                    color=color, ecolor=color, elinewidth=1.3, capsize=3, lw=1.5, ms=5, alpha=0.9,
                    label=f"{name}: mean per quarter, 95% interval")
    ax.axhline(0, color="0.5", lw=1)
    ax.set_ylim(-1.12, 1.32)
    ax.set_ylabel("Tone of Minsk–Moscow relations\n(−1 friction … +1 cooperation)")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("Quarter")
    ax.set_title(title, fontsize=14, fontweight="bold")
    legend_ax.axis("off")
    handles, names = ax.get_legend_handles_labels()
    legend_ax.legend(handles, names, loc="upper left", ncol=2, frameon=False, fontsize=10, bbox_to_anchor=(0, 1.12))
    if events is not None and len(events):
        lines, previous, level = [], None, 1.22
        span = (panel["date"].max() - panel["date"].min()).days or 1
        for i, e in enumerate(events.sort_values("date").itertuples(), start=1):
            close = previous is not None and (e.date - previous).days < span / 40
            level = (1.08 if level == 1.22 else 1.22) if close else 1.22  # stagger markers that would touch
            ax.axvline(e.date, ymax=(level + 1.12 - 0.05) / 2.44, color="0.55", ls=":", lw=1.1, zorder=0)
            ax.text(e.date, level, str(i), ha="center", va="center", fontsize=9, color="white", fontweight="bold",
                    bbox={"boxstyle": "circle,pad=0.2", "fc": "0.35", "ec": "none"})
            lines.append(f"{i}  {e.date:%b %Y}  {e.label}")
            previous = e.date
        ncol = 3
        per = -(-len(lines) // ncol)
        for c in range(ncol):
            legend_ax.text(c / ncol, 0.62, "\n".join(lines[c * per : (c + 1) * per]), va="top", ha="left", fontsize=10,
                           transform=legend_ax.transAxes)
    fig.tight_layout()
    return fig
