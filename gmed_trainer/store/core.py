"""The tables as SQLAlchemy Core `Table`s, for the queries of `repository` and `sync`.

The hot paths (answers, the queue) use Core rather than ORM sessions: it is several times
faster per statement and keeps each query explicit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Table, and_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from gmed_trainer.store import tables as _tables  # noqa: F401  (registers the tables)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


SCHEMA_INFO = _table("schema_info")
LEARNER = _table("learner")
DECK = _table("deck")
CARD = _table("card")
UNIT = _table("unit")
UNIT_TAG = _table("unit_tag")
UNIT_STATE = _table("unit_state")
REVIEW_LOG = _table("review_log")


def card_join() -> ColumnElement[bool]:
    """unit -> card."""
    return and_(CARD.c.deck_id == UNIT.c.deck_id, CARD.c.card_id == UNIT.c.card_id)


def state_join(learner_id: int) -> ColumnElement[bool]:
    """unit -> the learner's unit_state (outer-join it: a unit never answered has none)."""
    return and_(UNIT_STATE.c.unit_id == UNIT.c.id, UNIT_STATE.c.learner_id == learner_id)


def available(day: date) -> list[ColumnElement[bool]]:
    """State conditions of a unit that may be studied on `day`: not suspended, not buried."""
    return [
        UNIT_STATE.c.suspended.is_(False),
        or_(UNIT_STATE.c.buried_until.is_(None), UNIT_STATE.c.buried_until <= day),
    ]


def selection(
    decks: Sequence[str], tags: Sequence[str], *, active_only: bool = True
) -> list[ColumnElement[bool]]:
    """Unit conditions of a selection: any of `decks` (all when empty), carrying any of `tags`
    (any tag when empty), and active (drafts and removed cards are never studied)."""
    conditions: list[ColumnElement[bool]] = []
    if active_only:
        conditions.append(UNIT.c.active.is_(True))
    if decks:
        conditions.append(UNIT.c.deck_id.in_(sorted(set(decks))))
    if tags:
        conditions.append(
            UNIT.c.id.in_(select(UNIT_TAG.c.unit_id).where(UNIT_TAG.c.tag.in_(sorted(set(tags)))))
        )
    return conditions
