"""A result cache for slow deterministic steps that more than one place needs.

Notebook 04 cross-validates and tests the tone methods on the labelled validation set (the
same tables on every corpus), and notebook 03's stability sweep of the topic models is needed
again by ``results/`` (``topic_mix.csv`` chooses ``k`` as the notebook does). :func:`cached`
keeps such results in ``build/cache/``. The key is the function, its arguments **by content**
(tables by their cells, arrays and sparse matrices by their values, dataclasses by their
fields; an argument passed by position or by name, as a list or a tuple, gives the same key),
and a fingerprint of **every source file of the package, its data files and the labelled
validation files**: any change to the code, the data or the labels computes the result
afresh, so a cached result is always the one the current code would compute. Warnings the
computation gave are given again on every hit. ``MINSK_MOSCOW_CACHE=0`` switches the cache off.

>>> cached(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .paths import PROJECT_ROOT, SEEDS_DIR, VALIDATION_DIR

__all__ = ["CACHE_DIR", "cached", "code_fingerprint"]

CACHE_DIR: Path = PROJECT_ROOT / "build" / "cache"
"""Where :func:`cached` keeps results (never committed; ``make clean`` removes it)."""

R = TypeVar("R")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the package's source and data files and the labelled files it learns from.

    >>> len(code_fingerprint())
    64
    """
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".json"))
    files += sorted(VALIDATION_DIR.glob("*.csv")) + sorted(SEEDS_DIR.glob("*.csv"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path.name).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _digest(value: Any, digest: "hashlib._Hash") -> None:
    """Feed ``value`` into ``digest`` by content (tables by their cells, not by object identity)."""
    import numpy as np
    import pandas as pd
    from scipy import sparse

    if isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        digest.update(repr((type(value).__name__, list(frame.columns), frame.shape,
                            [str(t) for t in frame.dtypes])).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError:  # cells that cannot be hashed (lists of tokens): column by column
            _digest(frame.index.tolist(), digest)
            for column in frame.columns:
                try:
                    digest.update(pd.util.hash_pandas_object(frame[column], index=False).to_numpy().tobytes())
                except TypeError:
                    _digest(frame[column].tolist(), digest)
    elif isinstance(value, np.ndarray):
        digest.update(repr(("ndarray", str(value.dtype), value.shape)).encode())
        if value.dtype.hasobject:
            _digest(value.tolist(), digest)
        else:
            digest.update(np.ascontiguousarray(value).tobytes())
    elif sparse.issparse(value):
        csr = sparse.csr_matrix(value)
        csr.sort_indices()
        digest.update(repr(("sparse", csr.shape)).encode())
        for part in (csr.data, csr.indices, csr.indptr):
            _digest(part, digest)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(type(value).__qualname__.encode())
        for field in dataclasses.fields(value):
            digest.update(field.name.encode())
            _digest(getattr(value, field.name), digest)
    elif isinstance(value, dict):
        for k in sorted(value, key=repr):
            digest.update(repr(k).encode())
            _digest(value[k], digest)
    elif isinstance(value, (list, tuple)):
        if _digest_texts(value, digest):
            return
        digest.update(f"sequence{len(value)}".encode())  # a list and a tuple of the same items: one key
        for item in value:
            _digest(item, digest)
    else:
        digest.update(repr(value).encode())


def _digest_texts(value: list | tuple, digest: "hashlib._Hash") -> bool:
    """Feed a sequence of strings, or of sequences of strings (token lists), into ``digest`` at once.

    Every string's length goes in beside the joined text, so no two different contents give the
    same bytes. Returns False (nothing fed) for any other sequence. Item by item, the token
    lists of a large corpus's text units (millions of tokens) took about a minute per key.
    """
    import numpy as np

    if all(type(item) is str for item in value):
        strings, shape = value, b"texts"
    elif all(type(item) in (list, tuple) for item in value):
        strings = [token for item in value for token in item]
        if not all(type(token) is str for token in strings):
            return False
        shape = b"token lists" + np.fromiter(map(len, value), dtype=np.int64, count=len(value)).tobytes()
    else:
        return False
    digest.update(shape + f"{len(value)}|{len(strings)}".encode())
    digest.update(np.fromiter(map(len, strings), dtype=np.int64, count=len(strings)).tobytes())
    digest.update("".join(strings).encode("utf-8", "surrogatepass"))
    return True


def _arguments(func: Callable[..., Any], args: tuple, kwargs: dict) -> dict[str, Any]:
    """The call's arguments by parameter name, defaults filled in (so how they were passed does not matter)."""
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except (TypeError, ValueError):  # no signature to bind to: the arguments as given
        return {"args": args, "kwargs": kwargs}
    bound.apply_defaults()
    return dict(bound.arguments)


def _enabled() -> bool:
    return os.environ.get("MINSK_MOSCOW_CACHE", "").strip().lower() not in ("0", "off", "false", "no")


def cached(func: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``func(*args, **kwargs)``, kept in :data:`CACHE_DIR` under a key that changes with the code.

    Only for deterministic steps (every random step of the package is seeded). A cache file
    that cannot be read is computed again. The warnings ``func`` gave when it was computed are
    given again (same category and message) each time the result is read from the cache.
    """
    if not _enabled():
        return func(*args, **kwargs)
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"
    digest = hashlib.sha256(f"{name}|{code_fingerprint()}".encode())
    _digest(_arguments(func, args, kwargs), digest)
    key = digest.hexdigest()[:32]
    path = CACHE_DIR / f"{name.rsplit('.', 1)[-1]}-{key}.pkl"
    if path.exists():
        try:
            with path.open("rb") as handle:
                value, given = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a damaged cache file is recomputed, never trusted
            path.unlink(missing_ok=True)
        else:
            for category, message in given:
                warnings.warn(message, category, stacklevel=2)
            return value
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = func(*args, **kwargs)
    given = [(w.category, str(w.message)) for w in caught]
    for category, message in given:  # shown now as the caller's filters say, and kept for every hit
        warnings.warn(message, category, stacklevel=2)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=CACHE_DIR, delete=False, suffix=".tmp") as handle:
            pickle.dump((value, given), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)  # atomic: parallel runs never read half a file
    except OSError:
        pass  # a read-only checkout still runs, uncached
    return value
