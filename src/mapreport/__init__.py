"""mapreport: quarterly reports on the Mayor of London's Action Plan on trust in policing."""

import os
import sys

from mapreport.core.errors import InputError, MapreportError, RunError

# jsonschema (which nbformat and papermill import) imports rfc3987_syntax, where installed (jupyter pulls it in), only
# to check the "iri" string formats, and that import builds a parser grammar: 1.5 s in every process that reads a
# notebook. Neither the notebook schema nor any other schema mapreport validates uses those formats.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not importable"

__version__ = "0.1.0"

__all__ = ["InputError", "MapreportError", "RunError", "__version__"]

if os.environ.get("MAPREPORT_READ_LOG"):  # a recording run (see mapreport.core.readlog)
    from mapreport.core.readlog import install_from_env

    install_from_env()
