"""Population denominators from the ONS Census 2021 file of ethnic group by single year of age, as published.

The file counts usual residents by local authority, age (0 to "100 or over") and the 19 ethnic groups, rounded to 5,
with "c" where ONS suppressed a cell. London is the 32 E09 rows (E09000001 is the City of London merged with
Westminster). A "c" cell is counted as 0, so every denominator is a slight undercount; `london_population` reports
the size of that effect against the London region row, whose cells are suppressed far less.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mapreport.core.errors import InputError
from mapreport.core.paths import relative

BROAD_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
"""The five broad ethnic groups used throughout the annex, in display order."""
NOT_STATED = "Not stated"

GROUP_OF_CENSUS_COLUMN: dict[str, str] = {
    "Asian, Asian British or Asian Welsh: Bangladeshi": "Asian",
    "Asian, Asian British or Asian Welsh: Chinese": "Asian",
    "Asian, Asian British or Asian Welsh: Indian": "Asian",
    "Asian, Asian British or Asian Welsh: Pakistani": "Asian",
    "Asian, Asian British or Asian Welsh: Other Asian": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African: African": "Black",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": "Black",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black": "Black",
    "Mixed or Multiple ethnic groups: White and Asian": "Mixed",
    "Mixed or Multiple ethnic groups: White and Black African": "Mixed",
    "Mixed or Multiple ethnic groups: White and Black Caribbean": "Mixed",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": "Mixed",
    "White: English, Welsh, Scottish, Northern Irish or British": "White",
    "White: Gypsy or Irish Traveller": "White",
    "White: Irish": "White",
    "White: Roma": "White",
    "White: Other White": "White",
    "Other ethnic group: Arab": "Other",
    "Other ethnic group: Any other ethnic group": "Other",
}
"""Each of the 19 Census 2021 ethnic groups and its broad group (the ONS high-level categories)."""

KEY_COLUMNS = ("Geography Code", "Geography Name", "Age")
LONDON_PREFIX = "E09"
LONDON_AREAS = 32
LONDON_REGION_CODE = "E12000007"
SUPPRESSED = "c"


def load_census(path: Path) -> pd.DataFrame:
    """Read the file as published: the three key columns as text and the 19 group columns as counts (NaN for "c").

    Raises InputError naming the line and column of any cell that is neither a whole number nor "c".
    """
    name = relative(path)
    try:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False, thousands=",")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(
            name, "", f"cannot be read as CSV ({exc}); expected the ONS file as published"
        ) from None
    expected = [*KEY_COLUMNS, *GROUP_OF_CENSUS_COLUMN]
    if list(frame.columns) != expected:
        missing = [c for c in expected if c not in frame.columns]
        extra = [c for c in frame.columns if c not in expected]
        raise InputError.single(
            name,
            "line 1 (header)",
            f"expected the 3 key columns and 19 ethnic groups; missing {missing}, unexpected {extra}",
        )
    groups = list(GROUP_OF_CENSUS_COLUMN)
    cells = frame[groups].apply(lambda column: column.str.replace(",", "", regex=False))
    valid = cells.apply(lambda column: column.str.fullmatch(r"\d+") | (column == SUPPRESSED))
    if not valid.to_numpy().all():
        row, col = np.argwhere(~valid.to_numpy())[0]
        raise InputError.single(
            name,
            f"line {row + 2}, column '{groups[col]}'",
            f"expected a whole number or 'c' (suppressed) (got {cells.iat[row, col]!r})",
        )
    counts = cells.replace(SUPPRESSED, np.nan).astype("float64")
    combined: pd.DataFrame = pd.concat([frame[list(KEY_COLUMNS)], counts], axis=1)
    return combined


def _broad_totals(rows: pd.DataFrame) -> pd.Series:
    by_group = rows[list(GROUP_OF_CENSUS_COLUMN)].sum(skipna=True)
    return by_group.groupby(by_group.index.map(GROUP_OF_CENSUS_COLUMN)).sum().reindex(BROAD_GROUPS)


def _suppressed_cells(rows: pd.DataFrame) -> pd.Series:
    missing = rows[list(GROUP_OF_CENSUS_COLUMN)].isna().sum()
    return missing.groupby(missing.index.map(GROUP_OF_CENSUS_COLUMN)).sum().reindex(BROAD_GROUPS)


def london_population(census: pd.DataFrame, path: Path) -> pd.DataFrame:
    """London's population by broad group: the sum of the 32 E09 areas over all ages, "c" cells counted as 0.

    Columns: group, population (the denominator), suppressed_cells, region_row (the London region row, E12000007),
    shortfall (region_row - population: people lost to suppression in the area rows). Includes an "All" row.
    """
    areas = census[census["Geography Code"].str.startswith(LONDON_PREFIX)]
    found = areas["Geography Code"].nunique()
    if found != LONDON_AREAS:
        raise InputError.single(
            relative(path), "column 'Geography Code'", f"expected {LONDON_AREAS} London (E09) areas; found {found}"
        )
    region = census[census["Geography Code"] == LONDON_REGION_CODE]
    if region.empty:
        raise InputError.single(
            relative(path), "column 'Geography Code'", f"has no London region row ({LONDON_REGION_CODE})"
        )
    table = pd.DataFrame(
        {
            "group": list(BROAD_GROUPS),
            "population": _broad_totals(areas).to_numpy(),
            "suppressed_cells": _suppressed_cells(areas).to_numpy(),
            "region_row": _broad_totals(region).to_numpy(),
        }
    )
    total = pd.DataFrame([{"group": "All", **table.drop(columns="group").sum().to_dict()}])
    table = pd.concat([table, total], ignore_index=True)
    table["shortfall"] = table["region_row"] - table["population"]
    return table.astype(
        {"population": "int64", "suppressed_cells": "int64", "region_row": "int64", "shortfall": "int64"}
    )


CITY_OF_LONDON_CODE = "E09000001"
CENSUS_2011_GROUP_COLUMN = {g: f"Ethnic Group: {g}; measures: Value" for g in BROAD_GROUPS}
CENSUS_2011_ALL_COLUMN = "Ethnic Group: All categories: Ethnic group; measures: Value"


def city_share_2011(path: Path) -> pd.DataFrame:
    """From the Census 2011 QS201EW file (local authorities, the City of London on its own row): the City's
    residents and London's (the 33 E09 areas) by broad group, and the City's share.

    Columns: group (the five broad groups and All), city, london, share (city / london).
    """
    name = relative(path)
    columns = ["geography code", CENSUS_2011_ALL_COLUMN, *CENSUS_2011_GROUP_COLUMN.values()]
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"geography code": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(name, "", f"cannot be read as CSV ({exc}); expected the Nomis QS201EW file") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError.single(name, "line 1 (header)", f"missing columns {missing}; expected the QS201EW layout")
    london = frame[frame["geography code"].str.startswith(LONDON_PREFIX)]
    city = london[london["geography code"] == CITY_OF_LONDON_CODE]
    if len(london) != LONDON_AREAS + 1 or len(city) != 1:
        raise InputError.single(
            name,
            "column 'geography code'",
            f"expected {LONDON_AREAS + 1} London (E09) areas including the City of London ({CITY_OF_LONDON_CODE})",
        )
    values = {**CENSUS_2011_GROUP_COLUMN, "All": CENSUS_2011_ALL_COLUMN}
    table = pd.DataFrame(
        {
            "group": list(values),
            "city": [int(city[c].iloc[0]) for c in values.values()],
            "london": [int(pd.to_numeric(london[c]).sum()) for c in values.values()],
        }
    )
    table["share"] = table["city"] / table["london"]
    return table
