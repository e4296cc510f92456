"""Delivery: each action's latest known reading carried forward, the real moves between quarters, and growth.

Numbers and tables only, computed from the status readings (values become text in present/ and reports/). A quarter
whose source does not cover an action leaves that action at its latest known reading: a gap in coverage is never a
change.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from mapreport.core.periods import Quarter
from mapreport.sources.register import split_list
from mapreport.sources.status import (
    DELIVERED,
    NOT_REPORTED,
    OVERDUE,
    STAGE_RANK,
    STAGES,
    STATUS_COLUMNS,
)

FORWARD, BACK, NEWLY_OVERDUE = "moved forward", "moved back", "newly overdue"
MOVE_KINDS = (FORWARD, BACK, NEWLY_OVERDUE)
LATEST_COLUMNS = (
    "action_id",
    "section",
    "theme",
    "owner",
    "commitment",
    *STATUS_COLUMNS,
    "reported_in",
    "updated_this_quarter",
)


def _held(readings: Mapping[str, pd.DataFrame], upto: str) -> list[str]:
    last = Quarter.parse(upto)
    return sorted((q for q in readings if Quarter.parse(q) <= last), key=Quarter.parse)


def latest_known(readings: Mapping[str, pd.DataFrame], upto: str, register: pd.DataFrame) -> pd.DataFrame:
    """One row per register action: its latest reading up to `upto`, the quarter of that reading, and whether it
    was updated in `upto` itself. An action no source has reported on has stage 'not reported' and reported_in ''."""
    frame = register[["action_id", "section", "theme", "owner", "commitment"]].copy()
    frame["stage"] = NOT_REPORTED
    for column in STATUS_COLUMNS[1:]:
        frame[column] = ""
    frame["reported_in"] = ""
    for quarter in _held(readings, upto):
        rows = readings[quarter]
        ids = [i for i in rows.index if i in frame.index]
        frame.loc[ids, list(STATUS_COLUMNS)] = rows.loc[ids, list(STATUS_COLUMNS)].to_numpy()
        frame.loc[ids, "reported_in"] = quarter
    frame["updated_this_quarter"] = frame["reported_in"] == upto
    return frame[list(LATEST_COLUMNS)].reset_index(drop=True)


def previous_held(readings: Mapping[str, pd.DataFrame], upto: str) -> str | None:
    """The latest quarter with readings before `upto`, or None."""
    earlier = [q for q in _held(readings, upto) if q != upto]
    return earlier[-1] if earlier else None


def real_moves(readings: Mapping[str, pd.DataFrame], upto: str, register: pd.DataFrame) -> pd.DataFrame:
    """Moves between each action's latest known reading before `upto` and its reading in `upto`.

    Only actions updated in `upto` and known before can move; an action may appear twice (moved forward and newly
    overdue). Columns: action_id, theme, change, stage/schedule/quarter before and now, both update texts, reason.
    """
    columns = [
        "action_id",
        "theme",
        "change",
        "stage_before",
        "schedule_before",
        "reported_before",
        "stage_now",
        "schedule_now",
        "update_before",
        "update_now",
        "reason",
    ]
    before_quarter = previous_held(readings, upto)
    if before_quarter is None or upto not in readings:
        return pd.DataFrame(columns=columns)
    before = latest_known(readings, before_quarter, register).set_index("action_id")
    now = latest_known(readings, upto, register).set_index("action_id")
    rows: list[dict[str, str]] = []
    for action in now.index[now["updated_this_quarter"]]:
        old, new = before.loc[action], now.loc[action]
        if old["stage"] == NOT_REPORTED:
            continue  # first reading: nothing to move from
        kinds = []
        if STAGE_RANK[new["stage"]] > STAGE_RANK[old["stage"]]:
            kinds.append(FORWARD)
        elif STAGE_RANK[new["stage"]] < STAGE_RANK[old["stage"]]:
            kinds.append(BACK)
        if new["schedule"] == OVERDUE and old["schedule"] != OVERDUE:
            kinds.append(NEWLY_OVERDUE)
        rows.extend(
            {
                "action_id": action,
                "theme": new["theme"],
                "change": kind,
                "stage_before": old["stage"],
                "schedule_before": old["schedule"],
                "reported_before": old["reported_in"],
                "stage_now": new["stage"],
                "schedule_now": new["schedule"],
                "update_before": old["update"],
                "update_now": new["update"],
                "reason": new["reason"],
            }
            for kind in kinds
        )
    moves = pd.DataFrame(rows, columns=columns)
    order = moves["change"].map(MOVE_KINDS.index)
    return moves.assign(_order=order).sort_values(["_order", "action_id"], kind="stable").drop(columns="_order")


def stage_counts(latest: pd.DataFrame) -> pd.DataFrame:
    """Actions at each latest known stage (zero rows kept, in stage order), with how many were updated this quarter.

    Actions with no reading in any source held are not a stage and are left out (the sentence names them)."""
    reported = latest[latest["stage"] != NOT_REPORTED]
    counts = reported["stage"].value_counts().reindex(list(STAGES), fill_value=0)
    updated = reported[reported["updated_this_quarter"]]["stage"].value_counts().reindex(list(STAGES), fill_value=0)
    return pd.DataFrame(
        {
            "Stage": list(STAGES),
            "Actions": counts.to_numpy(),
            "Updated this quarter": updated.to_numpy(),
            "Carried forward": (counts - updated).to_numpy(),
        }
    )


def delivered_growth(readings: Mapping[str, pd.DataFrame], upto: str, register: pd.DataFrame) -> pd.DataFrame:
    """Quarter by quarter up to `upto`: actions delivered to date (latest known stage) and actions updated."""
    rows = []
    for quarter in _held(readings, upto):
        latest = latest_known(readings, quarter, register)
        rows.append(
            {
                "Quarter": quarter,
                "Delivered to date": int((latest["stage"] == DELIVERED).sum()),
                "Actions updated in the quarter": int(latest["updated_this_quarter"].sum()),
                "Actions in the plan": len(latest),
            }
        )
    return pd.DataFrame(
        rows, columns=["Quarter", "Delivered to date", "Actions updated in the quarter", "Actions in the plan"]
    )


def history(readings: Mapping[str, pd.DataFrame], upto: str, register: pd.DataFrame) -> pd.DataFrame:
    """Every reading of every action up to `upto`, one row per action and quarter held (none where not covered)."""
    frames = [
        readings[q][["action_id", *STATUS_COLUMNS]].assign(quarter=q).reset_index(drop=True)
        for q in _held(readings, upto)
    ]
    columns = ["action_id", "quarter", *STATUS_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    order = {a: i for i, a in enumerate(register.index)}
    table = pd.concat(frames, ignore_index=True)[columns]
    key = table["action_id"].map(order) * 1000 + table["quarter"].map(lambda q: _held(readings, upto).index(q))
    return table.assign(_key=key).sort_values("_key").drop(columns="_key").reset_index(drop=True)


def _numbers(cell: str) -> list[str]:
    """The numbered items of one register cell, a lettered item (23a) folded into its number (23) when both are
    in the cell: the source counts them as one action."""
    items = split_list(cell)
    return list(
        dict.fromkeys(
            i.rstrip("abcdefghijklmnopqrstuvwxyz") if i.rstrip("abcdefghijklmnopqrstuvwxyz") in items else i
            for i in items
        )
    )


def claim_reconciliation(
    latest: pd.DataFrame, register: pd.DataFrame, claim_sources: pd.DataFrame, quarter: str
) -> pd.DataFrame:
    """Per item the claiming source numbers (e.g. MPS Action 1 to 23): its claim this quarter, This report's reading
    and the reason, from the register action each item belongs to. Empty where no source this quarter claims."""
    columns = ["Source's action", "Register action", "Source's claim", "This report's reading", "Reason"]
    claimed = latest[latest["updated_this_quarter"] & (latest["source_claim"] != "")]
    rows: list[dict[str, str]] = []
    for action in claimed.itertuples():
        covers = str(claim_sources.at[str(action.source_doc), "covers"])
        for number in _numbers(str(register.at[str(action.action_id), covers])):
            rows.append(
                {
                    "Source's action": number,
                    "Register action": str(action.action_id),
                    "Source's claim": str(action.source_claim),
                    "This report's reading": str(action.stage),
                    "Reason": str(action.reason) if str(action.source_claim) != str(action.stage) else "",
                }
            )
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table

    def key(item: str) -> tuple[int, str]:
        digits = item.rstrip("abcdefghijklmnopqrstuvwxyz")
        return (int(digits) if digits.isdigit() else 0, item)

    order = sorted(range(len(table)), key=lambda i: key(str(table["Source's action"].iloc[i])))
    return table.iloc[order].reset_index(drop=True)
