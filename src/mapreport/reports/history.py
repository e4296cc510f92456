"""Action history: every action's stage, schedule and update in every quarter held.

The overview grid is the timeline: one row per action, one column per quarter, each cell its stage in words (and
colour, never colour alone); below it, each action's readings as a table.

One page per quarter's edition, one anchor per action (`#action-1-a`), linked from the progress update's rows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import show
from mapreport.sources import catalogue, status
from mapreport.sources.register import load_register

PAGE = "action_history.html"


def anchor(action_id: str) -> str:
    """The id of an action's section on the history page: 1.a -> action-1-a."""
    return "action-" + action_id.replace(".", "-")


def link(action_id: str) -> str:
    """A link to an action's history, for a table cell (relative: the pages of one edition share a folder)."""
    return f'<a href="{PAGE}#{anchor(action_id)}">{html.escape(action_id)}</a>'


@dataclass(frozen=True)
class HistoryData:
    """Every status reading up to one quarter, and the register they read."""

    quarter: Quarter
    register: pd.DataFrame
    readings: dict[str, pd.DataFrame]
    latest: pd.DataFrame
    table: pd.DataFrame


def load(params: ReportParams) -> HistoryData:
    """Load and check every quarter's status readings up to this one."""
    register = load_register()
    readings = status.load_statuses(catalogue.status_quarter_names(params), register)
    return HistoryData(
        quarter=params.period,
        register=register,
        readings=readings,
        latest=delivery.latest_known(readings, params.quarter, register),
        table=delivery.history(readings, params.quarter, register),
    )


def quarters(data: HistoryData) -> list[str]:
    """The quarters held up to this edition, in order."""
    return sorted(data.readings, key=Quarter.parse)


def title(data: HistoryData) -> show.HTML:
    return show.HTML(
        "<h1>Mayor's Action Plan on transparency, accountability and trust in policing: action history</h1>"
        f"<p><strong>Quarters held up to:</strong> {html.escape(data.quarter.label)}.</p>"
    )


def _stage_cell(stage: object, schedule: object) -> str:
    """A grid cell: the stage in words, marked '(overdue)' where overdue, classed for its colour."""
    if not isinstance(stage, str):
        return '<span class="stage stage-none">—</span>'
    overdue = schedule == status.OVERDUE
    words = html.escape(stage) + (" (overdue)" if overdue else "")
    classes = f"stage stage-{stage.replace(' ', '-')}" + (" stage-overdue" if overdue else "")
    return f'<span class="{classes}">{words}</span>'


def overview(data: HistoryData) -> show.HTML:
    """One row per action: its stage in each quarter held ('—' where that quarter's source did not cover it)."""
    columns = quarters(data)
    grid = data.table.pivot(index="action_id", columns="quarter", values="stage").reindex(
        index=data.register.index, columns=columns
    )
    schedule = data.table.pivot(index="action_id", columns="quarter", values="schedule").reindex_like(grid)
    table = pd.DataFrame(
        {q: [_stage_cell(s, d) for s, d in zip(grid[q], schedule[q], strict=True)] for q in columns},
        index=grid.index,
    )
    table = table.reset_index().rename(columns={"action_id": "Action"})
    table["Action"] = table["Action"].map(lambda a: f'<a href="#{anchor(a)}">{html.escape(a)}</a>')
    caption = (
        f"Stage of every action in each quarter held up to {data.quarter} (— where that quarter's source did not "
        "cover it)"
    )
    return show.HTML(show.table_html(table, caption, markup_columns=("Action", *columns)))


def _readings(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Quarter": rows["quarter"],
            "Stage": rows["stage"],
            "Schedule": rows["schedule"],
            "Source's own claim": rows["source_claim"],
            "Update": rows["update"],
            "Reason for the reading": rows["reason"],
            "Source": rows["source_doc"] + ", " + rows["source_ref"],
        }
    )


def action_section(data: HistoryData, action_id: str) -> str:
    """One action's section: commitment, the plan's date and the table of its readings."""
    action = data.register.loc[action_id]
    rows = data.table[data.table["action_id"] == action_id]
    due = str(action["due"]).strip()
    parts = [
        f'<h4 id="{anchor(action_id)}">Action {html.escape(action_id)}</h4>',
        show.quoted(str(action["commitment"])),
        f"<p><strong>The plan's date:</strong> {'“' + html.escape(due) + '”' if due else 'none given'}.</p>",
    ]
    if rows.empty:
        parts.append(f"<p>No source held up to {data.quarter} reports on this action.</p>")
        return "\n".join(parts)
    parts.append(
        show.table_html(_readings(rows), f"Readings of action {action_id}, quarter by quarter", rich_columns=("Update",))
    )
    return "\n".join(parts)


def actions(data: HistoryData) -> show.HTML:
    """Every action's history, grouped by theme."""
    parts = []
    for section, group in data.register.groupby("section", sort=True):
        parts.append(f"<h3>Theme {section}: {html.escape(str(group['theme'].iloc[0]))}</h3>")
        parts.extend(action_section(data, str(a)) for a in group["action_id"])
    return show.HTML("\n".join(parts))
