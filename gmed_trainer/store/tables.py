"""SQLModel tables: how the collection is stored. Domain code converts to and from these in
`store/` only; screens and sessions never see a `Session` or write SQL.

Times are stored as timezone-aware UTC datetimes; days (due dates) as `date`s in the learner's
study-day calendar (see `scheduling.day`).

Card content lives in the database (`card.body`, JSON), not only in the deck files: a deck
imported once stays studyable after its file is gone, and learners on a shared PostgreSQL
database see the same cards without copying files around.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKeyConstraint, Index, Text, UniqueConstraint
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
    description: str | None = Field(default=None, sa_type=Text)
    version: str | None = None
    path: str | None = None
    source: str | None = None
    #: Space-separated deck tags (slugs, so no spaces inside a tag).
    tags: str = ""
    #: JSON list of author names.
    authors: str = "[]"
    #: Hash over the deck header and every published card: an unchanged deck re-imports with no
    #: writes at all.
    fingerprint: str = ""
    imported_at: datetime = Field(sa_type=UTCDateTime)


class CardRecord(SQLModel, table=True):
    """A published card as last imported: its full content as JSON (`store.converters`)."""

    __tablename__ = "card"

    deck_id: str = Field(foreign_key="deck.id", primary_key=True, max_length=100)
    card_id: str = Field(primary_key=True, max_length=200)
    card_type: str = Field(max_length=10)
    body: str = Field(sa_type=Text)
    #: Hash of `body`: tells sync which cards to rewrite.
    card_hash: str = Field(max_length=32)
    #: Every visible string of the card, case-folded, for the deck browser's text search.
    search_text: str = Field(default="", sa_type=Text)
    position: int = 0
    active: bool = True


class Unit(SQLModel, table=True):
    """A review unit: (deck, card, unit) plus the hash of what it shows."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("deck_id", "card_id", "unit", name="uq_unit_identity"),
        ForeignKeyConstraint(["deck_id", "card_id"], ["card.deck_id", "card.card_id"]),
        Index("ix_unit_deck_position", "deck_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deck_id: str = Field(foreign_key="deck.id", max_length=100)
    card_id: str = Field(max_length=200)
    unit: str = Field(max_length=20)
    card_type: str = Field(max_length=10)
    content_hash: str = Field(max_length=32)
    #: Position in the deck, so new units are introduced in deck order.
    position: int = 0
    #: False once the unit left its deck (card removed, made a draft, or replaced): its history
    #: stays, it is never studied.
    active: bool = True
    content_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UnitTag(SQLModel, table=True):
    """A tag of a unit (its card's tags plus its deck's), for selection and accuracy by tag."""

    __tablename__ = "unit_tag"
    __table_args__ = (Index("ix_unit_tag_tag", "tag"),)

    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    tag: str = Field(primary_key=True, max_length=100)


class UnitState(SQLModel, table=True):
    """One learner's SM-2 state for one unit. Absent until the unit is first answered (or
    suspended/buried before that: then `last_review` is None and the unit still counts as new)."""

    __tablename__ = "unit_state"
    __table_args__ = (Index("ix_unit_state_learner_due", "learner_id", "due"),)

    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    repetitions: int = 0
    #: SM-2 easiness in integer hundredths (250 = 2.50): exact, no float drift.
    easiness_centi: int = 250
    interval: int = 0
    due: date
    lapses: int = 0
    last_review: datetime | None = Field(default=None, sa_type=UTCDateTime)
    leech: bool = False
    suspended: bool = False
    buried_until: date | None = None


class ReviewLog(SQLModel, table=True):
    """Append-only: every answer a learner gave, with the state before and after.

    `due_before` is None exactly when the unit was new (never answered) at that answer. When a
    card `replaces` another, its predecessor's rows are re-pointed to the new unit (`unit_id`).
    """

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_review_log_learner_day", "learner_id", "study_day"),
        Index("ix_review_log_unit_learner", "unit_id", "learner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id")
    unit_id: int = Field(foreign_key="unit.id")
    reviewed_at: datetime = Field(sa_type=UTCDateTime)
    #: The study day the answer counts for (after the day-start hour).
    study_day: date
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
