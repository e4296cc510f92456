"""Which engine makes the Word files on this machine, and its version (recorded in the manifest and the report)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache


@cache
def _version(engine: str) -> str:
    """The version of a Word engine ('unknown' where it cannot be asked)."""
    if engine == "pandoc":
        import pypandoc

        return str(pypandoc.get_pandoc_version())
    try:
        result = subprocess.run([engine, "--version"], capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return result.stdout.strip() or "unknown"


def word_engine() -> dict[str, str]:
    """The engine that makes Word files on this machine: quarto where it is on PATH, else pandoc (pypandoc-binary)."""
    name = "quarto" if shutil.which("quarto") else "pandoc"
    return {"name": name, "version": _version(name)}
