"""The command line, in process (click's runner) on a copy of the project: usage errors and validation messages."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mapreport.cli import cli
from mapreport.core import paths
from tests.conftest import quarters_with_params, replace_in


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_run_needs_a_quarter_or_all(tmp_project: Path) -> None:
    result = invoke("run")
    assert result.exit_code == 2
    assert "give --quarter QUARTER (one or more) or --all" in result.output


def test_run_names_an_unknown_quarter_without_a_traceback(tmp_project: Path) -> None:
    result = invoke("run", "--quarter", "2030-31-Q1")
    assert result.exit_code == 2
    assert "params/2030-31-Q1.yaml: no params file for quarter '2030-31-Q1'" in result.output
    assert "Traceback" not in result.output


def test_validate_reports_problems_in_several_files_at_once(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/status/2022-23-Q1.csv", ",delivered,", ",finished,")
    replace_in(tmp_project / "params/2021-22-Q1.yaml", "eia_revision:", "eia_revison:")
    result = invoke("validate")
    assert result.exit_code == 2
    assert "data/status/2022-23-Q1.csv" in result.output
    assert "params/2021-22-Q1.yaml, key 'eia_revison': unknown key" in result.output


def test_validate_passes_on_the_project_data(tmp_project: Path) -> None:
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert f"All inputs valid for {', '.join(quarters_with_params(tmp_project))}." in result.output


def test_verify_without_a_manifest_says_how_to_make_one(tmp_project: Path) -> None:
    result = invoke("verify", "2030-31-Q1")
    assert result.exit_code == 2
    assert "reports/2030-31-Q1/manifest.json: no readable manifest; render the quarter" in result.output


def test_diff_without_reports_is_explained(tmp_project: Path) -> None:
    result = invoke("diff", "2030-31-Q1", "2031-32-Q1")
    assert result.exit_code == 2
    assert "2030-31-Q1 is not published; render it with `mapreport run -q 2030-31-Q1` first" in result.output


def test_diff_of_something_that_is_not_a_quarter_is_an_input_problem(tmp_project: Path) -> None:
    result = invoke("diff", "2022-23-Q1", "../x")
    assert result.exit_code == 2
    assert "diff, argument '../x': '../x' is not a quarter" in result.output


def test_version_and_exit_codes_in_help() -> None:
    assert invoke("--version").output.startswith("mapreport, version ")
    assert "Exit codes: 0 success; 1 a run or verify failure" in invoke("--help").output
    assert "2 an input problem" in invoke("run", "--help").output


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The current folder is an empty one outside any project. $MAPREPORT_ROOT, which `--project-dir` sets for the
    kernels, is emptied before each invocation and restored afterwards."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.setenv(paths.ROOT_ENV, "")
    monkeypatch.chdir(folder)
    paths.project_root.cache_clear()
    yield folder
    paths.project_root.cache_clear()


def invoke_from_here(*args: str) -> Result:
    """Invoke as from a fresh shell in the current folder (no project chosen by an earlier `--project-dir`)."""
    os.environ[paths.ROOT_ENV] = ""
    paths.project_root.cache_clear()
    return invoke(*args)


def test_outside_a_project_every_command_says_so_in_one_line(elsewhere: Path) -> None:
    for args in (["validate"], ["verify"], ["run", "--all"], ["--project-dir", str(elsewhere), "validate"]):
        result = invoke_from_here(*args)
        assert result.exit_code == 2, args
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "mapreport project" in lines[0], (args, result.output)


def test_project_dir_points_at_a_project_from_anywhere(tmp_project: Path, elsewhere: Path) -> None:
    result = invoke_from_here("--project-dir", str(tmp_project), "validate", "--quarter", "2022-23-Q1")
    assert result.exit_code == 0, result.output
    assert "All inputs valid for 2022-23-Q1." in result.output


def test_a_project_with_no_params_is_refused(tmp_project: Path) -> None:
    for params in (tmp_project / "params").glob("*.yaml"):
        params.unlink()
    for args in (["validate"], ["verify"], ["run", "--all"]):
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert result.output.count("\n") == 1, result.output  # one line
        assert result.output.startswith("mapreport: params/ holds no <quarter>.yaml, so there is nothing to check")


def test_an_unknown_report_is_an_input_problem(tmp_project: Path) -> None:
    result = invoke("run", "--quarter", "2022-23-Q1", "--report", "annual_report")
    assert result.exit_code == 2
    assert (
        "--report, annual_report: is not a report; expected one of progress_report, action_history, eia_report, equality_annex"
        in (result.output)
    )
