"""The cue lexicon files: every cue is readable, fires on its example, and the example scores its sign."""

from __future__ import annotations

import numpy as np
import pytest

import minsk_moscow as mm
from minsk_moscow.tone import rules


def _cue_cases(lexicon: mm.Lexicon) -> list:
    return [pytest.param(lexicon, c, id=f"{lexicon.name}: {c.note}") for c in lexicon.cues]


@pytest.mark.parametrize("lexicon, cue", _cue_cases(mm.DEFAULT_LEXICON) + _cue_cases(mm.SEED_LEXICON))
def test_every_cue_fires_on_its_example_with_the_expected_sign(lexicon: mm.Lexicon, cue: mm.Cue) -> None:
    hits = mm.cue_hits([cue.example], lexicon=lexicon)
    assert (hits["note"] == cue.note).any(), f"{cue.note!r} does not fire on {cue.example!r}: {hits[['cue', 'note']].values.tolist()}"
    f = mm.cue_features([cue.example], lexicon=lexicon).iloc[0]
    raw = f["verbal_main"] + 1.5 * f["material_main"]
    assert np.sign(raw) == cue.expect, hits[["cue", "effect", "factor"]].values.tolist()


def test_lexicon_rows_are_complete() -> None:
    for lexicon in (mm.DEFAULT_LEXICON, mm.SEED_LEXICON):
        for cue in lexicon.cues:
            assert cue.cls in mm.CUE_CLASSES and cue.note and cue.example and cue.expect in (-1, 1)
    classes = {c.cls for c in mm.DEFAULT_LEXICON.cues}
    assert classes == set(mm.CUE_CLASSES)
    assert len(mm.DEFAULT_LEXICON.cues) > len(mm.SEED_LEXICON.cues)


@pytest.mark.parametrize(
    "row, message",
    [
        ("agree\\w*,verbal_friendship,05,x,They agreed.,1", "class 'verbal_friendship'"),
        ("agree(,verbal_cooperation,05,x,They agreed.,1", "not a regular expression"),
        ("agree\\w*,verbal_cooperation,05,x,They agreed.,2", "expect must be"),
        ("\\bagree,verbal_cooperation,05,x,They agreed.,1", "must start with a letter"),
    ],
)
def test_bad_lexicon_rows_are_reported_with_file_and_line(tmp_path, row: str, message: str) -> None:
    path = tmp_path / "cues.csv"
    path.write_text("pattern,class,cameo,note,example,expect\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2") as err:
        mm.read_cues(path)
    assert message in str(err.value) and "cues.csv" in str(err.value)


def test_missing_columns_and_unknown_flags(tmp_path) -> None:
    path = tmp_path / "cues.csv"
    path.write_text("pattern,class\nagree,verbal_cooperation\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        mm.read_cues(path)
    path.write_text("pattern,class,cameo,note,example,expect,flags\nagree,verbal_cooperation,05,x,They agree.,1,loud\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="flags"):
        mm.read_cues(path)


def test_qualifying_but_clause_leaves_the_main_clause_in_charge() -> None:
    text = "Russia is ready to provide help to Minsk, but so far no request has been made."
    revised = mm.cue_features([text]).iloc[0]
    assert revised["verbal_main"] > 0 and revised["verbal_before"] == 0
    seed = mm.cue_features([text], lexicon=mm.SEED_LEXICON).iloc[0]
    assert seed["verbal_main"] <= 0  # as first shipped, the "but" clause took all the weight


def test_seed_lexicon_runs_without_the_revised_rules() -> None:
    assert not mm.SEED_LEXICON.revised and mm.DEFAULT_LEXICON.revised
    text = "The Kremlin put pressure on Minsk to accept deeper integration."
    effects = mm.cue_hits([text], lexicon=mm.SEED_LEXICON)["effect"].tolist()
    assert not any(e.startswith("dropped: object") for e in effects)
    assert rules.SEED_LEXICON is mm.SEED_LEXICON
