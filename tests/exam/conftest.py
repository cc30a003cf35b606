"""Databases for exam tests: a SQLite file per test, and a PostgreSQL schema per test when the
server at 127.0.0.1:5432 is reachable (skipped with the reason otherwise)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gmed_trainer.decks.model import Deck
from gmed_trainer.store.exam_repository import ExamRepository
from gmed_trainer.store.repository import Store
from tests.exam.factories import START, deck
from tests.exam.loading import put_decks
from tests.postgres import fresh_schema_url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema, dropped afterwards."""
    yield from fresh_schema_url("exam")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'exam.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'exam.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, now=START) as opened:
        yield opened


@pytest.fixture
def exam_deck() -> Deck:
    return deck(mcqs=8, cases=2)


@pytest.fixture
def repo(store: Store, exam_deck: Deck) -> ExamRepository:
    put_decks(store, [exam_deck])
    return ExamRepository(store)
