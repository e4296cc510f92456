"""The source files are the published files, byte for byte, as listed in data/sources/SOURCES.csv."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.sources import published
from tests.conftest import PROJECT

SOURCES = PROJECT / "data" / "sources"


def test_every_listed_file_has_its_listed_sha256() -> None:
    for row in published.load_sources().itertuples(index=False):
        assert hashlib.sha256((SOURCES / row.file).read_bytes()).hexdigest() == row.sha256, row.file


def test_every_file_in_sources_is_listed() -> None:
    listed = set(published.load_sources()["file"])
    present = {p.relative_to(SOURCES).as_posix() for p in SOURCES.rglob("*") if p.is_file() and p.parent != SOURCES}
    assert present == listed


def test_every_file_has_provenance_and_a_period_basis() -> None:
    table = published.load_sources()
    assert (table[["publisher", "period", "period_basis", "licence", "origin"]] != "").all().all()


def test_a_changed_file_is_refused(tmp_project: Path) -> None:
    target = tmp_project / "data" / "sources" / "pas" / "PAS_Total.csv"
    target.write_bytes(target.read_bytes() + b"\r\n")
    with pytest.raises(
        InputError,
        match=r"data/sources/SOURCES.csv, line \d+: pas/PAS_Total.csv has sha256 [0-9a-f]{64}, not the listed",
    ):
        published.check_sources()
