"""Fixtures for the UI tests: a temporary database with small decks, a fixed clock, one learner."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gmed_trainer.decks.model import Deck
from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks
from gmed_trainer.ui.app import GmedApp, Launch, make_app

#: A Tuesday morning, well after the 04:00 day start in UTC.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

AppFactory = Callable[..., GmedApp]


@pytest.fixture(autouse=True)
def utc_and_still(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC (study days and dates on screen do not depend on the machine), and
    animations are off (snapshots are stable)."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "ui.sqlite3"), now=NOW) as opened:
        yield opened


@pytest.fixture
def learner(store: Store) -> LearnerInfo:
    return store.add_learner("Ada", now=NOW)


@pytest.fixture
def app_factory(store: Store, learner: LearnerInfo) -> AppFactory:
    """Build the app on `decks` (synced first), on the fixed clock and a fixed shuffle seed."""

    def build(*decks: Deck, **launch: object) -> GmedApp:
        sync_decks(store, decks, now=NOW)
        options: dict[str, object] = {"clock": lambda: NOW, "seed": "ui-tests", **launch}
        return make_app(Launch(**options), store=store, learner=learner)  # type: ignore[arg-type]

    return build
