"""Hashes, row counts, package versions and the code fingerprint: what provenance is made of."""

from __future__ import annotations

import hashlib
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


def row_count(path: Path) -> int:
    """Data rows: lines after the header for CSV, non-blank lines for other text files."""
    lines = [line for line in path.read_bytes().splitlines() if line.strip()]
    return max(len(lines) - 1, 0) if path.suffix == ".csv" else len(lines)


def file_record(path: Path) -> dict[str, Any]:
    return {"path": paths.relative(path), "sha256": sha256_file(path), "rows": row_count(path)}


@cache
def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_fingerprint() -> str:
    """One hash over mapreport's own source files and templates, so a code change is seen as a change."""
    package = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for file in sorted(
        p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".json", ".lua", ".docx"}
    ):
        digest.update(file.relative_to(package).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()
