"""Shared fixtures: a throwaway copy of the project, so tests can break inputs without touching the real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mapreport import paths

PROJECT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).parent / "data"
# Kernels started by nbval inherit these, like the ones `mapreport run` starts (see mapreport.run.KERNEL_ENV).
os.environ.update({"PYTHONHASHSEED": "0", "COLUMNS": "100", "LINES": "40", "MPLBACKEND": "Agg", "TZ": "UTC"})


@pytest.fixture
def tmp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of params/, data/ and notebooks/ (reports/ too, where present) in a temporary project root."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("params", "data", "notebooks", "reports"):
        if (PROJECT / name).exists():
            shutil.copytree(PROJECT / name, root / name)
    monkeypatch.setenv(paths.ROOT_ENV, str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a fixture file, failing loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
