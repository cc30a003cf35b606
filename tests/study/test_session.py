"""The study session: phases, automatic grades, same-day repeats, undo, leeches, cram,
option order, intervals."""

from __future__ import annotations

import math
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from gmed_trainer.decks.model import Card, CardStatus
from gmed_trainer.scheduling.sm2 import SM2State, review
from gmed_trainer.store.records import LearnerInfo, UnitProgress
from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks
from gmed_trainer.study.session import (
    REPEAT_GAP,
    Phase,
    Selection,
    StudySession,
    WrongPhase,
    is_leech_lapse,
)
from tests.store.helpers import (
    DAY0,
    T0,
    Clock,
    basic,
    case,
    make_deck,
    mcq,
    set_progress,
    studied,
    unit_id,
)


def start(store: Store, learner: LearnerInfo, *cards: Card, **kw: Any) -> StudySession:
    sync_decks(store, [make_deck("d", cards)], now=T0)
    clock = kw.pop("clock", Clock())
    return StudySession.start(store, learner, clock=clock, tz=UTC, **kw)


def dump(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every unit_state and review_log row, for comparing the database before and after."""
    with store.reading() as conn:
        states = [tuple(r) for r in conn.execute(text("SELECT * FROM unit_state ORDER BY 1, 2"))]
        logs = [tuple(r) for r in conn.execute(text("SELECT * FROM review_log ORDER BY id"))]
    return states, logs


def current_card(session: StudySession) -> str:
    assert session.current is not None
    return session.current.unit.card_id


def test_reveal_then_grade_commits_and_moves_on(store: Store, learner: LearnerInfo) -> None:
    clock = Clock()
    session = start(store, learner, basic("a"), basic("b"), clock=clock)
    assert session.phase is Phase.QUESTION and current_card(session) == "a"
    assert session.current is not None and session.current.is_new
    with pytest.raises(WrongPhase):
        session.grade(5)
    session.reveal()
    assert session.phase is Phase.ANSWER and session.suggested_grade is None
    with pytest.raises(WrongPhase, match="pass a grade"):
        session.grade()
    clock.advance(seconds=7)
    session.grade(5)
    assert current_card(session) == "b" and session.phase is Phase.QUESTION
    (entry,) = store.unit_history(learner.id, unit_id(store, "d", "a"))
    assert (entry.quality, entry.mode, entry.response_ms) == (5, "review", 7000)
    progress = store.progress(learner.id, unit_id(store, "d", "a"))
    assert progress is not None and progress.sm2 == review(SM2State(), 5)
    assert progress.due == DAY0 + timedelta(days=1) and progress.last_review == clock.now
    assert session.progress.done == 1 and session.progress.remaining == 1
    assert session.progress.seconds_per_answer == 7.0
    session.reveal()
    session.grade(4)
    assert session.phase is Phase.FINISHED and session.current is None
    assert session.progress.reviewed_today == 2
    with pytest.raises(WrongPhase):
        session.reveal()


def test_actions_that_do_not_fit_the_unit_are_refused(store: Store, learner: LearnerInfo) -> None:
    session = start(store, learner, mcq("m"), basic("b"))
    with pytest.raises(WrongPhase):
        session.reveal()
    with pytest.raises(WrongPhase):
        session.answer_step(["a"])
    with pytest.raises(ValueError, match="no such option"):
        session.choose(["zz"])
    with pytest.raises(ValueError, match="at least one"):
        session.choose([])


def test_mcq_suggests_4_or_1_and_the_learner_may_override(
    store: Store, learner: LearnerInfo
) -> None:
    session = start(store, learner, mcq("right"), mcq("wrong"), mcq("override"))
    feedback = session.choose(["a"])
    assert feedback.is_correct and feedback.correct == frozenset({"a"})
    assert session.suggested_grade == 4 and session.mcq_feedback == feedback
    session.grade()
    feedback = session.choose(["b"])
    assert not feedback.is_correct and feedback.chosen == frozenset({"b"})
    assert session.suggested_grade == 1
    session.grade()
    session.choose(["c"])
    session.grade(5)  # the learner overrides the suggested 1
    grades = {
        card: [e.quality for e in store.unit_history(learner.id, unit_id(store, "d", card))]
        for card in ("right", "wrong", "override")
    }
    assert grades == {"right": [4], "wrong": [1], "override": [5]}


def test_select_all_needs_every_correct_option(store: Store, learner: LearnerInfo) -> None:
    session = start(store, learner, mcq("m", right=("a", "b"), select_all=True))
    assert not session.choose(["a"]).is_correct


@pytest.mark.parametrize(("answers", "grade"), [("aaa", 4), ("aab", 3), ("abb", 1), ("bbb", 1)])
def test_case_grades_from_the_steps(
    store: Store, learner: LearnerInfo, answers: str, grade: int
) -> None:
    session = start(store, learner, case("k", steps=3))
    for index, choice in enumerate(answers):
        assert session.phase is Phase.QUESTION and session.case_step == index
        session.answer_step([choice])
    assert session.phase is Phase.ANSWER and session.suggested_grade == grade
    assert [f.is_correct for f in session.case_feedback] == [c == "a" for c in answers]
    session.grade()
    assert store.unit_history(learner.id, unit_id(store, "d", "k"))[0].quality == grade


def test_below_4_comes_back_later_as_a_logged_repeat(store: Store, learner: LearnerInfo) -> None:
    cards = [basic(f"c{i}") for i in range(6)]
    session = start(store, learner, *cards)
    session.reveal()
    session.grade(3)  # c0: passes SM-2 but owes a same-day repeat
    uid = unit_id(store, "d", "c0")
    after_review = store.progress(learner.id, uid)
    assert after_review is not None and after_review.sm2 == review(SM2State(), 3)
    seen = []
    while session.phase is not Phase.FINISHED:
        item = session.current
        assert item is not None
        seen.append((item.unit.card_id, item.is_repeat))
        session.reveal()
        if item.is_repeat and seen.count((item.unit.card_id, True)) == 1:
            assert session.next_intervals()[2] == 0
            session.grade(2)  # still not good enough: comes back again
        else:
            session.grade(4 if item.is_repeat else 5)
    assert seen[REPEAT_GAP] == ("c0", True)
    assert seen.count(("c0", True)) == 2
    history = store.unit_history(learner.id, uid)
    assert [(e.mode, e.quality) for e in history] == [("review", 3), ("repeat", 2), ("repeat", 4)]
    assert store.progress(learner.id, uid) == after_review  # repeats change no SM-2 state


def test_sm2_through_the_session_follows_the_formula(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("a"),))], now=T0)
    uid = unit_id(store, "d", "a")
    clock = Clock()
    expected = SM2State()
    for quality in (5, 5, 4, 3, 5):
        session = StudySession.start(store, learner, clock=clock, tz=UTC)
        assert session.current is not None and session.current.unit_id == uid
        session.reveal()
        session.grade(quality)
        expected = review(expected, quality)
        progress = store.progress(learner.id, uid)
        assert progress is not None and progress.sm2 == expected
        clock.advance(days=expected.interval)


def test_undo_restores_state_log_and_queue_step_by_step(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("a"), basic("b"), mcq("m"), basic("c")))], now=T0)
    set_progress(store, learner, "d", "b", studied(DAY0, lapses=7))
    session = StudySession.start(store, learner, clock=Clock(), tz=UTC)
    snapshots = [dump(store)]
    order = []
    for _ in range(4):
        order.append(current_card(session))
        if current_card(session) == "m":
            session.choose(["b"])
            session.grade()  # wrong: a repeat is queued
        else:
            session.reveal()
            session.grade(1)
        snapshots.append(dump(store))
    assert order == ["b", "a", "m", "c"]
    remaining = session.progress.remaining
    for step in range(4, 0, -1):
        assert session.can_undo
        assert session.undo()
        assert dump(store) == snapshots[step - 1]
        assert current_card(session) == order[step - 1] and session.phase is Phase.QUESTION
        assert session.progress.done == step - 1
    assert not session.can_undo and not session.undo()
    assert session.progress.remaining == 4 and remaining == 4


def test_undo_after_the_last_answer_reopens_the_session(store: Store, learner: LearnerInfo) -> None:
    session = start(store, learner, basic("a"))
    session.reveal()
    session.grade(5)
    assert session.phase is Phase.FINISHED
    assert session.undo() and current_card(session) == "a"
    assert store.progress(learner.id, unit_id(store, "d", "a")) is None


def test_leeches_at_8_lapses_and_every_4_after(store: Store, learner: LearnerInfo) -> None:
    assert [n for n in range(1, 21) if is_leech_lapse(n)] == [8, 12, 16, 20]
    sync_decks(store, [make_deck("d", (basic("a"),))], now=T0)
    uid = set_progress(store, learner, "d", "a", studied(DAY0, lapses=7))
    clock = Clock()
    flagged = []
    for _ in range(6):
        session = StudySession.start(store, learner, clock=clock, tz=UTC)
        session.reveal()
        session.grade(1)
        assert session.last_outcome is not None
        flagged.append(session.last_outcome.became_leech)
        clock.advance(days=1)
    assert flagged == [True, False, False, False, True, False]
    progress = store.progress(learner.id, uid)
    assert progress is not None and progress.lapses == 13 and progress.leech
    assert not progress.suspended
    assert [leech.unit_id for leech in store.stats(learner, DAY0).leech_list] == [uid]


def test_a_leech_is_suspended_when_the_learner_says_so(store: Store, learner: LearnerInfo) -> None:
    learner = store.update_learner(learner.id, suspend_leeches=True)
    sync_decks(store, [make_deck("d", (basic("a"), basic("b")))], now=T0)
    uid = set_progress(store, learner, "d", "a", studied(DAY0, lapses=7))
    session = StudySession.start(store, learner, clock=Clock(), tz=UTC)
    session.reveal()
    session.grade(0)
    assert session.last_outcome is not None and session.last_outcome.suspended
    progress = store.progress(learner.id, uid)
    assert progress is not None and progress.suspended and progress.leech
    assert current_card(session) == "b"
    session.reveal()
    session.grade(5)
    assert session.phase is Phase.FINISHED  # the suspended leech did not come back


def test_a_lapse_needs_a_unit_already_learned(store: Store, learner: LearnerInfo) -> None:
    session = start(store, learner, basic("a"))
    session.reveal()
    session.grade(0)
    progress = store.progress(learner.id, unit_id(store, "d", "a"))
    assert progress is not None and progress.lapses == 0


def test_cram_logs_without_touching_the_schedule(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("a"), basic("b")))], now=T0)
    far = studied(DAY0 + timedelta(days=50))
    uid = set_progress(store, learner, "d", "a", far)
    session = StudySession.start(store, learner, Selection(cram=True), clock=Clock(), tz=UTC)
    assert session.is_cram and current_card(session) == "a"
    assert session.next_intervals() == {0: 0, 1: 0, 2: 0, 3: 0, 4: 50, 5: 50}
    session.reveal()
    session.grade(1)
    session.reveal()
    session.grade(5)  # b, new
    assert current_card(session) == "a" and session.current is not None
    assert session.current.is_repeat
    session.reveal()
    session.grade(4)
    assert session.phase is Phase.FINISHED
    assert store.progress(learner.id, uid) == far
    assert store.progress(learner.id, unit_id(store, "d", "b")) is None
    modes = [e.mode for e in store.unit_history(learner.id, uid)]
    assert modes == ["cram", "cram"]
    normal = StudySession.start(store, learner, clock=Clock(), tz=UTC)
    assert current_card(normal) == "b"  # still new: cram introduced nothing


def test_option_order_follows_the_card_rules(store: Store, learner: LearnerInfo) -> None:
    ids = tuple("abcdefg")
    cards = (
        mcq("fixed", ids=ids, shuffle=False),
        mcq("pinned", ids=ids, pin_last=("c", "g")),
        case("k", steps=2),
    )
    orders: dict[str, set[tuple[str, ...]]] = {"fixed": set(), "pinned": set()}
    sync_decks(store, [make_deck("d", cards)], now=T0)
    for seed in range(12):
        session = StudySession.start(store, learner, clock=Clock(), tz=UTC, seed=seed)
        for _ in range(2):
            item = session.current
            assert item is not None
            orders[item.unit.card_id].add(item.option_order)
            assert sorted(item.option_order) == sorted(ids)
            session.choose(["b"])
            session.grade(4)
        item = session.current
        assert item is not None and len(item.step_option_orders) == 2
        assert all(sorted(order) == ["a", "b", "c"] for order in item.step_option_orders)
        with store.transaction() as conn:
            conn.execute(text("DELETE FROM review_log"))
            conn.execute(text("DELETE FROM unit_state"))
    assert orders["fixed"] == {ids}
    assert all(order[-2:] == ("c", "g") for order in orders["pinned"])
    assert len(orders["pinned"]) > 1


def test_an_option_order_is_stable_within_a_session(store: Store, learner: LearnerInfo) -> None:
    session = start(store, learner, mcq("m", ids=tuple("abcdef")), seed=99)
    assert session.current is not None
    first = session.current.option_order
    session.choose(["b"])
    session.grade()  # wrong: the unit comes back in this session
    assert session.current is not None and session.current.is_repeat
    assert session.current.option_order == first
    again = StudySession.start(store, learner, clock=Clock(), tz=UTC, seed=99)
    assert again.current is not None and again.current.option_order == first


def test_next_intervals(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("a"), basic("b")))], now=T0)
    set_progress(store, learner, "d", "a", studied(DAY0, repetitions=2, interval=6))
    session = StudySession.start(store, learner, clock=Clock(), tz=UTC)
    assert session.next_intervals() == {0: 1, 1: 1, 2: 1, 3: 15, 4: 15, 5: 15}
    assert math.ceil(6 * 2.5) == 15
    session.reveal()
    session.grade(5)
    assert session.next_intervals() == {q: 1 for q in range(6)}


def test_suspend_and_bury_move_on_and_can_be_undone(store: Store, learner: LearnerInfo) -> None:
    session = start(store, learner, basic("a"), basic("b"), basic("c"))
    a, b = unit_id(store, "d", "a"), unit_id(store, "d", "b")
    session.suspend()
    assert current_card(session) == "b"
    suspended = store.progress(learner.id, a)
    assert suspended is not None and suspended.suspended and suspended.is_new
    session.bury()
    assert current_card(session) == "c"
    buried = store.progress(learner.id, b)
    assert buried is not None and buried.buried_until == DAY0 + timedelta(days=1)
    assert session.undo() and current_card(session) == "b"
    assert store.progress(learner.id, b) is None
    assert session.undo() and current_card(session) == "a"
    assert store.progress(learner.id, a) is None
    session.bury()
    tomorrow = StudySession.start(store, learner, clock=Clock(T0 + timedelta(days=1)), tz=UTC)
    assert current_card(tomorrow) == "a"


def test_the_edited_mark_and_what_is_never_studied(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("a", back="v1"), basic("gone")))], now=T0)
    set_progress(store, learner, "d", "a", studied(DAY0))
    set_progress(store, learner, "d", "gone", studied(DAY0))
    sync_decks(
        store,
        [make_deck("d", (basic("a", back="v2"), basic("draft", status=CardStatus.DRAFT)))],
        now=T0 + timedelta(hours=1),
    )
    session = StudySession.start(store, learner, clock=Clock(), tz=UTC)
    assert session.current is not None
    assert current_card(session) == "a" and session.current.edited_since_review
    session.reveal()
    session.grade(5)
    assert session.phase is Phase.FINISHED  # neither the retired card nor the draft


def test_a_new_unit_with_a_buried_row_still_counts_as_new(
    store: Store, learner: LearnerInfo
) -> None:
    sync_decks(store, [make_deck("d", (basic("a"),))], now=T0)
    uid = unit_id(store, "d", "a")
    store.set_progress(learner.id, uid, UnitProgress(due=DAY0, buried_until=DAY0))
    session = StudySession.start(store, learner, clock=Clock(), tz=UTC)
    assert session.current is not None and session.current.is_new
