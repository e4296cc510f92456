"""Shared fixtures: a throwaway copy of the project, so tests can break inputs without touching the real one."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
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


LINKED = (Path("data") / "sources" / "stop_search", Path("reports"))
"""The police.uk months and the published reports (53 of a project's 57 MB): in throwaway projects of PROJECT made
with `link=True`, hard links to one copy per test process instead of copies. The code only ever replaces these files
(published editions are swapped in whole, files written to a temporary name and renamed); a test that changes one
must replace it too (`replace_file`: unlink, then write), never write into it: `check_links` fails a test that did
and restores the shared copy. The project's own files are never linked."""


@cache
def _shared(folder: Path) -> Path:
    """This process's copy of one of PROJECT's LINKED folders."""
    parent = Path(tempfile.mkdtemp(prefix="mapreport-test-shared-"))
    atexit.register(shutil.rmtree, parent, ignore_errors=True)
    shutil.copytree(PROJECT / folder, parent / folder.name)
    return parent / folder.name


def copy_project(source: Path, root: Path, *, link: bool = False) -> Path:
    root.mkdir(parents=True)
    linked = [f for f in LINKED if link and source == PROJECT and (PROJECT / f).is_dir()]

    def skip_linked(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if any(Path(folder, n) == source / f for f in linked)]

    for name in ("params", "data", "notebooks", "reports"):
        if (source / name).exists() and Path(name) not in linked:
            shutil.copytree(source / name, root / name, ignore=skip_linked)
    for folder in linked:
        shutil.copytree(_shared(folder), root / folder, copy_function=os.link)
    return root


def replace_file(path: Path, data: bytes) -> None:
    """Write a new file in place of `path` (a hard link is cut, so the file it shared is untouched)."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def link_state(root: Path) -> dict[Path, tuple[int, int]]:
    """Size and modification time of each file of a project still hard-linked to a shared copy."""
    state = {}
    for folder in LINKED:
        for file in (root / folder).rglob("*") if (root / folder).is_dir() else []:
            stat = file.stat()
            if file.is_file() and stat.st_nlink > 1:
                state[file.relative_to(root)] = (stat.st_size, stat.st_mtime_ns)
    return state


def check_links(root: Path, before: dict[Path, tuple[int, int]]) -> None:
    """Fail where a test wrote into a hard-linked file instead of replacing it (and restore the shared copy)."""
    after = link_state(root)
    written = sorted(str(name) for name, state in after.items() if before.get(name, state) != state)
    for name in written:
        folder = next(f for f in LINKED if Path(name).is_relative_to(f))
        replace_file(_shared(folder) / Path(name).relative_to(folder), (PROJECT / name).read_bytes())
    assert not written, (
        f"written in place through a hard link: {written}; replace files with tests.conftest.replace_file instead"
    )


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
    """A copy of params/, data/ and notebooks/ (reports/ too, where present) in a temporary project root; the police.uk
    months hard-linked (see LINKED)."""
    root = copy_project(PROJECT, tmp_path / "project", link=True)
    before = link_state(root)
    monkeypatch.setenv(paths.ROOT_ENV, str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()
    check_links(root, before)


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a fixture file, failing loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
