"""The published data sets the annex reads: where they are, and which files a quarter needs.

Kept free of pandas so that deciding whether anything changed (incremental runs) stays fast.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.params import AnnexParams, ReportParams

if TYPE_CHECKING:
    import pandas as pd

SOURCES_INDEX = "SOURCES.csv"
SOURCE_COLUMNS = ("file", "dataset", "publisher", "period", "period_basis", "licence", "origin", "sha256", "rows")
CENSUS_FILE = "census/census2021_ethnic_group_by_single_year_age_LA.csv"
EFF_AREA_FILE = "ethnicity_facts_figures/ethnicity-stop-search-by-area.csv"
EFF_ETHNICITY_FILE = "ethnicity_facts_figures/ethnicity-stop-search-by-ethnicity.csv"
USE_OF_FORCE_FILES = (
    "use_of_force/police-use-of-force-apr2018-mar2019-hosb3319-tables.ods",
    "use_of_force/police-use-of-force-apr2019-mar2020-hosb3720-tables.ods",
)
PAS_TOTAL_FILE = "pas/PAS_Total.csv"
PAS_BOROUGH_FILE = "pas/PAS_buroughs.csv"
PAS_ETHNICITY_FILE = "pas/2015-16 _to_2020-21_inclusive_neighbourhood_indicators_final_221221.csv"


def sources_dir() -> Path:
    return paths.data_dir() / "sources"


def stop_search_files(settings: AnnexParams) -> list[Path]:
    """The police.uk files for the months and force in the params."""
    folder = sources_dir() / "stop_search"
    return [
        folder / f"{month}-{settings.stop_search_force}-stop-and-search.csv" for month in settings.stop_search_months
    ]


def input_files(params: ReportParams) -> list[Path]:
    """Every file the annex reads for these params, in a stable order."""
    fixed = [
        SOURCES_INDEX,
        CENSUS_FILE,
        EFF_AREA_FILE,
        EFF_ETHNICITY_FILE,
        *USE_OF_FORCE_FILES,
        PAS_TOTAL_FILE,
        PAS_BOROUGH_FILE,
        PAS_ETHNICITY_FILE,
    ]
    return [sources_dir() / f for f in fixed] + stop_search_files(params.annex)


class _SourceRow(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    file: str
    dataset: str
    publisher: str
    period: str
    period_basis: str
    licence: str
    origin: str
    sha256: str
    rows: str


def load_sources() -> pd.DataFrame:
    """The index of source files (data/sources/SOURCES.csv), one row per file."""
    import pandas as pd  # here, not at the top: deciding whether anything changed needs no pandas

    path = sources_dir() / SOURCES_INDEX
    name = paths.relative(path)
    if not path.is_file():
        raise InputError.single(name, "", "file not found; it lists every source file with its provenance and sha256")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SOURCE_COLUMNS:
            raise InputError.single(name, "line 1 (header)", f"expected columns {list(SOURCE_COLUMNS)}")
        records = []
        for line, record in enumerate(reader, start=2):
            try:
                records.append(_SourceRow.model_validate(record).model_dump())
            except ValidationError as exc:
                raise InputError.single(name, f"line {line}", f"invalid row ({exc.errors()[0]['msg']})") from None
    return pd.DataFrame.from_records(records, columns=list(SOURCE_COLUMNS))


def check_sources() -> None:
    """Every file listed in SOURCES.csv exists and has the listed sha256; every problem at once."""
    index = paths.relative(sources_dir() / SOURCES_INDEX)
    problems = []
    table = load_sources()
    for line, (file, sha256) in enumerate(zip(table["file"], table["sha256"], strict=True), start=2):
        path = sources_dir() / file
        if not path.is_file():
            problems.append(Problem(index, f"line {line}", f"lists {file}, which is not in data/sources/"))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha256:
            problems.append(
                Problem(
                    index,
                    f"line {line}",
                    f"{file} has sha256 {digest}, not the listed {sha256}; restore the published file",
                )
            )
    if problems:
        raise InputError(problems)
