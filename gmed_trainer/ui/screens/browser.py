"""The deck browser: search units by text and tag, see a unit's state and review history,
preview its card as it is studied, and suspend or unsuspend it.

Type words to search the cards' text; `tag:NAME` (or `#NAME`) words filter by tag. Searches run
in a worker, the newest one winning. Ctrl+S (or `@` in the results, the study screen's key)
suspends the highlighted unit, or brings a suspended one back into study.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from gmed_trainer.store.records import LogEntry, UnitProgress, UnitView
from gmed_trainer.ui.app import GmedApp
from gmed_trainer.ui.columns import fit_widths, shorten, table_width
from gmed_trainer.ui.screens.card_preview import CardPreviewScreen
from gmed_trainer.ui.theme import MUTED
from gmed_trainer.ui.widgets.card import card_title
from gmed_trainer.ui.widgets.keybar import KeyBar

RESULT_LIMIT = 200
RESULT_COLUMNS = (
    ("Card", "card"),
    ("Type", "type"),
    ("Due", "due"),
    ("Ease", "ease"),
    ("Ivl", "interval"),
    ("Lapses", "lapses"),
    ("State", "state"),
)


def parse_query(query: str) -> tuple[str, tuple[str, ...]]:
    """Search words and tags: `tag:x` and `#x` words are tags, the rest is the text."""
    words: list[str] = []
    tags: list[str] = []
    for word in query.split():
        lowered = word.casefold()
        if lowered.startswith("tag:") and len(word) > 4:
            tags.append(lowered[4:])
        elif word.startswith("#") and len(word) > 1:
            tags.append(lowered[1:])
        else:
            words.append(word)
    return " ".join(words), tuple(tags)


def status_words(view: UnitView, today: date) -> list[str]:
    """What sets a unit apart from the rest of the queue: retired, new, suspended, buried..."""
    progress = view.progress
    status: list[str] = []
    if not view.active:
        status.append("retired")
    if progress is None or progress.is_new:
        status.append("new")
    if progress is not None:
        if progress.suspended:
            status.append("suspended")
        if progress.leech:
            status.append("leech")
        if progress.buried_until is not None and progress.is_buried(today):
            status.append(f"buried until {progress.buried_until:%d %b}")
    return status


def short_state(view: UnitView, today: date) -> str:
    """The results table's State cell: the words that keep a unit out of study first."""
    words = status_words(view, today)
    for word in ("retired", "suspended"):
        if word in words:
            return word
    if any(w.startswith("buried") for w in words):
        return "buried"
    return "leech" if "leech" in words else ""


def state_line(view: UnitView, today: date) -> Content:
    """A unit's scheduling state in one or two lines."""
    progress = view.progress
    status = status_words(view, today)
    if view.edited_since_review:
        status.append("edited since your last review")
    head = Content.assemble(
        (card_title(view.unit), "bold"), f" · {view.unit.deck_id} · {view.unit.card.type}"
    )
    if progress is None or progress.is_new:
        facts = "Never reviewed."
    else:
        facts = (
            f"Due {progress.due:%d %b %Y} · easiness {progress.easiness:.2f} · "
            f"interval {progress.interval} d · repetitions {progress.repetitions} · "
            f"lapses {progress.lapses}"
        )
    tags = " ".join(f"#{t}" for t in view.tags)
    return Content.assemble(
        head,
        (f"  [{', '.join(status)}]" if status else "", "$text-warning"),
        "\n",
        facts,
        ("\n" + tags if tags else "", MUTED),
    )


def result_row(view: UnitView, today: date) -> tuple[str, ...]:
    """A unit's line in the results: card, type, due, easiness, interval, lapses, state."""
    progress = view.progress
    if progress is None or progress.is_new:
        scheduled = ("new", "", "", "")
    else:
        scheduled = (
            f"{progress.due:%d %b}",
            f"{progress.easiness:.2f}",
            str(progress.interval),
            str(progress.lapses),
        )
    return (card_title(view.unit), str(view.unit.card.type), *scheduled, short_state(view, today))


def is_suspended(view: UnitView) -> bool:
    return view.progress is not None and view.progress.suspended


class BrowserScreen(Screen[None]):
    """Search box, results, and the highlighted unit's state and history."""

    TITLE = "Browse"
    AUTO_FOCUS = "#browse-search"

    BINDINGS = [
        Binding("escape", "back", "Back", id="browse.back"),
        Binding("ctrl+f,slash", "focus_search", "Search", id="browse.search"),
        Binding("ctrl+o", "preview", "Preview card", id="browse.preview"),
        # One key, two bindings: check_action shows the one that applies to the unit.
        Binding("ctrl+s,at", "suspend", "Suspend", id="browse.suspend"),
        Binding("ctrl+s,at", "unsuspend", "Unsuspend", id="browse.unsuspend"),
    ]

    app = getters.app(GmedApp)

    @dataclass
    class Found(Message):
        query: str
        views: list[UnitView]

    @dataclass
    class History(Message):
        unit_id: int
        entries: list[LogEntry]

    @dataclass
    class Suspended(Message):
        """A unit was suspended or unsuspended; `progress` is its state as stored now."""

        unit_id: int
        progress: UnitProgress | None

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.views: list[UnitView] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Browse", "bold $text-accent")), classes="screen-head")
        yield Input(
            self.initial_query,
            placeholder="Search the cards' text; tag:NAME or #NAME filters by tag",
            id="browse-search",
        )
        yield DataTable(id="browse-results", cursor_type="row", zebra_stripes=True)
        with Vertical(id="browse-detail"):
            yield Static("", id="browse-state")
            yield DataTable(id="browse-history", cursor_type="none", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        history = self.query_one("#browse-history", DataTable)
        history.add_columns("When", "Grade", "Mode", "Interval", "Easiness")
        self.search(self.initial_query)

    def _fill_results(self) -> None:
        """The results table from `self.views`, its columns fitted to the table's width (the
        card column cut to what the others leave). Made afresh: a column never narrows."""
        if not self.size.width:
            return  # the Resize that gives the screen a size fills it
        table = self.query_one("#browse-results", DataTable)
        today = self.app.today()
        rows = [result_row(view, today) for view in self.views]
        labels = [label for label, _ in RESULT_COLUMNS]
        fallback = self.size.width - table.styles.gutter.width - table.styles.margin.width
        widths = fit_widths(labels, rows, table_width(table, len(rows), fallback))
        cursor = table.cursor_row
        table.clear(columns=True)
        for (label, key), width in zip(RESULT_COLUMNS, widths, strict=True):
            table.add_column(label, key=key, width=width)
        for index, row in enumerate(rows):
            table.add_row(shorten(row[0], widths[0]), *row[1:], key=str(index))
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def on_resize(self) -> None:
        self._fill_results()

    @on(Input.Changed, "#browse-search")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#browse-search")
    def _submitted(self) -> None:
        self.query_one("#browse-results", DataTable).focus()

    @work(thread=True, exclusive=True, group="browse-search")
    def search(self, query: str) -> None:
        """Run a search; a newer search cancels this one's result."""
        app = self.app
        if not app.wait_ready() or app.store is None or app.learner is None:
            return
        text, tags = parse_query(query)
        views = app.store.search_units(app.learner.id, text=text, tags=tags, limit=RESULT_LIMIT)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(query, views))

    @on(Found)
    def _found(self, event: Found) -> None:
        self.views = event.views
        table = self.query_one("#browse-results", DataTable)
        table.move_cursor(row=0, animate=False)  # a new search starts at its first result
        self._fill_results()
        more = " (first 200 shown)" if len(self.views) >= RESULT_LIMIT else ""
        table.border_title = f"{len(self.views)} units{more}"
        self._show_detail()

    @on(DataTable.RowHighlighted, "#browse-results")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#browse-results")
    def _selected(self) -> None:
        self.action_preview()

    def current(self) -> UnitView | None:
        table = self.query_one("#browse-results", DataTable)
        if not self.views or not table.row_count:
            return None
        return self.views[min(table.cursor_row, len(self.views) - 1)]

    def _show_detail(self) -> None:
        view = self.current()
        state = self.query_one("#browse-state", Static)
        history = self.query_one("#browse-history", DataTable)
        history.clear()
        if view is None:
            state.update("No unit matches. Try fewer words, or another tag.")
            return
        state.update(state_line(view, self.app.today()))
        self._history(view.unit_id)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="browse-history")
    def _history(self, unit_id: int) -> None:
        app = self.app
        if app.store is None or app.learner is None:
            return
        entries = app.store.unit_history(app.learner.id, unit_id)
        if not get_current_worker().is_cancelled:
            self.post_message(self.History(unit_id, entries))

    @on(History)
    def _history_loaded(self, event: History) -> None:
        view = self.current()
        if view is None or view.unit_id != event.unit_id:
            return
        history = self.query_one("#browse-history", DataTable)
        history.clear()
        for entry in reversed(event.entries):
            history.add_row(
                f"{entry.reviewed_at.astimezone():%d %b %Y %H:%M}",
                str(entry.quality),
                entry.mode,
                f"{entry.interval_before} → {entry.interval_after} d",
                f"{entry.easiness_centi_before / 100:.2f} → {entry.easiness_centi_after / 100:.2f}",
            )
        if not event.entries:
            history.add_row("(no reviews yet)", "", "", "", "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.current()
        if action == "preview":
            return view is not None
        if action == "suspend":
            return view is not None and view.active and not is_suspended(view)
        if action == "unsuspend":
            return view is not None and is_suspended(view)
        return True

    def action_suspend(self) -> None:
        view = self.current()
        if view is not None and not is_suspended(view):
            self._set_suspended(view.unit_id, True)

    def action_unsuspend(self) -> None:
        view = self.current()
        if view is not None and is_suspended(view):
            self._set_suspended(view.unit_id, False)

    @work(thread=True, group="browse-suspend")
    def _set_suspended(self, unit_id: int, suspended: bool) -> None:
        app = self.app
        if app.store is None or app.learner is None:
            return
        app.store.set_suspended(app.learner.id, unit_id, suspended, app.today())
        self.post_message(self.Suspended(unit_id, app.store.progress(app.learner.id, unit_id)))

    @on(Suspended)
    def _suspended(self, event: Suspended) -> None:
        for index, view in enumerate(self.views):
            if view.unit_id == event.unit_id:
                self.views[index] = view = replace(view, progress=event.progress)
                table = self.query_one("#browse-results", DataTable)
                table.update_cell(str(index), "state", short_state(view, self.app.today()))
        current = self.current()
        if current is not None and current.unit_id == event.unit_id:
            self.query_one("#browse-state", Static).update(state_line(current, self.app.today()))
            self.refresh_bindings()
        suspended = event.progress is not None and event.progress.suspended
        self.notify(
            "Suspended: it stays out of study until you unsuspend it here."
            if suspended
            else "Unsuspended: it comes up in study again when due.",
            timeout=3,
        )

    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_preview(self) -> None:
        view = self.current()
        if view is not None:
            self.app.push_screen(CardPreviewScreen(view.unit))

    def action_back(self) -> None:
        search = self.query_one("#browse-search", Input)
        if search.has_focus and search.value:
            search.value = ""
        else:
            self.app.pop_screen()
