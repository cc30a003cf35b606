"""Start-up stays cheap: building `gmed`'s parser imports no database, UI or YAML library (every
command imports those in its handler), and the preview imports no database library. The few
constants the commands restate to stay light agree with their sources."""

from __future__ import annotations

import subprocess
import sys

from gmed_trainer.commands import exam as exam_command
from gmed_trainer.commands import validate as validate_command
from gmed_trainer.decks.loader import DEFAULT_MAX_BYTES
from gmed_trainer.exam.service import DEFAULT_COUNT, Pool

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "textual", "rich", "yaml", "genanki")


def loaded_after(code: str) -> list[str]:
    """Which of HEAVY a fresh interpreter has loaded after running `code`."""
    probe = f"{code}\nimport sys\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]


def test_building_the_parser_imports_nothing_heavy() -> None:
    assert loaded_after("from gmed_trainer.cli import build_parser; build_parser()") == []


def test_the_preview_needs_no_database_library() -> None:
    loaded = loaded_after(
        "import gmed_trainer.commands.preview, gmed_trainer.ui.app, gmed_trainer.ui.screens.preview"
    )
    assert "sqlalchemy" not in loaded and "sqlmodel" not in loaded


def test_restated_defaults_agree_with_their_sources() -> None:
    assert validate_command.DEFAULT_MAX_BYTES == DEFAULT_MAX_BYTES
    assert exam_command.DEFAULT_COUNT == DEFAULT_COUNT
    assert exam_command.POOLS == tuple(pool.value for pool in Pool)
    assert exam_command.POOLS[0] == Pool.UNUSED.value
