"""The published data sets the annex reads: where they are, and which files a quarter needs.

Kept free of pandas so that deciding whether anything changed (incremental runs) stays fast.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.hashing import sha256_file
from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter

if TYPE_CHECKING:
    import pandas as pd

SOURCES_INDEX = "SOURCES.csv"
SOURCE_COLUMNS = ("file", "dataset", "publisher", "period", "period_basis", "licence", "origin", "sha256", "rows")
CENSUS_FILE = "census/census2021_ethnic_group_by_single_year_age_LA.csv"
CENSUS_2011_FILE = "census/census2011_qs201ew_la-ethnic-groups.csv"
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


STOP_SEARCH_DIR = "stop_search"
STOP_SEARCH_PATTERN = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-stop-and-search\.csv$")
"""police.uk's file name: `YYYY-MM-<force>-stop-and-search.csv`."""
MET = "metropolitan"
"""The Metropolitan Police Service: all of London except the City (the force of the stop and search sections)."""
CITY = "city-of-london"
"""The City of London Police: the City of London only."""
FORCES = (MET, CITY)
"""The police.uk forces whose files the annex reads: together, all of London."""
TREND_MONTHS = 12
"""The 12-month view: the quarter's months and the months before, up to this many."""


def _shift_month(first: date, months: int) -> str:
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def quarter_months(quarter: Quarter) -> list[str]:
    """The quarter's three months as `YYYY-MM`."""
    return [_shift_month(quarter.first_month, i) for i in range(3)]


def trend_months(quarter: Quarter) -> list[str]:
    """The twelve months ending with the quarter's last month, oldest first."""
    return [_shift_month(quarter.first_month, i) for i in range(3 - TREND_MONTHS, 3)]


def stop_search_dir() -> Path:
    return sources_dir() / STOP_SEARCH_DIR


def stop_search_file(month: str, force: str) -> Path:
    """Where police.uk's file for a month and force is held."""
    return stop_search_dir() / f"{month}-{force}-stop-and-search.csv"


def stop_search_files(quarter: Quarter) -> list[Path]:
    """The police.uk files held for the 12 months ending with the quarter, each force, oldest month first.

    Months with no file are simply not listed: the annex names them as missing."""
    held: list[Path] = []
    for month in trend_months(quarter):
        held.extend(path for force in FORCES if (path := stop_search_file(month, force)).is_file())
    return held


def stray_stop_search_files() -> list[Problem]:
    """Files in data/sources/stop_search/ that are not a police.uk file of a known force, by name."""
    problems = []
    for path in sorted(stop_search_dir().glob("*")):
        match = STOP_SEARCH_PATTERN.match(path.name)
        if not match:
            problems.append(
                Problem(
                    paths.relative(path),
                    "file name",
                    "expected a police.uk name such as 2022-09-metropolitan-stop-and-search.csv; rename or remove it",
                )
            )
        elif match["force"] not in FORCES:
            problems.append(
                Problem(
                    paths.relative(path),
                    "file name",
                    f"force '{match['force']}' is not one the annex reads ({', '.join(FORCES)}); "
                    "police.uk names the Metropolitan Police 'metropolitan' and the City of London Police "
                    "'city-of-london': rename the file or remove it",
                )
            )
    return problems


def input_files(params: ReportParams) -> list[Path]:
    """Every file the annex reads for these params, in a stable order."""
    fixed = [
        SOURCES_INDEX,
        CENSUS_FILE,
        CENSUS_2011_FILE,
        EFF_AREA_FILE,
        EFF_ETHNICITY_FILE,
        *USE_OF_FORCE_FILES,
        PAS_TOTAL_FILE,
        PAS_BOROUGH_FILE,
        PAS_ETHNICITY_FILE,
    ]
    return [sources_dir() / f for f in fixed] + stop_search_files(params.period)


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


def check_sources(used: list[Path] | None = None) -> None:
    """Every file listed in SOURCES.csv (or, given `used`, every listed file among them) exists and has the listed
    sha256; every problem at once. A run checks only the files it uses, so it never opens a file it does not
    declare."""
    index = paths.relative(sources_dir() / SOURCES_INDEX)
    problems = []
    table = load_sources()
    wanted = None if used is None else {p.relative_to(sources_dir()).as_posix() for p in used}
    for line, (file, sha256) in enumerate(zip(table["file"], table["sha256"], strict=True), start=2):
        if wanted is not None and file not in wanted:
            continue
        path = sources_dir() / file
        if not path.is_file():
            problems.append(Problem(index, f"line {line}", f"lists {file}, which is not in data/sources/"))
            continue
        digest = sha256_file(path)
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
