"""Checking every input a quarter reads before anything executes, reporting all problems at once.

Each input is checked on its own first, so that problems in several files are reported together; then every
report in the registry loads its data exactly as its notebook will, so a passing `validate` means `run` gets past
loading.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from mapreport.core.errors import InputError, Problem
from mapreport.core.params import ReportParams, available_quarters, load_params
from mapreport.reports.registry import REPORTS, Report


def _collect(checks: list[Callable[[], object]]) -> list[Problem]:
    problems: list[Problem] = []
    for check in checks:
        try:
            check()
        except InputError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    return problems


def _input_checks(params: ReportParams) -> list[Callable[[], object]]:
    """One check per input file the catalogue knows (each raises InputError listing that file's problems)."""
    from mapreport.sources import documents, eia, figures, register, status

    def statuses() -> None:
        actions = register.load_register()
        for quarter in filter(None, [params.quarter, params.previous_quarter]):
            status.load_status(quarter, actions)

    return [
        documents.load_documents,
        register.load_register,
        statuses,
        figures.load_figures,
        figures.load_targets,
        figures.load_measures,
        lambda: eia.load_eia(params.eia_revision, register.load_register()),
    ]


def problems_in(params: ReportParams, reports: tuple[Report, ...] = REPORTS) -> list[Problem]:
    """Every problem in the inputs of the quarter's reports, each once."""
    problems = _collect(_input_checks(params))
    problems += [p for p in _collect([partial(r.load, params) for r in reports]) if p not in problems]
    return problems


def validate_quarter(params: ReportParams, reports: tuple[Report, ...] = REPORTS) -> None:
    """Raise InputError listing every problem in the inputs of the quarter's reports."""
    if problems := problems_in(params, reports):
        raise InputError(problems)


def validate_quarters(quarters: list[str] | None = None) -> list[str]:
    """Validate the params and inputs of the given quarters (all by default); return the quarters checked."""
    quarters = quarters or available_quarters()
    problems: list[Problem] = []
    for quarter in quarters:
        try:
            params = load_params(quarter)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(p for p in problems_in(params) if p not in problems)
    if problems:
        raise InputError(problems)
    return quarters


def grouped(problems: list[Problem]) -> str:
    """Problems grouped by file, in the order first met: a heading per file with its count, then each problem on
    its own line, whole (file, where, what and the fix), so that any line can be copied on its own."""
    files: dict[str, list[Problem]] = {}
    for problem in problems:
        files.setdefault(problem.file, []).append(problem)
    lines = []
    for file, found in files.items():
        lines.append(f"{file} ({len(found)} problem{'s' if len(found) > 1 else ''}):")
        lines += [f"  {p}" for p in found]
    return "\n".join(lines)
