"""mapreport: quarterly reports on the Mayor of London's Action Plan on trust in policing."""

import os

from mapreport.core.errors import InputError, MapreportError, RunError

__version__ = "0.1.0"

__all__ = ["InputError", "MapreportError", "RunError", "__version__"]

if os.environ.get("MAPREPORT_READ_LOG"):  # a recording run (see mapreport.core.readlog)
    from mapreport.core.readlog import install_from_env

    install_from_env()
