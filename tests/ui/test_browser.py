"""The deck browser: search by text and tag, a unit's state and history, preview as studied."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.ui.app import GmedApp, Start
from gmed_trainer.ui.screens.browser import BrowserScreen, parse_query
from gmed_trainer.ui.screens.card_preview import CardPreviewScreen
from gmed_trainer.ui.widgets.card import CardView
from gmed_trainer.ui.widgets.keybar import KeyBar

from .conftest import NOW, AppFactory
from .decks import basic_deck, mixed_deck
from .helpers import session_of, settle, text_of, wait_until
from .history import study_day_at


def result_cards(screen: BrowserScreen) -> list[str]:
    return [view.unit.card_id for view in screen.views]


def test_query_words_and_tags() -> None:
    assert parse_query("superior  tag:Nerve #trp gluteal") == ("superior gluteal", ("nerve", "trp"))
    assert parse_query("") == ("", ())


async def test_search_by_text_and_tag(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert len(screen.views) == 8  # every unit: 3 basic, mcq, cloze, 2 reverse, case
        await pilot.press(*"nerve")
        await settle(pilot)
        assert sorted(set(result_cards(screen))) == ["nerve", "nerve-mcq", "roots"]
        search = screen.query_one("#browse-search", Input)
        search.value = "tag:trp"
        await settle(pilot)
        assert sorted(result_cards(screen)) == ["bursitis", "trp2", "trp2"]
        search.value = "no such words anywhere"
        await settle(pilot)
        assert screen.views == []
        assert "No unit matches" in text_of(screen)


async def test_unit_state_history_and_preview(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    study_day_at(store, learner, NOW, {"insertion": 5})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_browser("insertion")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert result_cards(screen) == ["insertion"]
        detail = text_of(screen.query_one("#browse-detail"))
        assert "easiness 2.60" in detail and "interval 1 d" in detail and "lapses 0" in detail
        history = screen.query_one("#browse-history", DataTable)
        assert history.row_count == 1 and str(history.get_row_at(0)[1]) == "5"
        screen.query_one("#browse-results", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardPreviewScreen)
        card = app.screen.query_one(CardView)
        assert "greater trochanter" not in text_of(card)
        await pilot.press("space")
        assert "greater trochanter" in text_of(card)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
    # Previewing records nothing.
    uid = store.unit_ids([("anatomy", "insertion", "main")])[("anatomy", "insertion", "main")]
    assert len(store.unit_history(learner.id, uid)) == 1


def shown_card(app: GmedApp) -> str | None:
    """The card id of the unit the study session shows."""
    item = session_of(app).current
    return item.unit.card_id if item is not None else None


async def test_a_unit_suspended_in_study_is_unsuspended_in_the_browser(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    key = ("anatomy", "insertion", "main")
    uid = store.unit_ids([key])[key]

    def suspended() -> bool:
        progress = store.progress(learner.id, uid)
        return progress is not None and progress.suspended

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown_card(app) == "insertion"
        await pilot.press("at")  # suspend it while studying
        await settle(pilot)
        assert suspended()
        await pilot.press("escape")
        await settle(pilot)
        app.open_browser("insertion")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        table = screen.query_one("#browse-results", DataTable)
        assert str(table.get_cell("0", "state")) == "suspended"
        assert "suspended" in text_of(screen.query_one("#browse-detail"))
        keys = screen.query_one(KeyBar)
        assert "Unsuspend" in str(keys.render()) and " Suspend" not in str(keys.render())
        # In the search box `@` is text; in the results it is the study screen's key.
        await pilot.press("end", "at")
        assert screen.query_one("#browse-search", Input).value == "insertion@"
        await pilot.press("backspace", "enter")  # Enter moves to the results
        await settle(pilot)
        assert table.has_focus
        await pilot.press("at")
        await wait_until(
            pilot, lambda: "suspended" not in text_of(screen.query_one("#browse-detail"))
        )
        assert not suspended()
        assert str(table.get_cell("0", "state")) == ""
        assert " Suspend" in str(keys.render()) and "Unsuspend" not in str(keys.render())
        # Ctrl+S works from the search box too, and toggles back.
        screen.query_one("#browse-search", Input).focus()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: str(table.get_cell("0", "state")) == "suspended")
        assert suspended()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: str(table.get_cell("0", "state")) == "")
        await pilot.press("escape", "escape")  # clear the search, then leave
        await settle(pilot)
        app.study(decks=("anatomy",))
        await settle(pilot)
        # Back in study: it comes up again.
        assert shown_card(app) == "insertion"
