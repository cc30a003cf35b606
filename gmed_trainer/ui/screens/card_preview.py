"""One card as it is studied, from the deck browser: answer it, see the feedback, nothing stored."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from gmed_trainer.decks.model import ReviewUnit
from gmed_trainer.ui.play import CardPlay
from gmed_trainer.ui.screens.card_screen import CardScreen
from gmed_trainer.ui.widgets.card import CardView, card_title
from gmed_trainer.ui.widgets.keybar import KeyBar


class CardPreviewScreen(CardScreen):
    """A `CardPlay` of one unit in the study widgets."""

    TITLE = "Card preview"
    AUTO_FOCUS = "CardView"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="card-preview.back"),
        Binding("r", "restart", "Start again", id="card-preview.restart"),
    ]

    def __init__(self, unit: ReviewUnit) -> None:
        super().__init__()
        self.play = CardPlay(unit)
        self.player = self.play

    def compose(self) -> ComposeResult:
        unit = self.play.unit
        yield Static(
            Content.assemble(
                ("Preview", "bold $text-accent"),
                f" · {unit.deck_id} · {card_title(unit)} · {unit.card.type} · nothing is recorded",
            ),
            classes="screen-head",
        )
        yield CardView(id="card")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_card()

    def action_restart(self) -> None:
        self.play.reset()
        self.reset_card_keys()
        self.show_card()
