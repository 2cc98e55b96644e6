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


def test_save_fig_never_leaves_a_half_written_figure(tmp_path, monkeypatch):
    """The tests rewrite figures/ while an end-to-end run checks that it is untouched: a reader must
    find the old file whole (or the new one) at every moment of the write."""
    from matplotlib.figure import Figure

    fig = _figure()
    old = mm.save_fig(fig, "01_example", folder=tmp_path).read_bytes()
    seen = []
    write = Figure.savefig

    def slow_write(self, fname, **kwargs):
        write(self, fname, **kwargs)
        seen.append((tmp_path / "01_example.png").read_bytes())  # written, not yet in place

    monkeypatch.setattr(Figure, "savefig", slow_write)
    fig.suptitle("a new version")
    new = mm.save_fig(fig, "01_example", folder=tmp_path).read_bytes()
    plt.close(fig)
    assert seen == [old] and new != old  # during the write the old figure was still there, whole
    assert [p.name for p in tmp_path.iterdir()] == ["01_example.png"]  # no part file left


def test_save_fig_follows_the_figures_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("MINSK_MOSCOW_FIGURES", str(tmp_path / "out"))
    fig = _figure()
    path = mm.save_fig(fig, "01_example")
    plt.close(fig)
    assert path == tmp_path / "out" / "01_example.png" and path.exists()


def _many_articles(n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "article_id": [f"a{i:04d}" for i in range(n)],
        "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "date_basis": "stated",
        "n_words": rng.integers(300, 900, n),
        "n_sentences": rng.integers(10, 40, n),
    })


def test_article_lengths_bar_per_article_for_a_small_corpus():
    corpus = mm.load_corpus()
    fig = mm.plot_article_lengths(corpus)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == corpus["article_id"].tolist()
    assert [p.get_width() for p in ax.patches] == corpus["n_words"].tolist()
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    plt.close(fig)


@pytest.mark.parametrize("n", [31, 500])
def test_article_lengths_become_a_histogram_for_many_articles(n):
    corpus = _many_articles(n)
    fig = mm.plot_article_lengths(corpus, max_bars=30)
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == n  # every article counted once
    assert not ax.get_yticklabels() or "a0000" not in {t.get_text() for t in ax.get_yticklabels()}
    assert fig.get_size_inches().tolist() == [9, 4.5]  # no growth with the number of articles
    assert f"{n:,} articles" in ax.get_title()
    plt.close(fig)


def test_timeline_becomes_monthly_bars_for_many_articles():
    corpus = _many_articles(300)
    fig = mm.plot_article_timeline(corpus)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "articles per month"
    assert sum(p.get_height() for p in ax.patches) == 300 and not ax.texts[1:]
    plt.close(fig)
