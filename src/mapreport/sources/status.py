"""Quarterly status readings: one row per action reported on, with its stage, schedule and the source's own claim.

The vocabulary and the rules are documented in data/status/ASSIGNMENT_NOTES.md. A row is mapreport's reading of
one document's text; `reason` says why wherever the reading differs from the source's own claim, the stage moves
back from the action's latest known reading, or the schedule is judged against a date the plan did not give.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.hashing import files_signature
from mapreport.core.periods import Quarter
from mapreport.sources import catalogue, memo
from mapreport.sources.csvio import check_unique, file_line, line_values, read_rows
from mapreport.sources.documents import check_citations, document_texts, known_doc_ids, signature
from mapreport.sources.quotes import unmatched_words
from mapreport.sources.register import split_list

STAGES = ("not started", "paused", "in progress", "ongoing", "delivered")
"""Stages in the order an action moves through them: a move to an earlier stage is a move back."""
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
DELIVERED = "delivered"
SCHEDULES = ("on time", "overdue", "no date given")
OVERDUE = "overdue"
NO_DATE = "no date given"
NOT_REPORTED = "not reported"
"""The stage column of an action no status file up to the quarter has reported on."""
STATUS_COLUMNS = ("stage", "schedule", "source_claim", "reason", "update", "source_doc", "source_ref")
WORKSHEET_HELPERS = ("mps_action", "short_title", "last_known_stage", "last_reported_in")
"""Columns `mapreport new-quarter` writes after the status columns to help the analyst; the loader ignores them."""


def _one_of(value: str, allowed: tuple[str, ...], what: str, blank: bool = False) -> str:
    value = " ".join(value.split()).lower()  # as a spreadsheet may hold it: 'Delivered ', 'In  progress'

    if (blank and not value) or value in allowed:
        return value
    also = "; or leave it empty where the source states no claim" if blank else ""
    raise ValueError(f"unknown {what} word; expected one of {', '.join(allowed)}{also}")


class StatusRow(BaseModel):
    """One action's reading in one quarter."""

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

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        Quarter.parse(value)
        return value

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str) -> str:
        return _one_of(value, STAGES, "stage")

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        return _one_of(value, SCHEDULES, "schedule")

    @field_validator("source_claim")
    @classmethod
    def _claim(cls, value: str) -> str:
        return _one_of(value, STAGES, "source_claim", blank=True)

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return value.strip()

    @field_validator("update", "source_ref")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty; every status row needs it")
        return value.strip()


class ClaimSource(BaseModel):
    """A document that states its own delivery claim per action, and which register actions it covers."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    covers: str
    statement: str
    source_ref: str


def load_claim_sources(register: pd.DataFrame) -> pd.DataFrame:
    """data/status/claim_sources.csv: the documents allowed to carry a source_claim, checked."""
    path = catalogue.claim_sources_file()
    frame = read_rows(path, ClaimSource)
    name = paths.relative(path)
    problems = [
        Problem(
            name,
            f"line {file_line(i)}, column 'covers'",
            f"{column!r} is not a column of data/register/actions.csv; name the register column whose non-empty "
            "cells mark the actions the document covers",
        )
        for i, column in frame["covers"].items()
        if column not in register.columns
    ]
    if problems:
        raise InputError(problems)
    check_unique(frame, ["doc_id"], path)
    check_citations(frame, path, known_doc_ids(), column="doc_id")
    return frame.set_index("doc_id", drop=False)


def _row_problems(row: pd.Series, name: str, register: pd.DataFrame, claims: pd.DataFrame) -> list[Problem]:
    """The checks of one row against the register and the claim sources."""
    where = f"line {row['line']}"
    problems = []
    due = str(register.at[row["action_id"], "due"]).strip()
    if row["schedule"] == NO_DATE and due:
        problems.append(
            Problem(
                name,
                f"{where}, column 'schedule'",
                f"is 'no date given' but the register gives {row['action_id']} the date {due!r}; "
                "use 'on time' or 'overdue'",
            )
        )
    if row["schedule"] != NO_DATE and not due and not row["reason"]:
        problems.append(
            Problem(
                name,
                f"{where}, column 'reason'",
                f"is empty but the schedule is {row['schedule']!r} and the register gives {row['action_id']} no date; "
                "say in one sentence which date the source set, or use 'no date given'",
            )
        )
    if row["stage"] == DELIVERED and row["schedule"] == OVERDUE:
        problems.append(
            Problem(name, f"{where}, column 'schedule'", "is 'overdue' but the stage is 'delivered'; use 'on time'")
        )
    if row["source_claim"]:
        doc = row["source_doc"]
        if doc not in claims.index:
            problems.append(
                Problem(
                    name,
                    f"{where}, column 'source_claim'",
                    f"{doc!r} states no per-action claim (it is not in data/status/claim_sources.csv); "
                    "leave source_claim empty",
                )
            )
        elif not str(register.at[row["action_id"], claims.at[doc, "covers"]]).strip():
            problems.append(
                Problem(
                    name,
                    f"{where}, column 'source_claim'",
                    f"{doc!r} does not cover {row['action_id']} (its register column "
                    f"{claims.at[doc, 'covers']!r} is empty); leave source_claim empty",
                )
            )
        elif row["source_claim"] != row["stage"] and not row["reason"]:
            problems.append(
                Problem(
                    name,
                    f"{where}, column 'reason'",
                    f"is empty but the stage {row['stage']!r} differs from the source's claim "
                    f"{row['source_claim']!r}; say in one sentence why",
                )
            )
    return problems


def unknown_action(action_id: str, register: pd.DataFrame) -> str:
    """The message for an action id not in the register, with the register's id where it is an MPS action number."""
    message = f"{action_id!r} is not in the action register (data/register/actions.csv)"
    matches = [str(a) for a, numbers in register["mps_action"].items() if action_id.strip() in split_list(str(numbers))]
    if matches:
        return (
            f"{message}; it is an MPS action number: register MPS action {action_id.strip()} is {' / '.join(matches)}"
        )
    return f"{message}; expected an id like 1.a"


def check_updates(frame: pd.DataFrame, path: Path) -> list[Problem]:
    """Every update's words are in its cited document (page furniture may be left out)."""
    texts = document_texts()
    problems = []
    for index, row in frame.iterrows():
        text = texts.get(str(row["source_doc"]))
        if text is None:
            continue
        if (stray := unmatched_words(str(row["update"]), text)) is not None:
            problems.append(
                Problem(
                    paths.relative(path),
                    f"line {file_line(index)} (action {row['action_id']}), column 'update'",
                    f"is not in the text of {row['source_doc']} from '{stray} ...'; copy the update from the "
                    "document (paragraphs may be separated by a blank line)",
                )
            )
    return problems


def _actions_named(error: InputError, path: Path) -> InputError:
    """The same problems, each row's named by its action as well as its line (the action is what analysts know)."""
    actions = line_values(path, "action_id")
    named = []
    for problem in error.problems:
        match = re.match(r"line (\d+)", problem.where)
        action = actions.get(int(match[1])) if match else None
        action = action if action and re.fullmatch(r"[\w.]{1,12}", action) else None  # not a broken row's text
        where = problem.where.replace(match[0], f"{match[0]} (action {action})", 1) if match and action else None
        named.append(Problem(problem.file, where, problem.message) if where else problem)
    return InputError(named)


def _unreviewed(path: Path) -> list[Problem]:
    """The problem of a status file whose rows still have an empty stage (a worksheet not yet filled), if any."""
    actions, stages = line_values(path, "action_id"), line_values(path, "stage")
    rows = {line: action for line, action in actions.items() if stages and not stages.get(line, "").strip()}
    if not rows:
        return []
    lines = ", ".join(f"{a} (line {line})" for line, a in rows.items())
    return [
        Problem(
            paths.relative(path),
            "column 'stage'",
            f"{len(rows)} row(s) not reviewed yet: {lines}. For each, read the update against the document and set "
            f"the stage ({', '.join(STAGES)}) and schedule ({', '.join(SCHEDULES)}); delete the row if the document "
            "does not report on the action (it keeps its last reading)",
        )
    ]


def _check_key(quarter: str, register: pd.DataFrame) -> tuple[object, ...]:
    """The content of everything a quarter's check reads: its status file, the register, the claim sources and the
    documents."""
    files = files_signature([catalogue.status_file(quarter), catalogue.claim_sources_file()])
    return (quarter, hashlib.sha256(register.to_csv().encode()).hexdigest(), files, signature())


def load_status(quarter: str, register: pd.DataFrame) -> pd.DataFrame:
    """Load one quarter's status file (or the worksheet `mapreport new-quarter` wrote, once every row is reviewed),
    each row checked against the register, the claim sources and the cited document's text.

    Checked once per run for the same files, register and documents (validation and every report's kernel read the
    same quarters); the caller gets its own copy. A file with problems is checked again, and raises again, on every
    call."""
    return memo.checked("status.load_status", _check_key(quarter, register), lambda: _load_status(quarter, register))


def _load_status(quarter: str, register: pd.DataFrame) -> pd.DataFrame:
    path = catalogue.status_file(quarter)
    if pending := _unreviewed(path):
        raise InputError(pending)
    try:
        frame = read_rows(path, StatusRow, ignored=WORKSHEET_HELPERS)
    except InputError as exc:
        raise _actions_named(exc, path) from None
    name = paths.relative(path)
    frame["line"] = [file_line(i) for i in frame.index]
    wrong_period = frame[frame["period"] != quarter]
    unknown = frame[~frame["action_id"].isin(register.index)]
    problems = [
        Problem(name, f"line {file_line(i)}, column 'period'", f"is {p!r} but the file is for {quarter}")
        for i, p in wrong_period["period"].items()
    ] + [
        Problem(name, f"line {file_line(i)}, column 'action_id'", unknown_action(str(a), register))
        for i, a in unknown["action_id"].items()
    ]
    try:
        check_unique(frame, ["action_id"], path)
    except InputError as exc:  # reported with the file's other problems
        problems += exc.problems
    if problems:
        raise InputError(problems)
    check_citations(frame, path, known_doc_ids())
    claims = load_claim_sources(register)
    problems = [p for _, row in frame.iterrows() for p in _row_problems(row, name, register, claims)]
    problems += check_updates(frame, path)
    if problems:
        raise InputError(problems)
    return frame.set_index("action_id", drop=False)


def check_moves(readings: Mapping[str, pd.DataFrame]) -> None:
    """Refuse a stage that moves back from the action's latest known reading without a reason (quarters in order)."""
    latest: dict[str, tuple[str, str]] = {}
    problems = []
    for quarter in sorted(readings, key=Quarter.parse):
        name = paths.relative(catalogue.status_file(quarter))
        for row in readings[quarter].itertuples():
            before = latest.get(str(row.action_id))
            if before and STAGE_RANK[str(row.stage)] < STAGE_RANK[before[0]] and not row.reason:
                problems.append(
                    Problem(
                        name,
                        f"line {row.line}, column 'reason'",
                        f"is empty but {row.action_id} moves back from {before[0]!r} ({before[1]}) to "
                        f"{row.stage!r}; say in one sentence why",
                    )
                )
            latest[str(row.action_id)] = (str(row.stage), quarter)
    if problems:
        raise InputError(problems)


def load_statuses(quarters: list[str], register: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Load the status files of several quarters, each checked, and the moves between them checked."""
    readings = {q: load_status(q, register) for q in sorted(set(quarters), key=Quarter.parse)}
    check_moves(readings)
    return readings


def held_quarters(upto: str) -> list[str]:
    """The quarters with a status file, up to and including `upto`, in order."""
    return [str(q) for q in catalogue.status_quarters(upto)]


def quarter_status(register: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Every register action with this quarter's reading; `status` repeats the stage ('not reported' where none)."""
    merged = register[["action_id", "section", "theme", "owner", "commitment"]].join(
        status[list(STATUS_COLUMNS)], how="left"
    )
    merged["status"] = merged["stage"].fillna(NOT_REPORTED)
    text = [c for c in STATUS_COLUMNS if c != "stage"]
    merged[text] = merged[text].fillna("")
    return merged.reset_index(drop=True)
