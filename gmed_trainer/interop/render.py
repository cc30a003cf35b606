"""Cards as plain prompt/answer text, shared by the exporters."""

from __future__ import annotations

import html

from gmed_trainer.decks.model import (
    BasicCard,
    CaseCard,
    ClozeCard,
    McqCard,
    Option,
    ReverseCard,
    ReviewUnit,
)


def option_lines(options: tuple[Option, ...]) -> list[str]:
    """Options lettered a, b, c... in deck order."""
    return [f"{chr(ord('a') + i)}) {o.text}" for i, o in enumerate(options)]


def prompt_and_answer(unit: ReviewUnit) -> tuple[str, str]:
    """What a unit asks and what answers it, as plain text (for CSV and flashcard exports)."""
    card = unit.card
    if isinstance(card, ReverseCard):
        return card.prompt_and_answer(unit.unit)
    if isinstance(card, BasicCard):
        return card.front, card.back
    if isinstance(card, ClozeCard):
        question = "".join(text for _, text in card.render(unit.unit, revealed=False))
        answer = "".join(text for _, text in card.render(unit.unit, revealed=True))
        return question, answer
    if isinstance(card, McqCard):
        question = "\n".join(filter(None, [card.stem, card.question, *option_lines(card.options)]))
        answer = "; ".join(o.text for o in card.options if o.correct)
        return question, answer
    if isinstance(card, CaseCard):
        parts = [card.title, card.stem]
        answers = []
        for number, step in enumerate(card.steps, start=1):
            parts += [step.reveal or "", f"{number}. {step.question}", *option_lines(step.options)]
            answers.append(f"{number}. " + "; ".join(o.text for o in step.options if o.correct))
        return "\n".join(p for p in parts if p), "\n".join(answers)
    raise TypeError(f"unknown card type {type(card).__name__}")


def to_html(text: str | None) -> str:
    """Plain deck text as safe HTML: escaped, line breaks kept."""
    if not text:
        return ""
    return html.escape(text).replace("\n", "<br>")
