"""Published data sets parsed once per process for each content of a file.

`validate` loads every quarter's annex, and the tests load it many times; the same census, Home Office and PAS files
need parsing only once. The key is the loader, the path, the file's SHA-256 and the loader's other arguments, so an
edited file is parsed again; every caller gets its own copy of the frame. Problems are never cached: a file that
fails raises again, with its message, on every call.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path

import pandas as pd

from mapreport.core.hashing import sha256_file

_PARSED: dict[tuple[str, str, str, tuple[Hashable, ...]], pd.DataFrame] = {}


def parsed(loader: Callable[..., pd.DataFrame], path: Path, *args: Hashable) -> pd.DataFrame:
    """`loader(path, *args)`, parsed once per process for each content of the file; the caller's own copy."""
    if not path.is_file():
        return loader(path, *args)  # the loader says what is wrong
    key = (f"{loader.__module__}.{loader.__qualname__}", str(path.resolve()), sha256_file(path), args)
    if key not in _PARSED:
        _PARSED[key] = loader(path, *args)
    return _PARSED[key].copy()
