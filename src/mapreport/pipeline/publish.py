"""Publishing a quarter: a lock per quarter, a staging folder, the manifest, and the swap into reports/."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from mapreport.core import hashing, paths
from mapreport.core.errors import RunError
from mapreport.pipeline import manifest
from mapreport.pipeline.plan import QuarterPlan


@contextmanager
def quarter_lock(quarter: str) -> Iterator[None]:
    """Hold an exclusive lock on a quarter; a second run on the same quarter is refused with a clear message."""
    lock_dir = paths.work_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_dir / f"{quarter}.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RunError(
            f"another mapreport run is already rendering {quarter}; wait for it to finish and run again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _previous_dir(quarter: str) -> Path:
    return paths.work_dir() / "previous" / quarter


def recover(quarter: str) -> None:
    """Undo a publish interrupted between its two renames: put the previous reports back."""
    published, previous = paths.reports_dir() / quarter, _previous_dir(quarter)
    if previous.exists():
        if published.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(published)


def public_permissions(folder: Path) -> None:
    """Published like the rest of reports/: folders 0755, files 0644 (a staging folder is made private, 0700)."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def swap_in(staging: Path, quarter: str) -> None:
    """Swap the staged folder in as reports/<quarter>: two renames on one disk, recoverable if interrupted."""
    published, previous = paths.reports_dir() / quarter, _previous_dir(quarter)
    previous.parent.mkdir(parents=True, exist_ok=True)
    published.parent.mkdir(parents=True, exist_ok=True)
    if published.exists():
        published.rename(previous)
    staging.rename(published)
    if previous.exists():
        shutil.rmtree(previous)


@contextmanager
def staging_folder(quarter: str) -> Iterator[Path]:
    """A fresh folder beside reports/ holding a copy of the published quarter; removed unless it was published."""
    staging_root = paths.work_dir() / "staging"
    staging_root.mkdir(parents=True, exist_ok=True)
    for stale in staging_root.glob(f"{quarter}-*"):  # left by a killed run; we hold the quarter's lock
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{quarter}-", dir=staging_root))
    try:
        published = paths.reports_dir() / quarter
        if published.exists():
            shutil.copytree(published, staging, dirs_exist_ok=True)
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _outputs(staging: Path, quarter: str) -> list[dict[str, Any]]:
    """Records of the staged outputs under the paths they will have once published."""
    published = paths.reports_dir() / quarter
    return [
        {**hashing.file_record(p), "path": paths.relative(published / p.name)}
        for p in sorted(staging.iterdir())
        if p.name != manifest.MANIFEST
    ]


def publish(quarter_plan: QuarterPlan, staging: Path, git: dict[str, Any]) -> None:
    """Write the manifest into the staged folder and swap it in as reports/<quarter>."""
    params = quarter_plan.params
    (staging / manifest.MANIFEST).unlink(missing_ok=True)
    record = {
        "quarter": params.quarter,
        "params": params.notebook_parameters(),
        "notebooks": quarter_plan.entries,
        "versions": hashing.package_versions(),
        "code_sha256": hashing.code_fingerprint(),
        "git": git,
        "outputs": _outputs(staging, params.quarter),
    }
    manifest.write_manifest(staging, record)
    public_permissions(staging)
    swap_in(staging, params.quarter)
