"""The annex's numbers reproduce from the data files, its periods are honest, and its sentences follow the rules."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from mapreport.analysis import stats
from mapreport.core.errors import InputError
from mapreport.core.params import load_params
from mapreport.present import wording
from mapreport.reports import annex
from mapreport.sources import published as sources

ROOT = Path(__file__).resolve().parents[1]
BLACK = ("Black/African/Caribbean/Black British - African", "Black/African/Caribbean/Black British - Caribbean",
         "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background")  # fmt: skip
WHITE = ("White - English/Welsh/Scottish/Northern Irish/British", "White - Irish", "White - Gypsy or Irish Traveller",
         "White - Any other White background")  # fmt: skip


@pytest.fixture(scope="module")
def report() -> annex.Annex:
    return annex.Annex.from_params(load_params("2022-23-Q1"))


def _recount(labels: tuple[str, ...]) -> int:
    """Count person searches with these self-defined labels straight from the published file, with the csv module."""
    path = ROOT / "data/sources/stop_search/2022-09-metropolitan-stop-and-search.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(
            1 for r in csv.DictReader(handle) if r["Self-defined ethnicity"] in labels and r["Type"] != "Vehicle search"
        )


def test_black_white_self_defined_ratio_reproduces_from_the_file(report: annex.Annex) -> None:
    expected = stats.rate_ratio(
        _recount(BLACK), report.denominator("Black"), _recount(WHITE), report.denominator("White")
    )
    table = annex.stop_search_rates(report)
    row = table[(table["definition"] == "Self-defined") & (table["group"] == "Black")].iloc[0]
    assert (row["ratio"], row["ratio_lower"], row["ratio_upper"]) == pytest.approx(
        (expected.value, expected.lower, expected.upper)
    )


def test_black_white_self_defined_ratio_golden_value(report: annex.Annex) -> None:
    table = annex.stop_search_rates(report).set_index(["definition", "group"])
    assert table.loc[("Self-defined", "Black"), ["ratio", "ratio_lower", "ratio_upper"]].round(2).tolist() == [
        2.76,
        2.63,
        2.9,
    ]


def test_published_eff_ratio_is_shown_beside_the_computed_one(report: annex.Annex) -> None:
    shown = annex.eff_comparison_table(report).set_index("Ethnic group")
    assert shown.loc["Black"].tolist()[1:] == ["2.88", "2.24", "2.76 (2.63 to 2.90)"]


def test_a_count_below_the_threshold_has_no_rate_or_ratio() -> None:
    counts = pd.Series({"Asian": 9, "Black": 50, "Mixed": 10, "White": 100, "Other": 0})
    population = pd.DataFrame({"group": ["Asian", "Black", "Mixed", "White", "Other"], "population": [1000] * 5})
    table = annex.rates_by_group(counts, population, threshold=10).set_index("group")
    assert table.loc["Asian", ["rate", "ratio"]].isna().all()
    assert table.loc["Mixed", ["rate", "ratio"]].notna().all()


def test_stop_search_period_is_stated_against_an_earlier_quarter() -> None:
    report = annex.Annex.from_params(load_params("2021-22-Q1"))
    table = annex.periods_table(report).set_index("Data")
    assert table.loc["Stop and search (police.uk records)"].tolist() == [
        "September 2022: the only month of record-level data held",
        "after this report's quarter",
    ]


def test_pas_trend_ends_at_the_report_quarter() -> None:
    report = annex.Annex.from_params(load_params("2021-22-Q4"))
    assert annex.pas_trend(report)["quarter"].max() == "2021-22-Q4"


def test_pas_previous_quarter_change_of_one_point_is_not_significant(report: annex.Annex) -> None:
    shown = annex.pas_changes_table(report).set_index("Measure")
    assert shown.loc["Trust the MPS", "Change on previous quarter"] == "difference -1 point, not significant"


def test_methods_state_the_threshold_in_the_params(report: annex.Annex) -> None:
    assert any("on a count below 10 " in p for p in annex.methods_text(report))


def test_no_sentence_states_a_ratio_or_change_unsupported(report: annex.Annex) -> None:
    texts = [
        *annex.stop_search_sentences(report),
        *annex.eff_explanation(report),
        *annex.use_of_force_sentences(report),
        *annex.pas_change_sentences(report),
        *annex.methods_text(report),
        annex.stop_search_intro(report),
        annex.pas_intro(report),
    ]
    assert [claim for text in texts for claim in wording.unsupported_claims(text)] == []


def test_input_files_all_exist() -> None:
    assert all(path.is_file() for path in sources.input_files(load_params("2022-23-Q1")))


def test_validate_inputs_accepts_the_real_data() -> None:
    annex.validate_inputs(load_params("2022-23-Q1"))


def test_notebook_annex_parameters_are_checked() -> None:
    with pytest.raises(InputError, match=r"key 'annex.pas_base'"):
        annex.Annex.from_parameters("2022-23-Q1", {**load_params("2022-23-Q1").annex.model_dump(), "pas_base": 1})


def test_a_missing_stop_search_month_is_reported(tmp_project: Path) -> None:
    params = load_params("2022-23-Q1")
    broken = params.model_copy(update={"annex": params.annex.model_copy(update={"stop_search_months": ["2022-10"]})})
    with pytest.raises(InputError, match=r"2022-10-metropolitan-stop-and-search.csv"):
        annex.validate_inputs(broken)
