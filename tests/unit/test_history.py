from pathlib import Path

from mapreport.core.params import load_params
from mapreport.reports import history


def test_every_action_has_an_anchored_section_with_its_readings(tmp_project: Path) -> None:
    data = history.load(load_params("2022-23-Q1"))
    page = history.actions(data).data
    for action in data.register.index:
        assert f'id="{history.anchor(action)}"' in page
    assert page.count("<figure") == 0  # the overview grid is the timeline: no chart per action
    assert page.count("<caption>Readings of action") == len(set(data.table["action_id"]))
    assert "No source held up to 2022-23-Q1 reports on this action." in page  # 3.h


def test_the_history_holds_every_reading_in_quarter_order(tmp_project: Path) -> None:
    data = history.load(load_params("2022-23-Q1"))
    rows = data.table[data.table["action_id"] == "2.g"]
    assert rows["quarter"].tolist() == ["2021-22-Q4", "2022-23-Q1"]
    assert rows["stage"].tolist() == ["delivered", "in progress"]
    assert len(data.table) == 22 + 41 + 21


def test_an_earlier_edition_holds_only_the_quarters_up_to_it(tmp_project: Path) -> None:
    data = history.load(load_params("2021-22-Q1"))
    assert set(data.table["quarter"]) == {"2021-22-Q1"}


def test_links_point_at_the_anchor() -> None:
    assert history.link("1.a") == '<a href="action_history.html#action-1-a">1.a</a>'


def test_the_overview_grid_gives_each_stage_in_words_and_marks_overdue(tmp_project: Path) -> None:
    data = history.load(load_params("2022-23-Q1"))
    page = history.overview(data).data
    assert '<span class="stage stage-paused">paused</span>' in page  # 3.c
    assert '<span class="stage stage-in-progress stage-overdue">in progress (overdue)</span>' in page
    assert '<span class="stage stage-none">—</span>' in page  # 3.h has no reading
