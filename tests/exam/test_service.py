"""Personal blocks on a real database: pools from earlier blocks, recording, sending to study."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gmed_trainer.errors import GmedError, UsageError
from gmed_trainer.exam.block import BlockMode
from gmed_trainer.exam.service import ExamRequest, ExamSitting, PersonalExam, Pool
from gmed_trainer.store.exam_repository import ExamRepository
from tests.exam.factories import START, FakeClock


def exam(repo: ExamRepository, clock: FakeClock | None = None) -> PersonalExam:
    learner = repo.store.get_or_add_learner("ana", now=START)
    return PersonalExam(repo, learner.id, clock=clock or FakeClock())


def answer_all(sitting: ExamSitting, *, correctly: bool) -> None:
    block = sitting.block
    for index, item in enumerate(block.items):
        block.go_to(index)
        for number, part in enumerate(item.parts):
            assert part.key is not None
            ids = [c.id for c in part.choices if (c.id in part.key.correct) == correctly]
            block.choose(ids[0])
            if number + 1 < len(item.parts):
                block.confirm()


def test_a_block_is_drawn_from_the_selection_with_its_seed(repo: ExamRepository) -> None:
    personal = exam(repo)
    first = personal.start(ExamRequest(count=5, seed=42))
    again = personal.start(ExamRequest(count=5, seed=42))
    assert [i.unit_key for i in first.block.items] == [i.unit_key for i in again.block.items]
    assert [c.id for i in first.block.items for p in i.parts for c in p.choices] == [
        c.id for i in again.block.items for p in i.parts for c in p.choices
    ]
    assert first.block.mode is BlockMode.TIMED
    assert first.block.time_limit == timedelta(minutes=20)


def test_tags_narrow_the_pool(repo: ExamRepository) -> None:
    sitting = exam(repo).start(ExamRequest(tags=("cases",), count=20))
    assert {i.card_id for i in sitting.block.items} == {"c0", "c1"}
    assert all(i.is_case for i in sitting.block.items)


def test_unknown_decks_give_a_readable_error(repo: ExamRepository) -> None:
    with pytest.raises(GmedError, match="no unused mcq or case items left in deck nope"):
        exam(repo).start(ExamRequest(decks=("nope",)))


def test_tutor_mode_has_no_countdown_unless_minutes_are_given(repo: ExamRepository) -> None:
    personal = exam(repo)
    assert personal.start(ExamRequest(tutor=True)).block.time_limit is None
    assert personal.start(ExamRequest(tutor=True, minutes=5)).block.time_limit == timedelta(
        minutes=5
    )


def test_bad_counts_and_minutes_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        ExamRequest(count=0)
    with pytest.raises(UsageError):
        ExamRequest(minutes=0)


def test_the_unused_pool_leaves_out_units_of_earlier_blocks(repo: ExamRepository) -> None:
    personal = exam(repo)
    first = personal.start(ExamRequest(count=4, seed=1))
    answer_all(first, correctly=True)
    personal.record(first)
    used = {i.unit_key for i in first.block.items}
    later = personal.start(ExamRequest(count=20, seed=2))
    assert len(later.block.items) == 10 - 4
    assert not used & {i.unit_key for i in later.block.items}
    everything = personal.start(ExamRequest(count=20, pool=Pool.ALL, seed=2))
    assert len(everything.block.items) == 10


def test_the_incorrect_pool_holds_what_was_missed_last_time(repo: ExamRepository) -> None:
    personal = exam(repo)
    with pytest.raises(GmedError, match="no incorrectly answered items"):
        personal.start(ExamRequest(pool=Pool.INCORRECT))
    first = personal.start(ExamRequest(count=10, seed=3))
    block = first.block
    missed = set()
    for index, item in enumerate(block.items):
        block.go_to(index)
        part = item.parts[0]
        assert part.key is not None
        if index % 3 == 0:
            missed.add(item.unit_key)  # left unanswered, or wrong below
            if index % 2 == 0:
                block.choose(next(c.id for c in part.choices if c.id not in part.key.correct))
            continue
        for number, p in enumerate(item.parts):
            assert p.key is not None
            block.choose(next(iter(p.key.correct)))
            if number + 1 < len(item.parts):
                block.confirm()
    personal.record(first)
    retry = personal.start(ExamRequest(pool=Pool.INCORRECT, count=20, seed=4))
    assert {i.unit_key for i in retry.block.items} == missed
    # Answered right this time, they leave the pool.
    answer_all(retry, correctly=True)
    personal.record(retry)
    with pytest.raises(GmedError):
        personal.start(ExamRequest(pool=Pool.INCORRECT))


def test_recording_stores_every_question_once(repo: ExamRepository) -> None:
    clock = FakeClock()
    personal = exam(repo, clock)
    sitting = personal.start(ExamRequest(count=10, seed=5))
    answer_all(sitting, correctly=True)
    sitting.block.go_to(3)
    sitting.block.toggle_flag()
    clock.advance(minutes=7)
    block_id = personal.record(sitting)
    assert personal.record(sitting) == block_id
    (stored,) = personal.history()
    assert stored.id == block_id
    assert (stored.score, stored.total) == (12, 12)  # 8 mcqs + 2 cases of 2 steps
    assert stored.time_used_ms == 7 * 60 * 1000 and not stored.timed_out
    responses = repo.block_responses(block_id)
    assert len(responses) == 12
    assert [r.position for r in responses if r.flagged] == [3]


def test_missed_items_go_to_the_study_queue_as_due_today(repo: ExamRepository) -> None:
    personal = exam(repo)
    sitting = personal.start(ExamRequest(count=10, seed=6))
    answer_all(sitting, correctly=False)
    result = sitting.block.submit()
    personal.record(sitting)
    assert personal.send_missed_to_study(sitting) == 10
    store = repo.store
    for unit_id in sitting.unit_ids:
        progress = store.progress(personal.learner_id, unit_id)
        assert progress is not None and progress.due <= START.date()
    assert len(result.missed) == 10
