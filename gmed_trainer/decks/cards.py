"""Build the cards of a deck file (`cards:`), checking every rule of each card type.

`read_card` returns the domain `Card` when the card is usable, else None; either way every
problem found is in the report. A plainly well-formed card is built by `quick.quick_card`; any
other goes through `check_card`, field by field. Deck-wide rules (ids unique across cards and
tables, `replaces`) are checked by `validate.py`, which sees all cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from gmed_trainer.decks import schema as s
from gmed_trainer.decks.findings import Code
from gmed_trainer.decks.generate import GENERATED_ID_RE
from gmed_trainer.decks.model import (
    CLOZE_RE,
    SLUG_RE,
    BasicCard,
    Card,
    CardStatus,
    CaseCard,
    ClozeCard,
    Mark,
    McqCard,
    Option,
    ReverseCard,
    Step,
)
from gmed_trainer.decks.quick import (
    ALL_OR_NONE_RE,
    MAX_OPTIONS,
    MIN_OPTIONS,
    STRAY_BRACES_RE,
    may_need_pin,
    option_text_key,
    quick_card,
)
from gmed_trainer.decks.yamlsafe import Position, YMap

__all__ = [
    "ALL_OR_NONE_RE",
    "MAX_OPTIONS",
    "MIN_OPTIONS",
    "DeckDefaults",
    "check_card",
    "read_card",
]

_STATUSES: Final = {status.value: status for status in CardStatus}
_STATUS_NAMES: Final = tuple(_STATUSES)
_TYPES: Final = tuple(s.CARD_TYPE_KEYS)
_WHERE: Final = {kind: f"a {kind} card" for kind in _TYPES}
#: For a key that belongs to another card type: which types it belongs to.
_OTHER_TYPES: Final = {
    key: "it belongs to "
    + ", ".join(t for t, keys in s.CARD_TYPE_KEYS.items() if key in keys)
    + " cards"
    for key in s.ANY_CARD_KEYS - s.CARD_COMMON_KEYS
}


@dataclass(slots=True)
class DeckDefaults:
    """What every card of a deck inherits."""

    path: str
    tags: tuple[str, ...] = ()
    source: str | None = None
    #: Every card id of the deck so far, with where it was first defined.
    ids: dict[str, Position] = field(default_factory=dict)
    #: Cards with a usable `replaces` list (even cards with other errors): (card id, card).
    replacing: list[tuple[str | None, YMap]] = field(default_factory=list)
    #: Strings already seen to be slugs (tags and option ids repeat from card to card).
    slugs: set[str] = field(default_factory=set)
    #: The tags of a card with its own `tags`, by those (a few combinations repeat).
    merged_tags: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)


def read_card(r: s.Report, m: YMap, deck: DeckDefaults) -> Card | None:
    """The card described by `m`, or None if it has an error (reported)."""
    card = quick_card(m, deck)
    if card is not None:
        deck.ids[card.id] = m.value_pos["id"]
        return card
    return check_card(r, m, deck)


def check_card(r: s.Report, m: YMap, deck: DeckDefaults) -> Card | None:
    """`read_card` checking every field on its own: the path of any card that is not plainly
    well formed, and the one that owns every rule and message."""
    errors = r.errors
    card_id = s.slug(r, m, "id", "a card")
    if card_id is not None:
        first = deck.ids.get(card_id)
        if first is not None:
            r.add(
                Code.DUPLICATE_ID,
                m.value_pos["id"],
                f"card id '{card_id}' is already used at line {first.line + 1}",
            )
        else:
            deck.ids[card_id] = m.value_pos["id"]
    kind = s.choice(r, m, "type", _TYPES, "a card")
    if kind is None:
        s.check_keys(r, m, s.ANY_CARD_KEYS, "a card")
        return None
    where = _WHERE[kind]
    s.check_keys(r, m, s.CARD_KEYS_BY_TYPE[kind], where, elsewhere=_OTHER_TYPES)

    tags = s.text_list(r, m, "tags", where, pattern=SLUG_RE) if "tags" in m else ()
    source = s.text(r, m, "source", where) or deck.source
    if source is None and "source" not in m:
        r.add(
            Code.NO_SOURCE,
            m.start,
            "card has no `source` (and the deck none): name the section it teaches",
        )
    extra = s.text(r, m, "extra", where)
    status = s.choice(r, m, "status", _STATUS_NAMES, where, default="published")
    replaces = read_replaces(r, m, where) if "replaces" in m else ()
    if replaces:
        deck.replacing.append((card_id, m))
    common: dict[str, Any] = {
        "id": card_id or "",
        "tags": s.merge_unique(deck.tags, tags) if tags else deck.tags,
        "source": source,
        "extra": extra,
        "status": _STATUSES[status or "published"],
        "replaces": replaces,
        "mark": Mark(deck.path, m.start.line + 1, m.start.column + 1),
    }
    card: Card | None
    if kind == "basic" or kind == "reverse":
        front = s.text(r, m, "front", where, required=True)
        back = s.text(r, m, "back", where, required=True)
        cls = BasicCard if kind == "basic" else ReverseCard
        card = cls(front=front or "", back=back or "", **common)
    elif kind == "cloze":
        card = _cloze(r, m, where, common)
    elif kind == "mcq":
        card = _mcq(r, m, where, common)
    else:
        card = _case(r, m, where, common)
    return card if r.errors == errors else None


def read_replaces(r: s.Report, m: YMap, where: str) -> tuple[str, ...]:
    """The ids a card takes over: card ids, or generated ids (which hold dots)."""
    seq = s.sequence(r, m, "replaces", where)
    if not seq:
        return ()
    out: list[str] = []
    for value, pos in zip(seq, seq.item_pos, strict=True):
        if type(value) is not str:
            message = f"each entry of `replaces` must be a card id, not {s.describe(value)}"
            r.add(Code.WRONG_TYPE, pos, message)
        elif SLUG_RE.match(value) or GENERATED_ID_RE.match(value):
            out.append(value)
        else:
            r.add(Code.BAD_ID, pos, s.bad_id_message("an entry of `replaces`", value))
    return tuple(out)


def _cloze(r: s.Report, m: YMap, where: str, common: dict[str, Any]) -> ClozeCard | None:
    text = s.text(r, m, "text", where, required=True)
    if text is None:
        return None
    pos = m.value_pos["text"]
    numbers: set[int] = set()
    for match in CLOZE_RE.finditer(text):
        numbers.add(int(match.group(1)))
        if not match.group(2).strip():
            r.add(Code.CLOZE_MALFORMED, pos, f"deletion '{match.group(0)}' has no answer")
    if STRAY_BRACES_RE.search(CLOZE_RE.sub("", text)):
        r.add(
            Code.CLOZE_MALFORMED,
            pos,
            "text has a '{{' or '}}' that is not part of a {{cN::answer}} deletion",
        )
    if not numbers:
        r.add(
            Code.CLOZE_NO_DELETIONS,
            pos,
            "cloze text has no deletion: mark answers as {{c1::answer}}",
        )
        return None
    expected = set(range(1, len(numbers) + 1))
    if numbers != expected:
        found = ", ".join(f"c{n}" for n in sorted(numbers))
        missing = ", ".join(f"c{n}" for n in sorted(expected - numbers)) or "c1"
        r.add(
            Code.CLOZE_NUMBERING,
            pos,
            f"cloze numbers must run c1, c2, ... without gaps: found {found}, missing {missing}",
        )
    return ClozeCard(text=text, **common)


def _mcq(r: s.Report, m: YMap, where: str, common: dict[str, Any]) -> McqCard | None:
    question = s.text(r, m, "question", where, required=True)
    stem = s.text(r, m, "stem", where)
    explanation = s.text(r, m, "explanation", where)
    if explanation is None and "explanation" not in m:
        r.add(Code.NO_EXPLANATION, m.start, "mcq card has no `explanation`")
    shuffle = s.flag(r, m, "shuffle", True)
    select_all = s.choice(r, m, "select", ("one", "all"), where, default="one") == "all"
    options = read_options(r, m, where, select_all=select_all, shuffle=shuffle)
    if question is None or options is None:
        return None
    return McqCard(
        question=question,
        stem=stem,
        options=options,
        explanation=explanation,
        shuffle=shuffle,
        select_all=select_all,
        **common,
    )


def _case(r: s.Report, m: YMap, where: str, common: dict[str, Any]) -> CaseCard | None:
    title = s.text(r, m, "title", where, required=True)
    stem = s.text(r, m, "stem", where, required=True)
    explanation = s.text(r, m, "explanation", where)
    if explanation is None and "explanation" not in m:
        r.add(Code.NO_EXPLANATION, m.start, "case card has no `explanation`")
    steps_seq = s.sequence(r, m, "steps", where)
    steps: list[Step] = []
    if steps_seq is None and m.get("steps") is None or steps_seq is not None and not steps_seq:
        at = m.value_pos.get("steps", m.start)
        r.add(Code.CASE_NO_STEPS, at, "case has no steps: give at least one")
    elif steps_seq:
        seen: dict[str, Position] = {}
        for item, _pos in s.items(r, steps_seq, "step"):
            step = _step(r, item, seen)
            if step is not None:
                steps.append(step)
    if title is None or stem is None or not steps:
        return None
    return CaseCard(
        title=title,
        stem=stem,
        steps=tuple(steps),
        explanation=explanation,
        **common,
    )


def _step(r: s.Report, m: YMap, seen: dict[str, Position]) -> Step | None:
    where = "a case step"
    s.check_keys(r, m, s.STEP_KEYS, where)
    step_id = s.slug(r, m, "id", where)
    if step_id is not None:
        _unique(r, seen, step_id, m.value_pos["id"], "step id", step_id)
    question = s.text(r, m, "question", where, required=True)
    reveal = s.text(r, m, "reveal", where)
    select_all = s.choice(r, m, "select", ("one", "all"), where, default="one") == "all"
    options = read_options(r, m, where, select_all=select_all, shuffle=True)
    if step_id is None or question is None or options is None:
        return None
    return Step(
        id=step_id, question=question, options=options, reveal=reveal, select_all=select_all
    )


def read_options(
    r: s.Report, owner: YMap, where: str, *, select_all: bool, shuffle: bool
) -> tuple[Option, ...] | None:
    """The options of an mcq or case step, with every rule on them checked."""
    seq = s.sequence(r, owner, "options", where, required=True)
    if seq is None:
        return None
    at = owner.value_pos["options"]
    if not MIN_OPTIONS <= len(seq) <= MAX_OPTIONS:
        r.add(
            Code.OPTION_COUNT,
            at,
            f"{len(seq)} option{'s' if len(seq) != 1 else ''}: give {MIN_OPTIONS} to {MAX_OPTIONS}",
        )
    errors = r.errors
    options: list[Option] = []
    ids: dict[str, Position] = {}
    texts: dict[str, Position] = {}
    for m, _pos in s.items(r, seq, "option"):
        option = _option(r, m, ids, texts, shuffle=shuffle)
        if option is not None:
            options.append(option)
    correct = sum(1 for o in options if o.correct)
    if len(options) == len(seq):
        if select_all and correct == 0:
            r.add(Code.CORRECT_COUNT, at, "`select: all` needs at least one correct option")
        elif not select_all and correct != 1:
            r.add(
                Code.CORRECT_COUNT,
                at,
                f"{correct} options are marked correct: exactly one must be (or say `select: all`)",
            )
    if r.errors != errors or not MIN_OPTIONS <= len(seq) <= MAX_OPTIONS:
        return None
    return tuple(options)


def _option(
    r: s.Report,
    m: YMap,
    ids: dict[str, Position],
    texts: dict[str, Position],
    *,
    shuffle: bool,
) -> Option | None:
    # A plainly well-formed option (nearly all of them, and the most numerous node of a deck)
    # is built directly; anything else takes `_checked_option`, which owns every rule and
    # message. The tests of each finding go through the checked path.
    option_id, text, why = m.get("id"), m.get("text"), m.get("why")
    correct = m.get("correct", False)
    if (
        type(option_id) is str
        and type(text) is str
        and type(why) is str
        and type(correct) is bool
        and option_id not in ids
        and "pin" not in m
        and m.keys() <= s.OPTION_KEYS
        and SLUG_RE.match(option_id) is not None
        and text.strip()
        and why.strip()
    ):
        norm = option_text_key(text)
        if norm not in texts and not (shuffle and may_need_pin(text, norm)):
            ids[option_id] = m.value_pos["id"]
            texts[norm] = m.value_pos["text"]
            return Option(id=option_id, text=text, correct=correct, why=why)
    return _checked_option(r, m, ids, texts, shuffle=shuffle)


def _checked_option(
    r: s.Report,
    m: YMap,
    ids: dict[str, Position],
    texts: dict[str, Position],
    *,
    shuffle: bool,
) -> Option | None:
    where = "an option"
    s.check_keys(r, m, s.OPTION_KEYS, where)
    option_id = s.slug(r, m, "id", where)
    if option_id is not None:
        _unique(r, ids, option_id, m.value_pos["id"], "option id", option_id)
    text = s.text(r, m, "text", where, required=True)
    if text is not None:
        norm = option_text_key(text)
        pos = m.value_pos["text"]
        _unique(r, texts, norm, pos, "option text", text, Code.DUPLICATE_OPTION_TEXT)
    correct = s.flag(r, m, "correct", False)
    why = s.text(r, m, "why", where)
    if why is None and "why" not in m:
        r.add(Code.OPTION_WITHOUT_WHY, m.start, "option has no `why`: say why it is right or wrong")
    pin = s.choice(r, m, "pin", ("last",), where, default="none")
    pinned = pin == "last"
    if shuffle and not pinned and text is not None and ALL_OR_NONE_RE.search(text):
        r.add(
            Code.UNPINNED_ALL_OF_ABOVE,
            m.start,
            f"'{text}' is shuffled away from the last place: add `pin: last`",
        )
    if option_id is None or text is None:
        return None
    return Option(id=option_id, text=text, correct=correct, why=why, pin_last=pinned)


def _unique(
    r: s.Report,
    seen: dict[str, Position],
    key: str,
    pos: Position,
    what: str,
    shown: str,
    code: Code = Code.DUPLICATE_ID,
) -> None:
    """Report `what` at `pos` if `key` was seen before in this group, else remember it."""
    first = seen.get(key)
    if first is None:
        seen[key] = pos
        return
    if len(shown) > 40:
        shown = shown[:37] + "..."
    r.add(code, pos, f"{what} '{shown}' is already used at line {first.line + 1}")
