"""Build a synthetic corpus of scraped-looking news articles from the seed sentences.

Each article is written as one ``.txt`` file with the debris the real scrapes carry, so the
loader's cleaner does its real work and takes title and date from the text (no metadata
table is written):

- a masthead: title line, ``By AFP`` (or another byline), a date line spread over 2020-2021
  in one of the two styles the seeds use (``September 03, 2020`` or
  ``Saturday, 15 August 2020``);
- sometimes a photo caption followed by a credit line (``Mikhail Metzel / TASS``);
- body paragraphs of 1-3 sentences sampled (with replacement) from
  ``mm.sentence_table(mm.load_corpus())``; about one article in five is line-wrapped at
  78 characters like the blog reposts;
- a ``Related article:`` line after the second paragraph;
- an ``Original url:`` footer with a URL broken by a space, as the scraper breaks them;
  sometimes blog furniture (``No comments:`` / ``Post a Comment``).

Article length (in words) is drawn uniformly between the shortest and the longest seed
article, so the mean is close to the seeds' mean.

The seeds hold only ~130 distinct sentences, so a corpus made only of them has a tiny
vocabulary (~1,500 words), which would flatter TF-IDF and the topic model. With
``vocab_noise > 0`` (default 0.05) each lower-case word of 5+ letters is, with that
probability, replaced by a pseudo-word drawn from a Zipf-distributed (exponent 1) 200,000-word
pseudo-vocabulary, so the vocabulary grows with N roughly as a real collection's does
(Heaps' law). Use ``vocab_noise=0`` for the pure seed sentences.

Everything is driven by one ``numpy.random.Generator`` with a fixed seed: the same
arguments always write byte-identical files.

From the command line (e.g. to run the notebooks on 10,000 articles with ``make run CORPUS=``)::

    .venv/bin/python benchmarks/synth.py /tmp/synth10k 10000
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import numpy as np

__all__ = ["build_corpus", "seed_material"]

BYLINES = ("By AFP", "By AFP", "By AFP", "By Reuters", "By Tatiana Kalinovskaya and Maria Antonova for AFP")
CREDITS = ("Mikhail Metzel / TASS", "Natalia Fedosenko / TASS", "Sergei Bobylev / TASS")
CAPTIONS = (
    "While Russia and Belarus have close trade and military cooperation, Moscow seeks a deeper integration.",
    "Belarus is more tightly linked to Russia than any other country.",
    "Belarus opposition supporters gather in central Minsk to protest against police violence.",
)
_SYLLABLES = ("ka", "lo", "vi", "ter", "mon", "sha", "ru", "bel", "dra", "ne", "pol", "zin", "ost", "ma",
              "gri", "uv", "set", "ko", "lin", "dor", "pe", "vak", "chi", "nor", "tsa", "bra", "mi", "sku")
_WORD = re.compile(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])")
VOCAB_SIZE = 200_000
ZIPF_EXPONENT = 1.0
START = dt.date(2020, 1, 1)
DAYS = (dt.date(2021, 12, 31) - START).days + 1


def seed_material() -> dict:
    """Sentences, titles and article lengths of the seed corpus."""
    import minsk_moscow as mm

    seeds = mm.load_corpus()
    sentences = mm.sentence_table(seeds)["text"].tolist()
    return {
        "sentences": sentences,
        "sentence_words": [len(s.split()) for s in sentences],
        "titles": seeds["title"].tolist(),
        "min_words": int(seeds["n_words"].min()),
        "max_words": int(seeds["n_words"].max()),
        "mean_words": float(seeds["n_words"].mean()),
    }


def _pseudo_vocabulary(size: int) -> list[str]:
    """``size`` distinct pronounceable pseudo-words (3+ syllables; rank 1 is the shortest)."""
    base = len(_SYLLABLES)
    words = []
    for k in range(base * base, base * base + size):
        parts = []
        while k:
            k, r = divmod(k, base)
            parts.append(_SYLLABLES[r])
        words.append("".join(parts))
    return words


def build_corpus(folder: str | Path, n: int, *, seed: int = 20200809, vocab_noise: float = 0.05,
                 material: dict | None = None) -> dict:
    """Write ``n`` synthetic articles into ``folder`` (created if needed); return a summary."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    mat = material or seed_material()
    rng = np.random.default_rng(seed)
    pool, pool_words, titles = mat["sentences"], mat["sentence_words"], mat["titles"]
    vocab: list[str] = []
    cdf = None
    if vocab_noise > 0:
        vocab = _pseudo_vocabulary(VOCAB_SIZE)
        ranks = np.arange(1, len(vocab) + 1, dtype=float)
        cdf = np.cumsum(ranks ** -ZIPF_EXPONENT)
        cdf /= cdf[-1]

    total_words = 0
    total_bytes = 0
    for i in range(n):
        target = int(rng.integers(mat["min_words"], mat["max_words"] + 1))
        sentences: list[str] = []
        words = 0
        while words < target:
            k = int(rng.integers(len(pool)))
            sentences.append(pool[k])
            words += pool_words[k]
        if vocab_noise > 0:
            noisy = []
            for s in sentences:
                spans = [m.span() for m in _WORD.finditer(s)]
                hits = [sp for sp, u in zip(spans, rng.random(len(spans))) if u < vocab_noise]
                if hits:
                    picks = np.minimum(np.searchsorted(cdf, rng.random(len(hits))), len(vocab) - 1)
                    for (a, b), w in zip(reversed(hits), reversed(picks)):
                        s = s[:a] + vocab[w] + s[b:]
                noisy.append(s)
            sentences = noisy
        total_words += words

        paragraphs: list[str] = []
        j = 0
        while j < len(sentences):
            size = int(rng.integers(1, 4))
            paragraphs.append(" ".join(sentences[j : j + size]))
            j += size
        wrapped = rng.random() < 0.2
        if wrapped:
            paragraphs = [textwrap.fill(p, 78) for p in paragraphs]

        title = titles[int(rng.integers(len(titles)))]
        date = START + dt.timedelta(days=int(rng.integers(DAYS)))
        if rng.random() < 0.75:
            date_line = date.strftime("%B %d, %Y")
        else:
            date_line = date.strftime("%A, %d %B %Y").replace(" 0", " ")
        head = ["", "", title, "", BYLINES[int(rng.integers(len(BYLINES)))], "", date_line, "", "", ""]
        if rng.random() < 0.4:
            head += [CAPTIONS[int(rng.integers(len(CAPTIONS)))], "", CREDITS[int(rng.integers(len(CREDITS)))], ""]
        related = f"Related article: {titles[int(rng.integers(len(titles)))]}"
        body = paragraphs[:2] + [related] + paragraphs[2:]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        cut = int(rng.integers(1, len(slug)))
        url = f"https://www.themoscowtimes.com/{date:%Y/%m/%d}/{slug[:cut]} {slug[cut:]}-a{70000 + i}"
        tail = ["Original url:", "", url]
        if rng.random() < 0.2:
            tail += ["", "No comments:", "", "Post a Comment"]
        text = "\n".join(head) + "\n" + "\n\n".join(body) + "\n\n" + "\n".join(tail)
        data = text.encode("utf-8")
        (folder / f"{i:05d}_synthetic.txt").write_bytes(data)
        total_bytes += len(data)
    return {"n": n, "folder": str(folder), "words": total_words, "bytes": total_bytes,
            "mean_words": total_words / max(n, 1), "seed_mean_words": mat["mean_words"],
            "vocab_noise": vocab_noise, "seed": seed}


def main(argv: list[str] | None = None) -> int:
    """``synth.py FOLDER N [--seed S] [--vocab-noise P]``: write a corpus and print its summary."""
    import argparse

    p = argparse.ArgumentParser(description="Write N synthetic scraped-looking articles into FOLDER.")
    p.add_argument("folder")
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=20200809)
    p.add_argument("--vocab-noise", type=float, default=0.05)
    args = p.parse_args(argv)
    summary = build_corpus(args.folder, args.n, seed=args.seed, vocab_noise=args.vocab_noise)
    print(f"wrote {summary['n']:,} articles ({summary['bytes'] / 2**20:.1f} MiB, {summary['mean_words']:.0f} "
          f"words/article) to {summary['folder']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
