"""The data of every displayed table, kept so that the publication can offer it as a CSV file beside the table.

Each table gets a name from its caption, unique within the notebook (one kernel per notebook, so one registry).
The CSV holds the values as the table shows them, without thousands separators; text stays text.
"""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import pandas as pd

from mapreport.present import numbers
from mapreport.present.sanitise import markdown_to_html

TABLES_KEY = "mapreport-tables"
"""Output metadata key under which a displayed HTML output lists the data of its tables."""
_NAME = re.compile(r'data-csv="([a-z0-9-]+)"')
_TAGS = re.compile(r"<[^>]+>")
_registry: dict[str, dict[str, Any]] = {}


def plain_text(markup: str) -> str:
    """The text a reader sees of a fragment of HTML, on one line."""
    return " ".join(html.unescape(_TAGS.sub(" ", markup)).split())


def _slug(caption: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", caption.lower()).strip("-")
    return words[:60].rstrip("-") or "table"


def _csv_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}" if numbers.known(value) else ""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value)


def _column_type(values: pd.Series) -> str:
    present = [v for v in values if v is not None and not (isinstance(v, float) and not numbers.known(v))]
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    return "string"


def register_table(
    frame: pd.DataFrame, caption: str, rich_columns: tuple[str, ...] = (), markup_columns: tuple[str, ...] = ()
) -> str:
    """Keep a table's data for download; return its name (unique in this notebook)."""
    base = name = _slug(caption)
    counter = 1
    while name in _registry:
        counter += 1
        name = f"{base}-{counter}"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c) for c in frame.columns])
    records = list(frame.itertuples(index=False))
    for record in records:
        writer.writerow(
            [
                plain_text(str(v))
                if column in markup_columns
                else plain_text(markdown_to_html(str(v)))
                if column in rich_columns
                else _csv_value(v)
                for column, v in zip(frame.columns, record, strict=True)
            ]
        )
    types = [
        "string"
        if column in (*rich_columns, *markup_columns)
        else _column_type(pd.Series([r[i] for r in records], dtype=object))
        for i, column in enumerate(frame.columns)
    ]
    _registry[name] = {
        "name": name,
        "caption": caption,
        "fields": [{"name": str(c), "type": t} for c, t in zip(frame.columns, types, strict=True)],
        "csv": buffer.getvalue(),
    }
    return name


def tables_in(html: str) -> list[dict[str, Any]]:
    """The kept data of every table named in an HTML fragment, in the order they appear."""
    return [_registry[name] for name in dict.fromkeys(_NAME.findall(html)) if name in _registry]
