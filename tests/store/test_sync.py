"""Deck sync: additions, edits that keep progress, retirement, `replaces`, and re-imports that
write nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import event

from gmed_trainer.decks.model import CardStatus, Deck
from gmed_trainer.store.records import Answer, LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import deck_fingerprint, sync_decks
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

LATER = T0 + timedelta(days=2)


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """Every SQL statement the store sends while the block runs."""
    seen: list[str] = []

    def record(conn: object, cursor: object, sql: str, *args: object) -> None:
        seen.append(sql)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def _writes(seen: list[str]) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "BEGIN IMMEDIATE")
    return [sql for sql in seen if sql.lstrip().upper().startswith(verbs)]


def _log(store: Store, learner: LearnerInfo, uid: int, quality: int = 4) -> int:
    before = store.progress(learner.id, uid)
    return store.commit_answer(
        Answer(
            learner_id=learner.id,
            unit_id=uid,
            reviewed_at=T0,
            study_day=DAY0,
            quality=quality,
            mode="review",
            before=before,
            after=studied(DAY0 + timedelta(days=6), repetitions=2, interval=6),
        )
    )


def test_a_new_deck_adds_every_published_unit(store: Store) -> None:
    deck = make_deck(
        "d",
        (basic("a"), reverse("r"), cloze("c"), mcq("m"), basic("draft", status=CardStatus.DRAFT)),
        tags=("gm",),
    )
    report = sync_decks(store, [deck], now=T0)
    (result,) = report.decks
    assert (result.added, result.edited, result.retired, result.unchanged) == (6, 0, 0, False)
    assert report.added == 6
    assert {v.unit.key for v in store.search_units(1)} == {
        ("d", "a", "main"),
        ("d", "r", "front"),
        ("d", "r", "back"),
        ("d", "c", "c1"),
        ("d", "c", "c2"),
        ("d", "m", "main"),
    }
    (info,) = store.decks()
    assert (info.id, info.title, info.tags) == ("d", "Deck d", ("gm",))


def test_an_unchanged_deck_is_skipped_without_a_single_write(store: Store) -> None:
    deck = make_deck("d", tuple(basic(f"c{i}", front=f"question {i} " * 20) for i in range(300)))
    sync_decks(store, [deck], now=T0)
    with statements(store) as seen:
        started = time.perf_counter()
        report = sync_decks(store, [deck], now=LATER)
        elapsed = time.perf_counter() - started
    assert report.decks[0].unchanged and report.changed == ()
    assert _writes(seen) == []
    assert len(seen) <= 3  # one query for the fingerprints (plus BEGIN/ROLLBACK on SQLite)
    assert elapsed < 0.5, f"re-sync of 300 cards took {elapsed * 1000:.0f} ms"
    assert deck_fingerprint(deck) == deck_fingerprint(replace(deck))


def test_an_edited_unit_keeps_its_progress_and_is_marked(
    store: Store, learner: LearnerInfo
) -> None:
    sync_decks(store, [make_deck("d", (basic("a", back="old"), basic("b")))], now=T0)
    uid = set_progress(store, learner, "d", "a", studied(DAY0))
    report = sync_decks(store, [make_deck("d", (basic("a", back="new"), basic("b")))], now=LATER)
    assert (report.edited, report.added, report.retired) == (1, 0, 0)
    view = next(v for v in store.search_units(learner.id) if v.unit_id == uid)
    assert view.progress == studied(DAY0)
    assert view.content_changed_at == LATER and view.edited_since_review
    assert view.unit.card.back == "new"  # type: ignore[attr-defined]
    assert unit_id(store, "d", "a") == uid


def test_a_tag_or_source_change_is_not_an_edit(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("a", tags=("x",)),))], now=T0)
    report = sync_decks(store, [make_deck("d", (basic("a", tags=("y",), source="s"),))], now=LATER)
    assert report.edited == 0 and not report.decks[0].unchanged
    (view,) = store.search_units(learner.id)
    assert view.tags == ("y",) and view.content_changed_at is None
    assert view.unit.card.source == "s"


def test_a_removed_unit_is_retired_with_its_history_and_restored_later(
    store: Store, learner: LearnerInfo
) -> None:
    full = make_deck("d", (basic("a"), basic("b"), cloze("c")))
    sync_decks(store, [full], now=T0)
    uid = set_progress(store, learner, "d", "b", studied(DAY0 - timedelta(days=1)))
    _log(store, learner, uid)
    set_progress(store, learner, "d", "b", studied(DAY0 - timedelta(days=1)))
    shorter = make_deck(
        "d", (basic("a"), basic("b", status=CardStatus.DRAFT), cloze("c", text="{{c1::one}}"))
    )
    report = sync_decks(store, [shorter], now=LATER)
    assert report.retired == 2  # card b (now a draft) and cloze number 2
    assert report.edited == 1  # cloze number 1's text changed
    assert uid not in {c.unit_id for c in store.due_candidates(learner.id, DAY0, limit=50)}
    assert uid not in {c.unit_id for c in store.new_candidates(learner.id, DAY0, limit=50)}
    assert uid not in {c.unit_id for c in store.cram_candidates(learner.id, DAY0, limit=50)}
    assert len(store.unit_history(learner.id, uid)) == 1
    assert store.deck_counts(learner, DAY0)[0].total == 2
    retired = store.search_units(learner.id, include_retired=True)
    assert {v.unit_id for v in retired if not v.active} >= {uid}

    report = sync_decks(store, [full], now=LATER + timedelta(days=1))
    assert report.decks[0].restored == 2
    assert store.progress(learner.id, uid) == studied(DAY0 - timedelta(days=1))
    assert uid in {c.unit_id for c in store.due_candidates(learner.id, DAY0, limit=50)}


def test_replaces_moves_progress_and_history_to_the_new_card(store: Store) -> None:
    ann = store.add_learner("ann")
    bob = store.add_learner("bob")
    sync_decks(
        store, [make_deck("d", (basic("old", back="v1"), cloze("oc"), basic("keep")))], now=T0
    )
    old = unit_id(store, "d", "old")
    set_progress(store, ann, "d", "old", studied(DAY0, lapses=3))
    _log(store, ann, old)
    _log(store, bob, old, quality=2)
    oc1 = set_progress(store, ann, "d", "oc", studied(DAY0 + timedelta(days=4)), unit="c1")

    new_deck = make_deck(
        "d",
        (
            reverse("new", replaces=("old",)),
            cloze("nc", text="{{c1::a}} {{c2::b}} {{c3::c}}", replaces=("oc",)),
            basic("keep"),
        ),
    )
    report = sync_decks(store, [new_deck], now=LATER)
    (result,) = report.decks
    assert result.moved == 2 and result.retired == 3 and result.added == 5

    front = unit_id(store, "d", "new", "front")
    ann_state = store.progress(ann.id, front)
    bob_state = store.progress(bob.id, front)
    assert ann_state is not None and ann_state.repetitions == 2  # the state written by _log
    assert bob_state is not None
    assert [e.quality for e in store.unit_history(ann.id, front)] == [4]
    assert [e.quality for e in store.unit_history(bob.id, front)] == [2]
    assert store.unit_history(ann.id, old) == [] and store.progress(ann.id, old) is None
    assert store.progress(ann.id, unit_id(store, "d", "nc", "c1")) == studied(
        DAY0 + timedelta(days=4)
    )
    assert store.progress(ann.id, oc1) is None
    view = next(v for v in store.search_units(ann.id) if v.unit_id == front)
    assert view.content_changed_at == LATER

    again = sync_decks(store, [replace(new_deck, version="2")], now=LATER + timedelta(days=1))
    assert again.moved == 0


def test_replaces_keeps_the_more_recent_state(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("old"), basic("new")))], now=T0)
    set_progress(store, learner, "d", "old", studied(DAY0, interval=10))
    newer = set_progress(store, learner, "d", "new", studied(DAY0, interval=3))
    sync_decks(store, [make_deck("d", (basic("new", replaces=("old",)),))], now=LATER)
    assert store.progress(learner.id, newer) == studied(DAY0, interval=3)


def test_replaces_of_a_card_still_present_moves_nothing(store: Store, learner: LearnerInfo) -> None:
    sync_decks(store, [make_deck("d", (basic("old"),))], now=T0)
    old = set_progress(store, learner, "d", "old", studied(DAY0))
    report = sync_decks(
        store, [make_deck("d", (basic("old"), basic("new", replaces=("old",))))], now=LATER
    )
    assert report.moved == 0 and "still in the deck" in report.decks[0].notes[0]
    assert store.progress(learner.id, old) == studied(DAY0)


def test_two_processes_syncing_at_once_both_succeed(db_url: str) -> None:
    deck = make_deck("d", tuple(basic(f"c{i}") for i in range(200)))
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run() -> None:
        try:
            with Store.open(db_url) as store:
                barrier.wait()
                sync_decks(store, [deck], now=T0)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with Store.open(db_url):
        pass
    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(db_url) as store:
        assert store.deck_counts(store.add_learner("x"), DAY0)[0].total == 200


def test_several_decks_in_one_sync(store: Store) -> None:
    decks: list[Deck] = [make_deck("a", (basic("x"),)), make_deck("b", (basic("x"),))]
    report = sync_decks(store, decks, now=T0)
    assert [d.deck_id for d in report.decks] == ["a", "b"] and report.added == 2
    assert sync_decks(store, [], now=T0).decks == ()
