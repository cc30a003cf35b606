"""Cards survive the trip into the database and back, exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gmed_trainer import paths
from gmed_trainer.decks.loader import load_decks
from gmed_trainer.decks.model import (
    BasicCard,
    Card,
    CardStatus,
    CaseCard,
    ClozeCard,
    McqCard,
    Option,
    ReverseCard,
    Step,
)
from gmed_trainer.store.converters import card_from_json, card_to_json, search_text

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
texts = st.text(min_size=1, max_size=40)
maybe = st.none() | texts
common = {
    "id": slugs,
    "tags": st.lists(slugs, max_size=3).map(tuple),
    "source": maybe,
    "extra": maybe,
    "status": st.sampled_from(list(CardStatus)),
    "replaces": st.lists(slugs, max_size=2).map(tuple),
    "generated_from": st.none() | slugs,
}
option_lists = st.lists(
    st.builds(
        Option, id=slugs, text=texts, correct=st.booleans(), why=maybe, pin_last=st.booleans()
    ),
    min_size=1,
    max_size=5,
).map(tuple)
cards: st.SearchStrategy[Card] = st.one_of(
    st.builds(BasicCard, front=texts, back=texts, **common),
    st.builds(ReverseCard, front=texts, back=texts, **common),
    st.builds(ClozeCard, text=texts.map(lambda t: f"{t} {{{{c1::{t}}}}}"), **common),
    st.builds(
        McqCard,
        question=texts,
        options=option_lists,
        stem=maybe,
        explanation=maybe,
        shuffle=st.booleans(),
        select_all=st.booleans(),
        **common,
    ),
    st.builds(
        CaseCard,
        title=texts,
        stem=texts,
        steps=st.lists(
            st.builds(
                Step,
                id=slugs,
                question=texts,
                options=option_lists,
                reveal=maybe,
                select_all=st.booleans(),
            ),
            min_size=1,
            max_size=3,
        ).map(tuple),
        explanation=maybe,
        **common,
    ),
)


@given(cards)
def test_every_card_round_trips(card: Card) -> None:
    body = card_to_json(card)
    back = card_from_json(body)
    assert back == card and type(back) is type(card)
    assert card_to_json(back) == body


def test_the_shipped_decks_round_trip() -> None:
    decks, _ = load_decks([paths.shipped_decks_dir()])
    assert decks
    for deck in decks:
        for card in deck.cards:
            assert card_from_json(card_to_json(card)) == card


def test_search_text_holds_what_learners_see_and_not_the_flags() -> None:
    card = McqCard(
        id="q1",
        question="Which Muscle?",
        options=(Option(id="a", text="Gluteus Medius", correct=True, why="It abducts"),),
    )
    text = search_text(card)
    assert "which muscle?" in text and "gluteus medius" in text and "it abducts" in text
    assert "true" not in text and "mcq" not in text
