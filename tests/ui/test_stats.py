"""The stats screen on a seeded history."""

from __future__ import annotations

from textual.widgets import DataTable

from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.ui.screens.stats import StatsScreen
from gmed_trainer.ui.widgets.plots import CalendarPlot, ForecastPlot

from .conftest import NOW, AppFactory
from .decks import basic_deck, mixed_deck
from .helpers import settle, text_of
from .history import seed_history, study_day_at


async def test_stats_screen_shows_the_seeded_history(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    seed_history(store, learner)
    today = study_day_at(store, learner, NOW, {"nerve": 1})
    expected = store.stats(learner, app.today())
    assert today and expected.reviews_today >= today
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        shown = text_of(screen)
        assert f"Today: {expected.reviews_today} answers" in shown
        assert f"{expected.total_units} units" in shown
        forecast = screen.query_one(ForecastPlot)
        assert [d.count for d in forecast.days] == [d.count for d in expected.forecast]
        assert len(forecast.days) == 30
        calendar = screen.query_one(CalendarPlot)
        rows, mondays = calendar.grid()
        assert len(mondays) == 12 and len(rows) == 7
        assert sum(c or 0 for row in rows for c in row) == sum(
            d.count for d in expected.reviews_per_day
        )
        tags = screen.query_one("#tags", DataTable)
        shown_tags = [str(tags.get_row_at(i)[0]) for i in range(tags.row_count)]
        assert shown_tags == [t.tag for t in expected.accuracy_by_tag]
        accuracies = [t.accuracy for t in expected.accuracy_by_tag]
        assert accuracies == sorted(accuracies), "weakest tag first"
        assert shown_tags[0] == "nerve"  # the card always failed carries this tag
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, StatsScreen)
