"""The EIA report: the cover, cumulative delivery of the mitigating actions, one grid, the gaps, and the evidence."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import show
from mapreport.reports import eia_revisions
from mapreport.sources import catalogue, status
from mapreport.sources.eia import COVER_FIELDS, Assessment, Characteristic, load_eia
from mapreport.sources.figures import figures_up_to, load_figures, load_measures, period_end
from mapreport.sources.register import load_register

DELIVERED = "delivered"
EIA_DOC = "eia-2020-11"
COVER_LABELS = {
    "title": "Title",
    "owner": "Owner",
    "version": "Version",
    "date_of_assessment": "Date of assessment",
    "signed_off_by": "Signed off by",
    "sign_off_date": "Date of sign-off",
    "review_date": "Review date",
}


@dataclass(frozen=True)
class EiaData:
    """One EIA revision read with each mitigating action's latest known status as of one quarter."""

    quarter: Quarter
    assessment: Assessment
    delivery: pd.DataFrame
    """Every register action: action_id, section, theme, commitment, status (latest known), reported_in."""
    changes: eia_revisions.Changes
    evidence: pd.DataFrame
    """The EIA's own figures that have a newer published figure for the same measure and group."""


def _latest_known_status(params: ReportParams, register: pd.DataFrame) -> pd.DataFrame:
    """Each action's latest known stage as of the quarter (the status model's carry-forward), with the quarter it
    was last reported in ('' where never)."""
    readings = status.load_statuses(catalogue.status_quarter_names(params), register)
    latest = delivery.latest_known(readings, params.quarter, register)
    return latest.assign(status=latest["stage"])[["action_id", "status", "reported_in"]].set_index(
        "action_id", drop=False
    )


def _delivery(params: ReportParams, register: pd.DataFrame) -> pd.DataFrame:
    latest = _latest_known_status(params, register)
    frame = register[["action_id", "section", "theme", "commitment"]].join(latest[["status", "reported_in"]])
    frame["status"] = frame["status"].fillna(status.NOT_REPORTED)
    frame["reported_in"] = frame["reported_in"].fillna("")
    return frame


def _newer_evidence(quarter: Quarter) -> pd.DataFrame:
    """The EIA's figures with the newest published figure for the same measure, breakdown and group, where newer."""
    figures = load_figures()
    titles = load_measures(figures["measure"])["title"]
    shown = figures_up_to(figures, quarter)
    key = ["measure", "breakdown", "group", "unit"]
    eia = shown[shown["source_doc"] == EIA_DOC]
    rows = []
    for _, old in eia.iterrows():
        same = shown[(shown[key] == old[key]).all(axis=1) & (shown["source_doc"] != EIA_DOC)]
        same = same[same["period"].map(period_end) > period_end(old["period"])]
        if same.empty:
            continue
        new = same.loc[same["period"].map(period_end).sort_values(kind="stable").index[-1]]
        rows.append(
            {
                "Measure": f"{titles[old['measure']]}: {old['group']}",
                "In the EIA (evidence at the time)": f"{show_value(old)} ({old['period']})",
                "Newer published figure": f"{show_value(new)} ({new['period']})",
                "Source of the newer figure": str(new["source_doc"]),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["Measure", "In the EIA (evidence at the time)", "Newer published figure", "Source of the newer figure"],
    )


def show_value(row: pd.Series) -> str:
    """A figure with its unit, as the EIA would write it."""
    value = float(row["value"])
    text = f"{value:g}"
    return {"percent": f"{text}%", "percentage_points": f"{text} percentage points"}.get(str(row["unit"]), text)


def load(params: ReportParams) -> EiaData:
    """Load and check the EIA revision (and the previous one), every quarter's status up to this one, and figures."""
    register = load_register()
    assessment = load_eia(params.eia_revision, register)
    return EiaData(
        params.period,
        assessment,
        _delivery(params, register),
        eia_revisions.compare(assessment, register),
        _newer_evidence(params.period),
    )


def _impact(item: Characteristic) -> str:
    """The assessed impact in the EIA's words, once (the EIA's text where it says more than the one word)."""
    text = item.fields.impact_text.strip().rstrip(".")
    return text if text.lower() != item.fields.impact else item.fields.impact.capitalize()


def title(data: EiaData) -> show.HTML:
    return show.HTML(
        "<h1>Mayor's Action Plan on transparency, accountability and trust in policing: equality impact assessment</h1>"
        f"<p><strong>EIA revision:</strong> {html.escape(data.assessment.revision)}. "
        f"<strong>Delivery status as at:</strong> {html.escape(data.quarter.label)}.</p>"
    )


def cover(data: EiaData) -> pd.DataFrame:
    """The cover sheet: title, edition and period, and the owner, version, date, sign-off and review fields."""
    fields = data.assessment.plan_source
    values = {name: str(getattr(fields, name)) for name in COVER_FIELDS}
    rows = [("Title", values.pop("title"))]
    rows.append(
        (
            "Edition",
            f"EIA revision {data.assessment.revision}, with delivery status as at {data.quarter.label}",
        )
    )
    rows += [(COVER_LABELS[name], value) for name, value in values.items()]
    return pd.DataFrame(rows, columns=["Field", "Value"])


def cover_html(data: EiaData) -> show.HTML:
    """The cover table, marked so that the Word file starts a new page after it."""
    return show.HTML(f'<div class="eia-cover">{show.table_html(cover(data), "Document control")}</div>')


def plan_section(data: EiaData, section: str) -> show.HTML:
    return show.HTML(show.quoted(data.assessment.plan[section]))


def _served(data: EiaData) -> dict[str, list[str]]:
    """Each mitigating action with the characteristics whose policy relies on it, in register order."""
    served: dict[str, list[str]] = {}
    for item in data.assessment.characteristics:
        for action in item.fields.mitigating_actions:
            served.setdefault(action, []).append(item.fields.characteristic)
    order = list(data.delivery.index)
    return dict(sorted(served.items(), key=lambda kv: order.index(kv[0])))


def summary(data: EiaData) -> pd.DataFrame:
    """Characteristic × impact × number of mitigating actions and how many were delivered by the quarter."""
    rows = []
    for item in data.assessment.characteristics:
        actions = item.fields.mitigating_actions
        delivered = int((data.delivery.loc[actions, "status"] == DELIVERED).sum()) if actions else 0
        rows.append(
            {
                "Characteristic": item.fields.characteristic,
                "Assessed impact": _impact(item),
                "Mitigating actions": len(actions),
                f"Delivered by {data.quarter}": delivered,
            }
        )
    return pd.DataFrame(rows)


def grid(data: EiaData) -> pd.DataFrame:
    """Characteristics × themes: how many of each theme's mitigating actions were delivered, e.g. '2 of 6'."""
    themes = data.delivery.drop_duplicates("section").set_index("section")["theme"]
    rows = []
    for item in data.assessment.characteristics:
        mine = data.delivery.loc[item.fields.mitigating_actions] if item.fields.mitigating_actions else data.delivery[:0]
        row = {"Characteristic": item.fields.characteristic}
        for section, theme in themes.items():
            part = mine[mine["section"] == section]
            done = int((part["status"] == DELIVERED).sum())
            row[f"{section}. {theme}"] = f"{done} of {len(part)}" if len(part) else "–"
        rows.append(row)
    return pd.DataFrame(rows)


def no_specific_action(data: EiaData) -> show.HTML:
    """One sentence naming the characteristics with no specific mitigating action."""
    names = [c.fields.characteristic for c in data.assessment.characteristics if not c.fields.mitigating_actions]
    if not names:
        return show.HTML("<p>Every protected characteristic has at least one specific mitigating action.</p>")
    return show.HTML(
        f"<p><strong>No specific mitigating action in the plan:</strong> {html.escape(', '.join(names))}.</p>"
    )


def _actions_table(data: EiaData, delivered: bool) -> pd.DataFrame:
    served = _served(data)
    table = data.delivery.loc[list(served)]
    table = table[(table["status"] == DELIVERED) == delivered]
    return pd.DataFrame(
        {
            "Action": table["action_id"].to_numpy(),
            "Commitment": table["commitment"].to_numpy(),
            f"Latest known status, {data.quarter}": table["status"].astype(str).to_numpy(),
            "Last reported": [q or "never reported" for q in table["reported_in"]],
            "Characteristics it serves": [", ".join(served[a]) for a in table["action_id"]],
        }
    )


def gaps(data: EiaData) -> pd.DataFrame:
    """Each mitigating action not delivered by the quarter, once, with the characteristics it serves."""
    return _actions_table(data, delivered=False)


def delivered(data: EiaData) -> pd.DataFrame:
    """Each mitigating action delivered by the quarter, once, with the quarter it was last reported."""
    return _actions_table(data, delivered=True)


def actions_section(data: EiaData, which: str) -> show.HTML:
    """The delivered or undelivered mitigating actions as a table, or a sentence where there are none."""
    table = gaps(data) if which == "gaps" else delivered(data)
    if table.empty:
        state = "not yet delivered" if which == "gaps" else "delivered"
        return show.HTML(f"<p>No mitigating action is {state} as at {html.escape(data.quarter.label)}.</p>")
    caption = (
        f"Mitigating actions not yet delivered as at {data.quarter}, each once"
        if which == "gaps"
        else f"Mitigating actions delivered by {data.quarter}"
    )
    return show.table(table, caption, rich_columns=("Commitment",))


def characteristics(data: EiaData) -> show.HTML:
    """Each characteristic: assessed impact, the evidence at the time of the assessment, the policy, its actions."""
    when = data.assessment.plan_source.date_of_assessment.split(" (")[0]
    parts = []
    for item in data.assessment.characteristics:
        name = item.fields.characteristic
        actions = item.fields.mitigating_actions
        if actions:
            done = int((data.delivery.loc[actions, "status"] == DELIVERED).sum())
            listed = (
                f"<p><strong>Mitigating actions ({len(actions)}, {done} delivered by {data.quarter}):</strong> "
                f"{html.escape(', '.join(actions))}.</p>"
            )
        else:
            listed = "<p><strong>Mitigating actions:</strong> no specific mitigating action in the plan.</p>"
        sources = "".join(f"<li>[{html.escape(k)}] {html.escape(v)}</li>" for k, v in item.fields.sources.items())
        parts += [
            f"<h3>{html.escape(name)}</h3>",
            f"<p><strong>Assessed impact:</strong> {html.escape(_impact(item))}.</p>",
            f"<h4>Evidence at the time of the assessment ({html.escape(when)})</h4>",
            show.quoted(item.context),
            "<h4>Policy</h4>",
            show.quoted(item.policy),
            listed,
        ]
        if sources:
            parts.append(f"<h4>Sources for {html.escape(name)}</h4><ul>{sources}</ul>")
    return show.HTML("\n".join(parts))


def evidence_now(data: EiaData) -> show.HTML:
    """The EIA's figures beside a newer published figure for the same measure, or a sentence saying there is none."""
    when = data.assessment.plan_source.date_of_assessment.split(" (")[0]
    intro = (
        f"<p>The evidence above is the EIA's, as at the time of the assessment ({html.escape(when)}); "
        "words such as “currently” in it refer to that time, not to this edition.</p>"
    )
    if data.evidence.empty:
        return show.HTML(
            intro + "<p>No figure in the EIA has a newer published figure for the same measure and group among the "
            f"figures held for these reports up to {html.escape(data.quarter.label)}. "
            "The equality data annex of this edition shows the newest Public Attitude Survey figures.</p>"
        )
    return show.HTML(
        intro
        + show.table_html(
            data.evidence, f"The EIA's figures and the newest published figure for the same measure, {data.quarter}"
        )
    )


def revision_changes(data: EiaData) -> show.HTML:
    """What changed since the previous EIA revision, or a sentence saying this is the first revision."""
    return show.HTML(eia_revisions.changes_html(data.changes))
