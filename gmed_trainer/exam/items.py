"""Exam items: mcq and case units as the questions a block asks, with options in display order.

An item is one review unit (an mcq, a generated mcq or a case). It has one or more parts, the
questions the learner answers: an mcq has one, a case one per step. Each part carries its
answer key (`PartKey`) separately from what the learner sees (`Choice`), so a student's view can
drop the key entirely (`ExamItem.redacted`) instead of trusting a screen not to show it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from gmed_trainer.decks.model import CaseCard, McqCard, Option, ReviewUnit

#: Keys a learner presses to choose an option: a-h, never the 0-5 grade keys.
OPTION_KEYS = "abcdefgh"


def is_exam_unit(unit: ReviewUnit) -> bool:
    """Whether a unit can be an exam item: a published mcq (generated ones included) or case."""
    return isinstance(unit.card, McqCard | CaseCard) and not unit.card.is_draft


@dataclass(frozen=True, slots=True)
class Choice:
    """What a learner sees of an option before any feedback: no correctness, no `why`."""

    id: str
    text: str


@dataclass(frozen=True)
class PartKey:
    """The answer key of one question: the correct option ids and every option's `why`."""

    correct: frozenset[str]
    why: Mapping[str, str | None]

    def is_correct(self, chosen: Iterable[str]) -> bool:
        """Right when exactly the correct options were chosen (one, or all under `select: all`)."""
        return frozenset(chosen) == self.correct


@dataclass(frozen=True)
class ExamPart:
    """One question of an item: an mcq, or one step of a case (`reveal` opens the step)."""

    number: int
    question: str
    choices: tuple[Choice, ...]
    select_all: bool = False
    reveal: str | None = None
    step_id: str | None = None
    #: None in a student's view until the block has ended.
    key: PartKey | None = None

    def choice(self, option_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == option_id:
                return choice
        raise KeyError(option_id)

    def choice_by_key(self, letter: str) -> Choice | None:
        """The option shown under key `letter` (a-h), if there is one."""
        index = OPTION_KEYS.find(letter)
        return self.choices[index] if 0 <= index < len(self.choices) else None

    def letter(self, option_id: str) -> str:
        """The key an option is shown under."""
        return OPTION_KEYS[[c.id for c in self.choices].index(option_id)]


@dataclass(frozen=True)
class ExamItem:
    """One item of a block, as shown: an mcq (one part) or a case (a part per step)."""

    deck_id: str
    card_id: str
    unit: str
    kind: str
    parts: tuple[ExamPart, ...]
    title: str | None = None
    stem: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    #: None in a student's view until the block has ended.
    explanation: str | None = None

    @property
    def unit_key(self) -> tuple[str, str, str]:
        """The review unit's identity (deck id, card id, unit name)."""
        return (self.deck_id, self.card_id, self.unit)

    @property
    def is_case(self) -> bool:
        return self.kind == "case"

    @property
    def has_key(self) -> bool:
        return all(part.key is not None for part in self.parts)

    def redacted(self) -> ExamItem:
        """The item without its answer key and explanation: what a student gets mid-block."""
        return replace(
            self, explanation=None, parts=tuple(replace(p, key=None) for p in self.parts)
        )


def option_order(
    options: Sequence[Option], rng: random.Random, *, shuffle: bool = True
) -> tuple[Option, ...]:
    """Options in display order: shuffled when the card allows, `pin: last` options kept last."""
    free = [o for o in options if not o.pin_last]
    pinned = [o for o in options if o.pin_last]
    if shuffle:
        rng.shuffle(free)
    return tuple(free + pinned)


def _part(
    number: int,
    question: str,
    options: Sequence[Option],
    rng: random.Random,
    *,
    shuffle: bool,
    select_all: bool,
    reveal: str | None = None,
    step_id: str | None = None,
) -> ExamPart:
    ordered = option_order(options, rng, shuffle=shuffle)
    key = PartKey(
        correct=frozenset(o.id for o in options if o.correct),
        why=MappingProxyType({o.id: o.why for o in options}),
    )
    return ExamPart(
        number=number,
        question=question,
        choices=tuple(Choice(o.id, o.text) for o in ordered),
        select_all=select_all,
        reveal=reveal,
        step_id=step_id,
        key=key,
    )


def build_item(
    unit: ReviewUnit, rng: random.Random, *, tags: tuple[str, ...] | None = None
) -> ExamItem:
    """The exam item for an mcq or case unit, its options ordered with `rng`; `tags` replaces
    the card's own (the store's unit tags include the deck's)."""
    card = unit.card
    if isinstance(card, McqCard):
        parts: tuple[ExamPart, ...] = (
            _part(
                0,
                card.question,
                card.options,
                rng,
                shuffle=card.shuffle,
                select_all=card.select_all,
            ),
        )
        title, stem = None, card.stem
    elif isinstance(card, CaseCard):
        parts = tuple(
            _part(
                number,
                step.question,
                step.options,
                rng,
                shuffle=True,
                select_all=step.select_all,
                reveal=step.reveal,
                step_id=step.id,
            )
            for number, step in enumerate(card.steps)
        )
        title, stem = card.title, card.stem
    else:
        raise ValueError(f"{card.id} is a {card.type} card: only mcq and case units are exam items")
    return ExamItem(
        deck_id=unit.deck_id,
        card_id=card.id,
        unit=unit.unit,
        kind=card.type.value,
        parts=parts,
        title=title,
        stem=stem,
        tags=card.tags if tags is None else tags,
        source=card.source,
        explanation=card.explanation,
    )


def draw_units(units: Iterable[ReviewUnit], count: int, seed: int) -> list[ReviewUnit]:
    """`count` units (or all, when fewer) drawn at random with `seed`, in shuffled order.

    Units are sorted by identity first, so the same pool and seed always give the same block
    whatever order the decks were loaded in.
    """
    pool = sorted((u for u in units if is_exam_unit(u)), key=lambda u: u.key)
    return random.Random(seed).sample(pool, min(count, len(pool)))


def build_items(units: Sequence[ReviewUnit], seed: int) -> tuple[ExamItem, ...]:
    """Items for drawn units, each with its options ordered by a generator seeded from `seed`."""
    return tuple(build_item(u, item_rng(seed, u.key)) for u in units)


def item_rng(seed: int, *parts: object) -> random.Random:
    """A generator for one item, independent of the others: same seed and item, same order."""
    return random.Random(":".join([str(seed), *map(str, parts)]))
