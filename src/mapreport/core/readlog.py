"""Recording which project files a process opens, so a test can prove every file a report reads is declared.

Off unless asked for: a run started with $MAPREPORT_RECORD_READS set to a folder gives each kernel
$MAPREPORT_READ_LOG, and importing mapreport in that kernel installs an audit hook that appends every file opened
under the project root to that log, once each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

RECORD_ENV = "MAPREPORT_RECORD_READS"
LOG_ENV = "MAPREPORT_READ_LOG"


def install(log: Path, root: Path) -> None:
    """Append to `log` each file under `root` this process opens from now on."""
    prefix = str(root.resolve()) + os.sep
    seen: set[str] = set()
    handle = open(log, "a", encoding="utf-8")  # opened before the hook, so writing to it records nothing  # noqa: SIM115

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(prefix) and path not in seen:
            seen.add(path)
            handle.write(path[len(prefix) :].replace(os.sep, "/") + "\n")
            handle.flush()

    sys.addaudithook(hook)


def install_from_env() -> None:
    """Install the hook where $MAPREPORT_READ_LOG names a log (inside kernels of a recording run)."""
    from mapreport.core import paths

    if log := os.environ.get(LOG_ENV):
        install(Path(log), paths.project_root())
