"""The card as blocks, the card view that shows them, and the one-line progress bar."""

from __future__ import annotations

from rich.console import Console
from textual.app import App, ComposeResult
from textual.renderables.bar import Bar

from gmed_trainer.decks.model import CaseCard, McqCard
from gmed_trainer.ui.play import CardPlay
from gmed_trainer.ui.widgets.blocks import Block, card_blocks
from gmed_trainer.ui.widgets.card import CardBlock, CardView
from gmed_trainer.ui.widgets.progress import bar_content

from .decks import basic_deck, mixed_deck


def play_of(card_id: str) -> CardPlay:
    unit = next(u for u in mixed_deck().units() if u.card_id == card_id)
    return CardPlay(unit, seed="blocks")


def roles(blocks: list[Block]) -> list[str]:
    return [block.role for block in blocks]


def text(blocks: list[Block]) -> str:
    return "\n".join(block.content.plain for block in blocks)


def test_a_case_opens_step_by_step_and_locks_what_is_answered() -> None:
    play = play_of("bursitis")
    card = play.unit.card
    assert isinstance(card, CaseCard)
    first = card_blocks(play.state)
    assert roles(first)[:3] == ["case-title", "stem", "step-title open"]
    assert card.steps[1].question not in text(first)
    wrong = next(o.id for o in card.steps[0].options if not o.correct)
    play.answer_step([wrong])
    second = card_blocks(play.state)
    assert "step-title answered" in roles(second) and "step-title open" in roles(second)
    # The answered step's options show their why; the question is muted (locked).
    assert all(o.why in text(second) for o in card.steps[0].options if o.why)
    locked = next(b for b in second if b.role == "question")
    assert "muted" in locked.classes
    # Only the open step's options are live (clickable).
    live = {b.option_id for b in second if b.classes.split()[:1] == ["choice"]}
    assert live == {o.id for o in card.steps[1].options}
    for step in card.steps[1:]:
        play.answer_step([next(o.id for o in step.options if o.correct)])
    done = card_blocks(play.state)
    summary = next(b for b in done if b.role == "summary")
    assert summary.focus and "2 of 3 steps right" in summary.content.plain
    assert roles(done)[-2:] == ["explanation", "source"]


def test_an_answered_mcq_marks_the_right_and_the_chosen_option() -> None:
    play = play_of("nerve-mcq")
    card = play.unit.card
    assert isinstance(card, McqCard)
    before = card_blocks(play.state)
    assert [b.classes for b in before if b.role == "option"] == ["choice"] * 4
    play.choose(["fem"])
    after = card_blocks(play.state)
    lines = {b.option_id: b.classes for b in after if b.role == "option"}
    assert lines["sgn"] == "choice-line -correct" and lines["fem"] == "choice-line -wrong"
    assert lines["sci"] == "choice-line"
    whys = {b.option_id: b.classes for b in after if b.role == "why"}
    assert whys["sci"] == "choice-why muted" and whys["fem"] == "choice-why -wrong"
    assert "you chose" in text(after) and card.explanation is not None
    assert card.explanation in text(after)


class CardApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CardView(id="card")


async def test_the_next_card_reuses_the_widgets_on_screen() -> None:
    units = [*basic_deck().units(), *mixed_deck().units()]
    app = CardApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CardView)
        for unit in units:  # every card type once: the view grows to the biggest
            view.state = CardPlay(unit).state
            await pilot.pause()
        widgets = set(view.query(CardBlock))
        for unit in units:
            play = CardPlay(unit)
            view.state = play.state
            await pilot.pause()
            assert set(view.query(CardBlock)) == widgets, "nothing mounted or removed"
            shown = [b.content for b in view.blocks()]
            assert [b.content for b in card_blocks(play.state)] == shown
            # What is hidden is empty, so nothing stale can be read or drawn.
            assert all(not str(w.render()) for w in widgets if not w.display)


def test_the_progress_line_draws_like_textuals_bar() -> None:
    console = Console(width=30)
    for total in (1, 3, 7, 61):
        for done in range(total + 1):
            share = int(done / total * 60) / 60
            with console.capture() as captured:
                console.print(Bar(highlight_range=(0, 30 * share)), end="")
            assert bar_content(done, total, 30).plain == captured.get(), (done, total)
