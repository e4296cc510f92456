"""Running quarters: validate, plan, execute the stale reports in one worker pool, and publish each quarter."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mapreport.core import paths
from mapreport.core.errors import InputError, RunError
from mapreport.core.hashing import FileRecords
from mapreport.core.params import load_params
from mapreport.pipeline import manifest, publish, site, warmkernel
from mapreport.pipeline.execute import KERNEL_ENV, Job, execute_job, warm_worker
from mapreport.pipeline.plan import plan, require_files, selected
from mapreport.pipeline.validate import validate_quarter

if TYPE_CHECKING:  # the pool's modules are imported only when something executes (a warm run needs none)
    from concurrent.futures import ProcessPoolExecutor

DEFAULT_CELL_TIMEOUT = 300
Progress = Callable[[str, str], None]


@dataclass
class QuarterResult:
    """What a run did for one quarter."""

    quarter: str
    executed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def run_quarters(
    quarters: list[str],
    *,
    force: bool = False,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    workers: int | None = None,
    progress: Progress | None = None,
    reports: list[str] | None = None,
) -> list[QuarterResult]:
    """Validate, then execute every stale report of the given quarters in one worker pool and publish each quarter.

    A quarter is published only if all its reports succeeded; any failure raises RunError after the others finish.
    `reports` names the reports to render (default: every report in the registry).
    """
    report = progress or (lambda quarter, message: None)
    os.environ[paths.ROOT_ENV] = str(paths.project_root())
    for quarter in publish.recover_all(skip=set()):
        report(quarter, "restored the previous edition, which an interrupted publish had left in the work folder")
    chosen = selected(reports)
    all_params = [load_params(q) for q in dict.fromkeys(quarters)]
    for params in all_params:
        try:
            require_files(params, chosen)
        except InputError:
            validate_quarter(params, chosen)  # the loaders say most about a missing file
            raise
    records = FileRecords()  # a file several reports or quarters read is hashed once
    plans = [plan(p, force=force, reports=chosen, records=records) for p in all_params]
    stale = [p for p in plans if p.stale]
    jobs_count = sum(len(p.stale) for p in plans)
    for quarter_plan in stale:  # a report whose key matches its published edition's was validated for it
        if changed := tuple(r for r in chosen if r.name in quarter_plan.changed):
            validate_quarter(quarter_plan.params, changed)
    with ExitStack() as stack:
        pool = None
        if stale:  # the kernels' template and the workers import their libraries while the run takes its locks
            stack.enter_context(warmkernel.template(KERNEL_ENV))
            pool = _start_pool(_worker_count(workers, jobs_count))
            if pool is not None:
                stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        results = [QuarterResult(p.params.quarter, executed=p.stale, unchanged=p.unchanged) for p in plans]
        git = manifest.git_state() if stale else {}  # the tree as the run found it, before it writes
        staging: dict[str, Path] = {}
        for quarter_plan in stale:
            stack.enter_context(publish.quarter_lock(quarter_plan.params.quarter))
            publish.recover(quarter_plan.params.quarter)
        if stale:
            publish.check_publishable([p.params.quarter for p in stale])
        for quarter_plan in stale:
            quarter = quarter_plan.params.quarter
            for name, files in quarter_plan.altered.items():
                report(quarter, f"{name}: {', '.join(files)} missing or changed since published; re-rendering")
            staging[quarter] = stack.enter_context(publish.staging_folder(quarter))
        jobs = [
            Job(
                p.params.quarter,
                name,
                p.params.notebook_parameters(),
                staging[p.params.quarter],
                paths.work_dir() / "failed" / p.params.quarter,
                cell_timeout,
            )
            for p in stale
            for name in p.stale
        ]
        # the biggest first (the more a report reads, the longer it takes), so no worker is left alone at the end
        inputs = {(p.params.quarter, n): len(p.entries[n].get("inputs", [])) for p in stale for n in p.stale}
        jobs.sort(key=lambda job: -inputs[job.quarter, job.report])
        notes: dict[str, str] = {}
        failures = _execute_all(jobs, pool, report, meanwhile=lambda: notes.update(_notes_or_none()))
        failed_quarters = {job.quarter for job, _ in failures}
        for quarter_plan in stale:
            if quarter_plan.params.quarter not in failed_quarters:
                publish.publish(quarter_plan, staging[quarter_plan.params.quarter], git)
    for result in results:
        if result.quarter not in failed_quarters:
            report(
                result.quarter, "unchanged" if not result.executed else f"published ({len(result.executed)} executed)"
            )
    if stale or not (paths.reports_dir() / site.INDEX).is_file():  # the index reads the data: only after a publish
        site.build_index(notes or None)
    if failures:
        raise RunError("\n".join(message for _, message in failures))
    return results


def _worker_count(workers: int | None, jobs: int) -> int:
    return max(1, min(workers or os.cpu_count() or 1, jobs))


WORKER_MODULES = ["mapreport.pipeline.execute", "mapreport.pipeline.render", "papermill"]
"""Imported once, by the server the workers are forked from, rather than by every worker."""


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    """The worker pool, its processes started and importing papermill and nbconvert now (while the parent takes its
    locks and the template its imports) rather than when the first job arrives; None for a single worker (jobs then
    run in this process). The workers are forked from a server that has imported those libraries once; each takes
    this process's environment and folder as the pool starts."""
    if workers == 1:
        return None
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    context = get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_adopt, initargs=(dict(os.environ), os.getcwd())
    )
    for _ in range(workers):
        pool.submit(warm_worker)
    return pool


def _adopt(environment: dict[str, str], folder: str) -> None:
    """In a new worker: take the run's environment and folder (the server it was forked from may have started for an
    earlier run of this process, with another project)."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)
    paths.project_root.cache_clear()


def _notes_or_none() -> dict[str, str]:
    """The index's release notes (they read only the data), or none where they fail: the index then computes them
    again after publishing, and says what is wrong there, as it would without them."""
    try:
        return site.all_notes()
    except Exception:  # raised again, with its message, where the index is built
        return {}


def _execute_all(
    jobs: list[Job], pool: ProcessPoolExecutor | None, report: Progress, meanwhile: Callable[[], None]
) -> list[tuple[Job, str]]:
    """Run the jobs (in the pool where there is one, calling `meanwhile` in this process while the workers execute);
    return the failures with their messages."""
    failures: list[tuple[Job, str]] = []
    if not jobs:
        return failures
    if pool is None:
        for job in jobs:
            try:
                report(job.quarter, f"{execute_job(job)} done")
            except RunError as exc:
                failures.append((job, str(exc)))
        return failures
    from concurrent.futures import as_completed

    with pool:
        futures = {pool.submit(execute_job, job): job for job in jobs}
        meanwhile()  # in this thread: imports in a second thread could race the main thread's
        for future in as_completed(futures):
            job = futures[future]
            try:
                report(job.quarter, f"{future.result()} done")
            except RunError as exc:
                failures.append((job, str(exc)))
            except Exception as exc:  # a worker that died (killed, out of memory): one message, no traceback
                failures.append(
                    (
                        job,
                        f"notebooks/{job.report}.ipynb for {job.quarter} failed: {type(exc).__name__}: "
                        f"{str(exc)[:200]}; reports/ is unchanged.",
                    )
                )
    return failures
