"""The action register: every action of the plan (EIA Appendix A) with its crosswalk to other numbering."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from mapreport.core import paths
from mapreport.core.errors import InputError
from mapreport.sources import catalogue
from mapreport.sources.csvio import check_unique, read_rows
from mapreport.sources.documents import check_citations, known_doc_ids

ACTION_ID = re.compile(r"^[1-5]\.[a-z]$")


def split_list(text: str) -> list[str]:
    """Split a ';'-separated cell into its stripped items."""
    return [item.strip() for item in text.split(";") if item.strip()]


class ActionRow(BaseModel):
    """One action of the plan."""

    model_config = ConfigDict(extra="forbid")

    action_id: str
    section: int
    theme: str
    source_letter: str
    owner: str
    commitment: str
    due: str
    june2022_chapter: str
    mps_action: str
    source_doc: str
    source_ref: str

    @field_validator("action_id")
    @classmethod
    def _action_id(cls, value: str) -> str:
        if not ACTION_ID.match(value):
            raise ValueError("expected an action id like 1.a (section 1 to 5, a letter)")
        return value

    @field_validator("theme", "commitment", "source_doc", "source_ref")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty; every action needs it")
        return value.strip()


def load_register(path: Path | None = None) -> pd.DataFrame:
    """Load and check the action register; ids are unique and their section matches."""
    path = path or catalogue.register_file()
    frame = read_rows(path, ActionRow)
    check_unique(frame, ["action_id"], path)
    check_citations(frame, path, known_doc_ids())
    mismatch = frame[frame["action_id"].str[0].astype(int) != frame["section"]]
    if not mismatch.empty:
        row = mismatch.index[0]
        raise InputError.single(
            paths.relative(path),
            f"line {row + 2}",
            f"action_id {mismatch.iloc[0]['action_id']} is not in section {mismatch.iloc[0]['section']}",
        )
    return frame.set_index("action_id", drop=False)
