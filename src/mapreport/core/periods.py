"""UK financial-year quarters: `2022-23-Q1` is April to June 2022."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

QUARTER_PATTERN = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])\Z", re.ASCII)
_MONTHS = (
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
)


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter; `start_year` is the calendar year in which the financial year starts."""

    start_year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse `YYYY-YY-QN`, checking that the two years are consecutive."""
        match = QUARTER_PATTERN.match(str(text))
        if not match:
            shown = str(text) if len(str(text)) <= 40 else f"{str(text)[:39]}…"
            raise ValueError(f"{shown!r} is not a quarter; expected the form 2022-23-Q1")
        start, end, number = int(match[1]), int(match[2]), int(match[3])
        if (start + 1) % 100 != end:
            raise ValueError(
                f"'{text}' names years that are not consecutive; expected e.g. {start}-{(start + 1) % 100:02d}-Q{number}"
            )
        return cls(start, number)

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter that contains a date."""
        start_year = day.year if day.month >= 4 else day.year - 1
        return cls(start_year, (day.month - 4) % 12 // 3 + 1)

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}-Q{self.number}"

    @property
    def first_month(self) -> date:
        month = (self.number - 1) * 3 + 4
        year = self.start_year if month <= 12 else self.start_year + 1
        return date(year, (month - 1) % 12 + 1, 1)

    @property
    def end_date(self) -> date:
        """The last day of the quarter."""
        following = self.shifted(1).first_month
        return date.fromordinal(following.toordinal() - 1)

    def shifted(self, quarters: int) -> Quarter:
        index = self.start_year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def months(self) -> str:
        """The quarter in words: 'April to June 2022'."""
        first = (self.number - 1) * 3
        year = self.start_year if self.number < 4 else self.start_year + 1
        return f"{_MONTHS[first]} to {_MONTHS[first + 2]} {year}"

    @property
    def label(self) -> str:
        """Plain words: 'April to June 2022 (2022/23 Quarter 1)'."""
        return f"{self.months} ({self.start_year}/{(self.start_year + 1) % 100:02d} Quarter {self.number})"
