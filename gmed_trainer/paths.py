"""Every place gmed-trainer reads or writes on disk, in one module.

`GMED_DATA_DIR` overrides the platformdirs data directory (tests point it at a temporary folder so
they never touch a user's real data); `GMED_DECKS` overrides the shipped decks folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "gmed-trainer"


def data_dir() -> Path:
    """The folder holding the default database; created on first use."""
    override = os.environ.get("GMED_DATA_DIR")
    default = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    path = Path(override) if override else Path(default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """The SQLite file used when neither `--db` nor `GMED_DB` names a database."""
    return data_dir() / "gmed.sqlite3"


def shipped_decks_dir() -> Path:
    """The decks that come with the project (the repository's top-level `decks/`)."""
    override = os.environ.get("GMED_DECKS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "decks"
