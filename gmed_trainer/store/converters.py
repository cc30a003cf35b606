"""The one place rows become domain objects and domain objects become rows.

Cards are stored whole as JSON (`card_to_json` / `card_from_json`), so the database alone can
show every unit it schedules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from enum import StrEnum
from typing import Any

from gmed_trainer.decks.model import (
    BasicCard,
    Card,
    CardStatus,
    CardType,
    CaseCard,
    ClozeCard,
    McqCard,
    Option,
    ReverseCard,
    Step,
)
from gmed_trainer.errors import DatabaseError
from gmed_trainer.store.records import (
    Candidate,
    LearnerInfo,
    LogEntry,
    UnitProgress,
)

#: A result row by column name (SQLAlchemy's RowMapping, or a plain dict in tests).
Row = Mapping[Any, Any]

CARD_CLASSES: dict[CardType, type[Card]] = {
    CardType.BASIC: BasicCard,
    CardType.REVERSE: ReverseCard,
    CardType.CLOZE: ClozeCard,
    CardType.MCQ: McqCard,
    CardType.CASE: CaseCard,
}
#: Fields kept out of the stored card: where it was read from says nothing about the card.
_SKIPPED = {"mark"}


# ---------------------------------------------------------------------------------------- cards


def card_to_data(card: Card) -> dict[str, Any]:
    """A card as JSON-ready data (its type included)."""
    return {name: _plain(getattr(card, name)) for name in _field_names(type(card))}


def card_to_json(card: Card) -> str:
    """A card as canonical JSON: equal cards give equal text (hashes rely on it)."""
    return canonical_json(card_to_data(card))


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def card_from_json(body: str) -> Card:
    """The card stored as `body`; DatabaseError if it cannot be read back."""
    try:
        return card_from_data(json.loads(body))
    except (ValueError, KeyError, TypeError) as exc:
        raise DatabaseError(f"a stored card cannot be read ({exc}); re-import its deck") from exc


def card_from_data(data: Mapping[str, Any]) -> Card:
    cls = CARD_CLASSES[CardType(data["type"])]
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.init and f.name not in _SKIPPED and f.name in data:
            kwargs[f.name] = _rebuild(f.name, data[f.name])
    return cls(**kwargs)


def hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def search_text(card: Card, data: Mapping[str, Any] | None = None) -> str:
    """Every string a learner can see on the card (and its id), lower-cased, for text search.
    `data` is `card_to_data(card)` when the caller has it already."""
    parts: list[str] = [card.id]
    _collect_strings(card_to_data(card) if data is None else data, parts)
    return "\n".join(parts).casefold()


#: Keys of stored card data that hold no text a learner sees.
_NOT_SHOWN = frozenset({"id", "type", "status", "replaces", "generated_from", "correct"})


def _collect_strings(value: object, out: list[str]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k not in _NOT_SHOWN)
        elif isinstance(item, list):
            stack.extend(item)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls) if f.name not in _SKIPPED)
    return names


def _plain(value: object) -> object:
    # Sync serialises every card of a deck to compare fingerprints: the common leaf types are
    # tested first, by exact type, because this runs millions of times on a big collection.
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(kind, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in _field_names(kind)}
    return value


def _option(data: Mapping[str, Any]) -> Option:
    return Option(**data)


def _step(data: Mapping[str, Any]) -> Step:
    return Step(**{**data, "options": tuple(_option(o) for o in data["options"])})


def _rebuild(name: str, value: Any) -> Any:
    if name == "options":
        return tuple(_option(o) for o in value)
    if name == "steps":
        return tuple(_step(s) for s in value)
    if name == "status":
        return CardStatus(value)
    if isinstance(value, list):
        return tuple(value)
    return value


# ----------------------------------------------------------------------------------------- rows


def learner_from_row(row: Row) -> LearnerInfo:
    return LearnerInfo(
        id=row["id"],
        name=row["name"],
        new_per_day=row["new_per_day"],
        reviews_per_day=row["reviews_per_day"],
        day_starts_at=row["day_starts_at"],
        suspend_leeches=bool(row["suspend_leeches"]),
    )


#: unit_state columns read into a UnitProgress, in `progress_from_row` order.
PROGRESS_COLUMNS = (
    "due",
    "repetitions",
    "easiness_centi",
    "interval",
    "lapses",
    "last_review",
    "leech",
    "suspended",
    "buried_until",
)


def progress_from_row(row: Row) -> UnitProgress | None:
    """The progress in a row of unit_state columns, or None when the row has none (outer join)."""
    if row["due"] is None:
        return None
    return UnitProgress(
        due=row["due"],
        repetitions=row["repetitions"],
        easiness_centi=row["easiness_centi"],
        interval=row["interval"],
        lapses=row["lapses"],
        last_review=row["last_review"],
        leech=bool(row["leech"]),
        suspended=bool(row["suspended"]),
        buried_until=row["buried_until"],
    )


def progress_to_row(learner_id: int, unit_id: int, progress: UnitProgress) -> dict[str, Any]:
    return {
        "learner_id": learner_id,
        "unit_id": unit_id,
        "due": progress.due,
        "repetitions": progress.repetitions,
        "easiness_centi": progress.easiness_centi,
        "interval": progress.interval,
        "lapses": progress.lapses,
        "last_review": progress.last_review,
        "leech": progress.leech,
        "suspended": progress.suspended,
        "buried_until": progress.buried_until,
    }


def candidate_from_row(row: Row) -> Candidate:
    return Candidate(
        unit_id=row["unit_id"],
        deck_id=row["deck_id"],
        card_id=row["card_id"],
        unit=row["unit"],
        progress=progress_from_row(row),
        content_changed_at=row["content_changed_at"],
    )


def log_row(
    learner_id: int,
    unit_id: int,
    *,
    reviewed_at: Any,
    study_day: date,
    quality: int,
    response_ms: int,
    mode: str,
    before: UnitProgress | None,
    after: UnitProgress | None,
) -> dict[str, Any]:
    """The review_log row of an answer. A new unit's "before" is SM-2's starting state, and its
    `due_before` is None (which is how the log tells new units apart)."""
    start = before or UnitProgress(due=study_day)
    end = after or start
    due_before = before.due if before is not None and not before.is_new else None
    return {
        "learner_id": learner_id,
        "unit_id": unit_id,
        "reviewed_at": reviewed_at,
        "study_day": study_day,
        "quality": quality,
        "response_ms": response_ms,
        "mode": mode,
        "repetitions_before": start.repetitions,
        "easiness_centi_before": start.easiness_centi,
        "interval_before": start.interval,
        "due_before": due_before,
        "lapses_before": start.lapses,
        "repetitions_after": end.repetitions,
        "easiness_centi_after": end.easiness_centi,
        "interval_after": end.interval,
        "due_after": after.due if after is not None else due_before,
    }


def log_entry_from_row(row: Row) -> LogEntry:
    return LogEntry(
        id=row["id"],
        unit_id=row["unit_id"],
        reviewed_at=row["reviewed_at"],
        study_day=row["study_day"],
        quality=row["quality"],
        response_ms=row["response_ms"],
        mode=row["mode"],
        repetitions_before=row["repetitions_before"],
        easiness_centi_before=row["easiness_centi_before"],
        interval_before=row["interval_before"],
        due_before=row["due_before"],
        lapses_before=row["lapses_before"],
        repetitions_after=row["repetitions_after"],
        easiness_centi_after=row["easiness_centi_after"],
        interval_after=row["interval_after"],
        due_after=row["due_after"],
    )
