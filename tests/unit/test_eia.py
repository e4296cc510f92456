import shutil
from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.sources.eia import figures_without_source, load_eia
from mapreport.sources.register import load_register
from tests.conftest import TEST_DATA, replace_in

REVISION = "test-rev"


@pytest.fixture
def eia_folder(tmp_project: Path) -> Path:
    folder = tmp_project / "data/eia" / REVISION
    shutil.copytree(TEST_DATA / "eia/valid", folder)
    return folder


def test_loads_nine_characteristics_in_the_acts_order(eia_folder: Path) -> None:
    assessment = load_eia(REVISION, load_register())
    assert [c.fields.characteristic for c in assessment.characteristics][:3] == [
        "Age",
        "Disability",
        "Gender reassignment",
    ]
    assert len(assessment.characteristics) == 9
    assert assessment.plan["Aims"] == "Test aims."


def test_a_dangling_action_reference_names_file_and_reference(eia_folder: Path) -> None:
    replace_in(eia_folder / "age.md", '"4.c"', '"4.z"')
    with pytest.raises(
        InputError, match=r"data/eia/test-rev/age.md, field 'mitigating_actions': '4.z' is not an action"
    ):
        load_eia(REVISION, load_register())


def test_a_missing_characteristic_is_named(eia_folder: Path) -> None:
    (eia_folder / "sex.md").unlink()
    with pytest.raises(
        InputError, match=r"data/eia/test-rev/sex.md: missing: every EIA needs the characteristic 'Sex'"
    ):
        load_eia(REVISION, load_register())


def test_an_impact_outside_the_vocabulary_is_refused(eia_folder: Path) -> None:
    replace_in(eia_folder / "race.md", "impact: positive", "impact: good")
    with pytest.raises(InputError, match=r"race.md, field 'impact': 'good' is not an impact; expected one of positive"):
        load_eia(REVISION, load_register())


def test_a_figure_without_a_source_is_refused(eia_folder: Path) -> None:
    replace_in(eia_folder / "age.md", "agreed [S1].", "agreed.")
    with pytest.raises(InputError, match=r"age.md, section '## Context': quotes a figure without a source"):
        load_eia(REVISION, load_register())


def test_an_undefined_citation_is_refused(eia_folder: Path) -> None:
    replace_in(eia_folder / "age.md", "agreed [S1].", "agreed [S2].")
    with pytest.raises(InputError, match=r"age.md, citation \[S2\]: is not defined under 'sources'"):
        load_eia(REVISION, load_register())


def test_a_second_file_for_one_characteristic_is_refused(eia_folder: Path) -> None:
    shutil.copy(eia_folder / "age.md", eia_folder / "age-2.md")
    with pytest.raises(InputError, match=r"age-2.md, file name: is not one of the nine characteristic files"):
        load_eia(REVISION, load_register())


def test_the_characteristic_must_match_the_file(eia_folder: Path) -> None:
    replace_in(eia_folder / "sex.md", "characteristic: Sex", "characteristic: Age")
    with pytest.raises(InputError, match=r"sex.md, field 'characteristic': says 'Age' but the file is for 'Sex'"):
        load_eia(REVISION, load_register())


def test_a_missing_section_is_named(eia_folder: Path) -> None:
    replace_in(eia_folder / "age.md", "## Policy", "## Polcy")
    with pytest.raises(InputError, match=r"age.md, section '## Policy': is missing or empty"):
        load_eia(REVISION, load_register())


def test_missing_front_matter_is_explained(eia_folder: Path) -> None:
    (eia_folder / "age.md").write_text("## Context\n\nText.\n")
    with pytest.raises(InputError, match=r"age.md, line 1: expected front matter between two '---' lines"):
        load_eia(REVISION, load_register())


def test_a_front_matter_syntax_error_names_the_file_line(eia_folder: Path) -> None:
    replace_in(eia_folder / "age.md", "impact: ", "impact: x: ")
    with pytest.raises(InputError, match=r"age.md, line 3, column \d+: is not valid YAML"):
        load_eia(REVISION, load_register())


def test_an_unknown_revision_lists_those_held(eia_folder: Path) -> None:
    with pytest.raises(InputError, match=r"no EIA revision '2099-01'; revisions held: .*test-rev"):
        load_eia("2099-01", load_register())


def test_years_are_not_figures_but_percentages_are() -> None:
    assert figures_without_source("The Equality Act 2010 applies. In 2019 it was 41%.") == ["In 2019 it was 41%."]


def test_the_cover_fields_are_read_from_the_plan(eia_folder: Path) -> None:
    cover = load_eia(REVISION, load_register()).plan_source
    assert (cover.owner, cover.review_date) == ("Test owner", "Not stated in the published EIA")


def test_a_missing_sign_off_field_is_named(eia_folder: Path) -> None:
    replace_in(eia_folder / "_plan.md", 'signed_off_by: "Not stated in the published EIA"\n', "")
    with pytest.raises(InputError, match=r"test-rev/_plan.md, field 'signed_off_by': is missing; add it"):
        load_eia(REVISION, load_register())


def test_an_empty_cover_field_says_what_to_write(eia_folder: Path) -> None:
    replace_in(eia_folder / "_plan.md", 'review_date: "Not stated in the published EIA"', 'review_date: " "')
    with pytest.raises(InputError, match=r"field 'review_date': is empty; write the value, or 'Not stated in the"):
        load_eia(REVISION, load_register())


def test_a_revision_folder_without_a_plan_is_refused(eia_folder: Path) -> None:
    (eia_folder / "_plan.md").unlink()
    with pytest.raises(InputError, match=r"test-rev/_plan.md: file not found"):
        load_eia(REVISION, load_register())
