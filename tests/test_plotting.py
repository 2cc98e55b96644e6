"""The one figure helper: naming rule, output folder, stable bytes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import minsk_moscow as mm


def _figure():
    mm.use_style()
    fig, ax = plt.subplots()
    ax.bar(["mt-2020-08-05", "ft-2020-08-15"], [1, 2])
    ax.set(title="Sentences per article", xlabel="article", ylabel="sentences")
    return fig


@pytest.mark.parametrize("name", ["tfidf", "2_tfidf", "02-tfidf", "02_TF-IDF", "02_tfidf.png"])
def test_save_fig_rejects_names_that_do_not_trace_to_a_notebook(tmp_path, name):
    fig = _figure()
    with pytest.raises(ValueError, match="NN_lower_case_words"):
        mm.save_fig(fig, name, folder=tmp_path)
    plt.close(fig)


def test_save_fig_writes_identical_bytes_without_software_metadata(tmp_path):
    fig = _figure()
    first = mm.save_fig(fig, "01_example", folder=tmp_path / "a").read_bytes()
    second = mm.save_fig(fig, "01_example", folder=tmp_path / "b").read_bytes()
    plt.close(fig)
    assert first == second
    assert first.startswith(b"\x89PNG") and b"Matplotlib" not in first


def test_save_fig_follows_the_figures_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("MINSK_MOSCOW_FIGURES", str(tmp_path / "out"))
    fig = _figure()
    path = mm.save_fig(fig, "01_example")
    plt.close(fig)
    assert path == tmp_path / "out" / "01_example.png" and path.exists()
