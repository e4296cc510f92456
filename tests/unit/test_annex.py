"""The annex's numbers reproduce from the data files, each quarter shows only its own months, its periods are honest,
and its sentences follow the rules."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mapreport.analysis import rates, stats
from mapreport.core.errors import InputError
from mapreport.core.params import ReportParams, load_params
from mapreport.core.periods import Quarter
from mapreport.present import wording
from mapreport.reports import annex
from mapreport.reports.annex import eff, london, methods, pas, periods, stop_search, trend, use_of_force
from mapreport.sources import published as sources
from mapreport.sources import stopsearch
from tests.conftest import replace_file

ROOT = Path(__file__).resolve().parents[2]
Q1_FILES = [ROOT / f"data/sources/stop_search/2022-{m}-metropolitan-stop-and-search.csv" for m in ("04", "05", "06")]
SELF_PREFIX = {"Asian": "Asian", "Black": "Black", "Mixed": "Mixed", "White": "White", "Other": "Other"}


@pytest.fixture(scope="module")
def report() -> annex.Annex:
    return annex.load(load_params("2022-23-Q1"))


@pytest.fixture(scope="module")
def q4() -> annex.Annex:
    return annex.load(load_params("2021-22-Q4"))


@pytest.fixture(scope="module")
def q1_2021() -> annex.Annex:
    return annex.load(load_params("2021-22-Q1"))


def _raw_person_searches() -> pd.DataFrame:
    """The three April-June 2022 Metropolitan Police files read with plain pandas, person searches only."""
    frames = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in Q1_FILES]
    raw = pd.concat(frames, ignore_index=True)
    return raw[raw["Type"] != "Vehicle search"]


def _self_group(label: str) -> str:
    """A self-defined label's broad group by its leading words, independently of the code's mapping table."""
    if label in ("", "Other ethnic group - Not stated"):
        return "Not stated"
    return SELF_PREFIX[label.split(" ")[0].split("/")[0]]


def test_q1_searches_by_officer_defined_ethnicity_recompute_with_plain_pandas(report: annex.Annex) -> None:
    raw = _raw_person_searches()
    expected = raw["Officer-defined ethnicity"].replace("", "Not stated").value_counts()
    shown = stopsearch.searches_by_ethnicity(report.quarter_records(), "officer")
    assert shown[shown > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    table = stop_search.stop_search_rates(report)
    officer = table[table["definition"] == "Officer-defined"].set_index("group")["count"]
    assert officer.drop("Mixed").to_dict() == expected.drop("Not stated").to_dict()


def test_q1_searches_by_self_defined_ethnicity_recompute_with_plain_pandas(report: annex.Annex) -> None:
    raw = _raw_person_searches()
    expected = raw["Self-defined ethnicity"].map(_self_group).value_counts()
    table = stop_search.stop_search_rates(report)
    self_defined = table[table["definition"] == "Self-defined"].set_index("group")["count"]
    assert self_defined.to_dict() == expected.drop("Not stated").to_dict()
    ratio = stats.rate_ratio(
        expected["Black"], report.denominator("Black"), expected["White"], report.denominator("White")
    )
    assert table.set_index(["definition", "group"]).loc[("Self-defined", "Black"), "ratio"] == pytest.approx(
        ratio.value
    )


def test_q1_black_white_self_defined_ratio_golden_value(report: annex.Annex) -> None:
    table = stop_search.stop_search_rates(report).set_index(["definition", "group"])
    assert table.loc[("Self-defined", "Black"), ["ratio", "ratio_lower", "ratio_upper"]].round(2).tolist() == [
        2.9,
        2.83,
        2.97,
    ]


def test_q1_uses_april_to_june_2022_and_states_the_rows(report: annex.Annex) -> None:
    assert report.held() == ["2022-04", "2022-05", "2022-06"] and report.missing() == []
    assert set(report.quarter_records()["month"]) == {"2022-04", "2022-05", "2022-06"}
    intro = stop_search.stop_search_intro(report)
    assert "April 2022, 14,585 records; May 2022, 16,689 records; June 2022, 16,332 records" in intro


def test_q4_uses_february_and_march_and_names_january_missing(q4: annex.Annex) -> None:
    assert q4.held() == ["2022-02", "2022-03"] and q4.missing() == ["2022-01"]
    assert set(q4.quarter_records()["month"]) == {"2022-02", "2022-03"}
    assert "No file is held for January 2022" in stop_search.stop_search_intro(q4)


def test_a_quarter_with_no_month_held_shows_no_stop_and_search_figures(q1_2021: annex.Annex) -> None:
    assert q1_2021.held() == [] and q1_2021.quarter_records().empty
    assert stop_search.stop_search_rates(q1_2021).empty
    shown = [item.data for item in stop_search.section(q1_2021) + stop_search.outcomes_section(q1_2021)]
    assert len(shown) == 2 and "No police.uk record-level stop and search data are held" in shown[0]
    assert "no police.uk file is held for its months" in shown[1]
    assert len(trend.section(q1_2021)) == 1
    assert "<img" not in "".join(shown) and "<table" not in "".join(shown)


def test_no_quarter_shows_another_period_s_stop_and_search(
    report: annex.Annex, q4: annex.Annex, q1_2021: annex.Annex
) -> None:
    for quarter in (report, q4, q1_2021):
        assert set(quarter.quarter_records()["month"]) <= set(quarter.months)
        assert set(quarter.records["month"]) <= set(quarter.window)


def test_a_deleted_month_is_named_missing_and_the_others_are_used(tmp_project: Path) -> None:
    (tmp_project / "data/sources/stop_search/2022-05-metropolitan-stop-and-search.csv").unlink()
    index = tmp_project / "data/sources/SOURCES.csv"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text("".join(line for line in lines if "2022-05-metropolitan" not in line), encoding="utf-8")
    loaded = annex.load(load_params("2022-23-Q1"))
    assert loaded.held() == ["2022-04", "2022-06"] and loaded.missing() == ["2022-05"]
    assert "No file is held for May 2022" in stop_search.stop_search_intro(loaded)


def test_an_unlisted_duplicate_month_file_is_refused(tmp_project: Path) -> None:
    folder = tmp_project / "data/sources/stop_search"
    shutil.copy(
        folder / "2021-12-metropolitan-stop-and-search.csv", folder / "2022-01-metropolitan-stop-and-search.csv"
    )
    with pytest.raises(InputError) as caught:
        annex.load(load_params("2022-23-Q1"))
    message = str(caught.value)
    assert "2022-01-metropolitan-stop-and-search.csv: is not listed in data/sources/SOURCES.csv" in message
    assert "is byte-identical to data/sources/stop_search/2021-12-metropolitan-stop-and-search.csv" in message


def test_the_officer_defined_mixed_group_is_not_applicable(report: annex.Annex) -> None:
    shown = stop_search.stop_search_chart(report).data
    row = shown[(shown["Ethnicity recorded as"] == "Officer-defined") & (shown["Ethnic group"] == "Mixed")].iloc[0]
    assert row["Person searches"] == "not applicable" and row["Rate per 1,000 (a month)"] == "not applicable"
    self_row = shown[(shown["Ethnicity recorded as"] == "Self-defined") & (shown["Ethnic group"] == "Mixed")].iloc[0]
    assert self_row["Person searches"] not in ("0", "not applicable")


def test_a_count_below_the_threshold_has_no_rate_or_ratio() -> None:
    counts = pd.Series({"Asian": 9, "Black": 50, "Mixed": 10, "White": 100, "Other": 0})
    population = pd.DataFrame({"group": ["Asian", "Black", "Mixed", "White", "Other"], "population": [1000] * 5})
    table = rates.rates_by_group(counts, population, threshold=10).set_index("group")
    assert table.loc["Asian", ["rate", "ratio"]].isna().all()
    assert table.loc["Mixed", ["rate", "ratio"]].notna().all()


def _with_threshold(quarter: str, threshold: int) -> ReportParams:
    params = load_params(quarter)
    return params.model_copy(update={"annex": params.annex.model_copy(update={"suppression_threshold": threshold})})


def _every_output(loaded: annex.Annex) -> list[object]:
    return [
        periods.periods_table(loaded),
        *stop_search.section(loaded),
        *stop_search.outcomes_section(loaded),
        *trend.section(loaded),
        *london.section(loaded),
        *eff.section(loaded),
        use_of_force.use_of_force_chart(loaded, "All tactics"),
        use_of_force.use_of_force_chart(loaded, "Taser (CED)"),
        *use_of_force.use_of_force_sentences(loaded),
        use_of_force.use_of_force_intro(loaded),
        methods.methods_text(loaded),
        methods.sources_table(loaded),
    ]


def test_a_threshold_of_a_million_suppresses_everything_and_runs() -> None:
    loaded = annex.load(_with_threshold("2022-23-Q1", 1_000_000))
    outputs = _every_output(loaded)
    shown = stop_search.stop_search_chart(loaded).data
    values = shown.drop(columns=["Ethnicity recorded as", "Ethnic group", "Population (Census 2021)"])
    assert set(values.to_numpy().ravel()) <= {"not shown", "not applicable", "reference", ""}
    assert trend.ratio_table(loaded).drop(columns="Month").isin(["not shown", "not held"]).all().all()
    assert "47,058" not in str(stop_search.outcomes_chart(loaded).data.to_numpy())
    assert outputs


def test_a_threshold_above_one_group_s_count_suppresses_it_without_error() -> None:
    loaded = annex.load(_with_threshold("2022-23-Q1", 2_000))
    table = stop_search.stop_search_rates(loaded).set_index(["definition", "group"])
    assert pd.isna(table.loc[("Self-defined", "Mixed"), "rate"])
    assert _every_output(loaded)


def test_the_quarter_is_compared_with_the_previous_quarter_with_a_test(report: annex.Annex, q4: annex.Annex) -> None:
    table = trend.comparison(report).set_index("definition")
    officer = table.loc["Officer-defined"]
    assert officer["earlier_months"] == ["2022-02", "2022-03"] and officer["later_months"] == report.months
    now = stopsearch.searches_by_ethnicity(report.quarter_records(), "officer")
    before = stopsearch.searches_by_ethnicity(q4.quarter_records(), "officer")
    expected = stats.ratio_change((before["Black"], before["White"]), (now["Black"], now["White"]))
    assert officer["change"].estimate.value == pytest.approx(expected.estimate.value)
    assert officer["change"].p_value == pytest.approx(expected.p_value)


def test_the_12_month_view_covers_every_month_held(report: annex.Annex) -> None:
    shown = trend.ratio_table(report)
    assert len(shown) == 12 and shown["Month"].iloc[0] == "July 2021"
    not_held = shown[shown["Self-defined: ratio (95% CI)"] == "not held"]["Month"].tolist()
    assert not_held == ["July 2021", "August 2021", "January 2022"]
    assert len(trend.monthly(report)["month"].unique()) == 9


def test_london_combines_both_forces_against_all_of_london(report: annex.Annex) -> None:
    table = london.areas(report).set_index(["definition", "area", "group"])
    met = table.loc[("Self-defined", "Metropolitan Police", "Black"), "count"]
    city = table.loc[("Self-defined", "City of London Police", "Black"), "count"]
    combined = table.loc[("Self-defined", london.COMBINED, "Black")]
    assert combined["count"] == met + city
    assert combined["rate"] == pytest.approx(1000 * (met + city) / report.denominator("Black") / 3)
    assert pd.isna(table.loc[("Self-defined", "City of London Police", "Black"), "rate"])


def test_annual_datasets_are_titled_latest_available(report: annex.Annex) -> None:
    assert (
        use_of_force.use_of_force_heading(report) == "Use of force and Taser (latest available: financial year 2019/20)"
    )
    assert eff.eff_heading().startswith("Cross-check with Ethnicity Facts and Figures (latest available: year ending")
    assert pas.pas_by_ethnicity_heading() == "By ethnicity (latest available: April 2015 to March 2021, pooled)"


def test_pas_trend_ends_at_the_report_quarter(q4: annex.Annex) -> None:
    assert pas.pas_trend(q4)["quarter"].max() == "2021-22-Q4"


def test_pas_previous_quarter_change_of_one_point_is_not_significant(report: annex.Annex) -> None:
    shown = pas.pas_changes_table(report).set_index("Measure")
    assert shown.loc["Trust the MPS", "Change on previous quarter"] == "difference -1 point, not significant"


def test_methods_state_the_threshold_in_the_params(report: annex.Annex) -> None:
    assert any("on a count below 10 " in p for p in methods.methods_text(report))


def test_methods_text_does_not_depend_on_the_size_of_a_label_mapping(
    report: annex.Annex, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = methods.methods_text(report)
    monkeypatch.setitem(stopsearch.SELF_DEFINED_GROUP, "Another label", "Other")
    monkeypatch.setitem(stopsearch.OFFICER_DEFINED_GROUP, "Another label", "Other")
    assert methods.methods_text(report) == before


def test_no_sentence_states_a_ratio_or_change_unsupported(report: annex.Annex) -> None:
    texts = [
        *stop_search.stop_search_sentences(report),
        *eff.eff_explanation(report),
        *trend.comparison_sentences(report),
        *london.denominators_text(report),
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


def test_sources_table_lists_exactly_the_files_used_publisher_first(report: annex.Annex) -> None:
    used = [p.name for p in sources.input_files(report.params) if p.name != sources.SOURCES_INDEX]
    shown = methods.sources_table(report)
    assert sorted(shown["File"]) == sorted(used)
    assert shown.columns[0] == "Publisher" and "Copied from" not in " ".join(shown.columns)
    assert shown["Publisher"].iloc[0].startswith("data.police.uk")
    assert "2022-09-metropolitan-stop-and-search.csv" not in shown["File"].tolist()  # listed, held, not used
    rows = shown.set_index("File")["Rows used"]
    assert rows["2022-04-metropolitan-stop-and-search.csv"] == "14,585"


def test_load_reports_every_problem_at_once(tmp_project: Path) -> None:
    target = tmp_project / "data" / "sources" / "pas" / "PAS_Total.csv"
    target.write_bytes(target.read_bytes() + b"\r\n")
    folder = tmp_project / "data/sources/stop_search"
    shutil.copy(folder / "2022-04-city-of-london-stop-and-search.csv", folder / "2022-05-met-stop-and-search.csv")
    with pytest.raises(InputError) as caught:
        annex.load(load_params("2022-23-Q1"))
    message = str(caught.value)
    assert "pas/PAS_Total.csv has sha256" in message
    assert "2022-05-met-stop-and-search.csv, file name: force 'met' is not one the annex reads" in message


def test_sources_index_lists_every_stop_search_file_held() -> None:
    with (ROOT / "data/sources/SOURCES.csv").open(encoding="utf-8", newline="") as handle:
        listed = {row["file"] for row in csv.DictReader(handle)}
    held = {f"stop_search/{p.name}" for p in (ROOT / "data/sources/stop_search").glob("*.csv")}
    assert held <= listed


def test_a_run_checks_and_opens_only_the_source_files_it_uses(tmp_project: Path) -> None:
    unused = tmp_project / "data/sources/stop_search/2022-09-metropolitan-stop-and-search.csv"
    replace_file(unused, unused.read_bytes() + b"\n")
    annex.load(load_params("2022-23-Q1"))  # September 2022 is in no window: neither checked nor read
    with pytest.raises(InputError, match=r"2022-09-metropolitan-stop-and-search.csv has sha256"):
        sources.check_sources()


def test_a_quarter_after_the_borough_file_says_so_instead_of_failing(report: annex.Annex) -> None:
    # found by benchmarks/scale.py: a quarter after the borough file's last raised IndexError
    held = report.pas_boroughs[report.pas_boroughs["quarter"].map(Quarter.parse) < report.quarter]
    earlier = dataclasses.replace(report, pas_boroughs=held)
    shown = [item.data for item in pas.pas_boroughs_section(earlier)]
    assert len(shown) == 1
    assert "holds no figures for the 12 months to 30 June 2022 (2022-23-Q1)" in shown[0]
    assert "its latest are for the 12 months to 31 March 2022." in shown[0]
    assert len(pas.pas_boroughs_section(report)) == 2  # the quarter's own: table and chart
