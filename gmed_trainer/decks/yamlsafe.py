"""YAML for untrusted deck files: plain values with positions, and nothing ever constructed.

A deck is read with PyYAML's safe parser (libyaml's `CSafeLoader` when present, else the pure
Python `SafeLoader`) and turned into plain values by walking its parse events ourselves, instead
of letting PyYAML construct objects. That is what lets us:

- keep where every value starts (`YMap.key_pos`, `YMap.value_pos`, `YList.item_pos`, 0-based
  libyaml positions; `Problem`/`YamlSafeError` carry 1-based line and column);
- report duplicate mapping keys, which YAML parsers silently resolve to the last one;
- refuse any tag outside YAML's core schema (`!!python/object`, `!foo`, `!!set`) without ever
  constructing it: the value becomes `REJECTED` and a problem is recorded;
- bound alias expansion: an alias reuses its anchor's value object, and every alias adds the
  anchor's node count to a budget, so an alias bomb fails after a handful of events, in constant
  memory, instead of after a billion nodes;
- bound nesting depth and file size.

Events rather than `compose()`: libyaml's composer calls back into Python to resolve every
scalar and builds a `Node` per value that we would walk again; on the 10,000-card bench deck it
takes longer even with a resolver that does nothing than this whole walk (bench/decks.py). The
walk is a recursive descent that handles the common node (an untagged, unanchored scalar) inline
and resolves plain scalars only when they could be something other than text; creating the
event objects is most of the time it takes.

Problems that leave the rest of the file readable (a duplicate key, a rejected tag) are collected
in `Document.problems`; problems that stop reading (syntax, size, encoding, limits) raise
`YamlSafeError`. Nothing else escapes `read_text` and `parse`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final, NoReturn, Protocol

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from gmed_trainer.decks.findings import Code

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is present wherever PyYAML ships wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Whether the C parser is in use (the pure Python one is about ten times slower).
ACCELERATED: Final = _Loader.__name__ == "CSafeLoader"

_T = "tag:yaml.org,2002:"
STR: Final = _T + "str"
_NULL, _BOOL, _INT, _FLOAT = _T + "null", _T + "bool", _T + "int", _T + "float"
_TIMESTAMP, _MAP, _SEQ = _T + "timestamp", _T + "map", _T + "seq"
_MERGE, _VALUE, _YAML = _T + "merge", _T + "value", _T + "yaml"
#: Scalar tags a deck may carry, explicitly (`!!str 5`) or implicitly.
_CONSTRUCTED_SCALARS: Final = frozenset({_INT, _FLOAT, _TIMESTAMP})
_BOOLS: Final = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}

MB: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds every deck file is read within."""

    max_bytes: int = 5 * MB
    #: Deepest nesting of mappings and lists; a deck needs about 8.
    max_depth: int = 64
    #: How many nodes aliases may add in total; plain decks add none.
    max_alias_nodes: int = 100_000


DEFAULT_LIMITS: Final = Limits()


class Position(Protocol):
    """Where a node starts, 0-based (libyaml's and PyYAML's marks both look like this)."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Pos:
    """A position we make ourselves (0-based, like the parser's)."""

    line: int
    column: int


ORIGIN: Final = Pos(0, 0)


class YMap(dict[str, Any]):
    """A YAML mapping: a dict from key text to value, knowing where it and each entry start."""

    __slots__ = ("start", "key_pos", "value_pos")
    start: Position
    key_pos: dict[str, Position]
    value_pos: dict[str, Position]

    def __init__(self, start: Position) -> None:
        super().__init__()
        self.start = start
        self.key_pos = {}
        self.value_pos = {}


class YList(list[Any]):
    """A YAML sequence, knowing where it and each item start."""

    __slots__ = ("start", "item_pos")
    start: Position
    item_pos: list[Position]

    def __init__(self, start: Position) -> None:
        super().__init__()
        self.start = start
        self.item_pos = []


class _Rejected:
    """The stand-in for a value whose tag was refused: already reported, never checked again."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REJECTED"


REJECTED: Final = _Rejected()


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found while reading that does not stop the reading."""

    code: Code
    line: int
    column: int
    message: str


class YamlSafeError(Exception):
    """The file cannot be read as a deck at all; `line` and `column` are 1-based."""

    def __init__(self, code: Code, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass(slots=True)
class Document:
    """The one YAML document of a deck file as plain values (None for an empty file)."""

    root: Any
    start: Position
    problems: list[Problem] = field(default_factory=list)


def read_text(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The file's bytes as text, or `YamlSafeError` if too large, binary or not UTF-8."""
    if len(data) > limits.max_bytes:
        raise YamlSafeError(
            Code.FILE_TOO_LARGE,
            f"file is {_size(len(data))}, over the {_size(limits.max_bytes)} limit for a deck",
        )
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise YamlSafeError(
            Code.BINARY_FILE, "file holds a NUL byte: binary, or not UTF-8 text", line, column
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise YamlSafeError(
            Code.NOT_UTF8,
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff")


def parse(text: str, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The single YAML document in `text` as plain values; `YamlSafeError` if unreadable."""
    loader = _Loader(text)
    try:
        with gc_paused():
            return _Builder(loader, limits).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSafeError(Code.YAML_SYNTAX, f"YAML syntax: {problem}", *where) from None
    except yaml.reader.ReaderError as exc:
        line, column = _text_position(text, exc.position)
        raise YamlSafeError(Code.YAML_SYNTAX, f"YAML syntax: {exc.reason}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlSafeError(Code.YAML_SYNTAX, f"YAML syntax: {exc}") from None
    except RecursionError:
        # Only with a `max_depth` near Python's own recursion limit.
        raise YamlSafeError(Code.TOO_DEEP, "nesting too deep to read") from None
    finally:
        loader.dispose()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading makes many objects and no cycles, and
    generational collections triggered by them triple the time of a large deck."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Scalars up to this length have their resolution remembered: keys, ids, true/false.
_REMEMBERED: Final = 32
#: Not (yet) among the remembered scalars.
_UNKNOWN: Final = object()
#: Make a YMap / YList without its `__init__` (a Python call per container): the walk sets
#: the slots itself.
_new_map: Final = dict.__new__
_new_list: Final = list.__new__

#: A pending key whose value is read but dropped (duplicate or unusable key).
_SKIP: Final = "\0skip"


class _Builder:
    """Turns the parse events of one document into YMap / YList / scalars.

    A recursive descent: `_mapping` and `_sequence` each read their container's events up to
    its end, recursing into nested containers (the depth limit keeps recursion shallow). Their
    loops run once per node of the file, so the common cases (an untagged, unanchored scalar;
    a plain key) are handled inline, and a mapping reads each key together with its value.
    """

    def __init__(self, loader: Any, limits: Limits) -> None:
        self.loader = loader
        self.get = loader.get_event
        self.limits = limits
        self.max_depth = limits.max_depth
        self.problems: list[Problem] = []
        self.anchors: dict[str, Any] = {}
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0
        #: Node counts of aliased containers, by id (the object is kept so the id stays its).
        self.sizes: dict[int, tuple[Any, int]] = {}
        #: Implicit tags of plain scalars already resolved (keys and words repeat a lot).
        self.resolved: dict[str, str] = {}
        #: Values of short plain scalars already read without a problem (`true`, `o1`...).
        self.known: dict[str, Any] = {}
        self.constructor = SafeConstructor()

    def run(self) -> Document:
        get = self.get
        first = get()
        assert isinstance(first, StreamStartEvent)
        event = get()
        if isinstance(event, StreamEndEvent):
            return Document(root=None, start=ORIGIN)
        assert isinstance(event, DocumentStartEvent)
        event = get()
        root = self._node(event, 0)
        start = event.start_mark
        end = get()
        assert isinstance(end, DocumentEndEvent)
        event = get()
        if isinstance(event, DocumentStartEvent):
            self._fail(
                Code.YAML_SYNTAX,
                "YAML syntax: a deck file holds one document; found a second one",
                event.start_mark,
            )
        return Document(root=root, start=start, problems=self.problems)

    def _node(self, event: Any, depth: int) -> Any:
        """The value of the node `event` starts (a scalar, alias or container)."""
        kind = type(event)
        if kind is ScalarEvent:
            return self._scalar(event)
        if kind is MappingStartEvent:
            return self._mapping(event, depth)
        if kind is SequenceStartEvent:
            return self._sequence(event, depth)
        if kind is AliasEvent:
            return self._alias(event)
        raise YamlSafeError(  # pragma: no cover - the parser only emits the events above here
            Code.YAML_SYNTAX, f"YAML syntax: unexpected {event}"
        )

    def _open(self, event: MappingStartEvent | SequenceStartEvent, depth: int) -> bool:
        """Check a container's depth and tag and note its anchor; whether its tag is refused."""
        if depth >= self.max_depth:
            self._fail(
                Code.TOO_DEEP, f"nesting deeper than {self.max_depth} levels", event.start_mark
            )
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        return event.tag is not None and self._collection_tag_rejected(event)

    def _close(self, event: MappingStartEvent | SequenceStartEvent, value: Any) -> Any:
        """The container's value once read (REJECTED if its tag was), anchored if asked for."""
        anchor = event.anchor
        if anchor is not None:
            self.open_anchors.discard(anchor)
            self.anchors[anchor] = value
        return value

    def _mapping(self, start: Any, depth: int) -> Any:
        # Untagged, unanchored containers within the depth limit skip `_open` and `_close`.
        plain = start.anchor is None and start.tag is None and depth < self.max_depth
        rejected = False if plain else self._open(start, depth)
        get = self.get
        known = self.known
        inner = depth + 1
        m = _new_map(YMap)
        m.start = start.start_mark
        key_marks: dict[str, Position] = {}
        value_marks: dict[str, Position] = {}
        m.key_pos = key_marks
        m.value_pos = value_marks
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                key = event.value
                if event.anchor is not None or event.tag is not None or key in m or key == "<<":
                    key = self._key(m, event)
            elif kind is MappingEndEvent:
                return m if plain else self._close(start, REJECTED if rejected else m)
            elif kind is AliasEvent:
                self._alias(event)
                self._problem(
                    Code.BAD_KEY, "a key must be plain text, not an alias", event.start_mark
                )
                key = _SKIP
            else:
                self._problem(Code.BAD_KEY, "a key must be plain text", event.start_mark)
                self._node(event, inner)
                key = _SKIP
            key_mark = event.start_mark

            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is None and event.tag is None:
                    value = event.value
                    # Quoted text, and plain text that no implicit type could match (nearly
                    # every value) are kept as they are; the rest is resolved once per text.
                    if event.implicit[0] and (len(value) <= _SHORT or value[:1] in _OPEN_STARTS):
                        value = known.get(value, _UNKNOWN)
                        if value is _UNKNOWN:
                            value = self._plain(event)
                else:
                    value = self._scalar(event)
            elif kind is MappingStartEvent:
                value = self._mapping(event, inner)
            elif kind is SequenceStartEvent:
                value = self._sequence(event, inner)
            else:
                value = self._node(event, inner)
            if key is not _SKIP:
                m[key] = value
                key_marks[key] = key_mark
                value_marks[key] = event.start_mark

    def _sequence(self, start: Any, depth: int) -> Any:
        plain = start.anchor is None and start.tag is None and depth < self.max_depth
        rejected = False if plain else self._open(start, depth)
        get = self.get
        known = self.known
        inner = depth + 1
        seq = _new_list(YList)
        seq.start = start.start_mark
        marks: list[Position] = []
        seq.item_pos = marks
        append = seq.append
        mark = marks.append
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is None and event.tag is None:
                    value = event.value
                    if event.implicit[0] and (len(value) <= _SHORT or value[:1] in _OPEN_STARTS):
                        value = known.get(value, _UNKNOWN)
                        if value is _UNKNOWN:
                            value = self._plain(event)
                else:
                    value = self._scalar(event)
            elif kind is MappingStartEvent:
                value = self._mapping(event, inner)
            elif kind is SequenceEndEvent:
                return seq if plain else self._close(start, REJECTED if rejected else seq)
            elif kind is SequenceStartEvent:
                value = self._sequence(event, inner)
            else:
                value = self._node(event, inner)
            append(value)
            mark(event.start_mark)

    def _key(self, container: YMap, event: ScalarEvent) -> str:
        """The key a tagged, anchored or repeated scalar stands for; `_SKIP` if unusable."""
        text: str = event.value
        tag = event.tag
        mark = event.start_mark
        if event.anchor is not None:
            self.anchors[event.anchor] = text
        if tag is not None and tag != "!" and tag not in _ALLOWED_SCALAR_TAGS:
            self._problem(Code.TAG_NOT_ALLOWED, f"tag {_show_tag(tag)} is not allowed", mark)
            return _SKIP
        if tag is None and event.implicit[0] and text == "<<":
            self._problem(Code.BAD_KEY, "merge keys (<<) are not supported in decks", mark)
            return _SKIP
        if text in container:
            first = container.key_pos[text]
            self._problem(
                Code.DUPLICATE_KEY,
                f"duplicate key '{text}' (first at line {first.line + 1}); "
                "YAML would silently keep only one",
                mark,
            )
            return _SKIP
        return text

    def _plain(self, event: ScalarEvent) -> Any:
        """The value of an untagged plain scalar that may be typed; remembered if short."""
        value = self._convert(event)
        text = event.value
        if value is not REJECTED and len(text) <= _REMEMBERED:
            self.known[text] = value
        return value

    def _scalar(self, event: ScalarEvent) -> Any:
        """A scalar's value (resolved, converted or refused), anchored if asked for."""
        value = self._convert(event)
        if event.anchor is not None:
            self.anchors[event.anchor] = value
        return value

    def _convert(self, event: ScalarEvent) -> Any:
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return text
            tag = self.resolved.get(text)
            if tag is None:
                tag = self.loader.resolve(ScalarNode, text, (True, False))
                if len(text) <= _REMEMBERED:
                    self.resolved[text] = tag
            if tag == _MERGE or tag == _VALUE or tag == _YAML:
                return text
        if tag == STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            flag = _BOOLS.get(text.lower())
            if flag is None:
                self._problem(Code.BAD_SCALAR, f"'{text}' is not true or false", event.start_mark)
                return REJECTED
            return flag
        if tag in _CONSTRUCTED_SCALARS:
            node = ScalarNode(tag, text)
            try:
                return self.constructor.yaml_constructors[tag](self.constructor, node)
            except (ValueError, OverflowError, TypeError, yaml.YAMLError):
                self._problem(
                    Code.BAD_SCALAR,
                    f"'{text}' cannot be read as {_show_tag(tag)}",
                    event.start_mark,
                )
                return REJECTED
        self._problem(
            Code.TAG_NOT_ALLOWED,
            f"tag {_show_tag(tag)} is not allowed; nothing in a deck is constructed",
            event.start_mark,
        )
        return REJECTED

    def _collection_tag_rejected(self, event: MappingStartEvent | SequenceStartEvent) -> bool:
        tag = event.tag
        plain = _MAP if type(event) is MappingStartEvent else _SEQ
        if tag is None or tag == "!" or tag == plain:
            return False
        self._problem(
            Code.TAG_NOT_ALLOWED,
            f"tag {_show_tag(tag)} is not allowed; nothing in a deck is constructed",
            event.start_mark,
        )
        return True

    def _alias(self, event: AliasEvent) -> Any:
        """The anchored value, shared, not copied; its node count is charged to the budget."""
        name = event.anchor or ""
        if name in self.open_anchors:
            self._fail(
                Code.YAML_SYNTAX, f"YAML syntax: alias *{name} refers to itself", event.start_mark
            )
        if name not in self.anchors:
            self._fail(Code.YAML_SYNTAX, f"YAML syntax: undefined alias *{name}", event.start_mark)
        value = self.anchors[name]
        self.alias_nodes += self._size(value)
        if self.alias_nodes > self.limits.max_alias_nodes:
            self._fail(
                Code.ALIAS_LIMIT,
                f"aliases expand to more than {self.limits.max_alias_nodes} nodes (an alias bomb?)",
                event.start_mark,
            )
        return value

    def _size(self, value: Any) -> int:
        """How many nodes `value` stands for once every alias in it is expanded.

        Memoised by container, so a value made of aliases of aliases costs its distinct
        containers to count, not its expanded size.
        """
        if type(value) is not YMap and type(value) is not YList:
            return 1
        known = self.sizes.get(id(value))
        if known is not None:
            return known[1]
        children = value.values() if type(value) is YMap else value
        total = 1 + sum(self._size(child) for child in children)
        self.sizes[id(value)] = (value, total)
        return total

    # Parser events always carry marks; the stubs allow None, hence the fallback.
    def _problem(self, code: Code, message: str, mark: Position | None) -> None:
        mark = mark or ORIGIN
        self.problems.append(Problem(code, mark.line + 1, mark.column + 1, message))

    def _fail(self, code: Code, message: str, mark: Position | None) -> NoReturn:
        mark = mark or ORIGIN
        raise YamlSafeError(code, message, mark.line + 1, mark.column + 1)


_ALLOWED_SCALAR_TAGS: Final = frozenset({STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP})
_RESOLVERS: Final = _Loader.yaml_implicit_resolvers
#: YAML 1.1 spells its booleans and null as single words of at most five letters (`false`).
_WORD_TAGS: Final = frozenset({_BOOL, _NULL})
#: Plain scalars up to this length may be typed whatever they start with; longer ones only if
#: they start with one of `_OPEN_STARTS`. Everything if some resolver looks at any character.
_SHORT: Final = 5 if None not in _RESOLVERS else sys.maxsize
#: First characters of plain scalars that may be typed at any length: digits, signs and dots
#: (numbers, dates), and the rest whose resolvers are not about words (`<<`, `=`). Any other
#: plain scalar longer than `_SHORT` is text without asking the resolver, which matters: most
#: deck values are sentences, and a third of them start with a letter of `true` or `null`.
_OPEN_STARTS: Final = frozenset(
    first
    for first, resolvers in _RESOLVERS.items()
    if first is not None and not {tag for tag, _ in resolvers} <= _WORD_TAGS
)


def _show_tag(tag: str | None) -> str:
    if tag is None:
        return "(none)"
    return "!!" + tag.removeprefix(_T) if tag.startswith(_T) else tag


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB // 10 else f"{n} bytes"


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset (the column counts bytes)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _text_position(text: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


__all__ = [
    "ACCELERATED",
    "DEFAULT_LIMITS",
    "REJECTED",
    "Document",
    "Limits",
    "Pos",
    "Position",
    "Problem",
    "YList",
    "YMap",
    "YamlSafeError",
    "gc_paused",
    "parse",
    "read_text",
]
