"""The quarterly progress update: what the notebook shows, computed from the register, status readings and figures.

Delivery is read from each action's latest known reading (carried forward across quarters a source does not cover);
the source's own delivery claim sits beside mapreport's reading and is reconciled action by action in an appendix.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import charts, show
from mapreport.reports import history
from mapreport.sources import catalogue, documents, figures, status
from mapreport.sources.register import load_register

MPS_PAPER_CLAIM = "mps_actions_delivered"
PLAN_DOC = "eia-2020-11"
"""The plan's own commitments (EIA Appendix A): only aims stated there are the plan's targets."""


@dataclass(frozen=True)
class ProgressData:
    """Everything one quarter's progress update is computed from."""

    quarter: Quarter
    previous_quarter: Quarter | None
    register: pd.DataFrame
    readings: dict[str, pd.DataFrame]
    latest: pd.DataFrame
    claim_sources: pd.DataFrame
    documents: pd.DataFrame
    figures: pd.DataFrame
    targets: pd.DataFrame
    measures: pd.DataFrame

    @property
    def moves(self) -> pd.DataFrame:
        return delivery.real_moves(self.readings, str(self.quarter), self.register)

    @property
    def growth(self) -> pd.DataFrame:
        return delivery.delivered_growth(self.readings, str(self.quarter), self.register)


def load(params: ReportParams) -> ProgressData:
    """Load and check the inputs of one quarter's progress update."""
    register = load_register()
    readings = status.load_statuses(catalogue.status_quarter_names(params), register)
    all_figures, targets = figures.load_figures(), figures.load_targets()
    return ProgressData(
        quarter=params.period,
        previous_quarter=params.previous_period,
        register=register,
        readings=readings,
        latest=delivery.latest_known(readings, params.quarter, register),
        claim_sources=status.load_claim_sources(register),
        documents=documents.load_documents().set_index("doc_id", drop=False),
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


def _count(latest: pd.DataFrame, stage: str) -> int:
    return int((latest["stage"] == stage).sum())


def _claim(data: ProgressData) -> pd.Series | None:
    rows = data.figures[(data.figures["measure"] == MPS_PAPER_CLAIM) & (data.figures["period"] == str(data.quarter))]
    return None if rows.empty else rows.iloc[0]


def _doc_name(data: ProgressData, doc_id: str) -> str:
    if doc_id not in data.documents.index:
        return doc_id
    doc = data.documents.loc[doc_id]
    return f"{doc['title']} ({doc['publisher']}, {doc['published']})"


def headline(data: ProgressData) -> show.HTML:
    """The one delivery count, in plain English, with the source's own claim beside it, labelled as the source's."""
    delivered, total = _count(data.latest, status.DELIVERED), len(data.latest)
    updated = int((data.latest["updated_this_quarter"] & (data.latest["stage"] == status.DELIVERED)).sum())
    ours = (
        f"<p><strong>{delivered} of the {total} actions in the plan have been delivered"
        f"</strong>, on mapreport's reading of the sources held up to {html.escape(data.quarter.label)} "
        f"({updated} of them reported in this quarter's source, {delivered - updated} carried forward from an "
        "earlier quarter).</p>"
    )
    claim = _claim(data)
    if claim is None:
        theirs = f"<p>The sources for {data.quarter} state no delivery count of their own.</p>"
    else:
        recon = reconciliation(data)
        read = int((recon["mapreport's reading"] == status.DELIVERED).sum())
        theirs = (
            f"<p><strong>The source's own claim:</strong> “{html.escape(str(claim['quote']))}” "
            f"({html.escape(_doc_name(data, str(claim['source_doc'])))}, {html.escape(str(claim['source_ref']))}). "
            f"That count is the MPS's, over its own {len(recon)} actions; on the same {len(recon)} actions mapreport "
            f"reads {read} as delivered. The gap comes from reading “delivered” more strictly than the MPS's "
            "self-assessment: an action counts only when its own text names nothing still to do. The appendix "
            "reconciles the two action by action.</p>"
        )
    box = "border-left: 6px solid #0072b2; background: #f2f6fa; padding: 0.25em 1em; margin: 1em 0"
    return show.HTML(f'<div class="mapreport-headline" style="{box}">{ours}{theirs}</div>')


def delivery_sentence(data: ProgressData) -> str:
    """The latest known stage of every action, with how many were updated this quarter."""
    table = delivery.stage_counts(data.latest)
    parts = [
        f"{actions} {stage} ({updated} updated this quarter)"
        for stage, actions, updated in zip(table["Stage"], table["Actions"], table["Updated this quarter"], strict=True)
        if actions
    ]
    unheard = data.latest[data.latest["stage"] == status.NOT_REPORTED]["action_id"].tolist()
    updated = int(data.latest["updated_this_quarter"].sum())
    text = (
        f"Latest known stage of the {len(data.latest)} actions in the plan: {', '.join(parts)}. "
        f"{updated} actions were updated in this quarter's sources; the others keep their latest earlier reading."
    )
    if unheard:
        text += (
            f" {len(unheard)} action{'s have' if len(unheard) > 1 else ' has'} had no update in any source held "
            f"up to {data.quarter} ({', '.join(unheard)})."
        )
    overdue = data.latest[data.latest["schedule"] == status.OVERDUE]["action_id"].tolist()
    if overdue:
        text += f" {len(overdue)} are overdue against the plan's own date or the date their source set ({', '.join(overdue)})."
    return text


def delivery_table(data: ProgressData) -> pd.DataFrame:
    return delivery.stage_counts(data.latest)


def delivery_chart(data: ProgressData) -> charts.Chart:
    table = delivery_table(data)
    plotted = table.melt(
        id_vars="Stage", value_vars=["Updated this quarter", "Carried forward"], var_name="Reading", value_name="N"
    )
    described = "; ".join(
        f"{stage}: {actions} ({updated} updated this quarter)"
        for stage, actions, updated in zip(table["Stage"], table["Actions"], table["Updated this quarter"], strict=True)
    )
    chart = charts.bar_chart(
        plotted,
        x="Stage",
        y="N",
        hue="Reading",
        horizontal=True,
        xlabel="Number of actions",
        title=f"Actions by latest known stage, {data.quarter}",
        alt=f"Horizontal bar chart of the actions by latest known stage in {data.quarter}, split into those updated "
        f"this quarter and those carried forward from an earlier quarter: {described}.",
    )
    return chart.with_data(table)


def delivery_by_theme(data: ProgressData) -> pd.DataFrame:
    """Actions by theme (rows) and latest known stage (columns); no-reading actions in their own column."""
    columns = [*status.STAGES, status.NOT_REPORTED]
    table = pd.crosstab(data.latest["theme"], data.latest["stage"]).reindex(columns=columns, fill_value=0)
    order = data.latest.drop_duplicates("theme").set_index("theme")["section"].sort_values().index
    table = table.reindex(order)
    table.columns = [*status.STAGES, "no update held"]
    if not table["no update held"].any():
        table = table.drop(columns="no update held")
    table["Total"] = table.sum(axis=1)
    return table.rename_axis("Theme").reset_index()


def sources_table(data: ProgressData) -> pd.DataFrame:
    """The documents the latest known readings come from, and the quarter they were reported in."""
    known = data.latest[data.latest["stage"] != status.NOT_REPORTED]
    table = known.groupby(["reported_in", "source_doc"]).size().rename("Actions").reset_index()
    table["source_doc"] = table["source_doc"].map(lambda d: _doc_name(data, d))
    return table.rename(columns={"reported_in": "Reported in", "source_doc": "Source document"})


def growth_sentence(data: ProgressData) -> str:
    growth = data.growth
    steps = ", then ".join(
        f"{n} by {q}" for q, n in zip(growth["Quarter"], growth["Delivered to date"], strict=True)
    )
    return f"Actions delivered to date, quarter by quarter: {steps} (of {len(data.latest)})."


def _stage_text(row: pd.Series, quarter: str) -> str:
    if row["stage"] == status.NOT_REPORTED:
        return "no update in any source held"
    if row["reported_in"] == quarter:
        return str(row["stage"])
    return f"{row['stage']} — last reported {row['reported_in']}"


def actions_by_theme(data: ProgressData) -> show.HTML:
    """Every action, grouped by theme, with its latest known stage and schedule, the update and the reason."""
    parts = []
    quarter = str(data.quarter)
    for theme, group in data.latest.groupby("section", sort=True):
        name = group["theme"].iloc[0]
        table = pd.DataFrame(
            {
                "Action": group["action_id"].map(history.link),
                "Commitment": group["commitment"],
                "Stage": group.apply(_stage_text, axis=1, quarter=quarter),
                "Schedule": group["schedule"],
                "Source's own claim": group["source_claim"].where(group["updated_this_quarter"], ""),
                "Update": group["update"].where(group["update"] != "", "No update in any source held."),
                "Reason for the reading": group["reason"],
                "Source": group["source_ref"],
            }
        )
        parts.append(f"<h3>Theme {theme}: {html.escape(name)}</h3>")
        parts.append(
            show.table_html(
                table, f"Actions under theme {theme}, {data.quarter}", rich_columns=("Action", "Commitment", "Update")
            )
        )
    return show.HTML("\n".join(parts))


def changes_sentence(data: ProgressData) -> str:
    earlier = delivery.previous_held(data.readings, str(data.quarter))
    if earlier is None:
        return f"{data.quarter} is the first quarter in this series, so there is no earlier quarter to compare with."
    counts = data.moves["change"].value_counts()
    described = ", ".join(f"{int(counts.get(k, 0))} {k}" for k in delivery.MOVE_KINDS)
    gaps = int((~data.latest["updated_this_quarter"] & (data.latest["stage"] != status.NOT_REPORTED)).sum())
    return (
        f"Compared with each action's latest known reading up to {earlier}: {described}. "
        f"{gaps} actions had no update in this quarter's sources; a gap in a source's coverage is not a change, so "
        "they keep their earlier reading and are not listed."
    )


def changes_tables(data: ProgressData) -> show.HTML | None:
    """One table per kind of move: stage and schedule before and now, both texts, and the reason."""
    if delivery.previous_held(data.readings, str(data.quarter)) is None:
        return None
    parts = []
    for kind in delivery.MOVE_KINDS:
        moves = data.moves[data.moves["change"] == kind]
        table = pd.DataFrame(
            {
                "Action": moves["action_id"].map(history.link),
                "Before": moves["stage_before"] + ", " + moves["schedule_before"] + " (" + moves["reported_before"] + ")",
                "Now": moves["stage_now"] + ", " + moves["schedule_now"],
                "Earlier text": moves["update_before"],
                "Text now": moves["update_now"],
                "Reason": moves["reason"].where(moves["reason"] != "", "—"),
            }
        )
        parts.append(f"<h3>{html.escape(kind.capitalize())}: {len(moves)}</h3>")
        parts.append(
            show.table_html(
                table,
                f"Actions that {kind} in {data.quarter}" if kind != delivery.NEWLY_OVERDUE else f"Actions newly overdue in {data.quarter}",
                rich_columns=("Action", "Earlier text", "Text now"),
            )
        )
    return show.HTML("\n".join(parts))


def reconciliation(data: ProgressData) -> pd.DataFrame:
    """Per numbered action of the claim source this quarter: its claim, mapreport's reading and the reason."""
    return delivery.claim_reconciliation(data.latest, data.register, data.claim_sources, str(data.quarter))


def reconciliation_section(data: ProgressData) -> show.HTML:
    """The appendix: the source's count against mapreport's reading, one consistent denominator, action by action."""
    table = reconciliation(data)
    claim = _claim(data)
    if table.empty or claim is None:
        return show.HTML(
            f"<p>No source for {data.quarter} states a delivery claim of its own, so there is nothing to reconcile.</p>"
        )
    claimed = int((table["Source's claim"] == status.DELIVERED).sum())
    read = int((table["mapreport's reading"] == status.DELIVERED).sum())
    differ = table[table["Source's claim"] != table["mapreport's reading"]]
    text = (
        f"<p>The source counts {claimed} of {len(table)} of its actions as delivered; mapreport reads {read} of the "
        f"same {len(table)} as delivered. The {len(differ)} actions where the two differ are those whose own response "
        "describes work still to do; the reason for each is given. The denominator is the source's: the MPS paper "
        "numbers 24 items (Actions 1 to 23 and 23a) but counts 23 actions, so Action 23a (signing up to the "
        "Voluntary Code of Practice for Statistics) is counted here within Action 23, as the paper does; both are "
        "register action 4.l. Actions 12, 13 and 14 are the three parts of register action 3.g and share its "
        "reading.</p>"
    )
    return show.HTML(
        text + show.table_html(table, f"The source's claim and mapreport's reading, per MPS action, {data.quarter}")
    )


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


PLAN_TARGET, MPS_AIM = "plan's target", "MPS aim"


def aim_kind(source_doc: str) -> str:
    """Who set an aim: the plan itself (EIA Appendix A) or the MPS (stated in a later document)."""
    return PLAN_TARGET if source_doc == PLAN_DOC else MPS_AIM


def workforce_trajectory(data: ProgressData, measure: str) -> pd.DataFrame:
    """Published values, the plan's targets and the MPS's own aims for one workforce measure, for a chart."""
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
            "Series": targets["source_doc"].map(aim_kind),
            "Source": targets["source_doc"],
        }
    )
    return pd.concat([published, wanted]).sort_values(["Group", "Series", "Date"]).reset_index(drop=True)


def _workforce_chart(data: ProgressData, measure: str, title: str) -> charts.Chart:
    table = workforce_trajectory(data, measure)
    plotted = table.assign(Date=pd.to_datetime(table["Date"] + "-01"))
    described = "; ".join(f"{r.Group} {r.Series} {r.Date}: {r._3:g}%" for r in table.itertuples())
    kinds = [k for k in (PLAN_TARGET, MPS_AIM) if k in set(table["Series"])]
    named = " and ".join({PLAN_TARGET: "the plan's targets", MPS_AIM: "the MPS's own aims"}[k] for k in kinds)
    return charts.line_chart(
        plotted,
        x="Date",
        y="Per cent",
        hue="Group",
        style="Series",
        ylabel="Per cent",
        title=f"{title}: published representation" + (f" and {named}" if named else ""),
        alt=f"Line chart of {title.lower()} as a percentage over time, solid lines published and dashed or dotted "
        f"lines {named or 'none'}. Points: {described}.",
    ).with_data(table)


def _aims_text(data: ProgressData, measure: str) -> str:
    """Each aim for the measure, labelled by who set it and where; undated aims are not drawn."""
    aims = data.targets[data.targets["measure"] == measure]
    items = []
    for r in aims.itertuples():
        who = (
            "The plan's target, stated in the plan (EIA Appendix A)"
            if aim_kind(str(r.source_doc)) == PLAN_TARGET
            else f"MPS aim, stated in {_doc_name(data, str(r.source_doc))}"
        )
        when = f"by {r.by_period}" if r.by_date else "no date given, so not drawn"
        items.append(
            f"<li>{html.escape(who)}: {r.target_value:g}% for {html.escape(str(r.group))}, {html.escape(when)} "
            f"(“{html.escape(str(r.quote))}”, {html.escape(str(r.source_ref))}).</li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def headline_figures(data: ProgressData) -> show.HTML:
    """Every measure held up to this quarter: survey measures by group (latest period), workforce against aims."""
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
            parts.append(_aims_text(data, measure))
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
