import html
from pathlib import Path

import pytest

from mapreport.core.params import load_params
from mapreport.reports import history, progress
from mapreport.sources import status


@pytest.fixture
def q1(tmp_project: Path) -> progress.ProgressData:
    return progress.load(load_params("2022-23-Q1"))


def test_one_headline_count_with_the_sources_claim_beside_it(q1: progress.ProgressData) -> None:
    text = progress.headline(q1).data
    delivered = int((q1.latest["stage"] == "delivered").sum())
    assert f"{delivered} of the 43 actions in the plan have been delivered" in text
    assert "The source's own claim:" in text and "the MPS has delivered 21 of the 23 actions listed" in text
    assert "on the same 23 actions mapreport reads 11 as delivered" in text


def test_the_first_quarter_states_no_claim(tmp_project: Path) -> None:
    first = progress.load(load_params("2021-22-Q1"))
    assert "state no delivery count of their own" in progress.headline(first).data
    assert "first quarter in this series" in progress.changes_sentence(first)
    assert progress.changes_tables(first) is None


def test_counts_are_of_the_latest_known_stage_and_show_no_not_reported_bar(q1: progress.ProgressData) -> None:
    table = progress.delivery_table(q1)
    assert table["Stage"].tolist() == list(status.STAGES)
    assert table["Actions"].sum() == 42  # 3.h has no update in any source held
    assert "(3.h)" in progress.delivery_sentence(q1)
    assert status.NOT_REPORTED not in progress.delivery_chart(q1).alt


def test_delivery_by_theme_adds_up_to_the_register(q1: progress.ProgressData) -> None:
    table = progress.delivery_by_theme(q1)
    assert list(table.columns) == ["Theme", *status.STAGES, "no update held", "Total"]
    assert table["Total"].sum() == 43


def test_carried_forward_actions_say_when_they_were_reported(q1: progress.ProgressData) -> None:
    text = progress.actions_by_theme(q1).data
    assert "delivered — last reported 2021-22-Q4" in text
    assert f'href="{history.PAGE}#action-5-c"' in text


def test_what_changed_lists_only_real_moves(q1: progress.ProgressData) -> None:
    sentence = progress.changes_sentence(q1)
    assert "5 moved forward, 1 moved back, 1 newly overdue" in sentence
    assert "a gap in a source's coverage is not a change" in sentence
    tables = progress.changes_tables(q1)
    assert tables is not None and "no longer reported" not in tables.data


def test_delivered_to_date_grows_quarter_by_quarter(q1: progress.ProgressData) -> None:
    assert q1.growth["Delivered to date"].tolist() == [1, 9, 13]
    assert "1 by 2021-22-Q1, then 9 by 2021-22-Q4, then 13 by 2022-23-Q1" in progress.growth_sentence(q1)


def test_the_reconciliation_explains_the_denominator(q1: progress.ProgressData) -> None:
    text = progress.reconciliation_section(q1).data
    assert "The source counts 21 of 23 of its actions as delivered; mapreport reads 11 of the same 23" in text
    assert "Action 23a" in text


def test_only_the_plans_own_aims_are_called_its_targets(q1: progress.ProgressData) -> None:
    officers = progress.workforce_trajectory(q1, "workforce_officers")
    assert sorted(officers.loc[officers["Series"] == progress.PLAN_TARGET, "Per cent"]) == [16.0, 21.0, 28.0]
    sergeants = progress.workforce_trajectory(q1, "workforce_sergeants")
    assert progress.PLAN_TARGET not in set(sergeants["Series"])
    assert progress.MPS_AIM in set(sergeants["Series"])
    text = html.unescape(progress.headline_figures(q1).data)
    assert "MPS aim, stated in MPS paper to the Oversight Board" in text
    assert "The plan's target, stated in the plan (EIA Appendix A)" in text
