"""Delivery counts and moves: numbers only, computed from the status readings (values become text in present/)."""

from __future__ import annotations

import pandas as pd

from mapreport.sources.status import NOT_REPORTED, STATUS_ORDER


def status_counts(current: pd.DataFrame) -> pd.DataFrame:
    """Number and share of actions in each status, in status order (zero rows kept)."""
    counts = current["status"].value_counts(sort=False).reindex(list(STATUS_ORDER), fill_value=0)
    table = counts.rename_axis("Status").reset_index(name="Actions")
    table["Share (%)"] = (100 * table["Actions"] / table["Actions"].sum()).round(1)
    return table


def status_changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Actions whose status differs from the previous quarter, including newly reported and no longer reported."""
    joined = current[["action_id", "theme", "status"]].merge(
        previous[["action_id", "status"]], on="action_id", suffixes=("", "_previous")
    )
    changed = joined[joined["status"].astype(str) != joined["status_previous"].astype(str)].copy()

    def kind(row: pd.Series) -> str:
        if row["status_previous"] == NOT_REPORTED:
            return "newly reported"
        if row["status"] == NOT_REPORTED:
            return "no longer reported"
        rank = STATUS_ORDER.index
        return "moved forward" if rank(row["status"]) < rank(row["status_previous"]) else "moved back"

    changed["change"] = changed.apply(kind, axis=1) if not changed.empty else pd.Series(dtype=str)
    return changed.rename(
        columns={
            "action_id": "Action",
            "theme": "Theme",
            "status_previous": "Previous status",
            "status": "Status now",
            "change": "Change",
        }
    )[["Action", "Theme", "Previous status", "Status now", "Change"]].reset_index(drop=True)
