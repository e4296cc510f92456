"""Where things are: every path is resolved from the project root, never the working directory."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from mapreport.core.errors import ProjectNotFound

ROOT_ENV = "MAPREPORT_ROOT"


PROJECT_FOLDERS = ("params", "data", "notebooks")


def is_project(path: Path) -> bool:
    """A mapreport project is a folder holding params/, data/ and notebooks/."""
    return all((path / name).is_dir() for name in PROJECT_FOLDERS)


@cache
def project_root() -> Path:
    """The project root: $MAPREPORT_ROOT (set by `--project-dir`), else the current folder or its nearest parent
    that is a project. Raises ProjectNotFound otherwise."""
    if env := os.environ.get(ROOT_ENV):
        root = Path(env).resolve()
        if not is_project(root):
            raise ProjectNotFound(
                f"{root} is not a mapreport project (expected the folders params/, data/ and notebooks/)"
            )
        return root
    cwd = Path.cwd().resolve()
    for candidate in (cwd, *cwd.parents):
        if is_project(candidate):
            return candidate
    raise ProjectNotFound(
        f"no mapreport project was found in {cwd} or its parents (a folder with params/, data/ and notebooks/); "
        "run from inside one or pass --project-dir DIR"
    )


def use_project(folder: Path) -> Path:
    """Make `folder` the project for this process and the kernels it starts; return its resolved path."""
    os.environ[ROOT_ENV] = str(folder.resolve())
    project_root.cache_clear()
    return project_root()


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
