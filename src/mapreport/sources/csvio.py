"""Reading the project's CSV inputs strictly: exact columns, every row checked, every problem named."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from mapreport.core.errors import InputError, Problem, excerpt
from mapreport.core.paths import relative
from mapreport.core.yamlio import read_text


def _row_problems(error: ValidationError, file: str, line: int) -> list[Problem]:
    problems = []
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        if not item["loc"]:  # a check across columns: its message names them; the input would be the whole row
            problems.append(Problem(file, f"line {line}", message))
            continue
        column = ".".join(str(part) for part in item["loc"])
        problems.append(Problem(file, f"line {line}, column '{column}'", f"{message} (got {excerpt(item['input'])})"))
    return problems


BOM = b"\xef\xbb\xbf"


def csv_text(path: Path) -> str:
    """A CSV file's text as a spreadsheet saves it: a UTF-8 byte-order mark (Excel's "CSV UTF-8" always writes one)
    is dropped and Windows line endings (CRLF) become plain ones."""
    raw = path.read_bytes() if path.is_file() else b""
    if not raw.startswith(BOM):
        return read_text(path).replace("\r\n", "\n")
    try:
        return raw[len(BOM) :].decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(relative(path), f"line {line}", "is not UTF-8 text; save the file as UTF-8") from None


def read_rows(path: Path, model: type[BaseModel], ignored: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a comma-separated UTF-8 file whose header must match `model`'s fields, validating every row.

    Cells are read as text; the model converts them. Returns the validated rows as a frame whose index is each
    row's line in the file minus 2 (the header is line 1), so `index + 2` names the line an editor shows, even after
    cells that span several lines or blank lines. Columns named in `ignored` may follow the model's columns (helper
    columns of a worksheet); they are dropped unread.
    """
    name = relative(path)
    text = csv_text(path)
    if not text.strip():
        raise InputError.single(name, "", "is empty; expected content")
    expected = list(model.model_fields)
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader)]
    helpers = [c for c in header[len(expected) :] if c in ignored]
    if helpers and header[: len(expected)] == expected and len(header) == len(expected) + len(helpers):
        header = expected
    if header != expected:
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            raise InputError.single(
                name, "line 1", "is not comma-separated (found ';' or tabs); save it as CSV with commas"
            )
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = "; ".join(
            filter(
                None,
                [
                    f"missing {missing}" if missing else "",
                    f"unexpected {extra}" if extra else "",
                    "columns out of order" if not missing and not extra else "",
                ],
            )
        )
        raise InputError.single(name, "line 1 (header)", f"expected columns {expected}: {detail}")
    records, lines, problems = [], [], []
    next_line = reader.line_num + 1
    for cells in reader:
        line_number, next_line = next_line, reader.line_num + 1  # a quoted cell may span several lines
        if not any(cell.strip() for cell in cells):
            continue
        if helpers and len(cells) == len(expected) + len(helpers):
            cells = cells[: len(expected)]
        if len(cells) != len(expected):
            problems.append(
                Problem(
                    name,
                    f"line {line_number}",
                    f"has {len(cells)} cells; expected {len(expected)} (check quoting of commas)",
                )
            )
            continue
        try:
            records.append(model.model_validate(dict(zip(expected, cells, strict=True))).model_dump())
            lines.append(line_number)
        except ValidationError as exc:
            problems.extend(_row_problems(exc, name, line_number))
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError.single(name, "", "has a header but no rows; expected at least one row")
    return pd.DataFrame.from_records(records, columns=expected, index=[line - 2 for line in lines])


def gather(*checks: Callable[[], object]) -> list[Problem]:
    """Run every check, collecting the problems each raises, so that one pass reports them all."""
    problems: list[Problem] = []
    for check in checks:
        try:
            check()
        except InputError as exc:
            problems.extend(exc.problems)
    return problems


def line_values(path: Path, column: str) -> dict[int, str]:
    """Each data row's value in one column, by the line the row starts on (for naming rows in messages)."""
    try:
        reader = csv.reader(io.StringIO(csv_text(path)))
        header = [cell.strip() for cell in next(reader)]
    except (InputError, StopIteration, csv.Error):
        return {}
    if column not in header:
        return {}
    values, next_line = {}, reader.line_num + 1
    for cells in reader:
        line, next_line = next_line, reader.line_num + 1
        if len(cells) > header.index(column):
            values[line] = cells[header.index(column)].strip()
    return values


def file_line(index: Hashable) -> int:
    """The line an editor shows for a row of a frame read by `read_rows` (its index is the line minus 2)."""
    return int(str(index)) + 2


def check_unique(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Refuse duplicate keys, naming the lines (header is line 1)."""
    duplicated = frame[frame.duplicated(columns, keep=False)]
    if not duplicated.empty:
        lines = ", ".join(str(i + 2) for i in duplicated.index)
        key = ", ".join(f"{c}={excerpt(duplicated.iloc[0][c])}" for c in columns)
        raise InputError.single(relative(path), f"lines {lines}", f"duplicate {key}; each must appear once")
