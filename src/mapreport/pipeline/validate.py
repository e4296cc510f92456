"""Checking every input a quarter reads before anything executes, reporting all problems at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mapreport.core.errors import InputError, Problem
from mapreport.core.params import ReportParams, available_quarters, load_params


def _collect(checks: list[Callable[[], Any]]) -> list[Problem]:
    problems: list[Problem] = []
    for check in checks:
        try:
            check()
        except InputError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    return problems


def quarter_checks(params: ReportParams) -> list[Callable[[], Any]]:
    """The checks of everything the quarter's notebooks read."""
    from mapreport.reports.registry import ANNEX, available_notebooks
    from mapreport.sources import eia, figures, register, status
    from mapreport.sources.documents import load_documents

    def statuses() -> None:
        actions = register.load_register()
        for quarter in filter(None, [params.quarter, params.previous_quarter]):
            status.load_status(quarter, actions)

    def eia_texts() -> None:
        eia.load_eia(params.eia_revision, register.load_register())

    checks: list[Callable[[], Any]] = [
        load_documents,
        register.load_register,
        statuses,
        figures.load_figures,
        figures.load_targets,
        eia_texts,
    ]
    if ANNEX in available_notebooks():
        from mapreport.reports import annex

        checks.append(lambda: annex.validate_inputs(params))
    return checks


def validate_quarter(params: ReportParams) -> None:
    """Raise InputError listing every problem in the quarter's inputs."""
    problems = _collect(quarter_checks(params))
    if problems:
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
        problems.extend(p for p in _collect(quarter_checks(params)) if p not in problems)
    if problems:
        raise InputError(problems)
    return quarters
