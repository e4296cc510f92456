"""The annex's numbers reproduce from the data files, its periods are honest, and its sentences follow the rules."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mapreport.analysis import rates, stats
from mapreport.core.errors import InputError
from mapreport.core.params import ReportParams, load_params
from mapreport.present import wording
from mapreport.reports import annex
from mapreport.reports.annex import eff, methods, pas, periods, stop_search, use_of_force
from mapreport.sources import published as sources

ROOT = Path(__file__).resolve().parents[2]
BLACK = ("Black/African/Caribbean/Black British - African", "Black/African/Caribbean/Black British - Caribbean",
         "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background")  # fmt: skip
WHITE = ("White - English/Welsh/Scottish/Northern Irish/British", "White - Irish", "White - Gypsy or Irish Traveller",
         "White - Any other White background")  # fmt: skip


@pytest.fixture(scope="module")
def report() -> annex.Annex:
    return annex.load(load_params("2022-23-Q1"))


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
    table = stop_search.stop_search_rates(report)
    row = table[(table["definition"] == "Self-defined") & (table["group"] == "Black")].iloc[0]
    assert (row["ratio"], row["ratio_lower"], row["ratio_upper"]) == pytest.approx(
        (expected.value, expected.lower, expected.upper)
    )


def test_black_white_self_defined_ratio_golden_value(report: annex.Annex) -> None:
    table = stop_search.stop_search_rates(report).set_index(["definition", "group"])
    assert table.loc[("Self-defined", "Black"), ["ratio", "ratio_lower", "ratio_upper"]].round(2).tolist() == [
        2.76,
        2.63,
        2.9,
    ]


def test_published_eff_ratio_is_shown_beside_the_computed_one(report: annex.Annex) -> None:
    shown = eff.eff_comparison_table(report).set_index("Ethnic group")
    assert shown.loc["Black"].tolist()[1:] == ["2.88", "2.24", "2.76 (2.63 to 2.90)"]


def test_a_count_below_the_threshold_has_no_rate_or_ratio() -> None:
    counts = pd.Series({"Asian": 9, "Black": 50, "Mixed": 10, "White": 100, "Other": 0})
    population = pd.DataFrame({"group": ["Asian", "Black", "Mixed", "White", "Other"], "population": [1000] * 5})
    table = rates.rates_by_group(counts, population, threshold=10).set_index("group")
    assert table.loc["Asian", ["rate", "ratio"]].isna().all()
    assert table.loc["Mixed", ["rate", "ratio"]].notna().all()


def test_stop_search_period_is_stated_against_an_earlier_quarter() -> None:
    report = annex.load(load_params("2021-22-Q1"))
    table = periods.periods_table(report).set_index("Data")
    assert table.loc["Stop and search (police.uk records)"].tolist() == [
        "September 2022: the only month of record-level data held",
        "after this report's quarter",
    ]


def test_pas_trend_ends_at_the_report_quarter() -> None:
    report = annex.load(load_params("2021-22-Q4"))
    assert pas.pas_trend(report)["quarter"].max() == "2021-22-Q4"


def test_pas_previous_quarter_change_of_one_point_is_not_significant(report: annex.Annex) -> None:
    shown = pas.pas_changes_table(report).set_index("Measure")
    assert shown.loc["Trust the MPS", "Change on previous quarter"] == "difference -1 point, not significant"


def test_methods_state_the_threshold_in_the_params(report: annex.Annex) -> None:
    assert any("on a count below 10 " in p for p in methods.methods_text(report))


def test_no_sentence_states_a_ratio_or_change_unsupported(report: annex.Annex) -> None:
    texts = [
        *stop_search.stop_search_sentences(report),
        *eff.eff_explanation(report),
        *use_of_force.use_of_force_sentences(report),
        *pas.pas_change_sentences(report),
        *methods.methods_text(report),
        stop_search.stop_search_intro(report),
        pas.pas_intro(report),
    ]
    assert [claim for text in texts for claim in wording.unsupported_claims(text)] == []


def test_input_files_all_exist() -> None:
    assert all(path.is_file() for path in sources.input_files(load_params("2022-23-Q1")))


def test_notebook_annex_parameters_are_checked() -> None:
    values = load_params("2022-23-Q1").notebook_parameters()
    values["annex"] = {**values["annex"], "pas_base": 1}
    with pytest.raises(InputError, match=r"notebook parameters, key 'annex.pas_base': unknown key"):
        ReportParams.from_notebook(**values)


def test_a_missing_stop_search_month_is_reported(tmp_project: Path) -> None:
    params = load_params("2022-23-Q1")
    broken = params.model_copy(update={"annex": params.annex.model_copy(update={"stop_search_months": ["2022-10"]})})
    with pytest.raises(InputError, match=r"2022-10-metropolitan-stop-and-search.csv"):
        annex.load(broken)


def test_sources_table_lists_the_files_the_annex_reads(report: annex.Annex) -> None:
    read = {p.relative_to(sources.sources_dir()).as_posix() for p in sources.input_files(report.params)}
    expected = [f for f in sources.load_sources()["file"] if f in read]
    assert methods.sources_table(report)["File"].tolist() == expected
    assert len(expected) == len(read) - 1  # every file read but SOURCES.csv itself


def test_sources_table_leaves_out_a_listed_file_the_quarter_does_not_read(tmp_project: Path) -> None:
    folder = tmp_project / "data" / "sources"
    extra = "stop_search/2022-08-metropolitan-stop-and-search.csv"
    shutil.copy(folder / "stop_search/2022-09-metropolitan-stop-and-search.csv", folder / extra)
    with (folder / "SOURCES.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.append({**rows[0], "file": extra, "period": "August 2022"})
    with (folder / "SOURCES.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shown = methods.sources_table(annex.load(load_params("2022-23-Q1")))["File"].tolist()
    assert extra not in shown
    assert "stop_search/2022-09-metropolitan-stop-and-search.csv" in shown


def test_load_reports_every_problem_at_once(tmp_project: Path) -> None:
    target = tmp_project / "data" / "sources" / "pas" / "PAS_Total.csv"
    target.write_bytes(target.read_bytes() + b"\r\n")
    params = load_params("2022-23-Q1")
    broken = params.model_copy(update={"annex": params.annex.model_copy(update={"stop_search_months": ["2022-10"]})})
    with pytest.raises(InputError) as caught:
        annex.load(broken)
    message = str(caught.value)
    assert "pas/PAS_Total.csv has sha256" in message
    assert "2022-10-metropolitan-stop-and-search.csv" in message
