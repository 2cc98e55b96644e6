"""Explicit, documented vocabulary tables shared by the tokenizer and the analyses.

Everything the package normalises or treats as special is listed here, so a reader can
check (and extend) it in one place rather than hunting through regular expressions.

- :data:`SPELLING_VARIANTS` maps a lower-cased token to its canonical form: transliteration
  variants of names, misspellings found in the sources, and British/American spellings.
- :data:`ACTOR_ALIASES` maps canonical actor tokens to the side of the relation they stand
  for (``"belarus"`` or ``"russia"``); the tone analysis uses it to find relation sentences.
- :data:`NEWS_STOP_WORDS` are words that are frequent in any news article (reporting verbs,
  honorifics, weekdays) and carry no topic; they are added to scikit-learn's English list.

Examples
--------
>>> SPELLING_VARIANTS["zhirinovksy"]
'zhirinovsky'
>>> ACTOR_ALIASES["kremlin"]
'russia'
"""

from __future__ import annotations

from types import MappingProxyType

from ._stop_words import ENGLISH_STOP_WORDS

__all__ = [
    "ACTOR_ALIASES",
    "NEWS_STOP_WORDS",
    "SPELLING_VARIANTS",
    "STOP_WORDS",
]

_VARIANTS: dict[str, str] = {
    # Adjectives and nouns for Belarus: the sources use both spellings.
    "belarussian": "belarusian",
    "belarussians": "belarusians",
    "byelorussian": "belarusian",
    "belorussian": "belarusian",
    # Transliterations of Belarusian and Russian names.
    "lukashenka": "lukashenko",
    "dmitri": "dmitry",
    "tsikhanouskaya": "tikhanovskaya",
    "tsikhanovskaya": "tikhanovskaya",
    "tikhanovskaja": "tikhanovskaya",
    "sviatlana": "svetlana",
    "tsepkala": "tsepkalo",
    # Misspellings present in the sources.
    "zhirinovksy": "zhirinovsky",  # 001: "Zhirinovksy said"
    "manoeuvrers": "maneuvers",  # 004: "planned manoeuvrers"
    # British -> American spellings found in the corpus.
    "capitalise": "capitalize",
    "civilised": "civilized",
    "colour": "color",
    "co-operation": "cooperation",
    "co-ordination": "coordination",
    "defence": "defense",
    "destabilise": "destabilize",
    "destabilising": "destabilizing",
    "galvanising": "galvanizing",
    "manoeuvres": "maneuvers",
    "organise": "organize",
    "programme": "program",
    "recognise": "recognize",
    "recognising": "recognizing",
    "summarise": "summarize",
    "turnround": "turnaround",
}
SPELLING_VARIANTS: MappingProxyType[str, str] = MappingProxyType(_VARIANTS)

_ACTORS: dict[str, str] = {
    # Belarusian state side (canonical tokens, i.e. after SPELLING_VARIANTS).
    "belarus": "belarus",
    "minsk": "belarus",
    "lukashenko": "belarus",
    "belarusian": "belarus",
    "vakulchik": "belarus",
    "tertel": "belarus",
    "belta": "belarus",
    # Russian state side.
    "russia": "russia",
    "moscow": "russia",
    "kremlin": "russia",
    "putin": "russia",
    "mishustin": "russia",
    "peskov": "russia",
    "zakharova": "russia",
    "mezentsev": "russia",
    "fsb": "russia",
    "gazprom": "russia",
    "russian": "russia",
}
ACTOR_ALIASES: MappingProxyType[str, str] = MappingProxyType(_ACTORS)

NEWS_STOP_WORDS: frozenset[str] = frozenset(
    {
        # reporting verbs and attribution
        "said", "says", "say", "told", "tell", "added", "adding", "according",
        "wrote", "tweeted", "reported", "stated",
        # honorifics
        "mr", "mrs", "ms", "dr",
        # weekdays: they say when, not what
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        # contractions left after apostrophe normalisation
        "can't", "don't", "didn't", "doesn't", "won't", "isn't", "wasn't", "aren't",
        "it's", "he's", "she's", "we'll", "we're", "i'm", "they're", "what's", "who's",
        "there's", "that's", "let's",
        # fillers common in news copy
        "also", "would", "could", "like", "just", "year", "years", "week", "weeks",
        "month", "months", "time",
    }
)

STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS
"""scikit-learn's English stop words plus :data:`NEWS_STOP_WORDS`."""
