"""Mcq and case units as JSON and back: the content a class session stores with its items.

A class may run on a database shared by machines with different decks: storing what each item
showed when the class was created means every student sees the same text, and the results are
scored against the key the instructor chose, whatever is re-imported later. The card itself is
encoded by the store's converters, so there is one card format in the database.
"""

from __future__ import annotations

import json

from gmed_trainer.decks.model import CaseCard, McqCard, ReviewUnit
from gmed_trainer.store.converters import card_from_data, card_to_data

FORMAT = 1


def dumps(unit: ReviewUnit) -> str:
    """An mcq or case unit, its card included, as compact JSON."""
    card = unit.card
    if not isinstance(card, McqCard | CaseCard):
        raise ValueError(f"{card.id} is a {card.type} card: only mcq and case units are exam items")
    data = {
        "format": FORMAT,
        "deck_id": unit.deck_id,
        "unit": unit.unit,
        "card": card_to_data(card),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> ReviewUnit:
    """The unit stored by `dumps`; ValueError for anything else."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown item snapshot format {data.get('format')!r}")
        card = card_from_data(data["card"])
        if not isinstance(card, McqCard | CaseCard):
            raise ValueError(f"a {card.type} card is not an exam item")
        return ReviewUnit(deck_id=data["deck_id"], card=card, unit=data["unit"])
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"damaged item snapshot: {exc}") from exc
