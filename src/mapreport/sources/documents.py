"""The source documents that every data row cites."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.hashing import files_signature, sha256_file
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
    sha256: str
    """The SHA-256 of the text as registered: quotes are checked against this text, so it must not drift."""


def signature() -> tuple[tuple[str, str], ...]:
    """The index's and every document file's path and content hash: the same files give the same result."""
    return files_signature(catalogue.documents())


def load_documents() -> pd.DataFrame:
    """Load the document index, checking each listed file exists and is the text registered (its sha256)."""
    return _load_documents(signature()).copy()


@cache
def _load_documents(signature: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    path = catalogue.documents_index()
    frame = read_rows(path, DocumentRow)
    check_unique(frame, ["doc_id"], path)
    missing = [
        Problem(paths.relative(path), f"line {file_line(i)}", f"file {row.file} not found in data/")
        for i, row in frame.iterrows()
        if not (paths.data_dir() / row.file).is_file()
    ]
    missing += [
        Problem(
            paths.relative(path),
            f"line {file_line(i)}, column 'sha256'",
            f"data/{row.file} has changed since it was registered (its sha256 is {digest}); restore the text, or if "
            "the new text is the document's, put this sha256 in the row and re-check the quotes that cite it",
        )
        for i, row in frame.iterrows()
        if (paths.data_dir() / row.file).is_file()
        and (digest := sha256_file(paths.data_dir() / row.file)) != row.sha256
    ]
    if missing:
        raise InputError(missing)
    return frame.set_index("doc_id", drop=False)


def check_citations(frame: pd.DataFrame, path: Path, known: pd.Index, column: str = "source_doc") -> None:
    """Every row must cite a document in the index; one problem per unknown document, naming its lines and the fix."""
    unknown = frame[~frame[column].isin(known)]
    if not unknown.empty:
        problems = []
        for value, rows in unknown.groupby(column, sort=True):
            lines = [file_line(i) for i in rows.index]
            where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(map(str, lines))}"
            problems.append(
                Problem(
                    paths.relative(path),
                    f"{where}, column '{column}'",
                    f"cites unknown document {value!r}; add a row to data/documents.csv for {value!r} (and its text "
                    f"in data/documents/), or correct the id; known: {', '.join(sorted(known))}",
                )
            )
        raise InputError(problems)


def document_texts() -> dict[str, str]:
    """Each listed document's text, normalised for finding quotes in it (documents whose file is missing left out)."""
    return dict(_document_texts(signature()))


@cache
def _document_texts(signature: tuple[tuple[str, str], ...]) -> dict[str, str]:
    from mapreport.sources.quotes import normalise

    texts = {}
    for doc_id, file in load_documents()["file"].items():
        path = paths.data_dir() / str(file)
        if path.is_file():
            texts[str(doc_id)] = normalise(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def known_doc_ids() -> pd.Index:
    """The ids of the documents in the index."""
    return load_documents().index
