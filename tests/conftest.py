"""Shared fixtures: a throwaway copy of the project, so tests can break inputs without touching the real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mapreport.core import paths

PROJECT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
TEST_DATA = TESTS / "data"
RENDERED_QUARTER = "2022-23-Q1"


def quarters_with_params(root: Path = PROJECT) -> list[str]:
    """Every quarter with a params file in a project, oldest first: tests derive the quarters from params/, so that
    adding a quarter (a params file and its data) never breaks one."""
    return sorted(p.stem for p in (root / "params").glob("*.yaml"))


def copy_project(source: Path, root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("params", "data", "notebooks", "reports"):
        if (source / name).exists():
            shutil.copytree(source / name, root / name)
    return root


READS = "reads"
"""The folder of `rendered_base` (beside its project) where the render recorded every file each kernel opened."""


@pytest.fixture(scope="session")
def rendered_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with one quarter freshly rendered by the real `mapreport run` (once per session), recording
    the files each report's kernel opened in `<base>/../reads/` (see mapreport.core.readlog)."""
    from mapreport.core import readlog
    from mapreport.pipeline.run import run_quarters

    base = tmp_path_factory.mktemp("rendered")
    root = copy_project(PROJECT, base / "project")
    (base / READS).mkdir()
    shutil.rmtree(root / "reports", ignore_errors=True)
    previous = os.environ.get(paths.ROOT_ENV)
    os.environ[paths.ROOT_ENV] = str(root)
    os.environ[readlog.RECORD_ENV] = str(base / READS)
    paths.project_root.cache_clear()
    try:
        run_quarters([RENDERED_QUARTER], force=True)
    finally:
        os.environ.pop(readlog.RECORD_ENV, None)
        if previous is None:
            os.environ.pop(paths.ROOT_ENV, None)
        else:
            os.environ[paths.ROOT_ENV] = previous
        paths.project_root.cache_clear()
    return root


@pytest.fixture
def rendered_project(rendered_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the rendered project, to change and re-run."""
    root = copy_project(rendered_base, tmp_path / "project")
    monkeypatch.setenv(paths.ROOT_ENV, str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below a folder, by relative path."""
    import hashlib

    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def tmp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of params/, data/ and notebooks/ (reports/ too, where present) in a temporary project root."""
    root = copy_project(PROJECT, tmp_path / "project")
    monkeypatch.setenv(paths.ROOT_ENV, str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a fixture file, failing loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
