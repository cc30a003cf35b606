"""The Textual app and its one factory, `make_app`, used by the CLI, `gmed serve` and the tests.

The app opens on Home, a study session or a deck preview (see `Launch`). Screens reach the
database only through `gmed_trainer.store.repository.Store` and `StudySession`. Slow work runs in
workers: the start-up `prepare` step (syncing the shipped decks) runs in a thread, and screens
that need the database wait for it with `wait_ready()` from their own worker threads.

Screen modules import this one (for `getters.app(GmedApp)`), so this module imports them only
inside methods; that also keeps start-up to what the first screen needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from gmed_trainer.errors import GmedError
from gmed_trainer.scheduling.day import study_day
from gmed_trainer.ui.commands import GmedCommands, PaletteEntry

if TYPE_CHECKING:
    # Only named in annotations: `gmed preview` runs without a database, and without
    # SQLAlchemy loaded.
    from gmed_trainer.store.records import LearnerInfo
    from gmed_trainer.store.repository import Store


def utc_now() -> datetime:
    return datetime.now(UTC)


class Start(StrEnum):
    """The screen the app opens on."""

    HOME = "home"
    STUDY = "study"
    PREVIEW = "preview"


@dataclass(frozen=True)
class Launch:
    """What the app opens and with what: everything the CLI's flags decide."""

    start: Start = Start.HOME
    #: `gmed study`: the selection to study.
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cram: bool = False
    #: `gmed preview`: the deck file and the card to open on.
    preview_path: Path | None = None
    preview_card: str | None = None
    #: "Now", injected so tests run on a fixed clock.
    clock: Callable[[], datetime] = field(default=utc_now)
    #: Seed of the option shuffles (None: a new one per session); tests fix it.
    seed: str | None = None
    #: A screen to open on instead of Home (`gmed exam`, `gmed class join|watch`).
    opening: Callable[[], Screen[Any]] | None = None


#: Run once in a worker thread before any screen reads the database (syncing the shipped decks);
#: it returns warnings to show. A GmedError it raises is shown to the learner.
Prepare = Callable[["Store"], Sequence[str]]


class GmedApp(App[int]):
    """The trainer: Home, Study, Stats, the deck browser, Help, and deck preview."""

    TITLE = "gmed trainer"
    # Every screen's stylesheet, loaded once with the app (selectors are scoped by screen ids):
    # Textual does not load a CSS_PATH set on the default screen itself.
    CSS_PATH = [
        "app.tcss",
        "screens/home.tcss",
        "screens/study.tcss",
        "screens/stats.tcss",
        "screens/browser.tcss",
        "screens/preview.tcss",
        "screens/exam.tcss",
    ]
    COMMANDS = App.COMMANDS | {GmedCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        launch: Launch,
        *,
        store: Store | None = None,
        learner: LearnerInfo | None = None,
        prepare: Prepare | None = None,
    ) -> None:
        super().__init__()
        self.launch = launch
        self.store = store
        self.learner = learner
        self._prepare = prepare
        self._prepared = threading.Event()
        #: Why the start-up step failed, for the screens to show; None when it did not.
        self.prepare_error: str | None = None
        #: A user's mistake found inside the app (an unknown --deck): the CLI prints it on exit.
        self.error: GmedError | None = None
        self._palette_data: tuple[list[tuple[str, str]], list[str]] | None = None
        self._palette_lock = threading.Lock()

    # -- start-up ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        launch = self.launch
        if launch.opening is not None:
            return launch.opening()
        if launch.start is Start.PREVIEW and launch.preview_path is not None:
            from gmed_trainer.ui.screens.preview import PreviewScreen

            return PreviewScreen(launch.preview_path, card_id=launch.preview_card)
        if launch.start is Start.STUDY:
            # `gmed study` opens on the session itself: Home is made when the learner leaves
            # it (`go_home`), so start-up does not build a screen nobody sees yet.
            from gmed_trainer.study.queue import Selection
            from gmed_trainer.ui.screens.study import StudyScreen

            return StudyScreen(Selection(decks=launch.decks, tags=launch.tags, cram=launch.cram))
        from gmed_trainer.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self.launch.start is Start.PREVIEW:
            return
        self.run_worker(self._prepare_data, thread=True, group="prepare", exit_on_error=False)

    def _prepare_data(self) -> None:
        try:
            if self.store is not None and self._prepare is not None:
                for warning in self._prepare(self.store):
                    self.call_from_thread(self.notify, warning, severity="warning", timeout=10)
        except GmedError as exc:
            self.prepare_error = exc.message
            self.call_from_thread(self.notify, exc.message, severity="error", timeout=10)
        finally:
            self._prepared.set()

    def palette_data(self) -> tuple[list[tuple[str, str]], list[str]]:
        """(deck id, title) pairs and every tag, for the palette and the cram picker. Read on
        first use, in a worker thread (the tag query is slow on a large collection, and no
        first screen needs it)."""
        with self._palette_lock:
            if self._palette_data is None:
                if self.store is None or not self.wait_ready():
                    return [], []
                decks = [(d.id, d.title) for d in self.store.decks()]
                self._palette_data = (decks, self.store.all_tags())
            return self._palette_data

    def wait_ready(self) -> bool:
        """Block (in a worker thread) until start-up is done; False if it failed."""
        self._prepared.wait()
        return self.prepare_error is None

    def fail(self, error: GmedError) -> None:
        """Leave the app because of a user's mistake; the CLI prints `error` as one line."""
        self.error = error
        self.exit(return_code=error.exit_code)

    def today(self) -> date:
        """The learner's study day now."""
        hour = self.learner.day_starts_at if self.learner is not None else 4
        return study_day(self.launch.clock(), day_start_hour=hour)

    # -- navigation (also the palette's commands) ---------------------------------------------

    def study(
        self, *, decks: tuple[str, ...] = (), tags: tuple[str, ...] = (), cram: bool = False
    ) -> None:
        """Open a study session on a selection (everything due when empty)."""
        from gmed_trainer.study.queue import Selection
        from gmed_trainer.ui.screens.study import StudyScreen

        self.push_screen(StudyScreen(Selection(decks=decks, tags=tags, cram=cram)))

    def open_stats(self) -> None:
        from gmed_trainer.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def open_browser(self, query: str = "") -> None:
        from gmed_trainer.ui.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen(query))

    def choose_learner(self) -> None:
        from gmed_trainer.ui.screens.pickers import LearnerScreen

        self.push_screen(LearnerScreen(), self._switch_learner)

    def choose_cram_tag(self, *, decks: tuple[str, ...] = ()) -> None:
        from gmed_trainer.ui.screens.pickers import TagScreen

        def cram(tag: str | None) -> None:
            if tag:
                self.study(decks=decks, tags=(tag,), cram=True)

        self.push_screen(TagScreen(lambda: self.palette_data()[1]), cram)

    def open_exam(self, *, decks: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> None:
        """The exam entry point (Home's `e` and the palette's "Exam"): a form, then the block."""
        from gmed_trainer.ui.screens.exam_setup import start_exam

        if self.store is None or self.learner is None:
            return
        start_exam(
            self,
            self.store,
            self.learner,
            clock=self.launch.clock,
            decks=decks,
            tags=tags,
            wait_ready=self.wait_ready,
        )

    def go_home(self) -> None:
        """Back to Home: the screens above it are closed. When the app opened on another
        screen (`gmed study`), Home is opened over it (Textual's first screen stays put)."""
        from gmed_trainer.ui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen())

    def leave(self) -> None:
        """Close the current screen: back to the one below, or Home when there is none."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        else:
            self.go_home()

    def _switch_learner(self, learner: LearnerInfo | None) -> None:
        if learner is None or self.store is None:
            return
        from gmed_trainer.ui.screens.home import HomeScreen

        self.learner = learner
        self.go_home()
        self.notify(f"Studying as {learner.name}.", timeout=3)
        if isinstance(self.screen, HomeScreen):
            self.screen.action_reload()

    def action_help(self) -> None:
        from gmed_trainer.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, grades=bool(self.screen.query("GradeBar"))))

    # -- command palette -----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Help", "Every key of this screen, and what grades mean", self.action_help
        )
        if self.launch.start is Start.PREVIEW:
            return
        yield SystemCommand("Home", "Your decks and what is due today", self.go_home)
        yield SystemCommand("Study all due", "Every deck's due and new cards", self.study)
        yield SystemCommand(
            "Stats", "Reviews, forecast, calendar, retention, leeches", self.open_stats
        )
        yield SystemCommand("Browse cards", "Search cards by text and tag", self.open_browser)
        yield SystemCommand(
            "Cram by tag", "Study one tag without changing the schedule", self.choose_cram_tag
        )
        yield SystemCommand("Switch or add learner", "Who is studying", self.choose_learner)
        yield SystemCommand("Exam", "A timed block of questions", self.open_exam)

    def palette_entries(self) -> Iterable[PaletteEntry]:
        """Dynamic palette entries: study or cram each deck, cram each tag."""
        if self.launch.start is Start.PREVIEW:
            return
        deck_titles, tags = self.palette_data()
        for deck_id, title in deck_titles:
            yield PaletteEntry(
                f"Study deck: {title}",
                f"Due and new cards of {deck_id}",
                partial(self.study, decks=(deck_id,)),
            )
            yield PaletteEntry(
                f"Cram deck: {title}",
                f"Every card of {deck_id}, schedule untouched",
                partial(self.study, decks=(deck_id,), cram=True),
            )
        for tag in tags:
            yield PaletteEntry(
                f"Cram tag: {tag}",
                f"Every card tagged {tag}, schedule untouched",
                partial(self.study, tags=(tag,), cram=True),
            )


def make_app(
    launch: Launch | None = None,
    *,
    store: Store | None = None,
    learner: LearnerInfo | None = None,
    prepare: Prepare | None = None,
) -> GmedApp:
    """The app, configured: the one way the CLI, the server and the tests build it."""
    return GmedApp(launch or Launch(), store=store, learner=learner, prepare=prepare)
