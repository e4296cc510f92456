"""The source documents that every data row cites."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.sources import catalogue
from mapreport.sources.csvio import check_unique, file_line, read_rows


class DocumentRow(BaseModel):
    """One source document."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    publisher: str
    published: str
    period_covered: str
    file: str
    original_name: str
    licence: str


def load_documents() -> pd.DataFrame:
    """Load the document index, checking each listed file exists."""
    path = catalogue.documents_index()
    frame = read_rows(path, DocumentRow)
    check_unique(frame, ["doc_id"], path)
    missing = [
        Problem(paths.relative(path), f"line {file_line(i)}", f"file {row.file} not found in data/")
        for i, row in frame.iterrows()
        if not (paths.data_dir() / row.file).is_file()
    ]
    if missing:
        raise InputError(missing)
    return frame.set_index("doc_id", drop=False)


def check_citations(frame: pd.DataFrame, path: Path, known: pd.Index, column: str = "source_doc") -> None:
    """Every row must cite a document in the index."""
    unknown = frame[~frame[column].isin(known)]
    if not unknown.empty:
        raise InputError(
            [
                Problem(
                    paths.relative(path),
                    f"line {file_line(i)}, column '{column}'",
                    f"cites unknown document {value!r}; expected one of {sorted(known)}",
                )
                for i, value in unknown[column].items()
            ]
        )


def known_doc_ids() -> pd.Index:
    """The ids of the documents in the index."""
    return load_documents().index
