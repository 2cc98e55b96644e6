"""All paths come from one place and can be redirected for another corpus."""

from __future__ import annotations

import minsk_moscow as mm


def test_defaults_point_into_the_project():
    assert (mm.PROJECT_ROOT / "pyproject.toml").exists()
    assert mm.corpus_dir() == mm.SEEDS_DIR and (mm.SEEDS_DIR / "articles.csv").exists()
    assert mm.figures_dir() == mm.FIGURES_DIR


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("MINSK_MOSCOW_CORPUS", str(tmp_path / "mine"))
    monkeypatch.setenv("MINSK_MOSCOW_FIGURES", str(tmp_path / "figs"))
    assert mm.corpus_dir() == tmp_path / "mine"
    assert mm.figures_dir() == tmp_path / "figs"
    monkeypatch.setenv("MINSK_MOSCOW_CORPUS", "  ")
    assert mm.corpus_dir() == mm.SEEDS_DIR
