"""docs/deck-format.md stays true: its examples validate cleanly and it lists every code."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from gmed_trainer.decks.findings import Code
from tests.decks.helpers import HEAD, load

DOC = Path(__file__).resolve().parents[2] / "docs" / "deck-format.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def as_deck(block: str) -> str:
    """A whole file as is; a card example placed in a deck."""
    if block.startswith("format:"):
        return block
    return HEAD + "cards:\n" + textwrap.indent(block, "  ")


def test_the_doc_has_examples() -> None:
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("block", BLOCKS, ids=[b.split("\n")[0] for b in BLOCKS])
def test_every_example_validates_without_findings(block: str) -> None:
    result = load(as_deck(block))
    assert [str(f) for f in result.findings] == []
    assert result.deck is not None


def test_the_complete_example_counts() -> None:
    deck = load(BLOCKS[0]).deck
    assert deck is not None
    assert len(deck.cards) == 11
    assert len(deck.units()) == 13


@pytest.mark.parametrize("code", list(Code), ids=[c.value for c in Code])
def test_every_code_is_documented(code: Code) -> None:
    assert f"| {code.value} | {code.slug} |" in DOC.read_text(encoding="utf-8")
