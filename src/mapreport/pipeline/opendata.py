"""Each edition's data release: datapackage.json (Frictionless Tabular Data Package) describing its CSV files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mapreport.core.periods import Quarter
from mapreport.reports.registry import REPORTS

DATA_FOLDER = "data"
"""The edition's open data: one folder per report holding a CSV file per table, and datapackage.json."""
TABLES_FILE = "tables.json"
"""Written by the render step beside a report's CSV files: each table's caption and columns."""
DATAPACKAGE = "datapackage.json"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
PUBLISHER = "Mayor's Office for Policing and Crime (MOPAC)"


def _resources(data: Path) -> list[dict[str, Any]]:
    resources = []
    for report in REPORTS:
        folder = data / report.name.replace("_", "-")
        described = folder / TABLES_FILE
        if not described.is_file():
            continue
        for table in json.loads(described.read_text(encoding="utf-8")):
            resources.append(
                {
                    "name": f"{folder.name}-{table['name']}",
                    "path": f"{folder.name}/{table['name']}.csv",
                    "title": table["caption"],
                    "description": f"A table of the {report.title.lower()}.",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "profile": "tabular-data-resource",
                    "schema": {
                        "fields": [{"name": f["name"], "type": f["type"], "title": f["name"]} for f in table["fields"]]
                    },
                }
            )
    return resources


def write_datapackage(edition: Path, quarter: str) -> Path | None:
    """Write data/datapackage.json for the tables an edition holds; None where it holds none."""
    data = edition / DATA_FOLDER
    resources = _resources(data) if data.is_dir() else []
    target = data / DATAPACKAGE
    if not resources:
        target.unlink(missing_ok=True)
        return None
    period = Quarter.parse(quarter)
    package = {
        "profile": "tabular-data-package",
        "name": f"mopac-action-plan-{quarter.lower()}",
        "title": f"Action Plan on transparency, accountability and trust in policing: data tables, {period.months}",
        "description": (
            "The tables of the progress update, the equality impact assessment and the equality data annex "
            f"for {period.months}, one CSV file per table, values as shown in the reports."
        ),
        "temporal": {"start": period.first_month.isoformat(), "end": period.end_date.isoformat()},
        "publisher": PUBLISHER,
        "licenses": [LICENCE],
        "resources": resources,
    }
    target.write_text(json.dumps(package, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target
