"""The quarterly progress update: what the notebook shows, computed from the register, status readings and figures.

Delivery is read from each action's latest known reading (carried forward across quarters a source does not cover);
the source's own delivery claim sits beside this report's reading and is reconciled action by action in an appendix.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import charts, show
from mapreport.present.downloads import plain_text
from mapreport.present.sanitise import markdown_to_html
from mapreport.reports import history
from mapreport.reports.annex import pas as annex_pas
from mapreport.sources import catalogue, documents, figures, memo, pas, status
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
    trust: pd.DataFrame
    """MPS-wide Public Attitude Survey measures this quarter, with their tested changes on a quarter and a year."""

    @cached_property
    def moves(self) -> pd.DataFrame:
        """Real moves this quarter (computed once: several sections read them)."""
        return delivery.real_moves(self.readings, str(self.quarter), self.register)

    @cached_property
    def growth(self) -> pd.DataFrame:
        """Delivered to date, quarter by quarter (computed once)."""
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
        trust=annex_pas.measure_changes(
            memo.parsed(pas.load_pas_total, catalogue.pas_total_file()), params.period, params.annex.pas_base_mps
        ),
    )


def title(data: ProgressData) -> show.HTML:
    """The report's one h1 and the period it covers."""
    return show.HTML(
        f"<h1>Quarterly progress update: {html.escape(data.quarter.months)}</h1>"
        "<p>The Mayor's Action Plan on transparency, accountability and trust in policing, "
        f"{html.escape(data.quarter.label)}.</p>"
    )


def _count(latest: pd.DataFrame, stage: str) -> int:
    return int((latest["stage"] == stage).sum())


def claim_row(data: ProgressData) -> pd.Series | None:
    rows = data.figures[(data.figures["measure"] == MPS_PAPER_CLAIM) & (data.figures["period"] == str(data.quarter))]
    return None if rows.empty else rows.iloc[0]


def doc_name(data: ProgressData, doc_id: str) -> str:
    if doc_id not in data.documents.index:
        return doc_id
    doc = data.documents.loc[doc_id]
    return f"{doc['title']} ({doc['publisher']}, {doc['published']})"


def delivery_sentence(data: ProgressData) -> str:
    """The latest known stage of every action, with how many were updated this quarter."""
    unheard = data.latest[data.latest["stage"] == status.NOT_REPORTED]["action_id"].tolist()
    updated = int(data.latest["updated_this_quarter"].sum())
    text = (
        f"The chart counts each of the {len(data.latest)} actions at its latest known stage: {updated} were updated "
        "in this quarter's sources and the others keep their latest earlier reading."
    )
    if unheard:
        text += (
            f" {len(unheard)} action{'s have' if len(unheard) > 1 else ' has'} had no update in any source held "
            f"up to {data.quarter.months} ({', '.join(unheard)})."
        )
    overdue = data.latest[data.latest["schedule"] == status.OVERDUE]["action_id"].tolist()
    if overdue:
        text += f" Overdue: {', '.join(overdue)}."
    return text


def delivery_table(data: ProgressData) -> pd.DataFrame:
    return delivery.stage_counts(data.latest)


def delivery_chart(data: ProgressData) -> charts.Chart:
    """One bar per stage: every action at its latest known stage (the table beside it splits each count into
    updated this quarter and carried forward)."""
    table = delivery_table(data)
    described = "; ".join(
        f"{stage}: {actions} ({updated} updated this quarter)"
        for stage, actions, updated in zip(table["Stage"], table["Actions"], table["Updated this quarter"], strict=True)
    )
    chart = charts.bar_chart(
        table,
        x="Stage",
        y="Actions",
        horizontal=True,
        xlabel="Number of actions",
        height=3.0,
        title=f"Actions by latest known stage, {data.quarter.months}",
        alt=f"Horizontal bar chart of the {len(data.latest)} actions by latest known stage at the end of "
        f"{data.quarter.months}: {described}.",
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
    table["source_doc"] = table["source_doc"].map(lambda d: doc_name(data, d))
    return table.rename(columns={"reported_in": "Reported in", "source_doc": "Source document"})


def growth_sentence(data: ProgressData) -> str:
    growth = data.growth
    steps = ", then ".join(
        f"{n} by {q}" for q, n in zip(growth["Quarter"], growth["Delivered to date"], strict=True)
    )
    return f"Actions delivered to date, quarter by quarter: {steps} (of {len(data.latest)})."


def _stage_text(row: pd.Series) -> str:
    return "no update held" if row["stage"] == status.NOT_REPORTED else str(row["stage"])


def _last_reported(row: pd.Series, quarter: str) -> str:
    """When the reading shown was reported: this quarter, an earlier quarter (carried forward), or never."""
    if not row["reported_in"]:
        return "never"
    return "this quarter" if row["reported_in"] == quarter else str(row["reported_in"])


SHORT_TITLE_WORDS = 10


def short_title(commitment: str) -> str:
    """The commitment's first sentence, cut to about ten words: a label for a one-line list (the full text is
    one click away)."""
    first = re.split(r"(?<=[.;:])\s", plain_text(markdown_to_html(commitment)), maxsplit=1)[0].rstrip(".;:")
    words = first.split()
    return " ".join(words[:SHORT_TITLE_WORDS]) + ("…" if len(words) > SHORT_TITLE_WORDS else "")


QUOTED_LABELS = ("The commitment", "Latest update", "Earlier text", "Text now")
"""Labels of texts quoted from the source documents (shown as quotations); the others are this report's words."""


def _details(summary: str, parts: list[tuple[str, str]]) -> str:
    """A closed <details> holding labelled texts from the data (sanitised); `summary` is plain text."""
    body = "".join(
        f"<p><strong>{html.escape(label)}</strong></p>"
        + (
            f'<blockquote class="source-text">{markdown_to_html(text)}</blockquote>'
            if label.startswith(QUOTED_LABELS)
            else markdown_to_html(text)
        )
        for label, text in parts
        if text
    )
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


def _action_details(row: pd.Series) -> str:
    update = str(row["update"]) or "No update in any source held."
    source = f"{row['source_ref']} ({row['reported_in']})" if row["reported_in"] else ""
    return _details(
        short_title(str(row["commitment"])),
        [
            ("The commitment", str(row["commitment"])),
            ("Latest update" + (f", {source}" if source else ""), update),
            ("The source's own claim", str(row["source_claim"]) if row["updated_this_quarter"] else ""),
            ("Reason for this report's reading", str(row["reason"])),
        ],
    )


def actions_by_theme(data: ProgressData) -> show.HTML:
    """Every action, one line each under its theme: stage, schedule and when last reported; the commitment, the
    update and the reason behind a closed <details>."""
    parts = []
    quarter = str(data.quarter)
    for theme, group in data.latest.groupby("section", sort=True):
        name = group["theme"].iloc[0]
        table = pd.DataFrame(
            {
                "Action": group["action_id"].map(history.link),
                "Commitment (select for the text and the update)": group.apply(_action_details, axis=1),
                "Stage": group.apply(_stage_text, axis=1),
                "Schedule": group["schedule"],
                "Last reported": group.apply(_last_reported, axis=1, quarter=quarter),
            }
        )
        parts.append(
            show.table_html(
                table,
                f"Theme {theme}: {name}",
                markup_columns=("Action", "Commitment (select for the text and the update)"),
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
                "Reason and texts": [
                    _details(
                        str(reason) or "No reason needed (select for both texts)",
                        [("Earlier text", str(before)), ("Text now", str(now))],
                    )
                    for reason, before, now in zip(
                        moves["reason"], moves["update_before"], moves["update_now"], strict=True
                    )
                ],
            }
        )
        parts.append(f"<h3>{html.escape(kind.capitalize())}: {len(moves)}</h3>")
        if moves.empty:
            continue
        parts.append(
            show.table_html(
                table,
                f"Actions that {kind} in {data.quarter.months}"
                if kind != delivery.NEWLY_OVERDUE
                else f"Actions newly overdue in {data.quarter.months}",
                markup_columns=("Action", "Reason and texts"),
            )
        )
    return show.HTML("\n".join(parts))


def reconciliation(data: ProgressData) -> pd.DataFrame:
    """Per numbered action of the claim source this quarter: its claim, this report's reading and the reason."""
    return delivery.claim_reconciliation(data.latest, data.register, data.claim_sources, str(data.quarter))


def reconciliation_section(data: ProgressData) -> show.HTML:
    """The appendix: the source's count against this report's reading, one consistent denominator, action by action."""
    table = reconciliation(data)
    claim = claim_row(data)
    if table.empty or claim is None:
        return show.HTML(
            f"<p>No source for {data.quarter} states a delivery claim of its own, so there is nothing to reconcile.</p>"
        )
    claimed = int((table["Source's claim"] == status.DELIVERED).sum())
    read = int((table["This report's reading"] == status.DELIVERED).sum())
    differ = table[table["Source's claim"] != table["This report's reading"]]
    text = (
        f"<p>The source counts {claimed} of {len(table)} of its actions as delivered; this report reads {read} of the "
        f"same {len(table)} as delivered. The {len(differ)} actions where the two differ are those whose own response "
        "describes work still to do; the reason for each is given. The denominator is the source's: the MPS paper "
        "numbers 24 items (Actions 1 to 23 and 23a) but counts 23 actions, so Action 23a (signing up to the "
        "Voluntary Code of Practice for Statistics) is counted here within Action 23, as the paper does; both are "
        "register action 4.l. Actions 12, 13 and 14 are the three parts of register action 3.g and share its "
        "reading.</p>"
    )
    caption = f"The source's claim and this report's reading, per MPS action, {data.quarter.months}"
    return show.HTML(text + show.collapsed(f"The {len(table)} MPS actions, one by one", show.table_html(table, caption)))
