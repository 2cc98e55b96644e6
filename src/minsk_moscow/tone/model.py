"""A supervised tone model: logistic regression over word n-grams and the rules' cue features.

The model reads a sentence as (a) its word uni- and bigrams, with every actor of either side
replaced by a side token (``_by_`` for Lukashenko, Minsk, Belarus...; ``_ru_`` for Putin, the
Kremlin, Moscow...) and numbers by ``_num_``, so that what it learns about "_ru_ cut supplies
to _by_" carries over to other people, years and outlets; and (b) the signed cue sums of the
rule engine (:func:`~minsk_moscow.tone.rules.cue_features`) with the rule score itself. A
multinomial logistic regression over labels -1/0/+1 gives three probabilities; the tone is
``P(+1) - P(-1)``: the expected hand label, in [-1, 1].

Training (:func:`train_tone_model`) uses scikit-learn and refuses sentences of the frozen test
split. Scoring (:meth:`ToneModel.scores`) needs only NumPy and SciPy: the fitted weights ship
inside the package as a small JSON file (``tone/data/tone_model.json``), rebuilt by
``make model`` (``python -m minsk_moscow.tone.model``) from the labelled sentences; the same
labels always give the same file.

>>> model = load_tone_model()
>>> model.scores(["Russia cut oil supplies to Belarus.", "Putin promised Lukashenko a loan."]).round(1).tolist()[0] < 0
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..aliases import SPELLING_VARIANTS
from .devset import development_sets, refuse_test_rows
from .finder import RELATION_ACTORS, _fold
from .lexicon import DATA_DIR
from .rules import DEFAULT_LEXICON, Lexicon, cue_features

__all__ = ["MODEL_FILE", "MODEL_SETTINGS", "ToneModel", "build_model", "load_tone_model", "model_tokens", "train_tone_model", "training_table"]

MODEL_FILE: Path = DATA_DIR / "tone_model.json"
"""The shipped model's weights (written by ``make model``)."""

# A word (its possessive 's dropped) or a number; findall gives (digit, word) pairs.
_WORD = re.compile(r"(\d)[\d.,]*|([a-z]+(?:'(?!s\b)[a-z]+)?)(?:'s\b)?")
_CLASSES = (-1, 0, 1)
_DENSE = ("verbal_main", "material_main", "verbal_before", "material_before", "n_cues", "rule_score")


def _token_map() -> dict[str, str]:
    """Every spelling variant and actor word mapped to the token the model sees."""
    out = {}
    for word in {*SPELLING_VARIANTS, *RELATION_ACTORS}:
        canonical = SPELLING_VARIANTS.get(word, word)
        side = RELATION_ACTORS.get(canonical)
        out[word] = canonical if side is None else ("_by_" if side == "belarus" else "_ru_")
    return out


_TOKEN_MAP = _token_map()


def model_tokens(sentence: str) -> list[str]:
    """The words the model sees: lower-cased, actors as side tokens, numbers as ``_num_``.

    >>> model_tokens("Lukashenka met Putin in Sochi on Feb. 7, 2020.")
    ['_by_', 'met', '_ru_', 'in', 'sochi', 'on', 'feb', '_num_', '_num_']
    """
    get = _TOKEN_MAP.get
    return [get(w, w) if w else "_num_" for d, w in _WORD.findall(_fold(sentence).replace("co-operation", "cooperation"))]


def _ngrams(sentence: str, n_max: int) -> list[str]:
    toks = model_tokens(sentence)
    grams = list(toks)
    for n in range(2, n_max + 1):
        grams.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return grams


def _dense(sentences: Sequence[str], lexicon: Lexicon, features: pd.DataFrame | None = None) -> np.ndarray:
    feats = (cue_features(sentences, lexicon=lexicon) if features is None else features).copy()
    raw = feats["verbal_main"] + 2.0 * feats["material_main"]
    feats["rule_score"] = np.tanh(raw.to_numpy(dtype=float))
    feats["n_cues"] = np.log1p(feats["n_cues"].to_numpy(dtype=float))
    return feats[list(_DENSE)].to_numpy(dtype=float)


@dataclass(frozen=True)
class ToneModel:
    """Fitted weights of the tone model (see the module docstring).

    ``vocabulary`` maps each n-gram to its column; ``coef`` has one row per class (-1, 0, +1)
    over the n-gram columns followed by the dense cue columns (``dense`` names them; empty for
    an n-gram-only model); ``settings`` records how it was trained.
    """

    vocabulary: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    dense: tuple[str, ...] = _DENSE
    settings: dict = field(default_factory=dict)
    lexicon: Lexicon = field(default=DEFAULT_LEXICON, repr=False)

    @cached_property
    def _lookups(self) -> tuple[dict[str, int], dict[tuple[str, ...], int]]:
        uni = {g: i for g, i in self.vocabulary.items() if " " not in g}
        bi = {tuple(g.split(" ")): i for g, i in self.vocabulary.items() if g.count(" ") == 1}
        return uni, bi

    def matrix(self, sentences: Sequence[str], *, features: pd.DataFrame | None = None) -> sparse.csr_matrix:
        """Binary n-gram indicators (and the dense cue columns) for ``sentences``.

        ``features``: the sentences' :func:`~minsk_moscow.tone.rules.cue_features`, if already
        computed with the model's lexicon (saves a second pass)."""
        n_max = int(self.settings.get("ngram_max", 2))
        indptr, cols = [0], []
        if n_max <= 2:  # the shipped case: look unigrams and bigram tuples up without building strings
            uni, bi = self._lookups
            for s in sentences:
                toks = model_tokens(s)
                seen = set(map(uni.get, toks))
                seen.update(map(bi.get, zip(toks, toks[1:])))
                seen.discard(None)
                cols.extend(seen)
                indptr.append(len(cols))
        else:
            for s in sentences:
                cols.extend({self.vocabulary[g] for g in _ngrams(s, n_max) if g in self.vocabulary})
                indptr.append(len(cols))
        X = sparse.csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(sentences), len(self.vocabulary)))
        if self.dense:
            X = sparse.hstack([X, sparse.csr_matrix(_dense(sentences, self.lexicon, features))], format="csr")
        return X

    def probabilities(self, sentences: Iterable[str], *, features: pd.DataFrame | None = None) -> np.ndarray:
        """P(-1), P(0), P(+1) per sentence (rows sum to 1)."""
        sentences = list(sentences)
        if not sentences:
            return np.zeros((0, 3))
        logits = np.asarray(self.matrix(sentences, features=features) @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def scores(self, sentences: Iterable[str], *, features: pd.DataFrame | None = None) -> np.ndarray:
        """The tone: ``P(+1) - P(-1)`` per sentence, in [-1, 1]."""
        p = self.probabilities(sentences, features=features)
        return p[:, 2] - p[:, 0]

    def to_json(self) -> str:
        """A stable JSON text of the weights (sorted vocabulary, fixed float format)."""
        order = sorted(self.vocabulary, key=self.vocabulary.get)
        payload = {
            "settings": self.settings,
            "classes": list(_CLASSES),
            "dense": list(self.dense),
            "intercept": [float(f"{v:.8g}") for v in self.intercept],
            "ngrams": order,
            "coef": [[float(f"{v:.8g}") for v in row] for row in self.coef],
        }
        return json.dumps(payload, indent=0, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, *, lexicon: Lexicon = DEFAULT_LEXICON) -> ToneModel:
        data = json.loads(text)
        vocabulary = {g: i for i, g in enumerate(data["ngrams"])}
        return cls(vocabulary, np.asarray(data["coef"], dtype=float), np.asarray(data["intercept"], dtype=float),
                   tuple(data["dense"]), data["settings"], lexicon)


def same_weights(a: ToneModel, b: ToneModel, *, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """Whether two models have the same settings, vocabulary and features and weights equal to ``rtol`` / ``atol``.

    Training stops at the optimiser's tolerance (``tol=1e-8``), and the same labels trained on another
    processor can give weights that differ in their eighth digit (BLAS picks its kernels by processor),
    far below anything a score shows; :func:`main` ``--check`` and the tests compare models with this.

    >>> model = load_tone_model()
    >>> same_weights(model, ToneModel.from_json(model.to_json().replace("0.", "0.00", 1)))
    False
    >>> same_weights(model, ToneModel(model.vocabulary, model.coef * (1 + 1e-9), model.intercept, model.dense,
    ...                                  model.settings, model.lexicon))
    True
    """
    return (a.settings == b.settings and a.vocabulary == b.vocabulary and tuple(a.dense) == tuple(b.dense)
            and a.coef.shape == b.coef.shape and a.intercept.shape == b.intercept.shape
            and bool(np.allclose(a.coef, b.coef, rtol=rtol, atol=atol))
            and bool(np.allclose(a.intercept, b.intercept, rtol=rtol, atol=atol)))


@lru_cache(maxsize=2)
def load_tone_model(path: str | Path = MODEL_FILE) -> ToneModel:
    """The shipped model (cached). A missing or unreadable file says how to rebuild it."""
    path = Path(path)
    try:
        return ToneModel.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"{path}: cannot read the tone model ({exc}); rebuild it with `make model`") from exc


def train_tone_model(
    table: pd.DataFrame,
    *,
    text: str = "text",
    label: str = "tone",
    C: float = 1.0,
    dense: bool = True,
    ngram_max: int = 2,
    min_df: int = 2,
    class_weight: str | None = None,
    lexicon: Lexicon = DEFAULT_LEXICON,
) -> ToneModel:
    """Fit the model on labelled relation sentences (never on the frozen test split).

    Parameters
    ----------
    table
        Labelled sentences with ``text`` and ``label`` (-1/0/+1) columns.
    C
        Inverse L2 regularisation strength of the logistic regression.
    dense
        Add the rule engine's cue features (the hybrid); ``False`` gives an n-gram-only model.
    ngram_max, min_df
        Longest n-gram, and the fewest training sentences an n-gram must occur in.
    """
    from sklearn.linear_model import LogisticRegression

    texts = table[text].astype(str).tolist()
    refuse_test_rows(texts)
    y = table[label].astype(int).to_numpy()
    missing = sorted(set(_CLASSES) - set(y))
    if missing:
        raise ValueError(f"training labels lack the classes {missing}: need examples of -1, 0 and +1")
    counts: dict[str, int] = {}
    for s in texts:
        for g in set(_ngrams(s, ngram_max)):
            counts[g] = counts.get(g, 0) + 1
    vocab_list = sorted(g for g, c in counts.items() if c >= min_df)
    vocabulary = {g: i for i, g in enumerate(vocab_list)}
    settings = {"C": C, "ngram_max": ngram_max, "min_df": min_df, "class_weight": class_weight, "n_train": len(texts), "lexicon": lexicon.name}
    draft = ToneModel(vocabulary, np.zeros((3, 0)), np.zeros(3), _DENSE if dense else (), settings, lexicon)
    X = draft.matrix(texts)
    clf = LogisticRegression(C=C, max_iter=5000, tol=1e-8, class_weight=class_weight)
    clf.fit(X, y)
    assert tuple(clf.classes_) == _CLASSES
    return ToneModel(vocabulary, clf.coef_.copy(), clf.intercept_.copy(), draft.dense, settings, lexicon)


MODEL_SETTINGS: dict = {"C": 0.3, "dense": True, "ngram_max": 2, "min_df": 2, "class_weight": "balanced"}
"""How the shipped model is trained (chosen by cross-validation on the development articles)."""


def training_table() -> pd.DataFrame:
    """The sentences the shipped model learns from: development articles and the seed articles."""
    dev, _, seeds = development_sets()
    return pd.concat([dev, seeds], ignore_index=True)


def build_model(settings: dict | None = None) -> ToneModel:
    """Train the shipped model from the labelled files (deterministic)."""
    return train_tone_model(training_table(), **(settings or MODEL_SETTINGS))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m minsk_moscow.tone.model [--check]``: write (or check) ``tone/data/tone_model.json``."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="only check that the shipped file is up to date")
    args = parser.parse_args(argv)
    model = build_model()
    text = model.to_json()
    if args.check:
        try:
            current = ToneModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError):
            current = None
        if current is None or not same_weights(current, model):
            print(f"{MODEL_FILE} is out of date: run `make model`")
            return 1
        print(f"{MODEL_FILE} is up to date")
        return 0
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
