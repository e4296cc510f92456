"""Quarterly status updates: one row per action reported on, with an ordered status."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.periods import Quarter
from mapreport.sources import catalogue, worksheet
from mapreport.sources.csvio import check_unique, file_line, gather, line_values, read_rows
from mapreport.sources.documents import check_citations, document_texts, known_doc_ids
from mapreport.sources.quotes import unmatched_words
from mapreport.sources.register import split_list

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
        value = " ".join(value.split()).lower()  # as a spreadsheet may hold it: 'Delivered ', 'On  track'
        if value not in REPORTED_STATUSES:
            raise ValueError(f"unknown status; expected one of {', '.join(REPORTED_STATUSES)}")
        return value

    @field_validator("update", "source_ref")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty; every status row needs it")
        return value.strip()


def _read(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """A status file in today's columns, or a worksheet (`mapreport new-quarter`) read into them, with the problem
    of its unreviewed rows (reported with the file's other problems)."""
    if not worksheet.is_worksheet(path):
        return read_rows(path, StatusRow), []
    frame = worksheet.read_worksheet(path)
    frame["status"] = [worksheet.legacy_status(a, b) for a, b in zip(frame["stage"], frame["schedule"], strict=True)]
    return frame[list(StatusRow.model_fields)], worksheet.unreviewed(frame, path)


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


def unknown_action(action_id: str, register: pd.DataFrame) -> str:
    """The message for an action id not in the register, with the register's id where it is an MPS action number."""
    message = f"{action_id!r} is not in the action register (data/register/actions.csv)"
    matches = [str(a) for a, numbers in register["mps_action"].items() if action_id.strip() in split_list(str(numbers))]
    if matches:
        return (
            f"{message}; it is an MPS action number: register MPS action {action_id.strip()} is {' / '.join(matches)}"
        )
    return f"{message}; expected an id like 1.a"


def load_status(quarter: str, register: pd.DataFrame) -> pd.DataFrame:
    """Load one quarter's status file, checked against the register; every problem of the file at once."""
    path = catalogue.status_file(quarter)
    try:
        frame, problems = _read(path)
    except InputError as exc:
        raise _actions_named(exc, path) from None
    name = paths.relative(path)
    wrong_period = frame[frame["period"] != quarter]
    unknown = frame[~frame["action_id"].isin(register.index)]
    problems += [
        Problem(name, f"line {file_line(i)}, column 'period'", f"is {p!r} but the file is for {quarter}")
        for i, p in wrong_period["period"].items()
    ] + [
        Problem(name, f"line {file_line(i)}, column 'action_id'", unknown_action(str(a), register))
        for i, a in unknown["action_id"].items()
    ]
    # an unreviewed worksheet row (refused above) may have no source yet: its citation is not checked
    cited = frame[frame["source_doc"] != ""] if worksheet.is_worksheet(path) else frame
    problems += gather(
        lambda: check_unique(frame, ["action_id"], path),
        lambda: check_citations(cited, path, known_doc_ids()),
    )
    problems += check_updates(cited, path)
    if problems:
        raise InputError(problems)
    frame["status"] = frame["status"].astype(STATUS_TYPE)
    return frame.set_index("action_id", drop=False)


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


def quarter_status(register: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Every register action with its status this quarter; actions with no update are 'not reported'."""
    merged = register[["action_id", "section", "theme", "owner", "commitment"]].join(
        status[["status", "update", "source_doc", "source_ref"]], how="left"
    )
    merged["status"] = merged["status"].astype(STATUS_TYPE).fillna(NOT_REPORTED)
    merged[["update", "source_doc", "source_ref"]] = merged[["update", "source_doc", "source_ref"]].fillna("")
    return merged.reset_index(drop=True)
