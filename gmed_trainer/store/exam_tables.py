"""SQLModel tables for exam prep, kept apart from the SM-2 schedule (`unit_state`, `review_log`).

Two families:

* personal blocks: `exam_block` (one timed or tutor block a learner sat) and `exam_response`
  (one row per question of it: an mcq is one question, a case one per step);
* class sessions on a shared database: `class_session`, its `class_item`s (a content snapshot,
  so every student sees the same text whatever decks their machine has), `class_question` (one
  per mcq or case step), `class_student` and `class_answer` (unique per student and question, so
  a repeated submission is an upsert, never a second row).

Times that decide who may still answer (`started_at`, `deadline`, `answered_at`) come from the
database server's clock, never a student's machine.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gmed_trainer.store.types import UTCDateTime


class ExamBlock(SQLModel, table=True):
    """One block a learner sat on their own: how it was drawn and how it went."""

    __tablename__ = "exam_block"

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    #: "timed" or "tutor".
    mode: str = Field(max_length=10)
    #: "unused", "incorrect" or "all": which units the items were drawn from.
    pool: str = Field(max_length=10)
    seed: int
    #: Space-separated deck ids and tags the block was drawn from (empty: any).
    decks: str = ""
    tags: str = ""
    #: None: untimed (tutor mode without a countdown).
    time_limit_s: int | None = None
    started_at: datetime = Field(sa_type=UTCDateTime)
    submitted_at: datetime = Field(sa_type=UTCDateTime, index=True)
    time_used_ms: int
    timed_out: bool = False
    score: int
    total: int


class ExamResponse(SQLModel, table=True):
    """A learner's answer to one question of a block: chosen option ids, space-separated."""

    __tablename__ = "exam_response"
    __table_args__ = (UniqueConstraint("block_id", "position", "part", name="uq_exam_response"),)

    id: int | None = Field(default=None, primary_key=True)
    block_id: int = Field(foreign_key="exam_block.id", index=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    #: The item's place in the block, and the question within it (a case's step index; 0 for mcq).
    position: int
    part: int = 0
    chosen: str = ""
    correct: bool
    flagged: bool = False


class ClassSession(SQLModel, table=True):
    """A block an instructor runs for a whole class, joined by a short code."""

    __tablename__ = "class_session"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    title: str = Field(default="", max_length=200)
    #: Space-separated deck ids and tags the items were drawn from, for the record.
    decks: str = ""
    tags: str = ""
    minutes: int
    seed: int
    created_at: datetime = Field(sa_type=UTCDateTime)
    #: Set by `start`, from the server clock; None while the class waits in the lobby.
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Set when the instructor ends the block early (the deadline is moved to that moment too).
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClassItem(SQLModel, table=True):
    """One item of a class block, with a JSON snapshot of the card as it was at creation."""

    __tablename__ = "class_item"
    __table_args__ = (UniqueConstraint("session_id", "position", name="uq_class_item"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="class_session.id", index=True)
    position: int
    unit_id: int = Field(foreign_key="unit.id")
    content: str = Field(sa_type=Text)


class ClassQuestion(SQLModel, table=True):
    """One answerable question of a class item: the mcq itself, or one step of a case."""

    __tablename__ = "class_question"
    __table_args__ = (UniqueConstraint("item_id", "part", name="uq_class_question"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="class_session.id", index=True)
    item_id: int = Field(foreign_key="class_item.id")
    part: int = 0


class ClassStudent(SQLModel, table=True):
    """A student in a class session; joining again under the same name resumes."""

    __tablename__ = "class_student"
    __table_args__ = (UniqueConstraint("session_id", "name", name="uq_class_student"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="class_session.id", index=True)
    name: str = Field(max_length=100)
    #: The learner whose study queue receives the student's missed items.
    learner_id: int | None = Field(default=None, foreign_key="learner.id")
    #: Seeds the student's option order, so each student sees the options shuffled differently.
    seed: int
    joined_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClassAnswer(SQLModel, table=True):
    """A student's current answer to a question: at most one row, updated in place."""

    __tablename__ = "class_answer"
    __table_args__ = (UniqueConstraint("student_id", "question_id", name="uq_class_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="class_student.id", index=True)
    question_id: int = Field(foreign_key="class_question.id", index=True)
    #: Chosen option ids, sorted and space-separated.
    chosen: str
    answered_at: datetime = Field(sa_type=UTCDateTime)
