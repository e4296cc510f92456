"""The equality impact assessment: one Markdown file per protected characteristic, checked against the register."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.yamlio import parse_yaml, read_text
from mapreport.sources import catalogue

CHARACTERISTICS = {
    "age": "Age",
    "disability": "Disability",
    "gender-reassignment": "Gender reassignment",
    "marriage-and-civil-partnership": "Marriage and civil partnership",
    "pregnancy-and-maternity": "Pregnancy and maternity",
    "race": "Race",
    "religion-and-belief": "Religion and belief",
    "sex": "Sex",
    "sexual-orientation": "Sexual orientation",
}
IMPACTS = ("positive", "negative", "neutral", "mixed", "unknown")
SECTIONS = ("Context", "Policy")
PLAN_SECTIONS = ("Aims", "Strategic outcomes", "Areas for further engagement")
CITATION = re.compile(r"\[(S\d+)\]")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'‘“])")
_FIGURE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?%| per cent)?")
_YEAR = re.compile(r"^(19|20)\d\d$")
COVER_FIELDS = ("title", "owner", "version", "date_of_assessment", "signed_off_by", "sign_off_date", "review_date")
"""The cover-sheet fields of _plan.md, in the order the cover shows them."""


class CharacteristicFields(BaseModel):
    """The structured fields at the top of a characteristic's file."""

    model_config = ConfigDict(extra="forbid")

    characteristic: Literal[tuple(CHARACTERISTICS.values())]  # type: ignore[valid-type]
    impact: Literal[IMPACTS]  # type: ignore[valid-type]
    impact_text: str
    mitigating_actions: list[str]
    sources: dict[str, str] = {}
    source_doc: str
    source_ref: str


class PlanFields(BaseModel):
    """The structured fields of the plan-level file (_plan.md): the cover sheet of the assessment and its source.

    Every cover field is required: where the published EIA does not state one, the field says so in words.
    """

    model_config = ConfigDict(extra="forbid")

    title: str
    owner: str
    version: str
    date_of_assessment: str
    signed_off_by: str
    sign_off_date: str
    review_date: str
    source_doc: str
    source_ref: str

    @field_validator(*COVER_FIELDS)
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty; write the value, or 'Not stated in the published EIA' where the EIA has none")
        return value.strip()


@dataclass(frozen=True)
class Characteristic:
    """One protected characteristic's assessment."""

    file: str
    fields: CharacteristicFields
    context: str
    policy: str


@dataclass(frozen=True)
class Assessment:
    """The whole EIA of one revision."""

    revision: str
    plan: dict[str, str]
    plan_source: PlanFields
    characteristics: list[Characteristic]


def _split(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Front matter as a mapping and the body's `## ` sections by heading."""
    name = paths.relative(path)
    text = read_text(path).replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise InputError.single(name, "line 1", "expected front matter between two '---' lines at the top of the file")
    front = parse_yaml(match[1], path, first_line=2)
    if not isinstance(front, dict):
        raise InputError.single(name, "front matter", "expected 'key: value' lines")
    sections: dict[str, str] = {}
    current = None
    for line in match[2].splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return front, {k: v.strip() for k, v in sections.items()}


def _field_problems(error: ValidationError, name: str, model: type[BaseModel] = CharacteristicFields) -> list[Problem]:
    problems = []
    template = "the notes at the top of _plan.md" if model is PlanFields else "data/eia/_template.md"
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"])
        if item["type"] == "extra_forbidden":
            message = f"unknown field; expected only {', '.join(model.model_fields)}"
        elif item["type"] == "missing":
            message = f"is missing; add it (see {template})"
        elif key == "impact":
            message = f"{item['input']!r} is not an impact; expected one of {', '.join(IMPACTS)}"
        elif key == "characteristic":
            message = f"{item['input']!r} is not a protected characteristic; expected one of {', '.join(CHARACTERISTICS.values())}"
        elif item["type"] == "value_error":
            message = str(item["ctx"]["error"])
        else:
            message = f"{item['msg']} (got {item['input']!r})"
        problems.append(Problem(name, f"field '{key}'", message))
    return problems


def figures_without_source(context: str) -> list[str]:
    """Sentences of the context that quote a figure (not just a year) but cite no source like [S1]."""
    bare = []
    for sentence in _SENTENCE_END.split(context):
        numbers = [n for n in _FIGURE.findall(sentence) if not _YEAR.match(n.strip())]
        if numbers and not CITATION.search(sentence):
            bare.append(sentence.strip())
    return bare


def _check_characteristic(path: Path, actions: pd.Index) -> tuple[Characteristic | None, list[Problem]]:
    name = paths.relative(path)
    try:
        front, sections = _split(path)
        fields = CharacteristicFields.model_validate(front)
    except InputError as exc:
        return None, exc.problems
    except ValidationError as exc:
        return None, _field_problems(exc, name)
    problems = [
        Problem(
            name,
            "field 'mitigating_actions'",
            f"{ref!r} is not an action in data/register/actions.csv; "
            "expected an id like 4.c (section number, dot, letter)",
        )
        for ref in fields.mitigating_actions
        if ref not in actions
    ]
    expected = CHARACTERISTICS.get(path.stem)
    if expected is not None and fields.characteristic != expected:
        problems.append(
            Problem(name, "field 'characteristic'", f"says {fields.characteristic!r} but the file is for {expected!r}")
        )
    problems += [
        Problem(name, f"section '## {s}'", "is missing or empty; add it") for s in SECTIONS if not sections.get(s)
    ]
    body = "\n".join(sections.get(s, "") for s in SECTIONS)
    problems += [
        Problem(name, f"citation [{key}]", "is not defined under 'sources' in the front matter")
        for key in sorted(set(CITATION.findall(body)) - set(fields.sources))
    ]
    problems += [
        Problem(
            name,
            "section '## Context'",
            f"quotes a figure without a source; end the sentence with a citation like [S1]: {s[:90]!r}",
        )
        for s in figures_without_source(sections.get("Context", ""))
    ]
    if problems:
        return None, problems
    return Characteristic(name, fields, sections["Context"], sections["Policy"]), []


def _load_plan(folder: Path) -> tuple[dict[str, str], PlanFields]:
    path = folder / "_plan.md"
    name = paths.relative(path)
    front, sections = _split(path)
    try:
        fields = PlanFields.model_validate(front)
    except ValidationError as exc:
        raise InputError(_field_problems(exc, name, PlanFields)) from None
    missing = [
        Problem(name, f"section '## {s}'", "is missing or empty; add it") for s in PLAN_SECTIONS if not sections.get(s)
    ]
    if missing:
        raise InputError(missing)
    return {s: sections[s] for s in PLAN_SECTIONS}, fields


def load_eia(revision: str, register: pd.DataFrame) -> Assessment:
    """Load and check one EIA revision: nine characteristics exactly once, valid impacts, references that resolve."""
    folder = catalogue.eia_folder(revision)
    if not folder.is_dir():
        parent = paths.data_dir() / "eia"
        known = sorted(p.name for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []
        raise InputError.single(
            paths.relative(folder), "", f"no EIA revision {revision!r}; revisions held: {', '.join(known) or 'none'}"
        )
    files = sorted(p for p in folder.glob("*.md") if not p.name.startswith("_"))
    problems: list[Problem] = []
    loaded: list[Characteristic] = []
    for path in files:
        if path.stem not in CHARACTERISTICS:
            problems.append(
                Problem(
                    paths.relative(path),
                    "file name",
                    f"is not one of the nine characteristic files: {', '.join(f'{s}.md' for s in CHARACTERISTICS)}",
                )
            )
            continue
        characteristic, found = _check_characteristic(path, register.index)
        problems += found
        if characteristic:
            loaded.append(characteristic)
    present = {p.stem for p in files}
    problems += [
        Problem(paths.relative(folder / f"{stem}.md"), "", f"missing: every EIA needs the characteristic {title!r}")
        for stem, title in CHARACTERISTICS.items()
        if stem not in present
    ]
    try:
        plan, plan_source = _load_plan(folder)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    order = list(CHARACTERISTICS.values())
    loaded.sort(key=lambda c: order.index(c.fields.characteristic))
    return Assessment(revision, plan, plan_source, loaded)
