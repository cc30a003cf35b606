"""Fixtures every test gets: user data goes to a temporary folder, never the real one."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point GMED_DATA_DIR at a temporary folder and clear GMED_DB, for every test."""
    data = tmp_path / "gmed-data"
    monkeypatch.setenv("GMED_DATA_DIR", str(data))
    monkeypatch.delenv("GMED_DB", raising=False)
    return data
