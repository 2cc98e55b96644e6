"""Sphinx configuration of the reader's site (``make site``).

This file is a template: ``minsk_moscow.site`` copies it, with ``glossary.md`` and ``_static/``,
into ``build/site-src/`` beside the generated pages (``index.md`` from the README, the copied
notebooks, ``explore.md``) and runs Sphinx there. Edit it here, never in ``build/``.

The site must build offline from the committed notebooks and load nothing from another host:
the notebooks are never executed, and the theme's remote features (analytics, launch buttons,
repository links, version switcher) stay off. ``minsk_moscow.site`` checks the built HTML for
remote scripts and stylesheets.
"""

from __future__ import annotations

from importlib.metadata import version as _version

project = "minsk-moscow"
author = "the minsk-moscow project (MIT licence)"
version = release = _version("minsk-moscow")
language = "en"

extensions = ["myst_nb"]
root_doc = "index"
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "_extra", "**.ipynb_checkpoints"]
# Every other warning fails the build (a broken link, a missing image...); a heading level
# skipped in a notebook or an output type HTML cannot show does not.
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# --- notebooks: shown as committed, never re-executed --------------------------------------
nb_execution_mode = "off"
nb_merge_streams = True
nb_output_stderr = "show"
myst_heading_anchors = 3

# --- HTML -------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Minsk and Moscow in the news"
html_static_path = ["_static"]
html_extra_path = ["_extra"]
html_css_files = ["site.css"]
html_favicon = "_static/favicon.svg"  # declared, so browsers never ask for a missing /favicon.ico
html_js_files = ["explore.js", "tables.js"]
html_last_updated_fmt = None  # no build date: the same sources give the same pages
html_show_sourcelink = False
html_show_copyright = False
html_copy_source = True  # the download button offers the notebook itself
html_permalinks_icon = "#"
html_context = {"default_mode": "light"}  # figures and tables are drawn on white
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "toc_title": "On this page",
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "use_source_button": False,
    "launch_buttons": {},
    "analytics": {},
    "navigation_with_keys": False,
    "show_prev_next": True,
    "navbar_persistent": [],  # search sits in the sidebar; no second search bar above the page
}
