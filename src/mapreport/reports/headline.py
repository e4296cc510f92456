"""The headline box that opens the progress update: a few plain-English sentences, every one computed.

Delivery to date and its growth, what changed since the previous edition, the latest MPS-wide trust in the police
(with its tested change on a year) and the latest officer representation against the plan's target; each figure
says its period and source. Values become text here; nothing in the box is written by hand.
"""

from __future__ import annotations

import html

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.periods import Quarter
from mapreport.present import numbers, show
from mapreport.reports.progress import ProgressData, claim_row, doc_name, reconciliation
from mapreport.sources import figures, status

TRUST = "Trust the MPS"
OFFICERS, EMINORITY_GROUP = "workforce_officers", "BAME"
"""The officer measure the plan sets a target for; the sources' group term is quoted, not used as our own."""


def _words(quarter: str) -> str:
    return Quarter.parse(quarter).months


def delivery_sentence(data: ProgressData) -> str:
    """How many actions have been delivered to date, and how that grew since the previous edition."""
    growth = data.growth
    delivered, total = int(growth["Delivered to date"].iloc[-1]), len(data.latest)
    text = (
        f"{delivered} of the {total} actions in the plan have been delivered by the end of "
        f"{data.quarter.months}, on this report's reading of the published updates"
    )
    if len(growth) > 1:
        before, quarter = int(growth["Delivered to date"].iloc[-2]), str(growth["Quarter"].iloc[-2])
        more = delivered - before
        text += f" ({more} more than by the end of {_words(quarter)})" if more else f" (as by the end of {_words(quarter)})"
    return text + "."


def changes_sentence(data: ProgressData) -> str:
    """Real moves since the previous edition, and how many actions are overdue."""
    if delivery.previous_held(data.readings, str(data.quarter)) is None:
        changed = "This is the first edition, so there are no earlier readings to compare with."
    else:
        counts = data.moves["change"].value_counts()
        forward, back, overdue = (int(counts.get(kind, 0)) for kind in delivery.MOVE_KINDS)
        changed = (
            f"Since the previous edition, {forward} action{'s' if forward != 1 else ''} moved forward, {back} moved "
            f"back and {overdue} became overdue."
        )
    late = int((data.latest["schedule"] == status.OVERDUE).sum())
    return f"{changed} {late} action{'s are' if late != 1 else ' is'} overdue against the date the plan or its source set."


def trust_sentence(data: ProgressData) -> str | None:
    """MPS-wide trust in the 12 months to the quarter's end, with its change on a year earlier (claimed if significant)."""
    rows = data.trust[data.trust["measure"] == TRUST]
    if rows.empty or not numbers.known(rows["now"].iloc[0]):
        return None
    now, change = float(rows["now"].iloc[0]), rows["year_ago_change"].iloc[0]
    text = (
        f"{numbers.percent(now)} of Londoners trust the MPS (12 months to {data.quarter.end_date:%-d %B %Y}, "
        "MOPAC Public Attitude Survey)"
    )
    if change is None:
        return text + "; there is no figure for a year earlier to compare with."
    points = abs(round(change.difference * 100))
    if change.significant and points:
        direction = "down" if change.difference < 0 else "up"
        return (
            f"{text}, {direction} {points} points on a year earlier ({numbers.percent(change.earlier)}); the change "
            "is statistically significant."
        )
    return f"{text}, against {numbers.percent(change.earlier)} a year earlier; the difference is not significant."


def officers_sentence(data: ProgressData) -> str | None:
    """The latest published share of officers from ethnic minority groups, its direction, and the plan's target."""
    rows = data.figures[
        (data.figures["measure"] == OFFICERS)
        & (data.figures["group"] == EMINORITY_GROUP)
        & (data.figures["unit"] == "percent")
    ]
    if rows.empty:
        return None
    rows = rows.assign(when=figures.reference_date(rows))
    rows = rows.sort_values("when")
    latest = rows.iloc[-1]
    text = (
        f"Officers from ethnic minority groups (“{EMINORITY_GROUP}” in the sources) were "
        f"{numbers.percentage(float(latest['value']), 1)} of MPS officers at {_month(str(latest['when']))} "
        f"({doc_name(data, str(latest['source_doc']))})"
    )
    if len(rows) > 1:
        earlier = rows.iloc[-2]
        word = "up" if latest["value"] > earlier["value"] else "down" if latest["value"] < earlier["value"] else "as"
        text += f", {word} from {numbers.percentage(float(earlier['value']), 1)} at {_month(str(earlier['when']))}"
    target = data.targets[
        (data.targets["measure"] == OFFICERS)
        & (data.targets["group"] == EMINORITY_GROUP)
        & (data.targets["by_date"] != "")
        & (data.targets["source_doc"] == "eia-2020-11")
    ].sort_values("by_date")
    if not target.empty:
        first = target.iloc[0]
        text += f"; the plan's target is {first['target_value']:g}% by {_month(str(first['by_date']))}"
    return text + "."


def _month(value: str) -> str:
    """'December 2021' from '2021-12' or '2021-12-31'."""
    return f"{pd.Timestamp(value[:7] + '-01'):%B %Y}"


def claim_sentence(data: ProgressData) -> str | None:
    """The source's own delivery count, as the source's, beside this report's count on the same actions."""
    claim = claim_row(data)
    table = reconciliation(data)
    if claim is None or table.empty:
        return None
    claimed = int((table["Source's claim"] == status.DELIVERED).sum())
    read = int((table["This report's reading"] == status.DELIVERED).sum())
    return (
        f"The MPS's own count is {claimed} of its {len(table)} actions delivered "
        f"({doc_name(data, str(claim['source_doc']))}); on the same actions this report reads {read} as "
        "delivered, because it counts an action only when its own text names nothing still to do "
        "(see the appendix)."
    )


def box(data: ProgressData) -> show.HTML:
    """The headline box: three to five sentences, each computed, at the top of the progress update."""
    sentences = [
        delivery_sentence(data),
        changes_sentence(data),
        claim_sentence(data),
        trust_sentence(data),
        officers_sentence(data),
    ]
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences if s)
    return show.HTML(
        '<section class="mapreport-headline" aria-labelledby="headline-title">'
        '<h2 id="headline-title">This quarter in brief</h2>'
        f"<ul>{items}</ul></section>"
    )
