"""Quarterly status updates: one row per action reported on, with an ordered status."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.periods import Quarter
from mapreport.sources import catalogue
from mapreport.sources.csvio import check_unique, file_line, read_rows
from mapreport.sources.documents import check_citations, known_doc_ids

REPORTED_STATUSES = ("delivered", "on track", "in progress", "delayed", "not started")
NOT_REPORTED = "not reported"
STATUS_ORDER = (*REPORTED_STATUSES, NOT_REPORTED)
STATUS_TYPE = pd.CategoricalDtype(list(STATUS_ORDER), ordered=True)


class StatusRow(BaseModel):
    """One action's status in one quarter."""

    model_config = ConfigDict(extra="forbid")

    period: str
    action_id: str
    status: str
    update: str
    source_doc: str
    source_ref: str

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        Quarter.parse(value)
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in REPORTED_STATUSES:
            raise ValueError(f"unknown status; expected one of {', '.join(REPORTED_STATUSES)}")
        return value

    @field_validator("update", "source_ref")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty; every status row needs it")
        return value.strip()


def load_status(quarter: str, register: pd.DataFrame) -> pd.DataFrame:
    """Load one quarter's status file, checked against the register."""
    path = catalogue.status_file(quarter)
    frame = read_rows(path, StatusRow)
    name = paths.relative(path)
    wrong_period = frame[frame["period"] != quarter]
    unknown = frame[~frame["action_id"].isin(register.index)]
    problems = [
        Problem(name, f"line {file_line(i)}, column 'period'", f"is {p!r} but the file is for {quarter}")
        for i, p in wrong_period["period"].items()
    ] + [
        Problem(
            name,
            f"line {file_line(i)}, column 'action_id'",
            f"{a!r} is not in the action register (data/register/actions.csv)",
        )
        for i, a in unknown["action_id"].items()
    ]
    if problems:
        raise InputError(problems)
    check_unique(frame, ["action_id"], path)
    check_citations(frame, path, known_doc_ids())
    frame["status"] = frame["status"].astype(STATUS_TYPE)
    return frame.set_index("action_id", drop=False)


def quarter_status(register: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Every register action with its status this quarter; actions with no update are 'not reported'."""
    merged = register[["action_id", "section", "theme", "owner", "commitment"]].join(
        status[["status", "update", "source_doc", "source_ref"]], how="left"
    )
    merged["status"] = merged["status"].astype(STATUS_TYPE).fillna(NOT_REPORTED)
    merged[["update", "source_doc", "source_ref"]] = merged[["update", "source_doc", "source_ref"]].fillna("")
    return merged.reset_index(drop=True)
