"""The quick path for well-formed cards (quick.py) against the checked path (cards.check_card).

`read_card` first tries `quick_card` and falls back to `check_card`; whichever path a card takes,
the outcome must be the one `check_card` alone gives: the same card (field for field, its mark
included), the same findings, the same ids recorded for the deck.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmed_trainer.decks.cards import DeckDefaults, check_card, read_card
from gmed_trainer.decks.model import Card
from gmed_trainer.decks.quick import quick_card
from gmed_trainer.decks.schema import Report
from gmed_trainer.decks.yamlsafe import ORIGIN, YMap, parse
from tests.decks.test_properties import cards

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Values tried under any key: blank text, wrong types, an unknown word.
ANY_KEY: list[Any] = [None, "", "  ", 5, 1.5, True, [], {}, "x"]
#: More, by the key they are tried under: each sits on the edge of some rule.
BY_KEY: dict[str, list[Any]] = {
    "id": ["Bad Id", "-x", "a\n", "other", "card-1", "a", "b", "s1"],
    "type": ["basic", "reverse", "cloze", "mcq", "case", "quiz"],
    "text": [
        "A", "a", " b ", "\n", "All of the above", "none  of\tthe ANSWERS", "{{c1::a}}",
        "{{c2::a}} {{c1::b}}", "{{c1::a}} {{c3::b}}", "{{c1:: }}", "{{c0::a}}",
        "{{c0::a}} {{c2::b}}", "{{c1::a::h}}", "a {{c1::b}} }}", "{{{c1::a}}{", "{ {{c1::a}}",
        "{{c1::a}{b}}", "{{c1::a}}{{c1::b}}",
    ],
    "why": ["\n"],
    "correct": [False, "yes", 1],
    "pin": ["last", "first"],
    "select": ["one", "all", "some"],
    "shuffle": [False, "no"],
    "status": ["draft", "published", "retired"],
    "tags": [["ok"], ["deck-tag", "ok"], ["ok", "ok"], ["Bad Tag"], [5]],
    "replaces": [["old-id"], ["card-1"], ["Bad"]],
    "options": [[{"id": "o", "text": "t", "correct": True, "why": "w"}]],
    "steps": [[{"id": "s", "question": "q", "options": []}]],
}  # fmt: skip
#: The keys tried in each kind of mapping.
KEYS_OF: dict[str, list[str]] = {
    "card": sorted(BY_KEY)
    + ["front", "back", "question", "stem", "explanation", "title", "source", "extra", "bogus"],
    "option": ["id", "text", "correct", "why", "pin", "bogus"],
    "step": ["id", "reveal", "question", "options", "select", "bogus"],
}


BASES: list[dict[str, Any]] = [
    {"id": "card-1", "type": "basic", "front": "F", "back": "B", "tags": ["ok"], "extra": "E"},
    {"id": "card-1", "type": "reverse", "front": "F", "back": "B", "status": "draft"},
    {"id": "card-1", "type": "cloze", "text": "x {{c1::a}} y {{c2::b::h}}", "source": "S"},
    {
        "id": "card-1",
        "type": "mcq",
        "question": "Q",
        "stem": "S",
        "explanation": "E",
        "shuffle": True,
        "options": [
            {"id": "a", "text": "A", "correct": True, "why": "W"},
            {"id": "b", "text": "B", "correct": False, "why": "W"},
            {"id": "c", "text": "C", "why": "W"},
        ],
    },
    {
        "id": "card-1",
        "type": "mcq",
        "question": "Q",
        "select": "all",
        "explanation": "E",
        "options": [
            {"id": "a", "text": "A", "correct": True, "why": "W"},
            {"id": "b", "text": "B", "correct": True, "why": "W"},
        ],
    },
    {
        "id": "card-1",
        "type": "case",
        "title": "T",
        "stem": "S",
        "explanation": "E",
        "steps": [
            {
                "id": "s1",
                "reveal": "R",
                "question": "Q",
                "options": [
                    {"id": "a", "text": "A", "correct": True, "why": "W"},
                    {"id": "b", "text": "B", "correct": False, "why": "W"},
                ],
            },
            {
                "id": "s2",
                "question": "Q",
                "select": "all",
                "options": [
                    {"id": "a", "text": "A", "correct": True, "why": "W"},
                    {"id": "b", "text": "B", "correct": True, "why": "W"},
                ],
            },
        ],
    },
]


def _places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every mapping (card, step, option) and list of `node`: its path, and what it is."""
    if isinstance(node, dict):
        kind = "card" if not path else "step" if "question" in node else "option"
        yield path, kind
        for key, child in node.items():
            yield from _places(child, (*path, key))
    elif isinstance(node, list):
        yield path, "list"
        for index, child in enumerate(node):
            yield from _places(child, (*path, index))


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def _mutate(card: dict[str, Any], data: st.DataObject) -> None:
    """Change one thing in one mapping or list of `card` (the card, a step, an option, a list):
    drop, replace or add a value, or repeat or drop an item of a list."""
    path, kind = data.draw(st.sampled_from(list(_places(card))))
    node = _at(card, path)
    if kind != "list":
        key = data.draw(st.sampled_from(KEYS_OF[kind]))
        if key in node and data.draw(st.booleans()):
            del node[key]
        else:
            node[key] = copy.deepcopy(data.draw(st.sampled_from([*BY_KEY.get(key, []), *ANY_KEY])))
    elif node:
        index = data.draw(st.integers(0, len(node) - 1))
        if data.draw(st.booleans()):
            node.append(copy.deepcopy(node[index]))
        else:
            del node[index]


def _single_changes(base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`base` with one thing changed, every way this test knows."""
    for path, kind in _places(base):
        size = len(_at(base, path))
        if kind == "list":
            for index, action in itertools.product(range(size), ("repeat", "drop")):
                card = copy.deepcopy(base)
                items = _at(card, path)
                if action == "repeat":
                    items.append(items[index])
                else:
                    del items[index]
                yield card
            continue
        for key in KEYS_OF[kind]:
            for value in [*BY_KEY.get(key, []), *ANY_KEY, "<drop>"]:
                card = copy.deepcopy(base)
                place = _at(card, path)
                if value == "<drop>":
                    if key not in place:
                        continue
                    del place[key]
                else:
                    place[key] = copy.deepcopy(value)
                yield card


def _as_read(card: dict[str, Any]) -> YMap:
    """The card as the loader sees it: parsed from YAML, so with positions."""
    root = parse(yaml.safe_dump({"cards": [card]}, allow_unicode=True)).root
    assert isinstance(root, YMap)
    item = root["cards"][0]
    assert isinstance(item, YMap)
    return item


def _defaults(data: st.DataObject, taken: str | None) -> DeckDefaults:
    deck = DeckDefaults(
        "deck.yaml",
        tags=data.draw(st.sampled_from([(), ("deck-tag",), ("ok", "deck-tag")])),
        source=data.draw(st.sampled_from([None, "Deck source"])),
    )
    if taken is not None:
        deck.ids[taken] = ORIGIN
    return deck


def _outcome(read: Any, m: YMap, deck: DeckDefaults) -> tuple[Any, ...]:
    report = Report("deck.yaml")
    card: Card | None = read(report, m, deck)
    shown = None if card is None else (vars(card), card.mark)
    return shown, report.findings, report.errors, deck.ids, deck.replacing


@pytest.mark.parametrize("base", BASES, ids=[f"{b['type']}-{n}" for n, b in enumerate(BASES)])
def test_each_single_change_reads_as_the_checked_path_reads_it(base: dict[str, Any]) -> None:
    assert quick_card(_as_read(base), DeckDefaults("deck.yaml", source="D")) is not None
    taken = 0
    for card in _single_changes(base):
        m = _as_read(card)
        for source, ids in ((None, {}), ("D", {"other": ORIGIN})):
            deck = DeckDefaults("deck.yaml", tags=("deck-tag",), source=source, ids=dict(ids))
            taken += quick_card(m, copy.deepcopy(deck)) is not None
            read = _outcome(read_card, m, copy.deepcopy(deck))
            assert read == _outcome(check_card, m, deck), card
    assert taken > 0


@SETTINGS
@given(st.data())
def test_well_formed_cards_take_the_quick_path(data: st.DataObject) -> None:
    card, _units = data.draw(cards("card-1"))
    m = _as_read(card)
    deck = _defaults(data, None)
    if "source" not in card and deck.source is None:
        card["source"] = "Card source"
        m = _as_read(card)
    quick = quick_card(m, copy.deepcopy(deck))
    assert quick is not None
    checked = _outcome(check_card, m, deck)
    assert checked[1] == []
    assert (vars(quick), quick.mark) == checked[0]


@SETTINGS
@given(st.data())
def test_every_card_reads_as_the_checked_path_reads_it(data: st.DataObject) -> None:
    card, _units = data.draw(cards("card-1"))
    for _ in range(data.draw(st.integers(0, 3))):
        _mutate(card, data)
    m = _as_read(card)
    deck = _defaults(data, data.draw(st.sampled_from([None, "card-1", "other"])))
    assert _outcome(read_card, m, copy.deepcopy(deck)) == _outcome(check_card, m, deck)
