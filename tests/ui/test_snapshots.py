"""Screenshots of the main screens at 100x30, compared with the committed SVGs.

Deterministic: a fixed clock and shuffle seed (conftest), animations off, UTC. Update them after
a deliberate change with `pytest tests/ui/test_snapshots.py --snapshot-update` and look at the
new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.ui.app import Start
from gmed_trainer.ui.screens.home import HomeScreen

from .conftest import NOW, AppFactory
from .decks import basic_deck, mixed_deck
from .helpers import key_of, session_of, settle
from .history import seed_history, study_day_at

SIZE = (100, 30)
SnapCompare = Callable[..., bool]


def then(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the workers, press `keys`, and wait again."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run


def test_home(
    snap_compare: SnapCompare, app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    study_day_at(store, learner, NOW, {"insertion": 4})

    async def counted(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        home = pilot.app.screen
        assert isinstance(home, HomeScreen) and home.counts
        await settle(pilot)  # the keys the counts enable are redrawn

    assert snap_compare(app, terminal_size=SIZE, run_before=counted)


def test_study_question(snap_compare: SnapCompare, app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    assert snap_compare(app, terminal_size=SIZE, run_before=then())


def test_study_answer(snap_compare: SnapCompare, app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    assert snap_compare(app, terminal_size=SIZE, run_before=then("space"))


def test_mcq_feedback(snap_compare: SnapCompare, app_factory: AppFactory) -> None:
    app = app_factory(mixed_deck(), start=Start.STUDY, decks=("mixed",))

    async def answer_wrongly(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        item = session_of(pilot.app).current
        assert item is not None and item.unit.card_id == "nerve-mcq"
        await pilot.press(key_of(item.option_order, "ign"))
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=answer_wrongly)


def test_case_step(
    snap_compare: SnapCompare, app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(mixed_deck(), start=Start.STUDY, decks=("mixed",), tags=("case",))

    async def first_step(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        item = session_of(pilot.app).current
        assert item is not None and item.unit.card_id == "bursitis"
        await pilot.press(key_of(item.step_option_orders[0], "groin"), "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=first_step)


def test_stats(
    snap_compare: SnapCompare, app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    seed_history(store, learner)
    study_day_at(store, learner, NOW, {"nerve": 1})
    assert snap_compare(app, terminal_size=SIZE, run_before=then("t"))
