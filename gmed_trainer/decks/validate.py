"""Check one parsed deck file against `gmed-deck/1` and build its `Deck`.

`validate_document` reports every problem it finds, not the first: each part of the file is
checked on its own, and a part with an error is left out of the deck rather than stopping the
check. A file with any error yields no deck. Findings come sorted by line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gmed_trainer.decks import schema as s
from gmed_trainer.decks.cards import DeckDefaults, read_card
from gmed_trainer.decks.findings import Code, Finding, Severity
from gmed_trainer.decks.generate import PLACEHOLDER_RE, FactTable, TableAsk, TableRow, expand
from gmed_trainer.decks.model import FORMAT, SLUG_RE, Card, Deck
from gmed_trainer.decks.yamlsafe import REJECTED, Document, Position, YMap

__all__ = ["Checked", "Finding", "Severity", "validate_document"]


@dataclass(slots=True)
class Checked:
    """The outcome of checking one file: the deck (None on any error) and every finding."""

    deck: Deck | None
    findings: list[Finding]
    #: The deck id as written, even when the deck has errors (for the cross-file check).
    deck_id: str | None = None
    deck_id_pos: Position | None = None


@dataclass(slots=True)
class _Header:
    """The `deck:` mapping's fields, each None or empty when absent or wrong."""

    id: str | None = None
    id_pos: Position | None = None
    title: str | None = None
    description: str | None = None
    version: str | None = None
    authors: tuple[str, ...] = ()


def validate_document(doc: Document, path: str, *, file: Path | None = None) -> Checked:
    """Check `doc` (the parsed file shown as `path` in findings) and build its deck."""
    r = s.Report(path)
    for problem in doc.problems:
        r.problem(problem)
    root = doc.root
    if type(root) is not YMap:
        if root is not REJECTED:
            what = "file is empty" if root is None else f"file holds {s.describe(root)}"
            r.add(
                Code.NOT_A_MAPPING,
                doc.start,
                f"{what}: a deck is a mapping with `format`, `deck` and `cards`",
            )
        return Checked(None, _sorted(r.findings))
    s.check_keys(r, root, s.TOP_KEYS, "a deck file")
    if not _format_known(r, root):
        return Checked(None, _sorted(r.findings))

    defaults = DeckDefaults(path)
    header = _header(r, root, defaults)
    cards: list[Card] = []
    card_seq = s.sequence(r, root, "cards", "a deck file")
    table_seq = s.sequence(r, root, "tables", "a deck file")
    if not card_seq and not table_seq and not _reported_type(root, "cards", "tables"):
        at = root.value_pos["cards"] if "cards" in root else root.start
        r.add(Code.MISSING_FIELD, at, "a deck needs at least one card in `cards` (or a table)")
    if card_seq:
        for m, _pos in s.items(r, card_seq, "card"):
            card = read_card(r, m, defaults)
            if card is not None:
                cards.append(card)
    if table_seq:
        table_ids: dict[str, Position] = {}
        for m, _pos in s.items(r, table_seq, "table"):
            table = _read_table(r, m, table_ids)
            if table is None:
                continue
            generated = expand(
                table, r, path=path, deck_tags=defaults.tags, deck_source=defaults.source
            )
            cards.extend(generated)
            for card in generated:
                defaults.ids.setdefault(card.id, table.pos)
    _check_replaces(r, defaults.replacing, set(defaults.ids))

    deck = None
    if r.errors == 0 and header.id is not None and header.title is not None:
        deck = Deck(
            id=header.id,
            title=header.title,
            cards=tuple(cards),
            description=header.description,
            version=header.version,
            authors=header.authors,
            tags=defaults.tags,
            source=defaults.source,
            path=file,
        )
    return Checked(deck, _sorted(r.findings), deck_id=header.id, deck_id_pos=header.id_pos)


def _format_known(r: s.Report, root: YMap) -> bool:
    """Whether to go on: a missing `format` is reported and assumed; a foreign one stops."""
    if "format" not in root:
        r.add(Code.MISSING_FIELD, root.start, f"a deck file needs `format: {FORMAT}`")
        return True
    value = root["format"]
    if value == FORMAT:
        return True
    if value is not REJECTED:
        r.add(
            Code.UNKNOWN_FORMAT,
            root.value_pos["format"],
            f"unknown format '{value}': this version of gmed reads `{FORMAT}`",
        )
    return False


def _header(r: s.Report, root: YMap, defaults: DeckDefaults) -> _Header:
    """The `deck:` mapping; its `tags` and `source` become the cards' defaults."""
    meta = s.mapping(r, root, "deck", "a deck file", required=True)
    if meta is None:
        return _Header()
    where = "`deck`"
    s.check_keys(r, meta, s.DECK_KEYS, where)
    defaults.tags = s.merge_unique(s.text_list(r, meta, "tags", where, pattern=SLUG_RE))
    defaults.source = s.text(r, meta, "source", where)
    return _Header(
        id=s.slug(r, meta, "id", where),
        id_pos=meta.value_pos.get("id"),
        title=s.text(r, meta, "title", where, required=True),
        description=s.text(r, meta, "description", where),
        version=s.text(r, meta, "version", where),
        authors=s.text_list(r, meta, "authors", where),
    )


def _reported_type(root: YMap, *keys: str) -> bool:
    """Whether one of `keys` holds a value of the wrong kind (already reported)."""
    return any(k in root and root[k] is not None and not isinstance(root[k], list) for k in keys)


def _check_replaces(r: s.Report, replacing: list[tuple[str | None, YMap]], live: set[str]) -> None:
    """A `replaces` entry may name only a retired id, and only once in the deck."""
    replaced: dict[str, Position] = {}
    for card_id, m in replacing:
        seq = m["replaces"]
        for value, pos in zip(seq, seq.item_pos, strict=True):
            if type(value) is not str:
                continue  # reported by read_replaces
            if value in live:
                which = "this card's own id" if value == card_id else "a card of this deck"
                r.add(
                    Code.REPLACES_LIVE_ID,
                    pos,
                    f"`replaces` names '{value}', which is {which}: only retired ids "
                    "can be replaced",
                )
            elif value in replaced:
                first = replaced[value]
                r.add(
                    Code.REPLACED_TWICE,
                    pos,
                    f"'{value}' is already replaced by the card at line {first.line + 1}",
                )
            else:
                replaced[value] = m.start


def _read_table(r: s.Report, m: YMap, seen: dict[str, Position]) -> FactTable | None:
    """The checked table described by `m`, or None if it has an error (reported)."""
    errors = r.errors
    where = "a table"
    s.check_keys(r, m, s.TABLE_KEYS, where)
    table_id = s.slug(r, m, "id", where)
    if table_id is not None:
        if table_id in seen:
            r.add(
                Code.DUPLICATE_ID,
                m.value_pos["id"],
                f"table id '{table_id}' is already used at line {seen[table_id].line + 1}",
            )
        seen.setdefault(table_id, m.value_pos["id"])
    columns = _columns(r, m)
    key = s.text(r, m, "key", where, required=True)
    if key is not None and columns is not None and key not in columns:
        r.add(Code.UNKNOWN_COLUMN, m.value_pos["key"], _not_a_column("key", key, columns))
    labels = _labels(r, m, columns)
    source = s.text(r, m, "source", where)
    tags = s.text_list(r, m, "tags", where, pattern=SLUG_RE)
    rows = _rows(r, m, columns, key)
    asks = _asks(r, m, columns)
    if r.errors != errors or table_id is None or columns is None or key is None:
        return None
    return FactTable(
        id=table_id,
        key=key,
        columns=columns,
        labels=labels,
        rows=rows,
        asks=asks,
        pos=m.start,
        source=source,
        tags=tags,
    )


def _not_a_column(field: str, name: str, columns: tuple[str, ...]) -> str:
    return f"`{field}` names '{name}', which is not a column{s.suggest(name, columns)}"


def _columns(r: s.Report, m: YMap) -> tuple[str, ...] | None:
    seq = s.sequence(r, m, "columns", "a table", required=True)
    if seq is None:
        return None
    if not seq:
        r.add(Code.MISSING_FIELD, m.value_pos["columns"], "a table needs at least one column")
        return None
    names = s.text_list(r, m, "columns", "a table", pattern=s.COLUMN_RE)
    if len(names) != len(seq):
        return None
    seen: set[str] = set()
    for name, pos in zip(names, seq.item_pos, strict=True):
        if name in seen:
            r.add(Code.DUPLICATE_ID, pos, f"column '{name}' is listed twice")
        seen.add(name)
    return names if len(seen) == len(names) else None


def _labels(r: s.Report, m: YMap, columns: tuple[str, ...] | None) -> dict[str, str]:
    labels = s.mapping(r, m, "labels", "a table")
    if labels is None:
        return {}
    out: dict[str, str] = {}
    for column in labels:
        if columns is not None and column not in columns:
            r.add(
                Code.UNKNOWN_COLUMN,
                labels.key_pos[column],
                f"label for '{column}', which is not a column{s.suggest(column, columns)}",
            )
            continue
        value = s.text(r, labels, column, "`labels`", required=True)
        if value is not None:
            out[column] = value
    return out


def _rows(
    r: s.Report, m: YMap, columns: tuple[str, ...] | None, key: str | None
) -> tuple[TableRow, ...]:
    seq = s.sequence(r, m, "rows", "a table", required=True)
    if seq is None:
        return ()
    if not seq:
        r.add(Code.MISSING_FIELD, m.value_pos["rows"], "a table needs at least one row")
        return ()
    rows: list[TableRow] = []
    keys: dict[str, Position] = {}
    allowed = frozenset(columns or ())
    for row, pos in s.items(r, seq, "row"):
        if columns is None:
            continue
        values: dict[str, str] = {}
        for name in row:
            if name not in allowed:
                r.add(
                    Code.ROW_UNKNOWN_COLUMN,
                    row.key_pos[name],
                    f"row has '{name}', which is not a column{s.suggest(name, columns)}",
                )
                continue
            value = s.text(r, row, name, "a row", required=True)
            if value is not None:
                values[name] = value
        missing = [c for c in columns if c not in row]
        if missing:
            listed = ", ".join(f"`{c}`" for c in missing)
            r.add(Code.ROW_MISSING_COLUMN, pos, f"row has no {listed}: every column needs a value")
            continue
        if key is not None and key in values:
            first = keys.get(values[key])
            if first is not None:
                r.add(
                    Code.DUPLICATE_ID,
                    row.value_pos[key],
                    f"row key '{values[key]}' is already used at line {first.line + 1}",
                )
            keys.setdefault(values[key], row.value_pos[key])
            rows.append(TableRow(values=values, pos=pos, key_pos=row.value_pos[key]))
    return tuple(rows)


def _asks(r: s.Report, m: YMap, columns: tuple[str, ...] | None) -> tuple[TableAsk, ...]:
    seq = s.sequence(r, m, "ask", "a table", required=True)
    if seq is None:
        return ()
    if not seq:
        r.add(Code.MISSING_FIELD, m.value_pos["ask"], "a table needs at least one `ask` entry")
        return ()
    asks: list[TableAsk] = []
    seen: dict[tuple[str, str], Position] = {}
    for ask, pos in s.items(r, seq, "ask entry"):
        where = "an ask entry"
        errors = r.errors
        s.check_keys(r, ask, s.ASK_KEYS, where)
        given = _column_ref(r, ask, "given", columns)
        answer = _column_ref(r, ask, "answer", columns)
        kind = s.choice(r, ask, "as", ("basic", "mcq"), where, default="basic")
        prompt = s.text(r, ask, "prompt", where)
        if prompt is not None and columns is not None:
            for name in PLACEHOLDER_RE.findall(prompt):
                if name not in columns:
                    r.add(
                        Code.UNKNOWN_COLUMN,
                        ask.value_pos["prompt"],
                        f"prompt placeholder {{{name}}} is not a column{s.suggest(name, columns)}",
                    )
        if given is not None and given == answer:
            r.add(Code.BAD_VALUE, ask.value_pos["answer"], "`answer` and `given` are the same")
        elif given is not None and answer is not None:
            first = seen.get((given, answer))
            if first is not None:
                r.add(
                    Code.DUPLICATE_ID,
                    pos,
                    f"another ask at line {first.line + 1} already makes the "
                    f"'{answer}-from-{given}' cards",
                )
            seen.setdefault((given, answer), pos)
        if r.errors == errors and given is not None and answer is not None and kind is not None:
            asks.append(TableAsk(given=given, answer=answer, kind=kind, prompt=prompt, pos=pos))
    return tuple(asks)


def _column_ref(r: s.Report, m: YMap, field: str, columns: tuple[str, ...] | None) -> str | None:
    name = s.text(r, m, field, "an ask entry", required=True)
    if name is None or columns is None:
        return None
    if name not in columns:
        r.add(Code.UNKNOWN_COLUMN, m.value_pos[field], _not_a_column(field, name, columns))
        return None
    return name


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.column))
