"""The PostgreSQL server the tests use for real: 127.0.0.1:5432 (trust auth, database `test`),
or `GMED_TEST_POSTGRES`. Tests that need it get a fresh schema each and skip, saying why, when the
server does not answer."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from functools import cache

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

PG_SERVER = os.environ.get(
    "GMED_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@cache
def postgres_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        engine = create_engine(PG_SERVER, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except (OperationalError, ModuleNotFoundError) as exc:
        return f"PostgreSQL at {PG_SERVER} is unreachable: {str(exc).splitlines()[0]}"
    return None


def fresh_schema_url(prefix: str) -> Iterator[str]:
    """A URL whose connections work in a new schema, dropped afterwards (skips without server)."""
    reason = postgres_reason()
    if reason:
        pytest.skip(reason)
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
