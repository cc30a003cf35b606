"""The widgets of an exam block: the item on screen, the item navigator and the countdown.

They render a `BlockState` (a learner's `ExamBlock` or a student's `ClassBlock`) and post
messages for clicks; the screen owns the block and decides what a click or a key does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from gmed_trainer.exam.block import BlockState
from gmed_trainer.exam.items import OPTION_KEYS, Choice, ExamPart
from gmed_trainer.exam.results import PartResult, clock_text
from gmed_trainer.ui.theme import MUTED
from gmed_trainer.ui.widgets.blocks import hanging


class OptionRow(Static):
    """One option: key, text, whether chosen or struck out and, with feedback, right or wrong."""

    DEFAULT_CSS = """
    OptionRow {
        padding: 0 1;
        &.-live:hover { background: $boost; }
        &.-chosen { background: $primary-muted; text-style: bold; }
        &.-struck { color: $text-disabled; }
        &.-correct { color: $text-success; }
        &.-wrong { color: $text-error; }
    }
    """

    @dataclass
    class Clicked(Message):
        """An option of the open question was clicked."""

        option_id: str

    def __init__(
        self,
        choice: Choice,
        letter: str,
        *,
        chosen: bool,
        struck: bool,
        select_all: bool,
        live: bool,
        feedback: PartResult | None,
    ) -> None:
        self.choice = choice
        self.live = live
        classes = ["-live"] if live else []
        if feedback is not None:
            if choice.id in feedback.key.correct:
                classes.append("-correct")
            elif chosen:
                classes.append("-wrong")
        elif chosen:
            classes.append("-chosen")
        if struck:
            classes.append("-struck")
        self.line, self.why = _option_parts(choice, letter, chosen, struck, select_all, feedback)
        super().__init__(self._laid_out(0), classes=" ".join(classes))

    def on_resize(self) -> None:
        self.update(self._laid_out(self.size.width))

    def _laid_out(self, width: int) -> Content:
        """The option wrapped to `width` cells: its text under itself, its why indented."""
        line = hanging(self.line, OPTION_HANG, width)
        if self.why is None:
            return line
        why = self.why.wrap(width - OPTION_HANG) if width > OPTION_HANG + 10 else [self.why]
        indent = Content(" " * OPTION_HANG)
        return Content("\n").join([line, *(indent + part for part in why)])

    def on_click(self, event: events.Click) -> None:
        if self.live:
            event.stop()
            self.post_message(self.Clicked(self.choice.id))


#: Cells before an option's text ("a ( ) ", "b ✓ "): wrapped lines are indented by as much.
OPTION_HANG = 6


def _option_parts(
    choice: Choice,
    letter: str,
    chosen: bool,
    struck: bool,
    select_all: bool,
    feedback: PartResult | None,
) -> tuple[Content, Content | None]:
    """The option's line, and its why once the answer is known."""
    if select_all:
        box = "[x]" if chosen else "[ ]"
    else:
        box = "(•)" if chosen else "( )"
    text = Content.styled(choice.text, "strike") if struck else Content(choice.text)
    if feedback is None:
        return Content.assemble((letter, "bold $text-accent"), f" {box} ", text), None
    right = choice.id in feedback.key.correct
    mark = "✓" if right else ("✗" if chosen else " ")
    notes = [n for n, on in (("correct answer", right), ("your answer", chosen)) if on]
    line = Content.assemble(
        (letter, "bold"),
        f" {mark}   ",
        text,
        (f"  ({', '.join(notes)})" if notes else "", "italic"),
    )
    why = feedback.key.why.get(choice.id) or "(no explanation given for this option)"
    return line, Content.styled(why, MUTED)


class PartView(VerticalGroup):
    """One question of the item: its reveal (a case step), its question and its options."""

    DEFAULT_CSS = """
    PartView {
        margin-bottom: 1;
        .part-reveal { color: $text; padding: 0 1; margin-bottom: 1; }
        .part-question { text-style: bold; padding: 0 1; }
        .part-note { color: $text-muted; padding: 0 1; }
        .part-verdict { padding: 0 1; }
        .part-verdict.-right { color: $text-success; }
        .part-verdict.-wrong { color: $text-error; }
    }
    """

    def __init__(self, block: BlockState, index: int, number: int) -> None:
        super().__init__()
        self.block = block
        self.index = index
        self.number = number

    def compose(self) -> ComposeResult:
        block, index, number = self.block, self.index, self.number
        item = block.items[index]
        part: ExamPart = item.parts[number]
        if part.reveal:
            yield Static(Content(part.reveal), classes="part-reveal")
        prefix = f"Step {number + 1} of {len(item.parts)}. " if item.is_case else ""
        yield Static(Content(prefix + part.question), classes="part-question")
        if part.select_all:
            yield Static("Choose every correct option.", classes="part-note")
        locked = block.is_locked(index, number)
        live = not locked and number == block.open_part(index) and index == block.index
        feedback = block.feedback(index, number)
        chosen = block.answer(index, number)
        struck = block.struck(index, number)
        for letter, choice in zip(OPTION_KEYS, part.choices, strict=False):
            yield OptionRow(
                choice,
                letter,
                chosen=choice.id in chosen,
                struck=choice.id in struck,
                select_all=part.select_all,
                live=live,
                feedback=feedback,
            )
        if feedback is not None:
            verdict = "Right." if feedback.correct else "Not right."
            if not feedback.answered:
                verdict = "Not answered."
            yield Static(
                verdict, classes="part-verdict " + ("-right" if feedback.correct else "-wrong")
            )
        elif locked and not block.is_over:
            yield Static("Locked: the next step is open.", classes="part-note")


class ItemView(VerticalScroll):
    """The current item of a block: a case's title and stem, then every visible question."""

    DEFAULT_CSS = """
    ItemView {
        height: 1fr;
        padding: 0 1;
        .item-title { text-style: bold; color: $text-accent; padding: 0 1; }
        .item-stem { padding: 0 1; margin-bottom: 1; }
        .item-explanation { padding: 0 1; margin-top: 1; color: $text; }
    }
    """

    def __init__(self, block: BlockState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.block = block

    def compose(self) -> ComposeResult:
        block = self.block
        item = block.item
        if item.title:
            yield Static(Content(item.title), classes="item-title")
        if item.stem:
            yield Static(Content(item.stem), classes="item-stem")
        for number in range(len(block.visible_parts())):
            yield PartView(block, block.index, number)
        if item.explanation and block.feedback(block.index, len(item.parts) - 1) is not None:
            yield Static(
                Content.assemble(("Explanation: ", "bold"), item.explanation),
                classes="item-explanation",
            )

    def show(self) -> None:
        """Render the block's current state again."""
        self.refresh(recompose=True)


class NavCell(Static):
    """An item's number in the navigator: answered, flagged, current; click to go there."""

    DEFAULT_CSS = """
    NavCell {
        width: 4;
        height: 1;
        content-align: center middle;
        color: $text-muted;
        &.-answered { color: $text; text-style: bold; }
        &.-flagged { color: $text-warning; }
        &.-current { background: $accent; color: $text; }
        &:hover { background: $boost; }
    }
    """

    @dataclass
    class Picked(Message):
        index: int

    def __init__(self, index: int) -> None:
        super().__init__(str(index + 1))
        self.index = index

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Picked(self.index))


#: Cells per item number in the navigator, and the most numbers on a row.
NAV_CELL = 4
NAV_ROW = 20


def nav_columns(items: int, width: int) -> int:
    """Numbers per row: up to NAV_ROW, as many as fit in `width` cells, rows kept even (20
    items in 78 cells make two rows of 10, not 19 and 1)."""
    fit = max(1, min(NAV_ROW, width // NAV_CELL if width else NAV_ROW))
    rows = -(-items // fit) if items else 1
    return max(1, -(-items // rows))


class ItemNavigator(Grid):
    """Every item's number in a grid of up to 20 a row (⚑ marks a flagged item)."""

    DEFAULT_CSS = """
    ItemNavigator {
        height: auto;
        grid-gutter: 0;
        grid-columns: 4;
        padding: 0 1;
    }
    """

    def __init__(self, block: BlockState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.block = block
        self.styles.grid_size_columns = nav_columns(len(block.items), 0)

    def on_resize(self) -> None:
        columns = nav_columns(len(self.block.items), self.size.width)
        if self.styles.grid_size_columns != columns:
            self.styles.grid_size_columns = columns

    def compose(self) -> ComposeResult:
        for index in range(len(self.block.items)):
            yield NavCell(index)

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        block = self.block
        for cell in self.query(NavCell):
            i = cell.index
            flag = "⚑" if block.is_flagged(i) else ""
            cell.update(f"{i + 1}{flag}")
            cell.set_class(block.is_answered(i), "-answered")
            cell.set_class(block.is_flagged(i), "-flagged")
            cell.set_class(i == block.index, "-current")


class Countdown(Static):
    """Time left, turning to a warning in the last five minutes and an error in the last one."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        padding: 0 1;
        text-style: bold;
        &.-low { color: $text-warning; }
        &.-out { color: $text-error; }
    }
    """

    def show(self, left: timedelta | None) -> None:
        self.update(f"⏱ {clock_text(left)} left" if left is not None else "untimed")
        self.set_class(left is not None and left <= timedelta(minutes=5), "-low")
        self.set_class(left is not None and left <= timedelta(minutes=1), "-out")
