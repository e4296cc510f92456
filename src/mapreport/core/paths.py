"""Where things are: every path is resolved from the project root, never the working directory."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

ROOT_ENV = "MAPREPORT_ROOT"


def _looks_like_root(path: Path) -> bool:
    return (path / "params").is_dir() and (path / "data").is_dir() and (path / "notebooks").is_dir()


@cache
def project_root() -> Path:
    """The project root: $MAPREPORT_ROOT, else the nearest parent of the cwd or of this package holding params/, data/ and notebooks/."""
    if env := os.environ.get(ROOT_ENV):
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if _looks_like_root(candidate):
                return candidate
    raise FileNotFoundError(
        f"Cannot find the mapreport project (a folder with params/, data/ and notebooks/); "
        f"run from inside it or set {ROOT_ENV}."
    )


def data_dir() -> Path:
    return project_root() / "data"


def params_dir() -> Path:
    return project_root() / "params"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"


def work_dir() -> Path:
    """Scratch space for runs in progress and failed notebooks; on the same disk as reports/ so publishing is a rename."""
    return project_root() / ".mapreport-work"


def relative(path: Path) -> str:
    """A path as shown in reports and messages: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)
