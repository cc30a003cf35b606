"""Today's queue: order, limits, the day boundary, siblings, selections, cram."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmed_trainer.decks.model import Card
from gmed_trainer.store.records import Answer, LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks
from gmed_trainer.study.queue import Selection, build_queue
from gmed_trainer.study.session import StudySession
from tests.store.helpers import (
    DAY0,
    T0,
    Clock,
    basic,
    cloze,
    make_deck,
    reverse,
    set_progress,
    studied,
    unit_id,
)


def keys(
    store: Store, learner: LearnerInfo, selection: Selection | None = None, day: date = DAY0
) -> list[tuple[str, str]]:
    return [
        (e.candidate.card_id, e.candidate.unit)
        for e in build_queue(store, learner, selection or Selection(), day).entries
    ]


def answer_today(
    store: Store,
    learner: LearnerInfo,
    uid: int,
    quality: int = 4,
    *,
    new: bool = False,
    mode: str = "review",
) -> None:
    before = None if new else store.progress(learner.id, uid)
    store.commit_answer(
        Answer(
            learner_id=learner.id,
            unit_id=uid,
            reviewed_at=T0,
            study_day=DAY0,
            quality=quality,
            mode=mode,
            before=before,
            after=studied(DAY0 + timedelta(days=1), repetitions=1, interval=1)
            if mode == "review"
            else None,
        )
    )


@pytest.fixture
def deck_store(store: Store) -> Store:
    sync_decks(
        store,
        [
            make_deck(
                "d",
                tuple(basic(f"c{i}", tags=("even" if i % 2 == 0 else "odd",)) for i in range(6)),
            ),
            make_deck("e", (basic("x"), basic("y"))),
        ],
        now=T0,
    )
    return store


def test_due_reviews_come_first_most_overdue_first_then_new_in_deck_order(
    deck_store: Store, learner: LearnerInfo
) -> None:
    set_progress(deck_store, learner, "d", "c3", studied(DAY0))
    set_progress(deck_store, learner, "d", "c5", studied(DAY0 - timedelta(days=9)))
    set_progress(deck_store, learner, "e", "x", studied(DAY0 - timedelta(days=2)))
    set_progress(deck_store, learner, "d", "c1", studied(DAY0 + timedelta(days=1)))
    assert keys(deck_store, learner) == [
        ("c5", "main"),
        ("x", "main"),
        ("c3", "main"),
        ("c0", "main"),
        ("c2", "main"),
        ("c4", "main"),
        ("y", "main"),
    ]


def test_the_new_limit_and_the_review_limit(deck_store: Store, learner: LearnerInfo) -> None:
    for card in ("c0", "c1", "c2"):
        set_progress(deck_store, learner, "d", card, studied(DAY0))
    learner = deck_store.update_learner(learner.id, new_per_day=2, reviews_per_day=4)
    assert keys(deck_store, learner) == [
        ("c0", "main"),
        ("c1", "main"),
        ("c2", "main"),
        ("c3", "main"),
    ]
    learner = deck_store.update_learner(learner.id, reviews_per_day=2)
    assert keys(deck_store, learner) == [("c0", "main"), ("c1", "main")]
    learner = deck_store.update_learner(learner.id, reviews_per_day=100, new_per_day=0)
    assert len(keys(deck_store, learner)) == 3


def test_answers_given_today_count_against_the_limits(
    deck_store: Store, learner: LearnerInfo
) -> None:
    learner = deck_store.update_learner(learner.id, new_per_day=3)
    answer_today(deck_store, learner, unit_id(deck_store, "d", "c0"), new=True)
    answer_today(deck_store, learner, unit_id(deck_store, "d", "c1"), new=True)
    assert keys(deck_store, learner) == [("c2", "main")]
    assert deck_store.limits_left(learner, DAY0) == (198, 1)
    answer_today(deck_store, learner, unit_id(deck_store, "d", "c2"), new=True, mode="cram")
    assert keys(deck_store, learner) == [("c2", "main")]  # cram does not count


def test_the_day_starts_at_the_learners_hour(deck_store: Store, learner: LearnerInfo) -> None:
    learner = deck_store.update_learner(learner.id, new_per_day=0)
    set_progress(deck_store, learner, "d", "c0", studied(DAY0 + timedelta(days=1)))
    before_four = Clock(datetime(2025, 3, 11, 3, 59, tzinfo=UTC))
    session = StudySession.start(deck_store, learner, clock=before_four, tz=UTC)
    assert session.day == DAY0 and session.current is None
    at_four = Clock(datetime(2025, 3, 11, 4, 0, tzinfo=UTC))
    session = StudySession.start(deck_store, learner, clock=at_four, tz=UTC)
    assert session.day == DAY0 + timedelta(days=1) and session.current is not None
    learner = deck_store.update_learner(learner.id, day_starts_at=0)
    session = StudySession.start(deck_store, learner, clock=before_four, tz=UTC)
    assert session.day == DAY0 + timedelta(days=1)


def test_an_answer_after_midnight_counts_for_the_evening(
    deck_store: Store, learner: LearnerInfo
) -> None:
    late = Clock(datetime(2025, 3, 11, 1, 30, tzinfo=UTC))
    session = StudySession.start(deck_store, learner, clock=late, tz=UTC)
    session.reveal()
    session.grade(5)
    (entry,) = deck_store.today_answers(learner.id, DAY0)
    assert entry.quality == 5
    assert deck_store.progress(learner.id, entry.unit_id).due == DAY0 + timedelta(days=1)  # type: ignore[union-attr]


def test_siblings_wait_for_another_day(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("s", (reverse("r"), cloze("z"), basic("b")))], now=T0)
    assert keys(store, learner) == [("r", "front"), ("z", "c1"), ("b", "main")]
    set_progress(store, learner, "s", "z", studied(DAY0 - timedelta(days=1)), unit="c2")
    assert keys(store, learner) == [("z", "c2"), ("r", "front"), ("b", "main")]
    answer_today(store, learner, unit_id(store, "s", "r", "front"), new=True)
    assert keys(store, learner) == [("z", "c2"), ("b", "main")]
    # Tomorrow the answered side is due; its sibling still waits (one unit of a card a day).
    assert keys(store, learner, day=DAY0 + timedelta(days=1)) == [
        ("z", "c2"),
        ("r", "front"),
        ("b", "main"),
    ]


def test_a_unit_failed_earlier_today_comes_back_as_a_repeat(
    deck_store: Store, learner: LearnerInfo
) -> None:
    uid = unit_id(deck_store, "d", "c4")
    answer_today(deck_store, learner, uid, quality=2, new=True)
    entries = build_queue(deck_store, learner, Selection(), DAY0).entries
    assert entries[0].unit_id == uid and entries[0].is_repeat
    assert deck_store.deck_counts(learner, DAY0)[0].learning == 1
    answer_today(deck_store, learner, uid, quality=4, mode="repeat")
    assert uid not in {
        e.unit_id for e in build_queue(deck_store, learner, Selection(), DAY0).entries
    }
    assert deck_store.deck_counts(learner, DAY0)[0].learning == 0


def test_selection_by_deck_and_tag(deck_store: Store, learner: LearnerInfo) -> None:
    assert keys(deck_store, learner, Selection(decks=("e",))) == [("x", "main"), ("y", "main")]
    assert keys(deck_store, learner, Selection(tags=("odd",))) == [
        ("c1", "main"),
        ("c3", "main"),
        ("c5", "main"),
    ]
    assert keys(deck_store, learner, Selection(decks=("e",), tags=("odd",))) == []


def test_suspended_and_buried_units_are_left_out(deck_store: Store, learner: LearnerInfo) -> None:
    set_progress(deck_store, learner, "d", "c0", studied(DAY0, suspended=True))
    set_progress(
        deck_store, learner, "d", "c1", studied(DAY0, buried_until=DAY0 + timedelta(days=1))
    )
    from gmed_trainer.store.records import UnitProgress

    set_progress(deck_store, learner, "d", "c2", UnitProgress(due=DAY0, suspended=True))
    today = keys(deck_store, learner, Selection(decks=("d",)))
    assert (
        ("c0", "main") not in today and ("c1", "main") not in today and ("c2", "main") not in today
    )
    tomorrow = keys(deck_store, learner, Selection(decks=("d",)), DAY0 + timedelta(days=1))
    assert ("c1", "main") in tomorrow and ("c0", "main") not in tomorrow


def test_cram_takes_the_whole_selection(deck_store: Store, learner: LearnerInfo) -> None:
    set_progress(deck_store, learner, "e", "x", studied(DAY0 + timedelta(days=40)))
    set_progress(deck_store, learner, "e", "y", studied(DAY0 + timedelta(days=3)))
    set_progress(deck_store, learner, "d", "c0", studied(DAY0 + timedelta(days=3), suspended=True))
    crammed = keys(deck_store, learner, Selection(cram=True))
    assert crammed[:2] == [("y", "main"), ("x", "main")]
    assert len(crammed) == 7 and ("c0", "main") not in crammed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.lists(
        st.tuples(
            st.sampled_from(["basic", "reverse", "cloze"]),
            st.none() | st.integers(-20, 20),  # due offset (None: never studied)
            st.booleans(),  # suspended
        ),
        min_size=1,
        max_size=25,
    ),
    new_limit=st.integers(0, 10),
    review_limit=st.integers(0, 30),
)
def test_queue_invariants(
    units: list[tuple[str, int | None, bool]], new_limit: int, review_limit: int
) -> None:
    makers: dict[str, Callable[[str], Card]] = {"basic": basic, "reverse": reverse, "cloze": cloze}
    deck = make_deck("p", tuple(makers[kind](f"k{i}") for i, (kind, _, _) in enumerate(units)))
    with Store.open("sqlite://") as store:
        sync_decks(store, [deck], now=T0)
        learner = store.add_learner("p")
        learner = store.update_learner(
            learner.id, new_per_day=new_limit, reviews_per_day=review_limit
        )
        expected_due: dict[int, date] = {}
        for i, (kind, offset, suspended) in enumerate(units):
            if offset is None:
                continue
            name = {"basic": "main", "reverse": "front", "cloze": "c1"}[kind]
            due = DAY0 + timedelta(days=offset)
            uid = set_progress(
                store, learner, "p", f"k{i}", studied(due, suspended=suspended), unit=name
            )
            if offset <= 0 and not suspended:
                expected_due[uid] = due
        entries = build_queue(store, learner, Selection(), DAY0).entries
    cards = [e.candidate.card_id for e in entries]
    assert len(cards) == len(set(cards)), "siblings on the same day"
    due_part = [e for e in entries if not e.candidate.is_new]
    new_part = [e for e in entries if e.candidate.is_new]
    assert entries[: len(due_part)] == tuple(due_part), "a new unit before a due review"
    assert [e.progress.due for e in due_part] == sorted(e.progress.due for e in due_part)  # type: ignore[union-attr]
    assert all(not e.progress.suspended for e in due_part)  # type: ignore[union-attr]
    assert {e.unit_id for e in due_part} <= set(expected_due)
    assert len(due_part) == min(review_limit, len(expected_due))
    assert len(new_part) <= min(new_limit, review_limit - len(due_part))
    assert len(entries) <= review_limit
