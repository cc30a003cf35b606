"""Fact tables to cards: each row crossed with each `ask` entry makes one card.

A generated card's id is `<table id>.<row key as slug>.<answer>-from-<given>`: stable as long as
the table id, the row's key and the two column names stay the same, whatever else is edited. The
dots make the id impossible to write by hand, so generated and hand-written ids never collide.

`as: mcq` cards draw their distractors from other rows' `answer` values. The choice is seeded by
a CRC of the table id, row key and ask (not Python's `hash`, which changes between runs), so the
same deck always yields the same cards. Rows whose answer equals this row's, or whose `given`
value equals this row's (their answer would be right too), are never distractors.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any, Final

from gmed_trainer.decks.findings import Code
from gmed_trainer.decks.model import BasicCard, Card, Mark, McqCard, Option
from gmed_trainer.decks.schema import Report, merge_unique
from gmed_trainer.decks.yamlsafe import Position

#: Ids of generated cards: `<table>.<row>.<answer>-from-<given>`.
GENERATED_ID_RE: Final = re.compile(
    r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*\.[a-z][a-z0-9_]*-from-[a-z][a-z0-9_]*$"
)
#: `{column}` placeholders of a prompt; never `str.format`, which reaches attributes.
PLACEHOLDER_RE: Final = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
MCQ_MIN_ROWS: Final = 3
MAX_DISTRACTORS: Final = 3
_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class TableAsk:
    """One `ask` entry: make a card per row asking `answer` from `given`."""

    given: str
    answer: str
    kind: str  # "basic" or "mcq"
    prompt: str | None
    pos: Position

    @property
    def name(self) -> str:
        return f"{self.answer}-from-{self.given}"


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row: every column's text, where the row starts and where its key value is."""

    values: dict[str, str]
    pos: Position
    key_pos: Position


@dataclass(frozen=True, slots=True)
class FactTable:
    """A checked `tables:` entry, ready to expand."""

    id: str
    key: str
    columns: tuple[str, ...]
    labels: dict[str, str]
    rows: tuple[TableRow, ...]
    asks: tuple[TableAsk, ...]
    pos: Position
    source: str | None = None
    tags: tuple[str, ...] = ()

    def label(self, column: str) -> str:
        """The human name of a column: its label, else its name with spaces."""
        return self.labels.get(column) or column.replace("_", " ")


def slugify(text: str) -> str:
    """`TrP1` -> `trp1`, `Hip OA (coxarthrosis)` -> `hip-oa-coxarthrosis`."""
    return _NOT_SLUG.sub("-", text.casefold()).strip("-")


def fill_prompt(prompt: str, values: dict[str, str]) -> str:
    """`prompt` with each `{column}` replaced by the row's value (unknown ones left as written)."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), prompt)


def expand(
    table: FactTable,
    r: Report,
    *,
    path: str,
    deck_tags: tuple[str, ...] = (),
    deck_source: str | None = None,
) -> list[Card]:
    """The cards `table` generates, ask by ask, row by row; problems go to the report."""
    errors = r.errors
    slugs = _row_slugs(table, r)
    source = table.source or deck_source
    if source is None:
        r.add(Code.NO_SOURCE, table.pos, "table has no `source` (and the deck none)")
    tags = merge_unique(deck_tags, table.tags)
    cards: list[Card] = []
    for ask in table.asks:
        _warn_ambiguous(table, ask, r)
        if ask.kind == "mcq" and not _mcq_possible(table, ask, r):
            continue
        for row in table.rows:
            key = row.values[table.key]
            card_id = f"{table.id}.{slugs[key]}.{ask.name}"
            common: dict[str, Any] = {
                "id": card_id,
                "tags": tags,
                "source": source,
                "generated_from": table.id,
                "mark": Mark(path, row.pos.line + 1, row.pos.column + 1),
            }
            question = _question(table, ask, row)
            if ask.kind == "basic":
                cards.append(BasicCard(front=question, back=row.values[ask.answer], **common))
                continue
            options = _options(table, ask, row, slugs, r)
            if options is not None:
                cards.append(
                    McqCard(
                        question=question,
                        options=options,
                        explanation=_summary(table, row),
                        **common,
                    )
                )
    return cards if r.errors == errors else []


def _row_slugs(table: FactTable, r: Report) -> dict[str, str]:
    """Each row key's slug, reporting keys that slug to nothing or to another key's slug."""
    slugs: dict[str, str] = {}
    owners: dict[str, str] = {}
    for row in table.rows:
        key = row.values[table.key]
        slug = slugify(key)
        slugs[key] = slug
        if not slug:
            r.add(Code.BAD_ID, row.key_pos, f"row key '{key}' has no letters or digits for an id")
        elif slug in owners and owners[slug] != key:
            r.add(
                Code.DUPLICATE_ID,
                row.key_pos,
                f"row key '{key}' makes the same id '{slug}' as row '{owners[slug]}'",
            )
        else:
            owners[slug] = key
    return slugs


def _question(table: FactTable, ask: TableAsk, row: TableRow) -> str:
    if ask.prompt is not None:
        return fill_prompt(ask.prompt, row.values)
    given = table.label(ask.given)
    return f"{given[:1].upper()}{given[1:]}: {row.values[ask.given]} — {table.label(ask.answer)}?"


def _summary(table: FactTable, row: TableRow) -> str:
    """The whole row in one line: the explanation of a generated mcq."""
    parts = "; ".join(f"{table.label(c)}: {row.values[c]}" for c in table.columns if c != table.key)
    return f"{row.values[table.key]} — {parts}."


def _warn_ambiguous(table: FactTable, ask: TableAsk, r: Report) -> None:
    """Warn when two rows share a `given` value but differ in `answer`: the question then has
    two right answers (an mcq leaves the other row out of its distractors)."""
    answers: dict[str, str] = {}
    for row in table.rows:
        given, answer = row.values[ask.given], row.values[ask.answer]
        if answers.setdefault(given, answer) != answer:
            r.add(
                Code.AMBIGUOUS_GIVEN,
                ask.pos,
                f"several rows have {ask.given} '{given}' with different {ask.answer}: "
                "the generated question has more than one right answer",
            )
            return


def _mcq_possible(table: FactTable, ask: TableAsk, r: Report) -> bool:
    if len(table.rows) < MCQ_MIN_ROWS:
        r.add(
            Code.MCQ_TOO_FEW_ROWS,
            ask.pos,
            f"`as: mcq` needs at least {MCQ_MIN_ROWS} rows to draw distractors from; "
            f"the table has {len(table.rows)}",
        )
        return False
    distinct = len({row.values[ask.answer] for row in table.rows})
    if distinct < MCQ_MIN_ROWS:
        r.add(
            Code.MCQ_TOO_FEW_VALUES,
            ask.pos,
            f"`as: mcq` needs at least {MCQ_MIN_ROWS} different values of `{ask.answer}`; "
            f"the rows have {distinct}",
        )
        return False
    return True


def _options(
    table: FactTable, ask: TableAsk, row: TableRow, slugs: dict[str, str], r: Report
) -> tuple[Option, ...] | None:
    key_col = table.key
    key, given, answer = row.values[key_col], row.values[ask.given], row.values[ask.answer]
    pool: dict[str, TableRow] = {}  # answer value -> first row holding it
    for other in table.rows:
        value = other.values[ask.answer]
        if value != answer and other.values[ask.given] != given and value not in pool:
            pool[value] = other
    if len(pool) < MCQ_MIN_ROWS - 1:
        r.add(
            Code.MCQ_TOO_FEW_VALUES,
            row.pos,
            f"row '{key}': only {len(pool)} other value(s) of `{ask.answer}` can be "
            f"distractors for `{ask.name}`; a generated mcq needs {MCQ_MIN_ROWS - 1}",
        )
        return None
    seed = f"{table.id}\0{key}\0{ask.name}\0"
    chosen = sorted(
        pool.values(),
        key=lambda o: zlib.crc32((seed + o.values[key_col]).encode("utf-8")),
    )[:MAX_DISTRACTORS]
    picked = {id(o) for o in chosen} | {id(row)}
    options = []
    for other in table.rows:  # table order, so an unshuffled view is stable too
        if id(other) not in picked:
            continue
        options.append(
            Option(
                id=slugs[other.values[key_col]],
                text=other.values[ask.answer],
                correct=other is row,
                why=_why(table, ask, row, other),
            )
        )
    return tuple(options)


def _why(table: FactTable, ask: TableAsk, row: TableRow, option_row: TableRow) -> str:
    """Why an option is right or wrong, stated from the row it comes from."""
    key = option_row.values[table.key]
    if ask.answer == table.key:
        detail = f"the {table.label(ask.given)} of {key} is {option_row.values[ask.given]}"
    else:
        detail = f"that is the {table.label(ask.answer)} of {key}"
    if option_row is row:
        return f"Right: {detail}."
    return f"{detail[:1].upper()}{detail[1:]}."
