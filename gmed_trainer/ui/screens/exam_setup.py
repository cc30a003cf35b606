"""The way into a block from the app (Home's `e`, the palette's "Exam"): a small form for the
number of items, the minutes, the pool and tutor mode, then the block itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from gmed_trainer.errors import GmedError
from gmed_trainer.exam.block import Clock
from gmed_trainer.exam.service import (
    DEFAULT_COUNT,
    DEFAULT_MINUTES,
    ExamRequest,
    ExamSitting,
    PersonalExam,
    Pool,
)
from gmed_trainer.store.exam_repository import ExamRepository
from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store

POOL_LABELS = {
    Pool.UNUSED: "unused: items not in an earlier block",
    Pool.INCORRECT: "incorrect: items missed last time",
    Pool.ALL: "all items",
}


class ExamSetupScreen(ModalScreen[ExamRequest | None]):
    """How many items, how long, from which pool, timed or tutored."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="exam.setup-cancel")]

    def __init__(self, *, decks: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.decks = decks
        self.tags = tags

    def compose(self) -> ComposeResult:
        scope = ", ".join([*self.decks, *(f"#{t}" for t in self.tags)]) or "every deck"
        with Vertical(id="exam-setup-box"):
            yield Static(f"Exam block from {scope}", id="exam-setup-title")
            with Horizontal(classes="exam-setup-row"):
                yield Label("Items")
                yield Input(str(DEFAULT_COUNT), type="integer", id="exam-count")
            with Horizontal(classes="exam-setup-row"):
                yield Label("Minutes")
                yield Input(str(DEFAULT_MINUTES), type="integer", id="exam-minutes")
            with Horizontal(classes="exam-setup-row"):
                yield Label("Pool")
                yield Select(
                    [(label, pool.value) for pool, label in POOL_LABELS.items()],
                    value=Pool.UNUSED.value,
                    allow_blank=False,
                    id="exam-pool",
                )
            yield Checkbox("Tutor mode: feedback after each item, no countdown", id="exam-tutor")
            yield Static("", id="exam-setup-error")
            with Horizontal(id="exam-setup-buttons"):
                yield Button("Start", variant="primary", id="exam-start")
                yield Button("Cancel", id="exam-cancel")

    @on(Button.Pressed, "#exam-start")
    @on(Input.Submitted)
    def _start(self) -> None:
        try:
            count = int(self.query_one("#exam-count", Input).value or DEFAULT_COUNT)
            minutes = int(self.query_one("#exam-minutes", Input).value or DEFAULT_MINUTES)
            tutor = self.query_one("#exam-tutor", Checkbox).value
            request = ExamRequest(
                decks=self.decks,
                tags=self.tags,
                count=count,
                # Tutor mode has no countdown unless asked: only a changed figure asks.
                minutes=None if tutor and minutes == DEFAULT_MINUTES else minutes,
                pool=Pool(str(self.query_one("#exam-pool", Select).value)),
                tutor=tutor,
            )
        except (ValueError, GmedError) as exc:
            message = exc.message if isinstance(exc, GmedError) else "enter whole numbers"
            self.query_one("#exam-setup-error", Static).update(message.replace("--", ""))
            return
        self.dismiss(request)

    @on(Button.Pressed, "#exam-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def start_exam(
    app: App[Any],
    store: Store,
    learner: LearnerInfo,
    *,
    clock: Clock,
    decks: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    wait_ready: Callable[[], object] | None = None,
) -> None:
    """Ask for the block's settings, then draw it (in a worker, once the app's start-up sync
    is done: `wait_ready`) and open it."""
    exam = PersonalExam(ExamRepository(store), learner.id, clock=clock)

    def draw(request: ExamRequest) -> None:
        if wait_ready is not None:
            wait_ready()
        try:
            sitting = exam.start(request)
        except GmedError as exc:
            app.call_from_thread(app.notify, exc.message, title="Exam", severity="error")
            return
        app.call_from_thread(open_block, app, sitting, exam)

    def chosen(request: ExamRequest | None) -> None:
        if request is not None:
            app.run_worker(lambda: draw(request), thread=True, group="exam-draw")

    app.push_screen(ExamSetupScreen(decks=decks, tags=tags), chosen)


def open_block(app: App[Any], sitting: ExamSitting, exam: PersonalExam) -> None:
    from gmed_trainer.ui.screens.exam import ExamScreen

    app.push_screen(ExamScreen(sitting, exam))
