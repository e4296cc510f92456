from pathlib import Path

import pandas as pd
import pytest

from mapreport.core.errors import InputError
from mapreport.core.params import load_params
from mapreport.sources import catalogue, status
from mapreport.sources.register import load_register
from tests.conftest import replace_in

Q = "2022-23-Q1"


def test_every_held_quarter_loads_and_checks(tmp_project: Path) -> None:
    readings = status.load_statuses(status.held_quarters(Q), load_register())
    assert list(readings) == ["2021-22-Q1", "2021-22-Q4", Q]
    for frame in readings.values():
        assert set(frame["stage"]) <= set(status.STAGES)
        assert set(frame["schedule"]) <= set(status.SCHEDULES)


def test_the_catalogue_declares_every_quarter_up_to_this_one(tmp_project: Path) -> None:
    files = [p.name for p in catalogue.statuses(load_params(Q))]
    assert files == ["claim_sources.csv", "2021-22-Q1.csv", "2021-22-Q4.csv", f"{Q}.csv"]
    assert [p.name for p in catalogue.statuses(load_params("2021-22-Q1"))] == ["claim_sources.csv", "2021-22-Q1.csv"]


def test_a_quarter_without_its_own_row_keeps_quarter_status_compatible(tmp_project: Path) -> None:
    register = load_register()
    current = status.quarter_status(register, status.load_status("2021-22-Q1", register))
    reported = len(pd.read_csv(tmp_project / "data/status/2021-22-Q1.csv"))
    assert (current["status"] == status.NOT_REPORTED).sum() == 43 - reported
    assert (current["status"] == current["stage"].fillna(status.NOT_REPORTED)).all()


def test_the_mps_paper_claims_21_of_its_rows_as_it_counts_them(tmp_project: Path) -> None:
    frame = status.load_status(Q, load_register())
    assert set(frame.loc[frame["source_claim"] != "delivered", "action_id"]) == {"3.k", "4.e"}


def test_the_issue_rows_read_as_their_texts_say(tmp_project: Path) -> None:
    readings = status.load_statuses(status.held_quarters(Q), load_register())
    assert readings["2021-22-Q4"].at["3.c", "stage"] == readings[Q].at["3.c", "stage"] == "paused"
    assert readings["2021-22-Q4"].at["3.d", "stage"] == "paused"
    assert readings[Q].at["2.f", "stage"] == "in progress"
    assert [readings[q].at["4.d", "stage"] for q in readings] == ["in progress"] * 3
    assert [readings[q].at["3.l", "stage"] for q in readings] == ["delivered"] * 3
    for action in ("1.e", "2.e", "4.a", "4.c"):
        assert readings["2021-22-Q4"].at[action, "schedule"] == "overdue"


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [
        (
            "2022-23-Q1,3.c,paused,",
            "2022-23-Q1,3.c,done,",
            r"line 30 \(action 3.c\), column 'stage': unknown stage word",
        ),
        (
            "2022-23-Q1,1.a,delivered,no date given,",
            "2022-23-Q1,1.a,delivered,soon,",
            r"line 2 \(action 1.a\), column 'schedule': unknown schedule word",
        ),
        (
            "2022-23-Q1,1.a,delivered,no date given,delivered,",
            "2022-23-Q1,1.a,delivered,no date given,finished,",
            r"line 2 \(action 1.a\), column 'source_claim': unknown source_claim word; .* or leave it empty",
        ),
        (
            "2022-23-Q1,1.a,delivered,no date given,delivered,,",
            "2022-23-Q1,1.a,in progress,no date given,delivered,,",
            r"line 2, column 'reason': is empty but the stage 'in progress' differs from the source's claim",
        ),
        (
            "2022-23-Q1,1.a,delivered,no date given,delivered,,",
            "2022-23-Q1,1.b,delivered,no date given,delivered,,",
            r"line 2, column 'source_claim': 'mps-oversight-2022' does not cover 1.b",
        ),
        (
            "2022-23-Q1,1.c,delivered,on time,",
            "2022-23-Q1,1.c,delivered,no date given,",
            r"line 3, column 'schedule': is 'no date given' but the register gives 1.c the date",
        ),
        (
            "2022-23-Q1,1.c,delivered,on time,",
            "2022-23-Q1,1.c,delivered,overdue,",
            r"line 3, column 'schedule': is 'overdue' but the stage is 'delivered'",
        ),
        (
            "2022-23-Q1,1.a,delivered,no date given,",
            "2022-23-Q1,1.a,delivered,on time,",
            r"line 2, column 'reason': is empty but the schedule is 'on time' and the register gives 1.a no date",
        ),
    ],
)
def test_a_row_breaking_a_rule_is_refused_naming_file_line_and_field(
    tmp_project: Path, find: str, replace: str, message: str
) -> None:
    replace_in(tmp_project / f"data/status/{Q}.csv", find, replace)
    with pytest.raises(InputError, match=rf"data/status/{Q}.csv, {message}"):
        status.load_status(Q, load_register())


def test_a_claim_from_a_source_that_states_none_is_refused(tmp_project: Path) -> None:
    replace_in(
        tmp_project / "data/status/2021-22-Q4.csv",
        "2021-22-Q4,1.b,in progress,no date given,,",
        "2021-22-Q4,1.b,in progress,no date given,in progress,",
    )
    with pytest.raises(InputError, match=r"line 3, column 'source_claim': 'mopac-update-2022-06' states no per-action"):
        status.load_status("2021-22-Q4", load_register())


def test_a_backwards_move_needs_a_reason_and_a_reason_allows_it(tmp_project: Path) -> None:
    path = tmp_project / f"data/status/{Q}.csv"
    replace_in(
        path,
        "2022-23-Q1,1.a,delivered,no date given,delivered,,",
        "2022-23-Q1,1.a,not started,no date given,not started,,",
    )
    register = load_register()
    with pytest.raises(
        InputError, match=r"line 2, column 'reason': is empty but 1.a moves back from 'in progress' \(2021-22-Q4\)"
    ):
        status.load_statuses(status.held_quarters(Q), register)
    replace_in(path, "not started,no date given,not started,,", "not started,no date given,not started,Because.,")
    assert status.load_statuses(status.held_quarters(Q), register)[Q].at["1.a", "stage"] == "not started"


def test_a_gap_in_coverage_is_not_a_backwards_move(tmp_project: Path) -> None:
    register = load_register()
    readings = {q: status.load_status(q, register) for q in ("2021-22-Q1", Q)}  # 2021-22-Q4 left out
    status.check_moves(readings)  # 3.l delivered in both; nothing read in between counts as a move


def test_a_dangling_action_id_is_refused(tmp_project: Path) -> None:
    path = tmp_project / f"data/status/{Q}.csv"
    action = path.read_text().splitlines()[1].split(",")[1]
    replace_in(path, f",{action},", ",9.z,")
    with pytest.raises(
        InputError, match=rf"data/status/{Q}.csv, line 2, column 'action_id': '9.z' is not in the action register"
    ):
        status.load_status(Q, load_register())


def test_a_row_for_another_period_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / f"data/status/{Q}.csv", "\n2022-23-Q1,", "\n2022-23-Q2,")
    with pytest.raises(InputError, match="is '2022-23-Q2' but the file is for 2022-23-Q1"):
        status.load_status(Q, load_register())


def test_a_missing_quarter_file_is_named(tmp_project: Path) -> None:
    with pytest.raises(InputError, match=r"data/status/2019-20-Q1.csv: file not found"):
        status.load_status("2019-20-Q1", load_register())
