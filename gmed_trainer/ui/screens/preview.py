"""Preview (`gmed preview PATH`): an instructor's deck in the study widgets, with its findings.

The file is re-checked whenever it is saved (its mtime and size are polled once a second; loading
runs in a thread so a large deck never freezes the screen). The card on screen stays put across
reloads when it still exists.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gmed_trainer.decks.loader import LoadResult, load_deck
from gmed_trainer.decks.model import Deck, ReviewUnit
from gmed_trainer.ui.play import CardPlay
from gmed_trainer.ui.screens.card_screen import CardScreen
from gmed_trainer.ui.widgets.card import CardView, card_title
from gmed_trainer.ui.widgets.findings import FindingsView, severity_name
from gmed_trainer.ui.widgets.keybar import KeyBar

#: Seconds between checks of the file for changes.
POLL_SECONDS = 1.0


#: What tells one version of a file from another: its mtime (ns) and size; None when unreadable.
Signature = tuple[int, int] | None


def file_signature(path: Path) -> Signature:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def units_with_findings(deck: Deck, lines: list[int]) -> set[tuple[str, str]]:
    """The (card id, unit) of every unit whose card's lines hold a finding."""
    cards = sorted(
        ((card.mark.line, card.id) for card in deck.cards if card.mark is not None),
        key=lambda pair: pair[0],
    )
    starts = [line for line, _ in cards]
    flagged: set[str] = set()
    for line in lines:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0:
            flagged.add(cards[index][1])
    return {(u.card_id, u.unit) for u in deck.units(include_drafts=True) if u.card_id in flagged}


class PreviewScreen(CardScreen):
    """A deck file's units on the left, the chosen one in the card view, findings below."""

    TITLE = "Preview"

    BINDINGS = [
        Binding("n", "move(1)", "Next", id="preview.next", tooltip="Next card"),
        Binding("p", "move(-1)", "Prev", id="preview.previous", tooltip="Previous card"),
        Binding("r", "restart", "Restart", id="preview.restart", tooltip="Start this card again"),
        Binding("ctrl+r", "reload", "Recheck", id="preview.reload", tooltip="Check the file now"),
        Binding("q", "app.quit", "Quit", id="preview.quit"),
    ]

    @dataclass
    class Loaded(Message):
        """A (re)load of the deck file finished."""

        result: LoadResult
        checked_at: datetime
        #: The file's signature when the load was asked for.
        signature: Signature

    def __init__(self, path: Path, *, card_id: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.wanted = card_id
        self.deck: Deck | None = None
        self.units: list[ReviewUnit] = []
        self.index = 0
        self.play: CardPlay | None = None
        #: The signature of the newest load asked for.
        self._signature: Signature = None
        #: The signature of the load on screen (None before the first).
        self.checked: Signature = None
        self.sub_title = str(path)

    def compose(self) -> ComposeResult:
        yield Static(Content(f"Preview: {self.path}"), id="preview-title")
        with Horizontal(id="preview-body"):
            yield OptionList(id="preview-units")
            with Vertical(id="preview-card"):
                yield Static("", id="preview-unit-title")
                yield CardView(id="card")
        yield FindingsView(id="findings")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#preview-units", OptionList).can_focus = False
        self.query_one(CardView).focus()
        self.set_interval(POLL_SECONDS, self.check_file)
        self.action_reload()

    def check_file(self) -> None:
        """Reload the deck if its file changed since the last load (run once a second)."""
        if file_signature(self.path) != self._signature:
            self.action_reload()

    def action_reload(self) -> None:
        self._signature = file_signature(self.path)
        self._load(self._signature)

    @work(thread=True, exclusive=True, group="preview-load")
    def _load(self, signature: Signature) -> None:
        result = load_deck(self.path)
        self.post_message(self.Loaded(result, datetime.now(), signature))

    @on(Loaded)
    async def _loaded(self, event: Loaded) -> None:
        # A thread worker cannot be stopped: a load overtaken by a newer one (the file was
        # saved again meanwhile) still reports, and must not replace the newer result.
        if event.signature != self._signature:
            return
        result = event.result
        findings = list(result.findings)
        await self.query_one(FindingsView).show(findings, event.checked_at)
        current = (
            (self.units[self.index].card_id, self.units[self.index].unit) if self.units else None
        )
        self.deck = result.deck
        self.units = list(result.deck.units(include_drafts=True)) if result.deck else []
        keys = [(u.card_id, u.unit) for u in self.units]
        if self.wanted is not None:
            ids = [u.card_id for u in self.units]
            self.index = ids.index(self.wanted) if self.wanted in ids else 0
            if self.units and self.wanted not in ids:
                self.notify(f"No card {self.wanted!r} in this deck.", severity="warning")
            self.wanted = None
        elif current in keys:
            self.index = keys.index(current)
        else:
            self.index = min(self.index, max(len(self.units) - 1, 0))
        flagged = units_with_findings(self.deck, [f.line for f in findings]) if self.deck else set()
        self._fill_list(flagged)
        errors = any(severity_name(f) == "error" for f in findings)
        if self.deck is None:
            title = f"Preview: {self.path} · cannot be loaded: see the errors below"
        else:
            state = "has errors" if errors else "valid"
            title = f"Preview: {self.path} · {self.deck.title} · {len(self.units)} units · {state}"
        self.query_one("#preview-title", Static).update(Content(title))
        # Without cards the findings are all there is to read: give them the screen.
        self.query_one("#preview-body").display = bool(self.units)
        self.query_one(FindingsView).set_class(not self.units, "-tall")
        # The card may have changed on disk, so it starts again from its question.
        self._show_unit()
        self.checked = event.signature

    def _fill_list(self, flagged: set[tuple[str, str]]) -> None:
        units = self.query_one("#preview-units", OptionList)
        units.clear_options()
        for unit in self.units:
            mark = "! " if (unit.card_id, unit.unit) in flagged else "  "
            draft = " (draft)" if unit.card.is_draft else ""
            units.add_option(Option(Content(f"{mark}{card_title(unit)}{draft}")))
        if self.units:
            units.highlighted = self.index

    def _show_unit(self) -> None:
        self.reset_card_keys()
        if not self.units:
            self.play = self.player = None
            self.query_one("#preview-unit-title", Static).update("No cards to show.")
            self.show_card()
            return
        unit = self.units[self.index]
        self.play = self.player = CardPlay(unit)
        status = " · draft" if unit.card.is_draft else ""
        self.query_one("#preview-unit-title", Static).update(
            Content(
                f"{self.index + 1} of {len(self.units)} · {card_title(unit)} · {unit.card.type}"
                f"{status}"
            )
        )
        self.query_one("#preview-units", OptionList).highlighted = self.index
        self.show_card()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "restart"):
            return bool(self.units)
        return super().check_action(action, parameters)

    def action_move(self, step: int) -> None:
        if self.units:
            self.index = (self.index + step) % len(self.units)
            self._show_unit()

    def action_restart(self) -> None:
        if self.play is not None:
            self.play.reset()
            self.reset_card_keys()
            self.show_card()

    @on(OptionList.OptionSelected, "#preview-units")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.index = event.option_index
        self._show_unit()
