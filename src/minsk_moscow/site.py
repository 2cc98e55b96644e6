"""Build the reader's site: the README and the notebooks as static HTML (``make site``).

The site source is generated into ``build/site-src/`` and built by Sphinx with myst-nb and the
book theme into ``build/site/`` (``index.html`` is the README). The committed notebooks are shown
as they are, never re-executed, and the pages load nothing from another host.

What the builder does to its *copies* (``notebooks/``, ``README.md`` and ``figures/`` are only read):

- every code cell gets the ``hide-input`` tag, so the code sits behind a toggle and outputs stay;
- the code cell that calls ``mm.save_fig(fig, "NAME")`` gets the alt text of ``NAME`` from
  ``docs/figure_alt.csv`` (a figure without one is a :class:`SiteError`);
- links between repository files become links between pages (``notebooks/04_relation_tone.ipynb``
  -> ``04_relation_tone.ipynb``); links to files that are not on the site become plain text;
- every ``*.html`` in ``build/interactive/`` is shown on the Explore page in a frame, under its
  ``<title>`` and ``<meta name="description">``.

Configuration lives in ``docs/``: ``conf.py`` (the Sphinx template), ``glossary.md``,
``figure_alt.csv`` and ``_static/`` (the site's CSS and the Explore page's script).

>>> figure_name('fig = plot(x)\\nmm.save_fig(fig, "04_long_run")')
'04_long_run'
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import io
import json
import posixpath
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

from .paths import FIGURES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT

__all__ = [
    "DOCS_DIR",
    "INTERACTIVE_DIR",
    "SITE_DIR",
    "SITE_SRC_DIR",
    "Chart",
    "SiteError",
    "build_site",
    "explore_page",
    "figure_name",
    "interactive_charts",
    "main",
    "read_figure_alt",
    "remote_assets",
    "rewrite_links",
]

DOCS_DIR: Path = PROJECT_ROOT / "docs"
"""The site's committed configuration: ``conf.py``, ``glossary.md``, ``figure_alt.csv``, ``_static/``."""
SITE_SRC_DIR: Path = PROJECT_ROOT / "build" / "site-src"
"""Where the site source is generated (wiped and rewritten by every build)."""
SITE_DIR: Path = PROJECT_ROOT / "build" / "site"
"""Where the HTML site is written; open ``index.html``."""
INTERACTIVE_DIR: Path = PROJECT_ROOT / "build" / "interactive"
"""Self-contained interactive charts (``*.html``) shown on the Explore page, when present."""
README_FILE: Path = PROJECT_ROOT / "README.md"

MARKER = ".built-by-minsk-moscow-site"
"""File left in every folder the builder writes: only such folders are ever deleted."""
EXPLORE_PAGE = "explore"
GLOSSARY_PAGE = "glossary"
INTERACTIVE_URL = "interactive"
"""Folder of the interactive charts inside the built site."""

_SAVE_FIG = re.compile(r"""save_fig\(\s*[^,()]*,\s*(?:name\s*=\s*)?["'](\d{2}_[a-z0-9_]+)["']""")
_LINK = re.compile(r"""(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+"[^"]*")?\)""")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ASSET_ATTRS: Mapping[str, str] = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}
"""The attribute of each tag through which a page loads something by itself."""


class SiteError(RuntimeError):
    """The site cannot be built as asked (missing alt text, a bad chart file, a Sphinx error...)."""


@dataclass(frozen=True)
class Chart:
    """One interactive chart of the Explore page.

    Attributes
    ----------
    file : Path
        The self-contained HTML file.
    title : str
        Its ``<title>``: the heading on the Explore page.
    description : str
        Its ``<meta name="description">``: the sentence under the heading.
    """

    file: Path
    title: str
    description: str


# --- figures and their alt text ----------------------------------------------------------------


def read_figure_alt(path: Path) -> dict[str, str]:
    """Read ``figure_alt.csv`` (columns ``figure,alt``) into ``{figure name: alt text}``.

    Parameters
    ----------
    path : Path
        The CSV file, one row per figure (``04_long_run``, without ``.png``).

    Returns
    -------
    dict of str to str

    Raises
    ------
    SiteError
        If a column is missing, an alt text is empty or a figure is listed twice.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"figure", "alt"} <= set(reader.fieldnames):
            raise SiteError(f"{path}: the columns must be 'figure,alt'")
        alt: dict[str, str] = {}
        for row in reader:
            name, text = row["figure"].strip().removesuffix(".png"), " ".join((row["alt"] or "").split())
            if not text:
                raise SiteError(f"{path}: figure {name!r} has no alt text")
            if name in alt:
                raise SiteError(f"{path}: figure {name!r} is listed twice")
            alt[name] = text
    return alt


def check_figure_alt(alt: Mapping[str, str], figures: Path, source: Path) -> None:
    """Require one alt text for every ``figures/*.png`` and no alt text for a missing figure.

    Raises
    ------
    SiteError
        Naming the figures without alt text and the rows without a figure.
    """
    pngs = {png.stem for png in figures.glob("*.png")}
    problems = [f"figure {name}.png has no alt text" for name in sorted(pngs - set(alt))]
    problems += [f"row {name!r} names no figure in {figures}" for name in sorted(set(alt) - pngs)]
    if problems:
        raise SiteError(f"{source}: " + "; ".join(problems))


def figure_name(source: str) -> str | None:
    """The figure a code cell saves with ``mm.save_fig(fig, "NAME")``, or ``None``.

    >>> figure_name('mm.save_fig(fig, "02_wordclouds")'), figure_name("print(1)")
    ('02_wordclouds', None)
    """
    match = _SAVE_FIG.search(source)
    return match.group(1) if match else None


# --- links ---------------------------------------------------------------------------------------


def rewrite_links(markdown: str, *, base: str, targets: Mapping[str, str], alt: Mapping[str, str] | None = None) -> str:
    """Point the relative links of a Markdown text at site pages, or unlink them.

    Parameters
    ----------
    markdown : str
        The text; fenced code blocks are left alone.
    base : str
        Folder of the text inside the repository (``""`` for the README, ``"notebooks"``).
    targets : Mapping of str to str
        Repository path -> site path of every file that is on the site.
    alt : Mapping of str to str, optional
        Figure name -> alt text, for images whose Markdown gives none (``![](figures/NAME.png)``).

    Returns
    -------
    str
        The text with each relative link rewritten to its site path (fragment kept), and each
        link to a file that is not on the site replaced by its text. External links, links to
        an anchor of the same page and images of unknown files are kept as they are.

    >>> pages = {"notebooks/04_tone.ipynb": "04_tone.ipynb", "README.md": "index.md"}
    >>> rewrite_links("[04](notebooks/04_tone.ipynb#findings), [guide](validation/GUIDE.md)", base="", targets=pages)
    '[04](04_tone.ipynb#findings), guide'
    >>> rewrite_links("[back](../README.md) [web](https://example.org) [up](#top)", base="notebooks", targets=pages)
    '[back](index.md) [web](https://example.org) [up](#top)'
    """

    def replace(match: re.Match[str]) -> str:
        target = match.group("target")
        if _SCHEME.match(target) or target.startswith(("#", "/")):
            return match.group(0)
        path, hashmark, fragment = target.partition("#")
        repo_path = posixpath.normpath(posixpath.join(base, path)) if path else ""
        site_path = targets.get(repo_path)
        if site_path is None:
            return match.group(0) if match.group("bang") else match.group("text")
        text = match.group("text")
        if match.group("bang") and not text.strip():
            text = (alt or {}).get(PurePosixPath(path).stem, text)
        return f"{match.group('bang')}[{text}]({site_path}{hashmark}{fragment}{match.group('title') or ''})"

    return "".join(chunk if fenced else _LINK.sub(replace, chunk) for fenced, chunk in _split_fences(markdown))


def _split_fences(markdown: str) -> list[tuple[bool, str]]:
    """Cut a Markdown text into ``(is fenced code, text)`` chunks, so that links can span lines.

    >>> [fenced for fenced, _ in _split_fences("a\\n```\\n[x](y)\\n```\\nb\\n")]
    [False, True, False]
    """
    chunks: list[tuple[bool, str]] = []
    in_fence, current = False, ""
    for line in markdown.splitlines(keepends=True):
        is_fence = _FENCE.match(line) is not None
        if is_fence and not in_fence and current:  # a code block opens: the prose before it is done
            chunks.append((False, current))
            current = ""
        current += line
        if is_fence and in_fence:  # the code block closes
            chunks.append((True, current))
            current = ""
        in_fence ^= is_fence
    if current:
        chunks.append((in_fence, current))
    return chunks


def site_targets(notebooks: Sequence[Path], figures: Iterable[Path]) -> dict[str, str]:
    """Repository path -> site path of every file the site holds (the README, notebooks, figures)."""
    targets = {"README.md": "index.md", f"docs/{GLOSSARY_PAGE}.md": f"{GLOSSARY_PAGE}.md"}
    targets.update({f"notebooks/{nb.name}": nb.name for nb in notebooks})
    targets.update({f"figures/{png.name}": f"figures/{png.name}" for png in figures})
    return targets


# --- the pages -----------------------------------------------------------------------------------


DEVELOPERS_PAGE = "developers"
DEVELOPERS_MARKER = "<!-- site: the rest is for developers -->"
"""The line in the README after which it speaks to developers (commands, API, layout): on the site
that part is its own page, so the front page is the story."""


def readme_page(readme: Path, targets: Mapping[str, str], alt: Mapping[str, str]) -> tuple[str, str | None]:
    """The front page (the README's story, with site links and alt texts, then the sidebar's tables of
    contents) and, if the README has :data:`DEVELOPERS_MARKER`, the developers' page after it."""
    text = rewrite_links(readme.read_text(encoding="utf-8"), base="", targets=targets, alt=alt)
    story, _, developers = text.partition(DEVELOPERS_MARKER)
    notebooks = [target.removesuffix(".ipynb") for target in targets.values() if target.endswith(".ipynb")]
    front = (
        story.rstrip()
        + "\n\n"
        + _toctree("Notebooks", sorted(notebooks))
        + _toctree("Reader's tools", [EXPLORE_PAGE, GLOSSARY_PAGE])
        + (_toctree("For developers", [DEVELOPERS_PAGE]) if developers.strip() else "")
    )
    page = f"# For developers: commands, reuse, layout\n\n{developers.strip()}\n" if developers.strip() else None
    return front, page


def _toctree(caption: str, entries: Sequence[str]) -> str:
    body = "\n".join(entries)
    return f"```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{body}\n```\n\n"


def prepare_notebook(path: Path, alt: Mapping[str, str], targets: Mapping[str, str]) -> dict[str, Any]:
    """The notebook as the site shows it: code folded, figure alt texts set, links rewritten.

    Parameters
    ----------
    path : Path
        The committed notebook (read only).
    alt : Mapping of str to str
        Figure name -> alt text.
    targets : Mapping of str to str
        Repository path -> site path (see :func:`rewrite_links`).

    Returns
    -------
    dict
        The notebook JSON with every code cell tagged ``hide-input``, each figure cell's
        ``mystnb.image.alt`` set and its Markdown links pointed at site pages.

    Raises
    ------
    SiteError
        If a cell shows an image but saves no figure, or saves a figure without alt text.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"], start=1):
        source = "".join(cell.get("source", ""))
        if cell["cell_type"] == "markdown":
            cell["source"] = rewrite_links(source, base="notebooks", targets=targets, alt=alt)
        elif cell["cell_type"] == "code":
            _fold_code(cell)
            _set_alt(cell, source, alt, where=f"{path.name}, cell {number}")
    return notebook


def _fold_code(cell: dict[str, Any]) -> None:
    tags = cell.setdefault("metadata", {}).setdefault("tags", [])
    if "hide-input" not in tags and not any(tag.startswith("remove") for tag in tags):
        tags.append("hide-input")


def _set_alt(cell: dict[str, Any], source: str, alt: Mapping[str, str], *, where: str) -> None:
    shows_image = any(key.startswith("image/") for output in cell.get("outputs", []) for key in output.get("data", {}))
    name = figure_name(source)
    if name is None:
        if shows_image:
            raise SiteError(f"{where} shows an image but calls no mm.save_fig(fig, NAME): no alt text for it")
        return
    if name not in alt:
        raise SiteError(f"{where} saves figure {name!r}, which has no alt text in figure_alt.csv")
    cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt[name]


# --- the Explore page ----------------------------------------------------------------------------


class _HeadParser(HTMLParser):
    """Collect a page's ``<title>`` (the first one) and ``<meta name="description">``."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.description, self._in_title, self._titled = "", "", False, False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "title" and not self._titled:  # the page's title, not an SVG shape's tooltip
            self._in_title = self._titled = True
        elif tag == "meta" and (values.get("name") or "").lower() == "description":
            self.description = values.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def interactive_charts(folder: Path | None) -> list[Chart]:
    """Every ``*.html`` chart in ``folder`` (none if it is missing), by file name.

    Raises
    ------
    SiteError
        If a chart has no ``<title>`` or no ``<meta name="description">``.
    """
    if folder is None or not folder.is_dir():
        return []
    charts = []
    for file in sorted(folder.glob("*.html")):
        parser = _HeadParser()
        parser.feed(file.read_text(encoding="utf-8"))
        title, description = " ".join(parser.title.split()), " ".join(parser.description.split())
        if not title or not description:
            raise SiteError(f'{file}: an interactive chart needs a <title> and a <meta name="description">')
        charts.append(Chart(file, title, description))
    return charts


def explore_page(charts: Sequence[Chart]) -> str:
    """The Explore page: each chart under its title and description, in a frame sized to fit.

    >>> print(explore_page([]).splitlines()[6])
    The interactive charts are built by `make run`; run it, then `make site`, to see them here.
    >>> chart = Chart(Path("tone.html"), "Tone by quarter", "Hover a point to read it.")
    >>> 'src="interactive/tone.html"' in explore_page([chart])
    True
    """
    # the charts get the whole width: no "On this page" column beside them
    lines = ["---", "html_theme.sidebar_secondary.remove: true", "---", "", "# Explore", ""]
    if not charts:
        lines += [
            "The interactive charts are built by `make run`; run it, then `make site`, to see them here.",
            "",
        ]
        return "\n".join(lines)
    lines += ["Interactive versions of the notebooks' charts: hover, zoom or filter them in the page.", ""]
    for chart in charts:
        src = f"{INTERACTIVE_URL}/{chart.file.name}"
        lines += [
            f"## {_escape_markdown(chart.title)}",
            "",
            _escape_markdown(chart.description),
            "",
            f'<iframe class="explore-frame" src="{html.escape(src)}" title="{html.escape(chart.title)}"></iframe>',
            "",
        ]
    return "\n".join(lines)


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|{}$])", r"\\\1", text)


# --- building ------------------------------------------------------------------------------------


def _reset_dir(folder: Path) -> None:
    """Empty ``folder`` for a new build; only a folder this module wrote (or an empty one) is deleted."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise SiteError(f"{folder} is not empty and was not written by the site builder: not deleting it")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Written by minsk_moscow.site; deleted and rewritten by every build.\n")


def prepare_source(
    src_dir: Path,
    *,
    docs: Path = DOCS_DIR,
    readme: Path = README_FILE,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    figures: Path = FIGURES_DIR,
    interactive: Path | None = INTERACTIVE_DIR,
) -> list[Chart]:
    """Write the site source into ``src_dir`` and return the charts shown on the Explore page.

    Parameters
    ----------
    src_dir : Path
        Output folder (wiped first; see :data:`MARKER`).
    docs, readme, notebooks_dir, figures, interactive : Path
        Where the configuration, the README, the notebooks, the figures and the interactive
        charts are read (the project's own by default).

    Returns
    -------
    list of Chart
    """
    alt = read_figure_alt(docs / "figure_alt.csv")
    check_figure_alt(alt, figures, docs / "figure_alt.csv")
    notebooks = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise SiteError(f"no notebooks NN_*.ipynb in {notebooks_dir}")
    pngs = sorted(figures.glob("*.png"))
    targets = site_targets(notebooks, pngs)

    _reset_dir(src_dir)
    shutil.copy2(docs / "conf.py", src_dir / "conf.py")
    shutil.copy2(docs / f"{GLOSSARY_PAGE}.md", src_dir / f"{GLOSSARY_PAGE}.md")
    shutil.copytree(docs / "_static", src_dir / "_static")
    (src_dir / "figures").mkdir()
    for png in pngs:
        shutil.copy2(png, src_dir / "figures" / png.name)
    front, developers = readme_page(readme, targets, alt)
    (src_dir / "index.md").write_text(front, encoding="utf-8")
    if developers is not None:
        (src_dir / f"{DEVELOPERS_PAGE}.md").write_text(developers, encoding="utf-8")
    for path in notebooks:
        copied = prepare_notebook(path, alt, targets)
        (src_dir / path.name).write_text(json.dumps(copied, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    charts = interactive_charts(interactive)
    extra = src_dir / "_extra" / INTERACTIVE_URL
    extra.mkdir(parents=True)
    for chart in charts:
        shutil.copy2(chart.file, extra / chart.file.name)
    (src_dir / f"{EXPLORE_PAGE}.md").write_text(explore_page(charts), encoding="utf-8")
    return charts


def run_sphinx(src_dir: Path, out_dir: Path) -> None:
    """Build ``src_dir`` into ``out_dir`` with Sphinx, every warning an error.

    Sphinx runs in this process, through ``sphinx-build``'s own entry point with its output captured:
    a new interpreter would spend seconds importing again what the caller often has loaded already
    (``nbformat`` and its JSON schema validator, for one). The extensions' Python deprecation
    notices are ignored, as a new interpreter would ignore them.

    Raises
    ------
    SiteError
        With Sphinx's messages, if the build fails or warns.
    """
    from sphinx.cmd.build import build_main  # only a build needs Sphinx

    _reset_dir(out_dir)
    output = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="site-doctrees-") as doctrees:
        args = ["-b", "html", "-q", "-W", "--keep-going", "-E", "-d", doctrees, str(src_dir), str(out_dir)]
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            returncode = build_main(args)
    if returncode != 0:
        raise SiteError(f"Sphinx failed ({returncode}):\n{output.getvalue()}")
    (out_dir / MARKER).write_text("Written by minsk_moscow.site; deleted and rewritten by every build.\n")


class _AssetParser(HTMLParser):
    """Collect the URLs a page loads by itself (scripts, stylesheets, icons, images, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        value = dict(attrs).get(_ASSET_ATTRS.get(tag, ""))
        if value:
            self.urls.append(value)


def remote_assets(out_dir: Path) -> list[str]:
    """``page: url`` for every script, stylesheet, image or frame a built page loads from another host.

    An empty list means the site works offline, opened from disk or served from localhost.
    """
    found = []
    for page in sorted(out_dir.rglob("*.html")):
        parser = _AssetParser()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(out_dir)}: {url}" for url in parser.urls if re.match(r"^(https?:)?//", url)]
    return found


def build_site(
    out_dir: Path = SITE_DIR,
    *,
    src_dir: Path = SITE_SRC_DIR,
    interactive: Path | None = INTERACTIVE_DIR,
    docs: Path = DOCS_DIR,
    readme: Path = README_FILE,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    figures: Path = FIGURES_DIR,
) -> Path:
    """Generate the site source, build it and check that it loads nothing remotely.

    Parameters
    ----------
    out_dir : Path
        Where the HTML goes (default ``build/site/``).
    src_dir : Path
        Where the site source is generated (default ``build/site-src/``).
    interactive : Path or None
        Folder of interactive ``*.html`` charts for the Explore page (default ``build/interactive/``).
    docs, readme, notebooks_dir, figures : Path
        The configuration, README, notebooks and figures to use (the project's by default).

    Returns
    -------
    Path
        ``out_dir / "index.html"``, the front page.

    Raises
    ------
    SiteError
        If anything is missing (alt text, a chart's title), Sphinx warns, or a page loads a remote asset.
    """
    prepare_source(
        src_dir, docs=docs, readme=readme, notebooks_dir=notebooks_dir, figures=figures, interactive=interactive
    )
    run_sphinx(src_dir, out_dir)
    remote = remote_assets(out_dir)
    if remote:
        raise SiteError("pages load assets from another host:\n" + "\n".join(remote))
    return out_dir / "index.html"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of ``make site``: build the site and say where it is."""
    parser = argparse.ArgumentParser(prog="python -m minsk_moscow.site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE_DIR, help="output folder (default: build/site)")
    parser.add_argument("--src", type=Path, default=SITE_SRC_DIR, help="site source folder (default: build/site-src)")
    parser.add_argument(
        "--interactive", type=Path, default=INTERACTIVE_DIR, help="interactive charts (default: build/interactive)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        index = build_site(args.out.resolve(), src_dir=args.src.resolve(), interactive=args.interactive.resolve())
    except SiteError as error:
        print(f"make site: {error}", file=sys.stderr)
        return 1
    print(f"Site built in {time.perf_counter() - start:.1f} s: open {index}")
    return 0


if __name__ == "__main__":  # pragma: no cover - python -m minsk_moscow.site
    raise SystemExit(main())
