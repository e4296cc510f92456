"""Published files parsed once per process: an edited file is parsed again, callers get copies, problems recur."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapreport.core.errors import InputError
from mapreport.sources.memo import parsed

calls: list[Path] = []


def count_rows(path: Path) -> pd.DataFrame:
    calls.append(path)
    text = path.read_text(encoding="utf-8")
    if "bad" in text:
        raise InputError.single(path.name, "line 1", "is bad")
    return pd.DataFrame({"line": text.splitlines()})


def test_a_file_is_parsed_once_until_it_changes_and_each_caller_gets_a_copy(tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    source.write_text("x\ny\n", encoding="utf-8")
    calls.clear()
    first = parsed(count_rows, source)
    first.loc[0, "line"] = "changed by a caller"
    second = parsed(count_rows, source)
    assert len(calls) == 1
    assert second["line"].tolist() == ["x", "y"]
    source.write_text("x\ny\nz\n", encoding="utf-8")
    assert parsed(count_rows, source)["line"].tolist() == ["x", "y", "z"]
    assert len(calls) == 2


def test_a_problem_is_raised_on_every_call(tmp_path: Path) -> None:
    source = tmp_path / "b.csv"
    source.write_text("bad\n", encoding="utf-8")
    calls.clear()
    for _ in range(2):
        with pytest.raises(InputError, match="is bad"):
            parsed(count_rows, source)
    assert len(calls) == 2
