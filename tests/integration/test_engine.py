"""The papermill engine jobs run with: the executed notebook is written once, when execution ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mapreport.pipeline import execute


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notebook write papermill makes (its engine's saves and its final write), by path."""
    from papermill import engines
    from papermill import execute as papermill_execute

    made: list[str] = []
    real = engines.write_ipynb

    def counted(nb: Any, path: str, **kwargs: Any) -> None:
        made.append(path)
        real(nb, path, **kwargs)

    monkeypatch.setattr(engines, "write_ipynb", counted)
    monkeypatch.setattr(papermill_execute, "write_ipynb", counted)
    return made


def _notebook(tmp_path: Path, *sources: str) -> Path:
    path = tmp_path / "in.ipynb"
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _execute(source: Path, output: Path, engine: str | None) -> Any:
    execute._register_engine()
    return papermill.execute_notebook(
        str(source), str(output), kernel_name="python3", engine_name=engine, progress_bar=False, log_output=False
    )


def test_papermills_own_engine_writes_the_notebook_at_every_cell(tmp_path: Path, writes: list[str]) -> None:
    """The cost the engine removes: without it, each of three cells writes the notebook before and after."""
    _execute(_notebook(tmp_path, "print(1)", "print(2)", "print(3)"), tmp_path / "out.ipynb", None)
    assert len(writes) > 6


def test_the_engine_writes_the_notebook_when_execution_ends_with_every_output(
    tmp_path: Path, writes: list[str]
) -> None:
    output = tmp_path / "out.ipynb"
    nb = _execute(_notebook(tmp_path, "print(1)", "print(2)", "print(3)"), output, execute.ENGINE)
    assert writes == [str(output)] * 2  # the engine's one save as execution ends, then papermill's final write
    written = nbformat.read(output, as_version=4)
    assert [c.outputs[0]["text"] for c in written.cells] == ["1\n", "2\n", "3\n"]
    assert written == nb


def test_a_notebook_whose_cell_fails_is_still_written_with_the_error(tmp_path: Path, writes: list[str]) -> None:
    output = tmp_path / "out.ipynb"
    with pytest.raises(papermill.PapermillExecutionError):
        _execute(_notebook(tmp_path, "print(1)", "1 / 0", "print(3)"), output, execute.ENGINE)
    assert writes and set(writes) == {str(output)}
    outputs = [o for c in nbformat.read(output, as_version=4).cells for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ZeroDivisionError" for o in outputs)
