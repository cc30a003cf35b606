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
from gmed_trainer.ui.columns import CELL_PADDING, shorten, table_width
from gmed_trainer.ui.theme import MUTED, solid_muted
from gmed_trainer.ui.widgets.keybar import KeyBar

#: The row key of the first row, which studies every deck.
ALL_DECKS = "*all*"
BAR_WIDTH = 10


def today_bar(done: int, left: int, muted: str = MUTED) -> Content:
    """Today's progress as a short bar and "done / total" (`muted`: the colour of the part
    still to do)."""
    total = done + left
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    return Content.assemble(
        ("━" * filled, "$text-success"),
        ("━" * (BAR_WIDTH - filled), muted),
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


#: The table's columns: (label, key). Every width is set from the content when the table is
#: filled, so nothing waits for DataTable's own measuring (done later, when it is idle).
COLUMNS = (("Deck", "deck"), ("Due", "due"), ("New", "new"), ("Learning", "learning"))
TODAY_COLUMN = ("Today", "today")
#: Narrowest the deck titles are cut to, however narrow the screen.
MIN_TITLE = 12


@dataclass(frozen=True)
class Row:
    """One line of the table: a deck, or all of them."""

    key: str
    title: str
    due: int
    new: int
    learning: int
    done: int

    @property
    def left(self) -> int:
        return self.due + self.new + self.learning

    def cells(self) -> tuple[str, str, str]:
        return str(self.due), str(self.new), str(self.learning)

    @property
    def today(self) -> str:
        return f" {self.done}/{self.done + self.left}"


def table_rows(counts: list[DeckCounts]) -> list[Row]:
    """ "All decks", then each deck."""
    total = Row(
        ALL_DECKS,
        "All decks",
        due=sum(c.due for c in counts),
        new=new_today_all(counts),
        learning=sum(c.learning for c in counts),
        done=sum(c.reviewed_today for c in counts),
    )
    decks = [
        Row(c.deck_id, c.title, c.due, c.new_today, c.learning, c.reviewed_today) for c in counts
    ]
    return [total, *decks]


def column_widths(rows: list[Row], width: int) -> tuple[int, ...]:
    """Each column's content width in a table `width` cells wide: the counts and the bar take
    what they need, the titles what is left (at least MIN_TITLE, at most the longest)."""
    counts = [
        max(len(label), *(len(row.cells()[i]) for row in rows))
        for i, (label, _) in enumerate(COLUMNS[1:])
    ]
    # Room for " 9999/9999" after the bar, so the column keeps its width as the day goes.
    today = max(BAR_WIDTH + 10, BAR_WIDTH + max(len(row.today) for row in rows))
    room = width - sum(counts) - today - CELL_PADDING * (len(COLUMNS) + 1)
    title = min(max(len(row.title) for row in rows), max(MIN_TITLE, room))
    return (max(len(COLUMNS[0][0]), title), *counts, today)


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
        #: The counts have been read at least once (until then the hint says "Loading").
        self.counted = False

    def compose(self) -> ComposeResult:
        yield Static("", id="home-head")
        yield Static("Loading your decks…", id="home-hint")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self._head()
        # The bars are coloured from the theme when drawn: draw them again in a new one.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._fill())

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
        self.counted = True
        self._fill()
        self.refresh_bindings()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """The table from `self.counts`, laid out for the width it has now. Until the screen has
        a size nothing is drawn: the Resize that brings it fills the table."""
        if not self.size.width or not self.counted:
            return
        table = self.query_one("#decks", DataTable)
        if not self.counts:
            table.clear(columns=True)
            self._hint(None)
            return
        rows = table_rows(self.counts)
        fallback = self.size.width - table.styles.margin.width
        widths = column_widths(rows, table_width(table, len(rows), fallback))
        cursor = table.cursor_row
        # Columns are made afresh with their final widths: DataTable never narrows a column,
        # and measures content only when idle, which a first frame may not wait for.
        table.clear(columns=True)
        for (label, key), width in zip((*COLUMNS, TODAY_COLUMN), widths, strict=True):
            table.add_column(label, key=key, width=width)
        muted = solid_muted(self.app.theme_variables)
        for row in rows:
            title = Content(shorten(row.title, widths[0]))
            if row.key == ALL_DECKS:
                title = title.stylize("bold")
            table.add_row(title, *row.cells(), today_bar(row.done, row.left, muted), key=row.key)
        table.move_cursor(row=min(cursor, table.row_count - 1))
        self._hint(rows[0])

    def _hint(self, total: Row | None) -> None:
        hint = self.query_one("#home-hint", Static)
        if total is None:
            hint.update("No decks yet: import one with 'gmed import PATH'.")
            return
        if total.left:
            learning = total.learning
            hint.update(
                Content.assemble(
                    f"{total.due} reviews, {total.new} new cards"
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
                    f"All done for today ({total.done} answers). Press ",
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
