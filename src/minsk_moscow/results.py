"""The notebooks' results as plain data: CSV files and a data dictionary (``README.md``).

Each table is computed by the package's own functions, called exactly as the notebooks call
them (same settings, seeds and defaults), so a reader can use the numbers without running a
notebook and a site or another tool can read them:

============================  =====================================================  ========
file                          one row per                                            notebook
============================  =====================================================  ========
``articles.csv``              article                                                01
``tone_sentences.csv``        relation sentence found by the finder                  04
``tfidf_terms.csv``           document group and term with a non-zero TF-IDF weight  02
``log_odds.csv``              comparison and term                                    02
``topic_mix.csv``             display group and topic                                03
============================  =====================================================  ========

:func:`write_results` writes them all (UTF-8, one header row, ISO dates, floats rounded to 6
decimals, fixed row order: the same corpus gives the same bytes) with a data dictionary
``README.md`` that describes every column. A step that cannot run on the corpus (too few
articles for TF-IDF or topics, no dates for a before/after split) is skipped, its file is not
written, and the reason is listed under "Not written" in the README. From the shell::

    python -m minsk_moscow.results --out results   # corpus: $MINSK_MOSCOW_CORPUS or seeds/

The builders of each table (:func:`articles_table`, :func:`tone_sentence_table`,
:func:`tfidf_table`, :func:`log_odds_table`, :func:`topic_mix_table`) are public too.

Examples
--------
>>> from minsk_moscow.corpus import load_corpus
>>> articles_table(load_corpus())[["article_id", "date", "words"]].head(2).values.tolist()
[['mt-2020-08-05', '2020-08-05', 687], ['ft-2020-08-15', '2020-08-15', 794]]
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from .cache import cached
from .config import split_date
from .corpus import (
    CorpusWarning,
    display_groups,
    english_only,
    load_corpus,
    merge_by_group,
    sentence_table,
)
from .keywords import (
    compare_groups,
    split_by_date,
    split_by_year,
    tfidf_matrix,
    top_terms,
)
from .notebook import SEED
from .paths import PROJECT_ROOT, corpus_dir
from .tone import (
    DEFAULT_METHOD,
    join_tone_labels,
    load_tone_labels,
    relation_table,
)
from .topics import (
    SEED_TOPIC_LABELS,
    SIDE_WORDS,
    TopicWarning,
    choose_k,
    fit_nmf,
    make_units,
    summarize_sweep,
    sweep_k,
    k_range,
    topic_labels,
    topic_mix,
    topic_summary,
    vectorize_units,
)

__all__ = [
    "ANALYST_LABELS",
    "RESULT_FILES",
    "ResultsReport",
    "articles_table",
    "log_odds_table",
    "tfidf_table",
    "tone_sentence_table",
    "topic_mix_table",
    "write_results",
]

ANALYST_LABELS = {label: list(terms) for label, terms in SEED_TOPIC_LABELS.items()}
"""The analyst's topic labels of notebook 03 (:data:`~minsk_moscow.topics.SEED_TOPIC_LABELS`)."""

# Notebook 03's settings, in one place (tests/test_results.py checks them against the notebook).
_UNITS = {"unit": "capped", "max_tokens": 40, "min_tokens": 5}
_VECTORS = {"min_df": 2, "max_df": 0.5}
_SWEEP = {"seeds": [SEED + i for i in range(10)], "lsa_components": 20, "n_top": 5}
_CHOOSE = {"method": "nmf", "min_ari": 0.8, "min_topic_match": 0.95, "if_unstable": "warn"}
_TOPIC_TERMS = 8  # topic_summary(nmf, n_terms=8), as in notebook 03's topic table

_DECIMALS = 6


# =========================================================================== the data dictionary
@dataclass(frozen=True)
class _File:
    name: str
    row: str
    notebook: str
    about: str
    columns: dict[str, str]


_FILES: tuple[_File, ...] = (
    _File(
        "articles.csv",
        "article",
        "01 corpus overview",
        "The articles of the corpus and their metadata, in the order of `load_corpus` (by date, then id). "
        "Metadata come from the corpus's `articles.csv` where it has one, else from what each text states.",
        {
            "article_id": "Stable, unique id of the article; the key every other file uses.",
            "title": "Headline.",
            "outlet": "Who published the article (a wire agency in brackets); empty when unknown.",
            "site": "Where the scraped copy came from, when it differs from the outlet; else empty.",
            "author": "Author(s), separated by `; `; empty when the text names none.",
            "date": "Publication date, YYYY-MM-DD; empty when no date is known.",
            "date_basis": "`stated` (printed in the text or given in the metadata as stated), `inferred` "
            "(reasoned from the content, see date_note) or `missing`.",
            "date_note": "How the date is known (for inferred dates, the reasoning).",
            "url": "Original URL with scraping breaks repaired; empty when unknown.",
            "words": "Words in the clean article text (after the cleaner removed bylines, captions, "
            "links and other scraping debris), counted by `count_words`.",
            "sentences": "Sentences in the clean text, as `sentence_table` splits it.",
            "language": "Language of the clean text as `detect_language` finds it (ISO 639-1 code, e.g. `en`; "
            "empty when the text is too short to tell); notebooks 02-04 and the other files use the English "
            "articles only.",
            "duplicate_of": "The id of an earlier article with the same clean text; empty when none. Both are "
            "kept and counted.",
        },
    ),
    _File(
        "tone_sentences.csv",
        "relation sentence (a sentence about relations between the Belarusian and the Russian state, "
        "as found by `find_relation_sentences`)",
        "04 relation tone",
        "Every relation sentence of `relation_table(sentence_table(corpus), vader=True)` with its speaker, its "
        "tone scores, the cues the rules saw, and the hand label where the seed articles have one "
        "(`join_tone_labels` with `load_tone_labels()`). Rows in article order (as in articles.csv), then "
        "sentence order. Tone is how the sentence depicts Minsk-Moscow relations: -1 friction ... +1 "
        "cooperation (see `validation/GUIDE.md`); a single sentence's score is noisy, means over many "
        "sentences are what notebook 04 reads.",
        {
            "article_id": "Article id (articles.csv).",
            "date": "Publication date of the article, YYYY-MM-DD (empty when unknown).",
            "outlet": "Outlet of the article.",
            "paragraph": "Paragraph number within the clean article text, from 0.",
            "sentence": "Sentence number within the article, from 0; (article_id, sentence) is the key "
            "of `sentence_table`.",
            "text": "The sentence, as the splitter gives it.",
            "speaker_side": "Whose words the sentence reports, by `attribute_speakers`: `belarus` or "
            "`russia` (an official of that state), `other` (analysts, the opposition, third parties) or "
            "`reporter` (no attribution).",
            "tone": f"Relation tone in [-1, 1] by the default scorer (`relation_tone`, method "
            f"`{DEFAULT_METHOD}`: the mean of tone_rules and tone_model); the score notebook 04 plots.",
            "tone_rules": "The rules half alone, `relation_tone(texts, method=\"rules\")`: cue sums over the "
            "cue lexicon with the negation, contrast, dominance, domestic and third-party rules, squashed to "
            "[-1, 1].",
            "tone_model": "The model half alone, `relation_tone(texts, method=\"model\")`: P(+1) - P(-1) of the "
            "shipped logistic regression, in [-1, 1].",
            "vader": "VADER's compound sentiment in [-1, 1] (`vader_compound`), the general-purpose baseline; "
            "it measures wording, not relations.",
            "hand_relation": "Hand label: 1 if the annotator judged the sentence to be about the relation, "
            "0 if not (then the finder was wrong); empty where the sentence has no hand label.",
            "hand_label": "Hand-labelled tone: -1 friction, 0 neither, +1 cooperation (0 also where "
            "hand_relation is 0); empty where there is no hand label.",
            "hand_ambiguous": "1 where the annotator marked the label a hard call, else 0; empty where there "
            "is no hand label.",
            "hand_speaker": "Hand-attributed speaker side (same values as speaker_side); empty where none.",
            "cues": "Every cue the rules found in the sentence, `cue (class) → effect`, joined by `; `, in "
            "the order of `cue_hits`: the class is the CAMEO-style cue class (verbal/material, "
            "cooperation/conflict, ...), the effect what the rules did with it (`counted`, `reversed: "
            "negated`, `dropped: domestic`, ...). Empty when no cue fired.",
        },
    ),
    _File(
        "tfidf_terms.csv",
        "document and term with a non-zero weight",
        "02 TF-IDF keywords",
        "TF-IDF weights as notebook 02 computes them: one document per display group (each article while "
        "the corpus has at most 12 articles, else the finest period, month, quarter or year, giving at most 12 "
        "groups: `display_groups` and `merge_by_group`), terms from `phrase_ngrams` (unigrams plus "
        "adjacent-word phrases seen at least twice in the corpus), `tfidf_matrix` with its defaults "
        "(sublinear tf, smooth idf, min_df = 1, rows L2-normalised). Rows by group (document order), "
        "then rank.",
        {
            "group": "The document: an article_id, or a period label (`2020-08`, `2020Q3`, `2020`) when articles "
            "are pooled; the README's settings say which.",
            "rank": "Rank of the term within its document, 1 = highest weight (ties in alphabetical order).",
            "term": "A word or an adjacent-word phrase, as the tokenizer normalises it (lower case, spelling "
            "variants mapped, stop words removed).",
            "weight": "TF-IDF weight in [0, 1] (each document's weights have unit Euclidean length).",
            "tied": "How many terms of the document share exactly this weight (itself included): their order "
            "means nothing.",
        },
    ),
    _File(
        "log_odds.csv",
        "comparison and term",
        "02 TF-IDF keywords",
        "Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), as "
        "notebook 02 computes them with `compare_groups` (the whole corpus's counts as the prior): "
        "`before_after` compares articles dated before the split date with those on or after it "
        "(`split_by_date`), `years` the latest year with all earlier ones (`split_by_year`). Counts are of "
        "unigrams and adjacent-word phrases (`group_term_counts`). Rows by comparison, then z from the first "
        "group's most distinctive term to the second's (ties by total count, then term).",
        {
            "comparison": "`before_after` or `years`.",
            "group_a": "Label of the first group (`before`, or the earlier year(s), e.g. `2020`).",
            "group_b": "Label of the second group (`after`, or the latest year, e.g. `2021`).",
            "term": "A word or an adjacent-word phrase (as in tfidf_terms.csv).",
            "count_a": "Occurrences of the term in group a's articles.",
            "count_b": "Occurrences of the term in group b's articles.",
            "prior": "Dirichlet prior pseudo-count of the term: its count in the whole corpus.",
            "delta": "Log-odds ratio of the term, group a against group b, with the prior (natural log).",
            "z": "delta divided by its approximate standard deviation: > 0 the term is characteristic of "
            "group a, < 0 of group b; |z| > 1.96 is notebook 02's threshold (two-sided 5 %, no correction for "
            "the many terms).",
            "favours": "group_a's or group_b's label by the sign of z, `neither` when z is 0.",
        },
    ),
    _File(
        "topic_mix.csv",
        "display group and topic",
        "03 topic clusters",
        "How each article's content tokens (or, past 12 articles, each period's) are shared among the NMF "
        "topics of notebook 03: units from `make_units` (capped paragraphs, 5-40 content tokens), TF-IDF by "
        "`vectorize_units` (min_df = 2, max_df = 0.5, the side names as extra stop words), k chosen by "
        "`sweep_k` over k = 2..10 with 10 seeds and `choose_k` (the largest k stable across seeds), "
        "`fit_nmf` with the project seed, shares by `topic_mix`. Rows by group (date order), then topic.",
        {
            "group": "An article_id, or a period label when articles are pooled (as in tfidf_terms.csv).",
            "date": "Earliest publication date in the group, YYYY-MM-DD.",
            "topic": "Topic number, 0 .. k-1 (the README's settings give k).",
            "label": "The analyst's label where the topic shares 3 of the 5 top terms the label was read from "
            "(`topic_labels`), else `topic N:` and its three top terms.",
            "top_terms": "The topic's eight heaviest terms, comma-separated.",
            "share": "Share of the group's content tokens given to the topic (unit topic weights times unit "
            "lengths); the shares of a group sum to 1. Empty if every unit of the group was left out.",
        },
    ),
)

RESULT_FILES: tuple[str, ...] = tuple(f.name for f in _FILES)
"""The CSV files :func:`write_results` writes, in the order the data dictionary lists them."""


@dataclass(frozen=True)
class ResultsReport:
    """What :func:`write_results` did.

    Attributes
    ----------
    out_dir : Path
        The folder written to.
    written : dict
        File name -> number of data rows, for every CSV written (and ``README.md`` -> 0).
    skipped : dict
        File name (or ``"file: part"``) -> why it was not written.
    notes : list of str
        Warnings the analysis raised (e.g. tentative topics), also listed in the README.
    """

    out_dir: Path
    written: dict[str, int]
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# =========================================================================== the tables
def _iso(dates: pd.Series) -> pd.Series:
    dates = pd.to_datetime(dates)
    return dates.dt.strftime("%Y-%m-%d").where(dates.notna(), "")


def articles_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """The article metadata of ``articles.csv``, one row per article in corpus order.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`~minsk_moscow.corpus.load_corpus`.

    Returns
    -------
    pandas.DataFrame
        ``article_id, title, outlet, site, author, date`` (ISO string, ``""`` when unknown),
        ``date_basis, date_note, url, words, sentences, language, duplicate_of``.

    Examples
    --------
    >>> from minsk_moscow.corpus import load_corpus
    >>> articles_table(load_corpus())[["article_id", "sentences"]].tail(1).values.tolist()
    [['ft-2021-09-09', 18]]
    """
    out = corpus[["article_id", "title", "outlet", "site", "author", "date", "date_basis", "date_note", "url"]].copy()
    out["date"] = _iso(out["date"])
    out["words"] = corpus["n_words"].astype(int)
    out["sentences"] = corpus["n_sentences"].astype(int)
    for column in ("language", "duplicate_of"):  # from load_corpus; absent from a hand-made frame
        out[column] = corpus[column] if column in corpus else ""
    return out.reset_index(drop=True)


def tone_sentence_table(corpus: pd.DataFrame, *, labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every relation sentence with its speaker, tone scores, cues and hand label (``tone_sentences.csv``).

    As notebook 04: ``relation_table(sentence_table(corpus), vader=True)``, the relation sentences
    only; ``tone`` is the default score, ``tone_rules`` and ``tone_model`` its two halves
    (:func:`~minsk_moscow.tone.relation_tone` with ``method="rules"`` / ``"model"``), ``cues``
    what :func:`~minsk_moscow.tone.cue_hits` found (the relation table's ``cues``,
    :func:`~minsk_moscow.tone.cue_note`), and the hand labels come from
    :func:`~minsk_moscow.tone.join_tone_labels`.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`~minsk_moscow.corpus.load_corpus`.
    labels : pandas.DataFrame, optional
        Hand labels; default :func:`~minsk_moscow.tone.load_tone_labels` (the seed articles').

    Returns
    -------
    pandas.DataFrame
        The columns of ``tone_sentences.csv`` (see the data dictionary), ``date`` as Timestamps,
        hand-label columns as nullable integers.

    Examples
    --------
    >>> from minsk_moscow.corpus import load_corpus
    >>> table = tone_sentence_table(load_corpus())
    >>> len(table), int(table["hand_label"].notna().sum())
    (90, 90)
    """
    labels = load_tone_labels() if labels is None else labels
    sentences = cached(relation_table, sentence_table(corpus), vader=True)  # as notebook 04 left it
    found = sentences[sentences["is_relation"].to_numpy(dtype=bool)].reset_index(drop=True)
    joined = join_tone_labels(found, labels)
    outlet = dict(zip(corpus["article_id"], corpus["outlet"]))
    out = pd.DataFrame(
        {
            "article_id": found["article_id"],
            "date": pd.to_datetime(found["date"]),
            "outlet": found["article_id"].map(outlet).fillna(""),
            "paragraph": found["paragraph"].astype(int),
            "sentence": found["sentence"].astype(int),
            "text": found["text"],
            "speaker_side": found["speaker_side"],
            "tone": found["tone"].astype(float),
            "tone_rules": found["tone_rules"].astype(float),
            "tone_model": found["tone_model"].astype(float),
            "vader": found["vader"].astype(float),
            "hand_relation": joined["label_relation"].to_numpy(),
            "hand_label": joined["label_tone"].to_numpy(),
            "hand_ambiguous": joined["label_ambiguous"].to_numpy(),
            "hand_speaker": joined["label_speaker"].fillna("").to_numpy(),
            "cues": found["cues"].to_numpy(dtype=object),
        }
    )
    for col in ("hand_relation", "hand_label", "hand_ambiguous"):
        out[col] = out[col].astype("Int64")
    return out


def tfidf_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """TF-IDF weight of every term in every display-group document (``tfidf_terms.csv``).

    As notebook 02: ``unit = display_groups(corpus)``, ``docs = merge_by_group(corpus, unit)``,
    ``tfidf_matrix(docs)`` with its defaults; rank, order and ties from
    :func:`~minsk_moscow.keywords.top_terms` over all terms, the weights unrounded.

    Returns
    -------
    pandas.DataFrame
        ``group, rank, term, weight, tied``; ``attrs["unit"]`` is the display unit
        (``"article"``, ``"month"``, ``"quarter"`` or ``"year"``).

    Raises
    ------
    ValueError
        With fewer than two documents (idf compares documents) or no terms.

    Examples
    --------
    >>> from minsk_moscow.corpus import load_corpus
    >>> table = tfidf_table(load_corpus())
    >>> table.attrs["unit"], table.loc[0, "group"], table.loc[0, "term"]
    ('article', 'mt-2020-08-05', 'elections')
    """
    unit = display_groups(corpus)
    docs = merge_by_group(corpus, unit)
    tfidf = tfidf_matrix(docs)
    top = top_terms(tfidf, n=len(tfidf.terms))
    exact = {}
    for i, doc in enumerate(tfidf.doc_ids):
        row = tfidf.matrix.getrow(i)
        exact[doc] = dict(zip(tfidf.terms[row.indices], row.data))
    id_col = top.columns[0]
    weights = [float(exact[d][t]) for d, t in zip(top[id_col], top["term"])]
    out = pd.DataFrame(
        {"group": top[id_col].astype(str), "rank": top["rank"], "term": top["term"], "weight": weights, "tied": top["tied"]}
    )
    out.attrs["unit"] = unit.name
    return out


def log_odds_table(corpus: pd.DataFrame, *, cutoff: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The weighted log-odds of notebook 02's comparisons, stacked (``log_odds.csv``).

    ``before_after``: ``split_by_date(corpus, cutoff, labels=("before", "after"), undated="leave out")`` and
    ``compare_groups(..., a="before", b="after")``; ``years``: ``split_by_year(corpus, undated="leave out")``, the
    earlier against the later label. A comparison the corpus cannot make (articles without a
    date, an empty side) is left out and its reason put in ``attrs["skipped"]``
    (comparison -> message).

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`~minsk_moscow.corpus.load_corpus`.
    cutoff : str or Timestamp, optional
        The split date; default :func:`~minsk_moscow.config.split_date`
        (``$MINSK_MOSCOW_SPLIT_DATE`` or the 9 August 2020 election).

    Returns
    -------
    pandas.DataFrame
        ``comparison, group_a, group_b, term, count_a, count_b, prior, delta, z, favours``;
        ``attrs["cutoff"]`` is the split date, ``attrs["skipped"]`` the comparisons left out.

    Raises
    ------
    ValueError
        When neither comparison can be made.

    Examples
    --------
    >>> from minsk_moscow.corpus import load_corpus
    >>> table = log_odds_table(load_corpus(), cutoff="2020-08-09")
    >>> table.groupby("comparison", sort=False)["term"].first().to_dict()
    {'before_after': 'elections', 'years': 'russia'}
    """
    cut = split_date() if cutoff is None else pd.Timestamp(cutoff)
    parts, skipped = [], {}
    try:
        period = split_by_date(corpus, cut, labels=("before", "after"), undated="leave out")
        parts.append(compare_groups(corpus, period, a="before", b="after").assign(
            comparison="before_after", group_a="before", group_b="after"))
    except ValueError as exc:
        skipped["before_after"] = str(exc)
    try:
        year = split_by_year(corpus, undated="leave out")
        early, late = sorted(year.dropna().unique())
        parts.append(compare_groups(corpus, year, a=early, b=late).assign(comparison="years", group_a=early, group_b=late))
    except ValueError as exc:
        skipped["years"] = str(exc)
    if not parts:
        raise ValueError("no comparison can be made: " + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    columns = ["comparison", "group_a", "group_b", "term", "count_a", "count_b", "prior", "delta", "z", "favours"]
    out = pd.concat(parts, ignore_index=True)[columns]
    out.attrs.update(cutoff=cut, skipped=skipped)
    return out


def topic_mix_table(
    corpus: pd.DataFrame, *, k: int | None = None, analyst_labels: Mapping[str, Sequence[str]] = ANALYST_LABELS
) -> pd.DataFrame:
    """Topic shares per display group, with topic labels and top terms (``topic_mix.csv``).

    As notebook 03: capped-paragraph units, ``vectorize_units`` with the side names as stop
    words, ``k`` chosen by the seeded stability sweep (``sweep_k``, ``summarize_sweep``,
    ``choose_k``), ``fit_nmf(vectors, k=k, random_state=SEED)``, labels by ``topic_labels``
    and shares by ``topic_mix`` over ``display_groups(corpus)``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`~minsk_moscow.corpus.load_corpus`.
    k : int, optional
        Number of topics. Default: chosen as notebook 03 chooses it (the sweep fits 180
        models: seconds on the seeds); give it to skip the sweep.
    analyst_labels : mapping
        Label -> the top terms it was read from; default :data:`ANALYST_LABELS`.

    Returns
    -------
    pandas.DataFrame
        ``group, date, topic, label, top_terms, share``; ``attrs`` hold ``k``, ``k_source``
        (how k was set) and ``unit`` (the display unit).

    Raises
    ------
    ValueError
        When the corpus has too few units or terms for the topic model (from
        :func:`~minsk_moscow.topics.check_k` or :func:`~minsk_moscow.topics.vectorize_units`).

    Examples
    --------
    >>> from minsk_moscow.corpus import load_corpus
    >>> mix = topic_mix_table(load_corpus(), k=4)
    >>> mix.shape, mix.groupby("group")["share"].sum().round(6).unique().tolist()
    ((20, 6), [1.0])
    """
    units = make_units(corpus, **_UNITS)
    vectors = vectorize_units(units, **_VECTORS, extra_stop_words=SIDE_WORDS)
    if k is None:
        sweep = cached(sweep_k, vectors, ks=k_range(len(vectors.units)), **_SWEEP)  # as notebook 03 left it
        k = choose_k(summarize_sweep(sweep), **_CHOOSE)
        source = "chosen as in notebook 03: the largest k whose NMF topics are stable over 10 seeds (k = 2..10)"
    else:
        source = "given to write_results (the stability sweep of notebook 03 was not run)"
    nmf = cached(fit_nmf, vectors, k=k, random_state=SEED)  # as notebook 03 left it
    labels = topic_labels(nmf, analyst_labels)
    terms = topic_summary(nmf, n_terms=_TOPIC_TERMS).set_index("topic")["top_terms"]
    unit = display_groups(corpus)
    mix = topic_mix(nmf, groups=dict(zip(corpus["article_id"], unit))).reindex(unit.unique())
    first_date = corpus.groupby(unit.to_numpy(), sort=False)["date"].min()
    rows = [
        {"group": str(group), "date": first_date[group], "topic": topic, "label": labels[topic],
         "top_terms": terms[topic], "share": mix.loc[group, topic]}
        for group in mix.index
        for topic in range(k)
    ]
    out = pd.DataFrame(rows, columns=["group", "date", "topic", "label", "top_terms", "share"])
    out.attrs.update(k=int(k), k_source=source, unit=unit.name)
    return out


# =========================================================================== writing
def _to_csv(table: pd.DataFrame, path: Path) -> None:
    """UTF-8, one header row, ISO dates, floats rounded to 6 decimals (no ``-0``), ``\\n`` line ends."""
    out = table.copy(deep=False)  # columns are replaced, never changed in place: the texts are not copied
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = _iso(out[col])
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(_DECIMALS) + 0.0
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format=f"%.{_DECIMALS}f")


def _corpus_name(folder: Path) -> str:
    folder = folder.resolve()
    try:
        return folder.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return folder.name


class _Written(NamedTuple):
    """What :func:`write_results` keeps of a table it has written."""

    columns: tuple[str, ...]
    rows: int
    attrs: dict[str, Any]
    labelled: int
    """Rows with a hand label (tone sentences)."""


def _readme(
    files: Mapping[str, _Written], skipped: Mapping[str, str], notes: Sequence[str], settings: Sequence[str],
    corpus_name: str,
) -> str:
    lines = [
        "# Results as data",
        "",
        (f"The tables behind the notebooks, computed from the corpus `{corpus_name}` by "
        "`python -m minsk_moscow.results` (`make run`) with the package's own functions, called as the notebooks "
        "call them. Do not edit these files: they are rewritten on every run."),
        "",
        ("All files are UTF-8 CSV with one header row; dates are YYYY-MM-DD, floats are rounded to 6 decimals, "
        "an empty cell means no value, and the row order is fixed, so the same corpus always gives the same bytes."),
        "",
        "## Settings",
        "",
        *[f"- {s}" for s in settings],
        "",
        "## Files",
        "",
        "| file | rows | one row per | notebook |",
        "| --- | ---: | --- | --- |",
    ]
    for spec in _FILES:
        if spec.name in files:
            lines.append(f"| [`{spec.name}`]({spec.name}) | {files[spec.name].rows} | {spec.row} | {spec.notebook} |")
    for spec in _FILES:
        if spec.name not in files:
            continue
        lines += ["", f"## `{spec.name}`", "", f"One row per {spec.row}. Shown in notebook {spec.notebook}.", "",
                  spec.about, "", "| column | meaning |", "| --- | --- |"]
        for col in files[spec.name].columns:
            meaning = spec.columns[col].replace("|", "\\|")  # a literal | inside a Markdown table cell
            lines.append(f"| `{col}` | {meaning} |")
    lines += ["", "## Not written", ""]
    if skipped:
        lines += [f"- `{name}`: {why}" for name, why in skipped.items()]
    else:
        lines.append("Nothing: every file was written.")
    lines += ["", "## Warnings", ""]
    lines += [f"- {note}" for note in notes] if notes else ["None."]
    return "\n".join(lines) + "\n"


def write_results(
    corpus: pd.DataFrame | str | Path,
    out_dir: str | Path,
    *,
    name: str | None = None,
    cutoff: str | pd.Timestamp | None = None,
    labels: pd.DataFrame | None = None,
    topic_k: int | None = None,
) -> ResultsReport:
    """Compute every result table and write the CSV files and the data dictionary ``README.md``.

    Writes ``articles.csv``, ``tone_sentences.csv``, ``tfidf_terms.csv``, ``log_odds.csv`` and
    ``topic_mix.csv`` (see the module docstring and the README it writes) into ``out_dir``. A
    step that cannot run on this corpus is skipped: its file is not written (an older copy in
    ``out_dir`` is removed) and the reason goes to the README's "Not written" list. Nothing
    else in ``out_dir`` is touched.

    Parameters
    ----------
    corpus : DataFrame, str or Path
        A corpus from :func:`~minsk_moscow.corpus.load_corpus`, or a folder to load (with its
        ``articles.csv`` if it has one; unlisted files as ``$MINSK_MOSCOW_UNLISTED`` says).
    out_dir : str or Path
        Folder to write into (created if needed).
    name : str, optional
        How the README names the corpus; default the folder (relative to the project when
        inside it), or ``"(a corpus table)"`` for a DataFrame.
    cutoff : str or Timestamp, optional
        Split date of the before/after comparison; default
        :func:`~minsk_moscow.config.split_date`.
    labels : DataFrame, optional
        Hand tone labels; default :func:`~minsk_moscow.tone.load_tone_labels`.
    topic_k : int, optional
        Number of topics; default chosen by notebook 03's stability sweep (see
        :func:`topic_mix_table`).

    Returns
    -------
    ResultsReport
        Files written with their row counts, files skipped with the reason, warnings.

    Examples
    --------
    >>> import tempfile
    >>> from minsk_moscow.paths import SEEDS_DIR
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = write_results(SEEDS_DIR, out, topic_k=4)  # topic_k=4: notebook 03's k, without the sweep
    >>> report.written["tone_sentences.csv"], report.skipped
    (90, {})
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    other: list[warnings.WarningMessage] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if isinstance(corpus, pd.DataFrame):
            name = name or "(a corpus table)"
        else:
            folder = Path(corpus)
            name = name or _corpus_name(folder)
            corpus = load_corpus(folder)
        cut = split_date() if cutoff is None else pd.Timestamp(cutoff)
        tables: dict[str, _Written] = {}
        skipped: dict[str, str] = {}
        english = english_only(corpus)  # the analyses read English, as notebooks 02-04 do
        builders = {
            "articles.csv": ("articles", lambda: articles_table(corpus)),
            "tone_sentences.csv": ("relation tone (notebook 04)",
                                   lambda: cached(tone_sentence_table, english, labels=labels)),  # interactive/ reads it
            "tfidf_terms.csv": ("TF-IDF (notebook 02)", lambda: tfidf_table(english)),
            "log_odds.csv": ("log-odds comparisons (notebook 02)", lambda: log_odds_table(english, cutoff=cut)),
            "topic_mix.csv": ("topic model (notebook 03)", lambda: topic_mix_table(english, k=topic_k)),
        }
        for file, (step, build) in builders.items():
            try:
                table = build()
            except ValueError as exc:
                skipped[file] = f"{step} cannot run on this corpus: " + " ".join(str(exc).split())
                continue
            # written at once and only its columns, row count and attrs kept: one large table in
            # memory at a time (on 100,000 articles the tone sentences alone hold gigabytes)
            _to_csv(table, out / file)
            tables[file] = _Written(tuple(table.columns), len(table), dict(table.attrs),
                                    int(table["hand_label"].notna().sum()) if "hand_label" in table else 0)
            del table
    for w in caught:
        if issubclass(w.category, (CorpusWarning, TopicWarning)):
            text = f"{w.category.__name__}: {' '.join(str(w.message).split())}"
            if text not in notes:
                notes.append(text)
        else:
            other.append(w)
    for w in other:  # not ours: pass them on as they came
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if "log_odds.csv" in tables:
        for comparison, why in tables["log_odds.csv"].attrs["skipped"].items():
            skipped[f"log_odds.csv, comparison {comparison}"] = " ".join(why.split())

    dates = pd.to_datetime(corpus["date"])
    settings = [
        f"corpus: `{name}`, {len(corpus)} article(s)"
        + (f", dated {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if dates.notna().any() else ", none dated")
        + (f" ({int(dates.isna().sum())} without a date)" if dates.isna().any() and dates.notna().any() else ""),
        f"display unit of per-group tables (`display_groups`): {display_groups(corpus).name}",
        (f"split date of the before/after comparison: {cut:%Y-%m-%d} (`MINSK_MOSCOW_SPLIT_DATE`, default the "
        "9 August 2020 election)"),
        f"tone: default scorer `{DEFAULT_METHOD}`; hand labels matched: "
        + (f"{tables['tone_sentences.csv'].labelled} of {tables['tone_sentences.csv'].rows} relation sentences"
           if "tone_sentences.csv" in tables else "-"),
    ]
    if "topic_mix.csv" in tables:
        attrs = tables["topic_mix.csv"].attrs
        settings.append(f"topics: k = {attrs['k']}, {attrs['k_source']}; NMF seed {SEED}")
    for file in RESULT_FILES:
        path = out / file
        if file not in tables and path.exists():
            path.unlink()  # a stale copy from an earlier run would contradict the README
    (out / "README.md").write_text(_readme(tables, skipped, notes, settings, name), encoding="utf-8")
    written = {file: table.rows for file, table in tables.items()} | {"README.md": 0}
    return ResultsReport(out, written, skipped, notes)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m minsk_moscow.results [--out DIR] [--corpus DIR]``: write the result files.

    The corpus is ``$MINSK_MOSCOW_CORPUS`` (or ``seeds/``), the split date
    ``$MINSK_MOSCOW_SPLIT_DATE``, as for the notebooks.
    """
    parser = argparse.ArgumentParser(prog="python -m minsk_moscow.results", description="Write the result CSV files and their data dictionary README.md.")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results", help="output folder (default: results/)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: $MINSK_MOSCOW_CORPUS or seeds/)")
    args = parser.parse_args(argv)
    report = write_results(args.corpus or corpus_dir(), args.out)
    for file, rows in report.written.items():
        if file != "README.md":
            print(f"wrote {args.out / file} ({rows} rows)")
    print(f"wrote {args.out / 'README.md'} (data dictionary)")
    for file, why in report.skipped.items():
        print(f"not written: {file}: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
