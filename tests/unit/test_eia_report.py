from pathlib import Path

import pytest

from mapreport.core.params import load_params
from mapreport.reports import eia as eia_report
from mapreport.sources import status


@pytest.fixture
def q1(tmp_project: Path) -> eia_report.EiaData:
    return eia_report.load(load_params("2022-23-Q1"))


def test_the_summary_has_nine_rows_with_action_counts(q1: eia_report.EiaData) -> None:
    summary = eia_report.summary(q1).set_index("Characteristic")
    assert len(summary) == 9
    assert summary.loc["Race", "Mitigating actions"] == len(q1.assessment.characteristics[5].fields.mitigating_actions)


def test_gaps_list_characteristics_without_actions_and_undelivered_actions(q1: eia_report.EiaData) -> None:
    gaps = eia_report.gaps(q1)
    without = set(gaps[gaps["Gap"] == "No specific mitigating action in the plan"]["Characteristic"])
    assert without == {
        c.fields.characteristic for c in q1.assessment.characteristics if not c.fields.mitigating_actions
    }
    assert "delivered" not in set(gaps["Status"])


def test_mitigating_actions_show_this_quarters_status(q1: eia_report.EiaData) -> None:
    age = q1.assessment.characteristics[0]
    table = eia_report.mitigating_actions(q1, age)
    assert list(table["Action"]) == age.fields.mitigating_actions
    assert set(table["Status, 2022-23-Q1"]) <= {*status.STAGES, status.NOT_REPORTED}
