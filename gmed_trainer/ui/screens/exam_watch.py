"""The instructor's live view of a class: who has joined, answered and finished, the score per
student, and per question the percentage correct and the count per option, hardest first.
Refreshed every two seconds; `s` starts the block, `e` ends it. Students are listed by name;
ranked by score only with `--leaderboard`."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Static

from gmed_trainer.errors import GmedError
from gmed_trainer.exam.class_results import ClassResults, class_results
from gmed_trainer.exam.classroom import ClassRoom, ClassStatus
from gmed_trainer.exam.results import clock_text

REFRESH_SECONDS = 2.0


class EndClassScreen(ModalScreen[bool]):
    """End the block for everyone now?"""

    BINDINGS = [
        Binding("y", "answer(True)", "End now", id="exam.end-yes"),
        Binding("n,escape", "answer(False)", "Keep running", id="exam.end-no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="submit-box"):
            yield Static("End the block for everyone now? Later answers will be refused.")
            with Horizontal(id="submit-buttons"):
                yield Button("End now (y)", variant="warning", id="end-yes")
                yield Button("Keep running (n)", id="end-no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "end-yes")


class ClassWatchScreen(Screen[None]):
    """Live results of one class for its instructor."""

    BINDINGS = [
        Binding("s", "start", "Start block", id="exam.class-start"),
        Binding("e", "end", "End block", id="exam.class-end"),
        Binding("q", "app.quit", "Quit", id="exam.class-quit"),
    ]

    def __init__(self, room: ClassRoom, code: str, *, leaderboard: bool = False) -> None:
        super().__init__()
        self.room = room
        self.code = code
        self.leaderboard = leaderboard
        self.results: ClassResults | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading...", id="watch-summary")
        with Vertical(id="watch-tables"):
            students: DataTable[str] = DataTable(id="watch-students", zebra_stripes=True)
            if self.leaderboard:
                students.add_column("rank")
            students.add_columns("student", "answered", "score", "finished")
            yield students
            questions: DataTable[str] = DataTable(id="watch-questions", zebra_stripes=True)
            questions.add_columns("item", "% correct", "answered", "options (✓ key)", "question")
            yield questions
        yield Footer()

    def on_mount(self) -> None:
        self._load()
        self.set_interval(REFRESH_SECONDS, self._load)

    @work(thread=True, exclusive=True, group="watch-load")
    def _load(self) -> None:
        try:
            results = class_results(self.room, self.code, leaderboard=self.leaderboard)
        except GmedError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self._show, results)

    def _show(self, results: ClassResults) -> None:
        self.results = results
        state = results.state
        if state.status is ClassStatus.LOBBY:
            when = f"in the lobby ({state.minutes} min once started): press s to start"
        elif state.status is ClassStatus.RUNNING:
            when = f"running, {clock_text(state.remaining)} left"
        else:
            when = "ended"
        title = f" {state.title}" if state.title else ""
        self.query_one("#watch-summary", Static).update(
            f"Class {state.display_code}{title}: {when} · {results.joined} joined, "
            f"{results.finished} finished · {results.question_count} questions"
        )
        students = self.query_one("#watch-students", DataTable)
        students.clear()
        for s in results.students:
            row = [s.name, f"{s.answered}/{s.total}", f"{s.score} ({s.percent:.0f}%)"]
            row.append("yes" if s.finished else "")
            if self.leaderboard:
                row.insert(0, str(s.rank or ""))
            students.add_row(*row)
        questions = self.query_one("#watch-questions", DataTable)
        questions.clear()
        for q in results.questions:
            counts = " ".join(f"{o.letter}:{o.count}{'✓' if o.correct else ''}" for o in q.options)
            questions.add_row(
                q.label, f"{q.percent_correct:.0f}%", str(q.answered), counts, q.question
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.results.state.status if self.results else None
        if action == "start":
            return status is ClassStatus.LOBBY
        if action == "end":
            return status is ClassStatus.RUNNING
        return True

    def action_start(self) -> None:
        self._act("start")

    def action_end(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._act("end")

        self.app.push_screen(EndClassScreen(), answered)

    @work(thread=True, exclusive=True, group="watch-act")
    def _act(self, what: str) -> None:
        try:
            if what == "start":
                self.room.start(self.code)
            else:
                self.room.end(self.code)
        except GmedError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
        self._load()
