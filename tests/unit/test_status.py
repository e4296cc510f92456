from pathlib import Path

import pandas as pd
import pytest

from mapreport.analysis import delivery
from mapreport.core.errors import InputError
from mapreport.sources import status
from mapreport.sources.register import load_register
from tests.conftest import replace_in


def frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=["action_id", "status"])
    data["theme"] = "T"
    data["status"] = data["status"].astype(status.STATUS_TYPE)
    return data


def test_unreported_actions_are_marked_not_reported(tmp_project: Path) -> None:
    register = load_register()
    current = status.quarter_status(register, status.load_status("2021-22-Q1", register))
    reported = len(pd.read_csv(tmp_project / "data/status/2021-22-Q1.csv"))
    assert (current["status"] == status.NOT_REPORTED).sum() == 43 - reported


def test_counts_keep_every_status_in_order() -> None:
    counts = delivery.status_counts(frame([("1.a", "delivered"), ("1.b", "delivered"), ("1.c", "not reported")]))
    assert counts["Status"].tolist() == list(status.STATUS_ORDER)
    assert counts["Actions"].tolist() == [2, 0, 0, 0, 0, 1]
    assert counts["Share (%)"].tolist() == [66.7, 0.0, 0.0, 0.0, 0.0, 33.3]


def test_changes_classify_moves() -> None:
    before = frame([("1.a", "in progress"), ("1.b", "on track"), ("1.c", "not reported"), ("1.d", "delivered")])
    after = frame([("1.a", "delivered"), ("1.b", "delayed"), ("1.c", "on track"), ("1.d", "delivered")])
    changes = delivery.status_changes(after, before)
    assert dict(zip(changes["Action"], changes["Change"], strict=True)) == {
        "1.a": "moved forward",
        "1.b": "moved back",
        "1.c": "newly reported",
    }


def test_an_unknown_status_is_refused(tmp_project: Path) -> None:
    path = tmp_project / "data/status/2022-23-Q1.csv"
    first = path.read_text().splitlines()[1]
    replace_in(
        path,
        first,
        first.replace(",delivered,", ",done,").replace(",on track,", ",done,").replace(",in progress,", ",done,"),
    )
    with pytest.raises(
        InputError, match=r"line 2 \(action 1.a\), column 'status'.*unknown status; expected one of delivered"
    ):
        status.load_status("2022-23-Q1", load_register())


def test_a_dangling_action_id_is_refused(tmp_project: Path) -> None:
    path = tmp_project / "data/status/2022-23-Q1.csv"
    action = path.read_text().splitlines()[1].split(",")[1]
    replace_in(path, f",{action},", ",9.z,")
    with pytest.raises(
        InputError, match=r"data/status/2022-23-Q1.csv, line 2, column 'action_id': '9.z' is not in the action register"
    ):
        status.load_status("2022-23-Q1", load_register())


def test_a_row_for_another_period_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/status/2022-23-Q1.csv", "\n2022-23-Q1,", "\n2022-23-Q2,")
    with pytest.raises(InputError, match="is '2022-23-Q2' but the file is for 2022-23-Q1"):
        status.load_status("2022-23-Q1", load_register())


def test_a_missing_quarter_file_is_named(tmp_project: Path) -> None:
    with pytest.raises(InputError, match=r"data/status/2019-20-Q1.csv: file not found"):
        status.load_status("2019-20-Q1", load_register())
