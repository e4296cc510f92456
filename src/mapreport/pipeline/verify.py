"""Re-checking what is published: every input and output hashed again and compared with the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mapreport.core import paths
from mapreport.core.errors import InputError
from mapreport.pipeline import manifest


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


def _check(quarter: str, role: str, record: dict, base: Path) -> Check:
    path = base / record["path"]
    if not path.is_file():
        return Check(quarter, role, record["path"], "missing")
    return Check(quarter, role, record["path"], "ok" if manifest.sha256_file(path) == record["sha256"] else "changed")


def verify_quarter(quarter: str) -> list[Check]:
    """Compare the inputs, templates and outputs recorded in reports/<quarter>/manifest.json with the files now."""
    folder = paths.reports_dir() / quarter
    recorded = manifest.read_manifest(folder)
    if recorded is None:
        raise InputError.single(
            paths.relative(folder / manifest.MANIFEST),
            "",
            "no readable manifest; render the quarter with `mapreport run` first",
        )
    root = paths.project_root()
    checks: list[Check] = []
    seen: set[str] = set()
    for _, entry in sorted(recorded["notebooks"].items()):
        for role, record in [("template", entry["template"]), *(("input", r) for r in entry["inputs"])]:
            if record["path"] not in seen:
                seen.add(record["path"])
                checks.append(_check(quarter, role, record, root))
    listed = set()
    for record in recorded["outputs"]:
        listed.add(Path(record["path"]).name)
        checks.append(_check(quarter, "output", record, root))
    for extra in sorted(p for p in folder.iterdir() if p.name not in listed and p.name != manifest.MANIFEST):
        checks.append(Check(quarter, "output", paths.relative(extra), "not in manifest"))
    return checks


def verify_quarters(quarters: list[str]) -> list[Check]:
    return [check for quarter in quarters for check in verify_quarter(quarter)]
