from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.core.periods import Quarter
from mapreport.sources import figures
from tests.conftest import replace_in

WORKFORCE_ROW = "2021-22-Q3,2021-12,workforce_inspectors,ethnicity,Black,2.6,percent"


def test_loads_figures_and_targets_that_join_on_measure_and_group(tmp_project: Path) -> None:
    values, targets = figures.load_figures(), figures.load_targets()
    keys = set(zip(values["measure"], values["breakdown"], values["group"], strict=True))
    assert all(key in keys for key in zip(targets["measure"], targets["breakdown"], targets["group"], strict=True))


def test_a_percentage_above_100_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/figures/figures.csv", WORKFORCE_ROW, WORKFORCE_ROW.replace(",2.6,", ",102.6,"))
    with pytest.raises(
        InputError, match=r"data/figures/figures.csv, line \d+: column 'value' is 102.6, outside 0 to 100"
    ):
        figures.load_figures()


def test_a_decimal_comma_is_named(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/figures/figures.csv", WORKFORCE_ROW, WORKFORCE_ROW.replace(",2.6,", ',"2,6",'))
    with pytest.raises(InputError, match="decimal comma"):
        figures.load_figures()


def test_a_count_must_be_whole(tmp_project: Path) -> None:
    path = tmp_project / "data/figures/figures.csv"
    line = next(
        line for line in path.read_text().splitlines() if ",count," in line and ",32392," in line.replace(".0", "")
    )
    fields = line.split(",")
    value_at = fields.index("count") - 1
    fields[value_at] = "32392.5"
    replace_in(path, line, ",".join(fields))
    with pytest.raises(InputError, match="must be a whole number"):
        figures.load_figures()


def test_a_measure_without_a_title_is_named(tmp_project: Path) -> None:
    path = tmp_project / "data/figures/measures.csv"
    path.write_text(
        "\n".join(line for line in path.read_text().splitlines() if not line.startswith("workforce_sergeants,")) + "\n"
    )
    used = figures.load_figures()["measure"]
    with pytest.raises(InputError, match=r"measures.csv: has no title for measures \['workforce_sergeants'\]"):
        figures.load_measures(used)


def test_period_end_of_quarter_and_of_financial_year() -> None:
    assert figures.period_end("2021-22-Q3") == "2021-12-31"
    assert figures.period_end("2021-22") == "2022-03-31"


def test_figures_up_to_a_quarter_leave_out_later_periods(tmp_project: Path) -> None:
    upto = figures.figures_up_to(figures.load_figures(), Quarter.parse("2021-22-Q1"))
    assert set(upto["period"]) <= {"2019-20", "2020-21-Q1", "2020-21-Q4", "2021-22-Q1"}
    assert "2021-22-Q3" not in set(upto["period"])
