"""Class sessions: an instructor runs one block for a whole class on a shared database.

`ClassRoom` is the instructor's side (create, start, end, results); `StudentSeat` is the
student's, and the only thing a student's screen or command gets. A seat never hands out an
answer key, an explanation or another student's answer before the block has ended by the
server's clock: items come redacted (`ExamItem.redacted`), an answer's receipt says whether it
was stored, not whether it was right, and `review` refuses until the end.

Every student sees the same items in the same order; each student's options are shuffled with
their own seed. Start time and deadline are the database server's (see `ExamRepository`).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property

from gmed_trainer.decks.model import ReviewUnit
from gmed_trainer.errors import GmedError, UsageError
from gmed_trainer.exam import snapshot
from gmed_trainer.exam.items import ExamItem, build_item, draw_units, item_rng
from gmed_trainer.exam.results import BlockResult, PartRef, score_block
from gmed_trainer.scheduling.day import study_day
from gmed_trainer.store.exam_repository import (
    AnswerOutcome,
    ClassItemRecord,
    ClassRecord,
    ExamRepository,
    StudentRecord,
)

#: Join-code letters: digits and capitals without 0/O, 1/I/L and U, which are read aloud or
#: copied from a projector wrongly.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
MAX_MINUTES = 24 * 60
MAX_ITEMS = 200


class ClassStatus(StrEnum):
    LOBBY = "lobby"
    RUNNING = "running"
    ENDED = "ended"


class ClassNotEnded(GmedError):
    """A student asked for what is only shown after the block (answers, explanations)."""


def new_code(rng: random.Random | None = None) -> str:
    """A random join code (a secrets-based one unless a generator is given, for tests)."""
    if rng is None:
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """A code as shown and printed: two groups of three, easy to read out."""
    return f"{code[:3]}-{code[3:]}"


def normalize_code(text: str) -> str:
    """A join code as typed (any case, with or without the dash or spaces); UsageError if it
    cannot be one."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise UsageError(
            f"{text!r} is not a join code (six letters and digits, such as {format_code('K7PM2Q')})"
        )
    return code


@dataclass(frozen=True)
class ClassState:
    """A class as its server sees it right now."""

    code: str
    title: str
    status: ClassStatus
    minutes: int
    started_at: datetime | None
    deadline: datetime | None
    server_now: datetime

    @property
    def remaining(self) -> timedelta | None:
        """Time left by the server's clock while running; zero once ended; None in the lobby."""
        if self.status is ClassStatus.LOBBY or self.deadline is None:
            return None
        return max(self.deadline - self.server_now, timedelta(0))

    @property
    def display_code(self) -> str:
        return format_code(self.code)


def _state(record: ClassRecord) -> ClassState:
    if record.started_at is None:
        status = ClassStatus.LOBBY
    elif record.ended_at is not None or (
        record.deadline is not None and record.server_now >= record.deadline
    ):
        status = ClassStatus.ENDED
    else:
        status = ClassStatus.RUNNING
    return ClassState(
        code=record.code,
        title=record.title,
        status=status,
        minutes=record.minutes,
        started_at=record.started_at,
        deadline=record.deadline,
        server_now=record.server_now,
    )


def _units(items: Sequence[ClassItemRecord]) -> list[ReviewUnit]:
    try:
        return [snapshot.loads(i.content) for i in items]
    except ValueError as exc:
        raise GmedError(f"this class's items are damaged: {exc}") from exc


class ClassRoom:
    """The instructor's side of class sessions."""

    def __init__(self, repo: ExamRepository) -> None:
        self.repo = repo

    def create(
        self,
        units: Iterable[ReviewUnit],
        unit_ids: Mapping[tuple[str, str, str], int],
        *,
        count: int,
        minutes: int,
        title: str = "",
        decks: Sequence[str] = (),
        tags: Sequence[str] = (),
        seed: int | None = None,
    ) -> ClassState:
        """A class in the lobby with `count` items drawn from `units` (mcq and case units with
        an id in `unit_ids`); prints nothing, returns the state with its join code."""
        if not 1 <= count <= MAX_ITEMS:
            raise UsageError(f"--count must be from 1 to {MAX_ITEMS}, not {count}")
        if not 1 <= minutes <= MAX_MINUTES:
            raise UsageError(f"--minutes must be from 1 to {MAX_MINUTES}, not {minutes}")
        seed = secrets.randbits(31) if seed is None else seed
        drawn = draw_units((u for u in units if u.key in unit_ids), count, seed)
        if not drawn:
            raise GmedError("no mcq or case items match this selection: nothing to examine")
        items = [
            (unit_ids[u.key], snapshot.dumps(u), len(build_item(u, random.Random(0)).parts))
            for u in drawn
        ]
        for _ in range(20):
            record = self.repo.create_class(
                code=new_code(),
                title=title,
                decks=decks,
                tags=tags,
                minutes=minutes,
                seed=seed,
                items=items,
            )
            if record is not None:
                return _state(record)
        raise GmedError("could not find a free join code; try again")

    def state(self, code: str) -> ClassState:
        return _state(self.record(code))

    def start(self, code: str) -> ClassState:
        """Start the block for everyone, now by the server's clock (again: no change)."""
        record = self.record(code)
        self.repo.start_class(record.id)
        return self.state(record.code)

    def end(self, code: str) -> ClassState:
        """End the block now: later answers are refused and students may review."""
        record = self.record(code)
        self.repo.end_class(record.id)
        return self.state(record.code)

    def items(self, code: str) -> tuple[ExamItem, ...]:
        """The items with their keys, options in deck-shuffled order (for the instructor)."""
        record = self.record(code)
        units = _units(self.repo.class_items(record.id))
        return tuple(build_item(u, item_rng(record.seed, i)) for i, u in enumerate(units))

    def record(self, code: str) -> ClassRecord:
        """The stored class for a join code (as typed); GmedError when there is none."""
        normal = normalize_code(code)
        record = self.repo.find_class(normal)
        if record is None:
            raise GmedError(f"no class with code {format_code(normal)}")
        return record


@dataclass(frozen=True)
class AnswerReceipt:
    """What a student learns about a submitted answer: stored or not, never right or wrong."""

    accepted: bool
    reason: str | None = None


class StudentSeat:
    """One student in one class: the student-facing API.

    Joining again under the same name returns the same seat with its answers (a student who
    dropped out resumes); a late joiner gets whatever time is left.
    """

    def __init__(self, repo: ExamRepository, record: ClassRecord, student: StudentRecord) -> None:
        self.repo = repo
        self._class_id = record.id
        self.code = record.code
        self.student = student

    @classmethod
    def join(
        cls, repo: ExamRepository, code: str, name: str, *, learner_id: int | None = None
    ) -> StudentSeat:
        name = " ".join(name.split())
        if not name or len(name) > 100:
            raise UsageError("--name must be 1 to 100 characters")
        normal = normalize_code(code)
        record = repo.find_class(normal)
        if record is None:
            raise GmedError(f"no class with code {format_code(normal)}")
        student = repo.find_student(record.id, name)
        if student is None:
            if _state(record).status is ClassStatus.ENDED:
                raise GmedError(
                    f"class {format_code(normal)} has ended; it can no longer be joined"
                )
            student = repo.join_class(
                record.id, name, learner_id=learner_id, seed=secrets.randbits(31)
            )
        return cls(repo, record, student)

    @property
    def name(self) -> str:
        return self.student.name

    def state(self) -> ClassState:
        record = self.repo.find_class(self.code)
        if record is None:
            raise GmedError(f"class {format_code(self.code)} no longer exists")
        return _state(record)

    @cached_property
    def _records(self) -> tuple[ClassItemRecord, ...]:
        return tuple(self.repo.class_items(self._class_id))

    @cached_property
    def _full_items(self) -> tuple[ExamItem, ...]:
        units = _units(self._records)
        return tuple(build_item(u, item_rng(self.student.seed, i)) for i, u in enumerate(units))

    def items(self, state: ClassState | None = None) -> tuple[ExamItem, ...]:
        """The items in this student's option order: none in the lobby (nobody reads ahead),
        without keys while the block runs, with keys and explanations once it has ended."""
        state = state or self.state()
        if state.status is ClassStatus.LOBBY:
            return ()
        if state.status is ClassStatus.ENDED:
            return self._full_items
        return tuple(item.redacted() for item in self._full_items)

    def answers(self) -> dict[PartRef, frozenset[str]]:
        """This student's own answers so far (to resume after a reconnect)."""
        by_question = self.repo.student_answers(self.student.id)
        refs = self._question_refs()
        return {refs[q]: frozenset(c) for q, c in by_question.items() if q in refs}

    def answer(self, index: int, part: int, option_ids: Iterable[str]) -> AnswerReceipt:
        """Submit (or change) the answer to question `part` of item `index`. Repeating the same
        submission is harmless. Refused once the block has ended or the student submitted."""
        chosen = frozenset(option_ids)
        try:
            record = self._records[index]
            question_id = record.question_ids[part]
        except IndexError as exc:
            raise UsageError(f"no question {index + 1}.{part + 1} in this class") from exc
        exam_part = self._full_items[index].parts[part]
        known = {c.id for c in exam_part.choices}
        if not chosen <= known:
            raise UsageError(f"not options of question {index + 1}: {sorted(chosen - known)}")
        if not exam_part.select_all and len(chosen) != 1:
            raise UsageError(f"question {index + 1} takes exactly one option")
        # An empty answer (every option of a `select: all` question unticked) clears it.
        outcome: AnswerOutcome = self.repo.record_answer(
            self._class_id, self.student.id, question_id, chosen
        )
        return AnswerReceipt(
            outcome.accepted, None if outcome.refusal is None else outcome.refusal.value
        )

    def warm_up(self) -> None:
        """Prepare the answer path (see `ExamRepository.warm_up_answers`); answers nothing."""
        self.repo.warm_up_answers(self._class_id)

    def finish(self) -> None:
        """Submit the block: no more answers from this student."""
        self.repo.finish_student(self.student.id)

    def review(self) -> BlockResult:
        """Every item with this student's answers, the key and every `why`: after the end only."""
        state = self.state()
        if state.status is not ClassStatus.ENDED:
            raise ClassNotEnded("the answers are shown once the block has ended")
        assert state.started_at is not None and state.deadline is not None
        student = self.repo.find_student(self._class_id, self.student.name) or self.student
        began = max(state.started_at, student.joined_at)
        end = min(student.finished_at or state.deadline, state.deadline)
        return score_block(
            self._full_items,
            self.answers(),
            time_used=max(end - began, timedelta(0)),
            timed_out=student.finished_at is None,
        )

    def send_missed_to_study(self, now: datetime) -> int:
        """Put the items this student missed into their study queue, due today."""
        if self.student.learner_id is None:
            raise GmedError("this seat has no learner to send the missed items to")
        result = self.review()
        unit_ids = [self._records[i.index].unit_id for i in result.missed]
        hour = self.repo.learner_day_start(self.student.learner_id)
        today = study_day(now, day_start_hour=hour)
        return self.repo.send_to_study(self.student.learner_id, unit_ids, today)

    def _question_refs(self) -> dict[int, PartRef]:
        return {
            q: (index, part)
            for index, record in enumerate(self._records)
            for part, q in enumerate(record.question_ids)
        }
