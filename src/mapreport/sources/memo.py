"""Published data sets parsed once per run, not once per notebook.

Two layers, both keyed by the loader, the file's SHA-256 and the loader's other arguments, so an edited file is
parsed again:

- in the process: `validate` loads every quarter's annex, and the tests load it many times;
- on disk, under `.mapreport-work/parsed/` (or $MAPREPORT_PARSED_CACHE): each notebook runs in its own kernel, so
  without it every annex of every quarter parsed the same census, Home Office and PAS files again. The disk key also
  holds the fingerprint of mapreport's code and the pandas version, so a change to any loader (or to pandas)
  invalidates every entry. Entries are written atomically; an unreadable entry is parsed again and rewritten.

`checked` keeps the result of a check the same way, under a key holding the content of everything the check reads
(the status files: every progress, history and EIA kernel checks the same quarters against the same documents).

Every caller gets its own copy of the frame. Problems are never cached: a file that fails raises again, with its
message, on every call. A report reaches an entry only through the path it asked the loader for, so it never reads
the parsed form of a source it did not declare.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path

import pandas as pd

from mapreport.core import paths
from mapreport.core.hashing import code_fingerprint, sha256_file

CACHE_ENV = "MAPREPORT_PARSED_CACHE"
_PARSED: dict[tuple[str, str, str, tuple[Hashable, ...]], pd.DataFrame] = {}


@cache
def _code() -> str:
    return f"{code_fingerprint()}-{pd.__version__}"


def cache_dir() -> Path:
    """Where parsed frames are kept between processes."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else paths.work_dir() / "parsed"


def _from_disk(key: tuple[str, str, tuple[Hashable, ...]], parse: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The frame stored under `key` and the code's fingerprint, else `parse()` (stored when it returns)."""
    name = hashlib.sha256(repr((*key, _code())).encode()).hexdigest()
    entry = cache_dir() / f"{name}.pickle"
    try:
        with entry.open("rb") as stored:
            frame = pickle.load(stored)
        if isinstance(frame, pd.DataFrame):
            return frame
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass
    frame = parse()
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, suffix=".tmp", delete=False) as written:
            pickle.dump(frame, written, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written.name, entry)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return frame


def parsed(loader: Callable[..., pd.DataFrame], path: Path, *args: Hashable, digest: str | None = None) -> pd.DataFrame:
    """`loader(path, *args)`, parsed once per run for each content of the file; the caller's own copy. `digest`: the
    file's SHA-256 where the caller has just computed it."""
    if not path.is_file():
        return loader(path, *args)  # the loader says what is wrong
    qualname = f"{loader.__module__}.{loader.__qualname__}"
    digest = digest or sha256_file(path)
    key = (qualname, str(path.resolve()), digest, args)
    if key not in _PARSED:
        _PARSED[key] = _from_disk((qualname, digest, args), lambda: loader(path, *args))
    return _PARSED[key].copy()


def checked(name: str, inputs: Hashable, check: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`check()`, run once per run for the same `inputs` (a key holding the content of everything it reads, e.g.
    file digests), kept like a parsed file; the caller's own copy. A check that raises is never kept."""
    digest = hashlib.sha256(repr(inputs).encode()).hexdigest()
    key = (name, "", digest, ())
    if key not in _PARSED:
        _PARSED[key] = _from_disk((name, digest, ()), check)
    return _PARSED[key].copy()
