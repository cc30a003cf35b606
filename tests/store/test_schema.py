"""Opening databases: creation, upgrades in place, refusals that leave the file untouched."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from gmed_trainer.errors import DatabaseError
from gmed_trainer.store import schema, tables
from gmed_trainer.store.records import Answer
from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks
from tests.store.helpers import DAY0, T0, basic, make_deck, set_progress, sqlite_url, studied


def _version(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT version FROM schema_info")).scalar_one())
    finally:
        engine.dispose()


def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_fresh_database_gets_every_table_and_the_version(db_url: str) -> None:
    with Store.open(db_url):
        pass
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    schema.import_table_modules()
    assert set(SQLModel.metadata.tables) <= names
    assert {"learner", "deck", "card", "unit", "unit_state", "review_log"} <= names
    assert _version(db_url) == tables.SCHEMA_VERSION


def test_reopening_a_current_database_changes_nothing(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.add_learner("ann")
    with Store.open(db_url) as store:
        assert [learner.name for learner in store.learners()] == ["ann"]
    assert _version(db_url) == tables.SCHEMA_VERSION


def _easiness_to_centi(conn: Connection) -> None:
    """A real upgrade step: an older layout kept easiness as a float in `easiness`."""
    conn.execute(text("ALTER TABLE unit_state ADD COLUMN easiness_centi INTEGER"))
    conn.execute(
        text("UPDATE unit_state SET easiness_centi = CAST(ROUND(easiness * 100) AS INTEGER)")
    )
    conn.execute(text("ALTER TABLE unit_state DROP COLUMN easiness"))


@pytest.fixture
def older_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    """A database one version behind the code: unit_state keeps easiness as a float column."""
    deck = make_deck("d", (basic("one"), basic("two")))
    with Store.open(db_url) as store:
        sync_decks(store, [deck])
        learner = store.add_learner("ann")
        set_progress(store, learner, "d", "one", studied(DAY0, easiness_centi=236))
    old = tables.SCHEMA_VERSION
    _execute(
        db_url,
        "ALTER TABLE unit_state ADD COLUMN easiness FLOAT",
        "UPDATE unit_state SET easiness = easiness_centi / 100.0",
        "ALTER TABLE unit_state DROP COLUMN easiness_centi",
    )
    monkeypatch.setattr(tables, "SCHEMA_VERSION", old + 1)
    yield db_url, old


def test_an_older_version_is_upgraded_in_place(
    older_database: tuple[str, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, old = older_database
    monkeypatch.setattr(schema, "MIGRATIONS", {old: _easiness_to_centi})
    with Store.open(url) as store:
        learner = store.learner("ann")
        assert learner is not None
        unit = store.unit_ids([("d", "one", "main")])[("d", "one", "main")]
        progress = store.progress(learner.id, unit)
        assert progress is not None and progress.easiness_centi == 236
    assert _version(url) == old + 1
    if url.startswith("sqlite"):
        backups = list(tmp_path.glob(f"gmed.sqlite3.v{old}.bak"))
        assert len(backups) == 1
        with closing(sqlite3.connect(backups[0])) as conn:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(unit_state)")]
        assert "easiness" in columns and "easiness_centi" not in columns


def test_a_failed_upgrade_leaves_the_old_version(
    older_database: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, old = older_database

    def broken(conn: Connection) -> None:
        _easiness_to_centi(conn)
        conn.execute(text("SELECT no_such_column FROM unit_state"))

    monkeypatch.setattr(schema, "MIGRATIONS", {old: broken})
    with pytest.raises(DatabaseError, match="left at its old version"):
        Store.open(url)
    assert _version(url) == old
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("unit_state")}
    finally:
        engine.dispose()
    assert "easiness" in columns and "easiness_centi" not in columns


def test_an_older_version_without_an_upgrade_step_is_refused(
    older_database: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, old = older_database
    monkeypatch.setattr(schema, "MIGRATIONS", {})
    with pytest.raises(DatabaseError, match=f"schema version {old}.*cannot upgrade"):
        Store.open(url)
    assert _version(url) == old


def test_a_newer_version_is_refused(db_url: str) -> None:
    with Store.open(db_url):
        pass
    _execute(db_url, "UPDATE schema_info SET version = 999")
    with pytest.raises(DatabaseError, match="newer gmed .*version 999"):
        Store.open(db_url)
    assert _version(db_url) == 999


def test_tables_of_another_application_are_refused(db_url: str) -> None:
    _execute(db_url, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    with pytest.raises(DatabaseError, match="another application"):
        Store.open(db_url)


def test_a_missing_version_row_is_refused(db_url: str) -> None:
    with Store.open(db_url):
        pass
    _execute(db_url, "DELETE FROM schema_info")
    with pytest.raises(DatabaseError, match="no schema version"):
        Store.open(db_url)


# -------------------------------------------------------------------------- SQLite files


def test_garbage_bytes_are_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "gmed.sqlite3"
    path.write_bytes(b"\x00\xffnot a database at all" * 100)
    before = _files(tmp_path)
    with pytest.raises(DatabaseError, match="not a SQLite file"):
        Store.open(str(path))
    assert _files(tmp_path) == before


def test_a_truncated_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "gmed.sqlite3"
    with Store.open(str(path)) as store:
        sync_decks(
            store, [make_deck("d", tuple(basic(f"c{i}", front="x" * 500) for i in range(300)))]
        )
    data = path.read_bytes()
    assert len(data) > 100_000
    path.write_bytes(data[: len(data) // 2])
    before = _files(tmp_path)
    with pytest.raises(DatabaseError, match="damaged"):
        Store.open(str(path))
    assert _files(tmp_path) == before


def test_a_sqlite_file_of_another_application_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('mine')")
        conn.commit()
    before = _files(tmp_path)
    with pytest.raises(DatabaseError, match="another application"):
        Store.open(str(path))
    assert _files(tmp_path) == before


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "gmed.sqlite3"
    path.touch()
    with Store.open(str(path)) as store:
        assert store.learners() == []
    assert _version(sqlite_url(tmp_path)) == tables.SCHEMA_VERSION


def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        Store.open(str(tmp_path))
    with pytest.raises(DatabaseError, match="folder .* is missing"):
        Store.open(str(tmp_path / "nowhere" / "gmed.sqlite3"))


def test_a_write_waits_for_a_lock_then_gives_a_database_error(tmp_path: Path) -> None:
    path = tmp_path / "gmed.sqlite3"
    with Store.open(str(path), busy_timeout_ms=300) as store:
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            started = time.monotonic()
            with pytest.raises(DatabaseError, match="busy"):
                store.add_learner("ann")
            assert time.monotonic() - started >= 0.25
            other.execute("ROLLBACK")
        assert store.add_learner("ann").name == "ann"


def test_an_answer_waits_for_a_lock_then_gives_a_database_error(tmp_path: Path) -> None:
    path = tmp_path / "gmed.sqlite3"
    with Store.open(str(path), busy_timeout_ms=300) as store:
        sync_decks(store, [make_deck("d", (basic("a"),))])
        learner = store.add_learner("ann")
        unit = store.unit_ids([("d", "a", "main")])[("d", "a", "main")]
        answer = Answer(
            learner_id=learner.id,
            unit_id=unit,
            reviewed_at=T0,
            study_day=DAY0,
            quality=5,
            mode="review",
            before=None,
            after=studied(DAY0 + timedelta(days=1), repetitions=1, interval=1),
        )
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            with pytest.raises(DatabaseError, match="busy"):
                store.commit_answer(answer)
            other.execute("ROLLBACK")
        store.commit_answer(answer)  # the connection is usable again
        assert len(store.unit_history(learner.id, unit)) == 1


def test_opening_a_database_locked_exclusively_gives_a_database_error(tmp_path: Path) -> None:
    path = tmp_path / "gmed.sqlite3"
    with Store.open(str(path)):
        pass
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("PRAGMA journal_mode = DELETE")
        other.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(DatabaseError, match="locked|busy"):
            Store.open(str(path), busy_timeout_ms=300)
        assert time.monotonic() - started >= 0.25
        other.execute("ROLLBACK")


def test_an_unreachable_server_gives_a_database_error() -> None:
    with pytest.raises(DatabaseError, match="127.0.0.1"):
        Store.open("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "gmed.sqlite3")) as store, store.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000


def test_driver_errors_become_database_errors(sqlite_store: Store) -> None:
    with pytest.raises(DatabaseError, match="no such table"), sqlite_store.reading() as conn:
        conn.exec_driver_sql("SELECT * FROM nothing_here")
    assert issubclass(DatabaseError, Exception)
    assert not issubclass(SQLAlchemyError, DatabaseError)
