"""The quarter's status worksheet, as `mapreport new-quarter` writes it and the analyst fills it.

A worksheet is `data/status/<quarter>.csv` with the status model's columns (period, action_id, stage, schedule,
source_claim, reason, update, source_doc, source_ref), one row per action of the register, followed by helper
columns the loader ignores (mps_action, short_title, last_known_stage, last_reported_in). A row whose `stage` is
empty is unreviewed: the run refuses it, naming the rows to fill. A row for an action the quarter's document does
not report on is deleted; the action then keeps its last known reading.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.sources.csvio import csv_text, file_line, line_values, read_rows

STAGES = ("not started", "paused", "in progress", "ongoing", "delivered")
"""As in sources/status.py (which reads this module, so the words are repeated here)."""
SCHEDULES = ("on time", "overdue", "no date given")
COLUMNS = ("period", "action_id", "stage", "schedule", "source_claim", "reason", "update", "source_doc", "source_ref")
HELPER_COLUMNS = ("mps_action", "short_title", "last_known_stage", "last_reported_in")


def word(value: str) -> str:
    """A vocabulary word as a spreadsheet may hold it: any capitals, spaces around it, runs of spaces."""
    return " ".join(value.split()).lower()


class WorksheetRow(BaseModel):
    """One action's row of a worksheet; `stage` empty means not yet reviewed."""

    model_config = ConfigDict(extra="forbid")

    period: str
    action_id: str
    stage: str
    schedule: str
    source_claim: str
    reason: str
    update: str
    source_doc: str
    source_ref: str

    @field_validator("action_id", "source_doc", "source_ref", "source_claim", "reason")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip()

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str) -> str:
        if word(value) and word(value) not in STAGES:
            raise ValueError(f"unknown stage; expected one of {', '.join(STAGES)} (or empty while unreviewed)")
        return word(value)

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        if word(value) and word(value) not in SCHEDULES:
            raise ValueError(f"unknown schedule; expected one of {', '.join(SCHEDULES)}")
        return word(value)

    @model_validator(mode="after")
    def _complete_once_reviewed(self) -> WorksheetRow:
        if not self.stage:
            return self
        missing = [c for c in ("schedule", "update", "source_doc", "source_ref") if not str(getattr(self, c)).strip()]
        if missing:
            raise ValueError(f"action {self.action_id}: has a stage but {', '.join(missing)} empty; fill them")
        if self.source_claim and word(self.source_claim) != self.stage and not self.reason:
            raise ValueError(
                f"action {self.action_id}: stage {self.stage!r} differs from the source's claim "
                f"{self.source_claim!r}; give the reason in column 'reason'"
            )
        return self


def is_worksheet(path: Path) -> bool:
    """Whether a status file is in the worksheet's columns (it has a `stage` column)."""
    try:
        header = csv_text(path).split("\n", 1)[0]
    except InputError:
        return False
    return "stage" in [cell.strip() for cell in header.split(",")]


def read_worksheet(path: Path) -> pd.DataFrame:
    """Read a worksheet's rows, reviewed or not (see `unreviewed`)."""
    return read_rows(path, WorksheetRow, ignored=HELPER_COLUMNS)


def pending(path: Path) -> list[Problem]:
    """The problem of a status file whose rows still have an empty stage (a worksheet not yet filled), if any."""
    actions, stages = line_values(path, "action_id"), line_values(path, "stage")
    if not stages:
        return []
    rows = {line: action for line, action in actions.items() if not stages.get(line, "").strip()}
    if not rows:
        return []
    lines = ", ".join(f"{a} (line {line})" for line, a in rows.items())
    return [_unreviewed_problem(path, len(rows), lines)]


def _unreviewed_problem(path: Path, count: int, lines: str) -> Problem:
    return Problem(
        paths.relative(path),
        "column 'stage'",
        f"{count} row(s) not reviewed yet: {lines}. For each, read the update against the document and set "
        f"the stage ({', '.join(STAGES)}) and schedule ({', '.join(SCHEDULES)}); delete the row if the document "
        "does not report on the action (it keeps its last reading)",
    )


def unreviewed(frame: pd.DataFrame, path: Path) -> list[Problem]:
    """The problem of a worksheet that still has rows with an empty stage, naming them; none if all are reviewed."""
    rows = frame[frame["stage"] == ""]
    if rows.empty:
        return []
    lines = ", ".join(f"{a} (line {file_line(i)})" for i, a in rows["action_id"].items())
    return [
        Problem(
            paths.relative(path),
            "column 'stage'",
            f"{len(rows)} row(s) not reviewed yet: {lines}. For each, read the update against the document and set "
            f"the stage ({', '.join(STAGES)}) and schedule ({', '.join(SCHEDULES)}); delete the row if the document "
            "does not report on the action (it keeps its last reading)",
        )
    ]


def legacy_status(stage: str, schedule: str) -> str:
    """Today's single status word for a stage and schedule (a bridge until the loaders read the stages)."""
    if stage in ("delivered", "not started"):
        return stage
    if schedule == "overdue":
        return "delayed"
    return "on track" if schedule == "on time" or stage == "ongoing" else "in progress"
