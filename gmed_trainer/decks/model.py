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
from pathlib import Path

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
        skip = {"id", "mark", "status", "replaces", "tags", "source"}
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skip}

    def unit_content(self, unit: str) -> dict[str, object]:
        """The part of `content()` a given unit shows; by default the whole card."""
        return self.content()


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
        payload = json.dumps(self.card.unit_content(self.unit), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


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


def _plain(value: object) -> object:
    """Dataclasses, enums and tuples as JSON-ready data, for hashing."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}  # type: ignore[arg-type]
    return value
