"""Release notes of an edition, generated: what changed since the previous edition.

Status moves (forward, back, newly overdue, with the actions), the source documents first used in this edition, and
the published figures for periods new in this edition. Shown on the index of editions, with each edition.
"""

from __future__ import annotations

import pandas as pd

from mapreport.analysis import delivery
from mapreport.core.params import load_params
from mapreport.core.periods import Quarter
from mapreport.reports import progress
from mapreport.sources import figures


def _figure_periods(frame: pd.DataFrame) -> pd.Series:
    return frame["period"].map(figures.period_end)


def notes(quarter: str) -> list[str]:
    """Plain-text lines on what changed since the previous edition (empty for the first edition)."""
    data = progress.load(load_params(quarter))
    earlier = delivery.previous_held(data.readings, quarter)
    if earlier is None:
        return []
    lines = []
    for kind in delivery.MOVE_KINDS:
        moved = data.moves[data.moves["change"] == kind]["action_id"].tolist()
        if moved:
            lines.append(f"{len(moved)} action{'s' if len(moved) != 1 else ''} {kind}: {', '.join(moved)}.")
    if not lines:
        lines.append("No action's stage or schedule changed.")
    cited_now = set(data.readings[quarter]["source_doc"]) if quarter in data.readings else set()
    cited_before = {doc for q, frame in data.readings.items() if q < quarter for doc in frame["source_doc"]}
    for doc in sorted(cited_now - cited_before):
        lines.append(f"New source: {progress.doc_name(data, str(doc))}.")
    previous_end = Quarter.parse(earlier).end_date.isoformat()
    new = data.figures[_figure_periods(data.figures) > previous_end]
    if not new.empty:
        titles = sorted({str(data.measures.at[m, "title"]) for m in new["measure"]})
        lines.append(
            f"{len(new)} published figure{'s' if len(new) != 1 else ''} for periods after the previous edition: "
            f"{', '.join(titles)}."
        )
    return lines
