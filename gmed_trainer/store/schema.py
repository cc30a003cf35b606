"""Create a fresh database, or bring an older one up to `SCHEMA_VERSION` in place.

`MIGRATIONS[n]` takes a database from version n to n + 1. Each upgrade runs in one transaction
with the version bump, so a failed step leaves the database as it was. A database written by a
newer gmed, or one that is not a gmed database, is refused and left alone.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from gmed_trainer.errors import DatabaseError
from gmed_trainer.store import tables
from gmed_trainer.store.core import SCHEMA_INFO
from gmed_trainer.store.engine import MARKER_TABLE, READ_ONLY, is_sqlite

#: Modules whose tables make up the schema. `exam_tables` is optional so that the study core
#: works before (and without) the exam package's tables.
TABLE_MODULES = ("gmed_trainer.store.tables", "gmed_trainer.store.exam_tables")

Migration = Callable[[Connection], None]

#: Upgrade steps: the step at key n turns a version-n database into version n + 1.
MIGRATIONS: dict[int, Migration] = {}

#: Any number: the lock PostgreSQL sessions take while creating or upgrading the schema.
_PG_SCHEMA_LOCK = 0x676D6564


def import_table_modules() -> None:
    """Import every module that defines tables, so `SQLModel.metadata` knows them all."""
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def current_version() -> int:
    """The schema version this code writes (read at call time, so tests can patch it)."""
    return tables.SCHEMA_VERSION


def ensure_schema(engine: Engine, *, now: datetime | None = None) -> int:
    """Make the database at `engine` ready for this code; return the version it was at
    (0 for a fresh database). Raises DatabaseError for a newer, unknown or foreign schema."""
    import_table_modules()
    found = _read_state(engine)
    target = current_version()
    if found.version == target and not found.missing_tables:
        return found.version
    if found.version is not None and found.version > target:
        raise DatabaseError(
            f"this database was written by a newer gmed (schema version {found.version}; "
            f"this gmed knows up to {target}); upgrade gmed to open it"
        )
    if found.version is not None and found.version < target:
        missing = [v for v in range(found.version, target) if v not in MIGRATIONS]
        if missing:
            raise DatabaseError(
                f"this database has schema version {found.version}, which this gmed cannot "
                f"upgrade (no step from version {missing[0]}); it was left untouched"
            )
        _backup_before_upgrade(engine, found.version)
    with engine.begin() as conn:
        if not is_sqlite(engine):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SCHEMA_LOCK})
        # Read again under the lock: another process may have done the work meanwhile.
        version = _version(conn)
        if version is None:
            SQLModel.metadata.create_all(conn)
            conn.execute(
                SCHEMA_INFO.insert().values(
                    id=1, version=target, created_at=now or datetime.now(UTC)
                )
            )
            return found.version or 0
        for step in range(version, target):
            try:
                MIGRATIONS[step](conn)
            except SQLAlchemyError as exc:
                raise DatabaseError(
                    f"upgrading the database from schema version {step} failed ({exc}); "
                    "it was left at its old version"
                ) from exc
        if version != target:
            conn.execute(update(SCHEMA_INFO).values(version=target))
        # Tables added to the schema since (for example the exam tables) are created as well.
        SQLModel.metadata.create_all(conn)
    return version


@dataclass(frozen=True)
class _Found:
    """What the database holds: its schema version (None when it has none) and whether some of
    the tables this code knows are missing."""

    version: int | None
    missing_tables: bool


def _read_state(engine: Engine) -> _Found:
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        names = set(inspect(conn).get_table_names())
        missing = bool(set(SQLModel.metadata.tables) - names)
        if MARKER_TABLE not in names:
            if names:
                raise DatabaseError(
                    "this database holds tables of another application, not a gmed database; "
                    "it was left untouched"
                )
            return _Found(None, True)
        version = _version(conn)
        if version is None:
            raise DatabaseError(
                "this database has no schema version recorded; it is not a gmed database or "
                "it was damaged, and was left untouched"
            )
        return _Found(version, missing)


def _version(conn: Connection) -> int | None:
    if not inspect(conn).has_table(MARKER_TABLE):
        return None
    value = conn.execute(select(SCHEMA_INFO.c.version).where(SCHEMA_INFO.c.id == 1)).scalar()
    return None if value is None else int(value)


def _backup_before_upgrade(engine: Engine, version: int) -> None:
    """Copy a SQLite file before upgrading it, so a learner can go back to the old gmed."""
    if not is_sqlite(engine) or not engine.url.database or engine.url.database == ":memory:":
        return
    source = Path(engine.url.database)
    target = source.with_name(f"{source.name}.v{version}.bak")
    if target.exists():
        return
    # The backup API copies a consistent snapshot, WAL content included.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
