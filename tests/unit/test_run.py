from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mapreport.core import paths
from mapreport.core.errors import RunError
from mapreport.pipeline.execute import stderr_output
from mapreport.pipeline.publish import quarter_lock, recover, staging_folder, swap_in


def make_folder(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / "report.html").write_text(text)
    return path


def test_publish_replaces_the_quarter_folder(tmp_project: Path) -> None:
    make_folder(paths.reports_dir() / "2030-31-Q1", "old")
    swap_in(make_folder(tmp_project / "staged", "new"), "2030-31-Q1")
    assert (paths.reports_dir() / "2030-31-Q1/report.html").read_text() == "new"
    assert not (paths.work_dir() / "previous/2030-31-Q1").exists()


def test_recover_restores_a_publish_interrupted_between_its_renames(tmp_project: Path) -> None:
    make_folder(paths.work_dir() / "previous/2030-31-Q1", "old")
    recover("2030-31-Q1")
    assert (paths.reports_dir() / "2030-31-Q1/report.html").read_text() == "old"


def test_recover_drops_the_old_copy_once_the_new_one_is_published(tmp_project: Path) -> None:
    make_folder(paths.work_dir() / "previous/2030-31-Q1", "old")
    make_folder(paths.reports_dir() / "2030-31-Q1", "new")
    recover("2030-31-Q1")
    assert (paths.reports_dir() / "2030-31-Q1/report.html").read_text() == "new"
    assert not (paths.work_dir() / "previous/2030-31-Q1").exists()


def test_a_second_run_on_the_same_quarter_is_refused(tmp_project: Path) -> None:
    with (
        quarter_lock("2030-31-Q1"),
        pytest.raises(RunError, match="already rendering 2030-31-Q1"),
        quarter_lock("2030-31-Q1"),
    ):
        pass


def test_the_lock_is_released_after_a_run(tmp_project: Path) -> None:
    with quarter_lock("2030-31-Q1"):
        pass
    with quarter_lock("2030-31-Q1"):
        pass


def test_stderr_output_finds_the_warning_cell() -> None:
    nb = new_notebook(cells=[new_code_cell("1"), new_code_cell("2")])
    nb.cells[1].outputs = [new_output("stream", name="stderr", text="UserWarning: careful\nmore")]
    assert stderr_output(nbformat.from_dict(nb)) == "cell 1: UserWarning: careful"


def test_stdout_is_not_a_warning() -> None:
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="hello")]
    assert stderr_output(nb) is None


def test_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_project: Path) -> None:
    stale = paths.work_dir() / "staging" / "2030-31-Q1-killed"
    stale.mkdir(parents=True)
    with staging_folder("2030-31-Q1") as staging:
        assert staging.is_dir()
        assert not stale.exists()
    assert not staging.exists()
