"""YAML reading that keeps dates as the text the author wrote and names the file on any error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mapreport.core.errors import InputError
from mapreport.core.paths import relative


class _TextDatesLoader(yaml.SafeLoader):
    """A safe loader that leaves `2022-06-30` as a string instead of making it a date."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, source: Path, first_line: int = 1) -> Any:
    """Parse YAML text, raising InputError with the file and line on a syntax error.

    `first_line` is the line of `source` on which `text` starts (front matter starts on line 2).
    """
    try:
        return yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError.single(
            relative(source), where, f"is not valid YAML ({problem}); check indentation and quoting"
        ) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing a missing, empty or non-UTF-8 file with a clear message."""
    name = relative(path)
    if not path.is_file():
        raise InputError.single(name, "", "file not found; expected it to exist (check the name and folder)")
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise InputError.single(name, "start of file", "has a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(name, f"line {line}", "is not UTF-8 text; save the file as UTF-8") from None
    if not text.strip():
        raise InputError.single(name, "", "is empty; expected content")
    return text


def load_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path), path)
