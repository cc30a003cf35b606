"""A student's block in a class, as a UI-free state machine like `ExamBlock`.

The student moves, flags and strikes locally; every answer goes to the database through the
`StudentSeat` (the UI sends it from a worker: `choose` returns the submission, `send` stores it).
The countdown runs from the server's remaining time, measured on a monotonic clock, so a wrong
clock on the student's machine changes nothing. No feedback is ever given here: the review,
with the key, comes from the seat once the block has ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from gmed_trainer.exam.block import BlockPhase, BlockState
from gmed_trainer.exam.classroom import AnswerReceipt, ClassState, ClassStatus, StudentSeat
from gmed_trainer.exam.results import BlockResult
from gmed_trainer.store.exam_repository import Refusal


@dataclass(frozen=True, slots=True)
class Submission:
    """An answer to send: question `part` of item `index`, the options now chosen."""

    index: int
    part: int
    chosen: frozenset[str]


class ClassBlock(BlockState):
    """The running block of one student: resumes from the answers stored so far."""

    def __init__(
        self,
        seat: StudentSeat,
        state: ClassState,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if state.status is ClassStatus.LOBBY:
            raise ValueError("the block has not started yet")
        super().__init__(seat.items(state))
        self.seat = seat
        self._monotonic = monotonic
        self._answers.update(seat.answers())
        # An answered later step means the earlier ones were closed (see `BlockState`).
        for index, part in list(self._answers):
            self._locked.update((index, p) for p in range(part))
        if seat.student.finished_at is not None:
            self.phase = BlockPhase.SUBMITTED
        else:
            seat.warm_up()
        self.update(state)

    def update(self, state: ClassState) -> None:
        """Take the server's latest view of the class (the screen polls it)."""
        self.state = state
        self._synced_at = self._monotonic()
        if state.status is ClassStatus.ENDED and self.phase is BlockPhase.RUNNING:
            self.phase = BlockPhase.ENDED

    def remaining(self) -> timedelta | None:
        left = self.state.remaining
        if left is None:
            return None
        if self.is_over:
            return timedelta(0)
        return max(left - timedelta(seconds=self._monotonic() - self._synced_at), timedelta(0))

    def tick(self) -> bool:
        """Close the block locally when the countdown reaches zero (the server decides anyway:
        an answer it receives after its deadline is refused)."""
        if self.phase is BlockPhase.RUNNING and self.remaining() == timedelta(0):
            self.phase = BlockPhase.ENDED
        return self.is_over

    def choose(self, option_id: str) -> Submission | None:
        """Pick an option of the open question; the submission to send, or None."""
        ref = self._pick(option_id)
        if ref is None:
            return None
        return Submission(ref[0], ref[1], self.answer(*ref))

    def confirm(self) -> None:
        """Close the open case step and open the next one."""
        self._open_next_step()

    def send(self, submission: Submission) -> AnswerReceipt:
        """Store a submission (safe to repeat); a refusal for time closes the block."""
        receipt = self.seat.answer(submission.index, submission.part, submission.chosen)
        if not receipt.accepted and receipt.reason == Refusal.TIME_UP.value:
            if self.phase is BlockPhase.RUNNING:
                self.phase = BlockPhase.ENDED
        return receipt

    def submit(self) -> None:
        """Hand the block in: no more answers from this student."""
        if self.phase is BlockPhase.RUNNING:
            self.seat.finish()
            self.phase = BlockPhase.SUBMITTED

    def review(self) -> BlockResult:
        """The student's result with the key (raises `ClassNotEnded` before the end)."""
        return self.seat.review()
