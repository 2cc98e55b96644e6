"""Interactive charts as self-contained HTML pages: plotly.js inline, nothing loaded from the web.

- :func:`tone_explorer`: the tone of every relation sentence over time, one point per
  sentence coloured by who speaks; hovering a point shows the sentence, its score, speaker and
  hand label, clicking it shows every score and the cues the rules found; each article's mean
  with its 95% bootstrap interval (:func:`~minsk_moscow.tone.tone_summary`) on top.
- :func:`validation_explorer`: the same for the out-of-sample validation set of notebook 04:
  hand labels against held-out ``hybrid`` scores (:func:`validation_scores`).
- :func:`term_explorer`: the before/after term comparison of notebook 02 drawn as scattertext
  does: each term a point placed by its frequency on each side of the split date and coloured
  by its log-odds z-score; hovering or clicking a term shows its keywords in context
  (:func:`~minsk_moscow.keywords.keywords_in_context`) on each side, in a panel beside the chart.
- :func:`write_interactive` writes the three pages; from the shell::

      python -m minsk_moscow.interactive --out build/interactive   # corpus: $MINSK_MOSCOW_CORPUS or seeds/

Each page is one HTML file (about 5 MB, nearly all of it plotly.js) with a ``<title>`` and a
``<meta name="description">`` in its head, and is byte-for-byte the same on every run.

Examples
--------
>>> from minsk_moscow.corpus import load_corpus
>>> from minsk_moscow.results import tone_sentence_table
>>> page = tone_explorer(tone_sentence_table(load_corpus()))
>>> page.startswith("<!DOCTYPE html>"), "<title>" in page, "cdn.plot.ly/plotly" in page
(True, True, False)
"""

from __future__ import annotations

import argparse
import html
import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .cache import cached
from .config import split_date
from .corpus import english_only, load_corpus, sentence_table
from .keywords import (
    ContextFinder,
    compare_groups,
    split_by_date,
    top_distinctive,
)
from .notebook import SEED
from .paths import PROJECT_ROOT, VALIDATION_EVENTS_FILE, corpus_dir
from .results import tone_sentence_table
from .text import tokenize
from .tone import (
    cross_validate,
    development_sets,
    load_events,
    score_test_split,
    tone_summary,
)

__all__ = [
    "PAGES",
    "SPEAKER_NAMES",
    "term_explorer",
    "tone_explorer",
    "validation_explorer",
    "validation_scores",
    "write_interactive",
]

SPEAKER_NAMES: dict[str, str] = {
    "belarus": "Belarusian side",
    "russia": "Russian side",
    "other": "Others (analysts, opposition)",
    "reporter": "Reporter (no attribution)",
}
"""Legend names of the speaker sides (as in notebook 04)."""
_SPEAKER_COLOURS = {"belarus": "#d6604d", "russia": "#4393c3", "other": "#5aae61", "reporter": "#8c8c8c"}
_LABEL_NAMES = {-1: "friction (−1)", 0: "neither (0)", 1: "cooperation (+1)"}
_LABEL_COLOURS = {-1: "#b2182b", 0: "#8c8c8c", 1: "#2166ac"}
_SIDE_COLOURS = ("#c0392b", "#1f5f8b")  # group a, group b: as notebook 02's log-odds figure
_Z_CRITICAL = 1.96
_CONFIG = {"displaylogo": False, "responsive": True}
_WRAP = 72
MAX_EXPLORER_SENTENCES = 5_000
"""Most sentences the tone explorer draws as points (a seeded sample beyond; the means use all)."""
_MAX_GAP_DAYS = 120

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1500px;
padding:.8rem 1.5rem;color:#222;line-height:1.45}
h1{font-size:1.45rem;margin:.3rem 0 .4rem}
header p,footer p{max-width:72rem;margin:.3rem 0}
footer{color:#555;font-size:.9rem;border-top:1px solid #ddd;margin-top:1rem;padding-top:.3rem}
.explorer{display:flex;gap:1rem;align-items:flex-start}
.chart{flex:1 1 auto;min-width:0}
.panel{order:2;flex:0 0 25rem;max-height:700px;overflow-y:auto;border-left:3px solid #ddd;padding:0 .2rem 0 .9rem;font-size:.92rem}
.panel h2{font-size:1.05rem;margin:.3rem 0 .5rem}
.panel h3{font-size:.95rem;margin:.9rem 0 .3rem}
.hint{color:#666}
.sentence{font-size:1rem;background:#f5f5f5;padding:.4rem .5rem;border-radius:4px}
.kwic{margin:.3rem 0;padding:.25rem .4rem;background:#f5f5f5;border-radius:4px}
.kwic mark{background:#ffe08a;font-weight:600;padding:0 .1rem}
.src{color:#777;font-size:.8rem;white-space:nowrap}
.url{color:#777;font-size:.8rem;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.15rem .7rem;margin:.5rem 0}
dl.facts dt{color:#555}
dl.facts dd{margin:0}
ul.cues{margin:.2rem 0;padding-left:1.2rem}
button{font:inherit;font-size:.85rem;margin:.2rem 0}
@media (max-width:900px){.explorer{flex-direction:column}.panel{flex:none;width:100%;max-height:none;border-left:none;
border-top:3px solid #ddd;padding:0}}
"""

# Helpers shared by the pages' scripts: build the panel with DOM calls (textContent), never innerHTML.
_JS_HELPERS = """
var body = document.getElementById('panel-body');
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}
function clear() { while (body.firstChild) { body.removeChild(body.firstChild); } }
function facts(pairs) {
  var dl = el('dl', 'facts');
  pairs.forEach(function (p) { dl.appendChild(el('dt', null, p[0])); dl.appendChild(el('dd', null, p[1])); });
  return dl;
}
function pointIndex(ev) {
  var p = ev && ev.points && ev.points[0];
  return (p && p.customdata && typeof p.customdata[0] === 'number') ? p.customdata[0] : null;
}
"""


# =========================================================================== page
def _json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` left raw)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _paragraphs(texts: Sequence[str]) -> str:
    return "\n".join(f"<p>{html.escape(t)}</p>" for t in texts)


def _page(
    *,
    title: str,
    description: str,
    intro: Sequence[str],
    notes: Sequence[str] = (),
    figure: Any = None,
    div_id: str = "chart",
    panel_title: str = "",
    panel_hint: str = "",
    data: Mapping[str, Any] | None = None,
    script: str | None = None,
) -> str:
    """One self-contained HTML page: head with title and description, the chart and a side panel.

    ``data`` become ``<script type="application/json" id=KEY>`` blocks placed before the chart,
    so that ``script`` (run once the chart is drawn, ``{plot_id}`` replaced by ``div_id``) can
    read them. Without a ``figure`` the page holds only its text (used when a chart cannot be
    drawn for this corpus).
    """
    blocks = "".join(
        f'<script type="application/json" id="{html.escape(key)}">{_json(value)}</script>\n'
        for key, value in (data or {}).items()
    )
    if figure is not None:
        import plotly.io as pio

        chart = pio.to_html(
            figure, full_html=False, include_plotlyjs=True, include_mathjax=False, div_id=div_id, config=_CONFIG,
            post_script=None if script is None else _JS_HELPERS + script, default_width="100%",
            default_height=f"{figure.layout.height or 600}px",
        )
        hint = f'<p class="hint">{html.escape(panel_hint)}</p>'
        # The panel comes first in the document (CSS shows it on the right): the chart is sized, and its
        # script finds the panel, while the page is still being read.
        main = (
            f'<main class="explorer">\n<aside class="panel" aria-live="polite"><h2>{html.escape(panel_title)}</h2>'
            f'<div id="panel-body">{hint}</div></aside>\n<div class="chart">{chart}</div>\n</main>'
        )
    else:
        main = ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<meta name="description" content="{html.escape(description, quote=True)}">\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{html.escape(title)}</h1>\n{_paragraphs(intro)}\n</header>\n"
        f"{blocks}{main}\n"
        f"<footer>\n{_paragraphs(notes)}\n</footer>\n</body>\n</html>\n"
    )


def _plain(text: Any) -> str:
    """Text for plotly's labels, which read a little HTML: ``&``, ``<`` and ``>`` escaped (plotly shows
    other entities, such as ``&quot;``, as they are written)."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int = _WRAP) -> str:
    """A sentence for a plotly hover label: escaped (:func:`_plain`), wrapped with ``<br>``."""
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(_plain(line) for line in lines or [""])


def _num(value: Any, fmt: str = "{:+.2f}") -> str:
    return "–" if value is None or pd.isna(value) else fmt.format(float(value))


def _label_text(label: Any, ambiguous: Any = None, relation: Any = None) -> str:
    if relation is not None and not pd.isna(relation) and int(relation) == 0:
        return "not a relation sentence (hand)"
    if label is None or pd.isna(label):
        return "none"
    text = _LABEL_NAMES.get(int(label), str(label))
    return text + (", ambiguous" if ambiguous is not None and not pd.isna(ambiguous) and int(ambiguous) else "")


def _jitter(n: int, days: float, *, seed: int = SEED) -> pd.TimedeltaIndex:
    """Deterministic horizontal jitter (as notebook 04's ``plot_tone_over_time``: uniform, seeded)."""
    return pd.to_timedelta(np.random.default_rng(seed).uniform(-days, days, n), unit="D")


def _gaps(dates: Sequence[pd.Timestamp], *, max_gap_days: int = _MAX_GAP_DAYS, pad_days: int = 12) -> list[dict]:
    """Plotly range breaks hiding every stretch longer than ``max_gap_days`` without coverage."""
    days = sorted(pd.Timestamp(d).normalize() for d in pd.unique(pd.Series(dates).dropna()))
    return [
        {"bounds": [f"{a + pd.Timedelta(days=pad_days):%Y-%m-%d}", f"{b - pd.Timedelta(days=pad_days):%Y-%m-%d}"]}
        for a, b in pairwise(days)
        if (b - a).days > max_gap_days
    ]


def _date_axis(dates: pd.Series, *, pad_days: int = 12, max_ticks: int = 12) -> dict:
    """A date axis that skips stretches of over 120 days without coverage, ticked only where there is coverage."""
    days = sorted(pd.Timestamp(d).normalize() for d in pd.unique(pd.Series(dates).dropna()))
    if not days:
        return {"type": "date"}
    starts = [days[0]] + [b for a, b in pairwise(days) if (b - a).days > _MAX_GAP_DAYS]
    ends = [a for a, b in pairwise(days) if (b - a).days > _MAX_GAP_DAYS] + [days[-1]]
    pad = pd.Timedelta(days=pad_days)
    for freq, fmt in (("W-MON", "%d %b<br>%Y"), ("SMS", "%d %b<br>%Y"), ("MS", "%b<br>%Y"), ("QS", "%b<br>%Y"),
                      ("2QS", "%b<br>%Y"), ("YS", "%Y")):
        ticks = [t for a, b in zip(starts, ends) for t in pd.date_range(a - pad, b + pad, freq=freq)]
        if len(ticks) <= max_ticks:
            break
    return {"type": "date", "rangebreaks": _gaps(days, pad_days=pad_days), "tickvals": [f"{t:%Y-%m-%d}" for t in ticks],
            "ticktext": [f"{t:{fmt}}" for t in ticks]}


def _add_events(fig: Any, events: pd.DataFrame | None, dates: pd.Series, *, y: float, row: int | None = None,
                col: int | None = None, pad_days: int = 12) -> None:
    """Key events inside the covered stretches: dotted lines and a marker to hover at the top."""
    import plotly.graph_objects as go

    if events is None or events.empty or dates.dropna().empty:
        return
    days = sorted(pd.Timestamp(d) for d in pd.unique(dates.dropna()))
    pad = pd.Timedelta(days=pad_days)
    inside = events[[any(d - pad <= e <= d + pad for d in days) for e in pd.to_datetime(events["date"])]]
    if inside.empty:
        return
    where = {} if row is None else {"row": row, "col": col}
    for d in pd.to_datetime(inside["date"]):
        fig.add_vline(x=f"{d:%Y-%m-%d}", line={"dash": "dot", "color": "#999", "width": 1}, **where)
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(inside["date"]), y=[y] * len(inside), mode="markers", name="key event (hover)",
            marker={"symbol": "triangle-down", "size": 11, "color": "#555"},
            customdata=[[f"{d:%d %b %Y}", _plain(str(lab)), _wrap(ev, 60)]
                        for d, lab, ev in zip(pd.to_datetime(inside["date"]), inside["label"], inside["event"])],
            hovertemplate="<b>%{customdata[0]}: %{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
        ),
        **where,
    )


# =========================================================================== tone
def tone_explorer(
    tone_sentences: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    by: str | None = None,
    title: str = "How the coverage depicted Minsk–Moscow relations, sentence by sentence",
) -> str:
    """The tone of relation sentences over time, one point per sentence, as a self-contained page.

    Each sentence is a point at its article's date (spread by a seeded jitter of up to
    1.2 days, as in notebook 04's figure) and its default tone score, coloured by speaker
    side. Hovering a point shows the sentence (wrapped), score, speaker and hand label;
    clicking it lists every score and the cues the rules found in the panel beside the chart.
    Black diamonds are the means of each article with 95% bootstrap intervals
    (:func:`~minsk_moscow.tone.tone_summary`). The date axis skips stretches of over 120 days
    without coverage. Sentences of undated articles are left out (the page says how many).

    Parameters
    ----------
    tone_sentences : pandas.DataFrame
        From :func:`~minsk_moscow.results.tone_sentence_table`, or ``tone_sentences.csv``
        read back (needs ``article_id, date, sentence, text, speaker_side, tone``; uses
        ``outlet, tone_rules, tone_model, vader, hand_*`` and ``cues`` when present).
    events : pandas.DataFrame, optional
        Key events (``date, label, event``; e.g. :func:`~minsk_moscow.tone.load_events`),
        drawn where there is coverage.
    by : str, optional
        Group of the means: ``"article_id"``, ``"month"`` or any column; default each article
        up to 12 articles, else months (as notebook 04).
    title : str
        Page and chart title.

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> table = pd.DataFrame({"article_id": ["a", "a"], "date": ["2020-08-05"] * 2, "sentence": [0, 3],
    ...     "text": ["Minsk and Moscow agreed.", "Minsk accused Moscow."], "speaker_side": ["reporter", "belarus"],
    ...     "tone": [0.8, -0.7]})
    >>> "Minsk accused Moscow." in tone_explorer(table)
    True
    """
    import plotly.graph_objects as go

    t = tone_sentences.copy()
    t["date"] = pd.to_datetime(t["date"], errors="coerce")  # "" (CSV) or NaT: undated
    t = t.dropna(subset=["tone"])
    undated = int(t["date"].isna().sum())
    t = t[t["date"].notna()].sort_values(["date", "article_id", "sentence"], kind="stable").reset_index(drop=True)
    for col in ("outlet", "cues"):
        t[col] = t[col].fillna("").astype(str) if col in t else ""
    for col in ("tone_rules", "tone_model", "vader", "hand_label", "hand_ambiguous", "hand_relation"):
        if col not in t:
            t[col] = np.nan
    n_articles = t["article_id"].nunique()
    by = by or ("article_id" if n_articles <= 12 else "month")
    summary = tone_summary(t, by=by) if len(t) else pd.DataFrame(columns=[by, "date", "n", "mean", "lo", "hi"])
    n_sentences = len(t)
    if n_sentences > MAX_EXPLORER_SENTENCES:  # the means above use every sentence; the points are a sample
        keep = np.sort(np.random.default_rng(SEED).choice(n_sentences, MAX_EXPLORER_SENTENCES, replace=False))
        t = t.iloc[keep].reset_index(drop=True)
    t["x"] = t["date"] + _jitter(len(t), 1.2)
    t["hand"] = [_label_text(lab, amb, rel) for lab, amb, rel in zip(t["hand_label"], t["hand_ambiguous"], t["hand_relation"])]

    fig = go.Figure()
    sides = [s for s in SPEAKER_NAMES if s in set(t["speaker_side"])] + sorted(set(t["speaker_side"]) - set(SPEAKER_NAMES))
    for side in sides:
        part = t[t["speaker_side"] == side]
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["tone"], mode="markers", name=SPEAKER_NAMES.get(side, str(side)),
            marker={"color": _SPEAKER_COLOURS.get(side, "#555"), "size": 9, "opacity": 0.8,
                    "line": {"width": 0.6, "color": "white"}},
            customdata=[[int(i), _wrap(text), SPEAKER_NAMES.get(side, str(side)), _plain(hand), _plain(str(aid)),
                         f"{d:%d %b %Y}"]
                        for i, text, hand, aid, d in zip(part.index, part["text"], part["hand"], part["article_id"], part["date"])],
            hovertemplate=("%{customdata[1]}<br><br><b>score %{y:+.2f}</b> · %{customdata[2]} · hand label: "
                           "%{customdata[3]}<br>%{customdata[4]}, %{customdata[5]}<extra></extra>"),
        ))
    if len(summary):
        label = summary[by].astype(str)
        fig.add_trace(go.Scatter(
            x=summary["date"], y=summary["mean"], mode="markers",
            name=("article" if by == "article_id" else str(by)) + " mean, 95% bootstrap interval",
            marker={"symbol": "diamond", "size": 12, "color": "#111", "line": {"width": 1, "color": "white"}},
            error_y={"type": "data", "symmetric": False, "array": (summary["hi"] - summary["mean"]).tolist(),
                     "arrayminus": (summary["mean"] - summary["lo"]).tolist(), "thickness": 2, "width": 7, "color": "#111"},
            customdata=[[_plain(s), int(n), float(lo), float(hi)]
                        for s, n, lo, hi in zip(label, summary["n"], summary["lo"], summary["hi"])],
            hovertemplate=("<b>%{customdata[0]}</b><br>mean tone %{y:+.2f}, 95% interval [%{customdata[2]:+.2f}, "
                           "%{customdata[3]:+.2f}]<br>over %{customdata[1]} relation sentences<extra></extra>"),
        ))
    _add_events(fig, events, t["date"], y=1.13)
    fig.update_layout(
        height=640, template="plotly_white", hovermode="closest",
        hoverlabel={"align": "left"}, margin={"l": 70, "r": 20, "t": 30, "b": 130},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0},
        yaxis={"title": "relation tone (−1 friction … +1 cooperation)", "range": [-1.18, 1.2], "zeroline": True,
               "zerolinecolor": "#999", "tickvals": [-1, -0.5, 0, 0.5, 1]},
        xaxis={"title": "publication date (sentences spread around it; long stretches without coverage are cut out)",
               **_date_axis(t["date"])},
    )
    if t.empty:
        fig.add_annotation(text="no dated relation sentence in this corpus", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
    rows = [
        {
            "text": str(r.text), "article": str(r.article_id), "date": f"{r.date:%d %B %Y}", "outlet": r.outlet,
            "speaker": SPEAKER_NAMES.get(r.speaker_side, str(r.speaker_side)), "tone": _num(r.tone),
            "rules": _num(r.tone_rules), "model": _num(r.tone_model), "vader": _num(r.vader), "hand": r.hand,
            "cues": [c for c in r.cues.split("; ") if c],
        }
        for r in t.itertuples()
    ]
    span = f"{t['date'].min():%d %B %Y} to {t['date'].max():%d %B %Y}" if len(t) else "no dates"
    description = (
        f"Interactive chart of how {n_articles} English-language news articles ({span}) depicted relations between "
        f"Minsk and Moscow: the tone of each of their {n_sentences} relation sentences, coloured by who speaks, with "
        "each article's mean and 95% bootstrap interval. Hover a point to read the sentence."
    )
    intro = [
        "Every point is one sentence about relations between the Belarusian and the Russian state, placed at its "
        "article's date (spread a little so that sentences of one article do not hide each other) and at its tone "
        "score: −1 friction (disputes, pressure, arrests of the other side's citizens) … +1 cooperation "
        "(agreements, support, integration). Colours say whose words the sentence reports. Black diamonds are the "
        + ("article means" if by == "article_id" else f"{by} means")
        + " with 95% bootstrap intervals.",
        ("Hover a point to read the sentence; click it to see every score and the cues the rules found. Click a "
        "legend entry to hide or show a group."),
    ]
    notes = [
        ("Score: the package's default relation-tone scorer (the mean of readable cue rules and a small logistic "
        "regression; notebook 04). On articles it never saw its Spearman correlation with hand labels is about "
        "0.43: read it as a measure of trends and rankings over many sentences, not of single sentences. Hand "
        "labels exist for the seed articles only."),
    ]
    if undated:
        notes.append(f"{undated} relation sentence(s) of undated articles are not shown.")
    if n_sentences > len(t):
        notes.append(f"The points are a random sample of {len(t):,} of the {n_sentences:,} dated relation sentences "
                     f"(seed {SEED}), so the page stays light; the means and intervals use every sentence.")
    script = """
var rows = JSON.parse(document.getElementById('tone-data').textContent);
function show(i) {
  var r = rows[i];
  if (!r) { return; }
  clear();
  body.appendChild(el('p', 'sentence', r.text));
  body.appendChild(facts([['article', r.article + ', ' + r.date + (r.outlet ? ' (' + r.outlet + ')' : '')],
    ['speaker', r.speaker], ['tone (default)', r.tone], ['rules half', r.rules], ['model half', r.model],
    ['VADER', r.vader], ['hand label', r.hand]]));
  body.appendChild(el('h3', null, 'Cues the rules found, and what they did'));
  if (r.cues.length) {
    var ul = el('ul', 'cues');
    r.cues.forEach(function (c) { ul.appendChild(el('li', null, c)); });
    body.appendChild(ul);
  } else { body.appendChild(el('p', 'hint', 'no cue fired')); }
}
document.getElementById('{plot_id}').on('plotly_click', function (ev) {
  var i = pointIndex(ev);
  if (i !== null) { show(i); }
});
"""
    return _page(title=title, description=description, intro=intro, notes=notes, figure=fig, div_id="tone",
                 panel_title="Sentence", panel_hint="Click a point to see the whole sentence, its scores and cues.",
                 data={"tone-data": rows}, script=script)


# =========================================================================== validation
def validation_scores() -> pd.DataFrame:
    """Held-out ``hybrid`` scores of every sentence of the validation set, as notebook 04 gets them.

    Development articles: 5-fold cross-validation by article (:func:`~minsk_moscow.tone.cross_validate`
    with the seed labels as extra training data); test articles: fitted once on the development
    and seed sentences and scored once (:func:`~minsk_moscow.tone.score_test_split`, whose
    ``hybrid`` equals the shipped default). VADER alongside. A few seconds the first time; both steps
    are kept in the result cache (:func:`~minsk_moscow.cache.cached`, keyed by the code and the labels),
    so the next call, in this process or another, reads them.

    Returns
    -------
    pandas.DataFrame
        The validation set's columns (``article_id, outlet, date, text, tone`` = hand label,
        ``ambiguous, rationale, split``, ...) plus ``score`` (held-out hybrid), ``vader`` and
        ``held_out`` (how the score was held out).
    """
    dev, test, seeds = development_sets()
    cv = cached(cross_validate, dev, methods=["hybrid", "vader"], extra_train=seeds)
    scored = cached(score_test_split, test, pd.concat([dev, seeds], ignore_index=True), methods=["hybrid", "vader"])
    out = pd.concat([
        cv.assign(held_out="development article, scored by 5-fold cross-validation (by article)"),
        scored.assign(held_out="frozen test article, scored once"),
    ], ignore_index=True)
    return out.rename(columns={"hybrid": "score"}).drop(columns=["fold"])


def validation_explorer(
    scored: pd.DataFrame | None = None,
    *,
    events: pd.DataFrame | None = None,
    title: str = "Validation: hand labels against held-out hybrid scores, 2019–2025",
) -> str:
    """Hand labels against held-out scores on the validation set, as a self-contained page.

    Left: every labelled relation sentence of the validation articles over time (held-out
    ``hybrid`` score on y, colour = hand label, circles development, diamonds test), with the
    quarterly means of hand labels and of scores (:func:`~minsk_moscow.tone.tone_summary`, as
    notebook 04's long-run panel). Right: score against hand label. Hovering shows the
    sentence, label and score; clicking adds the annotator's rationale and the source.

    Parameters
    ----------
    scored : pandas.DataFrame, optional
        From :func:`validation_scores` (computed when not given).
    events : pandas.DataFrame, optional
        Key events; default ``validation/events.csv``.
    title : str
        Page and chart title (it says which scores are shown).

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> scored = validation_scores()  # a few seconds, or read from the result cache
    >>> page = validation_explorer(scored)
    >>> f"{len(scored)} hand-labelled" in page, "held-out hybrid" in page
    (True, True)
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    v = (validation_scores() if scored is None else scored).copy()
    v["date"] = pd.to_datetime(v["date"])
    v = v.sort_values(["date", "article_id", "position"], kind="stable").reset_index(drop=True)
    events = load_events(VALIDATION_EVENTS_FILE) if events is None else events
    span_days = max((v["date"].max() - v["date"].min()).days, 1)
    v["x"] = v["date"] + _jitter(len(v), max(1.2, span_days / 400))
    v["x_label"] = v["tone"] + np.random.default_rng(SEED + 1).uniform(-0.28, 0.28, len(v))
    v["hand"] = [_label_text(lab, amb) for lab, amb in zip(v["tone"], v["ambiguous"])]
    test = v["split"] == "test"

    fig = make_subplots(rows=1, cols=2, column_widths=[0.66, 0.34], shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("over time", "against the hand label"))
    for label in (-1, 0, 1):
        part = v[v["tone"] == label]
        custom = [[int(i), _wrap(text), _plain(hand), _plain(str(outlet)), f"{d:%d %b %Y}",
                   "test (scored once)" if split == "test" else "development (5-fold held out)"]
                  for i, text, hand, outlet, d, split in zip(part.index, part["text"], part["hand"], part["outlet"],
                                                              part["date"], part["split"])]
        hover = ("%{customdata[1]}<br><br><b>held-out score %{y:+.2f}</b> · hand label: %{customdata[2]}<br>"
                 "%{customdata[3]}, %{customdata[4]} · %{customdata[5]}<extra></extra>")
        marker = {"color": _LABEL_COLOURS[label], "size": 8, "opacity": 0.75, "line": {"width": 0.6, "color": "white"},
                  "symbol": np.where(test[part.index], "diamond", "circle").tolist()}
        fig.add_trace(go.Scatter(x=part["x"], y=part["score"], mode="markers", name=f"hand label: {_LABEL_NAMES[label]}",
                                 legendgroup=str(label), marker=marker, customdata=custom, hovertemplate=hover), row=1, col=1)
        fig.add_trace(go.Scatter(x=part["x_label"], y=part["score"], mode="markers", name=_LABEL_NAMES[label],
                                 legendgroup=str(label), showlegend=False, marker=marker, customdata=custom,
                                 hovertemplate=hover), row=1, col=2)
    held = v.assign(hand_value=v["tone"].astype(float))
    # The two lines take colours of their own: red, grey and blue already mean the hand label of a point.
    for value, name, colour, dash in (("hand_value", "hand labels, quarterly mean", "#222222", "dash"),
                                      ("score", "held-out hybrid score, quarterly mean", "#e66101", "solid")):
        q = tone_summary(held, by="quarter", value=value)
        fig.add_trace(go.Scatter(
            x=q["date"], y=q["mean"], mode="lines+markers", name=name, line={"color": colour, "dash": dash, "width": 2.5},
            marker={"size": 7}, customdata=[[str(p), int(n), float(lo), float(hi)] for p, n, lo, hi in
                                            zip(q["quarter"], q["n"], q["lo"], q["hi"])],
            hovertemplate=(f"<b>%{{customdata[0]}}</b>: {name.split(',')[0]}<br>mean %{{y:+.2f}}, 95% interval "
                           "[%{customdata[2]:+.2f}, %{customdata[3]:+.2f}] over %{customdata[1]} sentences<extra></extra>"),
        ), row=1, col=1)
    _add_events(fig, events, v["date"], y=1.13, row=1, col=1)
    fig.update_layout(
        height=660, template="plotly_white", hovermode="closest",
        hoverlabel={"align": "left"}, margin={"l": 70, "r": 20, "t": 50, "b": 130},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0},
    )
    fig.update_yaxes(title_text="held-out hybrid score (−1 friction … +1 cooperation)", range=[-1.18, 1.2],
                     zeroline=True, zerolinecolor="#999", tickvals=[-1, -0.5, 0, 0.5, 1], row=1, col=1)
    # Seven years: one tick a year, no broken axis (a break per gap would crowd the labels).
    fig.update_xaxes(title_text="publication date", type="date", dtick="M12", tickformat="%Y", row=1, col=1)
    fig.update_xaxes(tickvals=[-1, 0, 1], ticktext=["friction", "0", "cooperation"], range=[-1.6, 1.6],
                     tickangle=0, title_text="hand label", row=1, col=2)
    rows = [
        {"text": str(r.text), "article": str(r.article_id), "outlet": str(r.outlet), "date": f"{r.date:%d %B %Y}",
         "hand": r.hand, "rationale": "" if pd.isna(r.rationale) else str(r.rationale), "score": _num(r.score),
         "vader": _num(r.vader), "held_out": r.held_out, "url": "" if pd.isna(r.url) else str(r.url)}
        for r in v.itertuples()
    ]
    n_art = v["article_id"].nunique()
    description = (
        f"Interactive chart of the validation set of the minsk-moscow tone measure: {len(v)} hand-labelled "
        f"Minsk–Moscow relation sentences from {n_art} articles ({v['date'].min():%Y}–{v['date'].max():%Y}) against "
        "their held-out hybrid tone scores. Hover a point to read the sentence."
    )
    intro = [
        (f"Every point is one of the {len(v)} relation sentences of {n_art} real articles outside the seeds "
        f"({v['outlet'].nunique()} outlets), labelled by hand as friction, neither or cooperation. Its height is the "
        "hybrid score held out from its own article: development articles (circles) are scored by 5-fold "
        "cross-validation by article, the frozen test articles (diamonds) by the model fitted once on the "
        "development and seed sentences, which is the shipped default. The lines are quarterly means of hand labels "
        "and of scores (notebook 04's long-run panel)."),
        ("Hover a point to read the sentence; click it for the annotator's rationale and the source. Click a legend "
        "entry to hide or show a label."),
    ]
    notes = ["Sentences only, never whole articles: the labelled set is validation/sentences.csv (notebook 04)."]
    script = """
var rows = JSON.parse(document.getElementById('validation-data').textContent);
document.getElementById('{plot_id}').on('plotly_click', function (ev) {
  var i = pointIndex(ev), r = (i === null) ? null : rows[i];
  if (!r) { return; }
  clear();
  body.appendChild(el('p', 'sentence', r.text));
  body.appendChild(facts([['hand label', r.hand], ['held-out hybrid', r.score], ['VADER', r.vader],
    ['scored as', r.held_out], ['article', r.article + ', ' + r.date + ' (' + r.outlet + ')']]));
  if (r.rationale) { body.appendChild(el('h3', null, "Annotator's rationale")); body.appendChild(el('p', null, r.rationale)); }
  if (r.url) { body.appendChild(el('p', 'url', 'source: ' + r.url)); }
});
"""
    return _page(title=title, description=description, intro=intro, notes=notes, figure=fig, div_id="validation",
                 panel_title="Sentence", panel_hint="Click a point for the rationale of its label and its source.",
                 data={"validation-data": rows}, script=script)


# =========================================================================== terms
def _contexts(sentences: pd.DataFrame, terms: Sequence[str], *, width: int,
              max_sentences: int = 10) -> dict[str, tuple[list[list[Any]], dict[str, int]]]:
    """Keywords in context of each term, as :func:`~minsk_moscow.keywords.keywords_in_context` finds them
    (one :class:`~minsk_moscow.keywords.ContextFinder` for all terms: each sentence is tokenized once).

    Only the sentences that hold every token of the term are searched (a term can match nowhere
    else), and of those at most the first ``max_sentences`` of each side (``sentences["side"]``),
    so the page's cost does not grow with the corpus. Returns term -> (matches: ``[side, left,
    match, right, article_id]`` each, in the order of ``keywords_in_context(sentences.iloc[searched],
    term)``; per side, how many sentences hold the term: exact where every candidate was searched,
    else the number of sentences holding all its words).
    """
    index: dict[str, list[int]] = {}
    for pos, text in enumerate(sentences["text"]):
        for token in set(tokenize(text, stop_words=None, min_length=1, keep_numbers=True)):
            index.setdefault(token, []).append(pos)
    sides = sentences["side"].to_numpy()
    side_names = pd.unique(sides)
    article_ids = sentences["article_id"].tolist()
    finder = ContextFinder(sentences)  # each sentence tokenized once, whatever the number of terms
    out = {}
    for term in terms:
        wanted = tokenize(term, stop_words=None, min_length=1, keep_numbers=True)
        hits = set(index.get(wanted[0], [])) if wanted else set()
        for token in wanted[1:]:
            hits &= set(index.get(token, []))
        holding = np.array(sorted(hits), dtype=np.int64)
        holding_sides = sides[holding]
        chosen, counts = [], {}
        for side in side_names:
            mine = holding[holding_sides == side]
            chosen += mine[:max_sentences].tolist()
            counts[side] = len(mine) if len(mine) > max_sentences else -1  # -1: count the matches
        matches = [[sides[p], left, match, right, article_ids[p]]
                   for p, left, match, right in finder.occurrences(term, width=width, rows=sorted(chosen))]
        for side, n in counts.items():
            if n < 0:
                counts[side] = sum(m[0] == side for m in matches)
        out[term] = (matches, counts)
    return out


def _log_ticks(top: float) -> tuple[list[float], list[str]]:
    values = [v for v in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if v <= max(top, 1) * 1.3]
    return [float(np.log10(1 + v)) for v in values], [str(v) for v in values]


def term_explorer(
    corpus: pd.DataFrame,
    *,
    cutoff: str | pd.Timestamp | None = None,
    max_terms: int = 2000,
    n_contexts: int = 3,
    width: int = 60,
    n_labels: int = 5,
) -> str:
    """The before/after term comparison of notebook 02 with keywords in context, as a self-contained page.

    As notebook 02: ``split_by_date(corpus, cutoff, labels=("before", "after"), undated="leave out")`` and
    ``compare_groups(corpus, period, a="before", b="after")``. Each term is a point placed, as in
    scattertext, by its frequency before (x) and after (y) the split date (occurrences per 10,000
    terms of that side, log scale; a seeded jitter separates terms with the same counts) and
    coloured by its log-odds z-score; the ``n_labels`` most distinctive terms of each side are
    named. Hovering a term shows its first ``n_contexts`` keywords in context on each side
    (:func:`~minsk_moscow.keywords.keywords_in_context`, ``width`` characters each way) in the
    panel beside the chart; clicking pins it.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`~minsk_moscow.corpus.load_corpus`.
    cutoff : str or Timestamp, optional
        The split date; default :func:`~minsk_moscow.config.split_date`.
    max_terms : int
        Most terms drawn: past it, the most distinctive on each side
        (:func:`~minsk_moscow.keywords.top_distinctive`) and then the most frequent.
    n_contexts, width, n_labels : int
        Contexts kept per term and side, their width, labelled terms per side.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    ValueError
        When the corpus cannot be split (undated articles, or an empty side).

    Examples
    --------
    >>> from minsk_moscow.corpus import load_corpus
    >>> page = term_explorer(load_corpus(), cutoff="2020-08-09", max_terms=100)
    >>> '"elections"' in page and "plotly_hover" in page
    True
    """
    import plotly.graph_objects as go

    cut = split_date() if cutoff is None else pd.Timestamp(cutoff)
    period = split_by_date(corpus, cut, labels=("before", "after"), undated="leave out")
    table = compare_groups(corpus, period, a="before", b="after")
    total = table["count_a"] + table["count_b"]
    if len(table) > max_terms:
        keep = list(dict.fromkeys(top_distinctive(table, n=max_terms // 4)["term"]))
        keep += [t for t in table.assign(total=total).sort_values(["total", "term"], ascending=[False, True])["term"]
                 if t not in set(keep)][: max_terms - len(keep)]
        shown = table[table["term"].isin(set(keep))].reset_index(drop=True)
    else:
        shown = table.reset_index(drop=True)
    n_a, n_b = int(table["count_a"].sum()), int(table["count_b"].sum())
    rate_a, rate_b = shown["count_a"] / n_a * 1e4, shown["count_b"] / n_b * 1e4
    rng = np.random.default_rng(SEED)
    x = np.log10(1 + rate_a) + rng.uniform(-0.035, 0.035, len(shown))
    y = np.log10(1 + rate_b) + rng.uniform(-0.035, 0.035, len(shown))
    zmax = max(float(shown["z"].abs().max()), _Z_CRITICAL)

    sentences = sentence_table(corpus)
    side = sentences["article_id"].map(dict(zip(corpus["article_id"], period)))
    sentences = sentences.assign(side=side.to_numpy())[["article_id", "side", "text"]]
    found = _contexts(sentences[sentences["side"].notna()].reset_index(drop=True), shown["term"].tolist(), width=width)
    terms = []
    for r in shown.itertuples():
        entry = [r.term, int(r.count_a), int(r.count_b), round(float(r.z), 3)]
        matches, counts = found[r.term]
        for key in ("before", "after"):
            mine = [m[1:] for m in matches if m[0] == key]
            entry += [mine[:n_contexts], max(len(mine), counts.get(key, 0))]
        terms.append(entry)

    fig = go.Figure()
    top = max(float(rate_a.max()), float(rate_b.max()), 1.0)
    diag = float(np.log10(1 + top * 1.3))
    fig.add_trace(go.Scatter(x=[0, diag], y=[0, diag], mode="lines", line={"color": "#bbb", "dash": "dash", "width": 1},
                             hoverinfo="skip", name="as frequent on both sides"))
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="markers", name="term (colour: z)", showlegend=False,
        marker={"size": 8, "color": shown["z"], "cmin": -zmax, "cmax": zmax, "cmid": 0,
                "colorscale": [[0, _SIDE_COLOURS[1]], [0.5, "#dddddd"], [1, _SIDE_COLOURS[0]]], "opacity": 0.85,
                "line": {"width": 0.4, "color": "#666"},
                "colorbar": {"title": {"text": "log-odds z<br>red: before<br>blue: after"}, "thickness": 14}},
        customdata=[[int(i), _plain(t), int(ca), float(ra), int(cb), float(rb)]
                    for i, t, ca, ra, cb, rb in zip(shown.index, shown["term"], shown["count_a"], rate_a,
                                                    shown["count_b"], rate_b)],
        hovertemplate=("<b>%{customdata[1]}</b><br>before: %{customdata[2]} (%{customdata[3]:.1f} per 10,000)<br>"
                       "after: %{customdata[4]} (%{customdata[5]:.1f} per 10,000)<br>z = %{marker.color:+.2f}"
                       "<extra></extra>"),
    ))
    top_terms = {}
    for key, sign, colour in (("before", 1, _SIDE_COLOURS[0]), ("after", -1, _SIDE_COLOURS[1])):
        side_terms = shown[np.sign(shown["z"]) == sign].sort_values("z", ascending=sign < 0, kind="stable")
        top_terms[key] = [int(i) for i in side_terms.index[:15]]
        # Name the most distinctive terms with fanned-out arrows: same counts put many terms on one spot.
        for k, i in enumerate(side_terms.index[:n_labels]):
            fig.add_annotation(x=float(x[i]), y=float(y[i]), text=_plain(shown.at[i, "term"]), showarrow=True,
                               arrowhead=0, arrowwidth=0.8, arrowcolor="#999", font={"color": colour, "size": 12},
                               ax=35 + 12 * (k % 2), ay=-(22 + 19 * k) if sign > 0 else 22 + 19 * k,
                               bgcolor="rgba(255,255,255,0.8)")
    ticks, labels = _log_ticks(top)
    a_docs, b_docs = int((period == "before").sum()), int((period == "after").sum())
    title = f"Before and after {cut:%d %B %Y}: distinctive terms in context"
    fig.update_layout(
        height=680, template="plotly_white", hovermode="closest",
        hoverlabel={"align": "left"}, margin={"l": 70, "r": 20, "t": 30, "b": 70}, showlegend=False,
        xaxis={"title": f"before: occurrences per 10,000 terms ({a_docs} article(s), log scale)", "tickvals": ticks,
               "ticktext": labels, "range": [-0.08, diag], "zeroline": False},
        yaxis={"title": f"after: occurrences per 10,000 terms ({b_docs} article(s), log scale)", "tickvals": ticks,
               "ticktext": labels, "range": [-0.08, diag], "zeroline": False},
    )
    sides = [{"label": f"Before {cut:%d %B %Y}", "articles": a_docs, "tokens": n_a},
             {"label": f"On or after {cut:%d %B %Y}", "articles": b_docs, "tokens": n_b}]
    description = (
        f"Interactive chart of the words and phrases that set English-language news on Minsk–Moscow relations "
        f"before {cut:%d %B %Y} apart from the coverage after it (weighted log-odds, {len(shown)} terms), with each "
        "term's keywords in context."
    )
    intro = [
        (f"Every point is a word or phrase, placed by how often it occurs before {cut:%d %B %Y} (across) and after "
        "it (up), and coloured by its weighted log-odds z-score with the whole corpus as the prior (notebook 02): "
        "red terms are characteristic of the earlier articles, blue of the later ones; |z| above 1.96 is notebook "
        "02's threshold. Terms with the same counts are spread a little so that each can be picked."),
        "Hover a term to see it in context on each side; click it to keep it in the panel.",
    ]
    notes = [(f"{len(shown)} of {len(table)} terms drawn; counts are of words and adjacent-word phrases after the "
             "tokenizer's normalisation and stop words. Small corpora give small z-scores: a handful of articles "
             "cannot make a difference significant.")]
    script = """
var data = JSON.parse(document.getElementById('term-data').textContent);
var pinned = null;
function side(k, name, count, contexts, found, info) {
  body.appendChild(el('h3', null, info.label + ': ' + count + ' occurrence(s) in ' + info.articles + ' article(s)'));
  if (!found) { body.appendChild(el('p', 'hint', 'not found as written here')); return; }
  contexts.forEach(function (c) {
    var p = el('p', 'kwic');
    p.appendChild(el('span', null, c[0])); p.appendChild(el('mark', null, c[1])); p.appendChild(el('span', null, c[2]));
    p.appendChild(el('span', 'src', ' \u2014 ' + c[3]));
    body.appendChild(p);
  });
  if (found > contexts.length) { body.appendChild(el('p', 'hint', (found - contexts.length) + ' more not shown')); }
}
function show(i, pin) {
  var t = data.terms[i];
  if (!t) { return; }
  clear();
  var head = el('p', null);
  head.appendChild(el('strong', null, t[0]));
  head.appendChild(document.createTextNode('  z = ' + (t[3] > 0 ? '+' : '') + t[3].toFixed(2)));
  body.appendChild(head);
  if (pin) {
    var b = el('button', null, 'unpin (back to the list)');
    b.onclick = function () { pinned = null; topList(); };
    body.appendChild(b);
  }
  side(0, 'before', t[1], t[4], t[5], data.sides[0]);
  side(1, 'after', t[2], t[6], t[7], data.sides[1]);
}
function topList() {
  clear();
  body.appendChild(el('p', 'hint', 'Hover a term to see where it occurs; click it to keep it here. Or pick one of the '
    + 'most characteristic terms of each side:'));
  [['before', 0], ['after', 1]].forEach(function (s) {
    body.appendChild(el('h3', null, data.sides[s[1]].label));
    var p = el('p', null);
    data.top[s[0]].forEach(function (i) {
      var b = el('button', null, data.terms[i][0]);
      b.onclick = function () { pinned = i; show(i, true); };
      p.appendChild(b); p.appendChild(document.createTextNode(' '));
    });
    if (!data.top[s[0]].length) { p.appendChild(el('span', 'hint', 'none')); }
    body.appendChild(p);
  });
}
topList();
var gd = document.getElementById('{plot_id}');
gd.on('plotly_hover', function (ev) { var i = pointIndex(ev); if (i !== null && pinned === null) { show(i, false); } });
gd.on('plotly_click', function (ev) { var i = pointIndex(ev); if (i !== null) { pinned = i; show(i, true); } });
"""
    return _page(title=title, description=description, intro=intro, notes=notes, figure=fig, div_id="terms",
                 panel_title="Keywords in context", panel_hint="Hover a term to see where it occurs; click to pin it.",
                 data={"term-data": {"sides": sides, "terms": terms, "top": top_terms}}, script=script)


# =========================================================================== writing
def _unavailable(title: str, why: str) -> str:
    return _page(title=f"{title} (not available for this corpus)", description=f"{title}: not available. {why}",
                 intro=[f"This chart cannot be drawn for this corpus: {why}"])


PAGES = ("tone_explorer.html", "validation_explorer.html", "term_explorer.html")
"""The pages :func:`write_interactive` writes."""


def write_interactive(
    corpus: pd.DataFrame | str | Path | None = None,
    out_dir: str | Path | None = None,
    *,
    cutoff: str | pd.Timestamp | None = None,
    pages: Sequence[str] | None = None,
) -> dict[str, Path]:
    """Write ``tone_explorer.html``, ``validation_explorer.html`` and ``term_explorer.html``.

    A chart that cannot be drawn for this corpus (the term explorer needs dated articles on
    both sides of the split date) is written as a short page that says why, so links to it
    never break.

    Parameters
    ----------
    corpus : DataFrame, str or Path, optional
        A corpus from :func:`~minsk_moscow.corpus.load_corpus` or a folder; default
        :func:`~minsk_moscow.paths.corpus_dir`.
    out_dir : str or Path, optional
        Default ``build/interactive/`` in the project.
    cutoff : str or Timestamp, optional
        Split date of the term explorer; default :func:`~minsk_moscow.config.split_date`.
    pages : sequence of str, optional
        Only these files (of :data:`PAGES`); default all. ``make run`` writes the term explorer
        while notebook 04 runs, and the other two pages after ``results/``.

    Returns
    -------
    dict
        File name -> path written.

    Examples
    --------
    >>> import tempfile
    >>> from minsk_moscow.paths import SEEDS_DIR
    >>> with tempfile.TemporaryDirectory() as out:
    ...     sorted(write_interactive(SEEDS_DIR, out))
    ['term_explorer.html', 'tone_explorer.html', 'validation_explorer.html']
    """
    if not isinstance(corpus, pd.DataFrame):
        corpus = load_corpus(corpus_dir() if corpus is None else Path(corpus))
    corpus = english_only(corpus)  # the analyses read English, as the notebooks and results/ do
    out = PROJECT_ROOT / "build" / "interactive" if out_dir is None else Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def terms() -> str:
        try:
            return term_explorer(corpus, cutoff=cutoff)
        except ValueError as exc:
            return _unavailable("Before and after the split date: distinctive terms in context", str(exc))

    builders: dict[str, Callable[[], str]] = {
        # the table results/ wrote (make run writes results/ first), from the cache
        "tone_explorer.html": lambda: tone_explorer(cached(tone_sentence_table, corpus), events=load_events()),
        "validation_explorer.html": validation_explorer,
        "term_explorer.html": terms,
    }
    unknown = sorted(set(pages or ()) - set(PAGES))
    if unknown:
        raise ValueError(f"no such interactive page: {', '.join(unknown)} (the pages are {', '.join(PAGES)})")
    written = {}
    for name, build in builders.items():
        if pages is not None and name not in pages:
            continue
        path = out / name
        path.write_text(build(), encoding="utf-8")
        written[name] = path
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m minsk_moscow.interactive [--out DIR] [--corpus DIR] [--pages PAGE...]``: write the interactive pages.

    The corpus is ``$MINSK_MOSCOW_CORPUS`` (or ``seeds/``), the split date
    ``$MINSK_MOSCOW_SPLIT_DATE``, as for the notebooks.
    """
    parser = argparse.ArgumentParser(prog="python -m minsk_moscow.interactive", description="Write the interactive HTML pages (tone, validation and term explorers).")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "build" / "interactive",
                        help="output folder (default: build/interactive/)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: $MINSK_MOSCOW_CORPUS or seeds/)")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=None, help="only these pages (default: all)")
    args = parser.parse_args(argv)
    for path in write_interactive(args.corpus, args.out, pages=args.pages).values():
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
