"""The input catalogue against reality: every file a report's kernel opens is declared, and editing a declared input
makes `verify` call the report stale and `run` re-execute it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mapreport.cli import cli
from mapreport.core import paths
from mapreport.core.params import load_params
from mapreport.reports.registry import REPORTS
from tests.conftest import READS, RENDERED_QUARTER


def test_every_file_a_report_reads_is_declared(rendered_base: Path) -> None:
    """`rendered_base` rendered every report of one quarter with the read recorder on (mapreport.core.readlog)."""
    params = load_params(RENDERED_QUARTER)
    for report in REPORTS:
        log = rendered_base.parent / READS / f"{RENDERED_QUARTER}--{report.name}.txt"
        read = {line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith(("data/", "params/"))}
        declared = {paths.relative(p) for p in report.inputs(params)}
        assert read, f"{report.name}: no read recorded (is the recorder working?)"
        assert read <= declared, f"{report.name} read files it does not declare: {sorted(read - declared)}"


def test_editing_a_measure_title_makes_the_progress_report_stale_then_rerun(rendered_project: Path) -> None:
    quarter = RENDERED_QUARTER
    measures = rendered_project / "data/figures/measures.csv"
    text = measures.read_text(encoding="utf-8")
    assert "Trust in the MPS" in text
    measures.write_text(text.replace("Trust in the MPS", "Trust in the Metropolitan Police", 1), encoding="utf-8")

    before = CliRunner().invoke(cli, ["verify", quarter])
    assert before.exit_code == 1
    assert f"stale           report   reports/{quarter}/progress_report" in before.output
    assert "data/figures/measures.csv" in before.output

    run = CliRunner().invoke(cli, ["run", "--quarter", quarter])
    assert run.exit_code == 0, run.output
    assert f"{quarter}: progress_report done" in run.output
    assert "equality_annex done" not in run.output
    html = (rendered_project / "reports" / quarter / "progress_report.html").read_text(encoding="utf-8")
    assert "Trust in the Metropolitan Police" in html

    after = CliRunner().invoke(cli, ["verify", quarter])
    assert after.exit_code == 0, after.output
