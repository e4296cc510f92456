from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.sources.register import load_register, split_list
from tests.conftest import replace_in


def test_the_register_holds_the_43_actions_of_appendix_a(tmp_project: Path) -> None:
    register = load_register()
    assert len(register) == 43
    assert register.groupby("section").size().to_dict() == {1: 6, 2: 7, 3: 12, 4: 12, 5: 6}


def test_section_one_lettering_quirk_is_kept_in_source_letter(tmp_project: Path) -> None:
    register = load_register()
    assert register.loc[["1.a", "1.b", "1.c", "1.d", "1.e", "1.f"], "source_letter"].tolist() == list("abcdaa")


def test_a_duplicate_action_id_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/register/actions.csv", "\n1.b,", "\n1.a,")
    with pytest.raises(InputError, match=r"data/register/actions.csv, lines 2, 3: duplicate action_id='1.a'"):
        load_register()


def test_a_malformed_action_id_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/register/actions.csv", "\n1.b,", "\n1b,")
    with pytest.raises(InputError, match=r"line 3, column 'action_id'.*expected an action id like 1.a"):
        load_register()


def test_an_uncited_document_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/register/actions.csv", ",eia-2020-11,", ",eia-2021,")
    with pytest.raises(InputError, match="cites unknown document 'eia-2021'"):
        load_register()


def test_split_list_reads_semicolon_cells() -> None:
    assert split_list(" 1; 23a ;") == ["1", "23a"]
