"""After a block: the score, the time used, accuracy by tag (weakest first) and every item with
the learner's answer, the right one and every option's `why`. `m` sends the missed items into
the learner's study queue, due today."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gmed_trainer.errors import GmedError
from gmed_trainer.exam.results import BlockResult, clock_text
from gmed_trainer.ui.widgets.exam_review import ItemReview


def summary_line(result: BlockResult) -> Content:
    """Score, percentage and time used, in one line."""
    timed_out = "  (time ran out)" if result.timed_out else ""
    return Content.assemble(
        ("Score ", "bold"),
        (f"{result.score}/{result.total}", "bold $text-accent"),
        f"  {result.percent:.0f}%   time used {clock_text(result.time_used)}{timed_out}",
        f"   missed items: {len(result.missed)}",
    )


class ExamResultScreen(Screen[None]):
    """The result of a block; Escape goes back to where the block was started from."""

    BINDINGS = [
        Binding("m", "send_missed", "Missed → study", id="exam.send-missed"),
        Binding("escape,q", "close", "Close", id="exam.close"),
    ]

    def __init__(
        self,
        result: BlockResult,
        *,
        title: str,
        send_missed: Callable[[], int] | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        self.heading = title
        self.send_missed = send_missed
        self.sent = False

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble((self.heading, "bold"), "\n", summary_line(self.result)),
            id="result-summary",
        )
        table: DataTable[str] = DataTable(id="result-tags", cursor_type="row", zebra_stripes=True)
        table.add_columns("tag (weakest first)", "correct", "accuracy")
        for score in self.result.by_tag:
            table.add_row(score.tag, f"{score.correct}/{score.total}", f"{score.accuracy:.0%}")
        yield table
        with VerticalScroll(id="result-items"):
            for item in self.result.items:
                yield ItemReview(item)
        hint = "m puts the missed items in your study queue, due today." if self.send_missed else ""
        yield Static(hint, id="result-status")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send_missed":
            return bool(self.send_missed and self.result.missed and not self.sent) or None
        return True

    def action_send_missed(self) -> None:
        if self.send_missed is not None and not self.sent:
            self.sent = True
            self.refresh_bindings()
            self._send()

    @work(thread=True, exclusive=True, group="exam-send")
    def _send(self) -> None:
        assert self.send_missed is not None
        try:
            count = self.send_missed()
        except GmedError as exc:
            self.app.call_from_thread(self._sent, f"Could not send them: {exc.message}")
            return
        self.app.call_from_thread(
            self._sent, f"{count} missed item(s) are in your study queue, due today."
        )

    def _sent(self, message: str) -> None:
        self.query_one("#result-status", Static).update(message)
        self.notify(message, title="Study queue", timeout=4)

    def action_close(self) -> None:
        """Back to where the block was started from; when the app was opened for the block
        (`gmed exam`, `gmed class join`), that means leaving it."""
        from gmed_trainer.ui.screens.exam import BlockScreen
        from gmed_trainer.ui.screens.exam_class import ClassStudentScreen

        below = self.app.screen_stack[:-1]
        if all(isinstance(s, BlockScreen | ClassStudentScreen) for s in below):
            self.app.exit()
        else:
            self.app.pop_screen()
