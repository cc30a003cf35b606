"""The repository on SQLite and PostgreSQL: learners, answers and undo, suspend/bury, search,
history, counts and statistics."""

from __future__ import annotations

import getpass
from dataclasses import replace
from datetime import timedelta

import pytest

from gmed_trainer.errors import GmedError, UsageError
from gmed_trainer.store.records import Answer, LearnerInfo, UnitProgress
from gmed_trainer.store.repository import Store, default_learner_name
from gmed_trainer.store.sync import sync_decks
from tests.store.helpers import (
    DAY0,
    T0,
    basic,
    cloze,
    make_deck,
    mcq,
    reverse,
    set_progress,
    studied,
    unit_id,
)

DECK = make_deck(
    "d",
    (
        basic("hip", front="What does the gluteus medius do?", tags=("anatomy",)),
        reverse("rev", tags=("terms",)),
        cloze("clz", tags=("anatomy",)),
        mcq("pick", tags=("clinic",)),
    ),
    tags=("gm",),
)


@pytest.fixture
def synced(store: Store) -> Store:
    sync_decks(store, [DECK], now=T0)
    return store


# ------------------------------------------------------------------------------ learners


def test_learners_are_added_listed_and_unique(store: Store) -> None:
    assert store.learners() == []
    store.add_learner("  Zoe   Ray ")
    store.add_learner("ann")
    assert [learner.name for learner in store.learners()] == ["Zoe Ray", "ann"]
    with pytest.raises(UsageError, match="already exists"):
        store.add_learner("ann")
    with pytest.raises(UsageError, match="empty"):
        store.add_learner("   ")
    with pytest.raises(UsageError, match="at most"):
        store.add_learner("x" * 101)


def test_the_default_learner_is_the_only_one_or_the_os_user(store: Store) -> None:
    first = store.default_learner()
    assert first.name == default_learner_name()
    assert store.default_learner() == first
    store.add_learner("other")
    assert store.default_learner() == first
    assert len(store.learners()) == 2


def test_default_learner_name_falls_back_to_default(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert default_learner_name() == "default"


def test_learner_settings_are_checked(store: Store, learner: LearnerInfo) -> None:
    changed = store.update_learner(learner.id, new_per_day=5, suspend_leeches=True)
    assert (changed.new_per_day, changed.suspend_leeches) == (5, True)
    with pytest.raises(UsageError, match="day_starts_at"):
        store.update_learner(learner.id, day_starts_at=24)
    with pytest.raises(UsageError, match="unknown"):
        store.update_learner(learner.id, colour=3)


# ------------------------------------------------------------------------ answers, undo


def _answer(uid: int, learner: LearnerInfo, before: UnitProgress | None, **kw: object) -> Answer:
    after = studied(DAY0 + timedelta(days=1), repetitions=1, interval=1)
    values: dict[str, object] = {
        "learner_id": learner.id,
        "unit_id": uid,
        "reviewed_at": T0,
        "study_day": DAY0,
        "quality": 4,
        "mode": "review",
        "before": before,
        "after": replace(after, last_review=T0),
        "response_ms": 1234,
    }
    values.update(kw)
    return Answer(**values)  # type: ignore[arg-type]


def test_an_answer_writes_state_and_log_and_undo_restores_both(
    synced: Store, learner: LearnerInfo
) -> None:
    uid = unit_id(synced, "d", "hip")
    before = studied(DAY0, lapses=2, leech=False, buried_until=DAY0)
    synced.set_progress(learner.id, uid, before)
    answer = _answer(uid, learner, before)
    log_id = synced.commit_answer(answer)
    assert synced.progress(learner.id, uid) == answer.after
    (entry,) = synced.unit_history(learner.id, uid)
    assert entry.id == log_id
    assert (entry.quality, entry.mode, entry.response_ms) == (4, "review", 1234)
    assert (entry.repetitions_before, entry.interval_before, entry.due_before) == (3, 10, DAY0)
    assert (entry.lapses_before, entry.interval_after, entry.due_after) == (
        2,
        1,
        DAY0 + timedelta(1),
    )
    assert entry.reviewed_at == T0

    synced.undo_answer(learner.id, uid, log_id, before)
    assert synced.progress(learner.id, uid) == before
    assert synced.unit_history(learner.id, uid) == []
    with pytest.raises(GmedError, match="no longer in the review log"):
        synced.undo_answer(learner.id, uid, log_id, before)


def test_undoing_a_first_answer_removes_the_state(synced: Store, learner: LearnerInfo) -> None:
    uid = unit_id(synced, "d", "hip")
    log_id = synced.commit_answer(_answer(uid, learner, None))
    (entry,) = synced.unit_history(learner.id, uid)
    assert entry.due_before is None  # how the log marks a new unit
    assert synced.today_answers(learner.id, DAY0)[0].was_new
    synced.undo_answer(learner.id, uid, log_id, None)
    assert synced.progress(learner.id, uid) is None


def test_a_repeat_logs_without_touching_the_state(synced: Store, learner: LearnerInfo) -> None:
    uid = unit_id(synced, "d", "hip")
    before = studied(DAY0 + timedelta(days=1), repetitions=0, interval=1)
    synced.set_progress(learner.id, uid, before)
    synced.commit_answer(_answer(uid, learner, before, mode="repeat", quality=2, after=None))
    assert synced.progress(learner.id, uid) == before
    (entry,) = synced.unit_history(learner.id, uid)
    assert (entry.mode, entry.quality, entry.interval_after) == ("repeat", 2, 1)


def test_answers_for_a_missing_unit_are_database_errors(
    synced: Store, learner: LearnerInfo
) -> None:
    with pytest.raises(GmedError):
        synced.commit_answer(_answer(999_999, learner, None))


def test_make_due_brings_units_into_today(synced: Store, learner: LearnerInfo) -> None:
    later = set_progress(synced, learner, "d", "hip", studied(DAY0 + timedelta(days=30)))
    overdue = set_progress(synced, learner, "d", "pick", studied(DAY0 - timedelta(days=3)))
    fresh = unit_id(synced, "d", "clz", "c1")
    assert synced.make_due(learner.id, [later, overdue, fresh], DAY0) == 3
    assert synced.progress(learner.id, later).due == DAY0  # type: ignore[union-attr]
    assert synced.progress(learner.id, overdue).due == DAY0 - timedelta(days=3)  # type: ignore[union-attr]
    new = synced.new_candidates(learner.id, DAY0, limit=10)
    assert new[0].unit_id == fresh


def test_suspend_and_unsuspend_from_the_browser(synced: Store, learner: LearnerInfo) -> None:
    studied_unit = set_progress(synced, learner, "d", "hip", studied(DAY0))
    fresh = unit_id(synced, "d", "pick")
    for uid in (studied_unit, fresh):
        synced.set_suspended(learner.id, uid, True, DAY0)
    assert synced.due_candidates(learner.id, DAY0, limit=10) == []
    assert fresh not in {c.unit_id for c in synced.new_candidates(learner.id, DAY0, limit=10)}
    for uid in (studied_unit, fresh):
        synced.set_suspended(learner.id, uid, False, DAY0)
    assert synced.progress(learner.id, studied_unit) == studied(DAY0)
    assert fresh in {c.unit_id for c in synced.new_candidates(learner.id, DAY0, limit=10)}


# ---------------------------------------------------------------------- browse, counts


def test_search_by_text_and_tag_with_state(synced: Store, learner: LearnerInfo) -> None:
    uid = set_progress(synced, learner, "d", "hip", studied(DAY0))
    views = synced.search_units(learner.id, text="GLUTEUS MEDIUS do")
    assert [v.unit_id for v in views] == [uid]
    assert views[0].progress is not None and views[0].tags == ("anatomy", "gm")
    by_tag = synced.search_units(learner.id, tags=["anatomy"])
    assert {v.unit.card_id for v in by_tag} == {"hip", "clz"}
    assert synced.search_units(learner.id, text="100%_") == []
    assert len(synced.search_units(learner.id)) == 6
    assert synced.all_tags() == ["anatomy", "clinic", "gm", "terms"]


def test_deck_counts(synced: Store, learner: LearnerInfo) -> None:
    set_progress(synced, learner, "d", "hip", studied(DAY0 - timedelta(days=1)))
    set_progress(synced, learner, "d", "pick", studied(DAY0 + timedelta(days=1), leech=True))
    (counts,) = synced.deck_counts(learner, DAY0)
    assert (counts.due, counts.new, counts.total, counts.leeches) == (1, 4, 6, 1)
    # One unit per card today: the reverse card's front and the cloze's first number.
    assert counts.new_today == 2 and counts.learning == 0 and counts.reviewed_today == 0


def test_stats_on_a_seeded_history(synced: Store, learner: LearnerInfo) -> None:
    hip = unit_id(synced, "d", "hip")
    pick = unit_id(synced, "d", "pick")
    mature = studied(DAY0 - timedelta(days=2), interval=30)
    synced.set_progress(learner.id, hip, mature)
    for quality, days_ago in ((5, 0), (1, 0), (4, 3), (2, 40)):
        synced.commit_answer(
            _answer(
                hip,
                learner,
                mature,
                quality=quality,
                reviewed_at=T0 - timedelta(days=days_ago),
                study_day=DAY0 - timedelta(days=days_ago),
                after=mature,
            )
        )
    synced.commit_answer(
        _answer(
            pick,
            learner,
            None,
            quality=1,
            after=replace(studied(DAY0 + timedelta(days=1)), leech=True, lapses=8),
        )
    )
    stats = synced.stats(learner, DAY0)
    assert stats.reviews_today == 3
    assert stats.accuracy_today == pytest.approx(1 / 3)
    # hip is due but was answered today: today's session would not show it again.
    assert stats.due_today == 0 and stats.leeches == 1 and stats.total_units == 6
    assert stats.learning == 2  # both failed today
    assert [leech.unit.card_id for leech in stats.leech_list] == ["pick"]
    assert len(stats.forecast) == 30 and stats.forecast[0].count == 1
    assert stats.forecast[1].count == 1
    assert len(stats.reviews_per_day) == 84 and stats.reviews_per_day[-1].count == 3
    assert stats.reviews_per_day[-4].count == 1
    assert stats.mature_answers == 3 and stats.retention == pytest.approx(2 / 3)
    by_tag = {t.tag: (t.answers, t.correct) for t in stats.accuracy_by_tag}
    assert by_tag["anatomy"] == (4, 2) and by_tag["clinic"] == (1, 0)
    assert stats.accuracy_by_tag[0].tag == "clinic"
    assert [d.deck_id for d in stats.decks] == ["d"]
