"""Help lists the screen's bindings; the command palette offers every action."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.command import Command, CommandList, CommandPalette
from textual.widgets import DataTable

from gmed_trainer.ui.app import Start
from gmed_trainer.ui.screens.help import HelpScreen
from gmed_trainer.ui.screens.home import HomeScreen
from gmed_trainer.ui.screens.stats import StatsScreen
from gmed_trainer.ui.screens.study import StudyScreen

from .conftest import AppFactory
from .decks import basic_deck, mixed_deck
from .helpers import settle, wait_until


def help_table(app: App[Any]) -> list[tuple[str, str, str]]:
    """The help's rows as (keys, description, "not now" or "")."""
    table = app.screen.query_one("#help-keys", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return [(keys, desc, status) for keys, desc, status in rows]


def top_hit(app: App[Any]) -> str | None:
    """The title of the palette's first result, once it has any."""
    palette = app.screen
    if not isinstance(palette, CommandPalette) or not palette.is_mounted:
        return None
    commands = palette.query_one(CommandList)
    first = commands.get_option_at_index(0) if commands.option_count else None
    return first.hit.text if isinstance(first, Command) else None


def help_rows(app: App[Any]) -> dict[str, tuple[str, str]]:
    return {desc: (keys, status) for keys, desc, status in help_table(app)}


async def test_help_lists_home_bindings(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = help_table(app)
        for description, key in [
            ("Study", "s"),
            ("Cram", "c"),
            ("Stats", "t"),
            ("Browse", "b"),
            ("Learner", "l"),
            ("Quit", "q"),
            ("Help", "?"),
        ]:
            assert (key, description, "") in rows, description
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_on_study_separates_now_from_later(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "question_mark")
        rows = help_rows(app)
        assert rows["Grade 0: blackout"] == ("0", "")
        assert rows["Grade 5: perfect"] == ("5", "")
        assert rows["Undo"] == ("u", "not now")  # nothing answered yet
        assert rows["Show answer"][1] == "not now"  # already shown
        assert "Choose option a" in rows
        assert "wrong, familiar: Incorrect, but the answer seemed familiar on seeing it." in rows
        await pilot.press("escape")
        assert isinstance(app.screen, StudyScreen)


async def test_palette_studies_a_deck_by_name(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Study deck: Every")
        # The palette searches after a short debounce, and its providers answer in tasks.
        await wait_until(pilot, lambda: top_hit(app) == "Study deck: Every card type")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.selection.decks == ("mixed",)


async def test_palette_opens_stats(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Stats")
        await wait_until(pilot, lambda: top_hit(app) == "Stats")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
