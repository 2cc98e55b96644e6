"""The out-of-sample validation set: real articles outside the seeds, split once into dev and test.

``validation/`` holds relation sentences of real English-language articles on Minsk-Moscow
relations (2019-2025, many outlets), labelled by the guide in ``validation/GUIDE.md``:

- ``articles.csv``: one row per article (``article_id``, ``outlet``, ``outlet_kind``, ``date``,
  ``date_basis``, ``date_note``, ``url``, ``title``, ``sentences_read``, ``relation_sentences``);
- ``sentences.csv``: one row per labelled relation sentence (``article_id``, ``position``,
  ``text``, ``tone``, ``ambiguous``, ``speaker``, ``rationale``, and ``tone_a``: the first
  annotator's label before disagreements with the second were settled);
- ``split.csv``: ``article_id`` → ``dev`` or ``test``, frozen in its own commit before the
  scorer was changed for these articles (:func:`make_test_split` drew it);
- ``annotator_b.csv``: the blind second annotator's labels of a sample.

Anything that fits (:func:`~minsk_moscow.tone.validation.fit_tone_params`,
:func:`~minsk_moscow.tone.model.train_tone_model`) calls :func:`refuse_test_rows` first, so the
test articles cannot leak into a fit.

>>> table = load_validation_set()
>>> sorted(table["split"].unique().tolist())
['dev', 'test']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..notebook import SEED
from ..paths import VALIDATION_DIR

__all__ = [
    "TestSplitError",
    "annotator_agreement",
    "development_sets",
    "load_validation_set",
    "load_second_annotator",
    "make_test_split",
    "refuse_test_rows",
    "seed_relation_labels",
]

_ARTICLE_COLUMNS = ("article_id", "outlet", "outlet_kind", "date", "date_basis", "date_note", "url", "title",
                    "sentences_read", "relation_sentences")
_SENTENCE_COLUMNS = ("article_id", "position", "text", "tone", "ambiguous", "speaker", "rationale")
OUTLET_KINDS = frozenset({"wire", "western", "russian_state", "belarus_state", "belarus_independent",
                          "russian_independent", "other"})
_SPEAKERS = frozenset({"belarus", "russia", "other", "reporter"})


class TestSplitError(ValueError):
    """Raised when rows of the frozen test split are given to code that fits."""

    __test__ = False  # not a pytest test class


def _read(path: Path, columns: Iterable[str]) -> pd.DataFrame:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    return table


def _ints(table: pd.DataFrame, column: str, allowed: set[int] | None, path: Path, problems: list[str]) -> None:
    values = pd.to_numeric(table[column].str.strip(), errors="coerce")
    bad = values.isna() | (~values.isin(allowed) if allowed is not None else False)
    if bad.any():
        rows = (table.index[bad] + 2).tolist()[:10]
        problems.append(f"{path.name}: {column} must be {sorted(allowed) if allowed else 'an integer'} (lines {rows})")
    table[column] = values.fillna(0).astype(int)


def load_validation_set(directory: str | Path = VALIDATION_DIR, *, split: bool = True) -> pd.DataFrame:
    """Labelled relation sentences of the validation articles, with article metadata and split.

    One row per sentence, sorted by date, article and position. Every problem is reported
    together in one ``ValueError`` naming the file and line: unknown columns, labels outside
    -1/0/+1, speakers outside belarus/russia/other/reporter, unparseable dates, duplicate
    ``(article_id, position)``, sentences of an unlisted article, listed articles without a
    sentence, articles missing from the split. With ``split=False`` the split file is not read
    (it did not exist while the labels were collected).
    """
    directory = Path(directory)
    art_path, sent_path = directory / "articles.csv", directory / "sentences.csv"
    articles = _read(art_path, _ARTICLE_COLUMNS)
    sentences = _read(sent_path, _SENTENCE_COLUMNS)
    problems: list[str] = []
    dup = articles["article_id"].duplicated(keep=False)
    if dup.any():
        problems.append(f"{art_path.name}: duplicate article_id {sorted(set(articles.loc[dup, 'article_id']))}")
    dates = pd.to_datetime(articles["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        problems.append(f"{art_path.name}: unparseable date (YYYY-MM-DD) for {articles.loc[dates.isna(), 'article_id'].tolist()}")
    articles["date"] = dates
    bad_kind = ~articles["outlet_kind"].isin(OUTLET_KINDS)
    if bad_kind.any():
        problems.append(f"{art_path.name}: outlet_kind not in {sorted(OUTLET_KINDS)} for {articles.loc[bad_kind, 'article_id'].tolist()}")
    for col in ("sentences_read", "relation_sentences"):
        _ints(articles, col, None, art_path, problems)
    _ints(sentences, "position", None, sent_path, problems)
    _ints(sentences, "tone", {-1, 0, 1}, sent_path, problems)
    _ints(sentences, "ambiguous", {0, 1}, sent_path, problems)
    if "tone_a" in sentences.columns:
        _ints(sentences, "tone_a", {-1, 0, 1}, sent_path, problems)
    else:
        sentences["tone_a"] = sentences["tone"]
    bad_speaker = ~sentences["speaker"].isin(_SPEAKERS)
    if bad_speaker.any():
        problems.append(f"{sent_path.name}: speaker not in {sorted(_SPEAKERS)} (lines {(sentences.index[bad_speaker] + 2).tolist()[:10]})")
    empty = sentences["text"].str.strip().eq("")
    if empty.any():
        problems.append(f"{sent_path.name}: empty text (lines {(sentences.index[empty] + 2).tolist()})")
    dup = sentences.duplicated(["article_id", "position"], keep=False)
    if dup.any():
        problems.append(f"{sent_path.name}: duplicate (article_id, position) (lines {(sentences.index[dup] + 2).tolist()[:10]})")
    listed, used = set(articles["article_id"]), set(sentences["article_id"])
    if used - listed:
        problems.append(f"{sent_path.name}: sentences of articles not in {art_path.name}: {sorted(used - listed)}")
    if listed - used:
        problems.append(f"{art_path.name}: articles without a labelled sentence: {sorted(listed - used)}")
    table = sentences.merge(articles.drop_duplicates("article_id"), on="article_id", how="left", validate="many_to_one")
    if split:
        split_path = directory / "split.csv"
        splits = _read(split_path, ("article_id", "split"))
        bad = ~splits["split"].isin({"dev", "test"})
        if bad.any():
            problems.append(f"{split_path.name}: split must be dev or test (lines {(splits.index[bad] + 2).tolist()})")
        if splits["article_id"].duplicated().any():
            problems.append(f"{split_path.name}: duplicate article_id {sorted(set(splits.loc[splits['article_id'].duplicated(), 'article_id']))}")
        missing = listed - set(splits["article_id"])
        if missing:
            problems.append(f"{split_path.name}: articles without a split: {sorted(missing)}")
        table = table.merge(splits[["article_id", "split"]].drop_duplicates("article_id"), on="article_id", how="left",
                            validate="many_to_one")
    if problems:
        raise ValueError("; ".join(problems))
    return table.sort_values(["date", "article_id", "position"], kind="stable").reset_index(drop=True)


def load_second_annotator(directory: str | Path = VALIDATION_DIR) -> pd.DataFrame:
    """The blind second annotator's labels: ``article_id``, ``position``, ``tone_b``,
    ``ambiguous_b``, ``speaker_b``, ``rationale_b`` (a sample of :func:`load_validation_set`)."""
    path = Path(directory) / "annotator_b.csv"
    table = _read(path, ("article_id", "position", "tone", "ambiguous", "speaker", "rationale"))
    problems: list[str] = []
    _ints(table, "position", None, path, problems)
    _ints(table, "tone", {-1, 0, 1}, path, problems)
    _ints(table, "ambiguous", {0, 1}, path, problems)
    if table.duplicated(["article_id", "position"]).any():
        problems.append(f"{path.name}: duplicate (article_id, position)")
    if problems:
        raise ValueError("; ".join(problems))
    return table.rename(columns={c: f"{c}_b" for c in ("tone", "ambiguous", "speaker", "rationale")})


def make_test_split(articles: pd.DataFrame, *, share: float = 1 / 3, seed: int = SEED) -> pd.DataFrame:
    """Draw whole articles into a test split: every article of the latest year, then per earlier year.

    Within each earlier year the articles (sorted by id) are shuffled with ``seed`` and the first
    ``ceil(share * n)`` go to test, so every year is represented in both splits where it can be
    and the test share is at least ``share``. Deterministic.

    >>> arts = pd.DataFrame({"article_id": list("abcdefg"),
    ...     "date": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01", "2020-01-01",
    ...                             "2020-02-01", "2021-01-01", "2021-05-01"])})
    >>> make_test_split(arts, seed=1)["split"].tolist()
    ['test', 'dev', 'dev', 'test', 'dev', 'test', 'test']
    """
    if not 0 < share < 1:
        raise ValueError(f"share must be in (0, 1), got {share}")
    years = pd.to_datetime(articles["date"]).dt.year
    latest = int(years.max())
    split = pd.Series("dev", index=articles.index)
    split[years == latest] = "test"
    rng = np.random.default_rng(seed)
    for year in sorted(set(years) - {latest}):
        ids = articles.loc[years == year, "article_id"].sort_values(kind="stable")
        take = int(np.ceil(share * len(ids) - 1e-9))
        chosen = set(ids.iloc[rng.permutation(len(ids))[:take]])
        split[articles["article_id"].isin(chosen)] = "test"
    return pd.DataFrame({"article_id": articles["article_id"].to_numpy(), "split": split.to_numpy()})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


@lru_cache(maxsize=4)
def _test_texts(directory: str) -> frozenset[str]:
    path = Path(directory)
    if not (path / "split.csv").is_file():
        return frozenset()
    table = load_validation_set(path)
    return frozenset(_norm(t) for t in table.loc[table["split"] == "test", "text"])


def refuse_test_rows(texts: Iterable[str], *, directory: str | Path = VALIDATION_DIR) -> None:
    """Raise :class:`TestSplitError` if any text is a sentence of the frozen test split.

    Every function that fits calls this on its training sentences, so a test article cannot
    inform a fit, however the training table was put together.

    >>> refuse_test_rows(["Moscow and Minsk agreed on gas prices."])  # not a test sentence: passes
    """
    test = _test_texts(str(Path(directory).resolve()))
    if not test:
        return
    leaked = [t for t in texts if _norm(t) in test]
    if leaked:
        raise TestSplitError(
            f"{len(leaked)} training sentence(s) belong to the frozen test split of {directory}, e.g. {leaked[0][:80]!r}: "
            "fit on development articles only")


def seed_relation_labels() -> pd.DataFrame:
    """The seed articles' hand-labelled relation sentences in the validation set's layout.

    Columns ``article_id``, ``position``, ``text``, ``tone``, ``ambiguous``, ``speaker``,
    ``rationale``, ``date``, ``outlet`` and ``split`` (``"seed"``): training data for every
    fit beside the development articles.

    >>> seeds = seed_relation_labels()
    >>> len(seeds), seeds["split"].unique().tolist()
    (93, ['seed'])
    """
    from ..paths import METADATA_FILE, SEEDS_DIR
    from .labels import load_tone_labels

    labels = load_tone_labels()
    rel = labels[labels["relation"] == 1].rename(columns={"sentence": "position"})
    meta = pd.read_csv(SEEDS_DIR / METADATA_FILE, dtype=str, keep_default_na=False)[["article_id", "date", "outlet"]]
    meta["date"] = pd.to_datetime(meta["date"], format="%Y-%m-%d")
    out = rel.merge(meta, on="article_id", how="left", validate="many_to_one")
    out["split"] = "seed"
    cols = ["article_id", "position", "text", "tone", "ambiguous", "speaker", "rationale", "date", "outlet", "split"]
    return out[cols].sort_values(["date", "article_id", "position"], kind="stable").reset_index(drop=True)


def annotator_agreement(directory: str | Path = VALIDATION_DIR) -> tuple[dict[str, float], pd.DataFrame]:
    """Agreement of the blind second annotator with the first, on the sentences both labelled.

    Returns a summary (``sentences``, ``articles``, how many of the sentences are development and
    test sentences, ``raw agreement``, ``Cohen's kappa``,
    ``weighted kappa`` (linear), ``kappa, both clear``, ``speaker kappa``) and the sentences
    they labelled differently, with both labels and rationales and the final label.
    """
    from sklearn.metrics import cohen_kappa_score

    table = load_validation_set(directory)
    both = table.merge(load_second_annotator(directory), on=["article_id", "position"], how="inner", validate="one_to_one")
    clear = (both["ambiguous"] == 0) & (both["ambiguous_b"] == 0)
    summary = {
        "sentences": len(both),
        "articles": both["article_id"].nunique(),
        "of them development sentences": int((both["split"] == "dev").sum()),
        "of them test sentences": int((both["split"] == "test").sum()),
        "raw agreement": round(float((both["tone_a"] == both["tone_b"]).mean()), 3),
        "Cohen's kappa": round(float(cohen_kappa_score(both["tone_a"], both["tone_b"])), 3),
        "weighted kappa": round(float(cohen_kappa_score(both["tone_a"], both["tone_b"], weights="linear")), 3),
        "kappa, both clear": round(float(cohen_kappa_score(both.loc[clear, "tone_a"], both.loc[clear, "tone_b"])), 3),
        "speaker kappa": round(float(cohen_kappa_score(both["speaker"], both["speaker_b"])), 3),
    }
    cols = ["article_id", "position", "text", "tone_a", "tone_b", "tone", "rationale_b"]
    return summary, both.loc[both["tone_a"] != both["tone_b"], cols].reset_index(drop=True)


def development_sets() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(dev, test, seeds)``: the validation articles split as frozen, and the seed labels.

    Every fit uses ``dev`` and ``seeds`` only; ``test`` is for :func:`~minsk_moscow.tone.compare.score_test_split`.
    """
    table = load_validation_set()
    dev = table[table["split"] == "dev"].reset_index(drop=True)
    test = table[table["split"] == "test"].reset_index(drop=True)
    return dev, test, seed_relation_labels()
