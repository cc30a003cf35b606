"""Fact tables to cards: ids, prompts, distractors, explanations."""

from __future__ import annotations

from gmed_trainer.decks.generate import GENERATED_ID_RE, fill_prompt, slugify
from gmed_trainer.decks.model import BasicCard, Deck, McqCard
from tests.decks.helpers import load

REFERRAL = """\
format: gmed-deck/1
deck:
  id: trp
  title: Trigger points
  tags: [gluteus-medius]
  source: Deck source
tables:
  - id: trp-referral
    key: point
    columns: [point, location, referral]
    labels: {point: trigger point, referral: main referred pain}
    source: Referred Pain Pattern
    tags: [referral]
    rows:
      - {point: TrP1, location: below the posterior iliac crest, referral: sacroiliac region}
      - {point: TrP2, location: just below the iliac crest, referral: lateral hip}
      - {point: TrP3, location: just below the ASIS, referral: low back}
      - {point: TrP 4, location: nowhere, referral: the moon}
      - {point: TrP5, location: elsewhere, referral: mars}
    ask:
      - {given: location, answer: point, as: mcq, prompt: "Which trigger point lies {location}?"}
      - {given: point, answer: referral, as: mcq}
      - {given: point, answer: location}
"""


def deck(text: str = REFERRAL) -> Deck:
    result = load(text)
    assert result.findings == []
    assert result.deck is not None
    return result.deck


def test_each_row_and_ask_makes_one_card_with_a_stable_id() -> None:
    ids = [card.id for card in deck().cards]
    rows = ["trp1", "trp2", "trp3", "trp-4", "trp5"]
    assert ids == (
        [f"trp-referral.{r}.point-from-location" for r in rows]
        + [f"trp-referral.{r}.referral-from-point" for r in rows]
        + [f"trp-referral.{r}.location-from-point" for r in rows]
    )
    assert all(GENERATED_ID_RE.match(i) for i in ids)
    assert len(deck().units()) == 15


def test_generated_cards_carry_table_id_tags_and_source() -> None:
    for card in deck().cards:
        assert card.generated_from == "trp-referral"
        assert card.tags == ("gluteus-medius", "referral")
        assert card.source == "Referred Pain Pattern"
        assert card.mark is not None


def test_a_table_without_source_uses_the_deck_source() -> None:
    card = deck(REFERRAL.replace("    source: Referred Pain Pattern\n", "")).cards[0]
    assert card.source == "Deck source"


def test_basic_cards_use_the_default_prompt_and_the_answer_value() -> None:
    card = deck().card("trp-referral.trp2.location-from-point")
    assert isinstance(card, BasicCard)
    assert card.front == "Trigger point: TrP2 — location?"
    assert card.back == "just below the iliac crest"


def test_mcq_options_come_from_other_rows() -> None:
    card = deck().card("trp-referral.trp1.point-from-location")
    assert isinstance(card, McqCard)
    assert card.question == "Which trigger point lies below the posterior iliac crest?"
    assert card.shuffle and not card.select_all
    assert len(card.options) == 4  # the answer and three of the four other rows
    assert card.correct_ids == {"trp1"}
    texts = {o.id: o.text for o in card.options}
    assert texts["trp1"] == "TrP1"
    assert set(texts) <= {"trp1", "trp2", "trp3", "trp-4", "trp5"}
    assert all(
        o.text == {"trp-4": "TrP 4"}.get(o.id, o.id.replace("trp", "TrP")) for o in card.options
    )


def test_each_option_says_which_row_it_belongs_to() -> None:
    card = deck().card("trp-referral.trp1.referral-from-point")
    assert isinstance(card, McqCard)
    whys = {o.id: o.why for o in card.options}
    assert whys["trp1"] == "Right: that is the main referred pain of TrP1."
    if "trp2" in whys:
        assert whys["trp2"] == "That is the main referred pain of TrP2."
    key_card = deck().card("trp-referral.trp1.point-from-location")
    assert isinstance(key_card, McqCard)
    key_whys = {o.id: o.why for o in key_card.options}
    assert key_whys["trp1"] == "Right: the location of TrP1 is below the posterior iliac crest."
    if "trp3" in key_whys:
        assert key_whys["trp3"] == "The location of TrP3 is just below the ASIS."


def test_the_explanation_sums_up_the_row() -> None:
    card = deck().card("trp-referral.trp2.referral-from-point")
    assert isinstance(card, McqCard)
    assert card.explanation == (
        "TrP2 — location: just below the iliac crest; main referred pain: lateral hip."
    )


def test_distractors_are_deterministic_and_vary_by_row() -> None:
    first = [c for c in deck().cards if isinstance(c, McqCard)]
    second = [c for c in deck().cards if isinstance(c, McqCard)]
    assert first == second
    picks = {frozenset(o.id for o in c.options) - c.correct_ids for c in first}
    assert len(picks) > 1


def test_rows_sharing_the_given_value_are_never_distractors() -> None:
    text = REFERRAL.replace("location: nowhere", "location: just below the ASIS")
    result = load(text)
    assert [f.code for f in result.findings] == ["W205"]
    assert result.deck is not None
    card = result.deck.card("trp-referral.trp3.point-from-location")
    assert isinstance(card, McqCard)
    assert "trp-4" not in {o.id for o in card.options}


def test_three_rows_make_three_options() -> None:
    text = REFERRAL.replace("      - {point: TrP 4, location: nowhere, referral: the moon}\n", "")
    text = text.replace("      - {point: TrP5, location: elsewhere, referral: mars}\n", "")
    card = deck(text).card("trp-referral.trp3.point-from-location")
    assert isinstance(card, McqCard)
    assert [o.id for o in card.options] == ["trp1", "trp2", "trp3"]


def test_placeholders_are_only_column_names() -> None:
    values = {"point": "TrP1"}
    assert fill_prompt("Where is {point}?", values) == "Where is TrP1?"
    assert fill_prompt("{point.__class__} {0} {point!r} {missing}", values) == (
        "{point.__class__} {0} {point!r} {missing}"
    )


def test_attribute_placeholders_are_left_as_written() -> None:
    text = REFERRAL.replace(
        'prompt: "Which trigger point lies {location}?"', 'prompt: "{location.__class__}"'
    )
    card = deck(text).card("trp-referral.trp1.point-from-location")
    assert isinstance(card, McqCard)
    assert card.question == "{location.__class__}"


def test_slugify() -> None:
    assert slugify("TrP1") == "trp1"
    assert slugify("Hip osteoarthritis (coxarthrosis)") == "hip-osteoarthritis-coxarthrosis"
    assert slugify("  L4–L5 ") == "l4-l5"
    assert slugify("—") == ""
