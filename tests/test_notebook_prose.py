"""Every decimal number in the notebooks' prose and the README is printed by the notebooks' code (or written in it)."""

from __future__ import annotations

import json
import re

import pytest

import minsk_moscow as mm

CHECKED = sorted(p.name for p in mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
CONVENTIONS = {"3.11", "1.96"}  # "Python 3.11" is a requirement; 1.96 the usual 5% threshold of a z-score
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


def _unprinted(prose: str, outputs: str) -> list[str]:
    """Decimals of ``prose`` that no output prints, at the prose's precision (a percentage may
    print as a share: 40.2 for 0.402)."""
    printed = {_key(m) for m in _NUMBER.findall(outputs)}
    values = [float(p) for p in printed]
    missing = set()
    for number in _NUMBER.findall(prose):
        key = _key(number)
        if key in printed or key in CONVENTIONS:
            continue
        digits, value = len(key.split(".")[1]), float(key)
        if not any(round(v, digits) == value or round(100 * v, digits) == value for v in values):
            missing.add(number)
    return sorted(missing)


@pytest.mark.parametrize("name", CHECKED)
def test_every_decimal_in_the_prose_is_in_the_outputs(name: str) -> None:
    prose, outputs = _texts(mm.NOTEBOOKS_DIR / name)
    missing = _unprinted(prose, outputs)
    assert missing == [], f"{name}: numbers in the prose that no output prints: {missing}"


def test_readme_figures_are_printed_by_the_notebooks() -> None:
    """The README's numbers come from the committed notebooks' outputs."""
    readme = (mm.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    outputs = "\n".join(_texts(path)[1] for path in sorted(mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    missing = _unprinted(readme, outputs)
    assert missing == [], f"README numbers that no notebook prints: {missing}"
