"""Every query exam prep makes: personal blocks, the exam pools, class sessions.

Screens and the exam domain call these methods and get plain frozen records back; nothing
outside `store/` opens a session or writes SQL. Class times come from the database server's
clock (`server_now`), and an answer is checked against the deadline in the same transaction that
stores it. Answers are upserts on (student, question), so a repeated submission changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any

from sqlalchemy import (
    Connection,
    Executable,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import SQLModel

from gmed_trainer.decks.model import ReviewUnit
from gmed_trainer.errors import DatabaseError
from gmed_trainer.store.converters import card_from_json
from gmed_trainer.store.core import CARD, UNIT, UNIT_TAG
from gmed_trainer.store.exam_tables import (
    ClassAnswer,
    ClassItem,
    ClassQuestion,
    ClassSession,
    ClassStudent,
    ExamBlock,
    ExamResponse,
)
from gmed_trainer.store.repository import Store

UnitKey = tuple[str, str, str]
#: First key of the PostgreSQL advisory locks that order answers against an early end (the
#: second key is the class's id).
_PG_CLASS_LOCK = 0x676D65
EXAM_CARD_TYPES = ("mcq", "case")


def _table(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


# Core tables rather than model attributes: typed column access on every backend.
BLOCK = _table(ExamBlock)
RESPONSE = _table(ExamResponse)
SESSION = _table(ClassSession)
ITEM = _table(ClassItem)
QUESTION = _table(ClassQuestion)
STUDENT = _table(ClassStudent)
ANSWER = _table(ClassAnswer)


# -- records handed to the exam domain ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExamCandidate:
    """An mcq or case unit that can be drawn into a block, with its id and tags."""

    unit_id: int
    unit: ReviewUnit
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """One answered question of a personal block, as stored."""

    unit_id: int
    position: int
    part: int
    chosen: tuple[str, ...]
    correct: bool
    flagged: bool


@dataclass(frozen=True, slots=True)
class BlockRecord:
    """A personal block to store (without its id) or as stored (with it)."""

    learner_id: int
    mode: str
    pool: str
    seed: int
    decks: tuple[str, ...]
    tags: tuple[str, ...]
    time_limit_s: int | None
    started_at: datetime
    submitted_at: datetime
    time_used_ms: int
    timed_out: bool
    score: int
    total: int
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ClassRecord:
    """A class session and the server's time when it was read."""

    id: int
    code: str
    title: str
    decks: tuple[str, ...]
    tags: tuple[str, ...]
    minutes: int
    seed: int
    created_at: datetime
    started_at: datetime | None
    deadline: datetime | None
    ended_at: datetime | None
    server_now: datetime


@dataclass(frozen=True, slots=True)
class ClassItemRecord:
    """An item of a class, its content snapshot and the question id of each of its parts."""

    id: int
    position: int
    unit_id: int
    content: str
    question_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StudentRecord:
    id: int
    session_id: int
    name: str
    learner_id: int | None
    seed: int
    joined_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    student_id: int
    question_id: int
    chosen: tuple[str, ...]
    answered_at: datetime


class Refusal(StrEnum):
    """Why an answer was not stored."""

    NOT_STARTED = "the block has not started yet"
    TIME_UP = "the time is up"
    SUBMITTED = "you have already submitted the block"
    UNKNOWN_QUESTION = "no such question in this class"
    STEP_LOCKED = "a later step of this case is answered: this step is locked"
    EARLIER_STEP = "answer the earlier steps of this case first"


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What became of a submitted answer: stored (or already stored), or refused and why."""

    accepted: bool
    refusal: Refusal | None = None
    server_now: datetime | None = None


def encode_chosen(option_ids: Iterable[str]) -> str:
    return " ".join(sorted(set(option_ids)))


def decode_chosen(text: str) -> tuple[str, ...]:
    return tuple(text.split())


class ExamRepository:
    """Exam prep's queries on an open `Store` (same engine, same transaction and error rules)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        self._dialect = store.engine.dialect.name
        if self._dialect not in ("sqlite", "postgresql"):
            raise DatabaseError(f"unsupported database {self._dialect!r} (SQLite or PostgreSQL)")

    def _begin(self) -> AbstractContextManager[Connection]:
        """A transaction that may write (on SQLite it takes the write lock at once)."""
        return self.store.transaction()

    def _begin_read(self) -> AbstractContextManager[Connection]:
        """A read-only transaction: on SQLite it never waits for another process's writer."""
        return self.store.reading()

    # -- clock -------------------------------------------------------------------------------

    def _now_expr(self) -> Any:
        if self._dialect == "sqlite":
            return func.strftime("%Y-%m-%d %H:%M:%f", "now")
        return func.now()

    def _as_utc(self, value: Any) -> datetime:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def server_now(self, conn: Connection | None = None) -> datetime:
        """The database server's current time (UTC): the one clock a class goes by."""
        if conn is not None:
            return self._as_utc(conn.execute(select(self._now_expr())).scalar_one())
        with self._begin_read() as own:
            return self.server_now(own)

    # -- units and learners ------------------------------------------------------------------

    def exam_candidates(
        self, decks: Sequence[str] = (), tags: Sequence[str] = ()
    ) -> list[ExamCandidate]:
        """Active mcq and case units (generated mcqs included) of `decks` (empty: all) having
        any of `tags` (empty: any), with their cards as last imported."""
        query = (
            select(UNIT.c.id, UNIT.c.deck_id, UNIT.c.unit, CARD.c.body)
            .select_from(
                UNIT.join(
                    CARD, and_(CARD.c.deck_id == UNIT.c.deck_id, CARD.c.card_id == UNIT.c.card_id)
                )
            )
            .where(
                UNIT.c.active.is_(True),
                CARD.c.active.is_(True),
                UNIT.c.card_type.in_(EXAM_CARD_TYPES),
            )
            .order_by(UNIT.c.deck_id, UNIT.c.position, UNIT.c.id)
        )
        if decks:
            query = query.where(UNIT.c.deck_id.in_(decks))
        if tags:
            query = query.where(
                UNIT.c.id.in_(select(UNIT_TAG.c.unit_id).where(UNIT_TAG.c.tag.in_(tags)))
            )
        with self._begin_read() as conn:
            rows = conn.execute(query).all()
            tag_rows = conn.execute(
                select(UNIT_TAG.c.unit_id, UNIT_TAG.c.tag)
                .where(UNIT_TAG.c.unit_id.in_(query.with_only_columns(UNIT.c.id)))
                .order_by(UNIT_TAG.c.tag)
            ).all()
        unit_tags: dict[int, list[str]] = {}
        for unit_id, tag in tag_rows:
            unit_tags.setdefault(unit_id, []).append(tag)
        return [
            ExamCandidate(
                unit_id=unit_id,
                unit=ReviewUnit(deck_id=deck_id, card=card_from_json(body), unit=unit),
                tags=tuple(unit_tags.get(unit_id, ())),
            )
            for unit_id, deck_id, unit, body in rows
        ]

    def unit_ids(self, keys: Iterable[UnitKey]) -> dict[UnitKey, int]:
        """The ids of the active units among `keys` (decks must have been synced)."""
        wanted = set(keys)
        if not wanted:
            return {}
        decks = {k[0] for k in wanted}
        query = select(UNIT.c.id, UNIT.c.deck_id, UNIT.c.card_id, UNIT.c.unit).where(
            UNIT.c.deck_id.in_(decks), UNIT.c.active.is_(True)
        )
        with self._begin_read() as conn:
            rows = conn.execute(query).all()
        return {(d, c, u): i for i, d, c, u in rows if (d, c, u) in wanted}

    def learner_day_start(self, learner_id: int) -> int:
        """The hour the learner's study day starts at (for "due today")."""
        return self.store.learner_by_id(learner_id).day_starts_at

    def learner_named(self, name: str, *, now: datetime) -> int:
        """The id of the learner called `name`, added if missing."""
        return self.store.get_or_add_learner(name, now=now).id

    def send_to_study(self, learner_id: int, unit_ids: Iterable[int], today: date) -> int:
        """Make units due on `today` in the learner's study queue (`Store.make_due`): studied
        units keep their SM-2 history, units never studied come first among the new ones."""
        return self.store.make_due(learner_id, unit_ids, today)

    # -- personal blocks ---------------------------------------------------------------------

    def save_block(self, block: BlockRecord, responses: Sequence[ResponseRecord]) -> int:
        """Store a finished block and its responses in one transaction; returns the block id."""
        values = ExamBlock(
            learner_id=block.learner_id,
            mode=block.mode,
            pool=block.pool,
            seed=block.seed,
            decks=" ".join(block.decks),
            tags=" ".join(block.tags),
            time_limit_s=block.time_limit_s,
            started_at=block.started_at,
            submitted_at=block.submitted_at,
            time_used_ms=block.time_used_ms,
            timed_out=block.timed_out,
            score=block.score,
            total=block.total,
        ).model_dump(exclude={"id"})
        with self._begin() as conn:
            block_id = int(
                conn.execute(insert(BLOCK).values(**values).returning(BLOCK.c.id)).scalar_one()
            )
            if responses:
                conn.execute(
                    insert(RESPONSE),
                    [
                        {
                            "block_id": block_id,
                            "learner_id": block.learner_id,
                            "unit_id": r.unit_id,
                            "position": r.position,
                            "part": r.part,
                            "chosen": encode_chosen(r.chosen),
                            "correct": r.correct,
                            "flagged": r.flagged,
                        }
                        for r in responses
                    ],
                )
        return block_id

    def blocks(self, learner_id: int, *, limit: int = 20) -> list[BlockRecord]:
        """The learner's latest blocks, newest first."""
        query = (
            select(BLOCK)
            .where(BLOCK.c.learner_id == learner_id)
            .order_by(BLOCK.c.submitted_at.desc(), BLOCK.c.id.desc())
            .limit(limit)
        )
        with self._begin_read() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            BlockRecord(
                id=r["id"],
                learner_id=r["learner_id"],
                mode=r["mode"],
                pool=r["pool"],
                seed=r["seed"],
                decks=tuple(r["decks"].split()),
                tags=tuple(r["tags"].split()),
                time_limit_s=r["time_limit_s"],
                started_at=r["started_at"],
                submitted_at=r["submitted_at"],
                time_used_ms=r["time_used_ms"],
                timed_out=r["timed_out"],
                score=r["score"],
                total=r["total"],
            )
            for r in rows
        ]

    def used_unit_ids(self, learner_id: int) -> set[int]:
        """Units that were an item of any earlier block of the learner."""
        query = select(RESPONSE.c.unit_id).where(RESPONSE.c.learner_id == learner_id)
        with self._begin_read() as conn:
            return set(conn.execute(query.distinct()).scalars())

    def incorrect_unit_ids(self, learner_id: int) -> set[int]:
        """Units whose latest block had a wrong or unanswered question of theirs."""
        latest = (
            select(RESPONSE.c.unit_id, func.max(RESPONSE.c.block_id).label("block_id"))
            .where(RESPONSE.c.learner_id == learner_id)
            .group_by(RESPONSE.c.unit_id)
            .subquery()
        )
        query = (
            select(RESPONSE.c.unit_id)
            .join(
                latest,
                and_(
                    RESPONSE.c.unit_id == latest.c.unit_id,
                    RESPONSE.c.block_id == latest.c.block_id,
                ),
            )
            .where(RESPONSE.c.correct.is_(False))
            .distinct()
        )
        with self._begin_read() as conn:
            return set(conn.execute(query).scalars())

    def block_responses(self, block_id: int) -> list[ResponseRecord]:
        query = (
            select(RESPONSE)
            .where(RESPONSE.c.block_id == block_id)
            .order_by(RESPONSE.c.position, RESPONSE.c.part)
        )
        with self._begin_read() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            ResponseRecord(
                unit_id=r["unit_id"],
                position=r["position"],
                part=r["part"],
                chosen=decode_chosen(r["chosen"]),
                correct=r["correct"],
                flagged=r["flagged"],
            )
            for r in rows
        ]

    # -- class sessions: the instructor's side -----------------------------------------------

    def create_class(
        self,
        *,
        code: str,
        title: str,
        decks: Sequence[str],
        tags: Sequence[str],
        minutes: int,
        seed: int,
        items: Sequence[tuple[int, str, int]],
    ) -> ClassRecord | None:
        """A new class in the lobby with `items` as (unit id, content snapshot, part count).

        Returns None when `code` is already taken, so the caller can draw another one.
        """
        sessions = SESSION
        try:
            with self._begin() as conn:
                now = self.server_now(conn)
                session_id = int(
                    conn.execute(
                        insert(sessions)
                        .values(
                            code=code,
                            title=title,
                            decks=" ".join(decks),
                            tags=" ".join(tags),
                            minutes=minutes,
                            seed=seed,
                            created_at=now,
                        )
                        .returning(sessions.c.id)
                    ).scalar_one()
                )
                for position, (unit_id, content, parts) in enumerate(items):
                    item_id = int(
                        conn.execute(
                            insert(ITEM)
                            .values(
                                session_id=session_id,
                                position=position,
                                unit_id=unit_id,
                                content=content,
                            )
                            .returning(ITEM.c.id)
                        ).scalar_one()
                    )
                    conn.execute(
                        insert(QUESTION),
                        [
                            {"session_id": session_id, "item_id": item_id, "part": p}
                            for p in range(parts)
                        ],
                    )
        except IntegrityError:
            return None
        return self.find_class(code)

    def find_class(self, code: str) -> ClassRecord | None:
        """The class with this join code, read with the server's current time."""
        with self._begin_read() as conn:
            row = (
                conn.execute(
                    select(ClassSession, self._now_expr().label("server_now")).where(
                        SESSION.c.code == code
                    )
                )
                .mappings()
                .one_or_none()
            )
        if row is None:
            return None
        return ClassRecord(
            id=row["id"],
            code=row["code"],
            title=row["title"],
            decks=tuple(row["decks"].split()),
            tags=tuple(row["tags"].split()),
            minutes=row["minutes"],
            seed=row["seed"],
            created_at=row["created_at"],
            started_at=row["started_at"],
            deadline=row["deadline"],
            ended_at=row["ended_at"],
            server_now=self._as_utc(row["server_now"]),
        )

    def start_class(self, session_id: int) -> None:
        """Start the block now (server time) with its deadline; a second start changes nothing."""
        table = SESSION
        with self._begin() as conn:
            now = self.server_now(conn)
            minutes = conn.execute(
                select(table.c.minutes).where(table.c.id == session_id)
            ).scalar_one()
            conn.execute(
                update(table)
                .where(table.c.id == session_id, table.c.started_at.is_(None))
                .values(started_at=now, deadline=now + timedelta(minutes=minutes))
            )

    def end_class(self, session_id: int) -> None:
        """End the block now (server time): the deadline moves here, later answers are refused.
        A class ended in the lobby starts and ends at once."""
        table = SESSION
        with self._begin() as conn:
            if self._dialect == "postgresql":
                # Wait for answers in flight, then read the clock: every answer stored before
                # this moment was given before it (see `record_answer`).
                conn.execute(select(func.pg_advisory_xact_lock(_PG_CLASS_LOCK, session_id)))
                now = self._as_utc(conn.execute(select(func.clock_timestamp())).scalar_one())
            else:
                now = self.server_now(conn)
            conn.execute(
                update(table)
                .where(table.c.id == session_id, table.c.started_at.is_(None))
                .values(started_at=now, deadline=now)
            )
            conn.execute(
                update(table)
                .where(table.c.id == session_id, table.c.ended_at.is_(None))
                .values(ended_at=now)
            )
            conn.execute(
                update(table)
                .where(table.c.id == session_id, table.c.deadline > now)
                .values(deadline=now)
            )

    def class_items(self, session_id: int) -> list[ClassItemRecord]:
        """The class's items in order, with their questions' ids by part."""
        with self._begin_read() as conn:
            items = conn.execute(
                select(ITEM.c.id, ITEM.c.position, ITEM.c.unit_id, ITEM.c.content)
                .where(ITEM.c.session_id == session_id)
                .order_by(ITEM.c.position)
            ).all()
            questions = conn.execute(
                select(QUESTION.c.item_id, QUESTION.c.id)
                .where(QUESTION.c.session_id == session_id)
                .order_by(QUESTION.c.item_id, QUESTION.c.part)
            ).all()
        by_item: dict[int, list[int]] = {}
        for item_id, question_id in questions:
            by_item.setdefault(item_id, []).append(question_id)
        return [
            ClassItemRecord(i, position, unit_id, content, tuple(by_item.get(i, ())))
            for i, position, unit_id, content in items
        ]

    def students(self, session_id: int) -> list[StudentRecord]:
        with self._begin_read() as conn:
            rows = (
                conn.execute(
                    select(STUDENT)
                    .where(STUDENT.c.session_id == session_id)
                    .order_by(STUDENT.c.name)
                )
                .mappings()
                .all()
            )
        return [_student(r) for r in rows]

    def class_answers(self, session_id: int) -> list[AnswerRecord]:
        """Every answer of every student of the class."""
        query = (
            select(ANSWER)
            .join(STUDENT, STUDENT.c.id == ANSWER.c.student_id)
            .where(STUDENT.c.session_id == session_id)
        )
        with self._begin_read() as conn:
            rows = conn.execute(query).mappings().all()
        return [_answer(r) for r in rows]

    # -- class sessions: the student's side --------------------------------------------------

    def join_class(
        self, session_id: int, name: str, *, learner_id: int | None, seed: int
    ) -> StudentRecord:
        """The student called `name` in the class, added if new; joining again returns the
        same student (with their answers), so a dropped student resumes."""
        table = STUDENT
        with self._begin() as conn:
            now = self.server_now(conn)
            conn.execute(
                self._insert(table)
                .values(
                    session_id=session_id,
                    name=name,
                    learner_id=learner_id,
                    seed=seed,
                    joined_at=now,
                )
                .on_conflict_do_nothing()
            )
            row = (
                conn.execute(
                    select(STUDENT).where(
                        STUDENT.c.session_id == session_id, STUDENT.c.name == name
                    )
                )
                .mappings()
                .one()
            )
        return _student(row)

    def find_student(self, session_id: int, name: str) -> StudentRecord | None:
        with self._begin_read() as conn:
            row = (
                conn.execute(
                    select(STUDENT).where(
                        STUDENT.c.session_id == session_id, STUDENT.c.name == name
                    )
                )
                .mappings()
                .one_or_none()
            )
        return None if row is None else _student(row)

    def student_answers(self, student_id: int) -> dict[int, tuple[str, ...]]:
        """The student's own answers by question id."""
        with self._begin_read() as conn:
            rows = conn.execute(
                select(ANSWER.c.question_id, ANSWER.c.chosen).where(
                    ANSWER.c.student_id == student_id
                )
            ).all()
        return {q: decode_chosen(c) for q, c in rows}

    def record_answer(
        self, session_id: int, student_id: int, question_id: int, chosen: Iterable[str]
    ) -> AnswerOutcome:
        """Store (or change, or with no options clear) a student's answer, if the block is
        running by the server's clock and the student has not submitted; one transaction, so the
        check and the write agree. Storing the same answer again writes nothing."""
        statements = self._answer_statements
        value = encode_chosen(chosen)
        keys = {"student_id": student_id, "question_id": question_id}
        with self._begin() as conn:
            if statements.lock is not None:
                # A shared lock, so that `end_class` (exclusive) waits for this answer and this
                # answer, once past it, reads the deadline `end_class` wrote. On SQLite the
                # write lock taken at BEGIN already puts them in order.
                conn.execute(statements.lock, {"session_id": session_id})
            row = conn.execute(statements.check, keys).mappings().one_or_none()
            if row is None:
                return AnswerOutcome(False, Refusal.UNKNOWN_QUESTION)
            now = self._as_utc(row["now"])
            refusal = _refusal(row, now)
            if refusal is not None:
                return AnswerOutcome(False, refusal, now)
            if value:
                conn.execute(statements.upsert, {**keys, "chosen": value, "answered_at": now})
            else:
                # Every option of a `select: all` question unticked: no answer any more.
                conn.execute(statements.clear, keys)
        return AnswerOutcome(True, None, now)

    def warm_up_answers(self, session_id: int) -> None:
        """Build and compile the answer's check now (it reads nothing: no question has id 0),
        so that a student's first answer costs what the others do."""
        statements = self._answer_statements
        with self._begin_read() as conn:
            if statements.lock is not None:
                conn.execute(statements.lock, {"session_id": session_id})
            conn.execute(statements.check, {"student_id": 0, "question_id": 0}).all()

    @cached_property
    def _answer_statements(self) -> _AnswerStatements:
        """The statements of `record_answer`, built once: an answer then only binds values."""
        q, s, st, a = QUESTION, SESSION, STUDENT, ANSWER
        student_id: BindParameter[int] = bindparam("student_id")
        question_id: BindParameter[int] = bindparam("question_id")
        # The other answered steps of the same item (a case), for the step-order rules.
        other_q, other_a = q.alias("other_q"), a.alias("other_a")
        others = (
            select(func.count())
            .select_from(other_a.join(other_q, other_q.c.id == other_a.c.question_id))
            .where(
                other_a.c.student_id == student_id,
                other_q.c.item_id == q.c.item_id,
                other_q.c.id != q.c.id,
            )
            .correlate(q)
        )
        max_part = others.with_only_columns(func.coalesce(func.max(other_q.c.part), -1))
        check = (
            select(
                self._now_expr().label("now"),
                s.c.started_at,
                s.c.deadline,
                st.c.finished_at,
                q.c.part,
                max_part.scalar_subquery().label("max_other_part"),
                others.scalar_subquery().label("other_answered"),
            )
            .select_from(st.join(s, s.c.id == st.c.session_id).join(q, q.c.session_id == s.c.id))
            .where(st.c.id == student_id, q.c.id == question_id)
        )
        insert_answer = self._insert(a).values(
            student_id=student_id,
            question_id=question_id,
            chosen=bindparam("chosen"),
            answered_at=bindparam("answered_at"),
        )
        upsert = insert_answer.on_conflict_do_update(
            index_elements=[a.c.student_id, a.c.question_id],
            set_={
                "chosen": insert_answer.excluded.chosen,
                "answered_at": insert_answer.excluded.answered_at,
            },
            where=a.c.chosen != insert_answer.excluded.chosen,
        )
        clear = delete(a).where(a.c.student_id == student_id, a.c.question_id == question_id)
        lock = (
            select(func.pg_advisory_xact_lock_shared(_PG_CLASS_LOCK, bindparam("session_id")))
            if self._dialect == "postgresql"
            else None
        )
        return _AnswerStatements(lock=lock, check=check, upsert=upsert, clear=clear)

    def finish_student(self, student_id: int) -> datetime:
        """Mark the student's block submitted (server time); later answers are refused."""
        table = STUDENT
        with self._begin() as conn:
            now = self.server_now(conn)
            conn.execute(
                update(table)
                .where(table.c.id == student_id, table.c.finished_at.is_(None))
                .values(finished_at=now)
            )
            return self._as_utc(
                conn.execute(
                    select(table.c.finished_at).where(table.c.id == student_id)
                ).scalar_one()
            )

    # -- helpers -----------------------------------------------------------------------------

    def _insert(self, table: Table) -> Any:
        """An INSERT with ON CONFLICT support for this engine's dialect."""
        return (postgresql.insert if self._dialect == "postgresql" else sqlite.insert)(table)


@dataclass(frozen=True, slots=True)
class _AnswerStatements:
    lock: Executable | None
    check: Select[Any]
    upsert: Executable
    clear: Executable


def _refusal(row: RowMapping, now: datetime) -> Refusal | None:
    if row["started_at"] is None:
        return Refusal.NOT_STARTED
    deadline = row["deadline"]
    if deadline is None or now >= _utc(deadline):
        return Refusal.TIME_UP
    if row["finished_at"] is not None:
        return Refusal.SUBMITTED
    part, others = row["part"], row["other_answered"]
    if row["max_other_part"] > part:
        return Refusal.STEP_LOCKED
    if others < part:
        # Parts are numbered from 0, so part n needs the n earlier ones answered.
        return Refusal.EARLIER_STEP
    return None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _student(row: RowMapping) -> StudentRecord:
    return StudentRecord(
        id=row["id"],
        session_id=row["session_id"],
        name=row["name"],
        learner_id=row["learner_id"],
        seed=row["seed"],
        joined_at=row["joined_at"],
        finished_at=row["finished_at"],
    )


def _answer(row: RowMapping) -> AnswerRecord:
    return AnswerRecord(
        student_id=row["student_id"],
        question_id=row["question_id"],
        chosen=decode_chosen(row["chosen"]),
        answered_at=row["answered_at"],
    )


__all__ = [
    "AnswerOutcome",
    "AnswerRecord",
    "BlockRecord",
    "ClassItemRecord",
    "ClassRecord",
    "ExamRepository",
    "Refusal",
    "ResponseRecord",
    "StudentRecord",
]
