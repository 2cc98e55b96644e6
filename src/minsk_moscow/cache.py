"""A result cache for slow steps that do not depend on the corpus (the tone validation).

Notebook 04 cross-validates and tests the tone methods on the labelled validation set. That
takes half a minute and gives the same tables on every corpus, so :func:`cached` keeps the
result in ``build/cache/``. The key is the function, its arguments, and a fingerprint of
**every source file of the package, its data files and the labelled validation files**: any
change to the code or the labels computes the result afresh, so a cached table is always the
one the current code would compute. ``MINSK_MOSCOW_CACHE=0`` switches the cache off.

>>> cached(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
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
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        digest.update(repr((type(value).__name__, list(frame.columns), frame.shape,
                            [str(t) for t in frame.dtypes])).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, dict):
        for k in sorted(value, key=repr):
            digest.update(repr(k).encode())
            _digest(value[k], digest)
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _digest(item, digest)
    else:
        digest.update(repr(value).encode())


def _enabled() -> bool:
    return os.environ.get("MINSK_MOSCOW_CACHE", "").strip().lower() not in ("0", "off", "false", "no")


def cached(func: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``func(*args, **kwargs)``, kept in :data:`CACHE_DIR` under a key that changes with the code.

    Only for deterministic steps (every random step of the package is seeded). A cache file
    that cannot be read is computed again.
    """
    if not _enabled():
        return func(*args, **kwargs)
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"
    digest = hashlib.sha256(f"{name}|{code_fingerprint()}".encode())
    _digest((args, kwargs), digest)
    key = digest.hexdigest()[:32]
    path = CACHE_DIR / f"{name.rsplit('.', 1)[-1]}-{key}.pkl"
    if path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a damaged cache file is recomputed, never trusted
            path.unlink(missing_ok=True)
    value = func(*args, **kwargs)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=CACHE_DIR, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)  # atomic: parallel runs never read half a file
    except OSError:
        pass  # a read-only checkout still runs, uncached
    return value
