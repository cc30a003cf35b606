"""The deck domain objects: unit content hashes, and objects built without `__init__`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest

from gmed_trainer.decks.model import (
    BasicCard,
    Card,
    CardStatus,
    CaseCard,
    ClozeCard,
    Deck,
    Mark,
    McqCard,
    Option,
    ReverseCard,
    Step,
    assemble,
)

OPTIONS = (
    Option(id="a", text='Le "muscle" fessier', correct=True, why="Ünïcode\nand quotes"),
    Option(id="b", text="B", correct=False, why=None, pin_last=True),
)
STEP = Step(id="s1", question="Q", options=OPTIONS, reveal="R", select_all=True)
CARDS: list[Card] = [
    BasicCard(id="basic", front="F", back="B", extra="E", tags=("t",), source="S"),
    ReverseCard(id="reverse", front="F", back="B"),
    ClozeCard(id="cloze", text='a {{c1::b}} "c" {{c2::d::h}} é', extra="x"),
    McqCard(id="mcq", question="Q", options=OPTIONS, stem="S", explanation="E", shuffle=False),
    CaseCard(
        id="case",
        title="T",
        stem="S",
        steps=(STEP,),
    ),
]


def _hash_of(data: dict[str, object]) -> str:
    """The content hash as the model defines it: canonical JSON of what a unit shows."""
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value)


def _units(card: Card) -> list[Any]:
    return list(Deck(id="d", title="D", cards=(card,)).units(include_drafts=True))


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.id)
def test_a_unit_hash_is_the_hash_of_the_content_it_shows(card: Card) -> None:
    for unit in _units(card):
        assert unit.content_hash == _hash_of(card.unit_content(unit.unit))


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.id)
def test_a_unit_hash_ignores_what_the_learner_does_not_see(card: Card) -> None:
    other = dataclasses.replace(
        card,
        id="renamed",
        tags=("x", "y"),
        source="Elsewhere",
        status=CardStatus.DRAFT,
        replaces=("old",),
        mark=Mark("deck.yaml", 9, 9),
    )
    assert [u.content_hash for u in _units(other)] == [u.content_hash for u in _units(card)]


@pytest.mark.parametrize(
    ("card", "change"),
    [
        (CARDS[0], {"back": "B2"}),
        (CARDS[0], {"extra": None}),
        (CARDS[1], {"front": "F2"}),
        (CARDS[2], {"text": 'a {{c1::b}} "c" {{c2::d::h}} è'}),
        (CARDS[2], {"extra": "y"}),
        (CARDS[3], {"options": (OPTIONS[0], dataclasses.replace(OPTIONS[1], why="W"))}),
        (CARDS[3], {"shuffle": True}),
        (CARDS[4], {"steps": (Step(id="s1", question="Q2", options=OPTIONS),)}),
    ],
)
def test_every_unit_hash_changes_with_what_the_card_shows(
    card: Card, change: dict[str, Any]
) -> None:
    before = [u.content_hash for u in _units(card)]
    after = [u.content_hash for u in _units(dataclasses.replace(card, **change))]
    assert all(b != a for b, a in zip(before, after, strict=True))


def test_cloze_numbers_have_hashes_of_their_own() -> None:
    first, second = (u.content_hash for u in _units(CARDS[2]))
    assert first != second


def test_the_card_content_is_hashed_once() -> None:
    card = dataclasses.replace(CARDS[3])
    assert "content_digest" not in vars(card)
    digest = _units(card)[0].content_hash
    assert vars(card)["content_digest"] == digest


@pytest.mark.parametrize("made", [*CARDS, *OPTIONS, STEP], ids=lambda o: type(o).__name__)
def test_assemble_builds_what_the_constructor_builds(made: Any) -> None:
    made = dataclasses.replace(made)  # a fresh one: nothing cached on it
    values = {f.name: getattr(made, f.name) for f in dataclasses.fields(made) if f.init}
    built = assemble(type(made), values)
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    assert vars(built) == vars(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.id = "changed"
