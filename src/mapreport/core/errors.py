"""The one exception family: every message says what failed, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def excerpt(value: object, limit: int = 60) -> str:
    """A value as a message shows it: its repr, cut to `limit` characters (a message never prints a whole value)."""
    shown = repr(value)
    return shown if len(shown) <= limit else f"{shown[: limit - 1]}…"


class MapreportError(Exception):
    """Base class of every error mapreport raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in one input: the file, where in it, and what was expected."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}, {self.where}" if self.where else self.file
        return f"{location}: {self.message}"


class InputError(MapreportError):
    """One or more inputs are invalid; nothing was run or written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems]
        super().__init__("\n".join(lines))

    @classmethod
    def single(cls, file: str | Path, where: str, message: str) -> InputError:
        """Build an error for one problem."""
        return cls([Problem(str(file), where, message)])


class ProjectNotFound(MapreportError):
    """No mapreport project where one was looked for; nothing was read or written."""


class RunError(MapreportError):
    """A notebook failed while executing or rendering; reports/ was left as it was."""
