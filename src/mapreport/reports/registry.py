"""The report registry: each report declared once, and everything that iterates over reports reads it.

An entry names the report, its title, its notebook template, the inputs it reads for given params (from the input
catalogue), the function that loads its data, and its extra outputs. Adding a report is one module, one notebook
and one entry here. Kept free of pandas: the loader is imported only when a report's data is loaded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mapreport.core import paths
from mapreport.core.params import ReportParams
from mapreport.sources import catalogue

WORD = "docx"
"""An extra output: the report as a Word document."""


@dataclass(frozen=True)
class Report:
    """One report: what it is called, what it reads, how it loads and what it makes besides its HTML."""

    name: str
    title: str
    declared_inputs: Callable[[ReportParams], list[Path]]
    loader: str
    """`module:function` taking ReportParams and returning the report's data, checked."""
    extra_outputs: tuple[str, ...] = ()

    @property
    def template(self) -> Path:
        """The notebook template in notebooks/."""
        return paths.notebooks_dir() / f"{self.name}.ipynb"

    def inputs(self, params: ReportParams) -> list[Path]:
        """Every file the report reads for these params, the params file first, each once, in a stable order."""
        files = [catalogue.params_file(params.quarter), *self.declared_inputs(params)]
        return list(dict.fromkeys(files))

    def load(self, params: ReportParams) -> object:
        """Load and check the report's data, as its notebook does (raises InputError on bad input)."""
        module, function = self.loader.split(":")
        load: Callable[[ReportParams], object] = getattr(importlib.import_module(module), function)
        return load(params)


def _progress_inputs(params: ReportParams) -> list[Path]:
    return [
        *catalogue.documents(),
        catalogue.register_file(),
        *catalogue.statuses(params),
        *catalogue.figures(),
        catalogue.pas_total_file(),
    ]


def _history_inputs(params: ReportParams) -> list[Path]:
    return [*catalogue.documents(), catalogue.register_file(), *catalogue.statuses(params)]


def _eia_inputs(params: ReportParams) -> list[Path]:
    return [
        *catalogue.documents(),
        catalogue.register_file(),
        *catalogue.statuses(params),
        *catalogue.eia_files_with_previous(params.eia_revision),
        catalogue.figures_file(),
        catalogue.measures_file(),
    ]


REPORTS = (
    Report(
        "progress_report",
        "Quarterly progress update",
        _progress_inputs,
        "mapreport.reports.progress:load",
    ),
    Report(
        "action_history",
        "Action history",
        _history_inputs,
        "mapreport.reports.history:load",
    ),
    Report(
        "eia_report",
        "Equality impact assessment",
        _eia_inputs,
        "mapreport.reports.eia:load",
        extra_outputs=(WORD,),
    ),
    Report(
        "equality_annex",
        "Equality data annex",
        catalogue.published_files,
        "mapreport.reports.annex:load",
    ),
)


def report(name: str) -> Report:
    """The registry entry of a report, by name."""
    for entry in REPORTS:
        if entry.name == name:
            return entry
    raise KeyError(f"unknown report {name!r}; expected one of {', '.join(r.name for r in REPORTS)}")


def names() -> tuple[str, ...]:
    """Every report's name, in publication order."""
    return tuple(r.name for r in REPORTS)
