"""The read recorder sees a file opened under the project root, once, and nothing outside it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_recorder_logs_each_file_opened_under_the_root_once(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("no", encoding="utf-8")
    log = tmp_path / "reads.txt"
    script = (
        "from pathlib import Path\n"
        "from mapreport.core.readlog import install\n"
        f"install(Path({str(log)!r}), Path({str(root)!r}))\n"
        f"open({str(root / 'data' / 'a.csv')!r}).read()\n"
        f"open({str(root / 'data' / 'a.csv')!r}).read()\n"
        f"open({str(outside)!r}).read()\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert log.read_text(encoding="utf-8").splitlines() == ["data/a.csv"]
