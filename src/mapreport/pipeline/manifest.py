"""The manifest written beside each quarter's reports: read, write, git state and dependency keys."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from mapreport.core import paths
from mapreport.core.hashing import FileRecords, code_fingerprint, package_versions
from mapreport.core.wordengine import word_engine

__all__ = ["MANIFEST", "dependency_key", "git_state", "read_manifest", "word_engine", "write_manifest"]

MANIFEST = "manifest.json"


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


def dependency_key(
    template: Path, params: dict[str, Any], inputs: list[Path], records: FileRecords | None = None
) -> str:
    """A hash of everything a notebook's output depends on: template, params, input files and mapreport's code
    (`records`: the run's file records, so a file listed by several reports is read once)."""
    record = records or FileRecords()
    digest = hashlib.sha256()
    digest.update(record.sha256(template).encode())
    digest.update(json.dumps(params, sort_keys=True).encode())
    for path in inputs:
        digest.update(paths.relative(path).encode())
        digest.update(record.sha256(path).encode())
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps(package_versions(), sort_keys=True).encode())
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a published quarter, or None where there is none or it is unreadable."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
