"""Running a quarter: validate, execute changed notebooks in parallel, render, and publish atomically."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from mapreport.core import hashing, paths
from mapreport.core.errors import InputError, RunError
from mapreport.core.params import ReportParams, load_params
from mapreport.pipeline import manifest
from mapreport.reports.registry import EIA, available_notebooks, input_files, template_path

DEFAULT_CELL_TIMEOUT = 300
KERNEL_ENV = {"PYTHONHASHSEED": "0", "COLUMNS": "100", "LINES": "40", "MPLBACKEND": "Agg", "TZ": "UTC"}
TITLES = {
    "progress_report": "Quarterly progress update",
    "eia_report": "Equality impact assessment",
    "equality_annex": "Equality data annex",
}


@dataclass(frozen=True)
class Job:
    """One notebook to execute for one quarter."""

    quarter: str
    notebook: str
    parameters: dict[str, Any]
    staging: Path
    failed_dir: Path
    cell_timeout: int


@dataclass
class QuarterResult:
    """What a run did for one quarter."""

    quarter: str
    executed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _ipc_kernel_manager(folder: str) -> type:
    """A kernel manager on IPC sockets in `folder`: parallel kernels cannot race for TCP ports."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(Path(folder) / "kernel")

        async def start_kernel(self, **kw: Any) -> None:
            # The kernel's own output stays off the terminal (cells' output is in the notebook): a kernel stopped
            # after a cell timeout prints a traceback of its interrupted reply.
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super().start_kernel(**kw)

    return IPCKernelManager


def _failure_message(job: Job, exc: BaseException, kept: Path) -> str:
    from papermill.exceptions import PapermillExecutionError

    where = f"notebooks/{job.notebook}.ipynb for {job.quarter}"
    if isinstance(exc, PapermillExecutionError):
        first_line = next((line.strip() for line in exc.source.splitlines() if line.strip()), "")
        reason = f"cell {exc.cell_index} ({first_line[:80]!r}) raised {exc.ename}: {exc.evalue}"
    elif type(exc).__name__ == "CellTimeoutError":
        reason = f"a cell ran longer than the {job.cell_timeout} s limit and was stopped (--cell-timeout sets it)"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    return f"{where} failed: {reason}. The failed notebook is kept at {paths.relative(kept)}; reports/ is unchanged."


def stderr_output(nb: Any) -> str | None:
    """The first cell that wrote to stderr (a warning, usually), as 'cell N: first line', or None."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                first = output.get("text", "").strip().splitlines()[:1]
                return f"cell {index}: {first[0] if first else ''}"
    return None


def execute_job(job: Job) -> str:
    """Execute one notebook with papermill and render it; runs in a worker process. Returns the notebook name."""
    import nbformat
    import papermill

    from mapreport.pipeline import render
    from mapreport.pipeline.normalise import normalise

    os.environ.update(KERNEL_ENV)
    # papermill logs a failure ("Timeout waiting for execute reply") that the RunError below says in full
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    output = job.staging / f"{job.notebook}.ipynb"
    # Unix socket paths are limited to about 100 characters, so the sockets live in a short temporary folder.
    sockets = tempfile.TemporaryDirectory(prefix="mapreport-kernel-")
    try:
        papermill.execute_notebook(
            str(template_path(job.notebook)),
            str(output),
            parameters=job.parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            cwd=str(job.staging),
            execution_timeout=job.cell_timeout,
            kernel_manager_class=_ipc_kernel_manager(sockets.name),
        )
    except Exception as exc:  # every failure becomes one message; the evidence is kept outside reports/
        job.failed_dir.mkdir(parents=True, exist_ok=True)
        kept = job.failed_dir / output.name
        if output.exists():
            shutil.copyfile(output, kept)
        raise RunError(_failure_message(job, exc, kept)) from None
    finally:
        sockets.cleanup()
    nb = normalise(nbformat.read(output, as_version=4))
    nbformat.write(nb, output)
    if warning := stderr_output(nb):
        job.failed_dir.mkdir(parents=True, exist_ok=True)
        kept = job.failed_dir / output.name
        shutil.copyfile(output, kept)
        raise RunError(
            f"notebooks/{job.notebook}.ipynb for {job.quarter} wrote to stderr in {warning}; a public report must "
            f"not carry warnings. Fix the cause; the notebook is kept at {paths.relative(kept)}; reports/ is unchanged."
        )
    title = f"{TITLES.get(job.notebook, job.notebook)}: {job.quarter}"
    public = job.staging / f"{job.notebook}.html"
    public.write_text(render.to_html(nb, title, public=True), encoding="utf-8")
    (job.staging / f"{job.notebook}.audit.html").write_text(render.to_html(nb, title, public=False), encoding="utf-8")
    if job.notebook == EIA:
        render.notebook_to_docx(output, public, job.staging / f"{job.notebook}.docx", epoch=_epoch(job.quarter))
    return job.notebook


def _epoch(quarter: str) -> int:
    """A fixed timestamp for documents that embed one: midnight UTC at the end of the quarter."""
    from datetime import UTC, datetime

    from mapreport.core.periods import Quarter

    end = Quarter.parse(quarter).end_date
    return int(datetime(end.year, end.month, end.day, tzinfo=UTC).timestamp())


@contextmanager
def quarter_lock(quarter: str) -> Iterator[None]:
    """Hold an exclusive lock on a quarter; a second run on the same quarter is refused with a clear message."""
    lock_dir = paths.work_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{quarter}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunError(
                f"another mapreport run is already rendering {quarter}; wait for it to finish and run again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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


def publish(staging: Path, quarter: str) -> None:
    """Swap the staged folder in as reports/<quarter>: two renames on one disk, recoverable if interrupted."""
    published, previous = paths.reports_dir() / quarter, _previous_dir(quarter)
    previous.parent.mkdir(parents=True, exist_ok=True)
    published.parent.mkdir(parents=True, exist_ok=True)
    if published.exists():
        published.rename(previous)
    staging.rename(published)
    if previous.exists():
        shutil.rmtree(previous)


def _manifest(params: ReportParams, notebooks: dict[str, dict[str, Any]], git: dict[str, Any]) -> dict[str, Any]:
    return {
        "quarter": params.quarter,
        "params": params.notebook_parameters(),
        "notebooks": notebooks,
        "versions": hashing.package_versions(),
        "code_sha256": hashing.code_fingerprint(),
        "git": git,
    }


def _notebook_entry(notebook: str, params: ReportParams) -> dict[str, Any]:
    files = input_files(notebook, params)
    template = template_path(notebook)
    return {
        "template": hashing.file_record(template),
        "inputs": [hashing.file_record(path) for path in files],
        "dependency_key": manifest.dependency_key(template, params.notebook_parameters(), files),
    }


def _outputs(staging: Path, quarter: str) -> list[dict[str, Any]]:
    """Records of the staged outputs under the paths they will have once published."""
    published = paths.reports_dir() / quarter
    return [
        {**hashing.file_record(p), "path": paths.relative(published / p.name)}
        for p in sorted(staging.iterdir())
        if p.name != manifest.MANIFEST
    ]


def plan(params: ReportParams, force: bool) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The manifest entries for this run and the notebooks that must be executed (all of them with `force`)."""
    entries = {nb: _notebook_entry(nb, params) for nb in available_notebooks()}
    published = manifest.read_manifest(paths.reports_dir() / params.quarter) or {}
    old = published.get("notebooks", {})
    stale = [
        nb
        for nb, entry in entries.items()
        if force
        or old.get(nb, {}).get("dependency_key") != entry["dependency_key"]
        or not (paths.reports_dir() / params.quarter / f"{nb}.ipynb").exists()
    ]
    return entries, stale


def _require_inputs(params: ReportParams) -> None:
    """Planning hashes every input file, so a missing one is reported first: by the loaders, which say most."""
    from mapreport.pipeline.validate import validate_quarter

    missing = [f for nb in available_notebooks() for f in input_files(nb, params) if not f.is_file()]
    if missing:
        validate_quarter(params)
        raise InputError.single(paths.relative(missing[0]), "", "file not found; expected it to exist (check the name)")


Progress = Callable[[str, str], None]


def run_quarters(
    quarters: list[str],
    *,
    force: bool = False,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[QuarterResult]:
    """Validate, then execute every stale notebook of the given quarters in one worker pool and publish each quarter.

    A quarter is published only if all its notebooks succeeded; any failure raises RunError after the others finish.
    """
    from mapreport.pipeline.validate import validate_quarter

    report = progress or (lambda quarter, message: None)
    os.environ[paths.ROOT_ENV] = str(paths.project_root())
    all_params = [load_params(q) for q in quarters]
    for params in all_params:
        _require_inputs(params)
    plans = {p.quarter: plan(p, force) for p in all_params}
    for params in all_params:
        if plans[params.quarter][1]:
            validate_quarter(params)
    results = [
        QuarterResult(
            p.quarter,
            executed=plans[p.quarter][1],
            unchanged=[nb for nb in plans[p.quarter][0] if nb not in plans[p.quarter][1]],
        )
        for p in all_params
    ]
    stale_params = [p for p in all_params if plans[p.quarter][1]]
    git = manifest.git_state() if stale_params else {}  # the tree as the run found it, before it writes
    with ExitStack() as stack:
        staging = {}
        for params in stale_params:
            stack.enter_context(quarter_lock(params.quarter))
            recover(params.quarter)
            staging[params.quarter] = stack.enter_context(_staging_folder(params.quarter))
        jobs = [
            Job(
                p.quarter,
                nb,
                p.notebook_parameters(),
                staging[p.quarter],
                paths.work_dir() / "failed" / p.quarter,
                cell_timeout,
            )
            for p in stale_params
            for nb in plans[p.quarter][1]
        ]
        failures = _execute_all(jobs, workers, report)
        failed_quarters = {job.quarter for job, _ in failures}
        for params in stale_params:
            if params.quarter not in failed_quarters:
                _finish_quarter(params, plans[params.quarter][0], staging[params.quarter], git)
    for result in results:
        if result.quarter not in failed_quarters:
            report(
                result.quarter, "unchanged" if not result.executed else f"published ({len(result.executed)} executed)"
            )
    if failures:
        raise RunError("\n".join(message for _, message in failures))
    return results


@contextmanager
def _staging_folder(quarter: str) -> Iterator[Path]:
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


def _finish_quarter(
    params: ReportParams, entries: dict[str, dict[str, Any]], staging: Path, git: dict[str, Any]
) -> None:
    (staging / manifest.MANIFEST).unlink(missing_ok=True)
    record = _manifest(params, entries, git)
    record["outputs"] = _outputs(staging, params.quarter)
    manifest.write_manifest(staging, record)
    publish(staging, params.quarter)


def _execute_all(jobs: list[Job], workers: int | None, report: Progress) -> list[tuple[Job, str]]:
    """Run the jobs (in parallel where there are several); return the failures with their messages."""
    failures: list[tuple[Job, str]] = []
    if not jobs:
        return failures
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        for job in jobs:
            try:
                report(job.quarter, f"{execute_job(job)} done")
            except RunError as exc:
                failures.append((job, str(exc)))
        return failures
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(execute_job, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                report(job.quarter, f"{future.result()} done")
            except RunError as exc:
                failures.append((job, str(exc)))
    return failures
