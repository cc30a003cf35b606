"""Pilot tests of the exam screens: a timed block (flag, strike, change an answer, time-out
submit), tutor mode, submitting with confirmation, sending missed items to study, and a class
as a student and as the instructor sees it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input

from gmed_trainer.exam.block import BlockPhase
from gmed_trainer.exam.classroom import ClassRoom, StudentSeat
from gmed_trainer.exam.service import ExamRequest, ExamSitting, PersonalExam
from gmed_trainer.store.exam_repository import ExamRepository
from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.ui.app import GmedApp, Launch, make_app
from gmed_trainer.ui.screens.exam import ExamScreen, SubmitScreen
from gmed_trainer.ui.screens.exam_class import ClassBlockScreen, ClassStudentScreen
from gmed_trainer.ui.screens.exam_result import ExamResultScreen
from gmed_trainer.ui.screens.exam_watch import ClassWatchScreen
from gmed_trainer.ui.widgets.exam_item import Countdown, NavCell, OptionRow
from tests.exam.factories import START, FakeClock, deck
from tests.exam.loading import put_decks
from tests.ui.helpers import wait_until

SIZE = (100, 30)


@pytest.fixture
def ui_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'ui.sqlite3'}", now=START) as store:
        put_decks(store, [deck(mcqs=6, cases=1)])
        yield store


@pytest.fixture
def learner(ui_store: Store) -> LearnerInfo:
    return ui_store.get_or_add_learner("ana", now=START)


def app_on(
    store: Store, learner: LearnerInfo, opening: Callable[[], Screen[Any]], clock: FakeClock
) -> GmedApp:
    return make_app(Launch(opening=opening, clock=clock), store=store, learner=learner)


def sitting_for(
    store: Store, learner: LearnerInfo, clock: FakeClock, **request: Any
) -> tuple[ExamSitting, PersonalExam]:
    exam = PersonalExam(ExamRepository(store), learner.id, clock=clock)
    # Deck order puts the mcqs first; a fixed seed keeps the draw the same in every run.
    return exam.start(ExamRequest(seed=3, **request)), exam


def rows(app: GmedApp) -> list[OptionRow]:
    return list(app.screen.query(OptionRow))


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    """Let workers, timers and screens run until `condition` holds (however long that takes
    on a loaded machine)."""
    await wait_until(pilot, condition)


async def wait_for_screen(pilot: Pilot[Any], kind: type[Screen[Any]]) -> None:
    """Wait until a screen of `kind` is on top with its widgets mounted (a screen becomes
    current before it has composed)."""
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.is_mounted
    )


async def test_timed_block_flag_strike_change_and_time_out(
    ui_store: Store, learner: LearnerInfo
) -> None:
    clock = FakeClock()
    sitting, exam = sitting_for(ui_store, learner, clock, count=4, minutes=10)
    block = sitting.block
    app = app_on(ui_store, learner, lambda: ExamScreen(sitting, exam), clock)
    async with app.run_test(size=SIZE) as pilot:
        assert "10:00" in str(app.screen.query_one(Countdown).render())
        if block.item.is_case:
            block.go_to(1)
        first = block.index
        options = block.item.parts[0].choices
        await pilot.press("B")  # strike out option b
        assert block.struck(first) == {options[1].id}
        assert "-struck" in rows(app)[1].classes
        await pilot.press("a")
        assert block.answer(first) == {options[0].id}
        assert "-chosen" in rows(app)[0].classes
        await pilot.press("m")
        assert block.is_flagged(first)
        cells = list(app.screen.query(NavCell))
        assert "-flagged" in cells[first].classes and "-answered" in cells[first].classes
        await pilot.press("right")
        assert block.index == first + 1
        await pilot.press("left")
        await pilot.press("c")  # change the answer
        assert block.answer(first) == {options[2].id}
        # No feedback in timed mode: no row is marked right or wrong.
        assert not any(r.has_class("-correct") or r.has_class("-wrong") for r in rows(app))
        clock.advance(minutes=10)
        await wait_for_screen(pilot, ExamResultScreen)
        assert block.phase is BlockPhase.SUBMITTED and block.result is not None
        assert block.result.timed_out
        await wait_for(pilot, lambda: bool(exam.history()))
        (stored,) = exam.history()
        assert stored.timed_out and stored.total == block.result.total
        # The review shows every option's why, the right answers marked (once it is composed:
        # the result screen is current before its widgets are mounted).
        await wait_for(pilot, lambda: any(r.has_class("-correct") for r in rows(app)))
        assert not any(r.has_class("-live") for r in rows(app))


async def test_tutor_mode_gives_feedback_after_each_item(
    ui_store: Store, learner: LearnerInfo
) -> None:
    clock = FakeClock()
    sitting, exam = sitting_for(ui_store, learner, clock, count=3, tutor=True)
    block = sitting.block
    app = app_on(ui_store, learner, lambda: ExamScreen(sitting, exam), clock)
    async with app.run_test(size=SIZE) as pilot:
        assert "untimed" in str(app.screen.query_one(Countdown).render())
        part = block.item.parts[0]
        assert part.key is not None
        wrong = next(i for i, c in enumerate(part.choices) if c.id not in part.key.correct)
        await pilot.press("abcdefgh"[wrong])
        status = str(app.screen.query_one("#exam-status").render())
        assert status.startswith("Not right: the answer is")
        marked = rows(app)
        assert sum(r.has_class("-correct") for r in marked) == 1
        assert sum(r.has_class("-wrong") for r in marked) == 1
        assert all("why" in str(r.render()) for r in marked)
        await pilot.press("a")  # locked: the answer does not change
        assert block.answer(0) == {part.choices[wrong].id}


async def test_submit_asks_first_and_missed_items_go_to_study(
    ui_store: Store, learner: LearnerInfo
) -> None:
    clock = FakeClock()
    sitting, exam = sitting_for(ui_store, learner, clock, count=3, minutes=5)
    app = app_on(ui_store, learner, lambda: ExamScreen(sitting, exam), clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SubmitScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("s", "y")
        await wait_for_screen(pilot, ExamResultScreen)
        assert "Score 0/" in str(app.screen.query_one("#result-summary").render())
        await pilot.press("m")
        await wait_for(
            pilot, lambda: "study queue" in str(app.screen.query_one("#result-status").render())
        )
    for unit_id in sitting.unit_ids:
        progress = ui_store.progress(learner.id, unit_id)
        assert progress is not None and progress.due <= START.date()


async def test_a_case_opens_its_next_step_with_enter(ui_store: Store, learner: LearnerInfo) -> None:
    clock = FakeClock()
    sitting, exam = sitting_for(ui_store, learner, clock, tags=("cases",), count=1, minutes=5)
    block = sitting.block
    app = app_on(ui_store, learner, lambda: ExamScreen(sitting, exam), clock)
    async with app.run_test(size=SIZE) as pilot:
        assert block.item.is_case and len(block.visible_parts()) == 1
        await pilot.press("enter")  # nothing chosen yet: stays
        assert len(block.visible_parts()) == 1
        await pilot.press("a", "enter")
        assert len(block.visible_parts()) == 2 and block.is_locked(0, 0)
        assert "More news." in " ".join(str(s.render()) for s in app.screen.query(".part-reveal"))


async def test_a_student_waits_in_the_lobby_answers_and_reviews(
    ui_store: Store, learner: LearnerInfo
) -> None:
    repo = ExamRepository(ui_store)
    room = ClassRoom(repo)
    candidates = repo.exam_candidates()
    code = room.create(
        [c.unit for c in candidates],
        {c.unit.key: c.unit_id for c in candidates},
        count=3,
        minutes=5,
        title="Quiz",
    ).code
    seat = StudentSeat.join(repo, code, "Bea", learner_id=learner.id)
    state = seat.state()
    app = app_on(ui_store, learner, lambda: ClassStudentScreen(seat, state), FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        assert "Waiting for the instructor" in str(app.screen.query_one("#lobby-text").render())
        room.start(code)
        await wait_for_screen(pilot, ClassBlockScreen)
        screen = app.screen
        assert isinstance(screen, ClassBlockScreen)
        # No key, no explanation on the student's side while the block runs.
        assert all(p.key is None for i in screen.class_block.items for p in i.parts)
        index = screen.class_block.index
        await pilot.press("b")
        await wait_for(pilot, lambda: bool(seat.answers()))
        chosen = screen.class_block.items[index].parts[0].choices[1].id
        assert seat.answers() == {(index, 0): frozenset({chosen})}
        await wait_for(pilot, lambda: "Saved." in str(screen.query_one("#exam-status").render()))
        await pilot.press("s", "y")
        await wait_for_screen(pilot, ClassStudentScreen)
        room.end(code)
        await wait_for_screen(pilot, ExamResultScreen)
        await wait_for(pilot, lambda: any(r.has_class("-correct") for r in rows(app)))
        chosen_rows = [r for r in rows(app) if "your answer" in str(r.render())]
        assert [r.choice.id for r in chosen_rows] == [chosen]


async def test_the_instructor_watches_and_starts_the_class(
    ui_store: Store, learner: LearnerInfo
) -> None:
    repo = ExamRepository(ui_store)
    room = ClassRoom(repo)
    candidates = repo.exam_candidates()
    code = room.create(
        [c.unit for c in candidates],
        {c.unit.key: c.unit_id for c in candidates},
        count=3,
        minutes=5,
    ).code
    for name in ("Ana", "Bea"):
        StudentSeat.join(repo, code, name)
    app = app_on(ui_store, learner, lambda: ClassWatchScreen(room, code), FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        students = app.screen.query_one("#watch-students", DataTable)
        await wait_for(pilot, lambda: students.row_count == 2)
        assert "lobby" in str(app.screen.query_one("#watch-summary").render())
        await pilot.press("s")
        await wait_for(
            pilot, lambda: "running" in str(app.screen.query_one("#watch-summary").render())
        )
        questions = sum(len(item.parts) for item in room.items(code))
        assert app.screen.query_one("#watch-questions", DataTable).row_count == questions


async def test_home_opens_the_exam_form_and_the_block(
    ui_store: Store, learner: LearnerInfo
) -> None:
    from gmed_trainer.ui.screens.exam_setup import ExamSetupScreen
    from gmed_trainer.ui.screens.home import HomeScreen

    clock = FakeClock()
    app = make_app(Launch(clock=clock), store=ui_store, learner=learner)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: bool(home.counts))  # Home counts the decks in a worker
        await pilot.press("e")
        await wait_for_screen(pilot, ExamSetupScreen)
        app.screen.query_one("#exam-count", Input).value = "3"
        await pilot.click("#exam-start")
        await wait_for_screen(pilot, ExamScreen)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert len(screen.exam_block.items) == 3
        assert screen.exam_block.time_limit is not None
