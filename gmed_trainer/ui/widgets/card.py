"""The card on screen: every card type, question side and answer side, drawn from a `CardState`.

Used by study, preview and the deck browser alike. The card is a column of blocks (see
`blocks.py`), each shown by one `CardBlock`; a new state updates the blocks already mounted, in
place, and mounts more only when a card needs more than any before it. Answering and moving to
the next card therefore mounts and removes nothing, and the screen is drawn in one frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from gmed_trainer.decks.model import CaseCard, ReviewUnit
from gmed_trainer.ui.play import CardState
from gmed_trainer.ui.widgets.blocks import CHOICE, Block, card_blocks, hanging

#: What a widget kept for later cards holds.
EMPTY = Block(Content(""))


class CardBlock(Static):
    """One block of the card; a live option picks itself when clicked."""

    def __init__(self, block: Block) -> None:
        super().__init__(block.content, classes=block.classes)
        self.block = block

    @property
    def option_id(self) -> str | None:
        return self.block.option_id

    @property
    def role(self) -> str:
        return self.block.role

    def show(self, block: Block) -> None:
        """Show `block` here instead of what was shown."""
        self.block = block
        self.set_classes(block.classes)
        self.update(self._fitted())
        self.display = True

    def _fitted(self) -> Content:
        """The block's text, wrapped with a hanging indent once the width is known."""
        block = self.block
        return hanging(block.content, block.hang, self.size.width) if block.hang else block.content

    def on_resize(self) -> None:
        if self.block.hang:
            self.update(self._fitted())

    def hide(self) -> None:
        """Keep the widget for a later card, empty and out of the layout."""
        if self.display:
            self.display = False
            self.block = EMPTY
            self.update("")

    def on_click(self, event: events.Click) -> None:
        if self.option_id is not None and self.has_class(CHOICE):
            event.stop()
            self.post_message(CardView.Picked(self.option_id))


class CardView(VerticalScroll):
    """A scrollable view of one unit; set `state` to show another unit or moment."""

    DEFAULT_CSS = """
    CardView {
        height: 1fr;
        padding: 0 2;
        .reveal { border-left: thick $accent; padding-left: 1; }
        .explanation { border-left: thick $success; padding-left: 1; margin-bottom: 1; }
        .rule { height: 1; border-top: solid $primary-muted; margin-bottom: 1; }
        .choice {
            padding: 0 1;
            &:hover { background: $boost; }
            &.-selected { background: $primary-muted; }
        }
        .choice-line { padding: 0 1; }
        .choice-why { padding: 0 1 0 6; }
        .-gap { margin-bottom: 1; }
        .muted { color: $text-muted; }
    }
    """

    @dataclass
    class Picked(Message):
        """An option was clicked (keys are handled by the screen, which knows the phase)."""

        option_id: str

    state: reactive[CardState | None] = reactive(None)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.can_focus = True

    def on_mount(self) -> None:
        self._show(self.state)
        self.scroll_to_focus()

    def watch_state(self, old: CardState | None, new: CardState | None) -> None:
        if not self.is_mounted:
            return  # on_mount shows it
        self._show(new)
        if self.scroll_y or (new is not None and isinstance(new.unit.card, CaseCard)):
            self.call_after_refresh(self.scroll_to_focus)

    def _show(self, state: CardState | None) -> None:
        """Put the blocks of `state` in the widgets there are, adding widgets if needed."""
        blocks = card_blocks(state) if state is not None else []
        slots = list(self.query_children(CardBlock))
        for slot, block in zip(slots, blocks, strict=False):
            slot.show(block)
        for slot in slots[len(blocks) :]:
            slot.hide()
        if len(blocks) > len(slots):
            self.mount_all(CardBlock(block) for block in blocks[len(slots) :])

    def blocks(self) -> list[CardBlock]:
        """The blocks on screen now, top to bottom."""
        return [slot for slot in self.query_children(CardBlock) if slot.display]

    def scroll_to_focus(self) -> None:
        """Keep what just changed in view: a case's open (or just answered) step at the top,
        its summary once finished, else the top of the card. Call again after the space
        around the card changes."""
        points = [slot for slot in self.blocks() if slot.block.focus]
        if points:
            point = points[-1]
            point.scroll_visible(animate=False, top=point.role != "summary")
        elif self.scroll_y:
            # Only when scrolled: a scroll to where it already is still costs a repaint.
            self.scroll_home(animate=False)


def card_title(unit: ReviewUnit) -> str:
    """A short label for a unit: card id, and which side or gap when a card has several."""
    if unit.unit == "main":
        return unit.card_id
    return f"{unit.card_id} ({unit.unit})"
