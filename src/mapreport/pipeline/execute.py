"""Executing one report's notebook for one quarter with papermill, then rendering it; runs in a worker process."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from mapreport.core import paths, readlog
from mapreport.core.errors import RunError
from mapreport.core.periods import Quarter
from mapreport.pipeline import warmkernel
from mapreport.reports.registry import WORD, report

KERNEL_ENV = {"PYTHONHASHSEED": "0", "COLUMNS": "100", "LINES": "40", "MPLBACKEND": "Agg", "TZ": "UTC"}


@dataclass(frozen=True)
class Job:
    """One report to execute for one quarter."""

    quarter: str
    report: str
    parameters: dict[str, Any]
    staging: Path
    failed_dir: Path
    cell_timeout: int


def _ready_client() -> type:
    """A kernel client whose wait for the kernel ends as soon as the kernel has answered on both channels.

    jupyter_client's own wait then listens on IOPub until it has been silent for 0.2 s, a pause on every kernel start;
    the messages it would drain belong to the start-up request, and nbclient reads only replies to its own requests.
    """
    from queue import Empty

    from jupyter_client.asynchronous.client import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected once it speaks
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

        wait_for_ready = _async_wait_for_ready

    return ReadyClient


def _ipc_kernel_manager(folder: str, env: dict[str, str]) -> type:
    """A kernel manager on IPC sockets in `folder` (parallel kernels cannot race for TCP ports), whose clients start
    without jupyter_client's pause."""
    from jupyter_client.manager import AsyncKernelManager

    client = _ready_client()

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(Path(folder) / "kernel")
            self.client_factory = client

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]  # jupyter_client declares it sync
            # The kernel's own output stays off the terminal (cells' output is in the notebook): a kernel stopped
            # after a cell timeout prints a traceback of its interrupted reply.
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            kw.setdefault("env", env)
            await super().start_kernel(**kw)

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            if os.environ.get(warmkernel.SOCKET_ENV):  # a run's template is up: fork the kernel from it
                return warmkernel.command(self.connection_file)
            return super().format_kernel_cmd(extra_arguments)

    return IPCKernelManager


def _failure_message(job: Job, exc: BaseException, kept: str) -> str:
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    where = f"notebooks/{job.report}.ipynb for {job.quarter}"
    if isinstance(exc, PapermillExecutionError):
        first_line = next((line.strip() for line in exc.source.splitlines() if line.strip()), "")
        reason = f"cell {exc.cell_index} ({first_line[:80]!r}) raised {exc.ename}: {exc.evalue}"
    elif isinstance(exc, CellTimeoutError):
        reason = f"a cell ran longer than the {job.cell_timeout} s limit and was stopped (--cell-timeout sets it)"
    elif isinstance(exc, OSError) and exc.errno:
        reason = f"{os.strerror(exc.errno)} ({exc.filename or 'writing the notebook'})"
    else:
        reason = f"{type(exc).__name__}: {str(exc)[:300]}"
    return f"{where} failed: {reason}. {kept[0].upper()}{kept[1:]}; reports/ is unchanged."


def stderr_output(nb: Any) -> str | None:
    """The first cell that wrote to stderr (a warning, usually), as 'cell N: first line', or None."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                first = output.get("text", "").strip().splitlines()[:1]
                return f"cell {index}: {first[0] if first else ''}"
    return None


def _keep(job: Job, output: Path) -> str:
    """Copy a failed notebook outside reports/ for debugging; say where it is, or why none was kept.

    A kept notebook is never an empty or partial file: it is copied beside its place and renamed in when complete.
    """
    kept = job.failed_dir / output.name
    if not output.is_file() or output.stat().st_size == 0:
        return "no notebook was kept (it was not written: check the disk has free space)"
    partial = kept.with_suffix(".partial")
    try:
        job.failed_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(output, partial)
        partial.replace(kept)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        return f"the failed notebook could not be kept ({os.strerror(exc.errno) if exc.errno else exc})"
    return f"the failed notebook is kept at {paths.relative(kept)}"


def _kernel_env(job: Job) -> dict[str, str]:
    """The kernel's environment: fixed seed, width and time zone; a read log where the run records reads."""
    env = {**os.environ, **KERNEL_ENV}
    if folder := os.environ.get(readlog.RECORD_ENV):
        env[readlog.LOG_ENV] = str(Path(folder) / f"{job.quarter}--{job.report}.txt")
    return env


def epoch(quarter: str) -> int:
    """A fixed timestamp for documents that embed one: midnight UTC at the end of the quarter."""
    end = Quarter.parse(quarter).end_date
    return int(datetime(end.year, end.month, end.day, tzinfo=UTC).timestamp())


ENGINE = "mapreport"
"""The papermill engine jobs run with: nbclient's, saving the notebook once when execution ends."""


@cache
def _register_engine() -> None:
    """Register the engine: papermill's own saves the whole notebook before and after every cell (44 writes of up to
    1 MB for the annex), which only a reader watching a long run needs. This one writes when execution ends, also
    when it failed or timed out, so a failed notebook is still kept."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveAtEnd(NotebookExecutionManager):  # type: ignore[misc]  # papermill is untyped
        def save(self, **kwargs: Any) -> None:
            if self.end_time is not None:  # set by notebook_complete, which papermill calls however execution ends
                super().save(**kwargs)

    class Engine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = False,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            manager = SaveAtEnd(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENGINE, Engine)


def warm_worker() -> None:
    """Import, in a worker, what every job needs: papermill, nbformat and the renderer (nbconvert, its templates)."""
    from mapreport.pipeline import render

    _register_engine()
    render.warm()


def execute_job(job: Job) -> str:
    """Execute one notebook with papermill and render it. Returns the report's name."""
    # imported here, in the worker: nbformat (through jsonschema) takes over a second to import, and the parent
    # process that plans and publishes never needs it
    import nbformat
    import papermill

    from mapreport.pipeline.normalise import normalise

    entry = report(job.report)
    os.environ.update(KERNEL_ENV)
    # papermill logs a failure ("Timeout waiting for execute reply") that the RunError below says in full
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    output = job.staging / f"{job.report}.ipynb"
    _register_engine()
    # Unix socket paths are limited to about 100 characters, so the sockets live in a short temporary folder.
    with tempfile.TemporaryDirectory(prefix="mapreport-kernel-") as sockets:
        try:
            nb = papermill.execute_notebook(
                str(entry.template),
                str(output),
                parameters=job.parameters,
                kernel_name="python3",
                engine_name=ENGINE,
                progress_bar=False,
                log_output=False,
                cwd=str(job.staging),
                execution_timeout=job.cell_timeout,
                kernel_manager_class=_ipc_kernel_manager(sockets, _kernel_env(job)),
                shutdown_kernel="immediate",  # every cell has run: stop the kernel without a shutdown handshake
            )
        except Exception as exc:  # every failure becomes one message; the evidence is kept outside reports/
            raise RunError(_failure_message(job, exc, _keep(job, output))) from None
    try:
        nb = normalise(nb)
        nbformat.write(nb, output)
    except OSError as exc:
        raise RunError(_failure_message(job, exc, _keep(job, output))) from None
    if warning := stderr_output(nb):
        raise RunError(
            f"notebooks/{job.report}.ipynb for {job.quarter} wrote to stderr in {warning}; a public report must "
            f"not carry warnings. Fix the cause; {_keep(job, output)}; reports/ is unchanged."
        )
    try:
        _render(job, nb, output)
    except OSError as exc:
        raise RunError(
            f"rendering notebooks/{job.report}.ipynb for {job.quarter} failed: "
            f"{os.strerror(exc.errno) if exc.errno else exc} ({exc.filename or 'writing an output'}); "
            "reports/ is unchanged."
        ) from None
    return job.report


def _render(job: Job, nb: Any, output: Path) -> None:
    """Write the public and audit HTML (and the Word document where the report has one) beside the notebook."""
    from mapreport.pipeline import render, site

    entry = report(job.report)
    title = site.page_title(entry.title, job.quarter)
    edition = site.edition(job.quarter)
    public = job.staging / f"{job.report}.html"
    public.write_text(render.to_html(nb, title, public=True, edition=edition, report=job.report), encoding="utf-8")
    audit = render.to_html(nb, f"{title} (audit view, with code)", public=False, edition=edition, report=job.report)
    (job.staging / f"{job.report}.audit.html").write_text(audit, encoding="utf-8")
    render.write_tables(nb, job.staging, job.report)
    if WORD in entry.extra_outputs:
        render.notebook_to_docx(output, public, job.staging / f"{job.report}.docx", epoch=epoch(job.quarter))
