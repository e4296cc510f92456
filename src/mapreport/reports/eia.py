"""The EIA report: summary, each characteristic with its mitigating actions' status this quarter, and the gaps."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from mapreport.core.params import ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import show
from mapreport.present.sanitise import markdown_to_html
from mapreport.sources import status
from mapreport.sources.eia import Assessment, Characteristic, load_eia
from mapreport.sources.register import load_register


@dataclass(frozen=True)
class EiaData:
    """One EIA revision read with one quarter's delivery status."""

    quarter: Quarter
    assessment: Assessment
    current: pd.DataFrame


def load(params: ReportParams) -> EiaData:
    """Load and check the EIA revision and the quarter's status readings."""
    register = load_register()
    current = status.quarter_status(register, status.load_status(params.quarter, register))
    return EiaData(params.period, load_eia(params.eia_revision, register), current.set_index("action_id", drop=False))


def title(data: EiaData) -> show.HTML:
    return show.HTML(
        "<h1>Mayor's Action Plan on transparency, accountability and trust in policing: equality impact assessment</h1>"
        f"<p><strong>EIA revision:</strong> {html.escape(data.assessment.revision)}. "
        f"<strong>Delivery status as at:</strong> {html.escape(data.quarter.label)}.</p>"
    )


def plan_section(data: EiaData, section: str) -> show.HTML:
    return show.HTML(markdown_to_html(data.assessment.plan[section]))


def summary(data: EiaData) -> pd.DataFrame:
    """Characteristic × impact × number of mitigating actions (and how many are delivered this quarter)."""
    rows = []
    for item in data.assessment.characteristics:
        actions = item.fields.mitigating_actions
        delivered = sum(data.current.loc[a, "status"] == "delivered" for a in actions)
        rows.append(
            {
                "Characteristic": item.fields.characteristic,
                "Assessed impact": item.fields.impact,
                "Mitigating actions": len(actions),
                f"Delivered by {data.quarter}": delivered,
            }
        )
    return pd.DataFrame(rows)


def mitigating_actions(data: EiaData, item: Characteristic) -> pd.DataFrame:
    """The characteristic's mitigating actions with their commitment text and status this quarter."""
    ids = item.fields.mitigating_actions
    table = data.current.loc[ids, ["action_id", "commitment", "status"]] if ids else data.current.iloc[0:0]
    return pd.DataFrame(
        {
            "Action": table["action_id"].to_numpy(),
            "Commitment": table["commitment"].to_numpy(),
            f"Status, {data.quarter}": table["status"].astype(str).to_numpy(),
        }
    )


def characteristics(data: EiaData) -> show.HTML:
    """Each characteristic: context, policy, assessed impact and its mitigating actions."""
    parts = []
    for item in data.assessment.characteristics:
        name = item.fields.characteristic
        sources = "".join(f"<li>[{html.escape(k)}] {html.escape(v)}</li>" for k, v in item.fields.sources.items())
        parts += [
            f"<h3>{html.escape(name)}</h3>",
            f"<p><strong>Assessed impact:</strong> {html.escape(item.fields.impact)}. {html.escape(item.fields.impact_text)}</p>",
            "<h4>Context</h4>",
            markdown_to_html(item.context),
            "<h4>Policy</h4>",
            markdown_to_html(item.policy),
            show.table_html(
                mitigating_actions(data, item),
                f"Mitigating actions for {name} and their status",
                rich_columns=("Commitment",),
            ),
        ]
        if sources:
            parts.append(f"<h4>Sources for {html.escape(name)}</h4><ul>{sources}</ul>")
    return show.HTML("\n".join(parts))


def gaps(data: EiaData) -> pd.DataFrame:
    """Characteristics with no specific action, and mitigating actions not yet delivered this quarter."""
    rows = []
    for item in data.assessment.characteristics:
        name = item.fields.characteristic
        if not item.fields.mitigating_actions:
            rows.append(
                {"Characteristic": name, "Gap": "No specific mitigating action in the plan", "Action": "", "Status": ""}
            )
        for action in item.fields.mitigating_actions:
            state = str(data.current.loc[action, "status"])
            if state != "delivered":
                rows.append(
                    {
                        "Characteristic": name,
                        "Gap": "Mitigating action not yet delivered",
                        "Action": action,
                        "Status": state,
                    }
                )
    return pd.DataFrame(rows, columns=["Characteristic", "Gap", "Action", "Status"])
