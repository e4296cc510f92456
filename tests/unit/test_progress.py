from pathlib import Path

import pytest

from mapreport.core.params import load_params
from mapreport.reports import progress
from mapreport.sources.status import STATUS_ORDER


@pytest.fixture
def q1(tmp_project: Path) -> progress.ProgressData:
    return progress.load(load_params("2022-23-Q1"))


def test_the_delivery_sentence_counts_from_the_data(q1: progress.ProgressData) -> None:
    delivered = int((q1.current["status"] == "delivered").sum())
    assert progress.delivery_sentence(q1).startswith("Of the 43 actions in the plan, ")
    assert f"{delivered} delivered" in progress.delivery_sentence(q1)


def test_delivery_by_theme_adds_up_to_the_register(q1: progress.ProgressData) -> None:
    table = progress.delivery_by_theme(q1)
    assert list(table.columns) == ["Theme", *STATUS_ORDER, "Total"]
    assert table["Total"].sum() == 43


def test_an_mps_action_is_delivered_only_when_all_its_register_actions_are(q1: progress.ProgressData) -> None:
    table = progress.mps_actions(q1).set_index("MPS action")
    assert table.loc["23", "Register actions"] == table.loc["23a", "Register actions"] == "4.l"
    assert not table.loc["23", "Delivered"]
    assert list(table.index[:3]) == ["1", "2", "3"] and table.index[-1] == "23a"


def test_the_mps_count_shows_the_stated_and_the_computed_count(q1: progress.ProgressData) -> None:
    text = progress.mps_count(q1).data
    assert "states that 21 of 23 MPS actions were delivered" in text
    computed = int(progress.mps_actions(q1)["Delivered"].sum())
    assert f"{computed} of 24 MPS actions with an update meet that test" in text


def test_the_workforce_trajectory_holds_published_values_and_dated_targets(q1: progress.ProgressData) -> None:
    table = progress.workforce_trajectory(q1, "workforce_officers")
    targets = table[table["Series"] == "target"]
    assert sorted(targets["Per cent"]) == [16.0, 21.0, 28.0]
    assert set(table["Series"]) == {"published", "target"}


def test_the_first_quarter_has_no_comparison(tmp_project: Path) -> None:
    first = progress.load(load_params("2021-22-Q1"))
    assert progress.changes(first) is None
    assert "first quarter in this series" in progress.changes_sentence(first)
