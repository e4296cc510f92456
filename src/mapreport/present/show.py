"""Turning tables, figures and text into accessible HTML outputs in a notebook."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
from IPython.display import HTML as _IPythonHTML

from mapreport.present import numbers
from mapreport.present.charts import Chart
from mapreport.present.downloads import TABLES_KEY, register_table, tables_in
from mapreport.present.sanitise import markdown_to_html


class HTML(_IPythonHTML):
    """What report functions return for display: HTML that carries, as output metadata, the data of its tables
    (the publication writes each as a CSV file beside the table)."""

    def __init__(self, data: str) -> None:
        super().__init__(data)  # type: ignore[no-untyped-call]

    def _repr_html_(self) -> tuple[str, dict[str, Any]] | str:
        tables = tables_in(str(self.data))
        return (str(self.data), {TABLES_KEY: tables}) if tables else str(self.data)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return numbers.number(value, 1, missing="")
    if isinstance(value, int):
        return numbers.count(value)
    return html.escape(str(value))


def table_html(
    frame: pd.DataFrame, caption: str, *, rich_columns: tuple[str, ...] = (), markup_columns: tuple[str, ...] = ()
) -> str:
    """An HTML table with a caption and header cells; `rich_columns` hold Markdown/HTML from the data (sanitised),
    `markup_columns` HTML built by the report's own code from escaped or sanitised parts (shown as it is)."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = [
            str(v) if column in markup_columns else markdown_to_html(str(v)) if column in rich_columns else _cell(v)
            for column, v in zip(frame.columns, record, strict=True)
        ]
        rows.append(
            "<tr>"
            + "".join(
                f'<td class="source-text">{c}</td>' if column in rich_columns else f"<td>{c}</td>"
                for column, c in zip(frame.columns, cells, strict=True)
            )
            + "</tr>"
        )
    body = "\n".join(rows) if rows else f'<tr><td colspan="{len(frame.columns)}">No entries.</td></tr>'
    name = register_table(frame, caption, rich_columns, markup_columns)
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(caption)}">\n'
        f'<table class="mapreport-table" data-csv="{name}">\n<caption>{html.escape(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>"
    )


def table(frame: pd.DataFrame, caption: str, *, rich_columns: tuple[str, ...] = ()) -> HTML:
    """Display a table."""
    return HTML(table_html(frame, caption, rich_columns=rich_columns))


def chart(figure: Chart, *, source: str = "", data_closed: bool = False) -> HTML:
    """Display a chart with its alt text, its source and, beside it, the table of its data (behind a closed
    <details> where `data_closed`)."""
    table = table_html(figure.data, f"Data for the chart: {figure.title}")
    if data_closed:
        table = collapsed("Data for the chart", table)
    return HTML(figure.to_html(source) + "\n" + table)


def collapsed(summary: str, markup: str) -> str:
    """HTML built by the report's code, behind a closed <details> whose summary is `summary` (plain text)."""
    return f"<details><summary>{html.escape(summary)}</summary>\n{markup}\n</details>"


def heading(text: str, level: int = 2) -> HTML:
    """A heading computed from data (static headings live in the notebook's Markdown cells)."""
    return HTML(f"<h{level}>{html.escape(text)}</h{level}>")


def paragraph(text: str) -> HTML:
    """A paragraph of plain text written by the code (escaped, not markup)."""
    return HTML(f"<p>{html.escape(text)}</p>")


def quoted(markdown: str) -> str:
    """Text from a source document (Markdown or HTML, sanitised), marked as the source's words, not the report's."""
    return f'<div class="source-text">{markdown_to_html(markdown)}</div>'


def rich_text(markdown: str) -> HTML:
    """Markdown or HTML from the data, sanitised."""
    return HTML(markdown_to_html(markdown))
