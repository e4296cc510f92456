"""Which input files each notebook reads: the basis of the manifest and of incremental runs.

Declared here rather than discovered, so that deciding whether anything changed needs no pandas and no kernel.
"""

from __future__ import annotations

from pathlib import Path

from mapreport.core import paths
from mapreport.core.params import ReportParams, params_path
from mapreport.sources.published import input_files as annex_files

PROGRESS = "progress_report"
EIA = "eia_report"
ANNEX = "equality_annex"
NOTEBOOKS = (PROGRESS, EIA, ANNEX)


def _status_files(params: ReportParams) -> list[Path]:
    quarters = [params.quarter] + ([params.previous_quarter] if params.previous_quarter else [])
    return [paths.data_dir() / "status" / f"{q}.csv" for q in quarters]


def input_files(notebook: str, params: ReportParams) -> list[Path]:
    """Every data file a notebook reads for these params, in a stable order."""
    data = paths.data_dir()
    common = [params_path(params.quarter), data / "documents.csv", data / "register" / "actions.csv"]
    if notebook == PROGRESS:
        files = common + _status_files(params) + [data / "figures" / "figures.csv", data / "figures" / "targets.csv"]
    elif notebook == EIA:
        files = common + _status_files(params)[:1] + sorted((data / "eia" / params.eia_revision).glob("*.md"))
    elif notebook == ANNEX:
        files = [params_path(params.quarter), *annex_files(params)]
    else:
        raise KeyError(f"unknown notebook {notebook!r}; expected one of {NOTEBOOKS}")
    return files


def template_path(notebook: str) -> Path:
    return paths.notebooks_dir() / f"{notebook}.ipynb"


def available_notebooks() -> tuple[str, ...]:
    """The notebooks whose templates exist, in report order."""
    return tuple(nb for nb in NOTEBOOKS if template_path(nb).is_file())
