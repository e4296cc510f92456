"""The quarter's parameters: the only thing that differs between runs, checked before anything executes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem, excerpt
from mapreport.core.periods import Quarter
from mapreport.core.yamlio import load_yaml_file

FOLDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class AnnexParams(BaseModel):
    """Parameters of the equality data annex (the `annex` section of params/<quarter>.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    suppression_threshold: int
    """No count by ethnic group, rate or ratio is shown on a count below this (for a ratio: either count).

    The police.uk months are not parameters: a quarter's annex uses the files held for the months of its quarter
    (and, for the 12-month view, the eleven months before), found from the quarter itself."""
    pas_base_mps: int
    """Respondents behind an MPS-wide rolling 12-month PAS figure (not in the published file; the survey design)."""
    pas_base_borough: int
    """Respondents behind a borough's rolling 12-month PAS figure."""

    @field_validator("suppression_threshold", "pas_base_mps", "pas_base_borough")
    @classmethod
    def _is_positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be a whole number of at least 1")
        return value


class ReportParams(BaseModel):
    """Parameters of one quarter's run, as written in params/<quarter>.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    quarter: str
    previous_quarter: str | None = None
    """The quarter compared with; when left out, the latest earlier quarter with a params file (none: the first)."""
    allow_gap: bool = False
    """`previous_quarter` may skip a quarter that has params only when this is true (a deliberate comparison)."""
    eia_revision: str
    annex: AnnexParams

    @field_validator("quarter", "previous_quarter")
    @classmethod
    def _is_quarter(cls, value: str | None) -> str | None:
        if value is not None:
            Quarter.parse(value)
        return value

    @field_validator("eia_revision")
    @classmethod
    def _is_folder_name(cls, value: str) -> str:
        if not FOLDER_NAME.match(value):
            raise ValueError(
                "expected the name of a folder in data/eia/, e.g. 2020-11 (letters, digits, - and _; not a path)"
            )
        return value

    @property
    def period(self) -> Quarter:
        return Quarter.parse(self.quarter)

    @property
    def previous_period(self) -> Quarter | None:
        return Quarter.parse(self.previous_quarter) if self.previous_quarter else None

    @classmethod
    def from_notebook(cls, **values: Any) -> ReportParams:
        """The typed params rebuilt from the values papermill injected into a notebook (no second read of the YAML)."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise InputError(_problems(exc, "notebook parameters")) from None

    def notebook_parameters(self) -> dict[str, Any]:
        """What papermill injects into each notebook's `parameters` cell (`allow_gap` is a check of the file only)."""
        return self.model_dump(exclude={"allow_gap"})


def params_path(quarter: str) -> Path:
    return paths.params_dir() / f"{quarter}.yaml"


def available_quarters() -> list[str]:
    """Every quarter with a params file, oldest first."""
    return sorted(p.stem for p in paths.params_dir().glob("*.yaml"))


def _problems(error: ValidationError, file: str) -> list[Problem]:
    problems = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        if item["type"] == "extra_forbidden":
            model = AnnexParams if item["loc"][0] == "annex" and len(item["loc"]) > 1 else ReportParams
            allowed = ", ".join(model.model_fields)
            message = f"unknown key; expected only: {allowed} (check the spelling)"
        elif item["type"] == "missing":
            message = "is missing; add it"
        else:
            message = item["msg"].removeprefix("Value error, ")
            message = f"{message} (got {excerpt(item['input'])})"
        problems.append(Problem(file, f"key '{key}'", message))
    return problems


def load_params(quarter: str) -> ReportParams:
    """Load and check params/<quarter>.yaml; every problem is reported at once."""
    path = params_path(quarter)
    name = paths.relative(path)
    if not path.is_file():
        known = ", ".join(available_quarters()) or "none"
        raise InputError.single(name, "", f"no params file for quarter '{quarter}'; quarters with params: {known}")
    raw = load_yaml_file(path)
    if not isinstance(raw, dict):
        raise InputError.single(name, "top level", "expected a mapping of keys to values")
    try:
        params = ReportParams.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_problems(exc, name)) from None
    if params.quarter != quarter:
        raise InputError.single(
            name, "key 'quarter'", f"says {params.quarter} but the file is named for {quarter}; make them agree"
        )
    if params.previous_period is not None and params.previous_period >= params.period:
        raise InputError.single(
            name, "key 'previous_quarter'", f"{params.previous_quarter} is not before {params.quarter}"
        )
    return with_previous_quarter(params, name, "previous_quarter" in raw)


def latest_before(quarter: str) -> str | None:
    """The latest quarter before `quarter` that has a params file, if any."""
    period = Quarter.parse(quarter)
    earlier = [q for q in available_quarters() if _parses(q) and Quarter.parse(q) < period]
    return max(earlier, key=Quarter.parse) if earlier else None


def _parses(text: str) -> bool:
    try:
        Quarter.parse(text)
    except ValueError:
        return False
    return True


def with_previous_quarter(params: ReportParams, name: str, given: bool) -> ReportParams:
    """Derive a missing previous_quarter; refuse one that skips a quarter with params unless `allow_gap: true`."""
    latest = latest_before(params.quarter)
    if not given:
        return params.model_copy(update={"previous_quarter": latest})
    if params.previous_quarter is None and latest is not None and not params.allow_gap:
        raise InputError.single(
            name,
            "key 'previous_quarter'",
            f"is empty, but {latest} has params; set previous_quarter: {latest} (or leave the key out to use it), "
            "or add allow_gap: true to report this quarter as the first of the series",
        )
    skipped = params.previous_quarter is not None and latest is not None and latest != params.previous_quarter
    if skipped and not params.allow_gap:
        raise InputError.single(
            name,
            "key 'previous_quarter'",
            f"is {params.previous_quarter}, which skips {latest} (it has params); set previous_quarter: {latest},"
            " or add allow_gap: true to compare with the older quarter on purpose",
        )
    return params
