"""What the end-to-end tests share: ``make run CORPUS=...`` as a user runs it, and the checks every re-run must pass.

Used by ``tests/test_rerun.py`` (the test corpora of ``tests/corpora.py``) and
``tests/test_own_corpus.py`` (one folder mixing what a new user's articles may hold).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import nbformat

import minsk_moscow as mm

NOTEBOOKS = sorted(mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _digest(paths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def make_run(corpus: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    """``make run CORPUS=corpus OUT=out [options]`` from the project root, without any ``MINSK_MOSCOW_*`` setting.

    Also checks that the committed notebooks and figures are not touched.
    """
    before = _digest(NOTEBOOKS) | _digest(mm.FIGURES_DIR.glob("*.png"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINSK_MOSCOW_")}
    result = subprocess.run(["make", "--no-print-directory", "run", f"CORPUS={corpus}", f"OUT={out}", *options],
                            cwd=mm.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800)
    after = _digest(NOTEBOOKS) | _digest(mm.FIGURES_DIR.glob("*.png"))
    assert after == before, "make run CORPUS=... must not touch the committed notebooks or figures/"
    return result


def seed_prose() -> list[str]:
    """Every paragraph of the committed notebooks' seed-study prose."""
    texts = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if "seed-prose" in cell.metadata.get("tags", []):
                texts += [p.strip() for p in cell.source.split("\n\n") if len(p.strip()) > 40 and "](0" not in p]
    return texts


def output_texts(nb_path: Path) -> list[str]:
    """The text of every output of a notebook's code cells (streams and plain-text results)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return ["".join(o.get("text") or o.get("data", {}).get("text/plain", ""))
            for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]


def check_run(result: subprocess.CompletedProcess, out: Path) -> None:
    """A re-run finished and tells the truth.

    Exit code 0 and no traceback; no step stopped or failed in the report; every notebook
    executed to its last cell without an error output; none of the seed study's prose left in
    it; a banner naming the corpus in each; every notebook in the report.
    """
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
    assert "Traceback" not in result.stderr + result.stdout
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "stopped" not in report and " failed" not in report, report
    prose = seed_prose()
    for path in NOTEBOOKS:
        nb = nbformat.read(out / path.name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), path.name
        outputs = [o for c in code for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], path.name
        text = "\n".join(o.get("text", "") + "".join(o.get("data", {}).get("text/plain", "")) for o in outputs)
        assert "Traceback" not in text, path.name
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        leaked = [p[:60] for p in prose if p in markdown]
        assert not leaked, f"{path.name}: seed prose in a re-run: {leaked}"
        assert "> **A re-run on `" in markdown, f"{path.name}: no banner naming the corpus"
    for path in NOTEBOOKS:
        assert f"**{path.stem}**" in report
