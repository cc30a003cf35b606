"""Study flows through the real app: reveal, grade, multiple choice, cases, undo, bury, suspend."""

from __future__ import annotations

from gmed_trainer.decks.model import BasicCard, CaseCard, McqCard
from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.study.session import Phase
from gmed_trainer.ui.app import GmedApp, Start
from gmed_trainer.ui.screens.home import HomeScreen
from gmed_trainer.ui.screens.study import StudyScreen
from gmed_trainer.ui.widgets.card import CardView
from gmed_trainer.ui.widgets.grades import GradeBar
from gmed_trainer.ui.widgets.keybar import KeyBar

from .conftest import AppFactory
from .decks import basic_deck, mixed_deck
from .helpers import key_of, session_of, settle, text_of

SIZE = (100, 30)


def log_grades(store: Store, learner: LearnerInfo, deck_id: str, card_ids: list[str]) -> list[int]:
    """Every grade in the review log for these cards, in the order answered."""
    ids = store.unit_ids([(deck_id, card_id, "main") for card_id in card_ids])
    entries = [e for uid in ids.values() for e in store.unit_history(learner.id, uid)]
    return [e.quality for e in sorted(entries, key=lambda e: e.id)]


async def test_home_lists_the_decks_and_s_starts_studying(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), mixed_deck())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        shown = text_of(app.screen)
        assert "learner Ada" in shown
        assert "Press s to study" in shown
        assert [c.deck_id for c in app.screen.counts] == ["anatomy", "mixed"]
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_study_three_units_logs_the_grades_pressed(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        seen = []
        for grade in ("5", "4", "5"):
            assert session.phase is Phase.QUESTION
            assert session.current is not None
            seen.append(session.current.unit.card_id)
            card = app.screen.query_one(CardView)
            shown = session.current.unit.card
            assert isinstance(shown, BasicCard)
            assert shown.front in text_of(card)
            assert not app.screen.query_one(GradeBar).visible
            await pilot.press("space")
            assert session.phase is Phase.ANSWER
            assert shown.back in text_of(card)
            assert app.screen.query_one(GradeBar).visible
            await pilot.press(grade)
        await settle(pilot)
        assert session.phase is Phase.FINISHED
        assert "Done for now" in text_of(app.screen)
    assert seen == ["insertion", "nerve", "stance"]
    assert log_grades(store, learner, "anatomy", seen) == [5, 4, 5]


async def test_answer_side_shows_extra_and_source(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = app.screen.query_one(CardView)
        assert "Palpable just below the iliac rim." not in text_of(card)
        await pilot.press("enter")
        shown = text_of(card)
        assert "Palpable just below the iliac rim." in shown
        assert "Source: Anatomy and Function" in shown


async def test_wrong_mcq_shows_every_why_and_comes_back(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(mixed_deck(), start=Start.STUDY, decks=("mixed",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        assert session.current is not None
        card = session.current.unit.card
        assert isinstance(card, McqCard)
        order = session.current.option_order
        await pilot.press(key_of(order, "fem"))
        assert session.phase is Phase.ANSWER
        shown = text_of(app.screen.query_one(CardView))
        for option in card.options:
            assert option.why is not None and option.why in shown
        assert f"you chose {key_of(order, 'fem')}" in shown
        assert f"the answer is {key_of(order, 'sgn')}" in shown
        assert card.explanation is not None and card.explanation in shown
        view = app.screen.query_one(CardView)
        rows = {row.option_id: row for row in view.blocks() if row.has_class("choice-line")}
        assert rows["sgn"].has_class("-correct") and rows["fem"].has_class("-wrong")
        assert session.suggested_grade == 1
        await pilot.press("enter")  # accept the suggested 1
        # Answer everything else correctly until the mcq comes back.
        for _ in range(10):
            await settle(pilot)
            item = session.current
            assert item is not None, "the wrongly answered mcq never came back"
            if item.unit.card_id == "nerve-mcq":
                break
            await answer_right(pilot, session)
        assert item.is_repeat
        assert "again today" in text_of(app.screen)
    assert log_grades(store, learner, "mixed", ["nerve-mcq"]) == [1]


async def answer_right(pilot, session) -> None:  # type: ignore[no-untyped-def]
    """Answer the unit on screen correctly and grade it 4."""
    item = session.current
    card = item.unit.card
    if isinstance(card, McqCard):
        await pilot.press(key_of(item.option_order, next(iter(card.correct_ids))))
    elif isinstance(card, CaseCard):
        for index, step in enumerate(card.steps):
            await pilot.press(key_of(item.step_option_orders[index], next(iter(step.correct_ids))))
            if index < len(card.steps) - 1:
                await pilot.press("enter")
    else:
        await pilot.press("space")
    await pilot.press("4")


async def test_case_walks_through_every_step(app_factory: AppFactory) -> None:
    app = app_factory(mixed_deck(), start=Start.STUDY, decks=("mixed",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        while session.current is not None and session.current.unit.card_id != "bursitis":
            await answer_right(pilot, session)
            await settle(pilot)
        item = session.current
        assert item is not None
        case = item.unit.card
        assert isinstance(case, CaseCard)
        view = app.screen.query_one(CardView)
        assert case.stem in text_of(view)
        assert case.steps[1].reveal is not None and case.steps[1].reveal not in text_of(view)
        # Step 1 right, step 2 wrong, step 3 right.
        picks = [
            next(iter(case.steps[0].correct_ids)),
            "trp1",
            next(iter(case.steps[2].correct_ids)),
        ]
        for index, pick in enumerate(picks):
            steps = [block.role for block in view.blocks() if block.role.startswith("step-title")]
            assert len(steps) == index + 1, "only the steps opened so far are shown"
            assert all(s.endswith("answered") for s in steps[:-1]), "earlier steps are locked"
            assert steps[-1].endswith("open")
            reveal = case.steps[index].reveal
            if reveal:
                assert reveal in text_of(view)
            await pilot.press(key_of(item.step_option_orders[index], pick))
            shown = text_of(view)
            for option in case.steps[index].options:
                assert option.why is not None and option.why in shown
            if index < 2:
                hint = str(app.screen.query_one("#study-hint").render())
                assert hint == "Read the feedback, then press Enter for the next step."
                assert session.phase is Phase.QUESTION
                await pilot.press("enter")
        await settle(pilot)
        assert session.phase is Phase.ANSWER
        shown = text_of(view)
        assert "Case complete: 2 of 3 steps right first time." in shown
        assert case.explanation is not None and case.explanation in shown
        assert session.suggested_grade == 3
        bar = app.screen.query_one(GradeBar)
        assert bar.visible and bar.query_one("#grade-3").has_class("-suggested")
        await pilot.press("5")  # the learner overrides the suggestion
        await settle(pilot)
        assert session.phase is Phase.FINISHED


async def test_undo_restores_the_unit(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        assert "u Undo" not in str(app.screen.active_bindings)  # nothing to undo yet
        assert "undo" not in {b.binding.action for b in app.screen.active_bindings.values()}
        await pilot.press("space", "2")
        await settle(pilot)
        assert session.current is not None and session.current.unit.card_id == "nerve"
        assert log_grades(store, learner, "anatomy", ["insertion"]) == [2]
        await pilot.press("u")
        await settle(pilot)
        assert session.current is not None and session.current.unit.card_id == "insertion"
        assert session.phase is Phase.QUESTION
        assert session.progress.done == 0
        assert log_grades(store, learner, "anatomy", ["insertion"]) == []
        unit_id = store.unit_ids([("anatomy", "insertion", "main")])[
            ("anatomy", "insertion", "main")
        ]
        assert store.progress(learner.id, unit_id) is None


async def test_bury_and_suspend_move_on(
    app_factory: AppFactory, store: Store, learner: LearnerInfo
) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        await pilot.press("minus")
        await settle(pilot)
        assert session.current is not None and session.current.unit.card_id == "nerve"
        await pilot.press("at")
        await settle(pilot)
        assert session.current is not None and session.current.unit.card_id == "stance"
    ids = store.unit_ids([("anatomy", c, "main") for c in ("insertion", "nerve")])
    buried = store.progress(learner.id, ids[("anatomy", "insertion", "main")])
    suspended = store.progress(learner.id, ids[("anatomy", "nerve", "main")])
    assert buried is not None and buried.buried_until is not None
    assert suspended is not None and suspended.suspended


async def test_grade_keys_do_nothing_before_the_answer(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        await pilot.press("4", "a")
        assert session.phase is Phase.QUESTION and session.progress.done == 0


async def test_unknown_deck_leaves_with_a_one_line_error(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("nope",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.error is not None
    assert app.error.exit_code == 2
    assert "no deck 'nope'" in app.error.message


async def test_the_mouse_can_answer_and_grade(app_factory: AppFactory) -> None:
    app = app_factory(mixed_deck(), start=Start.STUDY, decks=("mixed",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = session_of(app)
        item = session.current
        assert item is not None and item.unit.card_id == "nerve-mcq"
        view = app.screen.query_one(CardView)
        (row,) = [block for block in view.blocks() if block.option_id == "sgn"]
        assert str(row.render()).startswith(key_of(item.option_order, "sgn"))
        await pilot.click(row)
        assert session.phase is Phase.ANSWER and session.suggested_grade == 4
        await pilot.click("#grade-5")
        await settle(pilot)
        assert session.progress.done == 1
        assert log_grades_of(app, "nerve-mcq") == [5]


def log_grades_of(app: GmedApp, card_id: str) -> list[int]:
    assert app.store is not None and app.learner is not None
    return log_grades(app.store, app.learner, "mixed", [card_id])


async def test_the_key_bar_is_clickable(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        await pilot.click(KeyBar, offset=(line.index(" Study") + 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)


async def test_gmed_study_opens_on_the_session_and_esc_goes_home(app_factory: AppFactory) -> None:
    app = app_factory(basic_deck(), start=Start.STUDY, decks=("anatomy",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # No Home is built under the session at start-up.
        assert [type(s) for s in app.screen_stack] == [StudyScreen]
        await pilot.press("escape")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.counts
        await pilot.press("s")  # study again from Home, then back
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home
