"""The card on screen: every card type, question side and answer side, drawn from a `CardState`.

Used by study, preview and the deck browser alike. Deck text is shown as plain text, never as
markup, so an instructor's brackets are printed as written.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalGroup, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Rule, Static

from gmed_trainer.decks.model import (
    BasicCard,
    CaseCard,
    ClozeCard,
    McqCard,
    ReverseCard,
    ReviewUnit,
    Step,
)
from gmed_trainer.ui.play import CardState, Feedback, ordered_options
from gmed_trainer.ui.widgets.choices import ChoiceList, letters

#: How the asked cloze gap looks: hidden, then filled in.
GAP_HIDDEN = "bold reverse $accent"
GAP_FILLED = "bold underline $text-success"


def _text(value: str, classes: str) -> Static:
    return Static(Content(value.strip()), classes=classes)


def verdict(feedback: Feedback, order: tuple[str, ...]) -> Content:
    """One line: right or wrong, with the keys chosen and the keys that were right."""
    if feedback.is_correct:
        return Content.assemble(
            ("✓ Correct", "bold $text-success"), f": {letters(feedback.chosen, order)}."
        )
    return Content.assemble(
        ("✗ Not quite", "bold $text-error"),
        f": you chose {letters(feedback.chosen, order)}; "
        f"the answer is {letters(feedback.correct, order)}.",
    )


def cloze_content(card: ClozeCard, unit: str, *, revealed: bool) -> Content:
    """The cloze text with the asked gap highlighted, hidden or filled in."""
    parts: list[str | tuple[str, str]] = []
    for kind, text in card.render(unit, revealed=revealed):
        if kind == "gap":
            parts.append(
                (f" {text} " if not revealed else text, GAP_FILLED if revealed else GAP_HIDDEN)
            )
        else:
            parts.append(text)
    return Content.assemble(*parts)


class StepView(VerticalGroup):
    """One step of a case: what it reveals, its question, its options and, once answered, the
    feedback. Answered steps stay on screen, locked."""

    def __init__(
        self,
        step: Step,
        number: int,
        total: int,
        *,
        order: tuple[str, ...],
        feedback: Feedback | None,
        selected: frozenset[str],
    ) -> None:
        classes = "step -answered" if feedback is not None else "step -open"
        super().__init__(classes=classes, id=f"step-{number}")
        self.step = step
        self.number = number
        self.total = total
        self.order = order
        self.feedback = feedback
        self.selected = selected

    def compose(self) -> ComposeResult:
        yield Static(f"Step {self.number} of {self.total}", classes="step-title")
        if self.step.reveal:
            yield _text(self.step.reveal, "reveal")
        yield _text(self.step.question, "question")
        yield ChoiceList(
            ordered_options(self.step.options, self.order),
            feedback=self.feedback,
            selected=self.selected,
            select_all=self.step.select_all,
        )
        if self.feedback is not None:
            yield Static(verdict(self.feedback, self.order), classes="verdict")


class CardView(VerticalScroll):
    """A scrollable view of one unit; set `state` to redraw it."""

    DEFAULT_CSS = """
    CardView {
        height: 1fr;
        padding: 0 2;
        & > * { margin-bottom: 1; }
        .prompt, .question { text-style: bold; }
        .stem, .reveal { color: $text; }
        .reveal { border-left: thick $accent; padding-left: 1; }
        .case-title { text-style: bold; color: $text-accent; }
        .answer { color: $text; }
        .extra { color: $text-muted; }
        .source { color: $text-muted; text-style: italic; }
        .explanation { border-left: thick $success; padding-left: 1; }
        .summary { text-style: bold; }
        .hint { color: $text-muted; text-style: italic; }
        .step-title { color: $text-accent; text-style: bold; }
        Rule { margin: 0; color: $primary-muted; }
        StepView { margin-bottom: 1; }
        StepView.-answered .question, StepView.-answered .reveal { color: $text-muted; }
        StepView > * { margin-bottom: 0; }
        StepView .verdict { margin-top: 0; }
    }
    """

    state: reactive[CardState | None] = reactive(None)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.can_focus = True

    def compose(self) -> ComposeResult:
        state = self.state
        if state is None:
            return
        card = state.unit.card
        if isinstance(card, ReverseCard | BasicCard | ClozeCard):
            yield Static(self._prompt(state), classes="prompt", id="card-prompt")
            if state.revealed:
                yield from self._flip_answer(state)
        elif isinstance(card, McqCard):
            yield from self._mcq(card, state)
        elif isinstance(card, CaseCard):
            yield from self._case(card, state)
        if state.revealed:
            yield from self._answer_notes(state.unit)

    def on_mount(self) -> None:
        self.scroll_to_focus()

    def watch_state(self, old: CardState | None, new: CardState | None) -> None:
        if self._reveal_in_place(old, new):
            return
        self.refresh(recompose=True)
        if self.scroll_y or (new is not None and isinstance(new.unit.card, CaseCard)):
            self.call_after_refresh(self.scroll_to_focus)

    def _reveal_in_place(self, old: CardState | None, new: CardState | None) -> bool:
        """Show the answer of a basic, reverse or cloze unit by adding to what is on screen
        (no recompose: revealing is the most frequent change while studying)."""
        if old is None or new is None or old.unit is not new.unit:
            return False
        if not isinstance(new.unit.card, ReverseCard | BasicCard | ClozeCard):
            return False
        if old.revealed or not new.revealed:
            return False
        self.query_one("#card-prompt", Static).update(self._prompt(new))
        self.mount_all([*self._flip_answer(new), *self._answer_notes(new.unit)])
        return True

    def _prompt(self, state: CardState) -> Content:
        card = state.unit.card
        if isinstance(card, ClozeCard):
            return cloze_content(card, state.unit.unit, revealed=state.revealed)
        if isinstance(card, ReverseCard):
            return Content(card.prompt_and_answer(state.unit.unit)[0].strip())
        assert isinstance(card, BasicCard)
        return Content(card.front.strip())

    def _flip_answer(self, state: CardState) -> list[Widget]:
        card = state.unit.card
        if isinstance(card, ReverseCard):
            answer = card.prompt_and_answer(state.unit.unit)[1]
        elif isinstance(card, BasicCard):
            answer = card.back
        else:
            return []  # a cloze's answer is its filled gap
        return [Rule(), _text(answer, "answer")]

    def scroll_to_focus(self) -> None:
        """Keep what just changed in view: a case's open (or just answered) step at the top,
        its summary once finished, else the top of the card. Call again after the space
        around the card changes."""
        points = self.query(".focus-point")
        if points:
            point = points.last()
            point.scroll_visible(animate=False, top=not point.has_class("summary"))
        elif self.scroll_y:
            # Only when scrolled: a scroll to where it already is still costs a repaint.
            self.scroll_home(animate=False)

    def _mcq(self, card: McqCard, state: CardState) -> ComposeResult:
        if card.stem:
            yield _text(card.stem, "stem")
        yield _text(card.question, "question")
        if card.select_all and not state.revealed:
            yield Static("Select every correct option, then press Enter.", classes="hint")
        yield ChoiceList(
            ordered_options(card.options, state.option_order),
            feedback=state.mcq_feedback,
            selected=state.selected,
            select_all=card.select_all,
            id="mcq-choices",
        )
        if state.mcq_feedback is not None:
            yield Static(verdict(state.mcq_feedback, state.option_order), classes="verdict")
            if card.explanation:
                yield _text(card.explanation, "explanation")

    def _case(self, card: CaseCard, state: CardState) -> ComposeResult:
        yield Static(Content(card.title), classes="case-title")
        yield _text(card.stem, "stem")
        total = len(card.steps)
        answered = len(state.case_feedback)
        # While paused (or at the end) the step just answered stays in focus with its feedback;
        # otherwise the open step is shown below the answered ones.
        holding = state.paused or state.revealed
        shown = answered if holding else min(answered + 1, total)
        # Nothing answered yet: the stem stays in view above the first step.
        focus = shown - 1 if answered and not state.revealed else -1
        for index, step in enumerate(card.steps[:shown]):
            feedback = state.case_feedback[index] if index < answered else None
            order = state.step_option_orders[index] if index < len(state.step_option_orders) else ()
            view = StepView(
                step,
                index + 1,
                total,
                order=order,
                feedback=feedback,
                selected=state.selected if feedback is None else frozenset(),
            )
            if index == focus:
                view.add_class("focus-point")
            yield view
        if state.paused and not state.revealed:
            yield Static("Press Enter for the next step.", classes="hint")
        if state.revealed:
            right = sum(1 for f in state.case_feedback if f.is_correct)
            yield Static(
                f"Case complete: {right} of {total} steps right first time.",
                classes="summary focus-point",
            )
            if card.explanation:
                yield _text(card.explanation, "explanation")

    def _answer_notes(self, unit: ReviewUnit) -> list[Widget]:
        card = unit.card
        notes: list[Widget] = []
        if card.extra:
            notes.append(_text(card.extra, "extra"))
        if card.source:
            notes.append(Static(Content(f"Source: {card.source}"), classes="source"))
        return notes


def card_title(unit: ReviewUnit) -> str:
    """A short label for a unit: card id, and which side or gap when a card has several."""
    if unit.unit == "main":
        return unit.card_id
    return f"{unit.card_id} ({unit.unit})"
