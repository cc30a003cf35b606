"""Engine set-up: which database, and how to open it safely. Never called at import time.

A database is named by a URL (`sqlite:///...`, `postgresql+psycopg://...`) or a plain path to a
SQLite file. `--db` wins over `GMED_DB`, which wins over the default file under the user data dir.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

from gmed_trainer import paths
from gmed_trainer.errors import DatabaseError, UsageError

#: How long a writer waits for another process's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Execution option marking a connection whose transaction only reads: on SQLite it begins
#: DEFERRED, so reads never queue behind another process's writer (WAL lets them run at once).
READ_ONLY = "gmed_read_only"
#: The table every gmed database has (see `store.schema`); a SQLite file with tables but without
#: this one belongs to another application.
MARKER_TABLE = "schema_info"


def database_url(db: str | None = None) -> str:
    """The URL for `--db` (or `GMED_DB`, or the default file)."""
    value = db or os.environ.get("GMED_DB") or str(paths.default_database_path())
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError as exc:
            raise UsageError(f"not a database URL: {value!r}") from exc
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def describe(url: str) -> str:
    """The URL for messages, without a password."""
    return make_url(url).render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, **kwargs: Any) -> Engine:
    """An engine for `url`, with SQLite set up for safe concurrent use (WAL, foreign keys,
    busy timeout). A path that exists but is not a gmed SQLite database is refused, never
    touched."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, busy_timeout_ms, **kwargs)
    try:
        return create_engine(url, pool_pre_ping=True, **kwargs)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise DatabaseError(f"cannot use database {describe(url)}: {exc}") from exc


def _sqlite_engine(url: str, database: str | None, busy_timeout_ms: int, **kwargs: Any) -> Engine:
    in_memory = not database or database == ":memory:"
    if not in_memory:
        assert database is not None
        _check_sqlite_file(Path(database), busy_timeout_ms)
    else:
        # One connection shared by every user of the engine, or each would see its own
        # empty database.
        kwargs.setdefault("poolclass", StaticPool)
    connect_args = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so BEGIN IMMEDIATE below
        # takes the write lock up front instead of failing half-way on an upgrade from a reader.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL is durable against a killed process (only an OS crash can lose the
            # last commits), and keeps an answer's commit well under a millisecond.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Most transactions write (answers, imports); taking the lock at BEGIN makes two
        # processes queue on busy_timeout instead of one failing with "database is locked".
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _check_sqlite_file(path: Path, busy_timeout_ms: int) -> None:
    """Refuse, before SQLAlchemy touches it (WAL mode rewrites the header), a file that is not a
    SQLite database, is corrupt, or belongs to another application."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    if not path.parent.exists():
        raise DatabaseError(f"cannot create the database {path}: folder {path.parent} is missing")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise DatabaseError(
            f"{path} is not a gmed database (not a SQLite file); it was left untouched"
        )
    try:
        connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
    try:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise DatabaseError(
                f"the database {path} is locked by another program; try again later"
            ) from exc
        raise DatabaseError(
            f"the database {path} is damaged ({exc}); it was left untouched"
        ) from exc
    finally:
        connection.close()
    if names and MARKER_TABLE not in names:
        raise DatabaseError(
            f"{path} is a SQLite database of another application, not a gmed database; "
            "it was left untouched"
        )
