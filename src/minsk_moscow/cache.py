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

Old results (of older code, or of corpora no longer read) would pile up: after each write the
folder is cut back to :data:`CACHE_MAX_BYTES` (``$MINSK_MOSCOW_CACHE_GB``), least recently used
files first (a hit counts as a use), never the file just written.

>>> cached(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import inspect
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .paths import PROJECT_ROOT, SEEDS_DIR, VALIDATION_DIR

__all__ = ["CACHE_DIR", "CACHE_MAX_BYTES", "cached", "code_fingerprint", "prune_cache"]

CACHE_DIR: Path = PROJECT_ROOT / "build" / "cache"
"""Where :func:`cached` keeps results (never committed; ``make clean`` removes it)."""

CACHE_MAX_BYTES = 8 * 2**30
"""Most bytes :data:`CACHE_DIR` keeps (default 8 GiB; ``$MINSK_MOSCOW_CACHE_GB`` sets it in GiB). A re-run
of 100,000 articles keeps about 3 GiB there (the cleaned corpus, the topic fit, the relation table and the tone
sentences), so two such corpora fit."""
_STALE_TEMP_SECONDS = 24 * 3600
"""A half-written file (``.tmp``) this old was left by a run that was stopped: removed when pruning."""

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
        # Column by column, so that a column whose cells pandas cannot hash (lists of tokens) costs only
        # itself; the index as an array (an index of a million numbers item by item took seconds).
        _digest(frame.index.to_numpy(), digest)
        for column in frame.columns:
            try:
                digest.update(pd.util.hash_pandas_object(frame[column], index=False).to_numpy().tobytes())
            except TypeError:  # cells that cannot be hashed (lists of tokens)
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


def _arrow_texts(values: Any) -> "pa.ChunkedArray | None":
    """The Arrow strings behind a pandas array of them (pandas' "str" columns), without a copy;
    None for any other array, or one with missing values."""
    import pandas as pd
    import pyarrow as pa

    if not isinstance(values, pd.arrays.ArrowExtensionArray):
        return None
    chunks = values.__arrow_array__()
    kind = chunks.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)) or chunks.null_count:
        return None
    return chunks


def _arrow_offsets(chunks: "pa.ChunkedArray") -> "Iterator[tuple[memoryview, Any]]":
    """For each non-empty chunk of Arrow strings: a view of its data buffer and the ``len + 1``
    offsets into it (a NumPy array) where its strings start and end, slice offset applied."""
    import numpy as np
    import pyarrow as pa

    for chunk in chunks.chunks:
        if not len(chunk):
            continue
        _, offsets, data = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        bounds = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        yield (memoryview(data) if data is not None else memoryview(b"")), bounds


def _digest_texts(value: Any, digest: "hashlib._Hash") -> bool:
    """Feed a sequence of strings, or of sequences of strings (token lists), into ``digest`` at once.

    Every string's length goes in beside the joined text, so no two different contents give the
    same bytes. Returns False (nothing fed) for any other sequence. Item by item, the token
    lists of a large corpus's text units (millions of tokens) took about a minute per key.
    A pandas array of Arrow strings is read from its buffers (the same bytes as its strings as a list).
    """
    import numpy as np

    chunks = _arrow_texts(value)
    if chunks is not None:
        import pyarrow.compute as pc

        digest.update(b"texts" + f"{len(chunks)}|{len(chunks)}".encode())
        digest.update(np.asarray(pc.utf8_length(chunks), dtype=np.int64).tobytes())
        for data, bounds in _arrow_offsets(chunks):  # the UTF-8 bytes of the strings, in order, as stored
            digest.update(data[int(bounds[0]):int(bounds[-1])])
        return True
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


def _max_bytes() -> int:
    value = os.environ.get("MINSK_MOSCOW_CACHE_GB", "").strip()
    if not value:
        return CACHE_MAX_BYTES
    try:
        return int(float(value) * 2**30)
    except ValueError:
        raise ValueError(f"MINSK_MOSCOW_CACHE_GB={value!r} is not a number of GiB") from None


def prune_cache(*, max_bytes: int | None = None, keep: Path | None = None) -> list[Path]:
    """Remove the least recently used files of :data:`CACHE_DIR` until it holds at most ``max_bytes``.

    ``max_bytes`` defaults to ``$MINSK_MOSCOW_CACHE_GB`` or :data:`CACHE_MAX_BYTES`; ``keep`` is never
    removed (the file just written). Half-written files of stopped runs (a day old) go too. Returns the
    files removed. Another process may be reading a file that goes: it reads on (the name goes, not the data).

    >>> prune_cache(max_bytes=2**60)
    []
    """
    import time

    limit = _max_bytes() if max_bytes is None else max_bytes
    removed: list[Path] = []
    entries = []
    for path in CACHE_DIR.glob("*"):
        try:
            stat = path.stat()
        except OSError:  # removed meanwhile by another run
            continue
        if path.suffix == ".tmp":
            if time.time() - stat.st_mtime > _STALE_TEMP_SECONDS:
                path.unlink(missing_ok=True)
                removed.append(path)
        elif path.suffix == ".pkl":
            entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda e: (e[0], e[2].name)):
        if total <= limit:
            break
        if keep is not None and path == keep:
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
        total -= size
    return removed


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
            with contextlib.suppress(OSError):
                os.utime(path)  # used now: pruning removes the least recently used first
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
    else:
        prune_cache(keep=path)
    return value
