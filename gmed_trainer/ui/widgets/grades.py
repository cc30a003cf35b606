"""The grade bar shown with the answer: 0-5, each with its meaning and when the unit comes back.

Keys 0-5 are bound by the study screen; the bar is for reading and for the mouse. The suggested
grade of an mcq or case is highlighted; the learner may press another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from gmed_trainer.scheduling.grades import REPEAT_BELOW, Grade
from gmed_trainer.ui.theme import MUTED

#: Marks a grade after which the unit comes back later in this session (SM-2's same-day rule).
AGAIN = "↻"


def when_next(grade: Grade, days: int | None) -> str:
    """When a unit graded `grade` is due again, in a few characters: "↻ 1 d", "6 d"."""
    again = f"{AGAIN} " if grade < REPEAT_BELOW else ""
    if days is None:
        return again.strip()
    return f"{again}{days} d" if days else f"{again}today".strip()


class GradeButton(Static):
    """One grade: its key and label, and when the unit comes back; click to grade."""

    def __init__(self, grade: Grade, days: int | None, *, suggested: bool) -> None:
        super().__init__(id=f"grade-{int(grade)}")
        self.grade = grade
        self.tooltip = grade.description
        self.show(days, suggested=suggested)

    def show(self, days: int | None, *, suggested: bool) -> None:
        """Show when the unit comes back at this grade, and whether it is the suggestion."""
        self.update(
            Content.assemble(
                (str(int(self.grade)), "bold $text-accent"),
                "  ",
                (when_next(self.grade, days), MUTED),
                "\n",
                self.grade.label,
            )
        )
        self.set_class(suggested, "-suggested")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(GradeBar.Graded(int(self.grade)))


class GradeBar(HorizontalGroup):
    """Six grade buttons in a row."""

    DEFAULT_CSS = """
    GradeBar {
        height: 4;
        padding: 0 1;
        GradeButton {
            width: 1fr;
            height: 100%;
            margin: 0 1 0 0;
            padding: 0 1;
            background: $boost;
            &:hover { background: $primary-muted; }
            &.-suggested { background: $accent-muted; text-style: bold; }
        }
    }
    """

    @dataclass
    class Graded(Message):
        """A grade button was clicked."""

        quality: int

    def __init__(
        self,
        intervals: Mapping[int, int] | None = None,
        *,
        suggested: int | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.intervals = dict(intervals) if intervals is not None else None
        self.suggested = suggested

    def set(self, intervals: Mapping[int, int] | None, *, suggested: int | None) -> None:
        """Show new intervals and a new suggestion (in place: this runs on every answer)."""
        self.intervals = dict(intervals) if intervals is not None else None
        self.suggested = suggested
        for button in self.query(GradeButton):
            button.show(self._days(button.grade), suggested=suggested == int(button.grade))

    def _days(self, grade: Grade) -> int | None:
        return self.intervals.get(int(grade)) if self.intervals is not None else None

    def compose(self) -> ComposeResult:
        for grade in Grade:
            yield GradeButton(grade, self._days(grade), suggested=self.suggested == int(grade))
