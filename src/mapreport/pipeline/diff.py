"""What changed between two quarters' reports, table by table, in terms a reviewer can read."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from mapreport.core import paths
from mapreport.core.errors import InputError, RunError, excerpt
from mapreport.core.periods import Quarter
from mapreport.pipeline import publish
from mapreport.reports.registry import names

_QUARTER = re.compile(
    r"\d{4}-\d{2}-Q[1-4]"
    r"|(?:April to June|July to September|October to December|January to March) \d{4}"  # the quarter in words
)


@dataclass
class Table:
    """A table read back from a report's HTML output."""

    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class _TableReader(HTMLParser):
    """Collect caption, header and body cells of every <table> (the reports' own simple markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            table = self.tables[-1]
            if not table.header:
                table.header = self._row
            else:
                table.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_caption and self.tables:
            self.tables[-1].caption += data
        elif self._cell is not None:
            self._cell.append(data)


def report_tables(notebook: Path) -> dict[str, Table]:
    """Every table in an executed notebook's outputs, keyed by its caption with quarter names masked."""
    reader = _TableReader()
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            reader.feed(output.get("data", {}).get("text/html", ""))
    return {_QUARTER.sub("<quarter>", t.caption.strip()): t for t in reader.tables}


SHORT = 80
"""Cells up to this many characters are shown whole, old -> new; longer ones as a word-level diff."""
COMPARISONS = ("Status changes",)
"""Tables that are themselves a comparison of two quarters: comparing two of them with each other says nothing."""


def word_diff(old: str, new: str, context: int = 3, limit: int = 240) -> str:
    """The words that changed, `[-removed-] {+added+}`, with a few words of context around each change."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    if matcher.ratio() < 0.5:
        return f"rewritten: now '{' '.join(after[:12])}{' ...' if len(after) > 12 else ''}' ({len(after)} words)"
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            words = before[i1:i2]
            first, last = i1 == 0, i2 == len(before)
            if len(words) > 2 * context or first or last:
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                parts += [*head, "...", *tail] if len(words) > context else words
            else:
                parts += words
            continue
        if i2 > i1:
            parts.append(f"[-{' '.join(before[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{' '.join(after[j1:j2])}+}}")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 4].rsplit(" ", 1)[0] + " ..."


def cell_change(name: str, old: str, new: str) -> str:
    """One changed cell: short values whole, long text as the words that changed."""
    if len(old) <= SHORT and len(new) <= SHORT:
        return f"{name}: {old!r} -> {new!r}"
    return f"{name}: {word_diff(old, new)}"


def _row_changes(old: Table, new: Table) -> list[str]:
    """Rows keyed by their first cell: added, removed, or changed cell by cell."""
    before = {r[0]: r for r in old.rows if r}
    after = {r[0]: r for r in new.rows if r}
    lines = [f"  + {key}: {' | '.join(after[key][1:])}" for key in after if key not in before]
    lines += [f"  - {key}: {' | '.join(before[key][1:])}" for key in before if key not in after]
    header = new.header if new.header == old.header else None
    for key in (k for k in after if k in before and after[k] != before[k]):
        cells = []
        for i, (a, b) in enumerate(zip(before[key], after[key], strict=False)):
            if a != b:
                name = header[i] if header and i < len(header) else f"column {i + 1}"
                cells.append(cell_change(name, a, b))
        if sum(len(c) for c in cells) <= 120:
            lines.append(f"  ~ {key}: " + "; ".join(cells))
        else:
            lines += [f"  ~ {key}:", *(f"      {c}" for c in cells)]
    return lines


def _require_published(quarter: str) -> None:
    """A quarter to compare must be a quarter and be published; an interrupted publish is explained."""
    try:
        Quarter.parse(quarter)
    except ValueError as exc:
        raise InputError.single("diff", f"argument {excerpt(quarter)}", str(exc)) from None
    folder = paths.reports_dir() / quarter
    if folder.is_dir():
        return
    if kept := publish.interrupted(quarter):
        raise RunError(f"reports/{quarter} is missing: {publish.interrupted_message(quarter, kept)}")
    raise InputError.single(
        paths.relative(folder), "", f"{quarter} is not published; render it with `mapreport run -q {quarter}` first"
    )


def _unique_keys(table: Table) -> bool:
    keys = [r[0] for r in table.rows if r]
    return len(keys) == len(set(keys))


def status_moves(old: dict[str, Table], new: dict[str, Table]) -> list[str]:
    """Every action's status move between two reports, grouped by move: `on track -> delivered: 1.a, 3.j`."""
    moves: dict[str, list[str]] = {}
    for caption, table in new.items():
        key = "Stage" if "Stage" in table.header else "Status"
        if caption not in old or key not in table.header or table.header != old[caption].header:
            continue
        if not all(_unique_keys(t) for t in (table, old[caption])):  # rows not one per action: not moves
            continue
        column = table.header.index(key)
        before = {r[0]: r[column] for r in old[caption].rows if len(r) > column}
        for row in table.rows:
            if len(row) > column and row[0] in before and before[row[0]] != row[column]:
                moves.setdefault(f"{before[row[0]]} -> {row[column]}", []).append(row[0])
    if not moves:
        return []
    count = sum(len(actions) for actions in moves.values())
    return [
        f" status moves ({count}):",
        *(f"  {move}: {', '.join(actions)}" for move, actions in sorted(moves.items())),
    ]


def diff_quarters(first: str, second: str) -> list[str]:
    """A readable account of what changed between two quarters' published reports."""
    for quarter in (first, second):
        _require_published(quarter)
    lines = [f"Changes from {first} to {second} (tables matched by caption; rows by their first cell):"]
    for notebook in names():
        files = [paths.reports_dir() / q / f"{notebook}.ipynb" for q in (first, second)]
        missing = [f for f in files if not f.is_file()]
        if missing:
            if len(missing) == 1:
                lines.append(f"\n{notebook}: only in {first if missing[0] == files[1] else second}")
            continue
        old, new = report_tables(files[0]), report_tables(files[1])
        lines.append(f"\n{notebook}:")
        body = status_moves(old, new)
        body += [f" table added: {c}" for c in new if c not in old]
        body += [f" table removed: {c}" for c in old if c not in new]
        for caption in (c for c in new if c in old and not c.startswith(COMPARISONS)):
            changes = _row_changes(old[caption], new[caption])
            if changes:
                body.append(f" {caption}:")
                body += changes
        lines += body or [" no table changed"]
    if len(lines) == 1:
        raise InputError.single(
            paths.relative(paths.reports_dir()),
            f"{first}, {second}",
            "no reports found for these quarters; render them with `mapreport run` first",
        )
    return lines
