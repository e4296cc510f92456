"""The quarterly progress update: what the notebook shows, computed from the register, status and figures."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import charts, show
from mapreport.sources import figures, status
from mapreport.sources.register import load_register, split_list


@dataclass(frozen=True)
class ProgressData:
    """Everything one quarter's progress update is computed from."""

    quarter: Quarter
    previous_quarter: Quarter | None
    register: pd.DataFrame
    current: pd.DataFrame
    previous: pd.DataFrame | None
    figures: pd.DataFrame
    targets: pd.DataFrame
    measures: pd.DataFrame


def load(params: ReportParams) -> ProgressData:
    """Load and check the inputs of one quarter's progress update."""
    quarter, previous_quarter = params.quarter, params.previous_quarter
    register = load_register()
    current = status.quarter_status(register, status.load_status(quarter, register))
    previous = (
        status.quarter_status(register, status.load_status(previous_quarter, register)) if previous_quarter else None
    )
    all_figures, targets = figures.load_figures(), figures.load_targets()
    return ProgressData(
        quarter=params.period,
        previous_quarter=params.previous_period,
        register=register,
        current=current,
        previous=previous,
        figures=figures.figures_up_to(all_figures, params.period),
        targets=targets,
        measures=figures.load_measures(pd.concat([all_figures["measure"], targets["measure"]])),
    )


def title(data: ProgressData) -> show.HTML:
    """The report's one h1 and the period it covers."""
    return show.HTML(
        "<h1>Mayor's Action Plan on transparency, accountability and trust in policing: quarterly progress update</h1>"
        f"<p><strong>Period:</strong> {html.escape(data.quarter.label)}.</p>"
    )


def sources_table(data: ProgressData) -> pd.DataFrame:
    """The documents this quarter's status updates come from."""
    reported = data.current[data.current["status"] != status.NOT_REPORTED]
    table = reported.groupby("source_doc").size().rename("Actions reported on").reset_index()
    return table.rename(columns={"source_doc": "Source document"})


def delivery_sentence(data: ProgressData) -> str:
    """One sentence with the counts by status, computed from the data."""
    counts = data.current["status"].value_counts()
    total = len(data.current)
    reported = total - int(counts.get(status.NOT_REPORTED, 0))
    parts = [f"{int(counts[s])} {s}" for s in status.REPORTED_STATUSES if counts.get(s, 0)]
    return (
        f"Of the {total} actions in the plan, {reported} were reported on in {data.quarter}: "
        f"{', '.join(parts) or 'none'}. {total - reported} had no update in this quarter's source."
    )


def delivery_table(data: ProgressData) -> pd.DataFrame:
    return delivery.status_counts(data.current)


def delivery_chart(data: ProgressData) -> charts.Chart:
    table = delivery_table(data)
    described = "; ".join(f"{row.Status}: {row.Actions}" for row in table.itertuples())
    return charts.bar_chart(
        table,
        x="Status",
        y="Actions",
        horizontal=True,
        xlabel="Number of actions",
        title=f"Actions by delivery status, {data.quarter}",
        alt=f"Horizontal bar chart of the {len(data.current)} actions by delivery status in {data.quarter}: {described}.",
    )


def delivery_by_theme(data: ProgressData) -> pd.DataFrame:
    """Actions by theme (rows) and status (columns)."""
    table = pd.crosstab(data.current["theme"], data.current["status"], dropna=False)
    table = table.reindex(columns=list(status.STATUS_ORDER), fill_value=0)
    order = data.current.drop_duplicates("theme").set_index("theme")["section"].sort_values().index
    table = table.reindex(order)
    table.columns = [str(c) for c in table.columns]
    table["Total"] = table.sum(axis=1)
    return table.rename_axis("Theme").reset_index()


def mps_actions(data: ProgressData) -> pd.DataFrame:
    """The MPS's own numbering (Action 1 to 23, 23a): delivered when every register action it maps to is delivered."""
    rows = []
    for action in data.current.itertuples():
        for number in split_list(str(data.register.at[str(action.action_id), "mps_action"])):
            rows.append({"MPS action": number, "action_id": action.action_id, "status": action.status})
    if not rows:
        return pd.DataFrame(columns=["MPS action", "Register actions", "Delivered"])
    frame = pd.DataFrame(rows)
    grouped = frame.groupby("MPS action", sort=False).agg(
        **{
            "Register actions": ("action_id", lambda ids: ", ".join(sorted(ids))),
            "Delivered": ("status", lambda s: bool((s == "delivered").all())),
        }
    )
    key = grouped.index.to_series().str.extract(r"^(\d+)(\D*)$")
    grouped = grouped.iloc[sorted(range(len(grouped)), key=lambda i: (int(str(key.iloc[i, 0])), str(key.iloc[i, 1])))]
    return grouped.reset_index()


def actions_by_theme(data: ProgressData) -> show.HTML:
    """Every action, grouped by theme, with its status and this quarter's update (sanitised)."""
    parts = []
    for theme, group in data.current.groupby("section", sort=True):
        name = group["theme"].iloc[0]
        table = group.assign(
            Action=group["action_id"],
            Commitment=group["commitment"],
            Status=group["status"].astype(str),
            Update=group["update"].where(group["update"] != "", "No update in this quarter's source."),
            Source=group["source_ref"],
        )[["Action", "Commitment", "Status", "Update", "Source"]]
        parts.append(f"<h3>Theme {theme}: {html.escape(name)}</h3>")
        parts.append(
            show.table_html(
                table, f"Actions under theme {theme}, {data.quarter}", rich_columns=("Commitment", "Update")
            )
        )
    return show.HTML("\n".join(parts))


def changes(data: ProgressData) -> pd.DataFrame | None:
    """Status moves since the previous reported quarter, or None for the first quarter."""
    if data.previous is None:
        return None
    return delivery.status_changes(data.current, data.previous)


def changes_sentence(data: ProgressData) -> str:
    table = changes(data)
    if table is None:
        return f"{data.quarter} is the first quarter in this series, so there is no earlier quarter to compare with."
    counts = table["Change"].value_counts()
    described = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no status changes"
    return f"Compared with {data.previous_quarter}: {described}."


def changes_table(data: ProgressData) -> show.HTML | None:
    table = changes(data)
    if table is None:
        return None
    return show.table(table, f"Status changes from {data.previous_quarter} to {data.quarter}")


MPS_PAPER_CLAIM = "mps_actions_delivered"


def mps_count(data: ProgressData) -> show.HTML:
    """How this report's data reaches (or not) the MPS paper's own delivery count, side by side."""
    table = mps_actions(data)
    with_update = set(data.current.loc[data.current["status"] != status.NOT_REPORTED, "action_id"])
    reported = table[table["Register actions"].map(lambda ids: any(i.strip() in with_update for i in ids.split(",")))]
    ours = f"{int(reported['Delivered'].sum())} of {len(reported)}" if len(reported) else "none"
    claims = data.figures[(data.figures["measure"] == MPS_PAPER_CLAIM) & (data.figures["period"] == str(data.quarter))]
    parts = ["<h3>The MPS's own numbering</h3>"]
    if claims.empty:
        parts.append(
            f"<p>The sources for {data.quarter} state no delivery count of their own. Counted from this "
            f"report's data, {ours} MPS-numbered actions with an update are delivered.</p>"
        )
    else:
        claim = claims.iloc[0]
        stated = (
            f"{int(claim['value'])} of {int(claim['base'])}" if pd.notna(claim["base"]) else f"{int(claim['value'])}"
        )
        parts.append(
            f"<p>The source ({html.escape(claim['source_doc'])}, {html.escape(claim['source_ref'])}) states that {stated} "
            f"MPS actions were delivered. Counted from this report's data, an MPS action is delivered when every register "
            f"action it maps to is delivered: {ours} MPS actions with an update meet that test. The table shows each "
            "MPS action so the difference can be traced.</p>"
        )
    parts.append(
        show.table_html(
            table.assign(Delivered=table["Delivered"].map({True: "yes", False: "no"})),
            f"MPS action numbers, the register actions they map to, and whether all are delivered, {data.quarter}",
        )
    )
    return show.HTML("\n".join(parts))


def _family(measure: str) -> str:
    return measure.split("_", 1)[0]


def _survey_chart(title: str, rows: pd.DataFrame) -> charts.Chart:
    latest = rows[rows["period_end"] == rows["period_end"].max()]
    period = latest["period"].iloc[0]
    described = "; ".join(f"{r.group}: {r.value:g}%" for r in latest.itertuples())
    table = latest.rename(
        columns={
            "group": "Group",
            "breakdown": "Breakdown",
            "value": "Per cent",
            "period": "Period",
            "source_doc": "Source",
            "source_ref": "Where in the source",
        }
    )
    return charts.bar_chart(
        table[["Period", "Breakdown", "Group", "Per cent", "Source", "Where in the source"]],
        x="Group",
        y="Per cent",
        title=f"{title} ({period})",
        ylabel="Per cent",
        alt=f"Bar chart of {title.lower()}, per cent by group, {period}: {described}.",
    )


def workforce_trajectory(data: ProgressData, measure: str) -> pd.DataFrame:
    """Published values and the plan's targets for one workforce measure, in one table for a chart."""
    rows = data.figures[(data.figures["measure"] == measure) & (data.figures["unit"] == "percent")]
    published = pd.DataFrame(
        {
            "Date": rows["as_at"].where(rows["as_at"] != "", rows["period"].map(figures.period_end)).str[:7],
            "Group": rows["group"],
            "Per cent": rows["value"],
            "Series": "published",
            "Source": rows["source_doc"],
        }
    )
    targets = data.targets[
        (data.targets["measure"] == measure) & (data.targets["unit"] == "percent") & (data.targets["by_date"] != "")
    ]
    wanted = pd.DataFrame(
        {
            "Date": targets["by_date"].str[:7],
            "Group": targets["group"],
            "Per cent": targets["target_value"],
            "Series": "target",
            "Source": targets["source_doc"],
        }
    )
    return pd.concat([published, wanted]).sort_values(["Group", "Series", "Date"]).reset_index(drop=True)


def _workforce_chart(data: ProgressData, measure: str, title: str) -> charts.Chart:
    table = workforce_trajectory(data, measure)
    plotted = table.assign(Date=pd.to_datetime(table["Date"] + "-01"))
    described = "; ".join(f"{r.Group} {r.Series} {r.Date}: {r._3:g}%" for r in table.itertuples())
    return charts.line_chart(
        plotted,
        x="Date",
        y="Per cent",
        hue="Group",
        style="Series",
        ylabel="Per cent",
        title=f"{title}: published representation and the plan's targets",
        alt=f"Line chart of {title.lower()} as a percentage over time, solid lines published and dashed lines the "
        f"plan's targets. Points: {described}.",
    ).with_data(table)


def _undated_targets(data: ProgressData, measure: str) -> str:
    undated = data.targets[(data.targets["measure"] == measure) & (data.targets["by_date"] == "")]
    return "".join(
        f"<p>The plan also sets a target of {r.target_value:g}% for {html.escape(str(r.group))} with no date "
        f"({html.escape(str(r.source_doc))}: “{html.escape(str(r.quote))}”), so it is not drawn.</p>"
        for r in undated.itertuples()
    )


def headline_figures(data: ProgressData) -> show.HTML:
    """Every measure held up to this quarter: survey measures by group (latest period), workforce against targets."""
    if data.figures.empty:
        return show.HTML(f"<p>No published figures up to {data.quarter} are held.</p>")
    rows = data.figures.assign(period_end=data.figures["period"].map(figures.period_end))
    parts = []
    for key, group in rows[rows["measure"] != MPS_PAPER_CLAIM].groupby("measure", sort=True):
        measure = str(key)
        title, definition = str(data.measures.at[measure, "title"]), str(data.measures.at[measure, "definition"])
        parts.append(f"<h3>{html.escape(title)}</h3><p>{html.escape(definition)}.</p>")
        percent = group["unit"] == "percent"
        if _family(measure) == "workforce" and percent.any():
            parts.append(show.chart(_workforce_chart(data, measure, title)).data)
            parts.append(_undated_targets(data, measure))
            charted = percent  # the chart's table holds every percentage
        elif percent.all() and group["group"].nunique() > 1:
            parts.append(show.chart(_survey_chart(title, group)).data)
            charted = group["period_end"] == group["period_end"].max()  # the chart shows the latest period
        else:
            charted = pd.Series(False, index=group.index)
        rest = group[~charted]
        if not rest.empty:
            label = "Every published value" if not charted.any() else "Other published values"
            table = rest.sort_values(["period_end", "breakdown", "group"])[
                ["period", "as_at", "breakdown", "group", "value", "unit", "base", "source_doc", "source_ref"]
            ]
            parts.append(show.table_html(table.rename(columns=str.capitalize), f"{label}: {title}"))
    return show.HTML("\n".join(parts))
