"""A card as a flat list of blocks: what `CardView` shows for a `CardState`, computed without any
widget.

Each block is one paragraph, option or line of the card, so the card view can show a new card
by updating the widgets it already has (no widget is mounted or removed while studying, which is
what made answering slow). A block's text carries its own styles (bold, colours from the theme)
and ends with a newline where a blank line follows it; its CSS classes only name the few boxes
that need padding, a border or a hover (plain text, option, option's why, revealed finding,
explanation, rule), so consecutive cards mostly reuse widgets with the classes they already
have, and changing classes (which restyles a widget) stays rare. Deck text is plain text,
never markup, so an instructor's brackets are printed as written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

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

#: Text styles of the plain blocks.
PROMPT = "bold"
QUESTION = "bold"
CASE_TITLE = "bold $text-accent"
STEP_TITLE = "bold $text-accent"
#: The widget's own colour (CSS `$text`; "$text" in a Content style is a different white).
BODY = ""
SOURCE = "italic"
HINT = "italic"
SUMMARY = "bold"

#: The boxes (CSS classes); a block of no class is plain text.
CHOICE = "choice"
CHOICE_LINE = "choice-line"
CHOICE_WHY = "choice-why"
REVEAL = "reveal"
EXPLANATION = "explanation"
RULE = "rule"
#: On an option's box: a blank line follows it (plain blocks end with a newline instead).
GAP = "-gap"
#: Muted text (extra, source, hints, locked steps, the why of options not chosen). A class, as
#: `$text-muted` in a Content style is not the colour CSS gives it.
MUTED = "muted"


@dataclass(frozen=True)
class Block:
    """One piece of a card on screen."""

    content: Content
    #: CSS classes: the box (empty for plain text) and its state (`-correct`, `-gap`...).
    classes: str = ""
    #: Options: the option's id (a click on a live option picks it).
    option_id: str | None = None
    #: Where to scroll after a change: a case's open or just-answered step, its summary.
    focus: bool = False
    #: What the block is (`prompt`, `question`, `step-title`...), for tests and scrolling.
    role: str = ""
    #: Cells at the start of the text (an option's key and mark) that wrapped lines are
    #: indented by, so an option's text lines up under itself.
    hang: int = 0


def hanging(content: Content, hang: int, width: int) -> Content:
    """`content` wrapped to `width` cells, every line after the first indented by `hang`."""
    if hang <= 0 or width - hang < 10 or content.cell_length <= width:
        return content
    head, body = content.divide([hang])[:2]
    lines = body.wrap(width - hang)
    indent = Content(" " * hang)
    return Content("\n").join([head + lines[0], *(indent + line for line in lines[1:])])


def text_block(
    value: str | Content, style: str, role: str, *, gap: bool = True, muted: bool = False
) -> Block:
    """Plain text in one style, with a blank line after it unless `gap` is False."""
    content = value if isinstance(value, Content) else Content(value.strip())
    content = content.stylize_before(style) if style else content
    return Block(content + "\n" if gap else content, MUTED if muted else "", role=role)


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
) -> list[Block]:
    """The options keyed a, b, c...: live rows before the answer; after it, each option's line
    (right, chosen) and its `why`."""
    blocks: list[Block] = []
    for key, option in zip(OPTION_KEYS, options, strict=False):
        if feedback is None:
            tick = ("[x] " if option.id in selected else "[ ] ") if select_all else ""
            state = " -selected" if option.id in selected else ""
            blocks.append(
                Block(
                    Content.assemble((key, "bold $text-accent"), "  ", tick, option.text),
                    CHOICE + state,
                    option.id,
                    role="option",
                    hang=len(key) + 2 + len(tick),
                )
            )
            continue
        right = option.id in feedback.correct
        chosen = option.id in feedback.chosen
        state = " -correct" if right else (" -wrong" if chosen else "")
        mark = "✓" if right else ("✗" if chosen else " ")
        notes = [n for n, on in (("correct answer", right), ("your answer", chosen)) if on]
        suffix = f"  ({', '.join(notes)})" if notes else ""
        line = Content.assemble((key, "bold"), f" {mark} ", option.text, (suffix, "italic"))
        colour = "bold $text-success" if right else ("bold $text-error" if chosen else "")
        blocks.append(
            Block(
                line.stylize_before(colour) if colour else line,
                CHOICE_LINE + state,
                option.id,
                role="option",
                hang=len(key) + 3,
            )
        )
        why = Content(option.why or "(no explanation given for this option)")
        blocks.append(
            Block(
                why,
                CHOICE_WHY + (state or f" {MUTED}"),
                option.id,
                role="why",
            )
        )
    return blocks


def with_gap(block: Block) -> Block:
    """`block` followed by a blank line."""
    if block.classes:
        return replace(block, classes=f"{block.classes} {GAP}")
    return replace(block, content=block.content + "\n")


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
    yield text_block(prompt_content(state), PROMPT, "prompt")
    if not state.revealed:
        return
    card = state.unit.card
    if isinstance(card, ReverseCard):
        answer = card.prompt_and_answer(state.unit.unit)[1]
    elif isinstance(card, BasicCard):
        answer = card.back
    else:
        return  # a cloze's answer is its filled gap
    yield Block(Content(""), RULE, role="rule")
    yield text_block(answer, BODY, "answer")


def _mcq(card: McqCard, state: CardState) -> Iterator[Block]:
    if card.stem:
        yield text_block(card.stem, BODY, "stem")
    yield text_block(card.question, QUESTION, "question")
    if card.select_all and not state.revealed:
        yield text_block("Select every correct option, then press Enter.", HINT, "hint", muted=True)
    yield from option_blocks(
        ordered_options(card.options, state.option_order),
        feedback=state.mcq_feedback,
        selected=state.selected,
        select_all=card.select_all,
    )
    if state.mcq_feedback is not None:
        yield text_block(verdict(state.mcq_feedback, state.option_order), "", "verdict")
        if card.explanation:
            yield Block(Content(card.explanation.strip()), EXPLANATION, role="explanation")


def _case(card: CaseCard, state: CardState) -> Iterator[Block]:
    yield text_block(Content(card.title), CASE_TITLE, "case-title")
    yield text_block(card.stem, BODY, "stem")
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
        locked = feedback is not None
        title = Content(f"Step {index + 1} of {total}")
        steps = [
            replace(
                text_block(title, STEP_TITLE, "step-title", gap=False),
                focus=index == focus,
                role="step-title answered" if locked else "step-title open",
            )
        ]
        if step.reveal:
            reveal = Content(step.reveal.strip())
            steps.append(Block(reveal, f"{REVEAL} {MUTED}" if locked else REVEAL))
        steps.append(text_block(step.question, QUESTION, "question", gap=False, muted=locked))
        steps += option_blocks(
            ordered_options(step.options, order),
            feedback=feedback,
            selected=state.selected if feedback is None else frozenset(),
            select_all=step.select_all,
        )
        if feedback is not None:
            steps.append(text_block(verdict(feedback, order), "", "verdict", gap=False))
        # A blank line after each step.
        steps[-1] = with_gap(steps[-1])
        yield from steps
    if state.revealed:
        right = sum(1 for f in state.case_feedback if f.is_correct)
        summary = f"Case complete: {right} of {total} steps right first time."
        yield replace(text_block(summary, SUMMARY, "summary"), focus=True)
        if card.explanation:
            yield Block(Content(card.explanation.strip()), EXPLANATION, role="explanation")


def _answer_notes(unit: ReviewUnit) -> list[Block]:
    card = unit.card
    notes: list[Block] = []
    if card.extra:
        notes.append(text_block(card.extra, "", "extra", muted=True))
    if card.source:
        notes.append(text_block(Content(f"Source: {card.source}"), SOURCE, "source", muted=True))
    return notes
