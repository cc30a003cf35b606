"""SQLModel tables: how the collection is stored. Domain code converts to and from these in
`store/` only; screens and sessions never see a `Session` or write SQL.

Times are stored as timezone-aware UTC datetimes; days (due dates) as `date`s in the learner's
study-day calendar (see `scheduling.day`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from gmed_trainer.store.types import UTCDateTime

#: Bumped whenever a table changes; `store.schema` upgrades older databases in place.
SCHEMA_VERSION = 1


class SchemaInfo(SQLModel, table=True):
    """One row: the schema version this database was written with."""

    __tablename__ = "schema_info"

    id: int = Field(default=1, primary_key=True)
    version: int
    created_at: datetime = Field(sa_type=UTCDateTime)


class Learner(SQLModel, table=True):
    """A person who studies; several can share one machine or one database."""

    __tablename__ = "learner"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)
    new_per_day: int = 20
    reviews_per_day: int = 200
    #: Hour (local time) at which a new study day starts.
    day_starts_at: int = 4
    suspend_leeches: bool = False


class DeckRecord(SQLModel, table=True):
    """A deck as last imported: its id, title and where it came from."""

    __tablename__ = "deck"

    id: str = Field(primary_key=True, max_length=100)
    title: str
    description: str | None = None
    version: str | None = None
    path: str | None = None
    #: Hash over every unit's key and content hash: an unchanged deck re-imports with no writes.
    fingerprint: str = ""
    imported_at: datetime = Field(sa_type=UTCDateTime)


class Unit(SQLModel, table=True):
    """A review unit: (deck, card, unit) plus the hash of what it shows."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("deck_id", "card_id", "unit", name="uq_unit_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    deck_id: str = Field(foreign_key="deck.id", index=True, max_length=100)
    card_id: str = Field(max_length=200)
    unit: str = Field(max_length=20)
    card_type: str = Field(max_length=10)
    content_hash: str = Field(max_length=32)
    #: Space-separated tags, deck tags included, for selection by tag.
    tags: str = ""
    #: Position in the deck, so new units are introduced in deck order.
    position: int = 0
    active: bool = True
    content_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UnitState(SQLModel, table=True):
    """One learner's SM-2 state for one unit. Absent until the unit is first answered."""

    __tablename__ = "unit_state"

    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    repetitions: int = 0
    #: SM-2 easiness in integer hundredths (250 = 2.50): exact, no float drift.
    easiness_centi: int = 250
    interval: int = 0
    due: date = Field(index=True)
    lapses: int = 0
    last_review: datetime | None = Field(default=None, sa_type=UTCDateTime)
    leech: bool = False
    suspended: bool = False
    buried_until: date | None = None


class ReviewLog(SQLModel, table=True):
    """Append-only: every answer a learner gave, with the state before and after."""

    __tablename__ = "review_log"

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    reviewed_at: datetime = Field(sa_type=UTCDateTime, index=True)
    #: The study day the answer counts for (after the day-start hour).
    study_day: date = Field(index=True)
    quality: int
    response_ms: int = 0
    #: "review" (changes the schedule), "repeat" (same-day relearning), "cram" (no schedule change).
    mode: str = Field(default="review", max_length=10)
    repetitions_before: int
    easiness_centi_before: int
    interval_before: int
    due_before: date | None = None
    lapses_before: int = 0
    repetitions_after: int
    easiness_centi_after: int
    interval_after: int
    due_after: date | None = None
