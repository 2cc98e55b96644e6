"""The supervised tone model: tokens, a reproducible shipped artefact, probabilities that behave."""

from __future__ import annotations

import numpy as np
import pytest

import minsk_moscow as mm
from minsk_moscow.tone import model as tm


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("Lukashenka met Putin in Sochi on Feb. 7, 2020.", ["_by_", "met", "_ru_", "in", "sochi", "on", "feb", "_num_", "_num_"]),
        ("The Kremlin\u2019s ally Belarus", ["the", "_ru_", "ally", "_by_"]),
        ("Moscow and Minsk co-operation", ["_ru_", "and", "_by_", "cooperation"]),
    ],
)
def test_model_tokens(text: str, tokens: list[str]) -> None:
    assert mm.model_tokens(text) == tokens


def test_shipped_model_is_the_rebuild_from_the_labels() -> None:
    """`make model` is reproducible: the same labels give the same vocabulary and settings, and weights equal to
    the optimiser's tolerance (their eighth digit may differ on another processor)."""
    rebuilt, shipped = mm.build_model(), tm.ToneModel.from_json(tm.MODEL_FILE.read_text(encoding="utf-8"))
    assert tm.same_weights(rebuilt, shipped)


def test_a_model_trained_on_other_labels_is_not_the_same() -> None:
    """The check is not blind: ten labels turned round give other weights (same texts, settings and vocabulary)."""
    train = mm.training_table()
    flipped = train.index[train["tone"] != 0][:10]
    train.loc[flipped, "tone"] = -train.loc[flipped, "tone"]
    other = mm.train_tone_model(train, **tm.MODEL_SETTINGS)
    shipped = mm.load_tone_model()
    assert other.settings == shipped.settings and other.vocabulary == shipped.vocabulary
    assert not tm.same_weights(other, shipped)


def test_shipped_model_trained_without_test_articles() -> None:
    model = mm.load_tone_model()
    train = mm.training_table()
    assert model.settings["n_train"] == len(train)
    assert set(train["split"]) == {"dev", "seed"}


def test_probabilities_and_scores() -> None:
    model = mm.load_tone_model()
    texts = ["Russia cut oil supplies to Belarus.", "Putin promised Lukashenko a new loan.", "The weather was fine."]
    p = model.probabilities(texts)
    assert p.shape == (3, 3) and np.allclose(p.sum(axis=1), 1)
    s = model.scores(texts)
    assert np.allclose(s, p[:, 2] - p[:, 0])
    assert s[0] < 0 < s[1] and np.all(np.abs(s) <= 1)
    assert model.scores([]).shape == (0,)
    assert np.allclose(model.scores(texts, features=mm.cue_features(texts)), s)


def test_json_round_trip_and_a_broken_file(tmp_path) -> None:
    model = mm.load_tone_model()
    again = tm.ToneModel.from_json(model.to_json())
    texts = mm.training_table()["text"].head(50).tolist()
    np.testing.assert_allclose(again.scores(texts), model.scores(texts))
    bad = tmp_path / "tone_model.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(RuntimeError, match="make model"):
        tm.load_tone_model.__wrapped__(bad)


def test_training_needs_every_class() -> None:
    train = mm.training_table()
    with pytest.raises(ValueError, match="lack the classes"):
        mm.train_tone_model(train[train["tone"] != 0])


def test_check_mode_reports_up_to_date(capsys) -> None:
    assert tm.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out
