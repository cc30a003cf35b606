"""The `gmed` entry point itself: a closed pipe ends it quietly, never with a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    gmed = Path(sys.executable).with_name("gmed")
    result = subprocess.run(
        f"'{gmed}' --db '{tmp_path / 'g.sqlite3'}' stats --json | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "{"
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
