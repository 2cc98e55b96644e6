"""Test corpora that no one here wrote by hand: each built by code, as a new user's folder would be.

``build(name, parent)`` writes corpus ``name`` under ``parent`` and returns its path (a folder,
or a table file for ``csv_export``). The English articles are the seed articles; the rest are
short texts written for these tests (cooking, football and weather news, a German and a
Russian article). Used by ``tests/test_rerun.py`` (``make run CORPUS=...`` on each) and by
``make test-corpora``::

    python tests/corpora.py /tmp/corpora      # writes every corpus there, prints the paths
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))

OFF_TOPIC = {
    "cooking.txt": """Slow Roast Tomatoes Make a Simple Summer Sauce

By Anna Berg

June 14, 2021

Ripe tomatoes, halved and roasted for three hours at a low heat, turn sweet and jammy. Season them with salt, olive oil and thyme before they go into the oven.

Blend the roasted tomatoes with a clove of garlic and a handful of basil. The sauce keeps for a week in the fridge and freezes well.

Serve it with fresh pasta, or spread it on toasted bread with a little goat cheese.
""",
    "football.txt": """Late Header Gives City a Draw in the Derby

By Tom Hale

October 2, 2021

A header in the ninety-second minute rescued a point for City in a derby that had looked lost after the break.

United led through a penalty won by their captain, and the home crowd grew restless as chance after chance went wide.

The coach praised his players for never giving up. The two sides meet again in the cup next month.
""",
    "weather.txt": """Storm Brings Heavy Rain and Strong Winds to the Coast

By Mia Lund

November 20, 2021

Forecasters warned of gusts of up to 110 kilometres an hour as a storm moved in from the sea on Saturday.

Several ferry crossings were cancelled and schools in the region will stay closed on Monday.

The rain is expected to ease by Tuesday, with colder and drier weather to follow later in the week.
""",
}

GERMAN = """Lukaschenko und Putin treffen sich in Sotschi

Von Hans Müller

3. September 2021

Der belarussische Machthaber Alexander Lukaschenko ist am Donnerstag in Sotschi mit dem russischen Präsidenten Wladimir Putin zusammengetroffen. Die beiden Staaten wollen ihre Wirtschaft enger verzahnen.

Nach Angaben des Kremls ging es um die größte Integrationsstufe seit Jahren: gemeinsame Regeln für Steuern, Zölle und den Energiemarkt.

Kritiker in Minsk befürchten, dass das Land dabei seine Unabhängigkeit verliert.
"""

RUSSIAN = """Лукашенко и Путин обсудили интеграцию

9 сентября 2021

Президент Беларуси Александр Лукашенко встретился с Владимиром Путиным в Москве. Стороны согласовали двадцать восемь союзных программ.

Путин заявил, что Россия продолжит поддерживать Беларусь. Лукашенко поблагодарил Москву за помощь.

Эксперты считают, что интеграция будет идти медленно.
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}">
<meta property="og:url" content="https://news.example.org/{slug}">
<script>var tracking = {{"id": 42}};</script><style>.nav {{ color: red; }}</style></head>
<body><nav class="nav"><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie">We use cookies &amp; similar tools. Accept all</div>
<article><h1>{title}</h1>
{paragraphs}
</article>
<footer><p>&copy; 2021 Example News. All rights reserved.</p></footer></body></html>
"""


def _seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _seed_paragraphs(name: str, n: int = 12) -> tuple[str, list[str]]:
    """A seed article's headline and its first ``n`` cleaned paragraphs (enough for any step)."""
    from minsk_moscow.text import clean_article, split_paragraphs

    article = clean_article(_seed_text(name))
    return article.title, [" ".join(p.split()) for p in split_paragraphs(article.text)][:n]


def one_article(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / SEED_FILES[0]).write_text(_seed_text(SEED_FILES[0]), encoding="utf-8")
    return folder


def two_articles(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in SEED_FILES[:2]:
        (folder / name).write_text(_seed_text(name), encoding="utf-8")
    return folder


def off_topic(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in OFF_TOPIC.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def undated(folder: Path) -> Path:
    """Three seed articles with every dateline taken out: no article has a date."""
    folder.mkdir(parents=True)
    for name in SEED_FILES[:3]:
        title, body = _seed_paragraphs(name)
        (folder / name).write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return folder


def one_undated(folder: Path) -> Path:
    """Four dated seed articles and one without a date."""
    folder.mkdir(parents=True)
    for name in SEED_FILES[:4]:
        (folder / name).write_text(_seed_text(name), encoding="utf-8")
    title, body = _seed_paragraphs(SEED_FILES[4])
    (folder / "undated.txt").write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return folder


def mixed_languages(folder: Path) -> Path:
    """Two English articles, one German and one Russian."""
    folder.mkdir(parents=True)
    for name in SEED_FILES[:2]:
        (folder / name).write_text(_seed_text(name), encoding="utf-8")
    (folder / "de_sotschi.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "ru_integration.txt").write_text(RUSSIAN, encoding="utf-8")
    return folder


def html_pages(folder: Path) -> Path:
    """Three saved web pages (navigation, cookie notice, script, footer around the article)."""
    folder.mkdir(parents=True)
    dates = ["2020-08-05", "2020-09-03", "2021-09-09"]
    for name, date in zip(SEED_FILES[:3], dates):
        title, body = _seed_paragraphs(name)
        paragraphs = "\n".join(f"<p>{p.replace('&', '&amp;')}</p>" for p in body)
        slug = Path(name).stem
        page = HTML_PAGE.format(title=title, date=date, slug=slug, paragraphs=paragraphs)
        (folder / f"{slug}.html").write_text(page, encoding="utf-8")
    return folder


def csv_export(folder: Path) -> Path:
    """One CSV file, one row per article, as a news database exports it (text, title, date, url, source)."""
    folder.mkdir(parents=True)
    path = folder / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "headline", "published", "url", "source", "body"])
        for i, name in enumerate(SEED_FILES):
            title, body = _seed_paragraphs(name)
            writer.writerow([f"doc{i}", title, f"202{i % 2}-0{i + 3}-1{i}", f"https://example.org/{i}", "Example Wire",
                             "\n\n".join(body)])
    return path


def hostile(folder: Path) -> Path:
    """A folder with a space in its name and files that used to be lost or mangled.

    A UTF-16 file, zero-width characters and soft hyphens inside words, lines that start with
    ``^ ``, a long text without punctuation, a file name with an undecodable byte, two
    identical texts, and an article in a subfolder.
    """
    folder.mkdir(parents=True)
    (folder / "utf16.txt").write_text(_seed_text(SEED_FILES[0]), encoding="utf-16")
    zero_width = _seed_text(SEED_FILES[1]).replace("Russia", "Rus\u200bsia").replace("Moscow", "Mos\u00adcow")
    (folder / "zero_width.txt").write_text(zero_width, encoding="utf-8")
    title, body = _seed_paragraphs(SEED_FILES[2])
    (folder / "carets.txt").write_text("September 9, 2021\n\n" + "\n".join("^ " + p for p in body) + "\n",
                                       encoding="utf-8")
    words = " ".join(_seed_text(SEED_FILES[3]).replace(".", " ").replace(",", " ").split())
    (folder / "no_punctuation.txt").write_text(words + "\n", encoding="utf-8")
    raw_name = os.fsencode(folder) + b"/caf\xe9_article.txt"  # latin-1 byte: not valid UTF-8
    with open(raw_name, "w", encoding="utf-8") as handle:
        handle.write(_seed_text(SEED_FILES[4]))
    (folder / "copy_a.txt").write_text(_seed_text(SEED_FILES[1]), encoding="utf-8")
    (folder / "copy_b.txt").write_text(_seed_text(SEED_FILES[1]), encoding="utf-8")
    (folder / "2021").mkdir()
    (folder / "2021" / "sub_article.txt").write_text(_seed_text(SEED_FILES[3]), encoding="utf-8")
    return folder


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "one_article": one_article,
    "two_articles": two_articles,
    "off_topic": off_topic,
    "undated": undated,
    "one_undated": one_undated,
    "mixed_languages": mixed_languages,
    "html_pages": html_pages,
    "csv_export": csv_export,
    "hostile": hostile,
}
"""Every test corpus, by name."""

FOLDER_NAMES = {"hostile": "my articles"}  # a space in the path, as on many laptops


def build(name: str, parent: Path) -> Path:
    """Write corpus ``name`` under ``parent``; return the folder (or table file) to pass as CORPUS."""
    return BUILDERS[name](Path(parent) / name / FOLDER_NAMES.get(name, name))


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "build/corpora")
    for corpus in BUILDERS:
        print(build(corpus, root))
