import re
from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.core.params import available_quarters, load_params
from mapreport.core.periods import Quarter
from tests.conftest import quarters_with_params, replace_in


def test_loads_a_quarter(tmp_project: Path) -> None:
    params = load_params("2022-23-Q1")
    assert (params.quarter, params.previous_quarter) == ("2022-23-Q1", "2021-22-Q4")


def test_lists_the_quarters_with_params_oldest_first(tmp_project: Path) -> None:
    quarters = quarters_with_params(tmp_project)
    assert quarters and available_quarters() == quarters
    earlier = str(Quarter.parse(quarters[0]).shifted(-1))
    (tmp_project / "params" / f"{earlier}.yaml").write_text(f"quarter: {earlier}\n")
    assert available_quarters() == [earlier, *quarters]


def test_a_misspelt_key_is_an_error_naming_it(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "previous_quarter:", "previous_quartre:")
    with pytest.raises(InputError, match=r"params/2022-23-Q1.yaml, key 'previous_quartre': unknown key"):
        load_params("2022-23-Q1")


def test_every_problem_is_reported_at_once(tmp_project: Path) -> None:
    path = tmp_project / "params/2022-23-Q1.yaml"
    path.write_text("quarter: 2022-23-Q1\nprevious_quarter: 2021-22-Q9\ncolour: red\n")
    with pytest.raises(InputError) as caught:
        load_params("2022-23-Q1")
    wheres = [p.where for p in caught.value.problems]
    assert {"key 'previous_quarter'", "key 'eia_revision'", "key 'colour'"} <= set(wheres)


def test_an_unknown_quarter_names_the_known_ones(tmp_project: Path) -> None:
    known = ", ".join(quarters_with_params(tmp_project))
    with pytest.raises(
        InputError, match=re.escape(f"no params file for quarter '2030-31-Q1'; quarters with params: {known}")
    ):
        load_params("2030-31-Q1")


def test_a_yaml_syntax_error_names_the_line(tmp_project: Path) -> None:
    (tmp_project / "params/2022-23-Q1.yaml").write_text("quarter: [2022-23-Q1\n")
    with pytest.raises(InputError, match=r"params/2022-23-Q1.yaml, line \d+, column \d+: is not valid YAML"):
        load_params("2022-23-Q1")


def test_a_number_where_text_is_expected_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", 'eia_revision: "2020-11"', "eia_revision: 2020")
    with pytest.raises(InputError, match="key 'eia_revision'"):
        load_params("2022-23-Q1")


def test_the_quarter_must_match_the_file_name(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "quarter: 2022-23-Q1", "quarter: 2022-23-Q2")
    with pytest.raises(InputError, match="file is named for 2022-23-Q1"):
        load_params("2022-23-Q1")


def test_previous_quarter_must_come_before(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2021-22-Q4.yaml", "previous_quarter: 2021-22-Q1", "previous_quarter: 2022-23-Q1")
    with pytest.raises(InputError, match="is not before 2021-22-Q4"):
        load_params("2021-22-Q4")


def test_an_unknown_annex_key_lists_the_annex_keys(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "suppression_threshold:", "supression_threshold:")
    with pytest.raises(
        InputError, match=r"key 'annex.supression_threshold': unknown key; expected only: suppression_threshold"
    ):
        load_params("2022-23-Q1")


def test_a_threshold_of_zero_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "suppression_threshold: 10", "suppression_threshold: 0")
    with pytest.raises(InputError, match=r"key 'annex.suppression_threshold': must be a whole number of at least 1"):
        load_params("2022-23-Q1")


def test_a_fractional_threshold_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "suppression_threshold: 10", "suppression_threshold: 2.5")
    with pytest.raises(InputError, match=r"key 'annex.suppression_threshold': .*integer.* \(got 2.5\)"):
        load_params("2022-23-Q1")
