"""The repository: every read and write the sessions, commands and screens need.

`Store.open(db)` names a database by URL or path (see `store.engine`), checks or upgrades its
schema, and hands out plain records (`store.records`). Nothing outside `store/` sees a SQL
session. Each write is one transaction; on SQLite every writing transaction starts with
BEGIN IMMEDIATE, so two processes queue on the busy timeout instead of failing.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    Connection,
    Engine,
    case,
    delete,
    select,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from gmed_trainer.decks.model import Card, ReviewUnit
from gmed_trainer.errors import DatabaseError, GmedError, UsageError
from gmed_trainer.store import converters, queries, stats
from gmed_trainer.store.core import (
    CARD,
    DECK,
    LEARNER,
    REVIEW_LOG,
    UNIT,
    UNIT_STATE,
    UNIT_TAG,
    card_join,
    selection,
    state_join,
)
from gmed_trainer.store.engine import (
    BUSY_TIMEOUT_MS,
    READ_ONLY,
    database_url,
    describe,
    is_sqlite,
    make_engine,
)
from gmed_trainer.store.fastpath import SqliteAnswerWriter
from gmed_trainer.store.records import (
    Answer,
    Candidate,
    DeckCounts,
    DeckInfo,
    LearnerInfo,
    Leech,
    LogEntry,
    Stats,
    TodayAnswer,
    UnitProgress,
    UnitView,
)
from gmed_trainer.store.schema import ensure_schema

#: The learner settings `update_learner` accepts, with their allowed ranges.
LEARNER_SETTINGS: dict[str, tuple[int, int]] = {
    "new_per_day": (0, 10_000),
    "reviews_per_day": (0, 100_000),
    "day_starts_at": (0, 23),
}
MAX_NAME_LENGTH = 100


class Store:
    """A gmed database, opened and ready. Use as a context manager or call `close()`."""

    def __init__(self, engine: Engine, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.engine = engine
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self._cards: dict[tuple[str, str, str], Card] = {}
        self._upsert_state = _state_upsert(engine)
        self._fast = SqliteAnswerWriter(engine, self._upsert_state) if is_sqlite(engine) else None

    # ------------------------------------------------------------------------- opening, errors

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        now: datetime | None = None,
    ) -> Self:
        """Open (creating or upgrading) the database named by `db`, `GMED_DB` or the default.

        Raises DatabaseError when it is corrupt, foreign, of a newer version, or unreachable.
        """
        url = database_url(db)
        engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        store = cls(engine, url, busy_timeout_ms=busy_timeout_ms)
        try:
            with store._translate():
                ensure_schema(engine, now=now)
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        if self._fast is not None:
            self._fast.close()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    def describe(self) -> str:
        """The database's URL for messages (no password)."""
        return describe(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writing transaction (committed on success); driver errors become DatabaseError.

        Public so that other parts of the store (sync, the exam tables) share the same rules.
        """
        with self._translate(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction: on SQLite it never waits for another process's writer."""
        with self._translate(), self.engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            yield conn

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except GmedError:
            raise
        except sa_exc.OperationalError as exc:
            message = _first_line(exc.orig)
            if "locked" in message or "busy" in message:
                seconds = self.busy_timeout_ms / 1000
                raise DatabaseError(
                    f"the database {self.describe()} is busy: another program kept it locked "
                    f"for more than {seconds:g} s; try again"
                ) from exc
            raise DatabaseError(f"database error on {self.describe()}: {message}") from exc
        except sa_exc.DBAPIError as exc:
            raise DatabaseError(
                f"database error on {self.describe()}: {_first_line(exc.orig)}"
            ) from exc

    # ------------------------------------------------------------------------------ learners

    def learners(self) -> list[LearnerInfo]:
        with self.reading() as conn:
            rows = conn.execute(select(LEARNER).order_by(LEARNER.c.name)).mappings()
            return [converters.learner_from_row(row) for row in rows]

    def learner(self, name: str) -> LearnerInfo | None:
        """The learner called `name`, or None."""
        with self.reading() as conn:
            row = conn.execute(select(LEARNER).where(LEARNER.c.name == name)).mappings().first()
        return None if row is None else converters.learner_from_row(row)

    def learner_by_id(self, learner_id: int) -> LearnerInfo:
        with self.reading() as conn:
            row = conn.execute(select(LEARNER).where(LEARNER.c.id == learner_id)).mappings().first()
        if row is None:
            raise GmedError(f"no learner with id {learner_id}")
        return converters.learner_from_row(row)

    def add_learner(self, name: str, *, now: datetime | None = None) -> LearnerInfo:
        """Add a learner; UsageError if the name is empty, too long or taken."""
        name = check_learner_name(name)
        with self.transaction() as conn:
            if conn.execute(select(LEARNER.c.id).where(LEARNER.c.name == name)).first():
                raise UsageError(f"a learner named {name!r} already exists")
            conn.execute(LEARNER.insert().values(name=name, created_at=now or _now()))
        found = self.learner(name)
        assert found is not None
        return found

    def get_or_add_learner(self, name: str, *, now: datetime | None = None) -> LearnerInfo:
        name = check_learner_name(name)
        with self.transaction() as conn:
            if not conn.execute(select(LEARNER.c.id).where(LEARNER.c.name == name)).first():
                conn.execute(LEARNER.insert().values(name=name, created_at=now or _now()))
        found = self.learner(name)
        assert found is not None
        return found

    def default_learner(self, *, now: datetime | None = None) -> LearnerInfo:
        """The learner used when none is named: the only one there is, else the one named after
        the OS user (created on first use), else "default"."""
        existing = self.learners()
        if len(existing) == 1:
            return existing[0]
        return self.get_or_add_learner(default_learner_name(), now=now)

    def update_learner(self, learner_id: int, **settings: int | bool) -> LearnerInfo:
        """Change a learner's study settings (`LEARNER_SETTINGS`, `suspend_leeches`)."""
        values: dict[str, Any] = {}
        for key, value in settings.items():
            if key == "suspend_leeches":
                values[key] = bool(value)
                continue
            if key not in LEARNER_SETTINGS:
                raise UsageError(f"unknown learner setting {key!r}")
            low, high = LEARNER_SETTINGS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise UsageError(f"{key} must be a whole number from {low} to {high}")
            values[key] = value
        if values:
            with self.transaction() as conn:
                conn.execute(update(LEARNER).where(LEARNER.c.id == learner_id).values(**values))
        return self.learner_by_id(learner_id)

    # --------------------------------------------------------------------------- decks, units

    def decks(self) -> list[DeckInfo]:
        with self.reading() as conn:
            rows = conn.execute(select(DECK).order_by(DECK.c.id)).mappings().all()
        return [
            DeckInfo(
                id=row["id"],
                title=row["title"],
                description=row["description"],
                version=row["version"],
                path=row["path"],
                tags=tuple(row["tags"].split()),
                imported_at=row["imported_at"],
            )
            for row in rows
        ]

    def review_units(self, unit_ids: Iterable[int]) -> dict[int, ReviewUnit]:
        """The domain units for `unit_ids` (retired ones included), with their cards."""
        ids = sorted(set(unit_ids))
        found: dict[int, ReviewUnit] = {}
        if not ids:
            return found
        query = select(
            UNIT.c.id, UNIT.c.deck_id, UNIT.c.card_id, UNIT.c.unit, CARD.c.card_hash, CARD.c.body
        ).select_from(UNIT.join(CARD, card_join()))
        with self.reading() as conn:
            for chunk in queries.chunks(ids):
                for row in conn.execute(query.where(UNIT.c.id.in_(chunk))):
                    card = self._card(row.deck_id, row.card_id, row.card_hash, row.body)
                    found[row.id] = ReviewUnit(deck_id=row.deck_id, card=card, unit=row.unit)
        return found

    def unit_ids(self, keys: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
        """Database ids of units by (deck id, card id, unit name)."""
        wanted = set(keys)
        decks = sorted({key[0] for key in wanted})
        found: dict[tuple[str, str, str], int] = {}
        with self.reading() as conn:
            for chunk in queries.chunks(decks):
                rows = conn.execute(
                    select(UNIT.c.id, UNIT.c.deck_id, UNIT.c.card_id, UNIT.c.unit).where(
                        UNIT.c.deck_id.in_(chunk)
                    )
                )
                for row in rows:
                    key = (row.deck_id, row.card_id, row.unit)
                    if key in wanted:
                        found[key] = row.id
        return found

    def _card(self, deck_id: str, card_id: str, card_hash: str, body: str) -> Card:
        key = (deck_id, card_id, card_hash)
        card = self._cards.get(key)
        if card is None:
            card = self._cards[key] = converters.card_from_json(body)
        return card

    # --------------------------------------------------------------------------- queue inputs

    def today_answers(self, learner_id: int, day: date) -> list[TodayAnswer]:
        """The learner's answers of study day `day`, oldest first."""
        with self.reading() as conn:
            return stats.today_answers(conn, learner_id, day)

    def limits_left(self, learner: LearnerInfo, day: date) -> tuple[int, int]:
        """(reviews, new units) the learner may still do on study day `day`."""
        return stats.limits_left(learner, self.today_answers(learner.id, day))

    def due_candidates(
        self,
        learner_id: int,
        day: date,
        *,
        decks: Sequence[str] = (),
        tags: Sequence[str] = (),
        limit: int,
        offset: int = 0,
    ) -> list[Candidate]:
        """Reviews due on `day` or before, most overdue first (then in deck order)."""
        with self.reading() as conn:
            return queries.due_candidates(
                conn, learner_id, day, decks=decks, tags=tags, limit=limit, offset=offset
            )

    def new_candidates(
        self,
        learner_id: int,
        day: date,
        *,
        decks: Sequence[str] = (),
        tags: Sequence[str] = (),
        limit: int,
        offset: int = 0,
    ) -> list[Candidate]:
        """Units never answered, in deck order; those sent to the queue by `make_due` first."""
        with self.reading() as conn:
            return queries.new_candidates(
                conn, learner_id, day, decks=decks, tags=tags, limit=limit, offset=offset
            )

    def cram_candidates(
        self,
        learner_id: int,
        day: date,
        *,
        decks: Sequence[str] = (),
        tags: Sequence[str] = (),
        limit: int,
    ) -> list[Candidate]:
        """Every active, unsuspended unit of a selection, due or not: studied ones by due date,
        then new ones in deck order."""
        with self.reading() as conn:
            return queries.cram_candidates(
                conn, learner_id, day, decks=decks, tags=tags, limit=limit
            )

    def candidates(
        self,
        learner_id: int,
        unit_ids: Iterable[int],
        *,
        decks: Sequence[str] = (),
        tags: Sequence[str] = (),
    ) -> list[Candidate]:
        """Those of the given units that are active and in the selection, with the learner's
        progress, in no particular order."""
        with self.reading() as conn:
            return queries.candidates(conn, learner_id, unit_ids, decks=decks, tags=tags)

    def progress(self, learner_id: int, unit_id: int) -> UnitProgress | None:
        with self.reading() as conn:
            row = (
                conn.execute(
                    select(*queries.STATE_COLUMNS).where(
                        UNIT_STATE.c.learner_id == learner_id, UNIT_STATE.c.unit_id == unit_id
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else converters.progress_from_row(row)

    # --------------------------------------------------------------------------------- writes

    def commit_answer(self, answer: Answer) -> int:
        """Store an answer: the new state (if any) and its log row, in one transaction.
        Returns the log row's id (for undo)."""
        row = converters.log_row(
            answer.learner_id,
            answer.unit_id,
            reviewed_at=answer.reviewed_at,
            study_day=answer.study_day,
            quality=answer.quality,
            response_ms=answer.response_ms,
            mode=answer.mode,
            before=answer.before,
            after=answer.after,
        )
        state = (
            None
            if answer.after is None
            else converters.progress_to_row(answer.learner_id, answer.unit_id, answer.after)
        )
        if self._fast is not None:
            with self._translate():
                try:
                    return self._fast.write(state, row)
                except sqlite3.Error as exc:
                    # Same shape as SQLAlchemy's wrapping, so one translation serves both.
                    raise sa_exc.OperationalError("answer", None, exc) from exc
        with self.transaction() as conn:
            if state is not None:
                conn.execute(self._upsert_state, state)
            result = conn.execute(REVIEW_LOG.insert(), row)
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def undo_answer(
        self, learner_id: int, unit_id: int, log_id: int | None, previous: UnitProgress | None
    ) -> None:
        """Take back an answer (or a suspend/bury when `log_id` is None): delete its log row
        and put the unit's state back exactly as `previous` (None: no state row)."""
        with self.transaction() as conn:
            if log_id is not None:
                deleted = conn.execute(
                    delete(REVIEW_LOG).where(
                        REVIEW_LOG.c.id == log_id, REVIEW_LOG.c.learner_id == learner_id
                    )
                )
                if deleted.rowcount != 1:
                    raise GmedError("that answer is no longer in the review log; nothing undone")
            self._write_state(conn, learner_id, unit_id, previous)

    def set_progress(self, learner_id: int, unit_id: int, progress: UnitProgress | None) -> None:
        """Replace a unit's state outright (None removes it)."""
        with self.transaction() as conn:
            self._write_state(conn, learner_id, unit_id, progress)

    def set_suspended(self, learner_id: int, unit_id: int, suspended: bool, day: date) -> None:
        """Suspend or unsuspend a unit (from the deck browser, say). A unit never studied gets
        a state row that still counts as new; `day` is its due date if it needs one."""
        with self.transaction() as conn:
            row = (
                conn.execute(
                    select(*queries.STATE_COLUMNS).where(
                        UNIT_STATE.c.learner_id == learner_id, UNIT_STATE.c.unit_id == unit_id
                    )
                )
                .mappings()
                .first()
            )
            current = converters.progress_from_row(row) if row is not None else None
            progress = replace(current or UnitProgress(due=day), suspended=suspended)
            self._write_state(conn, learner_id, unit_id, progress)

    def _write_state(
        self, conn: Connection, learner_id: int, unit_id: int, progress: UnitProgress | None
    ) -> None:
        if progress is None:
            conn.execute(
                delete(UNIT_STATE).where(
                    UNIT_STATE.c.learner_id == learner_id, UNIT_STATE.c.unit_id == unit_id
                )
            )
        else:
            conn.execute(
                self._upsert_state, converters.progress_to_row(learner_id, unit_id, progress)
            )

    def make_due(self, learner_id: int, unit_ids: Iterable[int], day: date) -> int:
        """Put units into the learner's queue for study day `day` (e.g. items missed in an
        exam): studied units fall due that day, unburied; units never studied come first among
        the new ones. Suspended units stay suspended. Returns how many units changed."""
        ids = sorted(set(unit_ids))
        changed = 0
        with self.transaction() as conn:
            for chunk in queries.chunks(ids):
                existing = set(
                    conn.execute(
                        select(UNIT_STATE.c.unit_id).where(
                            UNIT_STATE.c.learner_id == learner_id, UNIT_STATE.c.unit_id.in_(chunk)
                        )
                    ).scalars()
                )
                if existing:
                    # An overdue unit keeps its older due date: it stays the most overdue.
                    result = conn.execute(
                        update(UNIT_STATE)
                        .where(
                            UNIT_STATE.c.learner_id == learner_id,
                            UNIT_STATE.c.unit_id.in_(sorted(existing)),
                            UNIT_STATE.c.suspended.is_(False),
                        )
                        .values(
                            due=case((UNIT_STATE.c.due > day, day), else_=UNIT_STATE.c.due),
                            buried_until=None,
                        )
                    )
                    changed += result.rowcount
                fresh = [i for i in chunk if i not in existing]
                if fresh:
                    conn.execute(
                        UNIT_STATE.insert(),
                        [
                            converters.progress_to_row(learner_id, i, UnitProgress(due=day))
                            for i in fresh
                        ],
                    )
                    changed += len(fresh)
        return changed

    # ---------------------------------------------------------------------------- browsing

    def search_units(
        self,
        learner_id: int,
        *,
        text: str = "",
        tags: Sequence[str] = (),
        decks: Sequence[str] = (),
        include_retired: bool = False,
        limit: int = 200,
    ) -> list[UnitView]:
        """Units whose card shows `text` (case-insensitive) and carries any of `tags`, in deck
        order, with the learner's state."""
        conditions: list[ColumnElement[bool]] = []
        if text.strip():
            conditions.append(CARD.c.search_text.contains(text.strip().casefold(), autoescape=True))
        query = (
            select(
                *queries.CANDIDATE_COLUMNS,
                UNIT.c.active,
                CARD.c.card_hash,
                CARD.c.body,
            )
            .select_from(UNIT.join(CARD, card_join()).outerjoin(UNIT_STATE, state_join(learner_id)))
            .where(*conditions, *selection(decks, tags, active_only=not include_retired))
            .order_by(UNIT.c.deck_id, UNIT.c.position)
            .limit(limit)
        )
        with self.reading() as conn:
            rows = conn.execute(query).mappings().all()
            ids = [row["unit_id"] for row in rows]
            tags_by_unit: dict[int, list[str]] = {}
            for chunk in queries.chunks(ids):
                for unit_id, tag in conn.execute(
                    select(UNIT_TAG.c.unit_id, UNIT_TAG.c.tag)
                    .where(UNIT_TAG.c.unit_id.in_(chunk))
                    .order_by(UNIT_TAG.c.tag)
                ):
                    tags_by_unit.setdefault(unit_id, []).append(tag)
        views = []
        for row in rows:
            card = self._card(row["deck_id"], row["card_id"], row["card_hash"], row["body"])
            views.append(
                UnitView(
                    unit_id=row["unit_id"],
                    unit=ReviewUnit(deck_id=row["deck_id"], card=card, unit=row["unit"]),
                    active=bool(row["active"]),
                    tags=tuple(tags_by_unit.get(row["unit_id"], ())),
                    progress=converters.progress_from_row(row),
                    content_changed_at=row["content_changed_at"],
                )
            )
        return views

    def unit_history(self, learner_id: int, unit_id: int) -> list[LogEntry]:
        """Every answer the learner gave to a unit, oldest first."""
        with self.reading() as conn:
            rows = conn.execute(
                select(REVIEW_LOG)
                .where(REVIEW_LOG.c.unit_id == unit_id, REVIEW_LOG.c.learner_id == learner_id)
                .order_by(REVIEW_LOG.c.id)
            ).mappings()
            return [converters.log_entry_from_row(row) for row in rows]

    def all_tags(self) -> list[str]:
        """Every tag of an active unit, sorted."""
        with self.reading() as conn:
            return list(
                conn.execute(
                    select(UNIT_TAG.c.tag)
                    .join(UNIT, UNIT.c.id == UNIT_TAG.c.unit_id)
                    .where(UNIT.c.active.is_(True))
                    .distinct()
                    .order_by(UNIT_TAG.c.tag)
                ).scalars()
            )

    # -------------------------------------------------------------------------- counts, stats

    def deck_counts(self, learner: LearnerInfo, today: date) -> list[DeckCounts]:
        """Each deck's due / new / learning / reviewed-today figures, in deck id order."""
        with self.reading() as conn:
            return stats.deck_counts(conn, learner, today)

    def stats(self, learner: LearnerInfo, today: date) -> Stats:
        """The learner's statistics on study day `today` (see `records.Stats`)."""
        with self.reading() as conn:
            result, leech_rows = stats.collect(conn, learner, today)
        units = self.review_units(unit_id for unit_id, _, _ in leech_rows)
        leeches = tuple(
            Leech(unit_id=unit_id, unit=units[unit_id], lapses=lapses, suspended=suspended)
            for unit_id, lapses, suspended in leech_rows
            if unit_id in units
        )
        return replace(result, leech_list=leeches)


# ---------------------------------------------------------------------------------- helpers


def check_learner_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UsageError("a learner's name cannot be empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise UsageError(f"a learner's name can have at most {MAX_NAME_LENGTH} characters")
    if not cleaned.isprintable():
        raise UsageError("a learner's name cannot contain control characters")
    return cleaned


def default_learner_name() -> str:
    """The OS user's name, or "default" when it cannot be found."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "default"
    try:
        return check_learner_name(name)
    except UsageError:
        return "default"


def _now() -> datetime:
    return datetime.now(UTC)


def _first_line(error: BaseException | None) -> str:
    text = str(error) if error is not None else "unknown error"
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def _state_upsert(engine: Engine) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE for unit_state, built once per store: the answer path
    then only binds values. Both SQLite and PostgreSQL speak this dialect of upsert."""
    insert = sqlite.insert if is_sqlite(engine) else postgresql.insert
    statement = insert(UNIT_STATE)
    keys = {"learner_id", "unit_id"}
    return statement.on_conflict_do_update(
        index_elements=[UNIT_STATE.c.learner_id, UNIT_STATE.c.unit_id],
        set_={
            column.name: statement.excluded[column.name]
            for column in UNIT_STATE.columns
            if column.name not in keys
        },
    )
