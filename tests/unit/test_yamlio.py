from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.core.yamlio import parse_yaml


def refusal(text: str, first_line: int = 1) -> str:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, Path("x.yaml"), first_line)
    return str(caught.value)


def test_a_key_given_twice_is_refused_with_both_lines() -> None:
    assert (
        refusal("a: 1\nb: 2\na: 3\n") == "x.yaml, line 3, column 1: key 'a' is given twice (first on line 1); keep one"
    )


def test_front_matter_lines_count_from_where_the_text_starts() -> None:
    assert refusal("a: 1\na: 2\n", first_line=2).startswith(
        "x.yaml, line 3, column 1: key 'a' is given twice (first on line 2)"
    )


def test_a_key_twice_in_a_flow_mapping_is_refused() -> None:
    assert "key 'b' is given twice" in refusal("a: {b: 1, b: 2}\n")


def test_anchors_and_aliases_are_refused_before_anything_expands() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    message = refusal(bomb)
    assert message == "x.yaml, line 1, column 4: an anchor (&a) is not allowed; write each value out"


def test_dates_stay_as_written_and_plain_yaml_still_loads() -> None:
    assert parse_yaml("when: 2022-06-30\nlist: [1, {k: v}]\n", Path("x.yaml")) == {
        "when": "2022-06-30",
        "list": [1, {"k": "v"}],
    }
