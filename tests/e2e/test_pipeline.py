"""Real runs: papermill kernels, nbconvert and publishing, on a copy of the project."""

import html
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapreport.cli import cli
from mapreport.core import paths
from mapreport.core.errors import InputError
from mapreport.core.params import load_params
from mapreport.pipeline.run import run_quarters
from mapreport.pipeline.verify import verify_quarter
from mapreport.reports.registry import REPORTS, names
from tests.conftest import READS, RENDERED_QUARTER, file_hashes, replace_in

Q = RENDERED_QUARTER


def published(root: Path) -> Path:
    return root / "reports" / Q


def test_a_run_publishes_notebooks_views_word_and_manifest(rendered_project: Path) -> None:
    names = set(file_hashes(published(rendered_project)))
    for notebook in ("progress_report", "action_history", "eia_report", "equality_annex"):
        assert {f"{notebook}.ipynb", f"{notebook}.html", f"{notebook}.audit.html"} <= names
    assert {"eia_report.docx", "manifest.json"} <= names


def visible_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def test_the_public_view_has_no_code_and_the_audit_view_has_it(rendered_project: Path) -> None:
    public = visible_text(published(rendered_project) / "progress_report.html")
    audit = visible_text(published(rendered_project) / "progress_report.audit.html")
    assert "progress.load(params)" not in public
    assert "progress.load(params)" in audit
    assert "previous_quarter = " not in public


def test_nothing_is_executed_when_nothing_changed(rendered_project: Path) -> None:
    before = file_hashes(published(rendered_project))
    [result] = run_quarters([Q])
    assert (result.executed, len(result.unchanged)) == ([], len(names()))
    assert file_hashes(published(rendered_project)) == before


def test_a_forced_rerun_gives_byte_identical_outputs_and_leaves_no_staging(rendered_project: Path) -> None:
    before = file_hashes(published(rendered_project))
    run_quarters([Q], force=True)
    assert file_hashes(published(rendered_project)) == before
    staging = paths.work_dir() / "staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_a_changed_input_reexecutes_only_the_notebooks_that_read_it(rendered_project: Path) -> None:
    replace_in(rendered_project / "data/figures/targets.csv", "workforce_officers,", "workforce_officers,", 1)
    (rendered_project / "data/figures/targets.csv").write_text(
        (rendered_project / "data/figures/targets.csv").read_text().replace("\n", "\r\n")
    )
    [result] = run_quarters([Q], workers=1)
    assert result.executed == ["progress_report"]


def test_bad_input_leaves_the_published_reports_byte_identical(rendered_project: Path) -> None:
    before = file_hashes(published(rendered_project))
    replace_in(rendered_project / "data/status/2022-23-Q1.csv", ",delivered,", ",finished,")
    with pytest.raises(InputError, match=r"data/status/2022-23-Q1.csv, line \d+ \(action [^)]+\), column 'stage'"):
        run_quarters([Q])
    assert file_hashes(published(rendered_project)) == before


def test_verify_passes_on_what_was_published(rendered_project: Path) -> None:
    checks = verify_quarter(Q)
    assert checks and all(c.ok for c in checks)


def test_verify_names_a_changed_input(rendered_project: Path) -> None:
    with (rendered_project / "data/register/actions.csv").open("a") as handle:
        handle.write("\n")
    bad = [(c.path, c.state) for c in verify_quarter(Q) if not c.ok]
    assert bad == [
        ("data/register/actions.csv", "changed"),
        # the three reports that read the register; the annex does not
        (f"reports/{Q}/progress_report", "stale"),
        (f"reports/{Q}/action_history", "stale"),
        (f"reports/{Q}/eia_report", "stale"),
    ]


def test_verify_names_a_changed_output(rendered_project: Path) -> None:
    html = published(rendered_project) / "eia_report.html"
    html.write_bytes(html.read_bytes().replace(b"</main>", b"<p>edited</p></main>"))
    bad = [(c.path, c.state) for c in verify_quarter(Q) if not c.ok]
    assert bad == [(f"reports/{Q}/eia_report.html", "changed")]


def word_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))


def test_an_eia_author_edit_reaches_the_html_and_the_word_file(rendered_project: Path) -> None:
    age = rendered_project / "data/eia/2020-11/age.md"
    replace_in(age, "impact: positive", "impact: mixed")
    replace_in(age, 'impact_text: "Positive"', 'impact_text: "Mixed: an edit by the EIA author"')
    [result] = run_quarters([Q])
    assert result.executed == ["eia_report"]
    assert "Mixed: an edit by the EIA author" in visible_text(published(rendered_project) / "eia_report.html")
    assert "Mixed: an edit by the EIA author" in word_text(published(rendered_project) / "eia_report.docx")


# The command line on the rendered quarter


def test_verify_exits_1_on_a_mismatch(rendered_project: Path) -> None:
    (rendered_project / "reports" / RENDERED_QUARTER / "progress_report.ipynb").write_text("{}")
    result = CliRunner().invoke(cli, ["verify", RENDERED_QUARTER])
    assert result.exit_code == 1
    assert "changed" in result.output and "progress_report.ipynb" in result.output


# The input catalogue against reality: every file a kernel opens is declared; editing one makes the report stale


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


def test_a_later_run_in_the_same_process_executes_its_own_project(rendered_project: Path) -> None:
    """The workers are forked from a server that an earlier run of this process started (the session's render, for
    another project, recording its reads): each worker takes this run's environment and folder."""
    import nbformat

    template = rendered_project / "notebooks" / "action_history.ipynb"
    nb = nbformat.read(template, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import os\nprint(os.environ['MAPREPORT_ROOT'])"))
    nbformat.write(nb, template)
    run_quarters([Q], force=True, reports=["action_history", "eia_report"], workers=2)
    executed = nbformat.read(published(rendered_project) / "action_history.ipynb", as_version=4)
    assert executed.cells[2].outputs[0]["text"].strip() == str(rendered_project)
