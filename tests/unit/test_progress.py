import html
import re
from pathlib import Path

import pytest

from mapreport.core.params import load_params
from mapreport.reports import figures_section, headline, history, progress
from mapreport.sources import status


@pytest.fixture
def q1(tmp_project: Path) -> progress.ProgressData:
    return progress.load(load_params("2022-23-Q1"))


def test_one_headline_count_with_the_sources_claim_beside_it(q1: progress.ProgressData) -> None:
    text = html.unescape(headline.box(q1).data)
    delivered = int((q1.latest["stage"] == "delivered").sum())
    assert f"{delivered} of the 43 actions in the plan have been delivered by the end of April to June 2022" in text
    assert "(4 more than by the end of January to March 2022)" in text
    assert "The MPS's own count is 21 of its 23 actions delivered" in text
    assert "on the same actions this report reads 11 as delivered" in text


def test_the_headline_gives_trust_and_officers_with_period_source_and_direction(q1: progress.ProgressData) -> None:
    text = html.unescape(headline.box(q1).data)
    assert "72% of Londoners trust the MPS (12 months to 30 June 2022, MOPAC Public Attitude Survey), down 7 " in text
    assert "the change is statistically significant" in text
    assert "were 16.2% of MPS officers at December 2021" in text and "up from 15.7% at April 2021" in text
    assert "the plan's target is 16% by December 2022" in text
    assert text.count("<li>") <= 5


def test_the_first_quarter_states_no_claim(tmp_project: Path) -> None:
    first = progress.load(load_params("2021-22-Q1"))
    assert "MPS's own count" not in headline.box(first).data
    assert "This is the first edition" in headline.box(first).data
    assert "first quarter in this series" in progress.changes_sentence(first)
    assert progress.changes_tables(first) is None


def test_counts_are_of_the_latest_known_stage_and_show_no_not_reported_bar(q1: progress.ProgressData) -> None:
    table = progress.delivery_table(q1)
    assert table["Stage"].tolist() == list(status.STAGES)
    assert table["Actions"].sum() == 42  # 3.h has no update in any source held
    assert "(3.h)" in progress.delivery_sentence(q1)
    assert status.NOT_REPORTED not in progress.delivery_chart(q1).alt


def test_delivery_by_theme_adds_up_to_the_register(q1: progress.ProgressData) -> None:
    table = progress.delivery_by_theme(q1)
    assert list(table.columns) == ["Theme", *status.STAGES, "no update held", "Total"]
    assert table["Total"].sum() == 43


def test_carried_forward_actions_say_when_they_were_reported(q1: progress.ProgressData) -> None:
    text = progress.actions_by_theme(q1).data
    row = re.search(r"action-5-c.*?</tr>", text, re.S)
    assert row is not None and "<td>delivered</td>" in row[0] and "<td>2021-22-Q4</td>" in row[0]
    assert f'href="{history.PAGE}#action-5-c"' in text


def test_what_changed_lists_only_real_moves(q1: progress.ProgressData) -> None:
    sentence = progress.changes_sentence(q1)
    assert "5 moved forward, 1 moved back, 1 newly overdue" in sentence
    assert "a gap in a source's coverage is not a change" in sentence
    tables = progress.changes_tables(q1)
    assert tables is not None and "no longer reported" not in tables.data


def test_delivered_to_date_grows_quarter_by_quarter(q1: progress.ProgressData) -> None:
    assert q1.growth["Delivered to date"].tolist() == [1, 9, 13]
    assert "1 by 2021-22-Q1, then 9 by 2021-22-Q4, then 13 by 2022-23-Q1" in progress.growth_sentence(q1)


def test_the_reconciliation_explains_the_denominator(q1: progress.ProgressData) -> None:
    text = progress.reconciliation_section(q1).data
    assert "The source counts 21 of 23 of its actions as delivered; this report reads 11 of the same 23" in text
    assert "Action 23a" in text


def test_only_the_plans_own_aims_are_called_its_targets(q1: progress.ProgressData) -> None:
    aims = figures_section._aims_table(q1)
    plan = aims[aims["Who set it"] == "The plan's target (EIA Appendix A)"]
    assert sorted(plan["Aim"]) == ["16%", "21%", "28%", "40%"]
    assert all(
        who.startswith("MPS aim, in MPS paper to the Oversight Board") or who.startswith("MPS aim, in")
        for who in aims.loc[aims["Who set it"] != "The plan's target (EIA Appendix A)", "Who set it"]
    )
    text = html.unescape(figures_section.section(q1).data)
    assert "BAME" not in re.sub(r"“[^”]*”", "", text), "the sources' term is used only inside quotation marks"


def test_figures_chart_only_values_held_for_more_than_one_period(q1: progress.ProgressData) -> None:
    trends = figures_section.trend_series(q1)
    assert not trends.empty
    counts = trends.groupby(["measure", "breakdown", "group"])["month"].nunique()
    assert (counts > 1).all()
    text = figures_section.section(q1).data
    assert (
        text.count("<figure")
        == trends[trends["measure"].str.startswith("workforce")][["breakdown", "group"]].drop_duplicates().shape[0]
        + trends[~trends["measure"].str.startswith("workforce")]["measure"].nunique()
    )
    assert "Source: " in text
