"""The published data sets the annex reads: where they are, and which files a quarter needs.

Kept free of pandas so that deciding whether anything changed (incremental runs) stays fast.
"""

from __future__ import annotations

from pathlib import Path

from mapreport.core import paths
from mapreport.core.params import AnnexParams, ReportParams

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
