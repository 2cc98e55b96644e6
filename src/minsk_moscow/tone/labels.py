"""The hand-labelled sentences and the dated events table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import EVENTS_FILE, TONE_LABELS_FILE

__all__ = ["join_tone_labels", "load_events", "load_tone_labels"]

# =========================================================================== labels, events
_LABEL_COLUMNS = ("article_id", "sentence", "relation", "tone", "ambiguous", "speaker", "rationale", "text")


def load_tone_labels(path: str | Path = TONE_LABELS_FILE) -> pd.DataFrame:
    """Read the hand-labelled validation set and check it.

    One row per sentence of the seed articles: ``relation`` (1 if it concerns the
    Belarus-Russia relation), ``tone`` (-1/0/+1; 0 for non-relation sentences),
    ``ambiguous`` (1 for hard calls), ``speaker`` (whose words, hand-attributed, for
    relation sentences), ``rationale`` and the sentence ``text`` itself (so labels re-join by
    text if the splitter changes). Raises ``ValueError`` on bad values or duplicates.

    >>> labels = load_tone_labels()
    >>> int(labels["relation"].sum()), sorted(labels["tone"].unique().tolist())
    (93, [-1, 0, 1])
    """
    labels = pd.read_csv(path, dtype={"rationale": str, "speaker": str}, keep_default_na=False)
    missing = [c for c in _LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    problems = []
    for col, allowed in (("relation", {0, 1}), ("tone", {-1, 0, 1}), ("ambiguous", {0, 1})):
        bad = ~labels[col].isin(allowed)
        if bad.any():
            problems.append(f"{col} not in {sorted(allowed)} on rows {labels.index[bad].tolist()}")
    bad_speaker = (labels["relation"] == 1) & ~labels["speaker"].isin(["belarus", "russia", "other", "reporter"])
    if bad_speaker.any():
        problems.append(f"speaker missing or invalid on relation rows {labels.index[bad_speaker].tolist()}")
    off = (labels["relation"] == 0) & (labels["tone"] != 0)
    if off.any():
        problems.append(f"non-relation rows with a tone: {labels.index[off].tolist()}")
    for key in (["article_id", "sentence"], ["article_id", "text"]):
        dup = labels.duplicated(key, keep=False)
        if dup.any():
            problems.append(f"duplicate {key} on rows {labels.index[dup].tolist()}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return labels


def join_tone_labels(sentences: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Attach hand labels to a sentence table by article and sentence text (not position).

    The label columns arrive prefixed: ``label_relation``, ``label_tone``,
    ``label_ambiguous``, ``label_speaker``, ``label_rationale``. Sentences without a label get
    NA; labels whose text is no longer a sentence are listed in
    ``result.attrs["labels_unmatched"]`` as ``(article_id, text)`` pairs. A sentence that an
    article repeats word for word gets its label at each occurrence; two labels for the same
    ``(article_id, text)`` are an error.

    >>> sents = pd.DataFrame({"article_id": ["a", "a"], "text": ["One.", "Two."]})
    >>> labels = pd.DataFrame({"article_id": ["a", "a"], "text": ["Two.", "Gone."], "relation": [1, 0],
    ...     "tone": [1, 0], "ambiguous": [0, 0], "speaker": ["reporter", ""], "rationale": ["", ""]})
    >>> joined = join_tone_labels(sents, labels)
    >>> joined["label_tone"].tolist(), joined.attrs["labels_unmatched"]
    ([<NA>, 1], [('a', 'Gone.')])
    """
    cols = ["relation", "tone", "ambiguous", "speaker", "rationale"]
    renamed = labels[["article_id", "text", *cols]].rename(columns={c: f"label_{c}" for c in cols})
    added = list(renamed.columns[2:])
    labelled = sentences["article_id"].isin(renamed["article_id"]).to_numpy(dtype=bool)
    if labelled.all() or any(col in sentences.columns for col in added):  # (merge's suffixes name clashes)
        merged = sentences.merge(renamed, on=["article_id", "text"], how="left", validate="many_to_one")
        keyed = sentences
    else:
        # Only the sentences of labelled articles are matched (a large corpus has few or none of them): the
        # same table as merging them all, without hashing every sentence of the corpus.
        keyed = sentences.loc[labelled, ["article_id", "text"]]
        found = keyed.merge(renamed, on=["article_id", "text"], how="left", validate="many_to_one")
        merged = sentences.reset_index(drop=True)
        for col in added:  # unlabelled rows get NaN, as the merge gives them
            merged[col] = found[col].set_axis(np.flatnonzero(labelled)).reindex(range(len(merged)))
    for col in ("label_relation", "label_tone", "label_ambiguous"):
        merged[col] = merged[col].astype("Int64")
    keys = set(zip(keyed["article_id"], keyed["text"]))
    unmatched = [(a, t) for a, t in zip(labels["article_id"], labels["text"]) if (a, t) not in keys]
    merged.attrs["labels_unmatched"] = unmatched
    return merged


def load_events(path: str | Path = EVENTS_FILE) -> pd.DataFrame:
    """The dated key-events table: ``date`` (Timestamp), ``label``, ``event``, ``source``.

    >>> load_events()["label"].iloc[0]
    '33 Russians arrested'
    """
    events = pd.read_csv(path, parse_dates=["date"])
    missing = [c for c in ("date", "label", "event", "source") if c not in events.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    if events["source"].fillna("").str.strip().eq("").any():
        raise ValueError(f"{path}: every event needs a source")
    return events.sort_values("date").reset_index(drop=True)


