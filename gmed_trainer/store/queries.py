"""The queries behind today's queue: candidate units with the learner's progress, one query
per kind (due, new, cram), never one per unit. The repository wraps them in read transactions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, case, or_, select

from gmed_trainer.store import converters
from gmed_trainer.store.core import UNIT, UNIT_STATE, available, selection, state_join
from gmed_trainer.store.records import Candidate

#: Rows per IN (...) list: far under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500

STATE_COLUMNS = [UNIT_STATE.c[name] for name in converters.PROGRESS_COLUMNS]
CANDIDATE_COLUMNS = [
    UNIT.c.id.label("unit_id"),
    UNIT.c.deck_id,
    UNIT.c.card_id,
    UNIT.c.unit,
    UNIT.c.content_changed_at,
    *STATE_COLUMNS,
]


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _candidates(conn: Connection, query: Select[Any]) -> list[Candidate]:
    return [converters.candidate_from_row(row) for row in conn.execute(query).mappings()]


def due_candidates(
    conn: Connection,
    learner_id: int,
    day: date,
    *,
    decks: Sequence[str] = (),
    tags: Sequence[str] = (),
    limit: int,
    offset: int = 0,
) -> list[Candidate]:
    """Reviews due on `day` or before, most overdue first (then in deck order)."""
    query = (
        select(*CANDIDATE_COLUMNS)
        .select_from(UNIT_STATE.join(UNIT, UNIT.c.id == UNIT_STATE.c.unit_id))
        .where(
            UNIT_STATE.c.learner_id == learner_id,
            UNIT_STATE.c.due <= day,
            UNIT_STATE.c.last_review.is_not(None),
            *available(day),
            *selection(decks, tags),
        )
        .order_by(UNIT_STATE.c.due, UNIT.c.deck_id, UNIT.c.position)
        .limit(limit)
        .offset(offset)
    )
    return _candidates(conn, query)


def new_candidates(
    conn: Connection,
    learner_id: int,
    day: date,
    *,
    decks: Sequence[str] = (),
    tags: Sequence[str] = (),
    limit: int,
    offset: int = 0,
) -> list[Candidate]:
    """Units never answered, in deck order; those sent to the queue by `make_due` first."""
    query = (
        select(*CANDIDATE_COLUMNS)
        .select_from(UNIT.outerjoin(UNIT_STATE, state_join(learner_id)))
        .where(
            or_(
                UNIT_STATE.c.unit_id.is_(None),
                and_(UNIT_STATE.c.last_review.is_(None), *available(day)),
            ),
            *selection(decks, tags),
        )
        .order_by(
            case((UNIT_STATE.c.due <= day, 0), else_=1),
            UNIT.c.deck_id,
            UNIT.c.position,
        )
        .limit(limit)
        .offset(offset)
    )
    return _candidates(conn, query)


def cram_candidates(
    conn: Connection,
    learner_id: int,
    day: date,
    *,
    decks: Sequence[str] = (),
    tags: Sequence[str] = (),
    limit: int,
) -> list[Candidate]:
    """Every active, unsuspended unit of a selection, due or not: studied ones by due date,
    then new ones in deck order."""
    query = (
        select(*CANDIDATE_COLUMNS)
        .select_from(UNIT.outerjoin(UNIT_STATE, state_join(learner_id)))
        .where(
            or_(UNIT_STATE.c.unit_id.is_(None), UNIT_STATE.c.suspended.is_(False)),
            *selection(decks, tags),
        )
        .order_by(
            case((UNIT_STATE.c.last_review.is_(None), 1), else_=0),
            UNIT_STATE.c.due,
            UNIT.c.deck_id,
            UNIT.c.position,
        )
        .limit(limit)
    )
    return _candidates(conn, query)


def candidates(
    conn: Connection,
    learner_id: int,
    unit_ids: Iterable[int],
    *,
    decks: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> list[Candidate]:
    """Those of the given units that are active and in the selection, with the learner's
    progress, in no particular order."""
    found: list[Candidate] = []
    ids = sorted(set(unit_ids))
    for chunk in chunks(ids):
        query = (
            select(*CANDIDATE_COLUMNS)
            .select_from(UNIT.outerjoin(UNIT_STATE, state_join(learner_id)))
            .where(UNIT.c.id.in_(chunk), *selection(decks, tags))
        )
        found.extend(_candidates(conn, query))
    return found
