"""The exam block screens: a learner's timed or tutor block, and what both block screens share.

`BlockScreen` renders a `BlockState` (countdown in the header, the item navigator, the item) and
turns keys into the block's actions: a-h answer, A-H strike an option out, left/right (or p/n)
move, m marks (flags) an item for review, Enter opens a case's next step, s submits after a
confirmation. `ExamScreen` drives a learner's `ExamBlock`: tutor mode shows feedback after each
question; timed mode submits itself when the countdown reaches zero. Either way the result
screen follows.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static

from gmed_trainer.exam.block import BlockMode, BlockState, ExamBlock
from gmed_trainer.exam.items import OPTION_KEYS
from gmed_trainer.exam.results import PartResult
from gmed_trainer.exam.service import ExamSitting, PersonalExam
from gmed_trainer.ui.widgets.exam_item import Countdown, ItemNavigator, ItemView, NavCell, OptionRow


def _letter_bindings() -> list[Binding]:
    bindings = []
    for n, letter in enumerate(OPTION_KEYS):
        bindings.append(
            Binding(
                letter,
                f"choose({n})",
                "Answer",
                key_display="a-h" if n == 0 else None,
                show=n == 0,
                id=f"exam.answer-{letter}",
            )
        )
        bindings.append(
            Binding(
                letter.upper(),
                f"strike({n})",
                "Strike",
                key_display="A-H" if n == 0 else None,
                show=n == 0,
                id=f"exam.strike-{letter}",
            )
        )
    return bindings


class SubmitScreen(ModalScreen[bool]):
    """Are you sure? With what is still unanswered or flagged."""

    BINDINGS = [
        Binding("y", "answer(True)", "Submit", id="exam.submit-yes"),
        Binding("n,escape", "answer(False)", "Keep going", id="exam.submit-no"),
    ]

    def __init__(self, unanswered: int, flagged: int) -> None:
        super().__init__()
        self.unanswered = unanswered
        self.flagged = flagged

    def compose(self) -> ComposeResult:
        notes = []
        if self.unanswered:
            notes.append(f"{self.unanswered} item(s) not fully answered")
        if self.flagged:
            notes.append(f"{self.flagged} flagged for review")
        detail = "; ".join(notes) if notes else "every item has an answer"
        with Vertical(id="submit-box"):
            yield Static(f"Submit the block? ({detail}.) Answers cannot change afterwards.")
            with Horizontal(id="submit-buttons"):
                yield Button("Submit (y)", variant="warning", id="submit-yes")
                yield Button("Keep going (n)", id="submit-no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "submit-yes")


class BlockScreen(Screen[None]):
    """What both block screens share; subclasses say what answering and submitting do."""

    BINDINGS = [
        *_letter_bindings(),
        Binding("left,p", "previous", "Move", key_display="←/→", id="exam.previous"),
        Binding("right,n", "next", "Next item", show=False, id="exam.next"),
        Binding("m", "flag", "Mark", id="exam.flag"),
        Binding("enter", "confirm", "Next step", id="exam.confirm"),
        Binding("s", "submit", "Submit", id="exam.submit"),
    ]

    def __init__(self, block: BlockState, *, title: str) -> None:
        super().__init__()
        self.block = block
        self.heading = title
        self._over_handled = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="exam-top"):
            yield Static(self.heading, id="exam-title")
            yield Countdown(id="exam-clock")
        yield ItemNavigator(self.block, id="exam-nav")
        yield ItemView(self.block, id="exam-item")
        yield Static("", id="exam-status")
        yield Footer()

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(0.25, self._tick)

    # -- what subclasses decide --------------------------------------------------------------

    def choose(self, option_id: str) -> None:
        raise NotImplementedError

    def confirm(self) -> None:
        raise NotImplementedError

    def submit(self) -> None:
        raise NotImplementedError

    def block_over(self) -> None:
        """The block ended by itself (time up): show what follows."""
        raise NotImplementedError

    def can_confirm(self) -> bool:
        block = self.block
        index, part = block.index, block.open_part()
        has_next = part + 1 < len(block.item.parts)
        return has_next and bool(block.answer(index, part)) and not block.is_locked(index, part)

    # -- rendering ---------------------------------------------------------------------------

    def show_block(self) -> None:
        self.query_one(ItemNavigator).show()
        self.query_one(ItemView).show()
        self.refresh_bindings()

    def say(self, text: str) -> None:
        self.query_one("#exam-status", Static).update(text)

    def _tick(self) -> None:
        self.query_one(Countdown).show(self.block.remaining())
        if self.block.tick() and not self._over_handled:
            self._over_handled = True
            self.show_block()
            self.block_over()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.block.is_over and action not in ("previous", "next"):
            return False
        if action == "confirm":
            return self.can_confirm()
        return True

    def action_choose(self, n: int) -> None:
        choices = self.block.visible_parts()[self.block.open_part()].choices
        if n < len(choices):
            self.choose(choices[n].id)

    def action_strike(self, n: int) -> None:
        choices = self.block.visible_parts()[self.block.open_part()].choices
        if n < len(choices):
            self.block.toggle_strike(choices[n].id)
            self.show_block()

    def action_previous(self) -> None:
        self.block.previous()
        self.say("")
        self.show_block()

    def action_next(self) -> None:
        self.block.next()
        self.say("")
        self.show_block()

    def action_flag(self) -> None:
        self.block.toggle_flag()
        self.show_block()

    def action_confirm(self) -> None:
        self.confirm()
        self.show_block()

    def action_submit(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes and not self.block.is_over:
                self.submit()

        block = self.block
        self.app.push_screen(SubmitScreen(len(block.unanswered), len(block.flagged)), answered)

    @on(OptionRow.Clicked)
    def _clicked(self, event: OptionRow.Clicked) -> None:
        self.choose(event.option_id)

    @on(NavCell.Picked)
    def _picked(self, event: NavCell.Picked) -> None:
        self.block.go_to(event.index)
        self.say("")
        self.show_block()


def replace_screen(app: App[Any], screen: Screen[Any]) -> None:
    """Show `screen` in place of the current one; over the app's first screen (which cannot be
    switched away), on top of it."""
    if len(app.screen_stack) > 1:
        app.switch_screen(screen)
    else:
        app.push_screen(screen)


def verdict_text(feedback: PartResult) -> str:
    """Tutor feedback in one line: right, or what the right answer was."""
    if feedback.correct:
        return "Right. The explanations are below each option."
    letters = ", ".join(feedback.part.letter(option) for option in sorted(feedback.key.correct))
    return f"Not right: the answer is {letters}. Every option's explanation is below it."


class ExamScreen(BlockScreen):
    """A learner's own block, timed or tutored; the result screen replaces it when it ends."""

    def __init__(self, sitting: ExamSitting, exam: PersonalExam) -> None:
        block = sitting.block
        request = sitting.request
        mode = "Tutor" if block.mode is BlockMode.TUTOR else "Timed block"
        scope = ", ".join([*request.decks, *(f"#{t}" for t in request.tags)]) or "all decks"
        super().__init__(block, title=f"{mode} · {len(block.items)} items · {scope}")
        self.sitting = sitting
        self.exam = exam
        self.exam_block: ExamBlock = block

    def choose(self, option_id: str) -> None:
        feedback = self.exam_block.choose(option_id)
        if feedback is not None:
            self.say(verdict_text(feedback))
        self.show_block()

    def confirm(self) -> None:
        feedback = self.exam_block.confirm()
        if feedback is not None:
            self.say(verdict_text(feedback))

    def can_confirm(self) -> bool:
        block = self.exam_block
        if block.mode is BlockMode.TUTOR:
            ref = (block.index, block.open_part())
            return bool(block.answer(*ref)) and not block.is_locked(*ref)
        return super().can_confirm()

    def submit(self) -> None:
        self.exam_block.submit()
        self._finish()

    def block_over(self) -> None:
        self.notify("Time is up: the block was submitted.", title="Exam", timeout=5)
        self._finish()

    def _finish(self) -> None:
        self._over_handled = True
        self._record()

    @work(thread=True, exclusive=True, group="exam-record")
    def _record(self) -> None:
        self.exam.record(self.sitting)
        self.app.call_from_thread(self._show_result)

    def _show_result(self) -> None:
        from gmed_trainer.ui.screens.exam_result import ExamResultScreen

        result = self.exam_block.submit()
        exam, sitting = self.exam, self.sitting
        replace_screen(
            self.app,
            ExamResultScreen(
                result,
                title=self.heading,
                send_missed=lambda: exam.send_missed_to_study(sitting, result),
            ),
        )
