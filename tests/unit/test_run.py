import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mapreport.core import paths
from mapreport.core.errors import RunError
from mapreport.core.hashing import sha256_file
from mapreport.pipeline.execute import Job, _keep, stderr_output
from mapreport.pipeline.plan import altered_outputs, expected_outputs
from mapreport.pipeline.publish import quarter_lock, recover, staging_folder, swap_in
from mapreport.reports.registry import REPORTS


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


def _job(tmp_path: Path) -> Job:
    return Job("2030-31-Q1", "progress_report", {}, tmp_path / "staging", tmp_path / "failed", 10)


def test_an_empty_notebook_left_by_a_full_disk_is_not_kept(tmp_path: Path) -> None:
    job = _job(tmp_path)
    job.staging.mkdir()
    (job.staging / "progress_report.ipynb").write_bytes(b"")
    assert _keep(job, job.staging / "progress_report.ipynb").startswith("no notebook was kept")
    assert not list(tmp_path.glob("failed/*"))


def test_a_kept_notebook_is_whole_or_absent_when_copying_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    job = _job(tmp_path)
    job.staging.mkdir()
    (job.staging / "progress_report.ipynb").write_text("{}")

    def full_disk(source: Path, target: Path) -> None:
        Path(target).write_text("{")  # a partial copy, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full_disk)
    assert "could not be kept (No space left on device)" in _keep(job, job.staging / "progress_report.ipynb")
    assert not list((tmp_path / "failed").glob("*"))


def test_a_plain_run_re_renders_a_report_whose_output_is_missing_or_altered(tmp_path: Path) -> None:
    report = next(r for r in REPORTS if r.extra_outputs)
    for name in expected_outputs(report):
        (tmp_path / name).write_text(name)
    recorded = {
        "notebooks": {report.name: {}},
        "outputs": [{"path": f"reports/q/{n}", "sha256": sha256_file(tmp_path / n)} for n in expected_outputs(report)],
    }
    assert altered_outputs(tmp_path, recorded, (report,)) == {}
    (tmp_path / f"{report.name}.docx").unlink()
    (tmp_path / f"{report.name}.html").write_text("tampered")
    assert altered_outputs(tmp_path, recorded, (report,)) == {
        report.name: [f"{report.name}.html", f"{report.name}.docx"]
    }
