"""Fixtures shared by the store and study tests (imported by their conftest modules)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from tests.store.helpers import Clock, pg_schema_url, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using this runs on a SQLite file and on PostgreSQL (a schema of its own)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        yield from pg_schema_url()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(sqlite_url(tmp_path)) as opened:
        yield opened


@pytest.fixture
def learner(store: Store) -> LearnerInfo:
    return store.add_learner("ann")


@pytest.fixture
def clock() -> Clock:
    return Clock()
