"""MOPAC Public Attitude Survey (PAS) files, read as published.

The MPS and borough series are CSV exports saved in a European Excel locale: semicolons between fields, decimal
commas ("0,56") and dd/mm/yyyy dates. Each date is the end of a rolling 12-month period; it is labelled with the
financial-year quarter it ends (31/03/2022 is 2021-22-Q4). Richmond appears under two spellings and is unified.
The neighbourhood file by ethnicity is a UTF-8 (with BOM) comma CSV with three header rows.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pandas as pd

from mapreport.core.errors import InputError, Problem
from mapreport.core.paths import relative
from mapreport.core.periods import Quarter

MEASURES: dict[str, str] = {
    "Trust MPS": "Trust the MPS",
    "Treat everyone fairly": "Treat everyone fairly",
    "Listen to concerns": "Listen to concerns",
    '"Good Job" local': "Good job locally",
    "Relied on to be there": "Relied on to be there",
    "Contact ward officer": "Contact ward officer",
    "Informed local": "Informed locally",
    "Understand issues": "Understand issues",
}
"""Every measure label in the PAS files and the name the annex uses."""
SHOWN_MEASURES = (
    "Trust the MPS",
    "Treat everyone fairly",
    "Listen to concerns",
    "Good job locally",
    "Relied on to be there",
)
"""The measures the annex shows, in display order."""

BOROUGH_SPELLINGS: dict[str, str] = {"Richmond Upon Thames": "Richmond upon Thames"}
"""Variant spellings in the published borough file and the spelling used."""
BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "City of Westminster", "Croydon",
    "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow", "Havering",
    "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets",
    "Waltham Forest", "Wandsworth",
)  # fmt: skip
"""The 32 London boroughs as the PAS names them (the City of London has its own police force and is not surveyed)."""
MPS = "MPS"

TOTAL_COLUMNS = ("Date", "Survey", "Borough", "Measure", "Proportion")
BOROUGH_COLUMNS = (*TOTAL_COLUMNS, "MPS")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_DECIMAL = re.compile(r"^(0|1)(,\d+)?$")


def _read_semicolon(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    name = relative(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(name, "", f"cannot be read as UTF-8 text ({exc})") from None
    first = text.split("\n", 1)[0]
    if ";" not in first:
        raise InputError.single(
            name, "line 1", "expected the semicolon-separated export with decimal commas (found no ';')"
        )
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    if tuple(frame.columns) != columns:
        raise InputError.single(
            name, "line 1 (header)", f"expected columns {list(columns)} (got {list(frame.columns)})"
        )
    return frame


def _quarter_of(value: str) -> Quarter | None:
    match = _DATE.match(value)
    if not match:
        return None
    try:
        day = date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    quarter = Quarter.containing(day)
    return quarter if day == quarter.end_date else None


def _parse(frame: pd.DataFrame, path: Path, value_columns: tuple[str, ...]) -> pd.DataFrame:
    """Check and convert every row, collecting every problem: dates, measures, boroughs and decimal-comma values."""
    name = relative(path)
    problems: list[Problem] = []
    quarters: dict[str, Quarter] = {}
    for text in frame["Date"].unique():
        quarter = _quarter_of(text)
        if quarter is None:
            line = int(frame.index[frame["Date"] == text][0]) + 2
            problems.append(
                Problem(name, f"line {line}, column 'Date'", f"expected a quarter end as dd/mm/yyyy (got {text!r})")
            )
        else:
            quarters[text] = quarter
    for label in sorted(set(frame["Measure"]) - set(MEASURES)):
        line = int(frame.index[frame["Measure"] == label][0]) + 2
        problems.append(
            Problem(
                name, f"line {line}, column 'Measure'", f"unknown measure {label!r}; expected one of {list(MEASURES)}"
            )
        )
    boroughs = frame["Borough"].replace(BOROUGH_SPELLINGS)
    known = {*BOROUGHS, MPS}
    for label in sorted(set(boroughs) - known):
        line = int(frame.index[boroughs == label][0]) + 2
        problems.append(Problem(name, f"line {line}, column 'Borough'", f"unknown borough {label!r}"))
    for column in value_columns:
        bad = ~frame[column].str.match(_DECIMAL)
        if bad.any():
            line = int(frame.index[bad][0]) + 2
            value = frame.loc[frame.index[bad][0], column]
            problems.append(
                Problem(
                    name,
                    f"line {line}, column '{column}'",
                    f"expected a proportion with a decimal comma such as 0,56 (got {value!r})",
                )
            )
    if problems:
        raise InputError(problems)
    parsed = pd.DataFrame(
        {
            "quarter": frame["Date"].map(lambda t: str(quarters[t])),
            "area": boroughs,
            "measure": frame["Measure"].map(MEASURES),
        }
    )
    for column in value_columns:
        parsed[column.lower()] = frame[column].str.replace(",", ".", regex=False).astype("float64")
    duplicated = parsed.duplicated(["quarter", "area", "measure"], keep=False)
    if duplicated.any():
        lines = ", ".join(str(i + 2) for i in parsed.index[duplicated][:4])
        raise InputError.single(
            name, f"lines {lines}", "the same quarter, area and measure appear twice (after unifying spellings)"
        )
    return parsed


def load_pas_total(path: Path) -> pd.DataFrame:
    """The MPS-wide series: quarter (`YYYY-YY-QN`, the end of the rolling 12 months), area ("MPS"), measure, value."""
    frame = _read_semicolon(path, TOTAL_COLUMNS)
    parsed = _parse(frame, path, ("Proportion",))
    return parsed.rename(columns={"proportion": "value"})


def load_pas_boroughs(path: Path) -> pd.DataFrame:
    """The borough series: quarter, area (borough, spellings unified), measure, value (borough), mps (MPS-wide)."""
    frame = _read_semicolon(path, BOROUGH_COLUMNS)
    parsed = _parse(frame, path, ("Proportion", "MPS"))
    return parsed.rename(columns={"proportion": "value"})


ETHNIC_GROUPS = ("White British", "Asian", "Black")
"""The groups of the neighbourhood file by ethnicity."""
QUESTION_MEASURES: dict[str, str] = {
    "The police in your area treat everyone fairly regardless of who they are": "Treat everyone fairly",
    "The police in your area listen to the concerns of local people": "Listen to concerns",
    "Taking everything into account, how good a job do you think the police in your area are doing?": "Good job locally",
    "How confident are you that the police in your area use their stop and search powers fairly?": "Stop and search used fairly",
}
"""The questions of the neighbourhood file by ethnicity and the measure names used in the annex."""


def load_pas_by_ethnicity(path: Path) -> pd.DataFrame:
    """Neighbourhood PAS results by ethnic group (pooled 2015-16 to 2020-21), long: borough, neighbourhood, group,
    measure, value (a percentage; NaN where the published cell is blank because the base was too small)."""
    name = relative(path)
    try:
        raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(name, "", f"cannot be read as CSV ({exc})") from None
    questions, groups = list(raw.iloc[0, 1:]), list(raw.iloc[1, 1:])
    problems = [
        Problem(name, f"line 1, column {i + 2}", f"unknown question {q!r}")
        for i, q in enumerate(questions)
        if q not in QUESTION_MEASURES
    ] + [
        Problem(name, f"line 2, column {i + 2}", f"unknown ethnic group {g!r}")
        for i, g in enumerate(groups)
        if g not in ETHNIC_GROUPS
    ]
    if problems:
        raise InputError(problems)
    body = raw.iloc[3:].reset_index(drop=True)
    records = []
    for row_number, row in enumerate(body.itertuples(index=False), start=4):
        place = str(row[0])
        if " - " not in place:
            raise InputError.single(name, f"line {row_number}", f"expected 'Borough - Neighbourhood' (got {place!r})")
        borough, neighbourhood = place.split(" - ", 1)
        for column, (question, group) in enumerate(zip(questions, groups, strict=True), start=1):
            cell = str(row[column]).strip()
            if cell and not cell.isdigit():
                raise InputError.single(
                    name,
                    f"line {row_number}, column {column + 1}",
                    f"expected a whole percentage or blank (got {cell!r})",
                )
            records.append(
                {
                    "borough": borough,
                    "neighbourhood": neighbourhood,
                    "group": group,
                    "measure": QUESTION_MEASURES[question],
                    "value": float(cell) if cell else float("nan"),
                }
            )
    return pd.DataFrame.from_records(records)
