"""police.uk record-level stop and search files: loading any month for any force, and counting by ethnicity.

A police.uk file is named `YYYY-MM-<force>-stop-and-search.csv` and has one row per search. Only the columns needed
are read, as categoricals, and every label is mapped through the explicit tables below: a label not in a table is
an error naming the file, line and label, so nothing is ever counted silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from mapreport.core.errors import InputError, Problem
from mapreport.core.hashing import sha256_file
from mapreport.core.paths import relative
from mapreport.sources import memo
from mapreport.sources.census import BROAD_GROUPS, NOT_STATED
from mapreport.sources.published import CITY, STOP_SEARCH_PATTERN

FILE_PATTERN = STOP_SEARCH_PATTERN
TIME_ZONE = "Europe/London"

TYPE = "Type"
DATE = "Date"
SELF_DEFINED = "Self-defined ethnicity"
OFFICER_DEFINED = "Officer-defined ethnicity"
OUTCOME = "Outcome"
LATITUDE = "Latitude"
LONGITUDE = "Longitude"
COLUMNS = (TYPE, DATE, SELF_DEFINED, OFFICER_DEFINED, OUTCOME, LATITUDE, LONGITUDE)
"""The only columns read from a police.uk file."""

GROUPS = (*BROAD_GROUPS, NOT_STATED)

OFFICER_DEFINED_GROUP: dict[str, str] = {
    "Asian": "Asian",
    "Black": "Black",
    "Mixed": "Mixed",
    "White": "White",
    "Other": "Other",
    "": NOT_STATED,
}
"""Officer-defined ethnicity (the officer's perception): police.uk's five labels, and blank when none was recorded."""

SELF_DEFINED_GROUP: dict[str, str] = {
    "Asian/Asian British - Bangladeshi": "Asian",
    "Asian/Asian British - Chinese": "Asian",
    "Asian/Asian British - Indian": "Asian",
    "Asian/Asian British - Pakistani": "Asian",
    "Asian/Asian British - Any other Asian background": "Asian",
    "Black/African/Caribbean/Black British - African": "Black",
    "Black/African/Caribbean/Black British - Caribbean": "Black",
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background": "Black",
    "Mixed/Multiple ethnic groups - White and Asian": "Mixed",
    "Mixed/Multiple ethnic groups - White and Black African": "Mixed",
    "Mixed/Multiple ethnic groups - White and Black Caribbean": "Mixed",
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": "Mixed",
    "White - English/Welsh/Scottish/Northern Irish/British": "White",
    "White - Irish": "White",
    "White - Gypsy or Irish Traveller": "White",
    "White - Any other White background": "White",
    "Other ethnic group - Arab": "Other",
    "Other ethnic group - Any other ethnic group": "Other",
    "Other ethnic group - Not stated": NOT_STATED,
    "": NOT_STATED,
}
"""Self-defined ethnicity (the person's own answer): police.uk's 18 Census 2011 groups, "Not stated" and blank."""

PERSON_SEARCH = "Person search"
SEARCH_TYPES: dict[str, bool] = {
    "Person search": True,
    "Person and Vehicle search": True,
    "Vehicle search": False,
}
"""Each police.uk search type and whether it searched a person (vehicle-only searches have no person's ethnicity)."""

OUTCOME_GROUPS = (
    "Arrest",
    "No further action",
    "Community resolution",
    "Penalty notice",
    "Summons or charge",
    "Caution",
    "Drugs warning",
    "Outcome not given",
)
OUTCOME_GROUP: dict[str, str] = {
    "Arrest": "Arrest",
    "Suspect arrested": "Arrest",
    "A no further action disposal": "No further action",
    "Nothing found - no further action": "No further action",
    "Community resolution": "Community resolution",
    "Local resolution": "Community resolution",
    "Penalty Notice for Disorder": "Penalty notice",
    "Offender given penalty notice": "Penalty notice",
    "Summons / charged by post": "Summons or charge",
    "Suspect summonsed to court": "Summons or charge",
    "Caution (simple or conditional)": "Caution",
    "Offender cautioned": "Caution",
    "Khat or Cannabis warning": "Drugs warning",
    "Offender given drugs possession warning": "Drugs warning",
    "Article found - Detailed outcome unavailable": "Outcome not given",
    "": "Outcome not given",
}
"""police.uk's outcome labels (current and earlier wordings) and the outcome group each is counted in."""

CITY_BOX = (51.505, 51.525, -0.115, -0.070)
"""A box around the City of London (south, north, west, east, in degrees): the City of London Police's area. A
Metropolitan Police file has few searches located in it (about 1.5% in April to June 2022), a City of London Police
file almost all (about 96%); a file on the wrong side of half is refused as another force's file."""
FORCE_CHECK_MINIMUM = 20
"""The force check needs at least this many located searches; a file with fewer is not checked."""

DEFINITIONS = {"officer": OFFICER_DEFINED, "self": SELF_DEFINED}
"""The two ethnicity definitions, by the name used in the annex functions."""


def month_and_force(path: Path) -> tuple[str, str]:
    """The month (`YYYY-MM`) and force slug from a police.uk file name."""
    match = FILE_PATTERN.match(path.name)
    if not match:
        raise InputError.single(
            relative(path), "file name", "expected a police.uk name such as 2022-09-metropolitan-stop-and-search.csv"
        )
    return match["month"], match["force"]


def _first_line(codes: np.ndarray, bad_codes: np.ndarray) -> int:
    """The file line (header = line 1) of the first record whose code is in `bad_codes`."""
    return int(np.flatnonzero(np.isin(codes, bad_codes))[0]) + 2


def _map_column(
    frame: pd.DataFrame, column: str, table: dict[str, str], groups: tuple[str, ...], name: str
) -> pd.Categorical[str]:
    """Map a categorical column through `table` to `groups`, raising on any label the table lacks (every one named)."""
    values = frame[column].cat
    categories = list(values.categories)
    codes = values.codes.to_numpy()
    unknown = [label for label in categories if label not in table]
    if unknown:
        problems = []
        for label in unknown:
            line = _first_line(codes, np.array([categories.index(label)]))
            count = int((codes == categories.index(label)).sum())
            problems.append(
                Problem(
                    name,
                    f"line {line}, column '{column}'",
                    f"unknown label {label!r} ({count} record(s)); add it to the mapping in src/mapreport/sources/stopsearch.py "
                    "or correct the file",
                )
            )
        raise InputError(problems)
    lookup = np.array([groups.index(table[label]) for label in categories], dtype=np.int8)
    categorical: pd.Categorical[str] = pd.Categorical.from_codes(lookup[codes], categories=pd.Index(list(groups)))
    return categorical


def _check_month(frame: pd.DataFrame, month: str, name: str) -> None:
    """Every record's date, in London time, must fall in the file's month."""
    text = frame[DATE]
    try:
        moments = pd.to_datetime(text, format="ISO8601", utc=True)
    except (ValueError, TypeError):
        bad = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce").isna()
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError.single(
            name,
            f"line {line}, column '{DATE}'",
            f"expected a date such as 2022-09-01T10:00:00+00:00 (got {text.iloc[line - 2]!r})",
        ) from None
    local = moments.dt.tz_convert(TIME_ZONE)
    key = local.dt.year.to_numpy() * 100 + local.dt.month.to_numpy()
    expected = int(month[:4]) * 100 + int(month[5:])
    outside = key != expected
    if outside.any():
        line = int(np.flatnonzero(outside)[0]) + 2
        raise InputError.single(
            name,
            f"line {line}, column '{DATE}'",
            f"date {text.iloc[line - 2]} is not in {month} (London time), the month in the file name; "
            "check the file is the month it is named for",
        )


def _check_force(frame: pd.DataFrame, force: str, name: str) -> None:
    """The located searches must lie where the force named in the file name polices (see `CITY_BOX`)."""
    latitude = pd.to_numeric(frame[LATITUDE], errors="coerce").to_numpy()
    longitude = pd.to_numeric(frame[LONGITUDE], errors="coerce").to_numpy()
    located = ~(np.isnan(latitude) | np.isnan(longitude))
    if located.sum() < FORCE_CHECK_MINIMUM:
        return
    south, north, west, east = CITY_BOX
    inside = (latitude > south) & (latitude < north) & (longitude > west) & (longitude < east)
    share = inside[located].mean()
    if (force == CITY) == (share > 0.5):
        return
    first = int(np.flatnonzero(located & (inside if share > 0.5 else ~inside))[0]) + 2
    expected = "almost all" if force == CITY else "few"
    raise InputError.single(
        name,
        f"line {first}, columns '{LATITUDE}'/'{LONGITUDE}'",
        f"the file is named for force '{force}', whose files have {expected} searches inside the City of London, but "
        f"{100 * share:.0f}% of its {int(located.sum()):,} located searches are inside it: these look like another "
        "force's records; download the month again from data.police.uk for the force in the file name",
    )


def load_month(path: Path) -> pd.DataFrame:
    """Load one police.uk stop and search file, as published.

    Returns one row per search with categorical columns: month, force, person (bool: a person was searched),
    officer (officer-defined broad group), self (self-defined broad group), outcome (outcome group).
    """
    name = relative(path)
    month, force = month_and_force(path)
    if not path.is_file():
        raise InputError.single(
            name,
            "",
            f"file not found; download the {month} {force} stop and search file from data.police.uk or remove the month from params",
        )
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError.single(name, "", f"cannot be read as CSV ({exc}); expected a police.uk export") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError.single(
            name, "line 1 (header)", f"missing police.uk columns {missing}; is this a stop and search file?"
        )
    frame = pd.read_csv(
        path,
        usecols=list(COLUMNS),
        dtype={c: "category" for c in COLUMNS if c not in (DATE, LATITUDE, LONGITUDE)}
        | {DATE: str, LATITUDE: str, LONGITUDE: str},
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8-sig",
        engine="c",
    )
    if frame.empty:
        raise InputError.single(name, "", "has a header but no records")
    _check_month(frame, month, name)
    _check_force(frame, force, name)
    person = _map_column(frame, TYPE, {k: str(v) for k, v in SEARCH_TYPES.items()}, ("True", "False"), name)
    return pd.DataFrame(
        {
            "month": pd.Categorical([month] * len(frame)),
            "force": pd.Categorical([force] * len(frame)),
            "person": np.asarray(person.codes == 0),
            "officer": _map_column(frame, OFFICER_DEFINED, OFFICER_DEFINED_GROUP, GROUPS, name),
            "self": _map_column(frame, SELF_DEFINED, SELF_DEFINED_GROUP, GROUPS, name),
            "outcome": _map_column(frame, OUTCOME, OUTCOME_GROUP, OUTCOME_GROUPS, name),
        }
    )


def load_months(paths: Iterable[Path]) -> pd.DataFrame:
    """Load and stack several police.uk files (months and forces as categoricals); every file's problems at once."""
    frames, problems = [], []
    seen: dict[str, Path] = {}
    for path in paths:
        digest = sha256_file(path) if path.is_file() else ""
        if digest in seen:
            problems.append(
                Problem(
                    relative(path),
                    "",
                    f"is byte-identical to {relative(seen[digest])}: the same records under two months' names (a "
                    "duplicate month); at most one is the month it is named for: replace the other with its own "
                    "month's file from data.police.uk",
                )
            )
            continue
        if digest:
            seen[digest] = path
        try:
            frames.append(memo.parsed(load_month, path, digest=digest) if digest else load_month(path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    if not frames:
        raise ValueError("no police.uk files given")
    stacked = pd.concat(frames, ignore_index=True)
    for column in ("month", "force"):
        stacked[column] = stacked[column].astype("category")
    return stacked


def searches_by_ethnicity(records: pd.DataFrame, definition: str) -> pd.Series:
    """Person searches by broad group (and Not stated) under `definition` ("officer" or "self"), in group order."""
    column = _definition_column(definition)
    people = records.loc[records["person"], column]
    counts: pd.Series = people.value_counts(sort=False).reindex(list(GROUPS), fill_value=0).astype("int64")
    return counts


def outcomes_by_ethnicity(records: pd.DataFrame, definition: str) -> pd.DataFrame:
    """Person searches by broad group (rows) and outcome group (columns)."""
    column = _definition_column(definition)
    people = records.loc[records["person"]]
    table = pd.crosstab(people[column], people["outcome"], dropna=False)
    return table.reindex(index=list(GROUPS), columns=list(OUTCOME_GROUPS), fill_value=0).astype("int64")


def vehicle_only_searches(records: pd.DataFrame) -> int:
    """Searches of a vehicle only (no person searched, so no ethnicity to count)."""
    return int((~records["person"]).sum())


def _definition_column(definition: str) -> str:
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown ethnicity definition {definition!r}; expected one of {sorted(DEFINITIONS)}")
    return definition


EFF_AREA_GROUPS = ("All", *BROAD_GROUPS)
EFF_NOT_AVAILABLE = "N/A"


def load_eff_by_area(path: Path) -> pd.DataFrame:
    """GOV.UK Ethnicity Facts and Figures, stop and search rates per 1,000 by police force area, as published.

    Two header rows (groups, then the unit "Rate per 1,000"); "N/A" where no rate is published. Returns area, group,
    rate (NaN for N/A).
    """
    name = relative(path)
    try:
        raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(name, "", f"cannot be read as CSV ({exc})") from None
    groups = tuple(raw.iloc[0, 1:])
    if groups != EFF_AREA_GROUPS or set(raw.iloc[1, 1:]) != {"Rate per 1,000"}:
        raise InputError.single(
            name, "lines 1-2 (header)", f"expected groups {list(EFF_AREA_GROUPS)} each as 'Rate per 1,000'"
        )
    body = raw.iloc[2:]
    values = body.iloc[:, 1:]
    bad = ~(values.apply(lambda c: c.str.fullmatch(r"\d+(\.\d+)?")) | (values == EFF_NOT_AVAILABLE))
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise InputError.single(
            name, f"line {row + 3}, column '{groups[col]}'", f"expected a rate or N/A (got {values.iat[row, col]!r})"
        )
    long = values.set_axis(list(groups), axis=1).assign(area=body.iloc[:, 0].to_numpy())
    long = long.melt(id_vars="area", var_name="group", value_name="rate")
    long["rate"] = pd.to_numeric(long["rate"].replace(EFF_NOT_AVAILABLE, np.nan))
    return long


def load_eff_by_ethnicity(path: Path) -> pd.DataFrame:
    """GOV.UK Ethnicity Facts and Figures, stop and search in England and Wales by ethnicity, as published.

    Returns ethnicity, rate (NaN for N/A) and searches (numbers published with thousands separators, e.g. "529,474").
    """
    name = relative(path)
    expected = ["Ethnicity", "Rate of stop and search", "Number of stop and searches"]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(name, "", f"cannot be read as CSV ({exc})") from None
    if list(raw.columns) != expected:
        raise InputError.single(name, "line 1 (header)", f"expected columns {expected} (got {list(raw.columns)})")
    numbers = raw[expected[2]].str.replace(",", "", regex=False)
    bad = ~numbers.str.fullmatch(r"\d+")
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError.single(
            name,
            f"line {line}, column '{expected[2]}'",
            f"expected a whole number such as 529,474 (got {raw[expected[2]].iloc[line - 2]!r})",
        )
    return pd.DataFrame(
        {
            "ethnicity": raw[expected[0]],
            "rate": pd.to_numeric(raw[expected[1]].replace(EFF_NOT_AVAILABLE, np.nan)),
            "searches": numbers.astype("int64"),
        }
    )
