"""The deck domain: typed, frozen objects that the loader builds from YAML.

Nothing here knows about YAML, the database or the UI. A `Deck` holds its `Card`s (tables already
expanded into generated cards); each card yields one or more `ReviewUnit`s, the things the
scheduler tracks. A unit's identity is (deck id, card id, unit name); its `content_hash` changes
when the text it shows changes, which is how sync notices an edited card.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

FORMAT = "gmed-deck/1"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: The unit name of a card that is a single review unit (basic, mcq, case, generated).
MAIN_UNIT = "main"


class CardType(StrEnum):
    BASIC = "basic"
    REVERSE = "reverse"
    CLOZE = "cloze"
    MCQ = "mcq"
    CASE = "case"


class CardStatus(StrEnum):
    PUBLISHED = "published"
    DRAFT = "draft"


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a node starts in its file: 1-based line and column, as editors count."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, kw_only=True)
class Option:
    """One answer of a multiple-choice question or case step."""

    id: str
    text: str
    correct: bool
    why: str | None = None
    pin_last: bool = False


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step of a case vignette: `reveal` is disclosed when the step opens."""

    id: str
    question: str
    options: tuple[Option, ...]
    reveal: str | None = None
    select_all: bool = False

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


@dataclass(frozen=True, kw_only=True)
class Card:
    """What every card type shares. Subclasses add the fields of their type."""

    id: str
    tags: tuple[str, ...] = ()
    source: str | None = None
    extra: str | None = None
    status: CardStatus = CardStatus.PUBLISHED
    replaces: tuple[str, ...] = ()
    #: The table id for a card generated from a fact table, else None.
    generated_from: str | None = None
    mark: Mark | None = field(default=None, compare=False, repr=False)

    type: CardType = field(init=False, default=CardType.BASIC)

    @property
    def is_draft(self) -> bool:
        return self.status is CardStatus.DRAFT

    def unit_names(self) -> tuple[str, ...]:
        """The names of this card's review units, in study order."""
        return (MAIN_UNIT,)

    def content(self) -> dict[str, object]:
        """What the learner sees of this card, as plain data: the input of the content hash."""
        return {name: _plain(getattr(self, name)) for name in _shown_fields(type(self))}

    def unit_content(self, unit: str) -> dict[str, object]:
        """The part of `content()` a given unit shows; by default the whole card."""
        return self.content()

    @cached_property
    def content_digest(self) -> str:
        """The hash of `content()`, computed once per card (a deck import asks for it per unit)."""
        # The same JSON as `_canonical(self.content())`, with the leaves left to the encoder.
        shown = {name: getattr(self, name) for name in _shown_fields(type(self))}
        return _digest(
            json.dumps(shown, sort_keys=True, ensure_ascii=False, default=_dataclass_fields)
        )

    def unit_hash(self, unit: str) -> str:
        """The content hash of one unit: the hash of `unit_content(unit)` as canonical JSON."""
        return self.content_digest


@dataclass(frozen=True, kw_only=True)
class BasicCard(Card):
    front: str
    back: str
    type: CardType = field(init=False, default=CardType.BASIC)


@dataclass(frozen=True, kw_only=True)
class ReverseCard(Card):
    """Studied both ways: unit `front` asks the front, unit `back` asks the back."""

    front: str
    back: str
    type: CardType = field(init=False, default=CardType.REVERSE)

    def unit_names(self) -> tuple[str, ...]:
        return ("front", "back")

    def prompt_and_answer(self, unit: str) -> tuple[str, str]:
        return (self.front, self.back) if unit == "front" else (self.back, self.front)


CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class ClozeDeletion:
    number: int
    answer: str
    hint: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClozeCard(Card):
    """`text` with `{{cN::answer}}` or `{{cN::answer::hint}}` deletions; one unit per number."""

    text: str
    type: CardType = field(init=False, default=CardType.CLOZE)

    @property
    def deletions(self) -> tuple[ClozeDeletion, ...]:
        return tuple(
            ClozeDeletion(number=int(m.group(1)), answer=m.group(2), hint=m.group(3))
            for m in CLOZE_RE.finditer(self.text)
        )

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(sorted({d.number for d in self.deletions}))

    def unit_names(self) -> tuple[str, ...]:
        return tuple(f"c{n}" for n in self.numbers)

    def render(self, unit: str, *, revealed: bool) -> list[tuple[str, str]]:
        """The text as segments `(kind, text)`: kind is "text", "gap" (the asked deletion, hidden
        or filled) or "other" (another deletion, shown as its answer)."""
        asked = int(unit.removeprefix("c"))
        segments: list[tuple[str, str]] = []
        pos = 0
        for m in CLOZE_RE.finditer(self.text):
            if m.start() > pos:
                segments.append(("text", self.text[pos : m.start()]))
            number, answer, hint = int(m.group(1)), m.group(2), m.group(3)
            if number == asked:
                segments.append(("gap", answer if revealed else f"[{hint or '...'}]"))
            else:
                segments.append(("other", answer))
            pos = m.end()
        if pos < len(self.text):
            segments.append(("text", self.text[pos:]))
        return segments

    def unit_content(self, unit: str) -> dict[str, object]:
        return {"text": self.text, "extra": self.extra, "unit": unit}

    @cached_property
    def _unit_json_head(self) -> str:
        """`unit_content(unit)` as canonical JSON up to the unit's name, which comes last."""
        head = _canonical({"text": self.text, "extra": self.extra, "unit": ""})
        return head.removesuffix('""}')

    def unit_hash(self, unit: str) -> str:
        # The canonical JSON of `unit_content(unit)`, without encoding text and extra per unit.
        return _digest(self._unit_json_head + json.dumps(unit, ensure_ascii=False) + "}")


@dataclass(frozen=True, kw_only=True)
class McqCard(Card):
    question: str
    options: tuple[Option, ...]
    stem: str | None = None
    explanation: str | None = None
    shuffle: bool = True
    select_all: bool = False
    type: CardType = field(init=False, default=CardType.MCQ)

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


@dataclass(frozen=True, kw_only=True)
class CaseCard(Card):
    title: str
    stem: str
    steps: tuple[Step, ...]
    explanation: str | None = None
    type: CardType = field(init=False, default=CardType.CASE)


@dataclass(frozen=True, kw_only=True)
class ReviewUnit:
    """What the scheduler tracks: one side of a card, one cloze number, or a whole card."""

    deck_id: str
    card: Card
    unit: str

    @property
    def card_id(self) -> str:
        return self.card.id

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.deck_id, self.card.id, self.unit)

    @property
    def siblings_key(self) -> tuple[str, str]:
        """Units sharing this key are siblings (not shown on the same day once one is answered)."""
        return (self.deck_id, self.card.id)

    @property
    def content_hash(self) -> str:
        """Changes exactly when what this unit shows changes (a cloze number: the card's text and
        extra; any other unit: the card's shown content)."""
        return self.card.unit_hash(self.unit)


@dataclass(frozen=True, kw_only=True)
class Deck:
    id: str
    title: str
    cards: tuple[Card, ...]
    description: str | None = None
    version: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str | None = None
    path: Path | None = field(default=None, compare=False)

    def card(self, card_id: str) -> Card | None:
        for card in self.cards:
            if card.id == card_id:
                return card
        return None

    def units(self, *, include_drafts: bool = False) -> tuple[ReviewUnit, ...]:
        """Every review unit of the deck, in deck order; drafts only when asked for."""
        return tuple(
            ReviewUnit(deck_id=self.id, card=card, unit=name)
            for card in self.cards
            if include_drafts or not card.is_draft
            for name in card.unit_names()
        )


_D = TypeVar("_D")


def assemble(cls: type[_D], values: dict[str, Any]) -> _D:
    """`cls(**values)` for a frozen dataclass of this module, made without the generated
    `__init__`, which sets each field through `object.__setattr__` (twice as slow).

    For the deck loader, which builds tens of thousands of objects from values it has already
    checked: `values` must name every init field of `cls` (defaults included) and nothing
    else, and becomes the object's `__dict__`, so it must be a dict made for the purpose.
    """
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    return obj


#: Fields that say nothing about what a learner sees: left out of the content hash.
_NOT_SHOWN = frozenset({"id", "mark", "status", "replaces", "tags", "source"})
_SHOWN_FIELDS: dict[type, tuple[str, ...]] = {}
_ALL_FIELDS: dict[type, tuple[str, ...]] = {}


def _shown_fields(cls: type) -> tuple[str, ...]:
    names = _SHOWN_FIELDS.get(cls)
    if names is None:
        names = _SHOWN_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in _NOT_SHOWN)
    return names


def _field_names(cls: type) -> tuple[str, ...]:
    names = _ALL_FIELDS.get(cls)
    if names is None:
        names = _ALL_FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


def _plain(value: object) -> object:
    """Dataclasses, enums and tuples as JSON-ready data, for hashing."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(kind, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in _field_names(kind)}
    return value


def _dataclass_fields(value: object) -> dict[str, object]:
    """A dataclass's fields by name: how the JSON encoder turns an `Option` or `Step` into data
    (tuples are lists and string enums are strings to it already)."""
    kind = type(value)
    if not hasattr(kind, "__dataclass_fields__"):
        raise TypeError(f"{kind.__name__} is not JSON serializable")
    return {name: getattr(value, name) for name in _field_names(kind)}


def _canonical(data: dict[str, object]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _digest(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
