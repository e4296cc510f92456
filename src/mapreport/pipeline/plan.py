"""Planning a run: the manifest entry of each report for given params, and which reports are stale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mapreport.core import hashing, paths
from mapreport.core.errors import InputError
from mapreport.core.params import ReportParams
from mapreport.pipeline import manifest
from mapreport.reports.registry import REPORTS, Report


@dataclass(frozen=True)
class QuarterPlan:
    """What a run will do for one quarter: every report's manifest entry, and the reports to execute."""

    params: ReportParams
    entries: dict[str, dict[str, Any]]
    stale: list[str]

    @property
    def unchanged(self) -> list[str]:
        return [name for name in self.entries if name not in self.stale]


def entry(report: Report, params: ReportParams) -> dict[str, Any]:
    """The manifest entry of one report: its template, its inputs and the key of everything its output depends on."""
    files = report.inputs(params)
    return {
        "template": hashing.file_record(report.template),
        "inputs": [hashing.file_record(path) for path in files],
        "dependency_key": manifest.dependency_key(report.template, params.notebook_parameters(), files),
    }


def require_files(params: ReportParams) -> None:
    """Every template and declared input exists; else an input problem naming the first missing file."""
    for report in REPORTS:
        for path in [report.template, *report.inputs(params)]:
            if not path.is_file():
                raise InputError.single(
                    paths.relative(path), "", "file not found; expected it to exist (check the name)"
                )


def plan(params: ReportParams, *, force: bool) -> QuarterPlan:
    """The manifest entries for this run and the reports that must be executed (all of them with `force`)."""
    entries = {report.name: entry(report, params) for report in REPORTS}
    folder = paths.reports_dir() / params.quarter
    published = (manifest.read_manifest(folder) or {}).get("notebooks", {})
    stale = [
        name
        for name, item in entries.items()
        if force
        or published.get(name, {}).get("dependency_key") != item["dependency_key"]
        or not (folder / f"{name}.ipynb").exists()
    ]
    return QuarterPlan(params, entries, stale)
