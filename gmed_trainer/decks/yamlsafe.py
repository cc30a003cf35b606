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

Events rather than `compose()` because composing builds a `Node` per value that we would walk
again: on a 10,000-card deck the event walk is about 35% faster (see bench/decks.py).

Problems that leave the rest of the file readable (a duplicate key, a rejected tag) are collected
in `Document.problems`; problems that stop reading (syntax, size, encoding, limits) raise
`YamlSafeError`. Nothing else escapes `read_text` and `parse`.
"""

from __future__ import annotations

import gc
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

    def __init__(self, start: Position) -> None:
        super().__init__()
        self.start = start
        self.key_pos: dict[str, Position] = {}
        self.value_pos: dict[str, Position] = {}


class YList(list[Any]):
    """A YAML sequence, knowing where it and each item start."""

    __slots__ = ("start", "item_pos")

    def __init__(self, start: Position) -> None:
        super().__init__()
        self.start = start
        self.item_pos: list[Position] = []


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


#: A pending key whose value is read but dropped (duplicate or unusable key).
_SKIP: Final = "\0skip"
#: A mapping or list is being read in a key's place; its value will be dropped.
_KEY_NODE: Final = "\0key"


class _Builder:
    """Turns the parse events of one document into YMap / YList / scalars."""

    def __init__(self, loader: Any, limits: Limits) -> None:
        self.loader = loader
        self.limits = limits
        self.problems: list[Problem] = []
        self.anchors: dict[str, Any] = {}
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0
        #: Node counts of aliased containers, by id (the object is kept so the id stays its).
        self.sizes: dict[int, tuple[Any, int]] = {}
        #: Implicit tags of plain scalars already resolved (keys and words repeat a lot).
        self.resolved: dict[str, str] = {}
        self.constructor = SafeConstructor()

    def run(self) -> Document:
        get = self.loader.get_event
        first = get()
        assert isinstance(first, StreamStartEvent)
        event = get()
        if isinstance(event, StreamEndEvent):
            return Document(root=None, start=ORIGIN)
        assert isinstance(event, DocumentStartEvent)
        root, start = self._document()
        event = get()
        if isinstance(event, DocumentStartEvent):
            self._fail(
                Code.YAML_SYNTAX,
                "YAML syntax: a deck file holds one document; found a second one",
                event.start_mark,
            )
        return Document(root=root, start=start, problems=self.problems)

    def _document(self) -> tuple[Any, Position]:
        """Read events up to the document's end; return the root value and where it starts.

        This loop runs once per node of the file, so the state of the container being filled
        lives in local variables (pushed on `stack` when a nested one opens), not in objects.
        """
        get = self.loader.get_event
        resolved = self.resolved
        typed_starts = _TYPED_STARTS
        max_depth = self.limits.max_depth
        stack: list[tuple[Any, ...]] = []
        root: Any = None
        root_start: Position = ORIGIN
        # The container being filled: None at document level.
        cur: Any = None
        is_map = False
        key: str | None = None  # in a mapping: the key awaiting its value; None: expect a key
        key_pos: Position = ORIGIN
        key_marks: dict[str, Position] = {}
        value_marks: Any = None  # YMap.value_pos or YList.item_pos
        anchor: str | None = None
        rejected = False

        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                text = event.value
                # The fast paths (untagged, unanchored plain text) cover nearly every node.
                simple = event.tag is None and event.anchor is None
                if is_map and key is None:
                    if simple and text != "<<" and text not in cur:
                        key = text
                    else:
                        key = self._key(cur, event)
                    key_pos = event.start_mark
                    continue
                if simple:
                    if not event.implicit[0] or (text and text[0] not in typed_starts):
                        value = text  # quoted, or a plain word no implicit type starts with
                    else:
                        tag = resolved.get(text)
                        if tag == STR:
                            value = text
                        elif tag == _BOOL:
                            value = _BOOLS[text.lower()]
                        else:
                            value = self._scalar(event)
                else:
                    value = self._scalar(event)
                    if event.anchor is not None:
                        self.anchors[event.anchor] = value
                start = event.start_mark
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if len(stack) >= max_depth:
                    self._fail(
                        Code.TOO_DEEP, f"nesting deeper than {max_depth} levels", event.start_mark
                    )
                if is_map and key is None:
                    self._problem(Code.BAD_KEY, "a key must be plain text", event.start_mark)
                    key = _KEY_NODE
                stack.append((cur, is_map, key, key_pos, key_marks, value_marks, anchor, rejected))
                rejected = event.tag is not None and self._collection_tag_rejected(event)
                if kind is MappingStartEvent:
                    cur = YMap(event.start_mark)
                    is_map = True
                    key_marks = cur.key_pos
                    value_marks = cur.value_pos
                else:
                    cur = YList(event.start_mark)
                    is_map = False
                    value_marks = cur.item_pos
                key = None
                anchor = event.anchor
                if anchor is not None:
                    self.open_anchors.add(anchor)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = REJECTED if rejected else cur
                start = cur.start
                if anchor is not None:
                    self.open_anchors.discard(anchor)
                    self.anchors[anchor] = value
                cur, is_map, key, key_pos, key_marks, value_marks, anchor, rejected = stack.pop()
            elif kind is AliasEvent:
                value = self._alias(event)
                start = event.start_mark
                if is_map and key is None:
                    self._problem(Code.BAD_KEY, "a key must be plain text, not an alias", start)
                    key = _SKIP
                    continue
            elif kind is DocumentEndEvent:
                return root, root_start
            else:  # pragma: no cover - the parser only emits the events above here
                raise YamlSafeError(Code.YAML_SYNTAX, f"YAML syntax: unexpected {event}")

            if cur is None:
                root, root_start = value, start
            elif is_map:
                if key is _KEY_NODE:  # the node just read was an unusable key: drop its value
                    key = _SKIP
                    continue
                if key is not _SKIP:
                    cur[key] = value
                    key_marks[key] = key_pos  # type: ignore[index]
                    value_marks[key] = start
                key = None
            else:
                cur.append(value)
                value_marks.append(start)

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

    def _scalar(self, event: ScalarEvent) -> Any:
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return text
            tag = self.resolved.get(text)
            if tag is None:
                tag = self.loader.resolve(ScalarNode, text, (True, False))
                if len(text) <= 32:
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


class _Everything:
    """A set holding every string."""

    def __contains__(self, item: object) -> bool:
        return True


_ALLOWED_SCALAR_TAGS: Final = frozenset({STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP})
#: First characters of plain scalars that may resolve to a type other than text (digits, `t`
#: of true, `n` of null...): PyYAML's resolver looks only at these. Any other plain scalar is
#: text without asking it, which matters: most deck values are long sentences. If some resolver
#: applied to every first character (a None key), nothing may be skipped.
_RESOLVERS: Final = _Loader.yaml_implicit_resolvers
_TYPED_STARTS: Final[frozenset[str] | _Everything] = (
    frozenset(k for k in _RESOLVERS if k) if None not in _RESOLVERS else _Everything()
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
