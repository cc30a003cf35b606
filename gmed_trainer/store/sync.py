"""Deck sync: bring loaded decks into the database without losing anyone's progress.

- New units are added.
- A unit whose content hash changed keeps its progress and is marked edited
  (`content_changed_at`), so the session can say "edited since your last review".
- Units gone from a deck (card removed or made a draft) are retired: kept with their history,
  never studied. A unit that comes back is active again, progress intact.
- A card listing `replaces: [old-id]` takes over the old card's progress: every learner's state
  and review-log rows move from the old card's units to its own (same unit name; or the only
  unit of each). The old units are retired.
- A deck whose fingerprint (header and every published card) is unchanged is skipped without a
  single write, so syncing the shipped decks on every start costs milliseconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, text, update

from gmed_trainer.decks.model import Card, Deck
from gmed_trainer.store.converters import canonical_json, card_to_data, hash_text, search_text
from gmed_trainer.store.core import CARD, DECK, REVIEW_LOG, UNIT, UNIT_STATE, UNIT_TAG
from gmed_trainer.store.repository import Store

#: Part of every fingerprint: bump it when what sync writes changes, to force one re-sync.
SYNC_FORMAT = "gmed-sync/1"
#: Any number: the lock PostgreSQL sessions take while syncing, so two starts don't race.
_PG_SYNC_LOCK = 0x676D6564 + 1


@dataclass(frozen=True)
class DeckSync:
    """What syncing one deck did."""

    deck_id: str
    unchanged: bool = False
    added: int = 0
    edited: int = 0
    retired: int = 0
    restored: int = 0
    #: Units whose progress moved to them from a card they replace.
    moved: int = 0
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.unchanged:
            return f"{self.deck_id}: unchanged"
        parts = [
            f"{count} {label}"
            for count, label in (
                (self.added, "added"),
                (self.edited, "edited"),
                (self.retired, "retired"),
                (self.restored, "restored"),
                (self.moved, "moved by replaces"),
            )
            if count
        ]
        return f"{self.deck_id}: " + (", ".join(parts) if parts else "details updated")


@dataclass(frozen=True)
class SyncReport:
    decks: tuple[DeckSync, ...] = field(default=())

    @property
    def changed(self) -> tuple[DeckSync, ...]:
        return tuple(d for d in self.decks if not d.unchanged)

    @property
    def added(self) -> int:
        return sum(d.added for d in self.decks)

    @property
    def edited(self) -> int:
        return sum(d.edited for d in self.decks)

    @property
    def retired(self) -> int:
        return sum(d.retired for d in self.decks)

    @property
    def moved(self) -> int:
        return sum(d.moved for d in self.decks)


@dataclass(frozen=True)
class _Prepared:
    """A deck with what sync compares: its published cards as JSON and its fingerprint."""

    deck: Deck
    cards: tuple[Card, ...]
    data: tuple[dict[str, Any], ...]
    bodies: tuple[str, ...]
    header: dict[str, Any]
    fingerprint: str


def deck_fingerprint(deck: Deck) -> str:
    return _prepare(deck).fingerprint


def sync_decks(store: Store, decks: Iterable[Deck], *, now: datetime | None = None) -> SyncReport:
    """Bring `decks` into the store (see the module docstring); returns what changed."""
    now = now or datetime.now(UTC)
    prepared = [_prepare(deck) for deck in decks]
    if not prepared:
        return SyncReport()
    with store.reading() as conn:
        stored = dict(
            conn.execute(
                select(DECK.c.id, DECK.c.fingerprint).where(
                    DECK.c.id.in_([p.deck.id for p in prepared])
                )
            ).all()
        )
    results: list[DeckSync] = []
    for item in prepared:
        if stored.get(item.deck.id) == item.fingerprint:
            results.append(DeckSync(item.deck.id, unchanged=True))
            continue
        with store.transaction() as conn:
            if not store.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SYNC_LOCK})
            # Another process may have synced the same deck while this one waited for the lock.
            current = conn.execute(
                select(DECK.c.fingerprint).where(DECK.c.id == item.deck.id)
            ).scalar()
            if current == item.fingerprint:
                results.append(DeckSync(item.deck.id, unchanged=True))
                continue
            results.append(_apply(conn, item, now))
    return SyncReport(tuple(results))


def _prepare(deck: Deck) -> _Prepared:
    cards = tuple(card for card in deck.cards if not card.is_draft)
    data = tuple(card_to_data(card) for card in cards)
    bodies = tuple(canonical_json(item) for item in data)
    header = {
        "title": deck.title,
        "description": deck.description,
        "version": deck.version,
        "source": deck.source,
        "tags": " ".join(deck.tags),
        "authors": json.dumps(list(deck.authors), ensure_ascii=False),
        "path": str(deck.path) if deck.path is not None else None,
    }
    digest = hashlib.sha256()
    digest.update(SYNC_FORMAT.encode())
    digest.update(json.dumps(header, sort_keys=True, ensure_ascii=False).encode())
    for body in bodies:
        digest.update(b"\0")
        digest.update(body.encode("utf-8"))
    return _Prepared(deck, cards, data, bodies, header, digest.hexdigest()[:32])


def _apply(conn: Connection, item: _Prepared, now: datetime) -> DeckSync:
    deck = item.deck
    _write_deck(conn, item, now)
    changed_cards = _write_cards(conn, item)
    added, edited, restored, units = _write_units(conn, deck, changed_cards, now)
    _write_tags(conn, deck, units)
    moved, notes = _move_replaced(conn, deck, units, now)
    retired = _retire(conn, deck)
    return DeckSync(
        deck.id,
        added=added,
        edited=edited,
        retired=retired,
        restored=restored,
        moved=moved,
        notes=tuple(notes),
    )


def _write_deck(conn: Connection, item: _Prepared, now: datetime) -> None:
    values = {**item.header, "fingerprint": item.fingerprint, "imported_at": now}
    exists = conn.execute(select(DECK.c.id).where(DECK.c.id == item.deck.id)).first()
    if exists:
        conn.execute(update(DECK).where(DECK.c.id == item.deck.id).values(**values))
    else:
        conn.execute(DECK.insert().values(id=item.deck.id, **values))


def _write_cards(conn: Connection, item: _Prepared) -> set[str]:
    """Insert and update the deck's cards; returns the ids of cards new or changed."""
    deck_id = item.deck.id
    existing = {
        row.card_id: row
        for row in conn.execute(
            select(CARD.c.card_id, CARD.c.card_hash, CARD.c.position, CARD.c.active).where(
                CARD.c.deck_id == deck_id
            )
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed: set[str] = set()
    rows = zip(item.cards, item.data, item.bodies, strict=True)
    for position, (card, data, body) in enumerate(rows):
        card_hash = hash_text(body)
        old = existing.get(card.id)
        if old is not None and (old.card_hash, old.position, bool(old.active)) == (
            card_hash,
            position,
            True,
        ):
            continue
        values = {
            "card_type": card.type.value,
            "body": body,
            "card_hash": card_hash,
            "search_text": search_text(card, data),
            "position": position,
            "active": True,
        }
        if old is None:
            inserts.append({"deck_id": deck_id, "card_id": card.id, **values})
            changed.add(card.id)
        else:
            updates.append({"b_card": card.id, **values})
            if old.card_hash != card_hash:
                changed.add(card.id)
    if inserts:
        conn.execute(CARD.insert(), inserts)
    if updates:
        conn.execute(
            update(CARD).where(CARD.c.deck_id == deck_id, CARD.c.card_id == bindparam("b_card")),
            updates,
        )
    current = {card.id for card in item.cards}
    gone = [card_id for card_id, row in existing.items() if row.active and card_id not in current]
    if gone:
        conn.execute(
            update(CARD)
            .where(CARD.c.deck_id == deck_id, CARD.c.card_id == bindparam("b_card"))
            .values(active=False),
            [{"b_card": card_id} for card_id in gone],
        )
    return changed


def _write_units(
    conn: Connection, deck: Deck, changed_cards: set[str], now: datetime
) -> tuple[int, int, int, dict[tuple[str, str], int]]:
    """Insert and update the deck's units; returns (added, edited, restored, ids by key).
    Content hashes are computed only for units of new or changed cards: a card's stored body
    determines what its units show."""
    existing = {
        (row.card_id, row.unit): row
        for row in conn.execute(
            select(
                UNIT.c.id,
                UNIT.c.card_id,
                UNIT.c.unit,
                UNIT.c.content_hash,
                UNIT.c.position,
                UNIT.c.active,
                UNIT.c.card_type,
            ).where(UNIT.c.deck_id == deck.id)
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    edited = restored = 0
    for position, unit in enumerate(deck.units()):
        card_type = unit.card.type.value
        old = existing.get((unit.card_id, unit.unit))
        content_hash = unit.content_hash if unit.card_id in changed_cards or old is None else ""
        if old is None:
            inserts.append(
                {
                    "deck_id": deck.id,
                    "card_id": unit.card_id,
                    "unit": unit.unit,
                    "card_type": card_type,
                    "content_hash": content_hash,
                    "position": position,
                    "active": True,
                }
            )
            continue
        values: dict[str, Any] = {}
        if content_hash and old.content_hash != content_hash:
            values.update(content_hash=content_hash, content_changed_at=now)
            edited += 1
        if not old.active:
            values["active"] = True
            restored += 1
        if old.position != position:
            values["position"] = position
        if old.card_type != card_type:
            values["card_type"] = card_type
        if values:
            updates.append({"b_id": old.id, **values})
    if inserts:
        conn.execute(UNIT.insert(), inserts)
    # executemany needs the same columns in every row: update each shape of change apart.
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in updates:
        by_shape.setdefault(tuple(sorted(row)), []).append(row)
    for rows in by_shape.values():
        conn.execute(update(UNIT).where(UNIT.c.id == bindparam("b_id")), rows)
    ids = {
        (row.card_id, row.unit): row.id
        for row in conn.execute(
            select(UNIT.c.id, UNIT.c.card_id, UNIT.c.unit).where(UNIT.c.deck_id == deck.id)
        )
    }
    return len(inserts), edited, restored, ids


def _write_tags(conn: Connection, deck: Deck, ids: dict[tuple[str, str], int]) -> None:
    wanted: set[tuple[int, str]] = set()
    for unit in deck.units():
        for tag in {*unit.card.tags, *deck.tags}:
            wanted.add((ids[(unit.card_id, unit.unit)], tag))
    have = set(
        conn.execute(
            select(UNIT_TAG.c.unit_id, UNIT_TAG.c.tag)
            .join(UNIT, UNIT.c.id == UNIT_TAG.c.unit_id)
            .where(UNIT.c.deck_id == deck.id)
        ).all()
    )
    stale = have - wanted
    if stale:
        conn.execute(
            delete(UNIT_TAG).where(
                UNIT_TAG.c.unit_id == bindparam("b_unit"), UNIT_TAG.c.tag == bindparam("b_tag")
            ),
            [{"b_unit": unit_id, "b_tag": tag} for unit_id, tag in sorted(stale)],
        )
    fresh = wanted - have
    if fresh:
        conn.execute(
            UNIT_TAG.insert(), [{"unit_id": unit_id, "tag": tag} for unit_id, tag in sorted(fresh)]
        )


def _move_replaced(
    conn: Connection, deck: Deck, ids: dict[tuple[str, str], int], now: datetime
) -> tuple[int, list[str]]:
    """Move progress from replaced cards' units to their successors'."""
    current = {card.id for card in deck.cards if not card.is_draft}
    moved = 0
    notes: list[str] = []
    for card in deck.cards:
        if card.is_draft or not card.replaces:
            continue
        for old_id in card.replaces:
            if old_id in current:
                notes.append(
                    f"{card.id} replaces {old_id}, which is still in the deck: progress not moved"
                )
                continue
            old_units = {unit: uid for (cid, unit), uid in ids.items() if cid == old_id}
            for old_uid, new_uid in _unit_pairs(old_units, card, ids, deck.id):
                if _move_progress(conn, old_uid, new_uid, now):
                    moved += 1
    return moved, notes


def _unit_pairs(
    old_units: dict[str, int], card: Card, ids: dict[tuple[str, str], int], deck_id: str
) -> list[tuple[int, int]]:
    """Old unit id -> new unit id: by unit name; a card of one unit passes its progress to the
    first unit of its successor (a basic card replaced by a reverse card, say)."""
    new_names = card.unit_names()
    pairs = [
        (old_uid, ids[(card.id, name)]) for name, old_uid in old_units.items() if name in new_names
    ]
    if not pairs and len(old_units) == 1 and new_names:
        (old_uid,) = old_units.values()
        pairs.append((old_uid, ids[(card.id, new_names[0])]))
    return pairs


def _move_progress(conn: Connection, old_uid: int, new_uid: int, now: datetime) -> bool:
    """Re-point every learner's state and log rows from `old_uid` to `new_uid`. Where a learner
    already has state on the new unit, the more recently reviewed state wins."""
    old_states = {
        row.learner_id: row.last_review
        for row in conn.execute(
            select(UNIT_STATE.c.learner_id, UNIT_STATE.c.last_review).where(
                UNIT_STATE.c.unit_id == old_uid
            )
        )
    }
    logs = conn.execute(
        update(REVIEW_LOG).where(REVIEW_LOG.c.unit_id == old_uid).values(unit_id=new_uid)
    ).rowcount
    if not old_states and not logs:
        return False
    new_states = {
        row.learner_id: row.last_review
        for row in conn.execute(
            select(UNIT_STATE.c.learner_id, UNIT_STATE.c.last_review).where(
                UNIT_STATE.c.unit_id == new_uid, UNIT_STATE.c.learner_id.in_(list(old_states))
            )
        )
    }
    for learner_id, old_last in old_states.items():
        if learner_id in new_states:
            new_last = new_states[learner_id]
            if new_last is not None and (old_last is None or new_last >= old_last):
                conn.execute(
                    delete(UNIT_STATE).where(
                        UNIT_STATE.c.unit_id == old_uid, UNIT_STATE.c.learner_id == learner_id
                    )
                )
                continue
            conn.execute(
                delete(UNIT_STATE).where(
                    UNIT_STATE.c.unit_id == new_uid, UNIT_STATE.c.learner_id == learner_id
                )
            )
        conn.execute(
            update(UNIT_STATE)
            .where(UNIT_STATE.c.unit_id == old_uid, UNIT_STATE.c.learner_id == learner_id)
            .values(unit_id=new_uid)
        )
    # The replacement shows something else than what the learner reviewed: flag it as edited.
    old_hash, new_hash = (
        conn.execute(select(UNIT.c.content_hash).where(UNIT.c.id == uid)).scalar()
        for uid in (old_uid, new_uid)
    )
    if old_hash != new_hash:
        conn.execute(update(UNIT).where(UNIT.c.id == new_uid).values(content_changed_at=now))
    return True


def _retire(conn: Connection, deck: Deck) -> int:
    current = {(unit.card_id, unit.unit) for unit in deck.units()}
    gone = [
        row.id
        for row in conn.execute(
            select(UNIT.c.id, UNIT.c.card_id, UNIT.c.unit).where(
                UNIT.c.deck_id == deck.id, UNIT.c.active.is_(True)
            )
        )
        if (row.card_id, row.unit) not in current
    ]
    if gone:
        conn.execute(
            update(UNIT).where(UNIT.c.id == bindparam("b_id")).values(active=False),
            [{"b_id": uid} for uid in gone],
        )
    return len(gone)
