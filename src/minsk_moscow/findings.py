"""Findings generated from a corpus's own results: one function per notebook.

The hand-written ``## Findings`` of each notebook interpret the five seed articles, so a re-run on
another collection (``make run CORPUS=...``) leaves them out. The functions here write the
findings that hold for *any* corpus, from the objects the notebook has just computed: each bullet
states a result with its numbers and, where the notebook has one, its uncertainty (an interval,
or ``n = ...``). When an object is missing (``None``: its step did not run on this corpus), the
bullet says what could not be computed and why.

==========================  ========================================================
notebook                    function
==========================  ========================================================
01 corpus overview          :func:`corpus_findings`
02 TF-IDF keywords          :func:`keyword_findings`
03 topic clusters           :func:`topic_findings`
04 relation tone            :func:`tone_findings`
==========================  ========================================================

In a notebook the last cell before ``## Findings`` is::

    %%step findings
    mm.keyword_findings(**mm.from_notebook("corpus", "plan", "tfidf", "top", "election", ...))

A step that is skipped on a small corpus leaves its variables undefined, so the objects are read
by name with :func:`from_notebook`, which gives ``None`` for a name the notebook has not defined
(the parameters of each function are named like the notebook's variables). ``plan`` (from
:func:`~minsk_moscow.steps.check_corpus`) lets a bullet give the step's own reason for not
running.

Every function returns a :class:`Findings`: Markdown in a notebook, and a deterministic plain
text (no memory address, no timing) as its ``repr``, which strict nbval compares. Numbers are
formatted one way throughout: three decimals for correlations, z-scores, weights and tone, one
decimal for percentages.

Examples
--------
>>> import minsk_moscow as mm
>>> print(mm.tone_findings(found=None, test_result=None))  # doctest: +NORMALIZE_WHITESPACE
Findings generated from this corpus's results:
- No relation sentences: it was not computed.
- No validation headline: the test-split table was not computed.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Findings", "corpus_findings", "from_notebook", "keyword_findings", "tone_findings", "topic_findings"]

MAX_GROUPS = 12
"""Per-document or per-period bullets list every group up to this many; beyond it, the first few."""

_FIRST_FEW = 3
_Z = 1.96  # the two-sided 5% threshold of a z-score, as in minsk_moscow.keywords


# =========================================================================== the result object
@dataclass(frozen=True, repr=False)
class Findings:
    """Plain-English findings: a title and bullets (Markdown), one result each, with its numbers.

    In a notebook it renders as a Markdown list (``_repr_markdown_``); ``repr`` and ``str`` give
    the same bullets as plain text (Markdown marks removed, lines wrapped at 110 characters),
    deterministic so that strict nbval can compare it. ``plain`` is the list of plain bullets.

    >>> f = Findings(("**5 articles** from `2` outlets.",))
    >>> f.plain
    ['5 articles from 2 outlets.']
    >>> print(f._repr_markdown_())
    **Findings generated from this corpus's results**
    <BLANKLINE>
    - **5 articles** from `2` outlets.
    """

    bullets: tuple[str, ...]
    title: str = "Findings generated from this corpus's results"

    @property
    def plain(self) -> list[str]:
        """The bullets as plain text."""
        return [_plain(b) for b in self.bullets]

    def __iter__(self) -> Iterator[str]:
        return iter(self.bullets)

    def __len__(self) -> int:
        return len(self.bullets)

    def _repr_markdown_(self) -> str:
        return f"**{self.title}**\n\n" + "\n".join(f"- {b}" for b in self.bullets)

    def __repr__(self) -> str:
        lines = [f"{self.title}:"]
        for bullet in self.plain:
            lines.append(textwrap.fill(bullet, width=110, initial_indent="- ", subsequent_indent="  ",
                                       break_long_words=False, break_on_hyphens=False))
        return "\n".join(lines)

    __str__ = __repr__


def from_notebook(*names: str, namespace: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The notebook's variables ``names`` (``None`` for a name it has not defined), as a dict.

    Reads the IPython user namespace (or ``namespace``), so a findings cell can name every object
    a notebook may have computed, even those of steps that were skipped on this corpus:
    ``mm.keyword_findings(**mm.from_notebook("corpus", "tfidf", "top"))``. Outside IPython, and
    without ``namespace``, every value is ``None``.

    >>> from_notebook("corpus", "tfidf", namespace={"corpus": "the corpus"})
    {'corpus': 'the corpus', 'tfidf': None}
    """
    if namespace is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dev dependency
            get_ipython = None
        shell = get_ipython() if get_ipython else None
        namespace = shell.user_ns if shell is not None else {}
    return {name: namespace.get(name) for name in names}


# =========================================================================== formatting
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>#|~])")


def _plain(markdown: str) -> str:
    """Markdown bullet -> plain text: bold and code marks dropped, escapes undone."""
    text = re.sub(r"(?<!\\)\*\*", "", markdown)
    text = re.sub(r"(?<!\\)`", "", text)
    return _ESCAPED.sub(r"\1", text)


def _esc(text: object) -> str:
    """Text from the data (titles, sentences, outlets), escaped for Markdown."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", str(text))


def _code(term: object) -> str:
    """A term or id as inline code (escaped text when it holds a backtick)."""
    term = str(term)
    return f"`{term}`" if "`" not in term else _esc(term)


def _n(value: float) -> str:
    """An integer count with thousands separators."""
    return f"{int(value):,}"


def _d3(value: float) -> str:
    return "nan" if pd.isna(value) else f"{value:.3f}"


def _signed(value: float) -> str:
    return "nan" if pd.isna(value) else f"{value:+.3f}"


def _pct(share: float) -> str:
    return f"{100 * share:.1f}%"


def _ci(lo: float, hi: float) -> str:
    return f"[{_d3(lo)}, {_d3(hi)}]"


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {date:%B %Y}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{_n(n)} {word if n == 1 else (plural or word + 's')}"


def _span(lo: float, hi: float, unit: str, *, fmt=None) -> str:
    """``"92 to 106 words"``, or ``"4 sentences"`` when both ends are equal."""
    fmt = fmt or _n
    return f"{fmt(lo)} {unit}" if fmt(lo) == fmt(hi) else f"{fmt(lo)} to {fmt(hi)} {unit}"


def _all(n: int, noun: str) -> str:
    """``"the one article"``, ``"both articles"``, ``"all 5 articles"``."""
    return f"the one {noun}" if n == 1 else f"both {noun}s" if n == 2 else f"all {_n(n)} {noun}s"


def _no_dates(n: int) -> str:
    return "the one article has no date" if n == 1 else f"none of the {_n(n)} articles has a date"


def _trim(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _groups_shown(items: list[str], what: str, *, limit: int = MAX_GROUPS) -> str:
    """``items`` joined by "; ", or, beyond ``limit``, the first few and how many there are."""
    if len(items) <= limit:
        return "; ".join(items)
    return f"{len(items)} {what}, the first {_FIRST_FEW}: " + "; ".join(items[:_FIRST_FEW]) + "; ..."


def _frame(value: Any) -> pd.DataFrame | None:
    return value if isinstance(value, pd.DataFrame) else None


# =========================================================================== why a step did not run
_EARLIER = re.compile(r"an earlier cell of this step did not run \((skipped|failed): (.*)\)", re.S)
_PARENT = re.compile(r"it builds on '([^']+)', which did not run")

def _why(plan: Any, step: str, *, corpus: pd.DataFrame | None = None, notebook: str | None = None) -> str:
    """Why ``step`` produced nothing: the plan's reason, else the step's requirement checked on ``corpus``."""
    seen = set()
    while plan is not None and step not in seen:
        seen.add(step)
        try:
            status = plan.status(step)
        except Exception:  # noqa: BLE001 - a plan-like object that cannot answer: fall back
            break
        state, _, reason = status.partition(": ")
        if state not in ("skipped", "failed") or not reason:
            break
        while earlier := _EARLIER.fullmatch(reason):  # a later cell of a step that stopped: its first reason
            state, reason = earlier.groups()
        parent = _PARENT.fullmatch(reason)
        if parent:  # the step it builds on did not run: say why that one did not
            step = parent.group(1)
            continue
        reason = reason.rstrip(". ")
        return reason if state == "skipped" else f"the step failed on this corpus ({reason})"
    if corpus is not None and notebook is not None:
        from .steps import NOTEBOOK_STEPS, corpus_facts

        facts = corpus_facts(corpus)
        for s in NOTEBOOK_STEPS.get(notebook, ()):
            if s.name == step and s.check is not None:
                reason = s.check(facts)
                if reason:
                    return reason
    return "it was not computed"


def _dates_reason(corpus: pd.DataFrame | None, cutoff: pd.Timestamp | None, *, years: bool) -> str | None:
    """A plain reason why a date comparison cannot run on ``corpus`` (None when it could)."""
    if corpus is None or "date" not in corpus:
        return None
    dates = pd.to_datetime(corpus["date"]).dropna()
    if dates.empty:
        return _no_dates(len(corpus))
    if years:
        found = sorted(dates.dt.year.unique())
        if len(found) < 2:
            return f"every dated article is from {found[0]}"
        return None
    if cutoff is None:
        return None
    if (dates >= cutoff).sum() == 0:
        return f"no article is dated on or after {_day(cutoff)} (the split date; set SPLIT_DATE=YYYY-MM-DD)"
    if (dates < cutoff).sum() == 0:
        return f"no article is dated before {_day(cutoff)} (the split date; set SPLIT_DATE=YYYY-MM-DD)"
    return None


# =========================================================================== 01 corpus overview
def corpus_findings(
    corpus: pd.DataFrame | None, *, plan: Any = None, split: pd.Timestamp | str | None = None
) -> Findings:
    """Findings of notebook 01: what the corpus holds, when it was published, what cleaning removed.

    Parameters
    ----------
    corpus : DataFrame or None
        From :func:`~minsk_moscow.load_corpus`. Columns used when present: ``article_id``,
        ``outlet``, ``date``, ``date_basis``, ``n_words``, ``n_sentences``, ``n_raw_chars``,
        ``n_removed_chars``, ``removed``, ``language``, ``duplicate_of``.
    plan : Plan, optional
        Unused here (every step of notebook 01 runs on any loaded corpus); accepted so that every
        findings function takes the same notebook objects.
    split : date, optional
        The before/after date of notebooks 02 and 04 (default :func:`~minsk_moscow.split_date`).

    Returns
    -------
    Findings
        Articles and outlets; date range with how dates are known and how many are missing;
        articles on each side of the split date; lengths (words, sentences); share of each raw file
        removed as debris; languages and duplicates when the corpus says.

    Examples
    --------
    >>> import minsk_moscow as mm
    >>> f = corpus_findings(mm.load_corpus())
    >>> f.plain[0]
    '5 articles from 2 outlets: The Moscow Times (AFP) (3), Financial Times (2).'
    >>> print(f.plain[2])  # doctest: +NORMALIZE_WHITESPACE
    Clean articles hold 374 to 794 words (median 667) and 16 to 36 sentences each;
    3,048 words and 127 sentences in all.
    """
    if corpus is None:
        return Findings(("No corpus: nothing was loaded, so nothing can be said about it.",))
    from .config import split_date

    bullets: list[str] = []
    n = len(corpus)
    if n == 0:
        return Findings(("The corpus holds no article.",))
    outlets = corpus["outlet"].fillna("").astype(str).str.strip() if "outlet" in corpus else pd.Series([""] * n)
    named = outlets[outlets != ""]
    counts = named.value_counts(sort=False)
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(dtype=str), -counts.to_numpy()))]
    shown = ", ".join(f"{_esc(o)} ({c})" for o, c in counts.head(5).items())
    more = f", and {len(counts) - 5} more" if len(counts) > 5 else ""
    if counts.empty:
        lead = f"**{_plural(n, 'article')}**, " + ("none with an outlet named" if n > 1 else "with no outlet named")
    else:
        lead = f"**{_plural(n, 'article')}** from {_plural(len(counts), 'outlet')}: {shown}{more}"
        if len(named) < n:
            lead += f"; {_plural(n - len(named), 'article')} without an outlet"
    bullets.append(lead + ".")

    dates = pd.to_datetime(corpus["date"]) if "date" in corpus else pd.Series(pd.NaT, index=corpus.index)
    dated = dates.dropna()
    if dated.empty:
        bullets.append(f"**No dates**: {_no_dates(n)}, so nothing can be placed in time and no before/after or "
                       "year comparison can run.")
    else:
        if dated.min() != dated.max():
            text = f"**Dated {_day(dated.min())} to {_day(dated.max())}**"
        else:
            text = f"**{'Dated' if len(dated) == 1 else 'All dated'} {_day(dated.min())}**"
        basis = corpus.loc[dates.notna(), "date_basis"].fillna("").astype(str) if "date_basis" in corpus else None
        if basis is not None and (basis != "").any():
            kinds = basis[basis != ""].value_counts()
            order = sorted(kinds.index, key=lambda k: (k != "stated", k != "inferred", k))
            said = {"stated": "stated in the text", "inferred": "inferred from what it reports"}
            if len(dated) == 1:
                text += f" ({said.get(order[0], _esc(order[0]))})"
            else:
                text += " (" + ", ".join(f"{kinds[k]} {said.get(k, _esc(k))}" for k in order) + ")"
        undated = n - len(dated)
        if undated:
            text += f"; {_plural(undated, 'article')} {'has' if undated == 1 else 'have'} no date"
        elif n > 1:
            text += "; every article has a date"
        cutoff = pd.Timestamp(split) if split is not None else split_date()
        before, after = int((dated < cutoff).sum()), int((dated >= cutoff).sum())
        text += (f". {_n(before)} dated before and {_n(after)} on or after the split date {_day(cutoff)} "
                 f"(used by notebooks 02 and 04); {_plural(dated.dt.year.nunique(), 'calendar year')}.")
        bullets.append(text)

    if "n_words" in corpus:
        words = corpus["n_words"].astype(int)
        sents = corpus["n_sentences"].astype(int) if "n_sentences" in corpus else None
        if n == 1:
            text = f"**The clean article holds {_plural(words.iloc[0], 'word')}**"
            text += f" and {_plural(sents.iloc[0], 'sentence')}." if sents is not None else "."
        else:
            text = f"**Clean articles hold {_span(words.min(), words.max(), 'words')}**"
            text += f" (median {_n(round(float(words.median())))})" if n > 2 else ""
            if sents is not None:
                text += f" and {_span(sents.min(), sents.max(), 'sentences')}"
                text += f" each; {_n(words.sum())} words and {_n(sents.sum())} sentences in all."
            else:
                text += f" each; {_n(words.sum())} words in all."
        bullets.append(text)

    if {"n_raw_chars", "n_removed_chars"} <= set(corpus.columns):
        raw = corpus["n_raw_chars"].astype(float)
        gone = corpus["n_removed_chars"].astype(float)
        share = (gone / raw.where(raw > 0)).dropna()
        if gone.sum() == 0:
            text = "**Cleaning removed nothing** from " + ("the article" if n == 1 else "any article")
        elif n == 1:
            text = (f"**Cleaning removed {_plural(gone.iloc[0], 'character')}**, "
                    f"{_pct(share.iloc[0]) if len(share) else 'nan'} of the raw file")
        else:
            text = (f"**Cleaning removed {_span(gone.min(), gone.max(), 'characters')} per article**, "
                    f"{_span(share.min(), share.max(), '', fmt=_pct).strip()} of each raw file "
                    f"({_pct(gone.sum() / raw.sum()) if raw.sum() else 'nan'} of all raw text)")
        kinds = _removal_kinds(corpus)
        if kinds:
            text += "; most often " + ", ".join(f"{_esc(k)} ({c})" for k, c in kinds[:4])
        bullets.append(text + (". Every removed piece is listed in section 4, to be checked by eye."
                               if gone.sum() else "."))

    if "language" in corpus:
        lang = corpus["language"].fillna("").astype(str)
        english, unknown = int((lang == "en").sum()), int((lang == "").sum())
        other = lang[~lang.isin(["en", ""])].value_counts().sort_index()
        if other.empty:
            text = f"**Language**: {_all(n, 'article')} read{'s' if n == 1 else ''} as English"
            text += f" ({unknown} too short to tell)" if unknown else ""
        else:
            text = (f"**Language**: {_n(english + unknown)} of {_n(n)} articles read as English"
                    + (f" ({unknown} too short to tell)" if unknown else "")
                    + "; " + ", ".join(f"{c} as `{_esc(k)}`" for k, c in other.items()))
        bullets.append(text + ".")

    if "duplicate_of" in corpus and n > 1:
        dup = corpus["duplicate_of"].fillna("").astype(str)
        copies = corpus.loc[dup != "", "article_id"].astype(str).tolist() if "article_id" in corpus else []
        if not copies:
            bullets.append("**No duplicates**: no article repeats the clean text of another.")
        else:
            pairs = [f"{_code(a)} = {_code(b)}" for a, b in zip(copies, dup[dup != ""])]
            bullets.append(f"**{_plural(len(copies), 'article')} repeat{'s' if len(copies) == 1 else ''} the clean "
                           f"text of an earlier one** and {'is' if len(copies) == 1 else 'are'} kept: "
                           + ", ".join(pairs[:_FIRST_FEW]) + (", ..." if len(pairs) > _FIRST_FEW else "") + ".")
    return Findings(tuple(bullets))


def _removal_kinds(corpus: pd.DataFrame) -> list[tuple[str, int]]:
    """The kinds of removed debris with their counts, most frequent first (ties alphabetical)."""
    if "removed" not in corpus:
        return []
    counts: dict[str, int] = {}
    for pieces in corpus["removed"]:
        for piece in pieces if isinstance(pieces, (list, tuple)) else ():
            kind = getattr(piece, "kind", None) or (piece.get("kind") if isinstance(piece, Mapping) else None)
            if kind:
                counts[str(kind)] = counts.get(str(kind), 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# =========================================================================== 02 keywords
def keyword_findings(
    corpus: pd.DataFrame | None = None,
    tfidf: Any = None,
    top: pd.DataFrame | None = None,
    election: pd.DataFrame | None = None,
    years: pd.DataFrame | None = None,
    sensitivity: pd.DataFrame | None = None,
    robust: pd.DataFrame | None = None,
    survival: pd.DataFrame | None = None,
    *,
    plan: Any = None,
    unit: pd.Series | None = None,
    period: pd.Series | None = None,
    year: pd.Series | None = None,
    cutoff: pd.Timestamp | str | None = None,
    n_terms: int = 3,
) -> Findings:
    """Findings of notebook 02: the TF-IDF vocabulary, each document's top terms, the group comparisons.

    Parameters
    ----------
    corpus : DataFrame, optional
        The loaded corpus (for the reasons a comparison cannot run).
    tfidf : Tfidf, optional
        From :func:`~minsk_moscow.tfidf_matrix` (documents x terms).
    top : DataFrame, optional
        From :func:`~minsk_moscow.top_terms`: ``article_id, rank, term, weight, tied``.
    election, years : DataFrame, optional
        Log-odds tables (:func:`~minsk_moscow.compare_groups`) before/after the split date and
        earlier years/latest year.
    sensitivity : DataFrame, optional
        From :func:`~minsk_moscow.prior_sensitivity` for the comparisons that ran.
    robust, survival : DataFrame, optional
        From :func:`~minsk_moscow.robustness_table` and :func:`~minsk_moscow.term_survival`.
    plan : Plan, optional
        The notebook's plan, for each skipped step's own reason.
    unit : Series, optional
        :func:`~minsk_moscow.display_groups` of the corpus (its name says what a document is).
    period, year : Series, optional
        The group of each article in the two comparisons (for the number of articles per side).
    cutoff : date, optional
        The split date (default :func:`~minsk_moscow.split_date`).
    n_terms : int
        Top terms named per document, and distinctive terms per side.

    Returns
    -------
    Findings

    Examples
    --------
    >>> import pandas as pd
    >>> one = pd.DataFrame({"article_id": ["a"], "date": [pd.NaT], "text": ["Minsk and Moscow."]})
    >>> for line in keyword_findings(one).plain:
    ...     print(line)
    No TF-IDF matrix: TF-IDF needs at least 2 articles in English; this corpus has 1.
    No before/after comparison: the one article has no date.
    No year comparison: the one article has no date.
    """
    from .config import split_date

    bullets: list[str] = []
    cut = pd.Timestamp(cutoff) if cutoff is not None else split_date()
    doc_word = getattr(unit, "name", None) or "document"
    if tfidf is None:
        bullets.append(f"**No TF-IDF matrix**: {_why(plan, 'tfidf', corpus=corpus, notebook='02')}.")
    else:
        n_docs, n_terms_all = tfidf.matrix.shape
        phrases = sum(" " in str(t) for t in tfidf.terms)
        df = np.asarray((tfidf.matrix > 0).sum(axis=0)).ravel()
        single = int((df == 1).sum())
        everywhere = int((df == n_docs).sum())
        per = f" (one per {doc_word})" if doc_word != "document" else ""
        bullets.append(
            f"**TF-IDF matrix: {_plural(n_docs, 'document')}{per} x {_plural(n_terms_all, 'term')}** "
            f"({_n(phrases)} of them phrases); {_n(single)} terms "
            f"({_pct(single / n_terms_all) if n_terms_all else 'nan'}) "
            f"occur in one document only and {_n(everywhere)} in {_all(n_docs, 'document')}."
        )
    top = _frame(top)
    if top is not None and not top.empty:
        id_col = top.columns[0]
        items = []
        for doc, rows in top.groupby(id_col, sort=False):
            rows = rows.sort_values("rank").head(n_terms)
            tied = rows["tied"].astype(int).tolist() if "tied" in rows else [1] * len(rows)
            last = len(rows) - 1
            terms = [f"{_code(r.term)} ({_d3(r.weight)}"
                     + (f", one of {t} terms at this weight" if t > 1 and i == last else "") + ")"
                     for i, (r, t) in enumerate(zip(rows.itertuples(), tied))]
            items.append(f"{_code(doc)}: " + ", ".join(terms))
        bullets.append(f"**Top {n_terms} TF-IDF terms of each {doc_word}** (weight): "
                       + _groups_shown(items, f"{doc_word}s") + ".")
    elif tfidf is not None:
        bullets.append(f"**No top terms**: {_why(plan, 'top_terms', corpus=corpus, notebook='02')}.")

    for name, table, groups, what in (("election", election, period, "before/after comparison"),
                                      ("years", years, year, "year comparison")):
        table = _frame(table)
        if table is None:
            reason = _dates_reason(corpus, cut, years=name == "years") or _why(plan, name, corpus=corpus, notebook="02")
            bullets.append(f"**No {what}**: {reason}.")
            continue
        bullets.append(_comparison(table, groups, n_terms=n_terms,
                                   title=f"Before vs after {_day(cut)}" if name == "election" else "Years"))

    sensitivity = _frame(sensitivity)
    if sensitivity is not None and not sensitivity.empty:
        parts = []
        for (a, b), rows in sensitivity.groupby(["a", "b"], sort=False):
            passing = [f"{_n(r.significant_a + r.significant_b)} at {_n(round(r.alpha0))}" for r in rows.itertuples()]
            parts.append(f"{_esc(a)} vs {_esc(b)}: " + ", ".join(passing))
        bullets.append("**How far that depends on the prior**: terms past |z| > 1.96 by prior strength α0 "
                       "(the first is the corpus itself; smaller trusts the counts more): " + "; ".join(parts) + ".")

    robust, survival = _frame(robust), _frame(survival)
    if survival is not None and not survival.empty:
        n_settings = int(survival["settings"].max())
        n_top = int(survival["rank"].max())
        every = int((survival["survives"] >= n_settings).sum())
        most = int((survival["survives"] >= n_settings - 1).sum())
        text = (f"**Robustness**: of the {_n(len(survival))} top-{n_top} terms, {_n(every)} "
                f"{'stays' if every == 1 else 'stay'} in the top {n_top} "
                + (f"under all {n_settings} other settings and {_n(most)} under at least {n_settings - 1}"
                   if n_settings > 1 else "under the 1 other setting"))
        if robust is not None and not robust.empty:
            kept = robust.groupby("setting", sort=False)["kept"].sum()
            worst = kept.sort_values(kind="stable").index[0]
            per_doc = robust.loc[robust["setting"] == worst, "kept"]
            text += (f"; the setting that changes the lists most is {_esc(worst)} (it keeps "
                     f"{_span(per_doc.min(), per_doc.max(), '')}of each {doc_word}'s {n_top})")
        if robust is not None and (skipped := list(robust.attrs.get("skipped") or {})):
            text += (f"; {_n(len(skipped))} more {'setting' if len(skipped) == 1 else 'settings'} could not be "
                     f"computed on this corpus (no terms left): {', '.join(_esc(name) for name in skipped)}")
        bullets.append(text + ".")
    elif tfidf is not None:
        bullets.append(f"**No robustness check**: {_why(plan, 'robustness', corpus=corpus, notebook='02')}.")
    return Findings(tuple(bullets))


def _comparison(table: pd.DataFrame, groups: pd.Series | None, *, n_terms: int, title: str) -> str:
    """One bullet for a log-odds table: each side's most distinctive terms, and how many pass 1.96."""
    from .keywords import top_distinctive

    if table.empty:
        return f"**{title}**: no term to compare."
    side_a = table.loc[table["z"] > 0, "favours"]
    side_b = table.loc[table["z"] < 0, "favours"]
    labels = [str(side_a.iloc[0]) if len(side_a) else "a", str(side_b.iloc[0]) if len(side_b) else "b"]
    if title == "Years":
        title = f"{labels[0]} vs {labels[1]}"
    sizes = ""
    if groups is not None:
        counts = pd.Series(groups).astype(str).value_counts()
        sizes = f" ({_plural(int(counts.get(labels[0], 0)), 'article')} vs {_n(int(counts.get(labels[1], 0)))})"
    best = top_distinctive(table, n=n_terms)
    sides = []
    for label, rows in ((labels[0], best[best["z"] > 0]), (labels[1], best[best["z"] < 0])):
        if rows.empty:
            sides.append(f"no term leans to {_esc(label)}")
            continue
        last, tied = len(rows) - 1, int(rows.iloc[-1]["tied"])
        terms = [f"{_code(r.term)} (z = {_d3(r.z)}, counts {r.count_a} vs {r.count_b}"
                 + (f"; one of {tied} terms with this z" if i == last and tied > 1 else "") + ")"
                 for i, r in enumerate(rows.itertuples())]
        sides.append(f"most distinctive of {_esc(label)}: " + ", ".join(terms))
    passing_a = int((table["z"] > _Z).sum())
    passing_b = int((table["z"] < -_Z).sum())
    if passing_a + passing_b == 0:
        verdict = (f"no term reaches |z| > 1.96 (largest |z| = {_d3(table['z'].abs().max())}), so nothing separates "
                   "the two groups beyond chance")
    else:
        verdict = (f"{_plural(passing_a + passing_b, 'term')} of {_n(len(table))} reach |z| > 1.96 "
                   f"({_n(passing_a)} {_esc(labels[0])}, {_n(passing_b)} {_esc(labels[1])}); z-scores treat tokens "
                   "as independent, so read them as a ranking")
    return f"**{_esc(title)}**{sizes}: " + "; ".join(sides) + f". With the corpus prior {verdict}."


# =========================================================================== 03 topics
def topic_findings(
    vectors: Any = None,
    summary: pd.DataFrame | None = None,
    k: int | None = None,
    nmf: Any = None,
    kmeans: Any = None,
    mix: pd.DataFrame | None = None,
    *,
    plan: Any = None,
    corpus: pd.DataFrame | None = None,
    labels: Mapping[int, str] | None = None,
    unit: pd.Series | None = None,
    seeds: Sequence[int] | None = None,
    min_ari: float = 0.8,
    min_topic_match: float = 0.95,
    n_terms: int = 5,
) -> Findings:
    """Findings of notebook 03: the units, the chosen number of topics, the topics, their mix.

    Parameters
    ----------
    vectors : UnitVectors, optional
        From :func:`~minsk_moscow.vectorize_units` (the units and terms the models read).
    summary : DataFrame, optional
        From :func:`~minsk_moscow.summarize_sweep` (stability by ``k`` and method).
    k : int, optional
        The chosen number of topics (:func:`~minsk_moscow.choose_k`).
    nmf, kmeans : TopicFit, optional
        The NMF topics and the k-means clusters at ``k``.
    mix : DataFrame, optional
        :func:`~minsk_moscow.topic_mix` per article or period (columns: topics, or their labels).
    plan, corpus : optional
        For the reasons a step did not run.
    labels : mapping, optional
        Topic number -> the column name used in ``mix`` (:func:`~minsk_moscow.topic_labels`); only
        used to read ``mix``: topics are named here by their number and top terms.
    unit : Series, optional
        :func:`~minsk_moscow.display_groups` of the corpus (its name says what a row of ``mix`` is).
    seeds : sequence, optional
        The random seeds of the sweep (for their number).
    min_ari, min_topic_match : float
        The stability thresholds the notebook's :func:`~minsk_moscow.choose_k` used.
    n_terms : int
        Top terms named per topic.

    Returns
    -------
    Findings

    Examples
    --------
    >>> topic_findings(plan=None).plain
    ['No topics: the units were not vectorised (it was not computed).']
    """
    bullets: list[str] = []
    if vectors is None:
        why = _why(plan, "vectors", corpus=corpus, notebook="03")
        return Findings((f"**No topics**: the units were not vectorised ({why}).",))
    else:
        units = vectors.units
        n_units, n_terms_all = vectors.matrix.shape
        articles = units["article_id"].nunique() if "article_id" in units else None
        text = (f"**The topic models read {_plural(n_units, 'unit')}**"
                + (f" from {_plural(articles, 'article')}" if articles is not None else "")
                + f" and {_plural(n_terms_all, 'term')} (terms in at least two units)")
        if len(vectors.dropped):
            dropped = len(vectors.dropped)
            text += (f"; {_plural(dropped, 'unit')} shared no term with another unit and "
                     f"{'was' if dropped == 1 else 'were'} left out")
        if "n_tokens" in units and n_units:
            tokens = units["n_tokens"]
            text += (f"; units hold {_span(tokens.min(), tokens.max(), 'content tokens')} "
                     f"(median {_n(round(float(tokens.median())))})")
        bullets.append(text + ".")

    summary = _frame(summary)
    if summary is None or k is None:
        bullets.append(f"**No topics**: no number of topics could be chosen "
                       f"({_why(plan, 'sweep', corpus=corpus, notebook='03')}).")
        return Findings(tuple(bullets))
    else:
        rows = summary[summary["method"] == "nmf"]
        stable = rows[(rows["ari_mean"] >= min_ari) & (rows["topic_match_mean"] >= min_topic_match)]
        chosen = rows[rows["k"] == k]
        n_seeds = f" over {_plural(len(seeds), 'seed')}" if seeds is not None else ""
        text = f"**k = {int(k)} topics** (k = {int(rows['k'].min())} to {int(rows['k'].max())} tried{n_seeds})"
        if not chosen.empty:
            r = chosen.iloc[0]
            sd = f" ± {_d3(r['ari_sd'])}" if "ari_sd" in r and pd.notna(r["ari_sd"]) else ""
            text += (f": NMF's mean pairwise ARI {_d3(r['ari_mean'])}{sd} and matched topic cosine "
                     f"{_d3(r['topic_match_mean'])}")
        if int(k) in set(stable["k"].astype(int)):
            text += (f", passing both stability thresholds (ARI ≥ {min_ari:g}, topic match ≥ {min_topic_match:g}); "
                     f"stable k: {', '.join(str(int(x)) for x in stable['k'])}")
        else:
            text += (f". No k passes both stability thresholds (ARI ≥ {min_ari:g}, topic match ≥ "
                     f"{min_topic_match:g}): this is the most stable one, and its topics are tentative")
        bullets.append(text + ".")
        km = summary[summary["method"] == "kmeans"]
        if not km.empty:
            km_stable = km[(km["ari_mean"] >= min_ari) & (km["topic_match_mean"] >= min_topic_match)]
            where = "no k" if km_stable.empty else "k = " + ", ".join(str(int(x)) for x in km_stable["k"])
            bullets.append(f"**k-means on LSA**, the check, reaches mean ARI {_d3(km['ari_mean'].min())} to "
                           f"{_d3(km['ari_mean'].max())} over the same k and is stable at {where}.")

    if nmf is None:
        bullets.append(f"**No topics**: {_why(plan, 'topics', corpus=corpus, notebook='03')}.")
        return Findings(tuple(bullets))
    from .topics import mean_pairwise_ari, topic_summary

    table = topic_summary(nmf, n_terms=n_terms)
    items = [f"topic {int(r.topic)}: {', '.join(_code(t) for t in r.top_terms.split(', '))} "
             f"({_plural(int(r.n_units), 'unit')}, {_pct(r.token_share)} of tokens)" for r in table.itertuples()]
    bullets.append(f"**The {nmf.k} NMF topics** by their top {n_terms} terms (units they dominate, share of all "
                   "content tokens): " + _groups_shown(items, "topics") + ".")

    if kmeans is not None:
        ari = mean_pairwise_ari([nmf.labels, kmeans.labels])
        bullets.append(f"**NMF topics and k-means clusters** at the same k agree with ARI {_d3(ari)} "
                       "(1: the same grouping of units, 0: chance).")
    else:
        bullets.append(f"**No k-means check**: {_why(plan, 'kmeans', corpus=corpus, notebook='03')}.")

    mix = _frame(mix)
    if mix is not None and not mix.empty:
        number = {str(v): int(t) for t, v in (labels or {}).items()}
        items = []
        for group, row in mix.iterrows():
            col = row.astype(float).idxmax()
            t = number.get(str(col), col)
            name = f"topic {t}" if isinstance(t, (int, np.integer)) else _esc(t)
            items.append(f"{_code(' '.join(str(group).split()))}: {name} ({_pct(float(row[col]))})")
        row_word = getattr(unit, "name", None) or "group"
        bullets.append(f"**The largest topic in each {row_word}** (share of its content tokens): "
                       + _groups_shown(items, f"{row_word}s") + ".")
    else:
        bullets.append(f"**No topic mix**: {_why(plan, 'mix', corpus=corpus, notebook='03')}.")
    return Findings(tuple(bullets))


# =========================================================================== 04 tone
def tone_findings(
    found: pd.DataFrame | None = None,
    test_result: pd.DataFrame | None = None,
    *,
    sentences: pd.DataFrame | None = None,
    corpus: pd.DataFrame | None = None,
    plan: Any = None,
    method: str | None = None,
    max_periods: int = MAX_GROUPS,
) -> Findings:
    """Findings of notebook 04: relation sentences found, their tone and its change, and the measure's validation.

    Parameters
    ----------
    found : DataFrame, optional
        The relation sentences of this corpus (:func:`~minsk_moscow.relation_table` rows with
        ``is_relation``): ``article_id, date, text, tone`` and, when present, ``speaker_side``.
    test_result : DataFrame, optional
        :func:`~minsk_moscow.method_agreement` on the frozen test split (one row per method). It
        does not depend on the corpus: its bullet is labelled as the measure's validation.
    sentences : DataFrame, optional
        Every sentence of the corpus (for how many were searched).
    corpus, plan : optional
        For article counts and the reasons a step did not run.
    method : str, optional
        The row of ``test_result`` to report (default :data:`~minsk_moscow.DEFAULT_METHOD`).
    max_periods : int
        Periods are the finest of month, quarter and year that gives at most this many.

    Returns
    -------
    Findings
        Relation sentences found; mean tone with its 95% bootstrap interval overall, by who speaks,
        and in the first and last period (saying whether their intervals overlap); the most positive
        and most negative sentence; the validation headline.
    """
    from .tone import DEFAULT_METHOD, bootstrap_mean_ci, tone_summary

    bullets: list[str] = []
    found = _frame(found)
    if found is None:
        bullets.append(f"**No relation sentences**: {_why(plan, 'relations', corpus=corpus, notebook='04')}.")
    elif found.empty:
        searched = f" among the {_plural(len(sentences), 'sentence')}" if _frame(sentences) is not None else ""
        bullets.append(f"**No relation sentence** (one that depicts relations between the Belarusian and the Russian "
                       f"side) was found{searched} of this corpus, so there is no tone to report.")
    else:
        tone = found["tone"].astype(float)
        n_articles = found["article_id"].nunique()
        searched = f" among {_plural(len(sentences), 'sentence')}" if _frame(sentences) is not None else ""
        if _frame(corpus) is not None and len(corpus) == n_articles:
            where = _all(n_articles, "article")
        elif _frame(corpus) is not None:
            where = f"{_n(n_articles)} of {_plural(len(corpus), 'article')}"
        else:
            where = _plural(n_articles, "article")
        bullets.append(f"**{_plural(len(found), 'relation sentence')}** (depicting relations between the Belarusian "
                       f"and the Russian side) found{searched}, in {where}.")
        bullets.append(f"**Mean tone {_tone(*bootstrap_mean_ci(tone), n=len(tone))}** over all relation sentences "
                       "(-1 friction, +1 cooperation; 95% bootstrap interval over sentences, which share articles, so "
                       "it is if anything too narrow).")
        if "speaker_side" in found:
            by = tone_summary(found, by="speaker_side")
            by = by.sort_values(["n", "speaker_side"], ascending=[False, True], kind="stable")
            parts = [f"{_SPEAKERS.get(str(r.speaker_side), _esc(r.speaker_side))} {_tone(r.mean, r.lo, r.hi, n=r.n)}"
                     for r in by.itertuples()]
            bullets.append("**By who speaks**: " + "; ".join(parts) + ".")
        bullets.append(_periods(found, max_periods=max_periods))
        order = found.assign(_t=tone).reset_index(drop=True)
        hi, lo = order.loc[order["_t"].idxmax()], order.loc[order["_t"].idxmin()]
        if len(order) == 1:
            bullets.append(f"**The only relation sentence** ({_signed(hi['_t'])}, {_code(hi['article_id'])}): "
                           f"“{_esc(_trim(hi['text']))}”")
        else:
            bullets.append(f"**Highest-scored sentence** ({_signed(hi['_t'])}, {_code(hi['article_id'])}): "
                           f"“{_esc(_trim(hi['text']))}” **Lowest-scored** ({_signed(lo['_t'])}, "
                           f"{_code(lo['article_id'])}): “{_esc(_trim(lo['text']))}”")
    bullets.append(_validation(test_result, method or DEFAULT_METHOD))
    return Findings(tuple(bullets))


_SPEAKERS = {"belarus": "the Belarusian side", "russia": "the Russian side",
             "other": "others (analysts, opposition, foreign officials)", "reporter": "the reporter's own narration"}


def _tone(mean: float, lo: float | None = None, hi: float | None = None, *, n: int, articles: int | None = None) -> str:
    source = ""
    if articles is not None:
        source = f" {'sentence' if n == 1 else 'sentences'} from {_plural(articles, 'article')}"
    if n <= 1 or lo is None or hi is None:
        return f"{_signed(mean)} (n = {_n(n)}{source}, no interval)"
    return f"{_signed(mean)} {_ci(lo, hi)} (n = {_n(n)}{source})"


def _periods(found: pd.DataFrame, *, max_periods: int) -> str:
    """The first and the last calendar period's mean tone, and whether their intervals overlap."""
    from .tone import tone_summary

    dated = found[pd.to_datetime(found["date"]).notna()] if "date" in found else found.iloc[0:0]
    undated = len(found) - len(dated)
    note = f" ({_plural(undated, 'relation sentence')} without a date left out)" if undated else ""
    if dated.empty:
        return "**No change over time**: none of the relation sentences has a date."
    dated = dated.assign(date=pd.to_datetime(dated["date"]), year=pd.to_datetime(dated["date"]).dt.year.astype(str))
    for by, code in (("month", "M"), ("quarter", "Q"), ("year", "Y")):
        if dated["date"].dt.to_period(code).nunique() <= max_periods:
            break
    table = tone_summary(dated, by=by)
    keys = dated["year"] if by == "year" else dated["date"].dt.to_period(code).astype(str)
    articles = dated.groupby(keys.to_numpy())["article_id"].nunique()
    if len(table) == 1:
        only = table.iloc[0]
        return (f"**No change over time can be read**: every dated relation sentence falls in one {by}, "
                f"{_esc(only[by])}{note}.")
    first, last = table.iloc[0], table.iloc[-1]
    a_first, a_last = int(articles.get(str(first[by]), 0)), int(articles.get(str(last[by]), 0))
    text = (f"**Over time** (by {by}, {len(table)} {by}s with relation sentences){note}: first {by} "
            f"{_esc(first[by])} {_tone(first['mean'], first['lo'], first['hi'], n=int(first['n']), articles=a_first)}, "
            f"last {by} {_esc(last[by])} "
            f"{_tone(last['mean'], last['lo'], last['hi'], n=int(last['n']), articles=a_last)}")
    if min(int(first["n"]), int(last["n"])) <= 1:
        verdict = "one of them rests on a single sentence, so the change cannot be judged"
    elif first["hi"] >= last["lo"] and last["hi"] >= first["lo"]:
        verdict = "the intervals overlap, so the change is not distinguishable from sentence-to-sentence variation"
    else:
        direction = "more cooperative" if last["mean"] > first["mean"] else "more conflictual"
        verdict = f"the intervals do not overlap: the last {by} reads {direction} than the first"
        if min(a_first, a_last) == 1:
            verdict += (", though a period of one article shows that article, not a trend "
                        "(the intervals resample its sentences only)")
    return text + f"; {verdict}."


def _validation(test_result: pd.DataFrame | None, method: str) -> str:
    test_result = _frame(test_result)
    if test_result is None or method not in test_result.index:
        return "**No validation headline**: the test-split table was not computed."
    r = test_result.loc[method]

    def metric(name: str) -> str:
        lo, hi = r.get(f"{name}_lo"), r.get(f"{name}_hi")
        return _d3(r[name]) + (f" {_ci(lo, hi)}" if lo is not None and hi is not None else "")

    articles = f" from {_plural(int(r['articles']), 'article')}" if "articles" in r and pd.notna(r["articles"]) else ""
    text = (f"**The tone measure's validation** (the frozen test split, not this corpus: "
            f"{_plural(int(r['n']), 'sentence')}{articles}, scored once by the default score, `{_esc(method)}`): "
            f"Spearman with the hand labels {metric('spearman')}, sign right for {metric('sign_accuracy')} of the "
            f"clear labels, balanced accuracy {metric('balanced_accuracy')}")
    if "always_cooperation" in test_result.index:
        c = test_result.loc["always_cooperation"]
        text += (f" (always answering cooperation: sign {_d3(c['sign_accuracy'])}, balanced accuracy "
                 f"{_d3(c['balanced_accuracy'])})")
    if "article_spearman" in r:
        text += f"; article means ranked with Spearman {metric('article_spearman')}"
    return text + ". The score is made for comparing periods and sources over many sentences, not single sentences."
