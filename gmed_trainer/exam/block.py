"""A block of exam items as a UI-free state machine: what the exam screens render and drive.

Timed mode: a countdown from the clock passed in; no feedback until the block is submitted; the
learner moves back and forth, flags items, strikes options and changes answers; the block
submits itself once the time is up (checked on every action and on `tick`, which a screen calls
each second). Tutor mode: each question is locked and its feedback returned as soon as it is
answered; no countdown unless a time limit is given.

A case's steps open one after another. `confirm` locks the open step and opens the next one:
the next step's `reveal` may give an earlier answer away, so an opened step's predecessors can
no longer change (as in the sequential item sets of licensing exams). The last step, like an
mcq, stays changeable until the block is submitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from gmed_trainer.exam.items import ExamItem, ExamPart
from gmed_trainer.exam.results import BlockResult, PartRef, PartResult, score_block

Clock = Callable[[], datetime]


class BlockMode(StrEnum):
    TIMED = "timed"
    TUTOR = "tutor"


class BlockPhase(StrEnum):
    RUNNING = "running"
    #: Submitted by the learner, or by itself when the time ran out.
    SUBMITTED = "submitted"
    #: A class block whose time is up by the server's clock, before the student submitted.
    ENDED = "ended"


class BlockState:
    """What any block shows, without a clock or a key: the items, the current one, answers,
    flags, struck options and which case steps are open. `ExamBlock` (a learner on their own)
    and `ClassBlock` (a student in a class) build on it."""

    phase: BlockPhase

    def __init__(self, items: Sequence[ExamItem]) -> None:
        if not items:
            raise ValueError("a block needs at least one item")
        self.items: tuple[ExamItem, ...] = tuple(items)
        self.phase = BlockPhase.RUNNING
        self.index = 0
        self._answers: dict[PartRef, frozenset[str]] = {}
        self._locked: set[PartRef] = set()
        self._struck: dict[PartRef, frozenset[str]] = {}
        self._flagged: set[int] = set()

    @property
    def item(self) -> ExamItem:
        return self.items[self.index]

    @property
    def is_over(self) -> bool:
        return self.phase is not BlockPhase.RUNNING

    def open_part(self, index: int | None = None) -> int:
        """The step of item `index` (default: the current one) that is open for answers."""
        index = self.index if index is None else index
        item = self.items[index]
        locked = sum((index, p) in self._locked for p in range(len(item.parts)))
        return min(locked, len(item.parts) - 1)

    def visible_parts(self, index: int | None = None) -> tuple[ExamPart, ...]:
        """The parts shown for an item: a case's steps up to the open one; all once over."""
        index = self.index if index is None else index
        item = self.items[index]
        if self.is_over:
            return item.parts
        return item.parts[: self.open_part(index) + 1]

    def answer(self, index: int, part: int = 0) -> frozenset[str]:
        return self._answers.get((index, part), frozenset())

    def struck(self, index: int, part: int = 0) -> frozenset[str]:
        return self._struck.get((index, part), frozenset())

    def is_locked(self, index: int, part: int = 0) -> bool:
        return self.is_over or (index, part) in self._locked

    def is_flagged(self, index: int) -> bool:
        return index in self._flagged

    def is_answered(self, index: int) -> bool:
        """Every part of the item has an answer."""
        return all((index, p) in self._answers for p in range(len(self.items[index].parts)))

    @property
    def flagged(self) -> tuple[int, ...]:
        return tuple(sorted(self._flagged))

    @property
    def unanswered(self) -> tuple[int, ...]:
        return tuple(i for i in range(len(self.items)) if not self.is_answered(i))

    def feedback(self, index: int, part: int = 0) -> PartResult | None:
        """A question's feedback, when it may be shown; None here (subclasses decide)."""
        return None

    def remaining(self) -> timedelta | None:
        return None

    def tick(self) -> bool:
        """Check the time; True once the block is over."""
        return self.is_over

    # -- moving and marking ----------------------------------------------------------------

    def go_to(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            raise IndexError(f"no item {index} in a block of {len(self.items)}")
        self.tick()
        self.index = index

    def next(self) -> None:
        self.go_to(min(self.index + 1, len(self.items) - 1))

    def previous(self) -> None:
        self.go_to(max(self.index - 1, 0))

    def toggle_flag(self) -> None:
        """Flag the current item for review, or unflag it."""
        if self.tick():
            return
        self._flagged ^= {self.index}

    def toggle_strike(self, option_id: str) -> None:
        """Strike out an option of the open question (a reminder only: it can still be chosen)."""
        if self.tick():
            return
        ref = self._open_ref()
        if ref in self._locked:
            return
        self.items[ref[0]].parts[ref[1]].choice(option_id)
        self._struck[ref] = self.struck(*ref) ^ {option_id}

    def _open_ref(self) -> PartRef:
        return (self.index, self.open_part())

    def _pick(self, option_id: str) -> PartRef | None:
        """Record `option_id` for the open question (toggled under `select: all`); the question
        answered, or None when nothing may change."""
        if self.tick():
            return None
        ref = self._open_ref()
        if ref in self._locked:
            return None
        part = self.items[ref[0]].parts[ref[1]]
        part.choice(option_id)
        if part.select_all:
            self._answers[ref] = self.answer(*ref) ^ {option_id}
            if not self._answers[ref]:
                del self._answers[ref]
        else:
            self._answers[ref] = frozenset({option_id})
        # Choosing an option one had struck out means one changed one's mind about it.
        self._struck[ref] = self.struck(*ref) - {option_id}
        return ref

    def _open_next_step(self) -> PartRef | None:
        """Lock the open case step and open the next; the step locked, or None."""
        if self.tick():
            return None
        index, part = ref = self._open_ref()
        if ref in self._locked or ref not in self._answers:
            return None
        if part + 1 >= len(self.items[index].parts):
            return None
        self._locked.add(ref)
        return ref


class ExamBlock(BlockState):
    """One learner's pass through a sequence of items, timed or tutored.

    Actions on a submitted block (including one whose time ran out during the action) change
    nothing: `choose` and `confirm` then return None, and `phase` says why.
    """

    def __init__(
        self,
        items: Sequence[ExamItem],
        *,
        mode: BlockMode,
        clock: Clock,
        time_limit: timedelta | None = None,
    ) -> None:
        super().__init__(items)
        if any(not item.has_key for item in items):
            raise ValueError("a block's items need their answer keys")
        if mode is BlockMode.TIMED and time_limit is None:
            raise ValueError("a timed block needs a time limit")
        if time_limit is not None and time_limit <= timedelta(0):
            raise ValueError("the time limit must be positive")
        self.mode = mode
        self.time_limit = time_limit
        self._clock = clock
        self.started_at = clock()
        self.result: BlockResult | None = None

    @property
    def deadline(self) -> datetime | None:
        return None if self.time_limit is None else self.started_at + self.time_limit

    def remaining(self) -> timedelta | None:
        """Time left (never negative), or None for an untimed block."""
        deadline = self.deadline
        if deadline is None:
            return None
        if self.is_over:
            return timedelta(0)
        return max(deadline - self._clock(), timedelta(0))

    def feedback(self, index: int, part: int = 0) -> PartResult | None:
        """A question's feedback, when the mode allows it: tutor mode once the question is
        locked, either mode once the block is submitted; otherwise None."""
        if self.phase is BlockPhase.SUBMITTED:
            assert self.result is not None
            return self.result.items[index].parts[part]
        if self.mode is BlockMode.TUTOR and (index, part) in self._locked:
            return self._part_result(index, part)
        return None

    # -- actions ---------------------------------------------------------------------------

    def tick(self) -> bool:
        """Submit the block if its time is up; True when it is (now or before) submitted."""
        if self.phase is BlockPhase.RUNNING:
            deadline = self.deadline
            if deadline is not None and self._clock() >= deadline:
                self._finish(timed_out=True)
        return self.phase is BlockPhase.SUBMITTED

    def choose(self, option_id: str) -> PartResult | None:
        """Answer the open question with `option_id` (a `select: all` question toggles it).

        In tutor mode a single-answer question is locked at once and its feedback returned.
        """
        ref = self._pick(option_id)
        if ref is None:
            return None
        if self.mode is BlockMode.TUTOR and not self.items[ref[0]].parts[ref[1]].select_all:
            return self.confirm()
        return None

    def confirm(self) -> PartResult | None:
        """Lock the open question and open the next step of a case.

        Tutor mode: always, returning the feedback. Timed mode: only for a case step that has a
        next step (the last step stays changeable); returns None, since no feedback is due.
        """
        if self.mode is BlockMode.TIMED:
            self._open_next_step()
            return None
        if self.tick():
            return None
        ref = self._open_ref()
        if ref in self._locked or ref not in self._answers:
            return None
        self._locked.add(ref)
        return self._part_result(*ref)

    def submit(self) -> BlockResult:
        """End the block and score it (again after submission, the same result)."""
        self.tick()
        if self.phase is BlockPhase.RUNNING:
            self._finish(timed_out=False)
        assert self.result is not None
        return self.result

    # -- internals -------------------------------------------------------------------------

    def _part_result(self, index: int, part: int) -> PartResult:
        exam_part = self.items[index].parts[part]
        chosen = self.answer(index, part)
        assert exam_part.key is not None
        return PartResult(exam_part, chosen, bool(chosen) and exam_part.key.is_correct(chosen))

    def _finish(self, *, timed_out: bool) -> None:
        now = self._clock()
        deadline = self.deadline
        end = min(now, deadline) if deadline is not None else now
        self.phase = BlockPhase.SUBMITTED
        self.result = score_block(
            self.items,
            self._answers,
            time_used=max(end - self.started_at, timedelta(0)),
            timed_out=timed_out,
            flagged=frozenset(self._flagged),
        )
