"""A card as a flat list of blocks: what `CardView` shows for a `CardState`, computed without any
widget.

Each block is one paragraph, option or line of the card with the CSS classes that style it, so
the card view can show a new card by updating the widgets it already has (no widget is mounted
or removed while studying, which is what made answering slow). Deck text is plain text, never
markup, so an instructor's brackets are printed as written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from textual.content import Content

from gmed_trainer.decks.model import (
    BasicCard,
    CaseCard,
    ClozeCard,
    McqCard,
    Option,
    ReverseCard,
    ReviewUnit,
)
from gmed_trainer.ui.play import OPTION_KEYS, CardState, Feedback, ordered_options

#: How the asked cloze gap looks: hidden, then filled in.
GAP_HIDDEN = "bold reverse $accent"
GAP_FILLED = "bold underline $text-success"
#: A blank line follows the block.
GAP = "-gap"


@dataclass(frozen=True)
class Block:
    """One piece of a card on screen."""

    content: Content
    #: CSS classes: the block's kind (`prompt`, `choice`, `choice-why`...) and state.
    classes: str
    #: Options: the option's id (a click on a live option picks it).
    option_id: str | None = None
    #: Where to scroll after a change: a case's open or just-answered step, its summary.
    focus: bool = False


def text_block(value: str, classes: str) -> Block:
    return Block(Content(value.strip()), classes)


def letters(ids: frozenset[str], order: Sequence[str]) -> str:
    """The display keys of `ids` in `order`, for messages such as "you chose b"."""
    keys = [OPTION_KEYS[i] for i, option_id in enumerate(order) if option_id in ids]
    return ", ".join(keys) if keys else "nothing"


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


def option_blocks(
    options: Sequence[Option],
    *,
    feedback: Feedback | None,
    selected: frozenset[str],
    select_all: bool,
) -> Iterator[Block]:
    """The options keyed a, b, c...: live rows before the answer; after it, each option's line
    (right, chosen) and its `why`."""
    for key, option in zip(OPTION_KEYS, options, strict=False):
        if feedback is None:
            tick = ("[x] " if option.id in selected else "[ ] ") if select_all else ""
            state = " -selected" if option.id in selected else ""
            yield Block(
                Content.assemble((key, "bold $text-accent"), "  ", tick, option.text),
                f"choice{state}",
                option.id,
            )
            continue
        right = option.id in feedback.correct
        chosen = option.id in feedback.chosen
        state = " -correct" if right else (" -wrong" if chosen else "")
        mark = "✓" if right else ("✗" if chosen else " ")
        notes = [n for n, on in (("correct answer", right), ("your answer", chosen)) if on]
        suffix = f"  ({', '.join(notes)})" if notes else ""
        yield Block(
            Content.assemble((key, "bold"), f" {mark} ", option.text, (suffix, "italic")),
            f"choice-line{state}",
            option.id,
        )
        yield Block(
            Content(option.why or "(no explanation given for this option)"),
            f"choice-why{state}",
            option.id,
        )


def card_blocks(state: CardState) -> list[Block]:
    """Every block of the card in `state`, top to bottom."""
    card = state.unit.card
    if isinstance(card, McqCard):
        blocks = list(_mcq(card, state))
    elif isinstance(card, CaseCard):
        blocks = list(_case(card, state))
    else:
        blocks = list(_flip(state))
    if state.revealed:
        blocks += _answer_notes(state.unit)
    return blocks


def prompt_content(state: CardState) -> Content:
    """The question side of a basic, reverse or cloze unit (a cloze's gap filled once shown)."""
    card = state.unit.card
    if isinstance(card, ClozeCard):
        return cloze_content(card, state.unit.unit, revealed=state.revealed)
    if isinstance(card, ReverseCard):
        return Content(card.prompt_and_answer(state.unit.unit)[0].strip())
    assert isinstance(card, BasicCard)
    return Content(card.front.strip())


def _flip(state: CardState) -> Iterator[Block]:
    yield Block(prompt_content(state), f"prompt {GAP}")
    if not state.revealed:
        return
    card = state.unit.card
    if isinstance(card, ReverseCard):
        answer = card.prompt_and_answer(state.unit.unit)[1]
    elif isinstance(card, BasicCard):
        answer = card.back
    else:
        return  # a cloze's answer is its filled gap
    yield Block(Content(""), f"rule {GAP}")
    yield text_block(answer, f"answer {GAP}")


def _mcq(card: McqCard, state: CardState) -> Iterator[Block]:
    if card.stem:
        yield text_block(card.stem, f"stem {GAP}")
    yield text_block(card.question, f"question {GAP}")
    if card.select_all and not state.revealed:
        yield Block(Content("Select every correct option, then press Enter."), f"hint {GAP}")
    yield from option_blocks(
        ordered_options(card.options, state.option_order),
        feedback=state.mcq_feedback,
        selected=state.selected,
        select_all=card.select_all,
    )
    if state.mcq_feedback is not None:
        yield Block(verdict(state.mcq_feedback, state.option_order), f"verdict {GAP}")
        if card.explanation:
            yield text_block(card.explanation, f"explanation {GAP}")


def _case(card: CaseCard, state: CardState) -> Iterator[Block]:
    yield Block(Content(card.title), f"case-title {GAP}")
    yield text_block(card.stem, f"stem {GAP}")
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
        locked = " -locked" if feedback is not None else ""
        steps: list[Block] = [
            Block(
                Content(f"Step {index + 1} of {total}"),
                "step-title " + ("-answered" if feedback is not None else "-open"),
                focus=index == focus,
            )
        ]
        if step.reveal:
            steps.append(text_block(step.reveal, f"reveal{locked}"))
        steps.append(text_block(step.question, f"question step-question{locked}"))
        steps += option_blocks(
            ordered_options(step.options, order),
            feedback=feedback,
            selected=state.selected if feedback is None else frozenset(),
            select_all=step.select_all,
        )
        if feedback is not None:
            steps.append(Block(verdict(feedback, order), "verdict"))
        # A blank line after each step.
        last = steps[-1]
        steps[-1] = Block(last.content, f"{last.classes} {GAP}", last.option_id, last.focus)
        yield from steps
    if state.paused and not state.revealed:
        yield Block(Content("Press Enter for the next step."), f"hint {GAP}")
    if state.revealed:
        right = sum(1 for f in state.case_feedback if f.is_correct)
        yield Block(
            Content(f"Case complete: {right} of {total} steps right first time."),
            f"summary {GAP}",
            focus=True,
        )
        if card.explanation:
            yield text_block(card.explanation, f"explanation {GAP}")


def _answer_notes(unit: ReviewUnit) -> list[Block]:
    card = unit.card
    notes: list[Block] = []
    if card.extra:
        notes.append(text_block(card.extra, f"extra {GAP}"))
    if card.source:
        notes.append(Block(Content(f"Source: {card.source}"), f"source {GAP}"))
    return notes
