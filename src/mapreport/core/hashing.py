"""Hashes, row counts, package versions and the code fingerprint: what provenance is made of."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from mapreport.core import paths

PACKAGES = (
    "mapreport",
    "pandas",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "pydantic",
    "nh3",
    "markdown-it-py",
    "pypandoc-binary",
)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_signature(files: Iterable[Path]) -> tuple[tuple[str, str], ...]:
    """Each file's path and SHA-256 ('' where there is no file): the same signature, the same contents (a key for
    results computed from the files)."""
    return tuple((str(f), sha256_file(f) if f.is_file() else "") for f in files)


def _rows(data: bytes, suffix: str) -> int:
    lines = sum(1 for line in data.splitlines() if line.strip())
    return max(lines - 1, 0) if suffix == ".csv" else lines


def row_count(path: Path) -> int:
    """Data rows: lines after the header for CSV, non-blank lines for other text files."""
    return _rows(path.read_bytes(), path.suffix)


def file_record(path: Path) -> dict[str, Any]:
    """A file's provenance: its path in the project, SHA-256 and row count."""
    data = path.read_bytes()
    return {"path": paths.relative(path), "sha256": hashlib.sha256(data).hexdigest(), "rows": _rows(data, path.suffix)}


class FileRecords:
    """File records read once each, however many reports of however many quarters list the file: one per run
    (files do not change while a run plans; a new run reads them again). Row counts, which only a published
    manifest needs, are counted only when a whole record is asked for."""

    def __init__(self) -> None:
        self._digests: dict[Path, str] = {}
        self._records: dict[Path, dict[str, Any]] = {}

    def __call__(self, path: Path) -> dict[str, Any]:
        if path not in self._records:
            self._records[path] = file_record(path)
            self._digests[path] = self._records[path]["sha256"]
        return dict(self._records[path])

    def sha256(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = sha256_file(path)
        return self._digests[path]


@cache
def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@cache
def code_fingerprint() -> str:
    """One hash over mapreport's own source files and templates, so a code change is seen as a change (read once per
    process: a process runs one version of the code)."""
    package = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for file in sorted(
        p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".json", ".lua", ".docx"}
    ):
        digest.update(file.relative_to(package).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()
