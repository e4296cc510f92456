"""The command line, in process (click's runner) on a copy of the project: usage errors and validation messages."""

from pathlib import Path

from click.testing import CliRunner, Result

from mapreport.cli import cli
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
    assert "no reports found for these quarters" in result.output
