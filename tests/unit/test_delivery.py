"""The carry-forward, the real moves and the growth, on small hand-made readings and on the data held."""

from pathlib import Path

import pandas as pd

from mapreport.analysis import delivery
from mapreport.sources import status
from mapreport.sources.register import load_register

REGISTER = pd.DataFrame(
    {
        "action_id": ["1.a", "1.b", "1.c", "1.d"],
        "section": ["1"] * 4,
        "theme": ["T"] * 4,
        "owner": ["MPS"] * 4,
        "commitment": ["c"] * 4,
        "mps_action": ["1", "2", "3;3a", ""],
    }
).set_index("action_id", drop=False)


def readings(quarter: str, rows: list[tuple[str, str, str]], claim: str = "") -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "action_id": a,
                "stage": stage,
                "schedule": schedule,
                "source_claim": claim,
                "reason": "",
                "update": f"{a} in {quarter}",
                "source_doc": "doc",
                "source_ref": "ref",
            }
            for a, stage, schedule in rows
        ]
    )
    return frame.set_index("action_id", drop=False)


HELD = {
    "2021-22-Q1": readings(
        "2021-22-Q1",
        [("1.a", "in progress", "on time"), ("1.b", "delivered", "on time"), ("1.c", "in progress", "on time")],
    ),
    "2021-22-Q4": readings(
        "2021-22-Q4", [("1.a", "delivered", "on time"), ("1.c", "in progress", "overdue")]
    ),  # 1.b not covered
}


def test_an_action_not_covered_keeps_its_latest_reading_and_says_when() -> None:
    latest = delivery.latest_known(HELD, "2021-22-Q4", REGISTER).set_index("action_id")
    assert latest.at["1.b", "stage"] == "delivered" and latest.at["1.b", "reported_in"] == "2021-22-Q1"
    assert not latest.at["1.b", "updated_this_quarter"]
    assert latest.at["1.a", "updated_this_quarter"] and latest.at["1.a", "update"] == "1.a in 2021-22-Q4"
    assert latest.at["1.d", "stage"] == status.NOT_REPORTED and latest.at["1.d", "reported_in"] == ""


def test_a_later_quarter_is_not_read_before_it_happens() -> None:
    latest = delivery.latest_known(HELD, "2021-22-Q1", REGISTER).set_index("action_id")
    assert latest.at["1.a", "stage"] == "in progress"


def test_real_moves_never_count_a_coverage_gap() -> None:
    moves = delivery.real_moves(HELD, "2021-22-Q4", REGISTER)
    assert list(zip(moves["action_id"], moves["change"], strict=True)) == [
        ("1.a", delivery.FORWARD),
        ("1.c", delivery.NEWLY_OVERDUE),
    ]
    assert moves.iloc[0]["update_before"] == "1.a in 2021-22-Q1" and moves.iloc[0]["update_now"] == "1.a in 2021-22-Q4"


def test_a_move_back_is_listed_as_back() -> None:
    held = {**HELD, "2022-23-Q1": readings("2022-23-Q1", [("1.b", "paused", "on time")])}
    moves = delivery.real_moves(held, "2022-23-Q1", REGISTER)
    assert moves[["action_id", "change", "stage_before", "stage_now"]].values.tolist() == [
        ["1.b", delivery.BACK, "delivered", "paused"]
    ]


def test_the_first_quarter_has_no_moves() -> None:
    assert delivery.real_moves(HELD, "2021-22-Q1", REGISTER).empty


def test_delivered_to_date_grows_by_latest_known_stage() -> None:
    growth = delivery.delivered_growth(HELD, "2021-22-Q4", REGISTER)
    assert growth["Delivered to date"].tolist() == [1, 2]
    assert growth["Actions updated in the quarter"].tolist() == [3, 2]


def test_stage_counts_split_updated_and_carried_forward() -> None:
    counts = delivery.stage_counts(delivery.latest_known(HELD, "2021-22-Q4", REGISTER)).set_index("Stage")
    assert list(counts.index) == list(status.STAGES)
    assert counts.loc["delivered"].tolist() == [2, 1, 1]
    assert counts["Actions"].sum() == 3  # 1.d, never reported, is not a stage


def test_the_reconciliation_folds_a_lettered_item_into_its_number() -> None:
    held = {"2022-23-Q1": readings("2022-23-Q1", [("1.c", "in progress", "on time")], claim="delivered")}
    claims = pd.DataFrame({"covers": ["mps_action"]}, index=["doc"])
    table = delivery.claim_reconciliation(
        delivery.latest_known(held, "2022-23-Q1", REGISTER), REGISTER, claims, "2022-23-Q1"
    )
    assert table["Source's action"].tolist() == ["3"]


def test_on_the_data_held_the_issue_counts_hold(tmp_project: Path) -> None:
    register = load_register()
    held = status.load_statuses(status.held_quarters("2022-23-Q1"), register)
    latest = delivery.latest_known(held, "2022-23-Q1", register).set_index("action_id")
    for action in ("2.d", "5.a", "5.c", "5.f"):  # MOPAC actions the MPS paper does not cover
        assert latest.at[action, "stage"] == "delivered" and latest.at[action, "reported_in"] == "2021-22-Q4"
    moves = delivery.real_moves(held, "2022-23-Q1", register)
    assert "4.e" not in set(moves["action_id"])
    assert set(moves.loc[moves["change"] == delivery.BACK, "action_id"]) == {"2.g"}
    assert set(moves.loc[moves["change"] == delivery.NEWLY_OVERDUE, "action_id"]) == {"3.f"}
    assert "2.a" not in set(moves.loc[moves["change"] == delivery.FORWARD, "action_id"])
    claims = status.load_claim_sources(register)
    table = delivery.claim_reconciliation(latest.reset_index(), register, claims, "2022-23-Q1")
    assert len(table) == 23 and "23a" not in set(table["Source's action"])
    assert (table["Source's claim"] == "delivered").sum() == 21
    assert (table["This report's reading"] == "delivered").sum() == 11
    differ = table[table["Source's claim"] != table["This report's reading"]]
    assert (differ["Reason"] != "").all()
