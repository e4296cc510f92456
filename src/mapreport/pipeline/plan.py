"""Planning a run: the manifest entry of each report for given params, and which reports are stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapreport.core import hashing, paths
from mapreport.core.errors import InputError
from mapreport.core.params import ReportParams
from mapreport.pipeline import manifest
from mapreport.pipeline.site import edition
from mapreport.reports.registry import REPORTS, Report
from mapreport.reports.registry import names as registry_names


@dataclass(frozen=True)
class QuarterPlan:
    """What a run will do for one quarter: every report's manifest entry, and the reports to execute."""

    params: ReportParams
    entries: dict[str, dict[str, Any]]
    stale: list[str]
    altered: dict[str, list[str]] = field(default_factory=dict)
    """Reports whose published outputs are missing or differ from the manifest, with those files' names."""
    changed: list[str] = field(default_factory=list)
    """Reports whose inputs, template, params or code differ from their published edition's (or never published):
    only these need their inputs validated, since an edition is published only after its kernels loaded the same
    inputs with the same code."""

    @property
    def unchanged(self) -> list[str]:
        return [name for name in self.entries if name not in self.stale]


def dependency_key(report: Report, params: ReportParams, records: hashing.FileRecords) -> str:
    """The key of everything a report's output depends on, from its files' hashes alone (no row counts)."""
    # the page header links the edition's neighbours, so a new edition before or after it makes it stale
    depends_on = {**params.notebook_parameters(), "site": edition(params.quarter).key()}
    return manifest.dependency_key(report.template, depends_on, report.inputs(params), records)


def entry(report: Report, params: ReportParams, records: hashing.FileRecords | None = None) -> dict[str, Any]:
    """The manifest entry of one report: its template, its inputs and the key of everything its output depends on
    (`records`: the run's file records, each file read once)."""
    record = records or hashing.FileRecords()
    return {
        "template": record(report.template),
        "inputs": [record(path) for path in report.inputs(params)],
        "dependency_key": dependency_key(report, params, record),
    }


def selected(names: list[str] | None) -> tuple[Report, ...]:
    """The registry entries named (all of them for None), in publication order."""
    if not names:
        return REPORTS
    unknown = [name for name in names if name not in registry_names()]
    if unknown:
        raise InputError.single(
            "--report", ", ".join(unknown), f"is not a report; expected one of {', '.join(registry_names())}"
        )
    return tuple(r for r in REPORTS if r.name in names)


def require_files(params: ReportParams, reports: tuple[Report, ...] = REPORTS) -> None:
    """Every template and declared input exists; else an input problem naming the first missing file."""
    for report in reports:
        for path in [report.template, *report.inputs(params)]:
            if not path.is_file():
                raise InputError.single(
                    paths.relative(path), "", "file not found; expected it to exist (check the name)"
                )


def expected_outputs(report: Report) -> list[str]:
    """The files a report publishes."""
    return [f"{report.name}.{suffix}" for suffix in ("ipynb", "html", "audit.html", *report.extra_outputs)]


def altered_outputs(folder: Path, recorded: dict[str, Any], reports: tuple[Report, ...]) -> dict[str, list[str]]:
    """Each published report whose outputs are missing, or differ from the SHA-256 the manifest recorded."""
    hashes = {Path(r["path"]).name: r.get("sha256") for r in recorded.get("outputs", []) if isinstance(r, dict)}
    altered: dict[str, list[str]] = {}
    for report in reports:
        if report.name not in recorded.get("notebooks", {}):
            continue
        bad = [
            name
            for name in expected_outputs(report)
            if not (folder / name).is_file() or hashes.get(name) != hashing.sha256_file(folder / name)
        ]
        if bad:
            altered[report.name] = bad
    return altered


def plan(
    params: ReportParams,
    *,
    force: bool,
    reports: tuple[Report, ...] = REPORTS,
    records: hashing.FileRecords | None = None,
) -> QuarterPlan:
    """The manifest entries after this run and the reports that must be executed (all selected ones with `force`).

    A report left out of `reports` keeps its published entry (it is neither executed nor re-described). `records`:
    the run's file records, shared by its quarters' plans."""
    folder = paths.reports_dir() / params.quarter
    recorded = manifest.read_manifest(folder) or {}
    published = recorded.get("notebooks", {})
    altered = altered_outputs(folder, recorded, reports)
    record = records or hashing.FileRecords()
    keys = {report.name: dependency_key(report, params, record) for report in reports}
    changed = [name for name, key in keys.items() if published.get(name, {}).get("dependency_key") != key]
    stale = [name for name in keys if force or name in changed or name in altered]
    # an unchanged report's published entry is the one this run would write (same key: same inputs and code)
    fresh = {r.name: entry(r, params, record) if r.name in changed else published[r.name] for r in reports}
    entries = {
        r.name: fresh[r.name] if r.name in fresh else published[r.name]
        for r in REPORTS
        if r.name in fresh or r.name in published
    }
    return QuarterPlan(params, entries, stale, {n: f for n, f in altered.items() if n in stale}, changed)
