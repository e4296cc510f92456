"""Published files parsed once per run: an edited file or changed code is parsed again, callers get copies, problems
recur, and a later process (a kernel) reads the frame from disk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapreport.core.errors import InputError
from mapreport.sources import memo
from mapreport.sources.memo import parsed

calls: list[Path] = []


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "parsed"
    monkeypatch.setenv(memo.CACHE_ENV, str(folder))
    memo._PARSED.clear()
    return folder


def count_rows(path: Path) -> pd.DataFrame:
    calls.append(path)
    text = path.read_text(encoding="utf-8")
    if "bad" in text:
        raise InputError.single(path.name, "line 1", "is bad")
    return pd.DataFrame({"line": text.splitlines()})


def test_a_file_is_parsed_once_until_it_changes_and_each_caller_gets_a_copy(tmp_path: Path, fresh_cache: Path) -> None:
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


def test_a_problem_is_raised_on_every_call(tmp_path: Path, fresh_cache: Path) -> None:
    source = tmp_path / "b.csv"
    source.write_text("bad\n", encoding="utf-8")
    calls.clear()
    for _ in range(2):
        with pytest.raises(InputError, match="is bad"):
            parsed(count_rows, source)
    assert len(calls) == 2


def test_a_later_process_reads_the_parsed_frame_from_disk(tmp_path: Path, fresh_cache: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("x\ny\n", encoding="utf-8")
    calls.clear()
    parsed(count_rows, source)
    memo._PARSED.clear()  # as a new kernel would start
    assert parsed(count_rows, source)["line"].tolist() == ["x", "y"]
    assert len(calls) == 1
    assert len(list(fresh_cache.glob("*.pickle"))) == 1


def test_a_code_change_or_a_corrupt_entry_parses_again(
    tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "d.csv"
    source.write_text("x\n", encoding="utf-8")
    calls.clear()
    parsed(count_rows, source)
    memo._PARSED.clear()
    monkeypatch.setattr(memo, "_code", lambda: "another version of the loaders")
    parsed(count_rows, source)
    assert len(calls) == 2
    for entry in fresh_cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    memo._PARSED.clear()
    assert parsed(count_rows, source)["line"].tolist() == ["x"]
    assert len(calls) == 3


def test_a_check_runs_once_per_run_for_its_inputs_and_a_failing_check_every_time(
    tmp_path: Path, fresh_cache: Path
) -> None:
    source = tmp_path / "e.csv"
    source.write_text("x\n", encoding="utf-8")
    calls.clear()

    def check() -> pd.DataFrame:
        return count_rows(source)

    first = memo.checked("test.check", ("e.csv", source.read_text()), check)
    first.loc[0, "line"] = "changed by a caller"
    memo._PARSED.clear()  # a new kernel: the check is read from disk
    assert memo.checked("test.check", ("e.csv", source.read_text()), check)["line"].tolist() == ["x"]
    assert len(calls) == 1
    source.write_text("x\ny\n", encoding="utf-8")  # other inputs: checked again
    assert memo.checked("test.check", ("e.csv", source.read_text()), check)["line"].tolist() == ["x", "y"]
    source.write_text("bad\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="is bad"):
            memo.checked("test.check", ("e.csv", source.read_text()), check)
    assert len(calls) == 4
