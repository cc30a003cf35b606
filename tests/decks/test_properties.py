"""Property tests: valid decks load into the units they declare; nothing else ever raises."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmed_trainer.decks.cards import ALL_OR_NONE_RE
from gmed_trainer.decks.loader import parse_deck
from gmed_trainer.decks.yamlsafe import Limits

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

slugs = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,12}\Z")
words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        blacklist_characters="{}\ufeff\x85",
    ),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() and not ALL_OR_NONE_RE.search(t))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@st.composite
def options(draw: st.DrawFn, *, select_all: bool) -> list[dict[str, Any]]:
    ids = draw(st.lists(slugs, min_size=2, max_size=8, unique=True))
    texts = draw(st.lists(words, min_size=len(ids), max_size=len(ids), unique_by=_norm))
    if select_all:
        correct = draw(st.sets(st.integers(0, len(ids) - 1), min_size=1))
    else:
        correct = {draw(st.integers(0, len(ids) - 1))}
    return [
        {"id": i, "text": t, "correct": n in correct, "why": draw(words)}
        for n, (i, t) in enumerate(zip(ids, texts, strict=True))
    ]


@st.composite
def cloze_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    count = draw(st.integers(1, 4))
    numbers = list(range(1, count + 1)) + draw(st.lists(st.integers(1, count), max_size=2))
    numbers = draw(st.permutations(numbers))
    parts = []
    for n in numbers:
        hint = draw(st.none() | words.filter(lambda w: ":" not in w))
        answer = draw(words.filter(lambda w: ":" not in w))
        hint_part = f"::{hint}" if hint else ""
        parts.append(f"{draw(words)} {{{{c{n}::{answer}{hint_part}}}}}")
    return " ".join(parts), [f"c{n}" for n in range(1, count + 1)]


@st.composite
def cards(draw: st.DrawFn, card_id: str) -> tuple[dict[str, Any], list[str]]:
    """A valid card and the unit names it should yield."""
    kind = draw(st.sampled_from(["basic", "reverse", "cloze", "mcq", "case"]))
    card: dict[str, Any] = {"id": card_id, "type": kind}
    units = ["main"]
    if kind in ("basic", "reverse"):
        card |= {"front": draw(words), "back": draw(words)}
        if kind == "reverse":
            units = ["front", "back"]
    elif kind == "cloze":
        card["text"], units = draw(cloze_text())
    elif kind == "mcq":
        select_all = draw(st.booleans())
        card |= {"question": draw(words), "explanation": draw(words)}
        if select_all:
            card["select"] = "all"
        card["options"] = draw(options(select_all=select_all))
    else:
        step_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
        card |= {
            "title": draw(words),
            "stem": draw(words),
            "explanation": draw(words),
            "steps": [
                {"id": s, "question": draw(words), "options": draw(options(select_all=False))}
                for s in step_ids
            ],
        }
    if draw(st.booleans()):
        card["tags"] = draw(st.lists(slugs, max_size=3))
    if draw(st.booleans()):
        card["extra"] = draw(words)
    if draw(st.booleans()):
        card["status"] = draw(st.sampled_from(["draft", "published"]))
    return card, units


@st.composite
def tables(draw: st.DrawFn, table_id: str) -> tuple[dict[str, Any], list[str]]:
    """A valid fact table and the card ids it should generate."""
    columns = draw(
        st.lists(st.from_regex(r"\A[a-z][a-z0-9_]{0,6}\Z"), min_size=2, max_size=4, unique=True)
    )
    keys = draw(
        st.lists(
            st.from_regex(r"\A[A-Za-z][A-Za-z0-9]{0,6}\Z"),
            min_size=3,
            max_size=6,
            unique_by=str.lower,
        )
    )
    rows = []
    for n, key in enumerate(keys):
        row = {c: f"{c} value {n}" for c in columns}
        row[columns[0]] = key
        rows.append(row)
    asks = []
    expected = []
    for given_col, answer_col in draw(
        st.lists(
            st.permutations(columns).map(lambda p: (p[0], p[1])),
            min_size=1,
            max_size=3,
            unique=True,
        )
    ):
        asks.append(
            {
                "given": given_col,
                "answer": answer_col,
                "as": draw(st.sampled_from(["basic", "mcq"])),
            }
        )
        expected += [f"{table_id}.{k.lower()}.{answer_col}-from-{given_col}" for k in keys]
    table = {"id": table_id, "key": columns[0], "columns": columns, "rows": rows, "ask": asks}
    return table, expected


@st.composite
def decks(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[str, str]], list[tuple[str, str]]]:
    """A valid deck, its published units and all its units (drafts included)."""
    ids = draw(st.lists(slugs, min_size=1, max_size=8, unique=True))
    card_list = []
    published: list[tuple[str, str]] = []
    every: list[tuple[str, str]] = []
    for card_id in ids:
        card, units = draw(cards(card_id))
        card_list.append(card)
        every += [(card_id, u) for u in units]
        if card.get("status") != "draft":
            published += [(card_id, u) for u in units]
    deck: dict[str, Any] = {
        "format": "gmed-deck/1",
        "deck": {"id": draw(slugs), "title": draw(words), "source": draw(words)},
        "cards": card_list,
    }
    if draw(st.booleans()):
        table, generated = draw(tables(draw(slugs)))
        deck["tables"] = [table]
        published += [(g, "main") for g in generated]
        every += [(g, "main") for g in generated]
    return deck, published, every


@SETTINGS
@given(decks(), st.booleans(), st.booleans())
def test_a_valid_deck_loads_into_the_units_it_declares(
    case: tuple[dict[str, Any], list[tuple[str, str]], list[tuple[str, str]]],
    sort_keys: bool,
    flow: bool,
) -> None:
    data, published, every = case
    text = yaml.safe_dump(data, sort_keys=sort_keys, allow_unicode=True, default_flow_style=flow)
    result = parse_deck(text.encode("utf-8"))
    assert [str(f) for f in result.findings] == []
    assert result.deck is not None
    # Explicit cards come first, in file order; generated cards follow.
    assert [(u.card_id, u.unit) for u in result.deck.units()] == published
    assert [(u.card_id, u.unit) for u in result.deck.units(include_drafts=True)] == every


def _check_findings(data: bytes) -> None:
    result = parse_deck(data, limits=Limits(max_bytes=50_000))
    for finding in result.findings:
        assert finding.severity in ("error", "warning")
        assert finding.line >= 1 and finding.column >= 1
        assert str(finding).startswith("<deck>:")
    if result.deck is None:
        assert any(f.is_error for f in result.findings)


@SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes_give_findings_not_exceptions(data: bytes) -> None:
    _check_findings(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text_gives_findings_not_exceptions(text: str) -> None:
    _check_findings(text.encode("utf-8", "surrogatepass"))


DECK_WORDS = [
    "format", "deck", "cards", "tables", "id", "type", "front", "back", "text", "question",
    "options", "correct", "why", "steps", "rows", "ask", "given", "answer", "as", "key",
    "columns", "select", "pin", "replaces", "status", "tags", "source", "mcq", "case", "cloze",
    "basic", "reverse", "gmed-deck/1", "all", "last", "draft", "{{c1::x}}",
]  # fmt: skip
scalars = (
    st.sampled_from(DECK_WORDS)
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(DECK_WORDS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


@SETTINGS
@given(documents)
def test_random_yaml_gives_findings_not_exceptions(document: Any) -> None:
    _check_findings(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


@SETTINGS
@given(decks(), st.data())
def test_damaged_decks_give_findings_not_exceptions(
    case: tuple[dict[str, Any], list[tuple[str, str]], list[tuple[str, str]]], data: st.DataObject
) -> None:
    deck = case[0]
    for _ in range(data.draw(st.integers(1, 4))):
        _damage(deck, data)
    _check_findings(yaml.safe_dump(deck, allow_unicode=True).encode("utf-8"))


def _damage(node: Any, data: st.DataObject) -> None:
    """Replace or delete one value somewhere inside `node`."""
    while True:
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node, key=str)))
            child = node[key]
            if isinstance(child, dict | list) and child and data.draw(st.booleans()):
                node = child
                continue
            if data.draw(st.booleans()):
                del node[key]
            else:
                node[key] = data.draw(documents)
            return
        if isinstance(node, list) and node:
            index = data.draw(st.integers(0, len(node) - 1))
            child = node[index]
            if isinstance(child, dict | list) and child and data.draw(st.booleans()):
                node = child
                continue
            node[index] = data.draw(documents)
            return
        return


option_values = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["a", "b", "Bad id", "", None, 3]),
        "text": st.sampled_from(["A", " a ", "All of the above", "", "  ", None, 1.5, True]),
        "correct": st.sampled_from([True, False, None, "yes", 1]),
        "why": st.sampled_from(["W", "", " ", None, 7]),
        "pin": st.sampled_from(["last", "first", None]),
        "extra": st.just("x"),
    },
)


@SETTINGS
@given(st.lists(option_values, min_size=1, max_size=4), st.booleans())
def test_the_option_fast_path_agrees_with_the_checked_path(
    values: list[dict[str, Any]], shuffle: bool
) -> None:
    from gmed_trainer.decks.cards import _checked_option, _option
    from gmed_trainer.decks.schema import Report
    from gmed_trainer.decks.yamlsafe import parse

    items = parse(yaml.safe_dump(values)).root
    outcomes = []
    for build in (_option, _checked_option):
        report = Report("deck.yaml")
        ids: dict[str, Any] = {}
        texts: dict[str, Any] = {}
        built = [build(report, m, ids, texts, shuffle=shuffle) for m in items]
        outcomes.append((built, report.findings, set(ids), set(texts)))
    assert outcomes[0] == outcomes[1]
