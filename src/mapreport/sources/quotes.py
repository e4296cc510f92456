"""Checking that quoted text and numbers really are in the cited document (whitespace- and quote-normalised)."""

from __future__ import annotations

import re

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2022": " ",
    }
)
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
MIN_RUN = 4
"""Words an update must match in a row: shorter runs are coincidences, not quotations."""


def normalise(text: str) -> str:
    """Lower case, markup dropped, curly quotes and dashes made plain, every run of whitespace one space."""
    return " ".join(_TAG.sub(" ", text).translate(_TYPOGRAPHY).split()).lower()


def quote_found(quote: str, document: str) -> bool:
    """The quote appears in the document, word for word once normalised (`document` already normalised)."""
    wanted = normalise(quote)
    return bool(wanted) and wanted in document


def unmatched_words(update: str, document: str) -> str | None:
    """Where an update stops following the document (`document` already normalised), or None if it follows it.

    An update is the document's text, perhaps with page furniture (running headers, page numbers) left out or
    paragraphs from two places joined: it is read as runs of at least MIN_RUN words, each found in the document.
    """
    words = normalise(update).split()
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and " ".join(words[start : end + 1]) in document:
            end += 1
        if end - start < min(MIN_RUN, len(words) - start):
            return " ".join(words[start : start + 8])
        start = end
    return None


def numbers_in(quote: str) -> list[float]:
    """Every number printed in a quote, thousands separators removed ('33,077' is 33077)."""
    return [float(match.replace(",", "")) for match in _NUMBER.findall(quote)]


def value_in_quote(value: float, quote: str) -> bool:
    """The value (or, for a stated difference, its size) is one of the numbers printed in the quote."""
    return any(abs(abs(value) - number) < 1e-9 for number in numbers_in(quote))
