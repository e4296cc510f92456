"""Headline figures and the plan's targets, in long format, one value per row."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.periods import Quarter
from mapreport.sources import catalogue
from mapreport.sources.csvio import check_unique, file_line, gather, read_rows
from mapreport.sources.documents import check_citations, document_texts, known_doc_ids
from mapreport.sources.quotes import quote_found, value_in_quote

UNITS = ("percent", "count", "percentage_points")
PERIOD = re.compile(r"^\d{4}-\d{2}(-Q[1-4])?$")
GROUPS = {
    "all": ("All", "All Londoners", "MPS actions"),
    "ethnicity": ("Asian", "BAME", "Black", "Black Caribbean", "Mixed", "White", "All except Black"),
    "age": ("16-24", "35 and under", "55+", "65+"),
    "ethnicity_age": ("Black 16-24",),
    "sex": ("women",),
    "disability": ("Disabled", "Not disabled"),
    "religion": ("Any religion", "No religion"),
    "sexual_orientation": ("LGB",),
}
"""The groups of each breakdown (data/figures/NOTES.md says what each means); a new one is added here, on purpose."""


def _check_group(breakdown: str, group: str) -> None:
    """Refuse a breakdown or group outside the vocabulary, saying the nearest allowed spelling."""
    if breakdown not in GROUPS:
        raise ValueError(f"column 'breakdown' is {breakdown!r}; expected one of {', '.join(GROUPS)}")
    allowed = GROUPS[breakdown]
    if group not in allowed:
        same = [g for g in allowed if g.lower() == group.strip().lower()]
        hint = f"write {same[0]!r}" if same else f"expected one of {', '.join(allowed)}"
        raise ValueError(f"column 'group' is {group!r}, not a group of breakdown {breakdown!r}; {hint}")


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty; every figure needs it (copy the words from the cited document)")
    return value.strip()


PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _number(value: str, *, allow_blank: bool = False) -> float | None:
    """A plain decimal (`64`, `-2.5`): no exponent, underscore, `nan` or `inf`, which Python's float() would take."""
    text = value.strip()
    if allow_blank and not text:
        return None
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        plain = text.replace(",", "")
        raise ValueError(f"has a thousands separator; write the number without commas ({plain}, not {text})")
    if re.fullmatch(r"-?\d+,\d+", text):
        raise ValueError("has a decimal comma; write numbers with a decimal point (0.5, not 0,5)")
    if not PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(
            "expected a plain decimal number such as 64 or -2.5 (digits, an optional minus sign and decimal point; "
            "no %, thousands separators, underscores, exponents, nan or inf)"
        )
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("is too large to be a number of this report; check the digits")
    return number


def _date(value: str) -> str:
    """Blank, a month `2022-03` or a real calendar date `2022-02-28`, as written."""
    text = value.strip()
    if not text or MONTH.fullmatch(text):
        return text
    if DAY.fullmatch(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} is not a date in the calendar; check the day and month") from None
        return text
    raise ValueError("expected a date as YYYY-MM-DD (e.g. 2022-02-28), a month as YYYY-MM, or blank")


def _check_unit_value(value: float, unit: str, column: str) -> None:
    """Refuse a value its unit cannot hold; the message names the column, as the check spans two."""
    if unit == "percent" and not 0 <= value <= 100:
        raise ValueError(f"column '{column}' is {value:g}, outside 0 to 100 for a percentage (unit 'percent')")
    if unit == "count" and (value < 0 or value != int(value)):
        raise ValueError(f"column '{column}' is {value:g}; a count (unit 'count') must be a whole number of at least 0")


class FigureRow(BaseModel):
    """One published value: a measure for one group in one period."""

    model_config = ConfigDict(extra="forbid")

    period: str
    as_at: str
    measure: str
    breakdown: str
    group: str
    value: float
    unit: str
    base: float | None
    source_doc: str
    source_ref: str
    quote: str

    _value = field_validator("value", mode="before")(lambda v: _number(v))
    _base = field_validator("base", mode="before")(lambda v: _number(v, allow_blank=True))
    _as_at = field_validator("as_at")(lambda v: _date(v))
    _cited = field_validator("source_ref", "quote")(_required)

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        if not PERIOD.match(value):
            raise ValueError("expected a quarter like 2022-23-Q1 or a financial year like 2022-23")
        if "Q" in value:
            Quarter.parse(value)
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value not in UNITS:
            raise ValueError(f"expected one of {', '.join(UNITS)}")
        return value

    @model_validator(mode="after")
    def _value_fits_unit(self) -> FigureRow:
        _check_group(self.breakdown, self.group)
        _check_unit_value(self.value, self.unit, "value")
        if self.base is not None and (self.base <= 0 or self.base != int(self.base)):
            raise ValueError(f"column 'base' is {self.base:g}; a base must be a whole number above 0")
        return self


class TargetRow(BaseModel):
    """One target of the plan for one measure and group."""

    model_config = ConfigDict(extra="forbid")

    measure: str
    breakdown: str
    group: str
    target_value: float
    unit: str
    by_period: str
    by_date: str
    source_doc: str
    source_ref: str
    quote: str

    _target = field_validator("target_value", mode="before")(lambda v: _number(v))
    _by_date = field_validator("by_date")(lambda v: _date(v))

    @field_validator("by_period")
    @classmethod
    def _by_period(cls, value: str) -> str:
        if value and not PERIOD.match(value):
            raise ValueError("expected blank, a quarter like 2022-23-Q3 or a financial year like 2022-23")
        if "Q" in value:
            Quarter.parse(value)
        return value

    _cited = field_validator("source_ref", "quote")(_required)

    @model_validator(mode="after")
    def _value_fits_unit(self) -> TargetRow:
        _check_group(self.breakdown, self.group)
        _check_unit_value(self.target_value, self.unit, "target_value")
        return self


class MeasureRow(BaseModel):
    """A measure's plain-English title and definition, for readers of the reports."""

    model_config = ConfigDict(extra="forbid")

    measure: str
    title: str
    definition: str


def load_measures(used: pd.Series | None = None) -> pd.DataFrame:
    """Load measure titles; every measure in `used` (figures or targets) must have one."""
    path = catalogue.measures_file()
    frame = read_rows(path, MeasureRow)
    check_unique(frame, ["measure"], path)
    if used is not None:
        missing = sorted(set(used) - set(frame["measure"]))
        if missing:
            raise InputError.single(
                paths.relative(path), "", f"has no title for measures {missing}; add a row for each"
            )
    return frame.set_index("measure")


def period_end(period: str) -> str:
    """The last day of a quarter or financial year, as ISO text (for ordering and charts)."""
    if "Q" in period:
        return Quarter.parse(period).end_date.isoformat()
    return f"{int(period[:4]) + 1}-03-31"


def reference_date(frame: pd.DataFrame) -> pd.Series:
    """Each figure's date as ISO text: its `as_at` where the source gives one, else the end of its period."""
    return frame["as_at"].where(frame["as_at"] != "", frame["period"].map(period_end))


def check_quotes(frame: pd.DataFrame, path: Path, value_column: str) -> list[Problem]:
    """Every quote is in its cited document's text, and every value is a number printed in its quote."""
    texts = document_texts()
    name = paths.relative(path)
    problems = []
    for index, row in frame.iterrows():
        where = f"line {file_line(index)}, column 'quote'"
        text = texts.get(str(row["source_doc"]))
        if text is not None and not quote_found(str(row["quote"]), text):
            problems.append(
                Problem(
                    name,
                    where,
                    f"is not in the text of {row['source_doc']} (data/documents.csv lists its file); copy the words "
                    "exactly as the document prints them",
                )
            )
        elif not value_in_quote(float(row[value_column]), str(row["quote"])):
            problems.append(
                Problem(
                    name,
                    where,
                    f"does not print the {value_column} {row[value_column]:g}; quote the words that hold the number",
                )
            )
    return problems


def _checked(frame: pd.DataFrame, path: Path, key: list[str], value_column: str) -> pd.DataFrame:
    """Every problem of an already-read figures file at once: duplicates, citations and quotes."""
    problems = gather(
        lambda: check_unique(frame, key, path),
        lambda: check_citations(frame, path, known_doc_ids()),
    )
    problems += check_quotes(frame, path, value_column)
    if problems:
        raise InputError(problems)
    return frame


def load_figures(path: Path | None = None) -> pd.DataFrame:
    """Load and check the headline figures."""
    path = path or catalogue.figures_file()
    frame = read_rows(path, FigureRow)
    return _checked(frame, path, ["period", "as_at", "measure", "breakdown", "group", "unit"], "value")


def load_targets(path: Path | None = None) -> pd.DataFrame:
    """Load and check the plan's targets."""
    path = path or catalogue.targets_file()
    frame = read_rows(path, TargetRow)
    return _checked(frame, path, ["measure", "breakdown", "group", "by_period"], "target_value")


def figures_up_to(figures: pd.DataFrame, quarter: Quarter) -> pd.DataFrame:
    """Figures whose period ended by the end of the report's quarter."""
    ends = figures["period"].map(period_end)
    return figures[ends <= quarter.end_date.isoformat()].copy()
