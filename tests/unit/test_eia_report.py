import hashlib
import shutil
from pathlib import Path

import pytest

from mapreport.core.params import load_params
from mapreport.reports import eia as eia_report
from mapreport.sources import status
from tests.conftest import replace_in

Q = "2022-23-Q1"


@pytest.fixture
def q1(tmp_project: Path) -> eia_report.EiaData:
    return eia_report.load(load_params(Q))


def test_the_summary_has_nine_rows_with_action_counts(q1: eia_report.EiaData) -> None:
    summary = eia_report.summary(q1).set_index("Characteristic")
    assert len(summary) == 9
    assert summary.loc["Race", "Mitigating actions"] == len(q1.assessment.characteristics[5].fields.mitigating_actions)


def test_delivery_is_cumulative_with_the_quarter_last_reported(q1: eia_report.EiaData) -> None:
    """5.c and 2.d were delivered in 2021-22-Q4 and have no row in 2022-23-Q1: they stay delivered."""
    delivered = eia_report.delivered(q1).set_index("Action")
    assert delivered.loc[["5.c", "2.d"], "Last reported"].tolist() == ["2021-22-Q4", "2021-22-Q4"]
    assert not {"5.c", "2.d"} & set(eia_report.gaps(q1)["Action"])


def test_the_latest_known_status_takes_the_newest_reading(tmp_project: Path) -> None:
    """A later quarter's reading replaces an earlier one; an action never reported reads 'not reported'."""
    params = load_params(Q)
    register = eia_report.load_register()
    latest = eia_report._latest_known_status(params, register)
    assert latest.loc["1.a", ["status", "reported_in"]].tolist() == ["delivered", Q]
    assert latest.loc["3.h", ["status", "reported_in"]].tolist() == [status.NOT_REPORTED, ""]


def test_a_status_file_of_a_later_quarter_is_not_read(tmp_project: Path) -> None:
    later = tmp_project / "data/status/2022-23-Q2.csv"
    shutil.copyfile(tmp_project / f"data/status/{Q}.csv", later)
    later.write_text(later.read_text(encoding="utf-8").replace(f"{Q},", "2022-23-Q2,"), encoding="utf-8")
    data = eia_report.load(load_params(Q))
    assert set(data.delivery["reported_in"]) <= {"", "2021-22-Q1", "2021-22-Q4", Q}


def test_gaps_list_each_undelivered_action_once_with_the_characteristics_it_serves(q1: eia_report.EiaData) -> None:
    gaps = eia_report.gaps(q1)
    assert gaps["Action"].is_unique
    assert "delivered" not in set(gaps[f"Latest known status, {Q}"])
    row = gaps.set_index("Action").loc["3.h"]
    assert row["Last reported"] == "never reported"
    assert row["Characteristics it serves"] == "Race"


def test_characteristics_without_a_specific_action_are_named_once(q1: eia_report.EiaData) -> None:
    text = str(eia_report.no_specific_action(q1).data)
    assert "Disability, Gender reassignment, Marriage and civil partnership" in text


def test_the_grid_counts_delivered_actions_by_theme(q1: eia_report.EiaData) -> None:
    grid = eia_report.grid(q1).set_index("Characteristic")
    assert grid.shape == (9, 5)
    assert grid.loc["Disability"].tolist() == ["–"] * 5
    race = [int(cell.split(" of ")[1]) for cell in grid.loc["Race"]]
    assert sum(race) == 43


def test_the_impact_is_said_once(q1: eia_report.EiaData) -> None:
    html = str(eia_report.characteristics(q1).data)
    assert "positive. Positive" not in html
    assert html.count("<strong>Assessed impact:</strong> Positive.") == 9


def test_the_evidence_is_dated_to_the_assessment(q1: eia_report.EiaData) -> None:
    html = str(eia_report.characteristics(q1).data)
    assert html.count("Evidence at the time of the assessment (November 2020)") == 9


def test_no_table_is_made_only_of_none(q1: eia_report.EiaData) -> None:
    parts = [
        eia_report.actions_section(q1, "gaps"),
        eia_report.actions_section(q1, "delivered"),
        eia_report.characteristics(q1),
        eia_report.evidence_now(q1),
        eia_report.revision_changes(q1),
    ]
    assert not any(">None.<" in str(p.data) or ">No entries.<" in str(p.data) for p in parts)


def test_the_cover_has_every_field_of_the_plan(q1: eia_report.EiaData) -> None:
    cover = eia_report.cover(q1).set_index("Field")["Value"]
    assert list(cover.index) == [
        "Title",
        "Edition",
        "Owner",
        "Version",
        "Date of assessment",
        "Signed off by",
        "Date of sign-off",
        "Review date",
    ]
    assert cover["Signed off by"] == "Not stated in the published EIA"
    assert "April to June 2022" in cover["Edition"]


def test_the_first_revision_says_so(q1: eia_report.EiaData) -> None:
    assert q1.changes.previous is None
    assert "This is the first revision of the EIA held" in str(eia_report.revision_changes(q1).data)


def test_a_second_revision_shows_what_changed(tmp_project: Path) -> None:
    new = tmp_project / "data/eia/2023-01"
    shutil.copytree(tmp_project / "data/eia/2020-11", new)
    replace_in(new / "age.md", "impact: positive", "impact: mixed")
    replace_in(new / "age.md", '"1.a", ', "")
    replace_in(new / "sex.md", "## Policy\n", "## Policy\n\nA sentence added in the new revision.\n")
    replace_in(new / "_plan.md", 'review_date: "Not stated in the published EIA"', 'review_date: "March 2024"')
    params = tmp_project / f"params/{Q}.yaml"
    replace_in(params, 'eia_revision: "2020-11"', 'eia_revision: "2023-01"')
    data = eia_report.load(load_params(Q))
    changes = data.changes.table.set_index(["Part", "What changed"])
    assert data.changes.previous == "2020-11"
    assert changes.loc[("Age", "assessed impact"), "After"] == "mixed (Positive)"
    assert changes.loc[("Age", "mitigating actions"), "Before"] == "1.a"
    assert changes.loc[("Cover", "review date"), "After"] == "March 2024"
    assert changes.loc[("Sex", "Policy: 0 sentence(s) removed, 1 added"), "After"] == (
        "A sentence added in the new revision."
    )
    assert len(changes) == 4
    assert "Changes from the previous revision, 2020-11" in str(eia_report.revision_changes(data).data)


def test_a_newer_figure_for_the_same_measure_is_shown_beside_the_eias(tmp_project: Path) -> None:
    # a test document (not the project's data) holding the newer figure, registered with its hash
    text = "A test document: 72% of Londoners trust the MPS.\n"
    (tmp_project / "data/documents/test-newer-figure.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    with (tmp_project / "data/documents.csv").open("a", encoding="utf-8") as out:
        out.write(
            "test-newer-figure,A test document,MOPAC,2022-03,a test,documents/test-newer-figure.txt,test.txt,"
            f"OGL v3.0,{digest}\n"
        )
    figures = tmp_project / "data/figures/figures.csv"
    with figures.open("a", encoding="utf-8") as out:
        out.write(
            "2021-22-Q4,,pas_trust_mps,all,All Londoners,72,percent,,test-newer-figure,"
            '"the only sentence","72% of Londoners trust the MPS"\n'
        )
    data = eia_report.load(load_params(Q))
    row = data.evidence.set_index("Measure").loc["Trust in the MPS: All Londoners"]
    assert row["In the EIA (evidence at the time)"] == "84% (2020-21-Q1)"
    assert row["Newer published figure"] == "72% (2021-22-Q4)"


def test_without_a_newer_figure_the_report_says_so(q1: eia_report.EiaData) -> None:
    assert q1.evidence.empty
    assert "has a newer published figure for the same measure" in str(eia_report.evidence_now(q1).data)
