"""Build the plainly well-formed cards of a deck without checking them field by field.

Nearly every card of a real deck is well formed, and checking each field through the typed
getters of `schema.py` (a call per field, each ready to report) is most of the time a big deck
takes to load. `quick_card` builds such a card directly, from a handful of inline tests that are
each stricter than the rule they stand for, and returns None as soon as anything looks unusual:
a missing, empty or mistyped field, an unknown key, a duplicate id, a `replaces` list, an option
pinned last. `cards.check_card` then checks that card field by field; it alone owns the rules and
their messages, so this module never reports anything. tests/decks/test_quick.py holds the two
paths to the same cards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeGuard

from gmed_trainer.decks import schema as s
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
    assemble,
)
from gmed_trainer.decks.yamlsafe import YList, YMap

if TYPE_CHECKING:
    from gmed_trainer.decks.cards import DeckDefaults

MIN_OPTIONS: Final = 2
MAX_OPTIONS: Final = 8
#: Option texts that only make sense in the last place.
ALL_OR_NONE_RE: Final = re.compile(
    r"\b(all|none|both|neither)\s+of\s+the\s+(above|others|preceding|options|answers)\b",
    re.IGNORECASE,
)
#: A `{{` or `}}` left over once every well-formed deletion is removed.
STRAY_BRACES_RE: Final = re.compile(r"\{\{|\}\}")
_STATUSES: Final = {status.value: status for status in CardStatus}
_SELECT: Final = {"one": False, "all": True}
_CARD_KEYS: Final = s.CARD_KEYS_BY_TYPE
_STEP_KEYS: Final = s.STEP_KEYS
_OPTION_KEYS: Final = s.OPTION_KEYS
_slug: Final = SLUG_RE.match


def option_text_key(text: str) -> str:
    """What makes two option texts the same: case and runs of whitespace do not count."""
    return " ".join(text.casefold().split())


def may_need_pin(text: str, key: str) -> bool:
    """Whether an option text reads "all/none of the above", given its `option_text_key`.

    Every such text holds " of the " once case and whitespace are folded, so the regular
    expression runs only on the few texts that do.
    """
    return " of the " in key and ALL_OR_NONE_RE.search(text) is not None


def _text(value: object) -> TypeGuard[str]:
    """Whether `value` is text that is not blank (what a text field needs)."""
    return type(value) is str and value != "" and not value.isspace()


def _slug_seen(slugs: set[str], text: str) -> bool:
    """Whether `text` is a slug, remembering it in `slugs` if so (tags and option ids repeat:
    the set spares matching each again)."""
    if _slug(text) is None:
        return False
    slugs.add(text)
    return True


def quick_card(m: YMap, deck: DeckDefaults) -> Card | None:
    """The card `m` describes if it is plainly well formed, else None; records nothing."""
    get = m.get
    card_id = get("id")
    kind = get("type")
    if type(card_id) is not str or type(kind) is not str or card_id in deck.ids:
        return None
    build = _BUILDERS.get(kind)
    if build is None or not m.keys() <= _CARD_KEYS[kind] or "replaces" in m:
        return None
    if _slug(card_id) is None:
        return None
    tags = deck.tags
    own_tags = get("tags")
    if own_tags is not None:
        if type(own_tags) is not YList:
            return None
        slugs = deck.slugs
        for tag in own_tags:
            if type(tag) is not str or (tag not in slugs and not _slug_seen(slugs, tag)):
                return None
        if own_tags:
            own = tuple(own_tags)
            merged = deck.merged_tags.get(own)
            if merged is None:
                merged = deck.merged_tags[own] = tuple(dict.fromkeys(tags + own))
            tags = merged
    source = get("source")
    if source is None:
        source = deck.source
        if source is None and "source" not in m:
            return None  # a warning: the card names no source
    elif type(source) is not str or not source or source.isspace():
        return None
    extra = get("extra")
    if extra is not None and (type(extra) is not str or not extra or extra.isspace()):
        return None
    status = get("status")
    if status is None:
        status = CardStatus.PUBLISHED
    elif type(status) is not str or status not in _STATUSES:
        return None
    else:
        status = _STATUSES[status]
    values = build(m, deck.slugs)
    if values is None:
        return None
    cls = _CLASSES[kind]
    start = m.start
    values["id"] = card_id
    values["tags"] = tags
    values["source"] = source
    values["extra"] = extra
    values["status"] = status
    values["replaces"] = ()
    values["generated_from"] = None
    values["mark"] = Mark(deck.path, start.line + 1, start.column + 1)
    return assemble(cls, values)


def _front_back(m: YMap, slugs: set[str]) -> dict[str, Any] | None:
    front = m.get("front")
    back = m.get("back")
    if (
        type(front) is not str
        or type(back) is not str
        or not front
        or not back
        or front.isspace()
        or back.isspace()
    ):
        return None
    return {"front": front, "back": back}


def _cloze(m: YMap, slugs: set[str]) -> dict[str, Any] | None:
    text = m.get("text")
    if type(text) is not str:
        return None
    deletions = CLOZE_RE.findall(text)
    count = len(deletions)
    # Each deletion holds at least two of each brace: with no more than that in the text, none
    # is left outside a deletion to be a stray `{{` or `}}`.
    if not count or text.count("{") != 2 * count or text.count("}") != 2 * count:
        return None
    numbers: set[int] = set()
    for number, answer, _hint in deletions:
        if not answer.strip():
            return None
        numbers.add(int(number))
    if max(numbers) != len(numbers) or min(numbers) != 1:
        return None
    return {"text": text}


def _explanation(m: YMap) -> tuple[bool, str | None]:
    """(usable, the explanation): an absent one is a warning, an explicit null is not."""
    explanation = m.get("explanation")
    if explanation is None:
        return "explanation" in m, None
    return _text(explanation), explanation


def _mcq(m: YMap, slugs: set[str]) -> dict[str, Any] | None:
    get = m.get
    question = get("question")
    stem = get("stem")
    shuffle = get("shuffle", True)
    if not _text(question) or (stem is not None and not _text(stem)):
        return None
    if shuffle is None:
        shuffle = True
    elif type(shuffle) is not bool:
        return None
    select_all = _select(get("select"))
    if select_all is None:
        return None
    usable, explanation = _explanation(m)
    if not usable:
        return None
    options = _options(get("options"), select_all, shuffle, slugs)
    if options is None:
        return None
    return {
        "question": question,
        "options": options,
        "stem": stem,
        "explanation": explanation,
        "shuffle": shuffle,
        "select_all": select_all,
    }


def _case(m: YMap, slugs: set[str]) -> dict[str, Any] | None:
    get = m.get
    title = get("title")
    stem = get("stem")
    items = get("steps")
    if not _text(title) or not _text(stem) or type(items) is not YList or not items:
        return None
    usable, explanation = _explanation(m)
    if not usable:
        return None
    steps: list[Step] = []
    seen: set[str] = set()
    for item in items:
        if type(item) is not YMap or not item.keys() <= _STEP_KEYS:
            return None
        step_id = item.get("id")
        question = item.get("question")
        reveal = item.get("reveal")
        if type(step_id) is not str or step_id in seen:
            return None
        if step_id not in slugs and not _slug_seen(slugs, step_id):
            return None
        if not _text(question) or (reveal is not None and not _text(reveal)):
            return None
        select_all = _select(item.get("select"))
        if select_all is None:
            return None
        options = _options(item.get("options"), select_all, True, slugs)
        if options is None:
            return None
        seen.add(step_id)
        steps.append(
            assemble(
                Step,
                {
                    "id": step_id,
                    "question": question,
                    "options": options,
                    "reveal": reveal,
                    "select_all": select_all,
                },
            )
        )
    return {"title": title, "stem": stem, "steps": tuple(steps), "explanation": explanation}


def _select(value: object) -> bool | None:
    """`select: all` -> True, `one` or nothing -> False, anything else -> None."""
    if value is None:
        return False
    if type(value) is not str:
        return None
    return _SELECT.get(value)


def _options(
    items: object, select_all: bool, shuffle: bool, slugs: set[str]
) -> tuple[Option, ...] | None:
    if type(items) is not YList or not MIN_OPTIONS <= len(items) <= MAX_OPTIONS:
        return None
    ids: set[str] = set()
    texts: set[str] = set()
    options: list[Option] = []
    correct = 0
    for m in items:
        if type(m) is not YMap or "pin" in m or not m.keys() <= _OPTION_KEYS:
            return None
        get = m.get
        option_id = get("id")
        text = get("text")
        why = get("why")
        is_correct = get("correct", False)
        if (
            type(option_id) is not str
            or type(text) is not str
            or type(why) is not str
            or type(is_correct) is not bool
            or option_id in ids
            or not text
            or text.isspace()
            or not why
            or why.isspace()
        ):
            return None
        if option_id not in slugs and not _slug_seen(slugs, option_id):
            return None
        key = " ".join(text.casefold().split())  # option_text_key, inline: it runs per option
        if key in texts or (shuffle and " of the " in key and ALL_OR_NONE_RE.search(text)):
            return None
        ids.add(option_id)
        texts.add(key)
        correct += is_correct
        options.append(
            assemble(
                Option,
                {
                    "id": option_id,
                    "text": text,
                    "correct": is_correct,
                    "why": why,
                    "pin_last": False,
                },
            )
        )
    if (correct == 0) if select_all else (correct != 1):
        return None
    return tuple(options)


_BUILDERS: Final[dict[str, Callable[[YMap, set[str]], dict[str, Any] | None]]] = {
    "basic": _front_back,
    "reverse": _front_back,
    "cloze": _cloze,
    "mcq": _mcq,
    "case": _case,
}
_CLASSES: Final[dict[str, type[Card]]] = {
    "basic": BasicCard,
    "reverse": ReverseCard,
    "cloze": ClozeCard,
    "mcq": McqCard,
    "case": CaseCard,
}
