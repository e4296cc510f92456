"""mapreport: quarterly reports on the Mayor of London's Action Plan on trust in policing."""

from mapreport.core.errors import InputError, MapreportError, RunError

__version__ = "0.1.0"

__all__ = ["InputError", "MapreportError", "RunError", "__version__"]
