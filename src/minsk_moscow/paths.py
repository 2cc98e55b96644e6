"""Every path the project uses, defined in one place.

The corpus folder and the output folders can be redirected with environment variables, so
the same notebooks run on another folder of articles without editing them:

- ``MINSK_MOSCOW_CORPUS``: folder of ``.txt`` articles (default: the project's ``seeds/``).
- ``MINSK_MOSCOW_FIGURES``: where figures are written (default: the project's ``figures/``).

>>> SEEDS_DIR.name, FIGURES_DIR.name
('seeds', 'figures')
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "FIGURES_DIR",
    "METADATA_FILE",
    "NOTEBOOKS_DIR",
    "PROJECT_ROOT",
    "SEEDS_DIR",
    "EVENTS_FILE",
    "TONE_LABELS_FILE",
    "VALIDATION_DIR",
    "VALIDATION_EVENTS_FILE",
    "corpus_dir",
    "figures_dir",
]

PROJECT_ROOT: Path = Path(__file__).resolve().parents[2]
SEEDS_DIR: Path = PROJECT_ROOT / "seeds"
FIGURES_DIR: Path = PROJECT_ROOT / "figures"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
METADATA_FILE: str = "articles.csv"
"""Name of the metadata table looked for inside a corpus folder."""
EVENTS_FILE: Path = SEEDS_DIR / "events.csv"
"""Dated key events of the story, each with a source (used to annotate time axes)."""
TONE_LABELS_FILE: Path = SEEDS_DIR / "relation_labels.csv"
"""Hand-labelled tone of the seed articles' relation sentences (validation set)."""
VALIDATION_DIR: Path = PROJECT_ROOT / "validation"
"""Hand-labelled relation sentences from real articles outside the seeds: ``GUIDE.md`` (the
labelling guide), ``articles.csv``, ``sentences.csv``, ``split.csv`` (the frozen
development/test split) and ``annotator_b.csv`` (the blind second annotator)."""
VALIDATION_EVENTS_FILE: Path = VALIDATION_DIR / "events.csv"
"""Dated key events of 2019-2025, each sourced to a validation article (the long-run panel)."""


def corpus_dir() -> Path:
    """The corpus folder in use: ``$MINSK_MOSCOW_CORPUS`` if set, else :data:`SEEDS_DIR`."""
    value = os.environ.get("MINSK_MOSCOW_CORPUS", "").strip()
    return Path(value).expanduser().resolve() if value else SEEDS_DIR


def figures_dir() -> Path:
    """The figure folder in use: ``$MINSK_MOSCOW_FIGURES`` if set, else :data:`FIGURES_DIR`."""
    value = os.environ.get("MINSK_MOSCOW_FIGURES", "").strip()
    return Path(value).expanduser().resolve() if value else FIGURES_DIR
