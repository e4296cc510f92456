"""The command line on a freshly rendered quarter (the session's real `mapreport run`, see tests/conftest.py)."""

from pathlib import Path

from click.testing import CliRunner

from mapreport.cli import cli
from tests.conftest import RENDERED_QUARTER


def test_verify_exits_1_on_a_mismatch(rendered_project: Path) -> None:
    (rendered_project / "reports" / RENDERED_QUARTER / "progress_report.ipynb").write_text("{}")
    result = CliRunner().invoke(cli, ["verify", RENDERED_QUARTER])
    assert result.exit_code == 1
    assert "changed" in result.output and "progress_report.ipynb" in result.output
