"""A student in a class: the lobby, the block, the wait for the end, then the review.

`ClassStudentScreen` is the lobby and the waiting room: it polls the class every second and
moves on when the instructor starts (to `ClassBlockScreen`) or when the block has ended (to the
review, with every item's key and explanations). `ClassBlockScreen` is the block itself, the same
keys as a learner's own block; each answer is sent in order by one worker thread, so a slow
network never holds up the keys, and the countdown follows the server's clock.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from gmed_trainer.errors import GmedError
from gmed_trainer.exam.class_block import ClassBlock, Submission
from gmed_trainer.exam.classroom import ClassState, ClassStatus, StudentSeat
from gmed_trainer.exam.results import BlockResult, clock_text
from gmed_trainer.ui.screens.exam import BlockScreen, replace_screen

#: How often the lobby and the block ask the server how things stand (seconds).
POLL_SECONDS = 1.0


class ClassStudentScreen(Screen[None]):
    """The lobby before the start, and the wait after submitting until the block ends."""

    BINDINGS = [Binding("q", "app.quit", "Leave", id="exam.class-leave")]

    def __init__(self, seat: StudentSeat, state: ClassState) -> None:
        super().__init__()
        self.seat = seat
        self.state = state
        self._moving = False

    def compose(self) -> ComposeResult:
        with Center(id="lobby"), Vertical(id="lobby-box"):
            yield Static(self.state.display_code, id="lobby-code")
            yield Static("", id="lobby-text")
        yield Footer()

    def on_mount(self) -> None:
        self._show(self.state)
        self.set_interval(POLL_SECONDS, self._poll)

    def _show(self, state: ClassState) -> None:
        title = f"{state.title}\n" if state.title else ""
        you = f"You are {self.seat.name}."
        if state.status is ClassStatus.LOBBY:
            text = (
                f"{title}{you} Waiting for the instructor to start the block "
                f"({state.minutes} minutes once it starts)..."
            )
        elif state.status is ClassStatus.RUNNING:
            text = (
                f"{title}{you} You have submitted your answers. Your results and every "
                f"explanation appear when the block ends ({clock_text(state.remaining)} left)."
            )
        else:
            text = f"{title}The block has ended: loading your results..."
        self.query_one("#lobby-text", Static).update(text)

    def _poll(self) -> None:
        if not self._moving:
            self._check()

    @work(thread=True, exclusive=True, group="class-poll")
    def _check(self) -> None:
        try:
            state = self.seat.state()
            student = self.seat.repo.find_student(self.seat.student.session_id, self.seat.name)
            finished = student is not None and student.finished_at is not None
            if state.status is ClassStatus.RUNNING and not finished:
                block = ClassBlock(self.seat, state)
                self.app.call_from_thread(self._start_block, block)
            elif state.status is ClassStatus.ENDED:
                result = self.seat.review()
                self.app.call_from_thread(self._review, result)
            else:
                self.app.call_from_thread(self._show, state)
        except GmedError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")

    def _start_block(self, block: ClassBlock) -> None:
        if not self._moving:
            self._moving = True
            replace_screen(self.app, ClassBlockScreen(block))

    def _review(self, result: BlockResult) -> None:
        from gmed_trainer.ui.screens.exam_result import ExamResultScreen

        if self._moving:
            return
        self._moving = True
        seat = self.seat
        send: Callable[[], int] | None = None
        if seat.student.learner_id is not None:
            send = partial(seat.send_missed_to_study, datetime.now(UTC))

        title = f"Class {self.state.display_code} {self.state.title}".rstrip()
        replace_screen(self.app, ExamResultScreen(result, title=title, send_missed=send))


class ClassBlockScreen(BlockScreen):
    """The block as a student sits it; answers go to the server as they are given."""

    def __init__(self, block: ClassBlock) -> None:
        state = block.state
        title = f"Class {state.display_code} {state.title}".rstrip()
        super().__init__(block, title=f"{title} · {block.seat.name}")
        self.class_block = block
        self._outbox: queue.Queue[Submission | None] = queue.Queue()

    def on_mount(self) -> None:
        super().on_mount()
        self._send_answers()
        self.set_interval(POLL_SECONDS * 2, self._poll)

    def on_unmount(self) -> None:
        self._outbox.put(None)

    def choose(self, option_id: str) -> None:
        submission = self.class_block.choose(option_id)
        if submission is not None:
            self._outbox.put(submission)
            self.say("Saving...")
        self.show_block()

    def confirm(self) -> None:
        self.class_block.confirm()

    def submit(self) -> None:
        self._over_handled = True
        self._hand_in()

    def block_over(self) -> None:
        self.notify("Time is up: your answers are in.", title="Class", timeout=5)
        self._leave()

    @work(thread=True, exclusive=True, group="class-send")
    def _send_answers(self) -> None:
        """Send answers one after the other, in the order given (the last one counts)."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            submission = self._outbox.get()
            try:
                if submission is None:
                    return
                receipt = self.class_block.send(submission)
                message = "Saved." if receipt.accepted else f"Not saved: {receipt.reason}."
            except GmedError as exc:
                message = f"Not saved: {exc.message}"
            finally:
                self._outbox.task_done()
            if self._outbox.empty():
                self.app.call_from_thread(self.say, message)

    @work(thread=True, exclusive=True, group="class-state")
    def _poll(self) -> None:
        try:
            state = self.class_block.seat.state()
        except GmedError:
            return  # a dropped connection: the countdown goes on, the next poll retries
        self.app.call_from_thread(self.class_block.update, state)

    @work(thread=True, exclusive=True, group="class-submit")
    def _hand_in(self) -> None:
        # Answers still queued go first: the seat refuses them once the block is handed in.
        self._outbox.join()
        try:
            self.class_block.submit()
        except GmedError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self._leave)

    def _leave(self) -> None:
        replace_screen(self.app, ClassStudentScreen(self.class_block.seat, self.class_block.state))
