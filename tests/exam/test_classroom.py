"""Class sessions in one process: lobby, start, answers by option id, the deadline, review,
results. The many-process run is in test_class_concurrency.py."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from gmed_trainer.errors import GmedError, UsageError
from gmed_trainer.exam.class_results import class_results
from gmed_trainer.exam.classroom import (
    ClassNotEnded,
    ClassRoom,
    ClassStatus,
    StudentSeat,
    format_code,
    normalize_code,
)
from gmed_trainer.exam.items import ExamItem
from gmed_trainer.store.exam_repository import SESSION, ExamRepository
from tests.exam.factories import START


def create(repo: ExamRepository, count: int = 6, minutes: int = 15) -> tuple[ClassRoom, str]:
    room = ClassRoom(repo)
    candidates = repo.exam_candidates()
    state = room.create(
        [c.unit for c in candidates],
        {c.unit.key: c.unit_id for c in candidates},
        count=count,
        minutes=minutes,
        title="Week 3 quiz",
        seed=9,
    )
    return room, state.code


def set_deadline_in(repo: ExamRepository, code: str, seconds: float) -> None:
    """Move a running class's deadline to `seconds` from the server's now (tests only)."""
    deadline = repo.server_now() + timedelta(seconds=seconds)
    with repo.store.transaction() as conn:
        conn.execute(update(SESSION).where(SESSION.c.code == code).values(deadline=deadline))


def key_of(item: ExamItem, part: int = 0) -> frozenset[str]:
    key = item.parts[part].key
    assert key is not None
    return key.correct


def test_join_codes_are_short_and_forgiving() -> None:
    assert normalize_code(" k7p-m2q ") == "K7PM2Q"
    assert format_code("K7PM2Q") == "K7P-M2Q"
    for bad in ("K7PM2", "K7PM2O", "K7PM21", "hello!"):
        with pytest.raises(UsageError):
            normalize_code(bad)


def test_a_class_waits_in_the_lobby_until_started(repo: ExamRepository) -> None:
    room, code = create(repo)
    state = room.state(code)
    assert state.status is ClassStatus.LOBBY and state.title == "Week 3 quiz"
    assert state.remaining is None
    seat = StudentSeat.join(repo, code, "Bea")
    assert seat.items() == ()
    receipt = seat.answer(0, 0, [seat._full_items[0].parts[0].choices[0].id])
    assert not receipt.accepted and receipt.reason == "the block has not started yet"
    started = room.start(code)
    assert started.status is ClassStatus.RUNNING
    assert started.deadline is not None and started.started_at is not None
    assert started.deadline - started.started_at == timedelta(minutes=15)
    assert timedelta(minutes=14) < started.remaining <= timedelta(minutes=15)  # type: ignore[operator]
    assert room.start(code).started_at == started.started_at  # a second start changes nothing


def test_students_never_see_keys_or_explanations_before_the_end(repo: ExamRepository) -> None:
    room, code = create(repo)
    seat = StudentSeat.join(repo, code, "Bea")
    room.start(code)
    items = seat.items()
    assert items and all(i.explanation is None for i in items)
    assert all(p.key is None for i in items for p in i.parts)
    with pytest.raises(ClassNotEnded):
        seat.review()
    first = items[0].parts[0].choices[0].id
    receipt = seat.answer(0, 0, [first])
    assert receipt.accepted and receipt.reason is None
    assert not hasattr(receipt, "correct")
    room.end(code)
    reviewed = seat.items()
    assert all(p.key is not None for i in reviewed for p in i.parts)
    assert seat.review().items[0].parts[0].chosen == {first}


def test_every_student_gets_the_same_items_with_their_own_option_order(
    repo: ExamRepository,
) -> None:
    room, code = create(repo, count=8)
    room.start(code)
    seats = [StudentSeat.join(repo, code, f"student {n}") for n in range(6)]
    orders = [[tuple(c.id for p in i.parts for c in p.choices) for i in s.items()] for s in seats]
    keys = [[i.unit_key for i in s.items()] for s in seats]
    assert all(k == keys[0] for k in keys)
    assert len({tuple(o) for o in orders}) > 1


def test_duplicate_submissions_store_one_answer(repo: ExamRepository) -> None:
    room, code = create(repo)
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea")
    option = seat.items()[0].parts[0].choices[1].id
    for _ in range(3):
        assert seat.answer(0, 0, [option]).accepted
    other = seat.items()[0].parts[0].choices[2].id
    assert seat.answer(0, 0, [other]).accepted
    assert seat.answers() == {(0, 0): frozenset({other})}
    assert len(repo.class_answers(repo.find_class(code).id)) == 1  # type: ignore[union-attr]


def test_answers_must_name_options_of_the_question(repo: ExamRepository) -> None:
    room, code = create(repo)
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea")
    with pytest.raises(UsageError):
        seat.answer(0, 0, ["no-such-option"])
    with pytest.raises(UsageError):
        seat.answer(99, 0, ["a"])
    with pytest.raises(UsageError):
        seat.answer(0, 0, [c.id for c in seat.items()[0].parts[0].choices[:2]])


def test_answers_after_the_deadline_are_refused(repo: ExamRepository) -> None:
    room, code = create(repo)
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea")
    option = seat.items()[0].parts[0].choices[0].id
    set_deadline_in(repo, code, 0.5)
    assert seat.answer(0, 0, [option]).accepted
    time.sleep(0.6)
    assert seat.state().status is ClassStatus.ENDED
    late = seat.answer(1, 0, [seat.items()[1].parts[0].choices[0].id])
    assert not late.accepted and late.reason == "the time is up"
    assert set(seat.answers()) == {(0, 0)}


def test_a_student_who_submitted_cannot_answer_any_more(repo: ExamRepository) -> None:
    room, code = create(repo)
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea")
    seat.finish()
    receipt = seat.answer(0, 0, [seat.items()[0].parts[0].choices[0].id])
    assert not receipt.accepted and receipt.reason == "you have already submitted the block"


def test_a_student_who_drops_out_resumes_and_a_late_joiner_gets_what_is_left(
    repo: ExamRepository,
) -> None:
    room, code = create(repo)
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea")
    option = seat.items()[2].parts[0].choices[0].id
    seat.answer(2, 0, [option])
    again = StudentSeat.join(repo, code, "  Bea ")
    assert again.student.id == seat.student.id
    assert again.answers() == {(2, 0): frozenset({option})}
    assert [i.parts for i in again.items()] == [i.parts for i in seat.items()]
    set_deadline_in(repo, code, 120)
    late = StudentSeat.join(repo, code, "Cai")
    remaining = late.state().remaining
    assert remaining is not None and remaining <= timedelta(seconds=120)


def test_nobody_new_joins_an_ended_class(repo: ExamRepository) -> None:
    room, code = create(repo)
    StudentSeat.join(repo, code, "Bea")
    room.start(code)
    room.end(code)
    with pytest.raises(GmedError, match="has ended"):
        StudentSeat.join(repo, code, "Cai")
    assert StudentSeat.join(repo, code, "Bea").review().total > 0
    with pytest.raises(GmedError, match="no class with code"):
        StudentSeat.join(repo, "ZZZ-ZZZ", "Bea")


def test_case_steps_are_answered_in_order(repo: ExamRepository) -> None:
    room = ClassRoom(repo)
    candidates = [c for c in repo.exam_candidates() if c.unit.card.type == "case"]
    code = room.create(
        [c.unit for c in candidates],
        {c.unit.key: c.unit_id for c in candidates},
        count=1,
        minutes=5,
    ).code
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea")
    item = seat.items()[0]
    first, second = item.parts[0].choices[0].id, item.parts[1].choices[0].id
    assert seat.answer(0, 1, [second]).reason == "answer the earlier steps of this case first"
    assert seat.answer(0, 0, [first]).accepted
    assert seat.answer(0, 1, [second]).accepted
    changed = seat.answer(0, 0, [item.parts[0].choices[1].id])
    assert changed.reason == "a later step of this case is answered: this step is locked"


def test_review_and_send_missed_items_to_study(repo: ExamRepository) -> None:
    learner = repo.store.get_or_add_learner("bea", now=START)
    room, code = create(repo, count=4)
    room.start(code)
    seat = StudentSeat.join(repo, code, "Bea", learner_id=learner.id)
    for index, item in enumerate(seat.items()):
        if not item.is_case:
            seat.answer(index, 0, [item.parts[0].choices[0].id])
    seat.finish()
    room.end(code)
    result = seat.review()
    assert all(p.key.why for i in result.items for p in i.parts)
    assert result.missed
    sent = seat.send_missed_to_study(START)
    assert sent == len(result.missed)


def test_results_add_up(repo: ExamRepository, tmp_path: Path) -> None:
    room, code = create(repo, count=6)
    room.start(code)
    seats = [StudentSeat.join(repo, code, name) for name in ("Cai", "Ana", "Bea")]
    items = room.items(code)
    for n, seat in enumerate(seats):
        for index, item in enumerate(seat.items()):
            if item.is_case or index > 2 + n:
                continue
            right = key_of(items[index])
            options = [c.id for c in item.parts[0].choices]
            pick = (
                sorted(right)[0]
                if (index + n) % 2 == 0
                else next(o for o in options if o not in right)
            )
            seat.answer(index, 0, [pick])
    seats[0].finish()
    live = class_results(room, code)
    assert [s.name for s in live.students] == ["Ana", "Bea", "Cai"]  # no leaderboard: by name
    assert all(s.rank is None for s in live.students)
    assert live.joined == 3 and live.finished == 1
    answered = sum(s.answered for s in live.students)
    assert answered == sum(q.answered for q in live.questions)
    assert sum(s.score for s in live.students) == sum(q.correct for q in live.questions)
    for q in live.questions:
        assert sum(o.count for o in q.options) == q.answered
    percents = [q.percent_correct for q in live.questions]
    assert percents == sorted(percents)
    board = class_results(room, code, leaderboard=True)
    assert [s.score for s in board.students] == sorted(
        (s.score for s in board.students), reverse=True
    )
    assert board.students[0].rank == 1
    out = tmp_path / "results.csv"
    live.write_csv(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("student,item,step,card,question,chosen")
    assert len(lines) == 1 + 3 * live.question_count
