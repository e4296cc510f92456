"""Running quarters: validate, plan, execute the stale reports in one worker pool, and publish each quarter."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from mapreport.core import paths
from mapreport.core.errors import InputError, RunError
from mapreport.core.params import load_params
from mapreport.pipeline import manifest, publish, site, warmkernel
from mapreport.pipeline.execute import KERNEL_ENV, Job, execute_job
from mapreport.pipeline.plan import plan, require_files, selected
from mapreport.pipeline.validate import validate_quarter

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
    plans = [plan(p, force=force, reports=chosen) for p in all_params]
    stale = [p for p in plans if p.stale]
    with ExitStack() as stack:
        if stale:  # the kernels' template imports its libraries while the inputs are validated
            stack.enter_context(warmkernel.template(KERNEL_ENV))
        for quarter_plan in stale:
            validate_quarter(quarter_plan.params, chosen)
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
        failures = _execute_all(jobs, workers, report)
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
        site.build_index()
    if failures:
        raise RunError("\n".join(message for _, message in failures))
    return results


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
            except Exception as exc:  # a worker that died (killed, out of memory): one message, no traceback
                failures.append(
                    (
                        job,
                        f"notebooks/{job.report}.ipynb for {job.quarter} failed: {type(exc).__name__}: "
                        f"{str(exc)[:200]}; reports/ is unchanged.",
                    )
                )
    return failures
