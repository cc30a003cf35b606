"""Stats: today's reviews and accuracy, the 30-day forecast, the 12-week calendar, retention on
mature units, accuracy by tag (weakest first) and the leech list. Read in a worker."""

from __future__ import annotations

from dataclasses import dataclass

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gmed_trainer.store.records import Stats
from gmed_trainer.ui.app import GmedApp
from gmed_trainer.ui.widgets.card import card_title
from gmed_trainer.ui.widgets.keybar import KeyBar
from gmed_trainer.ui.widgets.plots import CalendarPlot, ForecastPlot


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


class StatsScreen(Screen[None]):
    """The learner's figures; Esc goes back."""

    TITLE = "Stats"
    AUTO_FOCUS = "#stats-body"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="stats.back"),
        Binding("r", "reload", "Refresh", id="stats.refresh"),
    ]

    app = getters.app(GmedApp)

    @dataclass
    class Loaded(Message):
        stats: Stats

    def compose(self) -> ComposeResult:
        yield Static("Stats", id="stats-head")
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-today")
            yield ForecastPlot(id="forecast")
            yield CalendarPlot(id="calendar")
            yield Static("Accuracy by tag, weakest first", classes="section")
            yield DataTable(id="tags", cursor_type="none", zebra_stripes=True)
            yield Static("Leeches", classes="section")
            yield DataTable(id="leeches", cursor_type="none", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        tags = self.query_one("#tags", DataTable)
        tags.add_columns("Tag", "Answers", "Correct", "Accuracy")
        leeches = self.query_one("#leeches", DataTable)
        leeches.add_columns("Deck", "Card", "Lapses", "Suspended")
        self.action_reload()

    @work(thread=True, exclusive=True, group="stats")
    def action_reload(self) -> None:
        app = self.app
        if not app.wait_ready() or app.store is None or app.learner is None:
            return
        self.post_message(self.Loaded(app.store.stats(app.learner, app.today())))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        stats = event.stats
        self.query_one("#stats-head", Static).update(
            Content.assemble(
                ("Stats", "bold $text-accent"),
                f" · {stats.learner.name} · {stats.today:%A %d %B %Y}",
            )
        )
        retention = (
            f"{percent(stats.retention)} of {stats.mature_answers} answers on mature units "
            "(interval 21 days or more) in the last 30 days"
            if stats.mature_answers
            else "no answers on mature units (interval 21 days or more) in the last 30 days yet"
        )
        self.query_one("#stats-today", Static).update(
            Content.assemble(
                ("Today: ", "bold"),
                f"{stats.reviews_today} answers, accuracy {percent(stats.accuracy_today)}; "
                f"{stats.due_today} due, {stats.learning} learning, "
                f"{stats.new_available} new available.\n",
                ("Retention: ", "bold"),
                f"{retention}.\n",
                ("Collection: ", "bold"),
                f"{stats.total_units} units, {stats.leeches} leeches.",
            )
        )
        self.query_one(ForecastPlot).show(stats.forecast)
        self.query_one(CalendarPlot).show(stats.reviews_per_day)
        tags = self.query_one("#tags", DataTable)
        tags.clear()
        for tag in stats.accuracy_by_tag:
            tags.add_row(tag.tag, str(tag.answers), str(tag.correct), percent(tag.accuracy))
        if not stats.accuracy_by_tag:
            tags.add_row("(no answers yet)", "", "", "")
        leeches = self.query_one("#leeches", DataTable)
        leeches.clear()
        for leech in stats.leech_list:
            leeches.add_row(
                leech.unit.deck_id,
                card_title(leech.unit),
                str(leech.lapses),
                "yes" if leech.suspended else "no",
            )
        if not stats.leech_list:
            leeches.add_row("(no leeches)", "", "", "")
