"""Home's deck table: laid out for the width it has as soon as the counts arrive, and again on
every resize (deck titles cut to fit, never to the width of the column label)."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable

from gmed_trainer.store.records import DeckCounts
from gmed_trainer.ui.columns import CELL_PADDING
from gmed_trainer.ui.screens.home import HomeScreen, column_widths, table_rows

from .conftest import AppFactory
from .decks import basic_deck, mixed_deck
from .helpers import wait_until

LONG = "Gluteus medius and minimus: anatomy, innervation, gait and lateral hip pain"


def table_lines(home: HomeScreen) -> list[str]:
    """The deck table as drawn, one string per line (the header first)."""
    table = home.query_one("#decks", DataTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def drawn_width(home: HomeScreen) -> int:
    table = home.query_one("#decks", DataTable)
    return sum(column.get_render_width(table) for column in table.ordered_columns)


def counts(title: str, due: int = 3) -> DeckCounts:
    return DeckCounts(
        deck_id="d",
        title=title,
        due=due,
        new=5,
        new_today=5,
        learning=0,
        reviewed_today=2,
        total=20,
        leeches=0,
    )


def test_titles_get_what_the_counts_leave() -> None:
    rows = table_rows([counts(LONG, due=1234)])
    widths = column_widths(rows, 78)
    assert sum(widths) + CELL_PADDING * len(widths) == 78
    assert widths[1] == 4  # "1234" is wider than "Due"
    # A short title keeps its own width; a very narrow table still shows 12 cells of it.
    assert column_widths(table_rows([counts("Hip")]), 78)[0] == len("All decks")
    assert column_widths(rows, 30)[0] == 12


async def test_home_fits_the_width_it_has_and_follows_a_resize(app_factory: AppFactory) -> None:
    app = app_factory(replace(basic_deck(), title=LONG), mixed_deck())
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: bool(home.counts), "the deck counts")
        table = home.query_one("#decks", DataTable)
        # Laid out as soon as the counts are in, without waiting for the table to measure.
        lines = table_lines(home)
        assert lines[1].strip().startswith("All decks")
        assert any(line.strip().startswith("Gluteus medius") and "…" in line for line in lines)
        assert any("Every card type" in line for line in lines)
        assert drawn_width(home) <= table.size.width
        await pilot.resize_terminal(160, 30)
        await wait_until(pilot, lambda: any(LONG in line for line in table_lines(home)), "room")
        assert drawn_width(home) <= table.size.width
        await pilot.resize_terminal(60, 20)
        await wait_until(pilot, lambda: drawn_width(home) <= table.size.width < 60, "narrowing")
        assert not any(LONG in line for line in table_lines(home))
        assert any(line.strip().startswith("All decks") for line in table_lines(home))


async def test_home_says_loading_until_it_knows_there_are_no_decks(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        hint = home.query_one("#home-hint")
        if not home.counted:
            assert "Loading your decks" in str(hint.render())
        await wait_until(pilot, lambda: home.counted, "the deck counts")
        assert "No decks yet" in str(hint.render())
        assert home.query_one("#decks", DataTable).row_count == 0
