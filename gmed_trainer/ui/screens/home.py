"""Home: the learner, each deck with what is due today, and the ways into studying.

A first-time user lands here: the hint line says what to press. Counts are read in a worker once
the decks are synced, and again whenever the screen comes back (after a session).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gmed_trainer.store.records import DeckCounts
from gmed_trainer.ui.app import GmedApp
from gmed_trainer.ui.widgets.keybar import KeyBar

#: The row key of the first row, which studies every deck.
ALL_DECKS = "*all*"
BAR_WIDTH = 10


def today_bar(done: int, left: int) -> Content:
    """Today's progress as a short bar and "done / total"."""
    total = done + left
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    return Content.assemble(
        ("━" * filled, "$text-success"),
        ("━" * (BAR_WIDTH - filled), "$text-muted"),
        f" {done}/{total}",
    )


def left_today(counts: DeckCounts) -> int:
    return counts.due + counts.new_today + counts.learning


def new_today_all(counts: list[DeckCounts]) -> int:
    """New cards a session on every deck would introduce today. Each deck's `new_today` is
    already cut to the learner's remaining daily limit, so the decks the limit cuts (fewer new
    today than available) tell what is left of it; the sum is capped by that."""
    total = sum(c.new_today for c in counts)
    limited = [c.new_today for c in counts if c.new > c.new_today]
    return min(total, min(limited)) if limited else total


#: Width of every column but the deck's, and every column's padding (one cell each side).
FIXED_COLUMNS = 5 + 5 + 10 + (BAR_WIDTH + 10 + 2) + 2 + 1


def shorten(title: str, room: int) -> str:
    return title if len(title) <= room else title[: room - 1].rstrip() + "…"


class HomeScreen(Screen[None]):
    """The decks and their counts; Enter studies the highlighted deck."""

    TITLE = "Home"
    AUTO_FOCUS = "#decks"

    BINDINGS = [
        Binding("s", "study_all", "Study", id="home.study-all"),
        Binding("c", "cram", "Cram", id="home.cram"),
        Binding("e", "exam", "Exam", id="home.exam"),
        Binding("t", "stats", "Stats", id="home.stats"),
        Binding("b", "browse", "Browse", id="home.browse"),
        Binding("l", "learner", "Learner", id="home.learner"),
        Binding("r", "reload", "Refresh", id="home.refresh", show=False),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    @dataclass
    class Counted(Message):
        """Deck counts read for the current learner."""

        counts: list[DeckCounts]

    app = getters.app(GmedApp)

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[DeckCounts] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="home-head")
        yield Static("Loading your decks…", id="home-hint")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck")
        table.add_column("Due", key="due")
        table.add_column("New", key="new")
        table.add_column("Learning", key="learning")
        table.add_column("Today", key="today", width=BAR_WIDTH + 10)
        self._head()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def _head(self) -> None:
        app = self.app
        learner = app.learner.name if app.learner else "…"
        day = app.today()
        self.query_one("#home-head", Static).update(
            Content.assemble(
                ("gmed trainer", "bold $text-accent"),
                " · learner ",
                (learner, "bold"),
                f" · {day:%A %d %B %Y}",
            )
        )

    def action_reload(self) -> None:
        self._head()
        self._count()

    @work(thread=True, exclusive=True, group="home-counts")
    def _count(self) -> None:
        app = self.app
        if not app.wait_ready() or app.store is None or app.learner is None:
            return
        if not self.is_current:
            # `gmed study` opens over Home: count when Home is shown (on_screen_resume), not
            # while the session is starting.
            return
        counts = app.store.deck_counts(app.learner, app.today())
        self.post_message(self.Counted(counts))

    @on(Counted)
    def _counted(self, event: Counted) -> None:
        self.counts = event.counts
        self._fill()
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.counts:
            self._fill()

    def _fill(self) -> None:
        """The table from `self.counts`, titles cut to what the width leaves them."""
        table = self.query_one("#decks", DataTable)
        # The screen's width, known from the start (the table's may still be 0); the table
        # has a margin of one cell each side.
        room = max(12, self.app.size.width - 2 - FIXED_COLUMNS)
        row = table.cursor_row
        table.clear()
        due = sum(c.due for c in self.counts)
        new = new_today_all(self.counts)
        learning = sum(c.learning for c in self.counts)
        done = sum(c.reviewed_today for c in self.counts)
        table.add_row(
            Content("All decks").stylize("bold"),
            str(due),
            str(new),
            str(learning),
            today_bar(done, due + new + learning),
            key=ALL_DECKS,
        )
        for counts in self.counts:
            table.add_row(
                shorten(counts.title, room),
                str(counts.due),
                str(counts.new_today),
                str(counts.learning),
                today_bar(counts.reviewed_today, left_today(counts)),
                key=counts.deck_id,
            )
        table.move_cursor(row=min(row, table.row_count - 1))
        self._hint(due, new, learning, done)

    def _hint(self, due: int, new: int, learning: int, done: int) -> None:
        hint = self.query_one("#home-hint", Static)
        if not self.counts:
            hint.update("No decks yet: import one with 'gmed import PATH'.")
            return
        left = due + new + learning
        if left:
            hint.update(
                Content.assemble(
                    f"{due} reviews, {new} new cards"
                    + (f" and {learning} to see again" if learning else "")
                    + " today. Press ",
                    ("s", "bold $text-accent"),
                    " to study them all, or pick a deck (↑↓) and press ",
                    ("Enter", "bold $text-accent"),
                    ". ",
                    ("?", "bold $text-accent"),
                    " lists every key.",
                )
            )
        else:
            hint.update(
                Content.assemble(
                    f"All done for today ({done} answers). Press ",
                    ("c", "bold $text-accent"),
                    " to cram a tag, or ",
                    ("t", "bold $text-accent"),
                    " for your stats.",
                )
            )

    def selected_deck(self) -> str | None:
        """The highlighted deck's id; None for the "All decks" row."""
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key in (None, ALL_DECKS) else str(key)

    @on(DataTable.RowSelected, "#decks")
    def _study_row(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        decks = () if key in (None, ALL_DECKS) else (str(key),)
        self.app.study(decks=decks)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("study_all", "cram", "stats", "browse", "exam"):
            return bool(self.counts) or None
        return True

    def action_study_all(self) -> None:
        self.app.study()

    def action_cram(self) -> None:
        self.app.choose_cram_tag(decks=tuple(filter(None, [self.selected_deck()])))

    def action_exam(self) -> None:
        self.app.open_exam(decks=tuple(filter(None, [self.selected_deck()])))

    def action_stats(self) -> None:
        self.app.open_stats()

    def action_browse(self) -> None:
        self.app.open_browser()

    def action_learner(self) -> None:
        self.app.choose_learner()
