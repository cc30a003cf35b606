"""Tag helpers shared by the exporters."""

from __future__ import annotations

from gmed_trainer.decks.model import Card, Deck


def card_tags(deck: Deck, card: Card) -> list[str]:
    """The deck's tags then the card's, each once, in order."""
    return list(dict.fromkeys((*deck.tags, *card.tags)))
