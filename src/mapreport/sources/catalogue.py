"""The input catalogue: the one place that knows the path of every file a report may read.

Loaders take their paths from here and reports declare their inputs from here, so the cache key, the manifest,
`validate`, `verify` and the sources tables cannot drift from what is really read. Kept free of pandas, so that
deciding whether anything changed stays fast.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mapreport.core import paths
from mapreport.core.params import ReportParams, params_path
from mapreport.core.periods import Quarter
from mapreport.sources import published

DOCUMENTS_INDEX = "documents.csv"


def params_file(quarter: str) -> Path:
    """params/<quarter>.yaml."""
    return params_path(quarter)


def documents_index() -> Path:
    """data/documents.csv: the source documents every row of data/ cites."""
    return paths.data_dir() / DOCUMENTS_INDEX


def document_files() -> list[Path]:
    """The document texts listed in data/documents.csv (none where the index cannot be read: its loader says why)."""
    try:
        text = documents_index().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    rows = csv.DictReader(io.StringIO(text))
    return [paths.data_dir() / row["file"] for row in rows if row.get("file")]


def documents() -> list[Path]:
    """The document index and every document text it lists."""
    return [documents_index(), *document_files()]


def register_file() -> Path:
    """data/register/actions.csv: every action of the plan."""
    return paths.data_dir() / "register" / "actions.csv"


def status_file(quarter: str) -> Path:
    """data/status/<quarter>.csv: the status readings of one quarter."""
    return paths.data_dir() / "status" / f"{quarter}.csv"


def claim_sources_file() -> Path:
    """data/status/claim_sources.csv: the documents that state their own delivery claim per action."""
    return paths.data_dir() / "status" / "claim_sources.csv"


def status_quarters(upto: str) -> list[Quarter]:
    """The quarters with a status file in data/status/, up to and including `upto`, in order."""
    last = Quarter.parse(upto)
    held = []
    for path in (paths.data_dir() / "status").glob("*.csv"):
        try:
            quarter = Quarter.parse(path.stem)
        except ValueError:
            continue  # claim_sources.csv and any other non-quarter file
        if quarter <= last:
            held.append(quarter)
    return sorted(held)


def figures_file() -> Path:
    """data/figures/figures.csv: published figures, one value per row."""
    return paths.data_dir() / "figures" / "figures.csv"


def targets_file() -> Path:
    """data/figures/targets.csv: the plan's targets."""
    return paths.data_dir() / "figures" / "targets.csv"


def measures_file() -> Path:
    """data/figures/measures.csv: each measure's plain-English title and definition."""
    return paths.data_dir() / "figures" / "measures.csv"


def figures() -> list[Path]:
    """The figures, the targets and the measures' titles."""
    return [figures_file(), targets_file(), measures_file()]


def eia_folder(revision: str) -> Path:
    """data/eia/<revision>/: one revision of the equality impact assessment."""
    return paths.data_dir() / "eia" / revision


def eia_files(revision: str) -> list[Path]:
    """Every text file of one EIA revision (the nine characteristics and _plan.md)."""
    return sorted(eia_folder(revision).glob("*.md"))


def previous_eia_revision(revision: str) -> str | None:
    """The EIA revision folder before `revision` (folders sort by name, e.g. 2020-11), or None for the first."""
    parent = paths.data_dir() / "eia"
    earlier = sorted(p.name for p in parent.iterdir() if p.is_dir() and p.name < revision) if parent.is_dir() else []
    return earlier[-1] if earlier else None


def eia_files_with_previous(revision: str) -> list[Path]:
    """The revision's files and, where there is one, the previous revision's (for what changed between them)."""
    previous = previous_eia_revision(revision)
    return [*eia_files(revision), *(eia_files(previous) if previous else [])]


def published_files(params: ReportParams) -> list[Path]:
    """The published data sets (police.uk, Home Office, ONS, MOPAC) the quarter's annex reads, and their index."""
    return published.input_files(params)


def status_quarter_names(params: ReportParams) -> list[str]:
    """Every quarter whose status readings the reports read: all held up to this one, this one and the previous."""
    named = [Quarter.parse(q) for q in (params.quarter, params.previous_quarter) if q]
    return [str(q) for q in sorted({*status_quarters(params.quarter), *named})]


def statuses(params: ReportParams) -> list[Path]:
    """The claim sources and the status readings of every quarter up to this one (carry-forward reads them all)."""
    return [claim_sources_file(), *(status_file(q) for q in status_quarter_names(params))]


def pas_total_file() -> Path:
    """data/sources/pas/PAS_Total.csv: MOPAC's MPS-wide Public Attitude Survey results (the headline's trust)."""
    return published.sources_dir() / published.PAS_TOTAL_FILE
