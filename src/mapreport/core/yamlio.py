"""YAML reading that keeps dates as the text the author wrote and names the file on any error.

The loader is strict where YAML would otherwise say something the author did not mean: a key given twice (YAML
keeps the last silently) and anchors or aliases (`&a`, `*a`, which can expand a small file into gigabytes) are
refused with the file and line. Params and EIA front matter both read through it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from mapreport.core.errors import InputError, excerpt
from mapreport.core.paths import relative


class _Refused(yaml.MarkedYAMLError):
    """A construct the strict loader refuses, with the line where it is."""


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that leaves `2022-06-30` as a string, and refuses duplicate keys, anchors and aliases."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                problem=f"an alias (*{str(event.anchor)[:20]}) repeats another value; write the value out",
                problem_mark=event.start_mark,  # type: ignore[arg-type]
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                problem=f"an anchor (&{str(anchor)[:20]}) is not allowed; write each value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise _Refused(problem="a key is not plain text", problem_mark=key_node.start_mark) from None
            if first is not None:
                raise _Refused(
                    problem=f"key {excerpt(key, 40)} is given twice (first on line {first + 1 + self._offset}); "
                    "keep one",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    _offset = 0


_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, source: Path, first_line: int = 1) -> Any:
    """Parse YAML text, raising InputError with the file and line on a syntax error, a duplicate key or an alias.

    `first_line` is the line of `source` on which `text` starts (front matter starts on line 2).
    """
    loader = _StrictLoader(text)
    loader._offset = first_line - 1
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", None) or exc)[:160]
        if isinstance(exc, _Refused):
            raise InputError.single(relative(source), where, problem) from None
        raise InputError.single(
            relative(source), where, f"is not valid YAML ({problem}); check indentation and quoting"
        ) from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing a missing, empty or non-UTF-8 file, or one holding control characters."""
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
    check_no_control_characters(text, name)
    return text


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters no text input may hold: C0 and C1 controls other than tab, line feed and carriage return."""


def check_no_control_characters(text: str, name: str) -> None:
    """Refuse text holding a NUL or another control character, naming the line and column of the first."""
    if match := CONTROL.search(text):
        found = match.start()
        line = text.count("\n", 0, found) + 1
        column = found - (text.rfind("\n", 0, found) + 1) + 1
        raise InputError.single(
            name,
            f"line {line}, column {column}",
            f"holds the control character U+{ord(text[found]):04X}, which would publish as a stray symbol; "
            "delete it (it often comes from copying out of a PDF or a word processor)",
        )


def load_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path), path)
