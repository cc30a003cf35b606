"""The fields of every object in a deck file, and typed getters that report what is wrong.

Each getter reads one field of a `YMap`, returns its value when usable and None otherwise, and
records a finding pointing at the offending node (the value, or the mapping that lacks the key).
Callers build domain objects only from usable values, so one bad field never hides another.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any, Final

from gmed_trainer.decks.findings import Code, Finding
from gmed_trainer.decks.model import SLUG_RE
from gmed_trainer.decks.yamlsafe import REJECTED, Position, Problem, YList, YMap

#: Column names of fact tables: they appear in generated ids and `{column}` placeholders.
COLUMN_RE: Final = re.compile(r"^[a-z][a-z0-9_]*$")

TOP_KEYS: Final = frozenset({"format", "deck", "cards", "tables"})
DECK_KEYS: Final = frozenset({"id", "title", "description", "version", "authors", "tags", "source"})
CARD_COMMON_KEYS: Final = frozenset({"id", "type", "tags", "source", "extra", "status", "replaces"})
CARD_TYPE_KEYS: Final[dict[str, frozenset[str]]] = {
    "basic": frozenset({"front", "back"}),
    "reverse": frozenset({"front", "back"}),
    "cloze": frozenset({"text"}),
    "mcq": frozenset({"question", "stem", "options", "explanation", "shuffle", "select"}),
    "case": frozenset({"title", "stem", "steps", "explanation"}),
}
CARD_KEYS_BY_TYPE: Final = {t: CARD_COMMON_KEYS | keys for t, keys in CARD_TYPE_KEYS.items()}
ANY_CARD_KEYS: Final = CARD_COMMON_KEYS.union(*CARD_TYPE_KEYS.values())
OPTION_KEYS: Final = frozenset({"id", "text", "correct", "why", "pin"})
STEP_KEYS: Final = frozenset({"id", "reveal", "question", "options", "select"})
TABLE_KEYS: Final = frozenset({"id", "key", "columns", "labels", "source", "tags", "rows", "ask"})
ASK_KEYS: Final = frozenset({"given", "answer", "as", "prompt"})

_ABSENT: Final = object()


class Report:
    """The findings of one file, in the order they were found."""

    __slots__ = ("path", "findings", "errors")

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.errors = 0

    def add(self, code: Code, pos: Position, message: str) -> None:
        """Record a finding at a 0-based parser position."""
        self.at(code, pos.line + 1, pos.column + 1, message)

    def at(self, code: Code, line: int, column: int, message: str) -> None:
        """Record a finding at a 1-based line and column."""
        self.findings.append(Finding.of(code, self.path, line, column, message))
        if code.severity == "error":
            self.errors += 1

    def problem(self, problem: Problem) -> None:
        self.at(problem.code, problem.line, problem.column, problem.message)


def describe(value: Any) -> str:
    """How a value reads to an author: 'a number', 'a list', 'true/false'..."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, YList | list):
        return "a list"
    if isinstance(value, YMap | dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover - the reader makes no other types


def _quote_hint(value: Any) -> str:
    """YAML reads `2026.1`, `yes` or `2026-01-01` as non-text: tell the author to quote it."""
    if isinstance(value, bool | int | float | dt.date):
        return " (put it in quotes to make it text)"
    return ""


def suggest(word: str, choices: Iterable[str]) -> str:
    """' ; did you mean `x`?' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{match[0]}`?" if match else ""


def check_keys(
    r: Report,
    m: YMap,
    allowed: frozenset[str],
    where: str,
    *,
    elsewhere: dict[str, str] | None = None,
) -> None:
    """Report each key of `m` outside `allowed`, at the key, with a 'did you mean'.

    `elsewhere` maps keys that belong to a sibling kind (another card type) to a note saying so.
    """
    if m.keys() <= allowed:
        return
    for key in m:
        if key in allowed:
            continue
        note = elsewhere.get(key) if elsewhere else None
        if note:
            message = f"`{key}` is not a field of {where} ({note})"
        else:
            message = f"unknown key `{key}` in {where}{suggest(key, allowed)}"
        r.add(Code.UNKNOWN_KEY, m.key_pos[key], message)


def _missing(r: Report, m: YMap, key: str, where: str) -> None:
    r.add(Code.MISSING_FIELD, m.start, f"{where} needs `{key}`")


def _wrong(r: Report, m: YMap, key: str, expected: str, value: Any) -> None:
    r.add(
        Code.WRONG_TYPE,
        m.value_pos[key],
        f"`{key}` must be {expected}, not {describe(value)}{_quote_hint(value)}",
    )


def text(r: Report, m: YMap, key: str, where: str, *, required: bool = False) -> str | None:
    """A non-blank string field."""
    value = m.get(key, _ABSENT)
    if type(value) is str:
        if value and not value.isspace():
            return value
        r.add(Code.EMPTY_TEXT, m.value_pos[key], f"`{key}` is empty")
        return None
    if value is _ABSENT or value is None:
        if required:
            if value is None:
                r.add(Code.EMPTY_TEXT, m.value_pos[key], f"`{key}` is empty")
            else:
                _missing(r, m, key, where)
        return None
    if value is not REJECTED:
        _wrong(r, m, key, "text", value)
    return None


def flag(r: Report, m: YMap, key: str, default: bool) -> bool:
    """A true/false field."""
    value = m.get(key, _ABSENT)
    if type(value) is bool:
        return value
    if value is not _ABSENT and value is not None and value is not REJECTED:
        _wrong(r, m, key, "true or false", value)
    return default


def choice(
    r: Report,
    m: YMap,
    key: str,
    choices: tuple[str, ...],
    where: str,
    *,
    default: str | None = None,
) -> str | None:
    """One of a few words; None (reported) when missing without default, or not one of them."""
    value = m.get(key, _ABSENT)
    if type(value) is str and value in choices:
        return value
    if value is _ABSENT or value is None:
        if default is None:
            _missing(r, m, key, where)
        return default
    if value is REJECTED:
        return None
    listed = ", ".join(choices)
    if type(value) is str:
        r.add(
            Code.BAD_VALUE,
            m.value_pos[key],
            f"`{key}` must be one of {listed}, not '{value}'{suggest(value, choices)}",
        )
    else:
        _wrong(r, m, key, f"one of {listed}", value)
    return None


def slug(
    r: Report, m: YMap, key: str, where: str, *, pattern: re.Pattern[str] = SLUG_RE
) -> str | None:
    """A required identifier matching `pattern` (a slug unless said otherwise)."""
    value = text(r, m, key, where, required=True)
    if value is None:
        return None
    if pattern.match(value):
        return value
    r.add(Code.BAD_ID, m.value_pos[key], bad_id_message(f"`{key}`", value, pattern))
    return None


def bad_id_message(what: str, value: str, pattern: re.Pattern[str] = SLUG_RE) -> str:
    """Why `value` is not an identifier of the kind `pattern` matches."""
    if pattern is COLUMN_RE:
        return (
            f"{what} '{value}' is not a column name: lower-case letters, digits and _, "
            "starting with a letter"
        )
    return (
        f"{what} '{value}' is not a valid id: lower-case letters, digits and -, "
        "starting with a letter or digit"
    )


def mapping(r: Report, m: YMap, key: str, where: str, *, required: bool = False) -> YMap | None:
    value = m.get(key, _ABSENT)
    if type(value) is YMap:
        return value
    if value is _ABSENT or value is None:
        if required:
            _missing(r, m, key, where)
        return None
    if value is not REJECTED:
        _wrong(r, m, key, "a mapping", value)
    return None


def sequence(r: Report, m: YMap, key: str, where: str, *, required: bool = False) -> YList | None:
    value = m.get(key, _ABSENT)
    if type(value) is YList:
        return value
    if value is _ABSENT or value is None:
        if required:
            _missing(r, m, key, where)
        return None
    if value is not REJECTED:
        _wrong(r, m, key, "a list", value)
    return None


def items(r: Report, seq: YList, kind: str) -> Iterable[tuple[YMap, Position]]:
    """The mapping items of a list, reporting any item that is not a mapping."""
    for value, pos in zip(seq, seq.item_pos, strict=True):
        if type(value) is YMap:
            yield value, pos
        elif value is not REJECTED:
            r.add(Code.WRONG_TYPE, pos, f"each {kind} must be a mapping, not {describe(value)}")


def text_list(
    r: Report, m: YMap, key: str, where: str, *, pattern: re.Pattern[str] | None = None
) -> tuple[str, ...]:
    """A list of non-blank strings, each matching `pattern` when given."""
    seq = sequence(r, m, key, where)
    if not seq:
        return ()
    out: list[str] = []
    for value, pos in zip(seq, seq.item_pos, strict=True):
        if type(value) is not str:
            if value is not REJECTED:
                r.add(
                    Code.WRONG_TYPE,
                    pos,
                    f"each entry of `{key}` must be text, not {describe(value)}"
                    f"{_quote_hint(value)}",
                )
        elif pattern is not None and not pattern.match(value):
            r.add(Code.BAD_ID, pos, bad_id_message(f"an entry of `{key}`", value, pattern))
        elif not value.strip():
            r.add(Code.EMPTY_TEXT, pos, f"an entry of `{key}` is empty")
        else:
            out.append(value)
    return tuple(out)


def merge_unique(*groups: Iterable[str]) -> tuple[str, ...]:
    """The strings of all groups in order, each once."""
    return tuple(dict.fromkeys(s for group in groups for s in group))
