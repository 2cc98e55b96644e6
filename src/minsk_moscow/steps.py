"""What each notebook step needs from a corpus, checked up front, and steps that never crash raw.

A notebook runs on the seed articles and on any other collection (``make run CORPUS=...``).
Some steps cannot run on some corpora: TF-IDF needs two documents, a before/after comparison
needs dated articles on both sides of the split date, a topic model needs enough units and
terms. Each notebook therefore

1. calls :func:`check_corpus` once, right after loading, which shows every step of the
   notebook with what it needs and whether this corpus has it, and
2. starts each step's cell with the cell magic ``%%step <name>`` (registered by
   :func:`~minsk_moscow.notebook.setup_notebook`). The magic runs the cell when the step can
   run. Otherwise it prints one readable line saying why not, and the notebook goes on. A step
   that stops with an error on this corpus is reported the same way (the error's own message,
   no traceback), and the steps that build on it are skipped with the reason.

Every step's outcome (ran, skipped, failed, and why) is appended to the run report named by
``$MINSK_MOSCOW_REPORT`` (one JSON object per line), which ``make run`` prints at the end.

Examples
--------
>>> import pandas as pd
>>> corpus = pd.DataFrame({"article_id": ["a"], "date": [pd.NaT], "language": ["en"],
...                        "text": ["Minsk and Moscow."]})
>>> plan = check_corpus(corpus, notebook="02", show=False)
>>> plan.status("tfidf")
'skipped: TF-IDF needs at least 2 articles in English; this corpus has 1'
>>> plan.status("election")
'skipped: the before/after comparison needs dated articles; none of the 1 articles has a date'
"""

from __future__ import annotations

import ast
import json
import os
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .config import split_date
from .paths import SEEDS_DIR, corpus_dir

__all__ = ["NOTEBOOK_STEPS", "NotEnoughData", "Plan", "check_corpus", "corpus_facts", "is_seed_corpus",
           "register_step_magic"]


class NotEnoughData(ValueError):
    """A step cannot run because the corpus does not hold enough of what it needs.

    Raised with a message a reader can act on; ``%%step`` reports it (and any other
    ``ValueError``: a package function refusing input it cannot work with, such as too few
    terms for a topic model) as a skipped step with that message. Any other exception is
    reported as a failure: a bug to fix, not a property of the corpus.
    """


def is_seed_corpus() -> bool:
    """True when the notebooks run on the project's own seed articles (no ``$MINSK_MOSCOW_CORPUS``).

    >>> is_seed_corpus()
    True
    """
    return corpus_dir().resolve() == SEEDS_DIR.resolve()


def _english(corpus: pd.DataFrame) -> pd.DataFrame:
    if "language" not in corpus:
        return corpus
    return corpus[corpus["language"].isin(["en", ""])]


def corpus_facts(corpus: pd.DataFrame) -> dict[str, Any]:
    """The counts the steps' requirements are checked against.

    >>> corpus_facts(pd.DataFrame({"article_id": ["a", "b"], "date": pd.to_datetime(["2020-01-01", None]),
    ...                            "text": ["x", "y"]}))["dated"]
    1
    """
    english = _english(corpus)
    dates = pd.to_datetime(english["date"]) if "date" in english else pd.Series(dtype="datetime64[ns]")
    cutoff = split_date()
    dated = dates.dropna()
    return {
        "articles": len(corpus),
        "english": len(english),
        "dated": int(dated.size),
        "before": int((dated < cutoff).sum()),
        "after": int((dated >= cutoff).sum()),
        "years": int(dated.dt.year.nunique()),
        "split_date": cutoff,
        "seed": is_seed_corpus(),
    }


Check = Callable[[Mapping[str, Any]], "str | None"]


def _at_least_english(n: int, what: str) -> Check:
    def check(f: Mapping[str, Any]) -> str | None:
        if f["english"] < n:
            return f"{what} needs at least {n} article{'s' * (n > 1)} in English; this corpus has {f['english']}"
        return None
    return check


def _dated(what: str) -> Check:
    def check(f: Mapping[str, Any]) -> str | None:
        if f["dated"] == 0:
            return f"{what} needs dated articles; none of the {f['english']} articles has a date"
        return None
    return check


def _both_sides(f: Mapping[str, Any]) -> str | None:
    if f["dated"] == 0:
        return f"the before/after comparison needs dated articles; none of the {f['english']} articles has a date"
    if f["before"] == 0 or f["after"] == 0:
        return (f"the before/after comparison needs dated articles on both sides of {_day(f['split_date'])} "
                f"(set SPLIT_DATE=YYYY-MM-DD); this corpus has {f['before']} before and {f['after']} after")
    return None


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {date:%B %Y}"


def _two_years(f: Mapping[str, Any]) -> str | None:
    if f["years"] < 2:
        return f"the year comparison needs dated articles from at least two years; this corpus has {f['years']}"
    return None


def _seed_only(what: str) -> Check:
    def check(f: Mapping[str, Any]) -> str | None:
        return None if f["seed"] else f"{what} belongs to the seed study, not to this corpus"
    return check


@dataclass(frozen=True)
class Step:
    """One notebook step: its name, what it does, what it needs and which steps it builds on.

    ``after``: steps that must all run first; ``after_any``: steps of which at least one must
    (the step then uses those that ran, asking :meth:`Plan.ran`).
    """

    name: str
    does: str
    needs: str = "the loaded corpus"
    check: Check | None = None
    after: tuple[str, ...] = ()
    after_any: tuple[str, ...] = ()


NOTEBOOK_STEPS: dict[str, tuple[Step, ...]] = {
    "01": (
        Step("articles", "list the articles and their sources"),
        Step("lengths", "article lengths and what the cleaner removed"),
        Step("timeline", "the articles on a time line", "at least 1 dated article", _dated("the time line")),
        Step("removals", "every removed piece of debris"),
        Step("spelling", "spelling variants of the names"),
        Step("sentences", "the first sentences of each article"),
        Step("findings", "findings generated from this corpus"),
    ),
    "02": (
        Step("overview", "tokens per article", "at least 1 article in English", _at_least_english(1, "the token count")),
        Step("tfidf", "the TF-IDF matrix and its vocabulary", "at least 2 articles in English",
             _at_least_english(2, "TF-IDF"), ("overview",)),
        Step("top_terms", "top terms, heatmap, word clouds, keywords in context", "the TF-IDF matrix",
             after=("tfidf",)),
        Step("election", "before vs after the split date (weighted log-odds)",
             "dated articles on both sides of the split date", _both_sides, ("overview",)),
        Step("years", "earliest vs latest year (weighted log-odds)", "dated articles from two or more years",
             _two_years, ("overview",)),
        Step("watch", "the seed study's rupture and integration words, term by term", "the seed corpus",
             _seed_only("the watch list of rupture and integration words"), ("tfidf", "election", "years")),
        Step("sensitivity", "how the verdict depends on the prior strength", "either comparison",
             after_any=("election", "years")),
        Step("kwic_sides", "keywords in context for the distinctive terms", "either comparison",
             after_any=("election", "years")),
        Step("robustness", "top terms under other settings", "the TF-IDF matrix", after=("tfidf",)),
        Step("findings", "findings generated from this corpus"),
    ),
    "03": (
        Step("units", "paragraphs, windows and capped paragraphs", "at least 1 article in English",
             _at_least_english(1, "the topic units")),
        Step("vectors", "TF-IDF of the units", "units with terms shared by two or more units", after=("units",)),
        Step("sweep", "choosing k: coherence, silhouette and stability", "at least 4 units with shared terms",
             after=("vectors",)),
        Step("lsa_check", "k-means stability by LSA dimension", "a chosen k", after=("sweep",)),
        Step("topics", "the NMF topics at the chosen k", "a chosen k", after=("sweep",)),
        Step("kmeans", "NMF topics against k-means clusters", "the topics", after=("topics",)),
        Step("mix", "the topic mix of each article or period", "the topics", after=("topics",)),
        Step("map", "a 2-D map of the units", "the topics", after=("kmeans", "mix")),
        Step("themes", "the seed study's expected themes against the topics", "the seed corpus",
             _seed_only("the list of expected themes"), ("topics",)),
        Step("findings", "findings generated from this corpus"),
    ),
    "04": (
        Step("relations", "relation sentences found and scored in this corpus", "at least 1 article in English",
             _at_least_english(1, "finding relation sentences")),
        Step("by_article", "tone per article or period, with intervals", "at least 1 relation sentence",
             after=("relations",)),
        Step("over_time", "tone over time", "dated relation sentences", _dated("the tone over time"),
             ("by_article",)),
        Step("extremes", "the most cooperative and most conflictual sentences", "relation sentences",
             after=("relations",)),
        Step("speakers", "tone by who speaks", "relation sentences", after=("relations",)),
        Step("by_month", "tone by month", "dated relation sentences", _dated("the monthly summary"),
             ("relations",)),
        Step("findings", "findings generated from this corpus"),
    ),
}
"""The steps of each notebook, in order, with their requirements."""


def _report(record: Mapping[str, Any]) -> None:
    path = os.environ.get("MINSK_MOSCOW_REPORT", "").strip()
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, default=str) + "\n")


@dataclass
class Plan:
    """Which steps of one notebook run on this corpus; updated as steps run, skip or fail."""

    notebook: str
    facts: dict[str, Any]
    steps: dict[str, Step]
    outcome: dict[str, str] = field(default_factory=dict)

    def blocked(self, name: str) -> str | None:
        """Why step ``name`` cannot run (``None`` when it can)."""
        step = self.steps.get(name)
        if step is None:
            return None
        if self.outcome.get(name, "ran") != "ran":
            return f"an earlier cell of this step did not run ({self.outcome[name]})"
        if step.check is not None:
            reason = step.check(self.facts)
            if reason:
                return reason
        for before in step.after:
            if not self._may_run(before):
                return f"it builds on '{before}', which did not run"
        if step.after_any and not any(map(self._may_run, step.after_any)):
            names = " or ".join(f"'{before}'" for before in step.after_any)
            return f"it builds on {names}, {'neither' if len(step.after_any) == 2 else 'none'} of which ran"
        return None

    def _may_run(self, name: str) -> bool:
        """Whether step ``name`` ran or has yet to run with nothing in its way."""
        return (self.outcome.get(name) or ("skipped" if self.blocked(name) else "pending")) in ("ran", "pending")

    def ran(self, name: str) -> bool:
        """Whether step ``name`` ran (each of its cells so far): a step with ``after_any`` asks
        this to use the steps that ran (on the seeds, all of them)."""
        return self.outcome.get(name) == "ran"

    def status(self, name: str) -> str:
        """``ran``, ``failed: ...``, ``skipped: ...`` or ``runs`` (not yet run, nothing in its way)."""
        if name in self.outcome:
            return self.outcome[name]
        reason = self.blocked(name)
        return f"skipped: {reason}" if reason else "runs"

    def table(self) -> pd.DataFrame:
        """One row per step: what it does, what it needs, and whether it runs on this corpus."""
        return pd.DataFrame(
            [{"step": s.name, "what it does": s.does, "needs": s.needs, "on this corpus": self.status(s.name)}
             for s in self.steps.values()]
        )

    def record(self, name: str, state: str, why: str = "") -> None:
        self.outcome[name] = state if not why else f"{state}: {why}"
        _report({"notebook": self.notebook, "step": name, "state": state, "why": why})


_PLAN: Plan | None = None


def check_corpus(corpus: pd.DataFrame, *, notebook: str, show: bool = True) -> Plan:
    """Check what ``corpus`` holds against every step of ``notebook`` ("01" to "04") and show it.

    The plan becomes the current one for the ``%%step`` cell magic. With ``show`` (in a
    notebook) it displays one table: each step, what it needs, and whether it runs here.
    """
    global _PLAN
    if notebook not in NOTEBOOK_STEPS:
        raise ValueError(f"notebook must be one of {sorted(NOTEBOOK_STEPS)}, not {notebook!r}")
    _PLAN = Plan(notebook, corpus_facts(corpus), {s.name: s for s in NOTEBOOK_STEPS[notebook]})
    _report({"notebook": notebook, "step": "(corpus)", "state": "checked",
             "why": {k: v for k, v in _PLAN.facts.items() if k != "split_date"}})
    if show:
        from .notebook import show_table

        facts = _PLAN.facts
        print(f"{facts['articles']} articles, {facts['english']} in English; of these {facts['dated']} are dated "
              f"({facts['before']} before and {facts['after']} after {_day(facts['split_date'])}, "
              f"from {facts['years']} year(s))")
        if "language" in corpus and notebook != "01":
            from .corpus import non_english_note

            note = non_english_note(corpus)
            if note:
                print(note.replace("are left out", "are left out of this notebook's analyses") + ".")
        try:
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython is a dev dependency
            print(_PLAN.table().to_string(index=False))
        else:
            display(show_table(_PLAN.table(), wrap=["what it does", "needs", "on this corpus"], ids=["step"],
                               width=40))
    return _PLAN


def _run_body(cell: str, namespace: dict[str, Any]) -> Any:
    """Execute ``cell`` in ``namespace``; return the value of a final expression, as IPython would."""
    tree = ast.parse(cell)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<step>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<step>", "eval"), namespace)
    return None


def _brief(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" (in {os.path.basename(frame.filename)}, {frame.name})" if frame is not None else ""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}{where}" if not isinstance(exc, (NotEnoughData,)) else message


def run_step(name: str, cell: str, namespace: dict[str, Any]) -> Any:
    """Run one step's code unless the current plan says it cannot run; report the outcome.

    Without a plan (a notebook that did not call :func:`check_corpus`), the code simply runs.
    """
    plan = _PLAN
    if plan is None:
        return _run_body(cell, namespace)
    reason = plan.blocked(name)
    if reason:
        print(f"Skipped on this corpus: {reason}.")
        plan.record(name, "skipped", reason)
        return None
    try:
        value = _run_body(cell, namespace)
    except ValueError as exc:  # NotEnoughData, or a package function refusing values it cannot work with
        _close_figures()
        if is_seed_corpus() and not isinstance(exc, NotEnoughData) and not os.environ.get("MINSK_MOSCOW_REPORT"):
            raise  # on the seeds a refused value is a bug: show the traceback
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"Skipped on this corpus: {why}")
        plan.record(name, "skipped", why)
        return None
    except Exception as exc:  # noqa: BLE001 - reported in one readable line, and in the run report
        _close_figures()
        if is_seed_corpus() and not os.environ.get("MINSK_MOSCOW_REPORT"):
            raise  # on the seeds a failing step is a bug: show the traceback
        print(f"This step could not run on this corpus: {_brief(exc)}")
        plan.record(name, "failed", _brief(exc))
        return None
    plan.record(name, "ran")
    return value


def _close_figures() -> None:
    import matplotlib.pyplot as plt

    plt.close("all")


def register_step_magic(shell: Any) -> None:
    """Register the ``%%step <name>`` cell magic in an IPython ``shell``."""

    def step(line: str, cell: str) -> Any:
        name = line.strip()
        if not name:
            raise ValueError("%%step needs a step name, e.g. %%step tfidf")
        return run_step(name, cell, shell.user_ns)

    shell.register_magic_function(step, magic_kind="cell", magic_name="step")
