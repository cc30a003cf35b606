"""Small decks as YAML text, and a way to check them, for the deck tests."""

from __future__ import annotations

from gmed_trainer.decks.findings import Finding
from gmed_trainer.decks.loader import LoadResult, parse_deck
from gmed_trainer.decks.yamlsafe import Limits

#: A deck header (6 lines): the first card of `deck_text(cards)` starts on line 7, column 5.
HEAD = """\
format: gmed-deck/1
deck:
  id: test-deck
  title: Test deck
  source: Test source
"""

BASIC = """\
  - id: c1
    type: basic
    front: F
    back: B
"""


def deck_text(cards: str = BASIC, *, head: str = HEAD, tables: str = "") -> str:
    """A whole deck file: `head`, then `cards:` with `cards`, then `tables:` with `tables`."""
    text = head
    if cards:
        text += "cards:\n" + cards
    if tables:
        text += "tables:\n" + tables
    return text


def load(text: str | bytes, *, limits: Limits | None = None) -> LoadResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if limits is None:
        return parse_deck(data, path="deck.yaml")
    return parse_deck(data, path="deck.yaml", limits=limits)


def check(text: str | bytes, *, limits: Limits | None = None) -> list[Finding]:
    return load(text, limits=limits).findings


def where(findings: list[Finding], code: str) -> list[tuple[int, int]]:
    """The (line, column) of each finding with `code`."""
    return [(f.line, f.column) for f in findings if f.code == code]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}
