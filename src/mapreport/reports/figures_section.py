"""The progress update's published figures: a trend chart where a group has values for more than one period, and
every other value in one table.

Charts compare on one axis only lines of the same breakdown and group (e.g. officers, sergeants and inspectors
from ethnic minority groups); the axis is bounded by the data and by the aims dated within a few years of it. Each
chart names its sources under its title. Single values are listed in a table, not drawn as one-bar charts. Aims are
labelled by who set them: only those in the plan itself (EIA Appendix A) are the plan's targets.
"""

from __future__ import annotations

import html

import pandas as pd

from mapreport.present import charts, numbers, show
from mapreport.reports.progress import MPS_PAPER_CLAIM, PLAN_DOC, ProgressData, doc_name
from mapreport.sources import figures

GROUP_LABELS = {"BAME": "ethnic minority groups (“BAME” in the sources)"}
"""Groups as the report names them: the sources' term "BAME" is quoted, not used as the report's own."""
SHARE_OF = {"BAME": "from ethnic minority groups (“BAME” in the sources)"}
"""How a chart title names the share a group is of a workforce measure ("who are Black", "who are women")."""
WORKFORCE = "workforce"
NEAR_YEARS = 3
"""Aims dated more than this many years after the latest value are listed, not drawn (they would squash the axis)."""
PLAN_TARGET, MPS_AIM = "the plan's target", "MPS aim"
CHART_HEIGHT = 3.4
"""Inches (at 100 pixels an inch): a trend needs less height than the default."""
UNIT_TEXT = {"percent": "%", "percentage_points": " points"}


def aim_kind(source_doc: str) -> str:
    """Who set an aim: the plan itself (EIA Appendix A) or the MPS (stated in a later document)."""
    return PLAN_TARGET if source_doc == PLAN_DOC else MPS_AIM


def _label(group: str) -> str:
    return GROUP_LABELS.get(group, group)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(month=figures.reference_date(frame).str[:7])


def trend_series(data: ProgressData) -> pd.DataFrame:
    """Percentage values of every (measure, breakdown, group) published for more than one period."""
    rows = _dated(data.figures[(data.figures["unit"] == "percent") & (data.figures["measure"] != MPS_PAPER_CLAIM)])
    periods = rows.groupby(["measure", "breakdown", "group"])["month"].transform("nunique")
    return rows[periods > 1]


def _value(row: pd.Series) -> str:
    value = float(row["value"])
    if row["unit"] == "count":
        return numbers.count(round(value))
    shown = f"{value:g}"
    return f"{shown}{UNIT_TEXT.get(str(row['unit']), ' ' + str(row['unit']))}"


def _trend_chart(data: ProgressData, breakdown: str, group: str, rows: pd.DataFrame) -> tuple[charts.Chart, str]:
    """One chart for one group: a line per measure over time, with the aims dated near the data."""
    titles = data.measures["title"]
    points = pd.DataFrame(
        {
            "Month": rows["month"],
            "Measure": rows["measure"].map(titles),
            "Per cent": rows["value"].astype(float),
            "Series": "published",
            "Source": rows["source_doc"].map(lambda d: doc_name(data, str(d))),
        }
    )
    latest = pd.Timestamp(str(rows["month"].max()) + "-01")
    aims = data.targets[
        data.targets["measure"].isin(rows["measure"])
        & (data.targets["group"] == group)
        & (data.targets["breakdown"] == breakdown)
        & (data.targets["by_date"] != "")
        & (data.targets["unit"] == "percent")
    ]
    aims = aims[pd.to_datetime(aims["by_date"]) <= latest + pd.DateOffset(years=NEAR_YEARS)]
    wanted = pd.DataFrame(
        {
            "Month": aims["by_date"].str[:7],
            "Measure": aims["measure"].map(titles),
            "Per cent": aims["target_value"].astype(float),
            "Series": aims["source_doc"].map(aim_kind),
            "Source": aims["source_doc"].map(lambda d: doc_name(data, str(d))),
        }
    )
    table = pd.concat([points, wanted]).sort_values(["Measure", "Series", "Month"]).reset_index(drop=True)
    plotted = table.assign(Month=pd.to_datetime(table["Month"] + "-01"))
    label = SHARE_OF.get(group, f"who are {group}")
    described = "; ".join(f"{r.Measure} {r.Series} {r.Month}: {r._3:g}%" for r in table.itertuples())
    title = f"Percentage of officers and recruits {label}"
    chart = charts.line_chart(
        plotted,
        x="Month",
        y="Per cent",
        hue="Measure",
        style="Series",
        ylabel="Per cent",
        title=title,
        height=CHART_HEIGHT,
        alt=f"Line chart of the percentage of officers and recruits {label}, over time, one line per measure (a rank "
        "or recruits); solid lines are "
        f"published values, other marks the aims dated within {NEAR_YEARS} years of the data. Points: {described}.",
    ).with_data(table)
    return chart, "; ".join(sorted(set(table["Source"])))


def _survey_chart(data: ProgressData, measure: str, rows: pd.DataFrame) -> tuple[charts.Chart, str]:
    """One survey measure over time, a line per group (all Londoners as the reference)."""
    title = str(data.measures.at[measure, "title"])
    table = pd.DataFrame(
        {
            "Period": rows["period"],
            "Month": rows["month"],
            "Group": rows["group"].map(_label),
            "Per cent": rows["value"].astype(float),
            "Source": rows["source_doc"].map(lambda d: doc_name(data, str(d))),
        }
    ).sort_values(["Group", "Month"])
    described = "; ".join(f"{r.Group} {r.Period}: {r._4:g}%" for r in table.itertuples())
    chart = charts.line_chart(
        table.assign(Month=pd.to_datetime(table["Month"] + "-01")),
        x="Month",
        y="Per cent",
        hue="Group",
        ylabel="Per cent",
        title=f"{title}, by group",
        height=CHART_HEIGHT,
        alt=f"Line chart of {title.lower()} (per cent) over time, one line per group. Points: {described}.",
    ).with_data(table.drop(columns="Month").reset_index(drop=True))
    return chart, "; ".join(sorted(set(table["Source"])))


def _aims_table(data: ProgressData) -> pd.DataFrame:
    aims = data.targets
    return pd.DataFrame(
        {
            "Measure": aims["measure"].map(data.measures["title"]),
            "Group": aims["group"].map(_label),
            "Aim": aims["target_value"].map(lambda v: f"{v:g}%"),
            "By": aims["by_period"].where(aims["by_period"] != "", "no date given"),
            "Who set it": [
                "The plan's target (EIA Appendix A)" if aim_kind(str(d)) == PLAN_TARGET else f"MPS aim, in {doc_name(data, str(d))}"
                for d in aims["source_doc"]
            ],
            "In the source's words": "“" + aims["quote"] + "”",
        }
    )


def _other_values(data: ProgressData, charted: pd.Index) -> pd.DataFrame:
    rest = data.figures.drop(index=charted)
    rest = rest[rest["measure"] != MPS_PAPER_CLAIM]
    rest = _dated(rest).sort_values(["measure", "breakdown", "group", "month"])
    return pd.DataFrame(
        {
            "Measure": rest["measure"].map(data.measures["title"]),
            "Group": rest["group"].map(_label),
            "Value": rest.apply(_value, axis=1),
            "Period": rest["period"],
            "Source": rest["source_doc"].map(lambda d: doc_name(data, str(d))),
            "Where in the source": rest["source_ref"],
        }
    )


def section(data: ProgressData) -> show.HTML:
    """The published figures up to the quarter: trend charts by group, the aims, and every other value."""
    if data.figures.empty:
        return show.HTML(f"<p>No published figures up to {html.escape(data.quarter.months)} are held.</p>")
    trends = trend_series(data)
    workforce = trends["measure"].str.startswith(WORKFORCE)
    drawn = [
        _trend_chart(data, str(breakdown), str(group), rows)
        for (breakdown, group), rows in trends[workforce].groupby(["breakdown", "group"], sort=True)
    ] + [_survey_chart(data, str(measure), rows) for measure, rows in trends[~workforce].groupby("measure", sort=True)]
    parts = [show.chart(chart, source=sources, data_closed=True).data for chart, sources in drawn]
    aims = _aims_table(data)
    parts.append(
        show.collapsed(
            f"The {len(aims)} aims, who set them and where",
            show.table_html(aims, "Aims for the workforce, labelled by who set them", rich_columns=()),
        )
    )
    other = _other_values(data, trends.index)
    parts.append(
        show.collapsed(
            f"Every other published figure held ({len(other)} values)",
            show.table_html(other, f"Published figures held up to {data.quarter.months}, not charted above"),
        )
    )
    return show.HTML("\n".join(parts))
