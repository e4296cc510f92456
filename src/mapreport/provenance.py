"""Provenance: hashes of inputs and outputs, versions, and the manifest written beside each quarter's reports."""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from mapreport import paths

MANIFEST = "manifest.json"
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
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for file in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".json"}):
        digest.update(file.relative_to(package).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def git_state() -> dict[str, Any]:
    """The commit checked out and whether the work tree had uncommitted changes (None outside git)."""

    def git(*args: str) -> str | None:
        try:
            result = subprocess.run(
                ["git", *args], cwd=paths.project_root(), capture_output=True, text=True, check=False, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def dependency_key(template: Path, params: dict[str, Any], inputs: list[Path]) -> str:
    """A hash of everything a notebook's output depends on: template, params, input files and mapreport's code."""
    digest = hashlib.sha256()
    digest.update(sha256_file(template).encode())
    digest.update(json.dumps(params, sort_keys=True).encode())
    for path in inputs:
        digest.update(paths.relative(path).encode())
        digest.update(sha256_file(path).encode())
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps(package_versions(), sort_keys=True).encode())
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a published quarter, or None where there is none or it is unreadable."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
