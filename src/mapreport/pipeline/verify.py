"""Re-checking what is published: every input and output hashed again and compared with the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapreport.core import hashing, paths
from mapreport.core.errors import InputError, RunError
from mapreport.core.params import load_params
from mapreport.pipeline import manifest, publish
from mapreport.pipeline.plan import dependency_key
from mapreport.reports.registry import REPORTS


@dataclass(frozen=True)
class Check:
    """The outcome for one file listed in a manifest."""

    quarter: str
    role: str
    path: str
    state: str  # "ok", "changed" or "missing"

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def _check(quarter: str, role: str, record: dict[str, Any], base: Path) -> Check:
    path = base / record["path"]
    if not path.is_file():
        return Check(quarter, role, record["path"], "missing")
    return Check(quarter, role, record["path"], "ok" if hashing.sha256_file(path) == record["sha256"] else "changed")


def verify_quarter(quarter: str) -> list[Check]:
    """Compare the inputs, templates and outputs recorded in reports/<quarter>/manifest.json with the files now."""
    folder = paths.reports_dir() / quarter
    recorded = manifest.read_manifest(folder)
    if recorded is None and (kept := publish.interrupted(quarter)):
        raise RunError(f"reports/{quarter} is missing: {publish.interrupted_message(quarter, kept)}")
    if recorded is None:
        raise InputError.single(
            paths.relative(folder / manifest.MANIFEST),
            "",
            "no readable manifest; render the quarter with `mapreport run` first",
        )
    root = paths.project_root()
    checks: list[Check] = []
    seen: set[str] = set()
    for _, item in sorted(recorded["notebooks"].items()):
        for role, record in [("template", item["template"]), *(("input", r) for r in item["inputs"])]:
            if record["path"] not in seen:
                seen.add(record["path"])
                checks.append(_check(quarter, role, record, root))
    listed = set()
    for record in recorded["outputs"]:
        listed.add(record["path"])
        checks.append(_check(quarter, "output", record, root))
    files = (p for p in folder.rglob("*") if p.is_file() and p.name != manifest.MANIFEST)
    for extra in sorted(p for p in files if paths.relative(p) not in listed):
        checks.append(Check(quarter, "output", paths.relative(extra), "not in manifest"))
    return checks + freshness(quarter, recorded)


def freshness(quarter: str, recorded: dict[str, Any]) -> list[Check]:
    """Each report of the registry: 'ok' when its inputs, template, params and code are what it was made from,
    'stale' when any changed (a run would re-execute it), 'missing' when it was never published."""
    params = load_params(quarter)
    records = hashing.FileRecords()
    checks = []
    for report in REPORTS:
        published = recorded["notebooks"].get(report.name)
        if published is None:
            state = "missing"
        else:
            current = dependency_key(report, params, records) if all(f.is_file() for f in report.inputs(params)) else ""
            state = "ok" if current == published["dependency_key"] else "stale"
        checks.append(Check(quarter, "report", f"reports/{quarter}/{report.name}", state))
    return checks


def verify_quarters(quarters: list[str]) -> list[Check]:
    return [check for quarter in quarters for check in verify_quarter(quarter)]
