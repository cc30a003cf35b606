"""What a card widget shows, and an in-memory play of one unit for preview and the deck browser.

`CardState` is the card widgets' only input: the study screen builds it from the `StudySession`,
the preview and the browser from a `CardPlay`, so an instructor sees a card exactly as a learner
does. `CardPlay` follows the session's rules (reveal, choose, answer a case step by step) but
stores nothing and can be restarted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from gmed_trainer.decks.model import CaseCard, McqCard, Option, ReviewUnit, Step
from gmed_trainer.scheduling.grades import case_grade, mcq_grade
from gmed_trainer.study.options import option_order

#: Keys that pick an option; never the grade keys 0-5.
OPTION_KEYS = "abcdefgh"


class Feedback(Protocol):
    """The result of one mcq answer or case step (the session's `OptionFeedback` is one)."""

    @property
    def chosen(self) -> frozenset[str]: ...

    @property
    def correct(self) -> frozenset[str]: ...

    @property
    def is_correct(self) -> bool: ...


@dataclass(frozen=True)
class Answered:
    """A `Feedback` computed in memory."""

    chosen: frozenset[str]
    correct: frozenset[str]
    is_correct: bool


@dataclass(frozen=True)
class CardState:
    """Everything a card widget needs to draw one unit at one moment of its study."""

    unit: ReviewUnit
    #: The answer side is shown (basic, reverse and cloze revealed; mcq answered; case finished).
    revealed: bool = False
    #: mcq: option ids in display order.
    option_order: tuple[str, ...] = ()
    #: case: per step, option ids in display order.
    step_option_orders: tuple[tuple[str, ...], ...] = ()
    #: mcq: the answer once given.
    mcq_feedback: Feedback | None = None
    #: case: the index of the open step (== number of steps once all are answered).
    case_step: int = 0
    #: case: one result per answered step.
    case_feedback: tuple[Feedback, ...] = ()
    #: Options ticked but not yet submitted, for "select all that apply" questions.
    selected: frozenset[str] = field(default_factory=frozenset)
    #: case: a step was just answered; its feedback stays in view until the learner goes on.
    paused: bool = False


def ordered_options(options: Sequence[Option], order: Sequence[str]) -> list[Option]:
    """`options` in the display `order` (ids missing from `order` keep their deck order, last)."""
    by_id = {o.id: o for o in options}
    shown = [by_id[i] for i in order if i in by_id]
    return shown + [o for o in options if o.id not in set(order)]


def current_step(unit: ReviewUnit, case_step: int) -> Step | None:
    """The open step of a case unit, or None when it is not a case or every step is answered."""
    card = unit.card
    if isinstance(card, CaseCard) and case_step < len(card.steps):
        return card.steps[case_step]
    return None


def check_answer(options: Sequence[Option], chosen: Iterable[str]) -> Answered:
    """Grade one answer: right when the chosen ids are exactly the correct ones."""
    picked = frozenset(chosen)
    correct = frozenset(o.id for o in options if o.correct)
    return Answered(chosen=picked, correct=correct, is_correct=picked == correct)


class CardPlay:
    """One review unit studied in memory: the same steps as a study session, nothing stored."""

    def __init__(self, unit: ReviewUnit, *, seed: str = "preview") -> None:
        self.unit = unit
        card = unit.card
        key = f"{seed}:{unit.deck_id}:{unit.card_id}"
        self.option_order: tuple[str, ...] = (
            option_order(card.options, shuffle=card.shuffle, seed=key)
            if isinstance(card, McqCard)
            else ()
        )
        self.step_option_orders: tuple[tuple[str, ...], ...] = (
            tuple(option_order(step.options, seed=f"{key}:{step.id}") for step in card.steps)
            if isinstance(card, CaseCard)
            else ()
        )
        self.reset()

    def reset(self) -> None:
        """Back to the question, as if the unit were just shown."""
        self.revealed = False
        self.mcq_feedback: Answered | None = None
        self.case_step = 0
        self.case_feedback: tuple[Answered, ...] = ()

    @property
    def state(self) -> CardState:
        return CardState(
            unit=self.unit,
            revealed=self.revealed,
            option_order=self.option_order,
            step_option_orders=self.step_option_orders,
            mcq_feedback=self.mcq_feedback,
            case_step=self.case_step,
            case_feedback=self.case_feedback,
        )

    @property
    def suggested_grade(self) -> int | None:
        """What the session would suggest for an answered mcq or finished case."""
        if not self.revealed:
            return None
        if self.mcq_feedback is not None:
            return mcq_grade(self.mcq_feedback.is_correct)
        if self.case_feedback:
            return case_grade([f.is_correct for f in self.case_feedback])
        return None

    def reveal(self) -> None:
        """Show the answer of a basic, reverse or cloze unit."""
        if isinstance(self.unit.card, McqCard | CaseCard):
            raise ValueError("an mcq or a case is revealed by answering it")
        self.revealed = True

    def choose(self, option_ids: Iterable[str]) -> Answered:
        """Answer an mcq; the answer side is then shown."""
        card = self.unit.card
        if not isinstance(card, McqCard) or self.revealed:
            raise ValueError("no multiple-choice question is waiting for an answer")
        self.mcq_feedback = check_answer(card.options, option_ids)
        self.revealed = True
        return self.mcq_feedback

    def answer_step(self, option_ids: Iterable[str]) -> Answered:
        """Answer the open step of a case and open the next; after the last, show the answer."""
        step = current_step(self.unit, self.case_step)
        if step is None:
            raise ValueError("no case step is waiting for an answer")
        result = check_answer(step.options, option_ids)
        self.case_feedback = (*self.case_feedback, result)
        self.case_step += 1
        if current_step(self.unit, self.case_step) is None:
            self.revealed = True
        return result
