"""Export review units as CSV: one row per unit, for spreadsheets and other tools."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from gmed_trainer.decks.model import Deck
from gmed_trainer.interop.render import prompt_and_answer
from gmed_trainer.interop.tags import card_tags

COLUMNS = ("deck", "card", "unit", "type", "prompt", "answer", "extra", "tags", "source")


def export_csv(decks: Iterable[Deck], path: Path) -> int:
    """Write every published unit of `decks` to `path`; returns the number of rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for deck in decks:
            for unit in deck.units():
                prompt, answer = prompt_and_answer(unit)
                card = unit.card
                writer.writerow(
                    [
                        deck.id,
                        card.id,
                        unit.unit,
                        card.type.value,
                        prompt,
                        answer,
                        card.extra or "",
                        " ".join(card_tags(deck, card)),
                        card.source or "",
                    ]
                )
                rows += 1
    return rows
