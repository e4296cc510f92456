"""Publishing a quarter: a lock per quarter, checks before executing, a staging folder, and the atomic swap.

The staged folder replaces reports/<quarter> in one step: `renameat2(RENAME_EXCHANGE)` swaps the two folders
atomically (where the system lacks it, two renames with a journal that the next run of any quarter undoes). At
every step, reports/<quarter> is either the previous edition or the new one; never missing, never a mixture.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from mapreport.core import hashing, paths
from mapreport.core.errors import RunError
from mapreport.pipeline import manifest, opendata
from mapreport.pipeline.plan import QuarterPlan

SPARE_BYTES = 64 * 1024 * 1024
"""Free space wanted beyond twice the published quarter's size (the staged copy and the new outputs)."""
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _lock_dir() -> Path:
    return paths.work_dir() / "locks"


def _holder(quarter: str) -> Path:
    return _lock_dir() / f"{quarter}.holder"


def _describe_holder(quarter: str) -> str:
    """Who holds a quarter's lock, from the note the holder wrote: its process id, command and start time."""
    try:
        note = json.loads(_holder(quarter).read_text(encoding="utf-8"))
        return f" (process {note['pid']}, `{note['command']}`, started {note['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


@contextmanager
def quarter_lock(quarter: str) -> Iterator[None]:
    """Hold an exclusive lock on a quarter; a second run on the same quarter is refused, naming the holder."""
    _lock_dir().mkdir(parents=True, exist_ok=True)
    lock = FileLock(_lock_dir() / f"{quarter}.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RunError(
            f"another mapreport run{_describe_holder(quarter)} is already rendering {quarter}; wait for it to "
            "finish and run again"
        ) from None
    try:
        note = {
            "pid": os.getpid(),
            "command": " ".join(["mapreport", *sys.argv[1:]])[:200],
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        }
        with suppress(OSError):
            _holder(quarter).write_text(json.dumps(note), encoding="utf-8")
        yield
    finally:
        with suppress(OSError):
            _holder(quarter).unlink()
        lock.release()


def _previous_dir(quarter: str) -> Path:
    return paths.work_dir() / "previous" / quarter


def _journal(quarter: str) -> Path:
    return paths.work_dir() / "journal" / f"{quarter}.json"


def interrupted(quarter: str) -> Path | None:
    """Where the previous edition of a quarter waits when a publish was interrupted between its two renames."""
    previous = _previous_dir(quarter)
    return previous if previous.is_dir() and not (paths.reports_dir() / quarter).exists() else None


def interrupted_message(quarter: str, kept: Path) -> str:
    return (
        f"a publish of {quarter} was interrupted: the previous edition is kept in {paths.relative(kept)}; "
        "the next `mapreport run` (of any quarter) puts it back"
    )


def recover(quarter: str) -> None:
    """Undo a publish interrupted between its two renames: put the previous edition back; clear what is left."""
    published, previous = paths.reports_dir() / quarter, _previous_dir(quarter)
    if previous.exists():
        if published.exists():
            shutil.rmtree(previous, ignore_errors=True)
        else:
            published.parent.mkdir(parents=True, exist_ok=True)
            previous.rename(published)
    _journal(quarter).unlink(missing_ok=True)


def recover_all(skip: set[str]) -> list[str]:
    """Recover every quarter an interrupted publish left without its edition (not those in `skip`, whose lock this
    run holds and which it recovers itself); a quarter another run holds is left to it. Returns those recovered."""
    recovered = []
    left = {p.name for p in (paths.work_dir() / "previous").glob("*")}
    left |= {p.stem for p in (paths.work_dir() / "journal").glob("*.json")}
    for quarter in sorted(left - skip):
        try:
            with quarter_lock(quarter):
                missing = interrupted(quarter) is not None
                recover(quarter)
        except RunError:
            continue
        if missing:
            recovered.append(quarter)
    return recovered


def _short(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)[:200]


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def check_publishable(quarters: list[str]) -> None:
    """Before anything executes: reports/ and the work folder exist, are writable, are on one filesystem (so a
    publish is a rename), and hold enough free space. Raises RunError saying which and how to fix it."""
    reports, staging_root = paths.reports_dir(), paths.work_dir() / "staging"
    try:
        reports.mkdir(parents=True, exist_ok=True)
        staging_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"cannot create {paths.relative(Path(exc.filename or reports))}: {_short(exc)}") from None
    try:  # the real test: a folder made in the work folder and renamed into reports/ and back
        probe = Path(tempfile.mkdtemp(prefix=".probe-", dir=staging_root))
    except OSError as exc:
        raise RunError(
            f"the work folder {paths.relative(staging_root)} is not writable ({_short(exc)}); nothing was run"
        ) from None
    target = reports / f".mapreport-probe-{os.getpid()}"
    try:
        probe.rename(target)
        target.rename(probe)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            work = paths.work_dir().name
            raise RunError(
                f"the work folder {work}/ is on a different filesystem from reports/, so a quarter cannot be "
                f"published in one step; make {work}/ a plain folder beside reports/ (not a link or mount to another "
                "disk). Nothing was run; reports/ is unchanged."
            ) from None
        raise RunError(
            f"{paths.relative(reports)} is not writable ({_short(exc)}); nothing was run. Make it writable "
            "(check its permissions and that the disk is not read-only) and run again."
        ) from None
    finally:
        for leftover in (target, probe):
            with suppress(OSError):
                leftover.rmdir()
    for quarter in quarters:
        published = reports / quarter
        if published.exists() and not os.access(published, os.W_OK):
            raise RunError(
                f"{paths.relative(published)} is not writable (read-only or immutable), so it cannot be replaced; "
                "nothing was run. Make it writable and run again."
            )
    needed = sum(2 * _tree_size(reports / q) for q in quarters) + SPARE_BYTES
    free = shutil.disk_usage(staging_root).free
    if free < needed:
        raise RunError(
            f"the disk holding {paths.relative(reports)} has {free // 2**20} MB free; a run of "
            f"{', '.join(quarters)} needs about {needed // 2**20} MB. Free some space; nothing was run."
        )


def public_permissions(folder: Path) -> None:
    """Published like the rest of reports/: folders 0755, files 0644 (a staging folder is made private, 0700)."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


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
            try:
                shutil.copytree(published, staging, dirs_exist_ok=True)
            except (OSError, shutil.Error) as exc:
                detail = _short(exc) if isinstance(exc, OSError) else f"{len(exc.args[0])} file(s) not copied"
                raise RunError(
                    f"could not copy {paths.relative(published)} to the work folder ({detail}); nothing was run"
                ) from None
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _outputs(staging: Path, quarter: str) -> list[dict[str, Any]]:
    """Records of the staged outputs under the paths they will have once published."""
    published = paths.reports_dir() / quarter
    return [
        {**hashing.file_record(p), "path": paths.relative(published / p.relative_to(staging))}
        for p in sorted(staging.rglob("*"))
        if p.is_file() and p.name != manifest.MANIFEST
    ]


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with renameat2(RENAME_EXCHANGE); False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def step(name: str) -> None:
    """A named point between two publish steps (tests inject a failure at each one)."""


def _discard(previous: Path, quarter: str) -> None:
    """Remove the previous edition once the new one is published; a failure here leaves only a leftover that the
    next run of the quarter removes, so it is not a failed publish."""
    with suppress(OSError):
        step("remove previous edition")
        shutil.rmtree(previous, ignore_errors=True)
        _journal(quarter).unlink(missing_ok=True)


def swap_in(staging: Path, quarter: str) -> None:
    """Swap the staged folder in as reports/<quarter>: never missing with the exchange; without it, only between
    the two journalled renames (until the next run of any quarter puts the previous edition back)."""
    published = paths.reports_dir() / quarter
    published.parent.mkdir(parents=True, exist_ok=True)
    if not published.exists():
        step("rename new edition in")
        staging.rename(published)  # nothing to replace: one rename
        return
    step("exchange")
    if _exchange(staging, published):  # published; the staging path now holds the previous edition
        _discard(staging, quarter)
        return
    # No atomic exchange on this system: two renames, journalled so the next run undoes an interruption.
    previous = _previous_dir(quarter)
    previous.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(previous, ignore_errors=True)
    _journal(quarter).parent.mkdir(parents=True, exist_ok=True)
    _journal(quarter).write_text(json.dumps({"quarter": quarter, "previous": str(previous)}), encoding="utf-8")
    step("move previous edition aside")
    published.rename(previous)
    step("rename new edition in")
    staging.rename(published)
    _discard(previous, quarter)


def publish(quarter_plan: QuarterPlan, staging: Path, git: dict[str, Any]) -> None:
    """Write the manifest into the staged folder and swap it in as reports/<quarter>; an OSError is a RunError."""
    params = quarter_plan.params
    try:
        (staging / manifest.MANIFEST).unlink(missing_ok=True)
        opendata.write_datapackage(staging, params.quarter)
        step("write manifest")
        record = {
            "quarter": params.quarter,
            "params": params.notebook_parameters(),
            "notebooks": quarter_plan.entries,
            "versions": hashing.package_versions(),
            "code_sha256": hashing.code_fingerprint(),
            "git": git,
            "word_engine": manifest.word_engine(),
            "outputs": _outputs(staging, params.quarter),
        }
        manifest.write_manifest(staging, record)
        public_permissions(staging)
        swap_in(staging, params.quarter)
    except OSError as exc:
        with suppress(OSError):
            recover(params.quarter)  # put the previous edition back at once if the second rename failed
        kept = interrupted(params.quarter)
        state = interrupted_message(params.quarter, kept) if kept else f"reports/{params.quarter} is unchanged"
        raise RunError(
            f"could not publish {params.quarter}: {_short(exc)} ({paths.relative(Path(exc.filename or staging))}); "
            f"{state}"
        ) from None
