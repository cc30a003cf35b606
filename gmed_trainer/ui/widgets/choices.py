"""The options of a multiple-choice question or case step, keyed a-h, clickable.

Before the answer the rows are live (a key or a click picks one); after it every row shows whether
it was right, whether the learner chose it, and its `why`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from gmed_trainer.decks.model import Option
from gmed_trainer.ui.play import OPTION_KEYS, Feedback


class ChoiceRow(Static):
    """An option waiting for the answer: its key and text, one widget (a question is drawn on
    every new card, so it is kept light); click to pick it."""

    DEFAULT_CSS = """
    ChoiceRow {
        padding: 0 1;
        &:hover { background: $boost; }
        &.-selected { background: $primary-muted; }
    }
    """

    def __init__(self, option: Option, key: str, *, selected: bool, select_all: bool) -> None:
        tick = ("[x] " if selected else "[ ] ") if select_all else ""
        super().__init__(
            Content.assemble((key, "bold $text-accent"), "  ", tick, option.text),
            classes="-selected" if selected else "",
            id=f"choice-{key}",
        )
        self.option = option
        self.key = key

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(ChoiceList.Picked(self.option.id))


class AnsweredChoice(VerticalGroup):
    """An option once answered: whether it was right, whether the learner chose it, its why."""

    DEFAULT_CSS = """
    AnsweredChoice {
        padding: 0 1;
        .choice-line { width: 1fr; }
        .choice-why { padding-left: 5; color: $text-muted; }
        &.-correct .choice-line { color: $text-success; text-style: bold; }
        &.-wrong .choice-line { color: $text-error; text-style: bold; }
        &.-correct .choice-why, &.-wrong .choice-why { color: $text; }
    }
    """

    def __init__(self, option: Option, key: str, *, feedback: Feedback) -> None:
        right = option.id in feedback.correct
        chosen = option.id in feedback.chosen
        classes = "-correct" if right else ("-wrong" if chosen else "")
        super().__init__(classes=classes, id=f"choice-{key}")
        self.option = option
        self.key = key
        self.right = right
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        mark = "✓" if self.right else ("✗" if self.chosen else " ")
        notes = [
            n for n, on in (("correct answer", self.right), ("your answer", self.chosen)) if on
        ]
        suffix = f"  ({', '.join(notes)})" if notes else ""
        yield Static(
            Content.assemble((self.key, "bold"), f" {mark} ", self.option.text, (suffix, "italic")),
            classes="choice-line",
        )
        yield Static(
            Content(self.option.why or "(no explanation given for this option)"),
            classes="choice-why",
        )


class ChoiceList(VerticalGroup):
    """The options of one question, in display order, keyed a, b, c..."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; margin: 1 0 0 0; }
    """

    @dataclass
    class Picked(Message):
        """An option was clicked (keys are handled by the screen, which knows the phase)."""

        option_id: str

    def __init__(
        self,
        options: Sequence[Option],
        *,
        feedback: Feedback | None = None,
        selected: frozenset[str] = frozenset(),
        select_all: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)[: len(OPTION_KEYS)]
        self.feedback = feedback
        self.selected = selected
        self.select_all = select_all

    def compose(self) -> ComposeResult:
        for key, option in zip(OPTION_KEYS, self.options, strict=False):
            if self.feedback is not None:
                yield AnsweredChoice(option, key, feedback=self.feedback)
            else:
                yield ChoiceRow(
                    option, key, selected=option.id in self.selected, select_all=self.select_all
                )


def letters(ids: frozenset[str], order: Sequence[str]) -> str:
    """The display keys of `ids` in `order`, for messages such as "you chose b"."""
    keys = [OPTION_KEYS[i] for i, option_id in enumerate(order) if option_id in ids]
    return ", ".join(keys) if keys else "nothing"
