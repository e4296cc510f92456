"""What changed between two EIA revisions: impacts, mitigating actions, cover fields and text, for EIA reviewers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from mapreport.present import show
from mapreport.sources import catalogue
from mapreport.sources.eia import COVER_FIELDS, Assessment, load_eia

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
COLUMNS = ["Part", "What changed", "Before", "After"]


@dataclass(frozen=True)
class Changes:
    """The differences from the previous revision (None where this is the first revision)."""

    revision: str
    previous: str | None
    table: pd.DataFrame


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]


def _text_rows(part: str, section: str, before: str, after: str) -> list[dict[str, str]]:
    """Sentences removed and added in one section of text (unchanged sentences are not listed)."""
    old, new = _sentences(before), _sentences(after)
    removed = [s for s in old if s not in new]
    added = [s for s in new if s not in old]
    if not removed and not added:
        return []
    return [
        {
            "Part": part,
            "What changed": f"{section}: {len(removed)} sentence(s) removed, {len(added)} added",
            "Before": " ".join(removed) or "–",
            "After": " ".join(added) or "–",
        }
    ]


def difference(previous: Assessment, current: Assessment) -> pd.DataFrame:
    """Row by row, what differs between two revisions of the EIA."""
    rows: list[dict[str, str]] = []
    for name in COVER_FIELDS:
        old, new = getattr(previous.plan_source, name), getattr(current.plan_source, name)
        if old != new:
            rows.append({"Part": "Cover", "What changed": name.replace("_", " "), "Before": old, "After": new})
    for section, text in current.plan.items():
        rows += _text_rows("Plan", section, previous.plan.get(section, ""), text)
    before = {c.fields.characteristic: c for c in previous.characteristics}
    for item in current.characteristics:
        name = item.fields.characteristic
        old = before[name]
        if (old.fields.impact, old.fields.impact_text) != (item.fields.impact, item.fields.impact_text):
            rows.append(
                {
                    "Part": name,
                    "What changed": "assessed impact",
                    "Before": f"{old.fields.impact} ({old.fields.impact_text})",
                    "After": f"{item.fields.impact} ({item.fields.impact_text})",
                }
            )
        removed = [a for a in old.fields.mitigating_actions if a not in item.fields.mitigating_actions]
        added = [a for a in item.fields.mitigating_actions if a not in old.fields.mitigating_actions]
        if removed or added:
            rows.append(
                {
                    "Part": name,
                    "What changed": "mitigating actions",
                    "Before": ", ".join(removed) or "–",
                    "After": ", ".join(added) or "–",
                }
            )
        rows += _text_rows(name, "Context", old.context, item.context)
        rows += _text_rows(name, "Policy", old.policy, item.policy)
    return pd.DataFrame(rows, columns=COLUMNS)


def compare(current: Assessment, register: pd.DataFrame) -> Changes:
    """The current revision against the previous revision folder in data/eia/, where there is one."""
    previous = catalogue.previous_eia_revision(current.revision)
    if previous is None:
        return Changes(current.revision, None, pd.DataFrame(columns=COLUMNS))
    return Changes(current.revision, previous, difference(load_eia(previous, register), current))


def changes_html(changes: Changes) -> str:
    """The comparison as HTML: a sentence for the first revision or no change, else a table."""
    revision = html.escape(changes.revision)
    if changes.previous is None:
        return (
            f"<p>This is the first revision of the EIA held (revision {revision}): there is no earlier revision to "
            "compare it with; the next revision will be compared with this one.</p>"
        )
    previous = html.escape(changes.previous)
    if changes.table.empty:
        return f"<p>Revision {revision} is the same as the previous revision, {previous}.</p>"
    return f"<p>Changes from the previous revision, {previous}, to revision {revision}. Removed text is under " + (
        "“Before”, added text under “After”; unchanged sentences are not listed.</p>"
        + show.table_html(changes.table, f"What changed since EIA revision {changes.previous}")
    )
