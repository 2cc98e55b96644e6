"""Comparing tone methods: folds by article, forward in time, article-bootstrap agreement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import minsk_moscow as mm


@pytest.fixture(scope="module")
def dev() -> pd.DataFrame:
    table = mm.load_validation_set()
    return table[table["split"] == "dev"].reset_index(drop=True)


def test_cross_validation_holds_out_whole_articles(dev: pd.DataFrame, monkeypatch) -> None:
    seen = []
    real = mm.tone.compare.score_with

    def spy(name, train, texts, **kw):
        seen.append((set(train["text"]), set(texts)))
        return real(name, train, texts, **kw)

    monkeypatch.setattr(mm.tone.compare, "score_with", spy)
    out = mm.cross_validate(dev, methods=["rules", "always_cooperation"], k=3)
    assert out.groupby("article_id")["fold"].nunique().eq(1).all()
    assert all(not (train & scored) for train, scored in seen)
    assert out["always_cooperation"].eq(1).all() and out["rules"].between(-1, 1).all()


def test_forward_validation_trains_only_on_earlier_years(dev: pd.DataFrame, monkeypatch) -> None:
    years = []
    real = mm.tone.compare.score_with

    def spy(name, train, texts, **kw):
        years.append((train["date"].dt.year.max(), dev.loc[dev["text"].isin(texts), "date"].dt.year.min()))
        return real(name, train, texts, **kw)

    monkeypatch.setattr(mm.tone.compare, "score_with", spy)
    out = mm.forward_validate(dev, methods=["rules"])
    assert all(trained < scored for trained, scored in years)
    assert out["trained_before"].eq(out["date"].dt.year).all()


def test_method_agreement_on_a_known_case() -> None:
    table = pd.DataFrame({
        "article_id": list("aabbccdd"),
        "tone": [1, 1, -1, -1, 0, 1, -1, 1],
        "ambiguous": [0, 0, 0, 0, 1, 0, 0, 0],
        "perfect": [0.9, 0.8, -0.7, -0.9, 0.0, 0.6, -0.5, 0.4],
        "backwards": [-0.9, -0.8, 0.7, 0.9, 0.0, -0.6, 0.5, -0.4],
    })
    res = mm.method_agreement(table, ["perfect", "backwards"], n_boot=50)
    assert res.loc["perfect", "sign_accuracy"] == 1.0 and res.loc["backwards", "sign_accuracy"] == 0.0
    assert res.loc["perfect", "spearman"] > 0.8 > -0.8 > res.loc["backwards", "spearman"]
    assert res.loc["perfect", "n_clear"] == 7 and res.loc["perfect", "articles"] == 4
    assert res.loc["perfect", "sign_accuracy_lo"] <= 1.0 <= res.loc["perfect", "sign_accuracy_hi"]
    errors = mm.sign_errors(table, "backwards")
    assert len(errors) == 7


def test_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        mm.fit_method("bert", pd.DataFrame())


@pytest.mark.parametrize("a, b", [
    ([1, 0, -1, 1, 1, -1], [[0.9, 1.0, 0.2], [0.1, 1.0, 0.2], [-0.5, 1.0, 0.3], [0.9, 1.0, 0.1], [0.3, 1.0, 0.2], [-0.2, 1.0, 0.2]]),
    ([1, 1, 1, 1], [[0.1, 0.2], [0.3, 0.1], [0.2, 0.2], [0.5, 0.9]]),  # a constant label side
    ([1, -1], [[0.5], [-0.5]]),  # fewer than three values
])
def test_bootstrap_spearman_matches_spearman_rho_per_column(a, b) -> None:
    from minsk_moscow.tone.compare import _spearman_columns
    from minsk_moscow.tone.validation import spearman_rho

    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    got = _spearman_columns(a, b)
    want = [spearman_rho(a, b[:, j]) for j in range(b.shape[1])]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12, equal_nan=True)
