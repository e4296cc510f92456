"""Home Office police use of force statistics: the force-by-perceived-ethnicity table of the published ODS workbooks.

Table 16 of each year's data tables ("Number of times tactics were used, by police force and officer perceived
ethnicity ...") is read straight from the .ods file as published, with calamine (a Rust reader: the one sheet in a tenth
of a second; the full workbook through odfpy takes seconds). Counts are uses of a tactic, not people: one incident can involve several
tactics and the same person can be involved in several incidents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, XmlError, ZipError

from mapreport.core.errors import InputError
from mapreport.core.paths import relative
from mapreport.sources.census import NOT_STATED

TABLE = "Table_16"
CONTENTS = "Contents"
"""The sheet whose first cell states the period of the whole workbook."""

KEY_COLUMNS = ("Police force", "Type of force", "Tactic")
TOTAL_COLUMN = "Number of times tactic reported"
GROUP_OF_COLUMN: dict[str, str] = {
    "White": "White",
    "Black (or Black British)": "Black",
    "Asian (or Asian British)": "Asian",
    "Chinese": "Asian",
    "Mixed": "Mixed",
    "Other": "Other",
    "Don't know": NOT_STATED,
    "Not reported": NOT_STATED,
}
"""Each perceived-ethnicity column of the tables (both years) and its broad group. "Chinese" (a separate column in
2018/19 only) is counted as Asian, as in the Census 2021 groups used for the denominators."""

TACTICS: dict[str, str] = {
    "*Total Tactics": "All tactics",
    "CED": "Taser (CED)",
    "CED of which": "Taser (CED)",
}
"""The tactic rows shown, by their label in each year's table, and the name used in the annex ("CED" is the
conducted energy device, Taser; 2019/20 labels the row "CED of which")."""

YEAR_PATTERN = re.compile(r"year ending March (\d{4})|1 April (\d{4}) to 31 March (\d{4})")


def _text(value: object) -> str | None:
    """A cell as text: None when empty, whole numbers without a decimal point (as the workbook stores them)."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_ods_table(path: Path, table: str) -> list[list[str | None]]:
    """The cells of one sheet of an ODS workbook as text (numbers as their stored value), row by row."""
    name = relative(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (OSError, CalamineError, XmlError, ZipError) as exc:
        raise InputError.single(
            name, "", f"cannot be read as an ODS workbook ({exc}); expected the Home Office file as published"
        ) from None
    if table not in workbook.sheet_names:
        raise InputError.single(
            name, f"sheet '{table}'", "not found; expected the Home Office use of force data tables"
        )
    try:
        rows = workbook.get_sheet_by_name(table).to_python(skip_empty_area=False)
    except (CalamineError, XmlError, ZipError) as exc:
        raise InputError.single(name, f"sheet '{table}'", f"cannot be read ({exc})") from None
    return [[_text(cell) for cell in row] for row in rows]


def financial_year(title: str) -> str:
    """'2019/20' from a table title naming the year ending March 2020 (or 1 April 2019 to 31 March 2020)."""
    match = YEAR_PATTERN.search(title)
    if not match:
        raise ValueError(f"no financial year in {title!r}")
    end = int(match[1] or match[3])
    return f"{end - 1}/{end % 100:02d}"


def load_use_of_force(path: Path, force: str = "Metropolitan") -> pd.DataFrame:
    """Uses of the shown tactics by `force`, by broad perceived-ethnicity group, from Table 16 of one year's workbook.

    Returns long rows: year (e.g. 2019/20), tactic, group, count. Raises InputError on an unexpected header, an
    unknown ethnicity column, a non-numeric count, or a force/tactic not found.
    """
    name = relative(path)
    contents = read_ods_table(path, CONTENTS)
    title = next((str(r[0]) for r in contents if r and r[0]), "")
    try:
        year = financial_year(title)
    except ValueError:
        raise InputError.single(
            name, f"sheet '{CONTENTS}', row 1", f"title names no period '1 April YYYY to 31 March YYYY' (got {title!r})"
        ) from None
    rows = read_ods_table(path, TABLE)
    header_at = next((i for i, r in enumerate(rows) if r and r[0] == KEY_COLUMNS[0]), None)
    if header_at is None:
        raise InputError.single(name, f"sheet '{TABLE}'", f"no header row starting '{KEY_COLUMNS[0]}'")
    header = [h for h in rows[header_at] if h is not None]
    if tuple(header[:3]) != KEY_COLUMNS or header[-1] != TOTAL_COLUMN:
        raise InputError.single(
            name,
            f"sheet '{TABLE}', row {header_at + 1}",
            f"expected columns {list(KEY_COLUMNS)} ... '{TOTAL_COLUMN}' (got {header})",
        )
    groups = header[3:-1]
    unknown = [g for g in groups if g not in GROUP_OF_COLUMN]
    if unknown:
        raise InputError.single(
            name,
            f"sheet '{TABLE}', row {header_at + 1}",
            f"unknown ethnicity column(s) {unknown}; add them to src/mapreport/sources/useofforce.py",
        )
    records = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not row or row[0] != force or row[2] not in TACTICS:
            continue
        values = row[3 : 3 + len(groups) + 1]
        try:
            counts = [float(v) for v in values]  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InputError.single(name, f"sheet '{TABLE}', row {offset}", f"expected counts (got {values})") from None
        if abs(sum(counts[:-1]) - counts[-1]) > 0.5:
            raise InputError.single(
                name,
                f"sheet '{TABLE}', row {offset}",
                f"the groups sum to {sum(counts[:-1]):g}, not the total {counts[-1]:g}",
            )
        for group, count in zip(groups, counts[:-1], strict=True):
            records.append(
                {"year": year, "tactic": TACTICS[str(row[2])], "group": GROUP_OF_COLUMN[group], "count": count}
            )
    found = {r["tactic"] for r in records}
    missing = sorted(set(TACTICS.values()) - found)
    if missing:
        raise InputError.single(name, f"sheet '{TABLE}'", f"no rows for {force!r} with tactic(s) {missing}")
    summed = pd.DataFrame.from_records(records).groupby(["year", "tactic", "group"], sort=False, as_index=False)
    frame = pd.DataFrame(summed["count"].sum())
    frame["count"] = frame["count"].round().astype("int64")
    return frame
