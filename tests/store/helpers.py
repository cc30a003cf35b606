"""Builders for store and study tests: decks made directly from domain objects, a fixed clock,
and the databases (a SQLite file, and a PostgreSQL schema of its own when the server is up)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from gmed_trainer.decks.model import (
    BasicCard,
    Card,
    CaseCard,
    ClozeCard,
    Deck,
    McqCard,
    Option,
    ReverseCard,
    Step,
)
from gmed_trainer.store.records import LearnerInfo, UnitProgress
from gmed_trainer.store.repository import Store
from tests.postgres import fresh_schema_url

#: Noon UTC on study day DAY0 (the day starts at 04:00; tests pass tz=UTC).
T0 = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
DAY0 = date(2025, 3, 10)


class Clock:
    """A settable "now" for sessions: returns the same instant until advanced."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def basic(card_id: str, front: str | None = None, back: str = "answer", **kw: Any) -> BasicCard:
    return BasicCard(id=card_id, front=front or f"question {card_id}?", back=back, **kw)


def reverse(card_id: str, **kw: Any) -> ReverseCard:
    return ReverseCard(id=card_id, front=f"{card_id} front", back=f"{card_id} back", **kw)


def cloze(card_id: str, text: str | None = None, **kw: Any) -> ClozeCard:
    return ClozeCard(
        id=card_id,
        text=text or "The {{c1::gluteus medius}} abducts the {{c2::hip}}.",
        **kw,
    )


def options(
    ids: tuple[str, ...], right: tuple[str, ...], pin_last: tuple[str, ...] = ()
) -> tuple[Option, ...]:
    return tuple(
        Option(id=i, text=f"option {i}", correct=i in right, why=f"why {i}", pin_last=i in pin_last)
        for i in ids
    )


def mcq(
    card_id: str,
    *,
    ids: tuple[str, ...] = ("a", "b", "c", "d"),
    right: tuple[str, ...] = ("a",),
    pin_last: tuple[str, ...] = (),
    **kw: Any,
) -> McqCard:
    return McqCard(
        id=card_id,
        question=f"which {card_id}?",
        options=options(ids, right, pin_last),
        explanation="because",
        **kw,
    )


def case(card_id: str, steps: int = 2, **kw: Any) -> CaseCard:
    return CaseCard(
        id=card_id,
        title=f"case {card_id}",
        stem="A runner with lateral hip pain.",
        steps=tuple(
            Step(
                id=f"s{n}",
                question=f"step {n}?",
                options=options(("a", "b", "c"), ("a",)),
                reveal=f"finding {n}",
            )
            for n in range(1, steps + 1)
        ),
        explanation="because",
        **kw,
    )


def make_deck(deck_id: str = "d", cards: tuple[Card, ...] = (), **kw: Any) -> Deck:
    return Deck(id=deck_id, title=f"Deck {deck_id}", cards=cards, **kw)


def unit_id(store: Store, deck_id: str, card_id: str, unit: str = "main") -> int:
    return store.unit_ids([(deck_id, card_id, unit)])[(deck_id, card_id, unit)]


def studied(
    due: date,
    *,
    repetitions: int = 3,
    interval: int = 10,
    easiness_centi: int = 250,
    lapses: int = 0,
    **kw: Any,
) -> UnitProgress:
    """The progress of a unit already reviewed (last review the day before its interval)."""
    last = datetime.combine(due - timedelta(days=interval), datetime.min.time(), UTC)
    return UnitProgress(
        due=due,
        repetitions=repetitions,
        interval=interval,
        easiness_centi=easiness_centi,
        lapses=lapses,
        last_review=last.replace(hour=10),
        **kw,
    )


def set_progress(
    store: Store,
    learner: LearnerInfo,
    deck_id: str,
    card_id: str,
    progress: UnitProgress,
    unit: str = "main",
) -> int:
    uid = unit_id(store, deck_id, card_id, unit)
    store.set_progress(learner.id, uid, progress)
    return uid


def pg_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema, dropped afterwards (skips without server)."""
    yield from fresh_schema_url("core")


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'gmed.sqlite3'}"
