"""Databases for exam tests: a SQLite file per test, and a PostgreSQL schema per test when the
server at 127.0.0.1:5432 is reachable (skipped with the reason otherwise)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from gmed_trainer.decks.model import Deck
from gmed_trainer.store.exam_repository import ExamRepository
from gmed_trainer.store.repository import Store
from tests.exam.factories import START, deck
from tests.exam.loading import put_decks

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        engine = create_engine(PG_SERVER, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except (OperationalError, ModuleNotFoundError) as exc:
        return f"PostgreSQL at 127.0.0.1:5432 is unreachable: {str(exc).splitlines()[0]}"
    return None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema, dropped afterwards."""
    reason = postgres_reason()
    if reason:
        pytest.skip(reason)
    schema = f"exam_{secrets.token_hex(6)}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
