"""`mapreport new-quarter`: the params file, the document's registration and the status worksheet of a new quarter.

Everything written is a starting point for the analyst to review: the params copy the latest quarter's, the
worksheet has one row per action with the last known reading beside it and, where the document has per-action
blocks ("Action N - ... MPS response - ..."), the response as the update, unreviewed until a stage is set.
Nothing that exists is overwritten.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.hashing import sha256_file
from mapreport.core.params import latest_before, load_params, params_path
from mapreport.core.periods import Quarter
from mapreport.sources import catalogue, status
from mapreport.sources.csvio import csv_text
from mapreport.sources.register import load_register, split_list

DOC_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ACTION_START = re.compile(r"^Action (\d+)\s*[-\u2013\u2014]\s")
_RESPONSE_START = re.compile(r"^MPS response\s*[-\u2013\u2014]\s*")
_FOOTNOTE = re.compile(r"^\d+ [A-Z]")


@dataclass(frozen=True)
class NewDocument:
    """The document a new quarter reports from, as given on the command line."""

    file: Path
    doc_id: str
    title: str
    published: str
    publisher: str = "MPS"


@dataclass(frozen=True)
class LastReading:
    """An action's last known reading before a quarter, and the quarter it was reported in."""

    reading: str
    quarter: str


def _quarter_of(path: Path) -> Quarter | None:
    try:
        return Quarter.parse(path.stem)
    except ValueError:
        return None


def last_known(quarter: str) -> dict[str, LastReading]:
    """Each action's latest reading in the status files of quarters before `quarter` (read as text, unchecked)."""
    before = Quarter.parse(quarter)
    files = [(q, p) for p in (paths.data_dir() / "status").glob("*.csv") if (q := _quarter_of(p)) and q < before]
    readings: dict[str, LastReading] = {}
    for period, path in sorted(files):
        try:
            rows = list(csv.DictReader(io.StringIO(csv_text(path))))
        except InputError:
            continue
        for row in rows:
            reading = (row.get("stage") or row.get("status") or "").strip()
            action = (row.get("action_id") or "").strip()
            if reading and action:
                readings[action] = LastReading(reading, str(period))
    return readings


def action_blocks(text: str) -> dict[str, tuple[str, str]]:
    """MPS action number -> (its response as paragraphs, where it is), for documents with per-action blocks."""
    blocks: dict[str, tuple[str, str]] = {}
    number: str | None = None
    response: list[str] | None = None
    for line in [*text.splitlines(), "Action 0 - end"]:
        if start := _ACTION_START.match(line):
            if number and response:
                paragraphs = "\n".join(response).split("\n\n")
                joined = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
                blocks.setdefault(number, (joined, f"Action {number}, MPS response"))
            number, response = start[1], None
        elif (start := _RESPONSE_START.match(line)) and number:
            response = [line[start.end() :]]
        elif response is not None and not _FOOTNOTE.match(line):
            response.append(line)
    return blocks


def short_title(commitment: str, width: int = 70) -> str:
    """The commitment's first words, cut at a word."""
    words = " ".join(commitment.split())
    return words if len(words) <= width else words[:width].rsplit(" ", 1)[0] + " ..."


def _refuse_existing(quarter: str, document: NewDocument | None) -> None:
    targets = [params_path(quarter), catalogue.status_file(quarter)]
    problems = [
        Problem(paths.relative(t), "", "already exists; new-quarter never overwrites (edit it, or delete it first)")
        for t in targets
        if t.exists()
    ]
    if document is not None:
        problems += _document_problems(document)
    if problems:
        raise InputError(problems)


def _document_problems(document: NewDocument) -> list[Problem]:
    problems = []
    if not document.file.is_file():
        problems.append(Problem(str(document.file), "--document", "file not found; give the document's text file"))
    if not DOC_ID.match(document.doc_id):
        problems.append(
            Problem(
                "--doc-id",
                "",
                f"{document.doc_id!r} is not a document id; use lower case words and digits joined by hyphens: "
                "publisher, kind, date, e.g. mps-oversight-2022-10",
            )
        )
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?", document.published):
        problems.append(
            Problem("--published", "", f"{document.published!r} is not a date; write 2022-10 or 2022-10-27")
        )
    index = catalogue.documents_index()
    if document.doc_id in csv_text(index) and any(
        row["doc_id"] == document.doc_id for row in csv.DictReader(io.StringIO(csv_text(index)))
    ):
        problems.append(Problem(paths.relative(index), "", f"already lists {document.doc_id!r}; choose a new id"))
    return problems


def register_document(document: NewDocument, quarter: Quarter) -> str:
    """Copy the document's text into data/documents/ and add its row (with its sha256) to data/documents.csv."""
    target = paths.data_dir() / "documents" / f"{document.doc_id}.txt"
    shutil.copyfile(document.file, target)
    index = catalogue.documents_index()
    row = {
        "doc_id": document.doc_id,
        "title": document.title,
        "publisher": document.publisher,
        "published": document.published,
        "period_covered": f"{quarter.label} ({quarter})",
        "file": f"documents/{target.name}",
        "original_name": document.file.name,
        "licence": "OGL v3.0",
        "sha256": sha256_file(target),
    }
    text = csv_text(index)
    out = io.StringIO()
    csv.DictWriter(out, list(row), lineterminator="\n").writerow(row)
    index.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")
    return paths.relative(target)


def write_params(quarter: Quarter, latest: str | None) -> str:
    """params/<quarter>.yaml from the latest quarter's, with previous_quarter and the annex months set."""
    if latest is None:
        raise InputError.single(
            paths.relative(paths.params_dir()), "", "holds no earlier quarter to start from; write the params by hand"
        )
    base = load_params(latest)
    annex = base.annex
    text = f"""# {quarter.label}: written by `mapreport new-quarter` from {latest}'s params; review and edit.
quarter: {quarter}
previous_quarter: {latest}
eia_revision: "{base.eia_revision}"
annex:
  # police.uk months are not set here: the annex uses the files held in data/sources/stop_search/ for the
  # quarter's own months and names any missing (add new months' files there, with their rows in SOURCES.csv).
  suppression_threshold: {annex.suppression_threshold}
  pas_base_mps: {annex.pas_base_mps}
  pas_base_borough: {annex.pas_base_borough}
"""
    path = params_path(str(quarter))
    path.write_text(text, encoding="utf-8")
    return paths.relative(path)


def write_worksheet(quarter: Quarter, document: NewDocument | None) -> tuple[str, int]:
    """data/status/<quarter>.csv: one row per action; returns its path and how many updates were pre-filled."""
    register = load_register()
    last = last_known(str(quarter))
    blocks = action_blocks(document.file.read_text(encoding="utf-8")) if document else {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "action_id", *status.STATUS_COLUMNS, *status.WORKSHEET_HELPERS])
    prefilled = 0
    for action_id, action in register.iterrows():
        numbers = split_list(str(action["mps_action"]))
        found = next((blocks[n] for n in numbers if n in blocks), None)
        update, ref = found if found else ("", "")
        prefilled += bool(found)
        known = last.get(str(action_id))
        writer.writerow(
            [
                str(quarter),
                action_id,
                "",  # stage: the analyst's reading; empty = unreviewed
                "",
                "",
                "",
                update,
                document.doc_id if found and document else "",
                ref,
                "; ".join(numbers),
                short_title(str(action["commitment"])),
                known.reading if known else "never reported",
                known.quarter if known else "",
            ]
        )
    path = catalogue.status_file(str(quarter))
    path.write_text(out.getvalue(), encoding="utf-8")
    return paths.relative(path), prefilled


def new_quarter(quarter_text: str, document: NewDocument | None = None) -> list[str]:
    """Write a new quarter's params, register its document, write its worksheet; return what was done, line by line."""
    try:
        quarter = Quarter.parse(quarter_text)
    except ValueError as exc:
        raise InputError.single("QUARTER", "", str(exc)) from None
    _refuse_existing(str(quarter), document)
    latest = latest_before(str(quarter))
    done = [f"wrote {write_params(quarter, latest)} (previous_quarter: {latest})"]
    if document is not None:
        done.append(f"registered {document.doc_id}: copied to {register_document(document, quarter)}")
    sheet, prefilled = write_worksheet(quarter, document)
    done.append(
        f"wrote {sheet}: one row per action, {prefilled} update(s) pre-filled from the document; "
        "set each row's stage and schedule, or delete rows the document does not report on"
    )
    return done
