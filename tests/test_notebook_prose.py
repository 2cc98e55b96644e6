"""Every decimal number in a notebook's prose is printed by its code (or written in it): prose cannot drift from the outputs."""

from __future__ import annotations

import json
import re

import pytest

import minsk_moscow as mm

# Notebooks whose prose is held to this rule (all of 04; the others are checked by their own tests).
CHECKED = ["04_relation_tone.ipynb"]
_NUMBER = re.compile(r"(?<![\w.])[−+-]?\d+\.\d+")


def _texts(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    prose, outputs = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            prose.append("".join(cell["source"]))
        else:  # a parameter written in the code beside the prose counts as printed
            outputs.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            if "text" in out:
                outputs.append("".join(out["text"]))
            for kind in ("text/plain", "text/html"):
                if kind in out.get("data", {}):
                    outputs.append("".join(out["data"][kind]))
    return "\n".join(prose), "\n".join(outputs)


def _key(number: str) -> str:
    return number.replace("−", "-").lstrip("+-")


@pytest.mark.parametrize("name", CHECKED)
def test_every_decimal_in_the_prose_is_in_the_outputs(name: str) -> None:
    prose, outputs = _texts(mm.NOTEBOOKS_DIR / name)
    printed = {_key(m) for m in _NUMBER.findall(outputs)}
    # a table cell may print 0.5 for 0.500, or 0.00 as 0.0: compare as numbers at the prose's precision
    printed_values = {round(float(p), 3) for p in printed}
    missing = sorted({n for n in _NUMBER.findall(prose) if _key(n) not in printed and round(float(_key(n)), 3) not in printed_values})
    assert missing == [], f"{name}: numbers in the prose that no output prints: {missing}"


def test_readme_figures_are_printed_by_the_notebooks() -> None:
    """The README's numbers come from the committed notebooks' outputs."""
    readme = (mm.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    printed: set[str] = set()
    for path in sorted(mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        printed |= {_key(m) for m in _NUMBER.findall(_texts(path)[1])}
    conventions = {"3.11", "1.96"}  # "Python 3.11" is a requirement; 1.96 the usual 5% threshold of a z-score
    missing = sorted({n for n in _NUMBER.findall(readme) if _key(n) not in printed | conventions})
    assert missing == [], f"README numbers that no notebook prints: {missing}"
