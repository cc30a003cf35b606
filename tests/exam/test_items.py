"""Drawing items: seeded, shuffled, only mcq and case units, options per the card's rules."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from gmed_trainer.decks.model import BasicCard, CardStatus, Deck, McqCard, Option, ReviewUnit
from gmed_trainer.exam.items import build_item, build_items, draw_units, option_order
from tests.exam.factories import case, deck, mcq, units


def test_the_same_seed_draws_the_same_block() -> None:
    pool = units(deck(mcqs=20, cases=4))
    first = draw_units(pool, 10, seed=7)
    assert [u.key for u in first] == [u.key for u in draw_units(pool, 10, seed=7)]
    assert [u.key for u in first] != [u.key for u in draw_units(pool, 10, seed=8)]


def test_the_draw_does_not_depend_on_the_order_the_pool_came_in() -> None:
    pool = units(deck(mcqs=20, cases=4))
    shuffled = list(pool)
    random.Random(1).shuffle(shuffled)
    assert [u.key for u in draw_units(pool, 8, 3)] == [u.key for u in draw_units(shuffled, 8, 3)]


def test_the_draw_is_shuffled_not_in_deck_order() -> None:
    pool = units(deck(mcqs=30, cases=0))
    drawn = draw_units(pool, 30, seed=11)
    assert sorted(u.key for u in drawn) == sorted(u.key for u in pool)
    assert [u.key for u in drawn] != sorted(u.key for u in pool)


def test_only_mcq_and_case_units_are_drawn_and_never_drafts() -> None:
    basic = BasicCard(id="b", front="f", back="b")
    draft = McqCard(
        id="draft",
        question="q",
        options=(Option(id="a", text="a", correct=True), Option(id="b", text="b", correct=False)),
        status=CardStatus.DRAFT,
    )
    d = Deck(id="d", title="d", cards=(basic, draft, mcq("m"), case("c")))
    pool = list(d.units(include_drafts=True))
    assert sorted(u.card.id for u in draw_units(pool, 10, 1)) == ["c", "m"]


def test_count_larger_than_the_pool_takes_the_whole_pool() -> None:
    assert len(draw_units(units(deck(mcqs=3, cases=1)), 20, 1)) == 4


def test_pinned_options_stay_last_and_unshuffled_cards_keep_their_order() -> None:
    options = tuple(Option(id=i, text=i, correct=i == "a") for i in "abcd") + (
        Option(id="all", text="All of the above", correct=False, pin_last=True),
    )
    for seed in range(20):
        ordered = option_order(options, random.Random(seed))
        assert ordered[-1].id == "all"
    assert option_order(options, random.Random(3), shuffle=False) == options


def test_a_generated_mcq_is_an_exam_item() -> None:
    generated = McqCard(
        id="trp.trp1.point-from-location",
        question="Which lies there?",
        options=(
            Option(id="trp1", text="TrP1", correct=True),
            Option(id="trp2", text="TrP2", correct=False),
        ),
        generated_from="trp",
    )
    item = build_item(ReviewUnit(deck_id="d", card=generated, unit="main"), random.Random(0))
    assert item.kind == "mcq" and item.parts[0].key is not None
    assert item.parts[0].key.correct == {"trp1"}


def test_a_case_has_one_part_per_step_with_its_reveal() -> None:
    item = build_item(ReviewUnit(deck_id="d", card=case("c"), unit="main"), random.Random(0))
    assert [p.step_id for p in item.parts] == ["first", "second"]
    assert item.parts[1].reveal == "More news."
    assert item.title == "Case c" and item.stem == "A patient."


def test_redacted_items_carry_no_key_and_no_explanation() -> None:
    item = build_items(units(deck(mcqs=1, cases=1)), seed=1)
    for full in item:
        red = full.redacted()
        assert red.explanation is None
        assert all(p.key is None for p in red.parts)
        assert [c.text for p in red.parts for c in p.choices] == [
            c.text for p in full.parts for c in p.choices
        ]


@given(st.integers(min_value=0, max_value=2**31), st.integers(min_value=1, max_value=12))
def test_any_seed_draws_distinct_units_from_the_pool(seed: int, count: int) -> None:
    pool = units(deck(mcqs=8, cases=2))
    drawn = draw_units(pool, count, seed)
    assert len(drawn) == min(count, len(pool))
    assert len({u.key for u in drawn}) == len(drawn)
