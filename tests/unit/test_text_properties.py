"""Property: rendering an update or EIA text never drops, adds or reorders a letter or digit of the source.

Source text is prose with a few allowed tags; whatever else it holds (angle brackets, ampersands, Markdown
punctuation, numbered lines) must reach the reader. The letters and digits of the rendered HTML's text must be
exactly those of the source once its allowed tags are taken out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapreport.present.sanitise import _ALLOWED_TAG, markdown_to_html

WORDS = st.sampled_from(
    ["The", "Charter", "2021", "2022", "1", "b", "p", "a", "em", "script", "img", "amp", "lt", "Stop", "é", "Ünïcode"]
)
PUNCTUATION = st.sampled_from(
    [
        *"<>/.)(*_#-+![]:&;=\"'`~|\\",
        " ",
        " ",
        "\n",
        "\n\n",
        "<b>",
        "</b>",
        "<p>",
        "</p>",
        "<br>",
        "&amp;",
        "1. ",
        '<ul style="x">',
        "</ul>",
        "<li>",
        "<b and c>",
    ]
)
TEXTS = st.lists(st.one_of(WORDS, PUNCTUATION), max_size=40).map("".join)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def rendered_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_every_letter_and_digit_of_the_source_reaches_the_rendered_text(text: str) -> None:
    source = _ALLOWED_TAG.sub(" ", text)
    assert letters(rendered_text(markdown_to_html(text))) == letters(source)


def test_the_property_would_catch_a_dropped_tag_like_text() -> None:
    assert letters(rendered_text("<p>The </p>")) != letters(re.sub(r"<p>|</p>", "", "<p>The <Charter></p>"))


@pytest.mark.parametrize("text", [">1. ", "- 2021. was the year", "> 3) the third", "* 5. five"])
def test_a_number_opening_a_quote_or_a_list_item_is_kept(text: str) -> None:
    # found by the property above: "> 1. " made an empty numbered list inside the quote, and the 1 vanished
    assert letters(rendered_text(markdown_to_html(text))) == letters(text)
