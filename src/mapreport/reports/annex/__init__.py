"""The equality data annex: what notebooks/equality_annex.ipynb calls.

`load(params)` reads every input at once; the modules by section (`periods`, `stop_search`, `eff`, `use_of_force`,
`pas`, `methods`) turn the loaded `Annex` into tables, charts and text, which the notebook only displays. The annex
shows the use of police powers by ethnicity (stop and search, use of force and Taser) as rates per 1,000 people with
rate ratios and 95% confidence intervals against Census 2021 denominators, and the Public Attitude Survey. Every
dataset's own period is stated beside the report's quarter.
"""

from __future__ import annotations

from mapreport.reports.annex.data import Annex, load

__all__ = ["Annex", "load"]
