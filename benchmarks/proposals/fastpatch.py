"""Proposed speed-ups for minsk_moscow.text / corpus, applied by monkeypatching (see README.md here).

Executed by `run_benchmarks.py --patch`, or as a pytest plugin (`pytest -p fastpatch` with this
folder on PYTHONPATH). FASTPATCH_ONLY=P1,P3 applies a subset; FASTPATCH=0 applies none on import.
"""
import re
import sys
import minsk_moscow.text as T
import minsk_moscow.corpus as C
from minsk_moscow.aliases import STOP_WORDS, SPELLING_VARIANTS

# ---- P1: _strip_markup: run the regexes only when their characters occur
_orig_strip_markup = T._strip_markup
def _strip_markup(line: str) -> str:
    if line.startswith("#"):
        heading = T._MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
    if "*" in line or "_" in line:
        line = T._MD_EMPHASIS.sub("", line)
    return line.strip()

# ---- P2: split_sentences: find the word before a full stop in the last space-free chunk only
_LAST_WORD = re.compile(r"([\w.]+)\.?$")
_SINGLE_LETTER = re.compile(r"[a-z]")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for para in T.split_paragraphs(text):
        start = 0
        for match in T._BOUNDARY.finditer(para):
            end = match.end()
            dot = match.start()
            if para[dot] == "." and para[dot : dot + 3] != "...":
                before = para[start : dot + 1]
                before = before.rstrip(".!?…\"”’')]") + "."
                # the trailing run of [\w.] cannot contain a space: search only the last chunk
                last_word = _LAST_WORD.search(before[before.rfind(" ") + 1 :])
                token = last_word.group(1).lower().rstrip(".") if last_word else ""
                if token in T._ABBREVIATIONS or _SINGLE_LETTER.fullmatch(token) or _DOTTED.fullmatch(token):
                    continue
            sentence = para[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = end
        tail = para[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences

# ---- P3: tokenize: fold quotes with str.replace (str.translate with a dict is slow on
#          non-ASCII text) and memoise the per-token rules for the default options
_FOLD_PAIRS = tuple((chr(k), v) for k, v in T._QUOTE_FOLD.items())
def _fold(text: str) -> str:
    for a, b in _FOLD_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text

def _normalise_token(token, stops, variants, min_length, keep_numbers):
    if token.endswith("'s"):
        token = token[:-2]
    token = token.strip("'")
    token = variants.get(token, token)
    if len(token) < min_length or token in stops:
        return None
    if not keep_numbers and token.replace("-", "").isdigit():
        return None
    return token

_RULE_CACHES: dict[tuple, dict[str, str | None]] = {}
_CACHE_LIMIT = 500_000  # raw token types per option set; cleared when exceeded

def tokenize(text, *, stop_words=STOP_WORDS, variants=SPELLING_VARIANTS, min_length=2, keep_numbers=False):
    stops = frozenset(stop_words) if stop_words is not None else frozenset()
    raw = T._TOKEN.findall(_fold(text).lower())
    tokens = []
    if variants is SPELLING_VARIANTS or not variants:
        # the per-token rules only depend on the options, and these tables are immutable:
        # memoise token -> result (None: dropped) per option set
        key = (stops, variants is SPELLING_VARIANTS, min_length, keep_numbers)
        cache = _RULE_CACHES.get(key)
        if cache is None or len(cache) > _CACHE_LIMIT:
            cache = _RULE_CACHES[key] = {}
        for token in raw:
            try:
                norm = cache[token]
            except KeyError:
                norm = cache[token] = _normalise_token(token, stops, variants, min_length, keep_numbers)
            if norm is not None:
                tokens.append(norm)
        return tokens
    for token in raw:
        norm = _normalise_token(token, stops, variants, min_length, keep_numbers)
        if norm is not None:
            tokens.append(norm)
    return tokens

# ---- P4: load_corpus counts words without running the full tokenizer
def count_words(text: str) -> int:
    """== len(tokenize(text, stop_words=None, keep_numbers=True, min_length=1))."""
    return len(T._TOKEN.findall(_fold(text).lower()))

def _corpus_tokenize(text, **options):
    if options == {"stop_words": None, "keep_numbers": True, "min_length": 1}:
        return range(count_words(text))  # only len() is used by load_corpus
    return tokenize(text, **options)

# ---- P5: _CREDIT: search only when a credit's mark (©, ':' or '/') is in the block
class _Prefiltered:
    def __init__(self, pattern, marks):
        self.pattern, self.marks = pattern, marks
    def search(self, s):
        return self.pattern.search(s) if any(m in s for m in self.marks) else None
    def __getattr__(self, name):
        return getattr(self.pattern, name)

ORIGINAL = {"_strip_markup": T._strip_markup, "split_sentences": T.split_sentences, "tokenize": T.tokenize,
            "_CREDIT": T._CREDIT, "C.tokenize": C.tokenize, "C.split_sentences": C.split_sentences}

def apply(which=("P1", "P2", "P3", "P4", "P5")):
    import minsk_moscow as mm
    if "P1" in which:
        T._strip_markup = _strip_markup
    if "P2" in which:
        T.split_sentences = C.split_sentences = mm.split_sentences = split_sentences
    if "P3" in which:
        T.tokenize = C.tokenize = mm.tokenize = tokenize
        for name in ("keywords", "topics", "tone"):
            mod = sys.modules.get(f"minsk_moscow.{name}")
            if mod is not None and getattr(mod, "tokenize", None) is ORIGINAL["tokenize"]:
                mod.tokenize = tokenize
            for fn in vars(mod).values() if mod else ():
                kw = getattr(fn, "__kwdefaults__", None)
                if kw:
                    for k, v in kw.items():
                        if v is ORIGINAL["tokenize"]:
                            kw[k] = tokenize
    if "P4" in which:
        C.tokenize = _corpus_tokenize
    if "P5" in which:
        T._CREDIT = _Prefiltered(ORIGINAL["_CREDIT"], ("©", ":", "/"))

def restore():
    import minsk_moscow as mm
    T._strip_markup = ORIGINAL["_strip_markup"]
    T.split_sentences = mm.split_sentences = ORIGINAL["split_sentences"]
    T.tokenize = mm.tokenize = ORIGINAL["tokenize"]
    for name in ("keywords", "topics", "tone"):
        mod = sys.modules.get(f"minsk_moscow.{name}")
        if mod is not None and getattr(mod, "tokenize", None) is tokenize:
            mod.tokenize = ORIGINAL["tokenize"]
        for fn in vars(mod).values() if mod else ():
            kw = getattr(fn, "__kwdefaults__", None)
            if kw:
                for k, v in kw.items():
                    if v is tokenize:
                        kw[k] = ORIGINAL["tokenize"]
    T._CREDIT = ORIGINAL["_CREDIT"]
    C.tokenize = ORIGINAL["C.tokenize"]
    C.split_sentences = ORIGINAL["C.split_sentences"]

import os
if os.environ.get("FASTPATCH", "1") != "0":
    apply(tuple(os.environ.get("FASTPATCH_ONLY", "P1,P2,P3,P4,P5").split(",")))
