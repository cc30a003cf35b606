"""The study session: the state machine every study UI drives (docs/architecture.md).

QUESTION -> (reveal / choose / answer the last case step) -> ANSWER -> grade -> the next unit's
QUESTION, or FINISHED. Each grade is committed to the store before the next unit is shown, so
a process killed at any moment loses nothing already answered. No UI imports here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Self

from gmed_trainer.decks.model import CardType, CaseCard, McqCard, Option, ReviewUnit
from gmed_trainer.scheduling.day import due_date, study_day
from gmed_trainer.scheduling.grades import case_grade, mcq_grade, needs_repeat
from gmed_trainer.scheduling.sm2 import PASSING_QUALITY, SM2State, check_quality, review
from gmed_trainer.store.records import Answer, LearnerInfo, UnitProgress, edited_since
from gmed_trainer.store.repository import Store
from gmed_trainer.study.options import option_order
from gmed_trainer.study.queue import QueueEntry, Selection, build_queue

__all__ = [
    "OptionFeedback",
    "Phase",
    "Progress",
    "Selection",
    "StudyItem",
    "StudySession",
    "WrongPhase",
]

#: A unit graded below 4 comes back after this many other units (or at the end, if fewer).
REPEAT_GAP = 3
#: Lapses at which a unit first becomes a leech, and every how many lapses after.
LEECH_THRESHOLD = 8
LEECH_EVERY = 4
GRADES = range(0, 6)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Phase(StrEnum):
    QUESTION = "question"
    ANSWER = "answer"
    FINISHED = "finished"


class WrongPhase(RuntimeError):
    """An action that the session's phase or the unit's type does not allow (a caller's bug:
    the UI hides such actions)."""


@dataclass(frozen=True)
class StudyItem:
    """The unit on screen."""

    unit: ReviewUnit
    is_new: bool
    #: The content changed after the learner's last review.
    edited_since_review: bool
    #: A same-day repeat of a unit graded below 4 earlier today.
    is_repeat: bool
    #: mcq: option ids in display order.
    option_order: tuple[str, ...] = ()
    #: case: option ids in display order, per step.
    step_option_orders: tuple[tuple[str, ...], ...] = ()
    #: The unit's database id (for the deck browser's history, for instance).
    unit_id: int = 0
    #: The learner's state before this answer (None for a unit never seen).
    progress: UnitProgress | None = None


@dataclass(frozen=True)
class OptionFeedback:
    """After an mcq answer or a case step: what was chosen, what was right."""

    chosen: frozenset[str]
    correct: frozenset[str]
    is_correct: bool


@dataclass(frozen=True)
class Progress:
    done: int
    remaining: int
    reviewed_today: int
    seconds_per_answer: float | None


@dataclass(frozen=True)
class AnswerOutcome:
    """What the last grade did, for the UI to mention (a new leech, a suspension)."""

    unit_id: int
    quality: int
    mode: str
    #: The review-log row the answer was committed as.
    log_id: int
    #: The unit reached a leech threshold (8 lapses, then every 4 more) with this answer.
    became_leech: bool = False
    suspended: bool = False
    interval: int | None = None


@dataclass
class _Undo:
    """What puts the session and the store back as they were before an action.

    An answer changes the queue in two known ways (a repeat inserted at `repeat_at`, the next
    entry taken from the front), undone in reverse without copying the queue; suspend and bury
    keep a copy of the whole queue (`queue`) since they remove every entry of the unit."""

    unit_id: int
    log_id: int | None
    previous: UnitProgress | None
    entry: QueueEntry
    done: int
    reviewed_today: int
    seconds: int
    repeat_at: int | None = None
    queue: list[QueueEntry] | None = None


class StudySession:
    """One sitting of study for a learner and a selection (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        learner: LearnerInfo,
        selection: Selection,
        entries: Iterable[QueueEntry],
        *,
        units: dict[int, ReviewUnit],
        reviewed_today: int,
        day: date,
        clock: Clock = utc_now,
        tz: tzinfo | None = None,
        seed: int | str | None = None,
    ) -> None:
        self.store = store
        self.learner = learner
        self.selection = selection
        self.day = day
        self.clock = clock
        self.tz = tz
        self.seed = str(secrets.randbits(64) if seed is None else seed)
        self._units = units
        self._queue: list[QueueEntry] = list(entries)
        self._entry: QueueEntry | None = None
        self._undo: list[_Undo] = []
        self._done = 0
        self._reviewed_today = reviewed_today
        self._seconds: list[float] = []
        self._shown_at = clock()
        self.phase = Phase.FINISHED
        self.current: StudyItem | None = None
        self.suggested_grade: int | None = None
        self.case_step = 0
        self.case_feedback: tuple[OptionFeedback, ...] = ()
        self.mcq_feedback: OptionFeedback | None = None
        self.last_outcome: AnswerOutcome | None = None
        self._advance()

    @classmethod
    def start(
        cls,
        store: Store,
        learner: LearnerInfo,
        selection: Selection | None = None,
        *,
        clock: Clock = utc_now,
        tz: tzinfo | None = None,
        seed: int | str | None = None,
    ) -> Self:
        """Build today's queue for `learner` and `selection` and show its first unit."""
        selection = selection or Selection()
        day = study_day(clock(), day_start_hour=learner.day_starts_at, tz=tz)
        queue = build_queue(store, learner, selection, day)
        units = store.review_units(entry.unit_id for entry in queue.entries)
        return cls(
            store,
            learner,
            selection,
            (entry for entry in queue.entries if entry.unit_id in units),
            units=units,
            reviewed_today=queue.reviewed_today,
            day=day,
            clock=clock,
            tz=tz,
            seed=seed,
        )

    # ------------------------------------------------------------------------------ reading

    @property
    def progress(self) -> Progress:
        return Progress(
            done=self._done,
            remaining=len(self._queue) + (1 if self._entry is not None else 0),
            reviewed_today=self._reviewed_today,
            seconds_per_answer=(sum(self._seconds) / len(self._seconds)) if self._seconds else None,
        )

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def is_cram(self) -> bool:
        return self.selection.cram

    def next_intervals(self) -> dict[int, int]:
        """Grade -> days until the unit is due once it leaves today's session.

        A review follows SM-2; a same-day repeat or a cram answer leaves the schedule as it is
        (grades below 4 bring the unit back today: 0 days)."""
        entry = self._require_entry()
        progress = entry.progress
        if self._mode(entry) == "review":
            state = progress.sm2 if progress is not None else SM2State()
            return {q: review(state, q).interval for q in GRADES}
        until_due = 0
        if progress is not None and not progress.is_new:
            until_due = max(0, (progress.due - self.day).days)
        return {q: 0 if needs_repeat(q) else until_due for q in GRADES}

    # ------------------------------------------------------------------------------ answering

    def reveal(self) -> None:
        """Basic, reverse and cloze units: show the answer."""
        item = self._require_phase(Phase.QUESTION)
        if item.unit.card.type in (CardType.MCQ, CardType.CASE):
            raise WrongPhase(f"a {item.unit.card.type} unit is answered with choices, not revealed")
        self.phase = Phase.ANSWER

    def choose(self, option_ids: Iterable[str]) -> OptionFeedback:
        """Multiple choice: answer with the chosen option(s); the answer is then shown with a
        suggested grade of 4 (right) or 1 (wrong)."""
        item = self._require_phase(Phase.QUESTION)
        card = item.unit.card
        if not isinstance(card, McqCard):
            raise WrongPhase("choose() answers multiple-choice units only")
        feedback = _feedback(card.options, card.correct_ids, option_ids)
        self.mcq_feedback = feedback
        self.suggested_grade = mcq_grade(feedback.is_correct)
        self.phase = Phase.ANSWER
        return feedback

    def answer_step(self, option_ids: Iterable[str]) -> OptionFeedback:
        """Case vignette: answer the open step. After the last step the answer is shown with a
        suggested grade (4 all right, 3 at least half right, else 1)."""
        item = self._require_phase(Phase.QUESTION)
        card = item.unit.card
        if not isinstance(card, CaseCard):
            raise WrongPhase("answer_step() answers case units only")
        step = card.steps[self.case_step]
        feedback = _feedback(step.options, step.correct_ids, option_ids)
        self.case_feedback = (*self.case_feedback, feedback)
        self.case_step += 1
        if self.case_step == len(card.steps):
            self.suggested_grade = case_grade([f.is_correct for f in self.case_feedback])
            self.phase = Phase.ANSWER
        return feedback

    def grade(self, quality: int | None = None) -> None:
        """Grade the shown answer (None takes the suggested grade), commit it, and move on."""
        self._require_phase(Phase.ANSWER)
        entry = self._require_entry()
        if quality is None:
            if self.suggested_grade is None:
                raise WrongPhase("this unit has no suggested grade: pass a grade from 0 to 5")
            quality = self.suggested_grade
        quality = check_quality(quality)
        now = self.clock()
        day = study_day(now, day_start_hour=self.learner.day_starts_at, tz=self.tz)
        mode = self._mode(entry)
        before = entry.progress
        after = self._after(before, quality, now, day) if mode == "review" else None
        seconds = max(0.0, (now - self._shown_at).total_seconds())
        log_id = self.store.commit_answer(
            Answer(
                learner_id=self.learner.id,
                unit_id=entry.unit_id,
                reviewed_at=now,
                study_day=day,
                quality=quality,
                mode=mode,
                before=before,
                after=after,
                response_ms=round(seconds * 1000),
            )
        )
        record = self._snapshot(entry, log_id)
        self._undo.append(record)
        self._done += 1
        self._reviewed_today += 1
        self._seconds.append(seconds)
        latest = after if after is not None else before
        lapses_before = before.lapses if before is not None else 0
        self.last_outcome = AnswerOutcome(
            unit_id=entry.unit_id,
            quality=quality,
            mode=mode,
            log_id=log_id,
            became_leech=bool(
                after and after.lapses != lapses_before and is_leech_lapse(after.lapses)
            ),
            suspended=bool(after and after.suspended and not (before and before.suspended)),
            interval=after.interval if after is not None else None,
        )
        if needs_repeat(quality) and not (latest is not None and latest.suspended):
            position = min(REPEAT_GAP, len(self._queue))
            self._queue.insert(position, entry.with_progress(latest, is_repeat=True))
            record.repeat_at = position
        self._entry = None
        self._advance()

    def _after(
        self, before: UnitProgress | None, quality: int, now: datetime, day: date
    ) -> UnitProgress:
        """The unit's state after a scheduled review: SM-2, lapses and leeches."""
        start = before or UnitProgress(due=day)
        state = review(start.sm2, quality)
        lapsed = quality < PASSING_QUALITY and not start.is_new
        lapses = start.lapses + (1 if lapsed else 0)
        leech_now = lapsed and is_leech_lapse(lapses)
        return start.with_sm2(
            state,
            due=due_date(day, state.interval),
            lapses=lapses,
            last_review=now,
            leech=start.leech or leech_now,
            suspended=start.suspended or (leech_now and self.learner.suspend_leeches),
            buried_until=None,
        )

    # ---------------------------------------------------------------------- undo, suspend, bury

    def undo(self) -> bool:
        """Take back the last answer (or suspend/bury): the store's state and log are restored
        exactly and the unit is shown again. False when there is nothing to undo."""
        if not self._undo:
            return False
        record = self._undo.pop()
        self.store.undo_answer(self.learner.id, record.unit_id, record.log_id, record.previous)
        if record.queue is not None:
            self._queue = record.queue
        else:
            if self._entry is not None:
                self._queue.insert(0, self._entry)
            if record.repeat_at is not None:
                del self._queue[record.repeat_at]
        self._done = record.done
        self._reviewed_today = record.reviewed_today
        del self._seconds[record.seconds :]
        self.last_outcome = None
        self._show(record.entry)
        return True

    def suspend(self) -> None:
        """Suspend the current unit (it is not studied until unsuspended) and move on."""
        self._set_aside(lambda progress: replace(progress, suspended=True))

    def bury(self) -> None:
        """Put the current unit aside until tomorrow and move on."""
        tomorrow = self.day + timedelta(days=1)
        self._set_aside(lambda progress: replace(progress, buried_until=tomorrow))

    def _set_aside(self, change: Callable[[UnitProgress], UnitProgress]) -> None:
        entry = self._require_entry()
        previous = entry.progress
        self.store.set_progress(
            self.learner.id, entry.unit_id, change(previous or UnitProgress(due=self.day))
        )
        record = self._snapshot(entry, None)
        record.queue = list(self._queue)
        self._undo.append(record)
        self._queue = [e for e in self._queue if e.unit_id != entry.unit_id]
        self._entry = None
        self._advance()

    # ------------------------------------------------------------------------------ internals

    def _mode(self, entry: QueueEntry) -> str:
        if self.selection.cram:
            return "cram"
        return "repeat" if entry.is_repeat else "review"

    def _snapshot(self, entry: QueueEntry, log_id: int | None) -> _Undo:
        return _Undo(
            unit_id=entry.unit_id,
            log_id=log_id,
            previous=entry.progress,
            entry=entry,
            done=self._done,
            reviewed_today=self._reviewed_today,
            seconds=len(self._seconds),
        )

    def _advance(self) -> None:
        if not self._queue:
            self._entry = None
            self.current = None
            self.phase = Phase.FINISHED
            self._reset_answer()
            return
        self._show(self._queue.pop(0))

    def _show(self, entry: QueueEntry) -> None:
        self._entry = entry
        self._reset_answer()
        unit = self._units[entry.unit_id]
        self.current = StudyItem(
            unit=unit,
            unit_id=entry.unit_id,
            is_new=entry.candidate.is_new,
            edited_since_review=edited_since(entry.candidate.content_changed_at, entry.progress),
            is_repeat=entry.is_repeat,
            option_order=self._mcq_order(unit),
            step_option_orders=self._step_orders(unit),
            progress=entry.progress,
        )
        self.phase = Phase.QUESTION
        self._shown_at = self.clock()

    def _reset_answer(self) -> None:
        self.suggested_grade = None
        self.case_step = 0
        self.case_feedback = ()
        self.mcq_feedback = None

    def _mcq_order(self, unit: ReviewUnit) -> tuple[str, ...]:
        card = unit.card
        if not isinstance(card, McqCard):
            return ()
        return option_order(card.options, seed=self._seed_for(unit), shuffle=card.shuffle)

    def _step_orders(self, unit: ReviewUnit) -> tuple[tuple[str, ...], ...]:
        card = unit.card
        if not isinstance(card, CaseCard):
            return ()
        return tuple(
            option_order(step.options, seed=f"{self._seed_for(unit)}:{step.id}")
            for step in card.steps
        )

    def _seed_for(self, unit: ReviewUnit) -> str:
        deck_id, card_id, name = unit.key
        return f"{self.seed}:{deck_id}:{card_id}:{name}"

    def _require_entry(self) -> QueueEntry:
        if self._entry is None:
            raise WrongPhase("the session is finished: there is no current unit")
        return self._entry

    def _require_phase(self, phase: Phase) -> StudyItem:
        if self.phase is not phase or self.current is None:
            raise WrongPhase(f"not allowed while the session is at {self.phase.value}")
        return self.current


def is_leech_lapse(lapses: int) -> bool:
    """Whether reaching `lapses` lapses flags a leech: at 8, then every 4 more (12, 16, ...)."""
    return lapses >= LEECH_THRESHOLD and (lapses - LEECH_THRESHOLD) % LEECH_EVERY == 0


def _feedback(
    options: tuple[Option, ...], correct: frozenset[str], option_ids: Iterable[str]
) -> OptionFeedback:
    chosen = frozenset(option_ids)
    known = {o.id for o in options}
    unknown = chosen - known
    if unknown:
        raise ValueError(f"no such option: {', '.join(sorted(unknown))}")
    if not chosen:
        raise ValueError("choose at least one option")
    return OptionFeedback(chosen=chosen, correct=correct, is_correct=chosen == correct)
