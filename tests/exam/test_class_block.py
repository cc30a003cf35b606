"""A student's block: resuming from stored answers, the countdown from the server's time on a
monotonic clock, and the end closing it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gmed_trainer.exam.block import BlockPhase
from gmed_trainer.exam.class_block import ClassBlock
from gmed_trainer.exam.classroom import ClassRoom, StudentSeat
from gmed_trainer.store.exam_repository import ExamRepository


class Ticker:
    """A monotonic clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def running_class(repo: ExamRepository) -> tuple[ClassRoom, str]:
    room = ClassRoom(repo)
    candidates = repo.exam_candidates()
    code = room.create(
        [c.unit for c in candidates],
        {c.unit.key: c.unit_id for c in candidates},
        count=10,
        minutes=10,
        seed=4,
    ).code
    room.start(code)
    return room, code


def test_no_block_in_the_lobby(repo: ExamRepository) -> None:
    room = ClassRoom(repo)
    candidates = repo.exam_candidates()
    code = room.create(
        [c.unit for c in candidates],
        {c.unit.key: c.unit_id for c in candidates},
        count=2,
        minutes=5,
    ).code
    seat = StudentSeat.join(repo, code, "Bea")
    with pytest.raises(ValueError):
        ClassBlock(seat, seat.state())


def test_answers_are_sent_and_a_rejoining_student_resumes(repo: ExamRepository) -> None:
    _room, code = running_class(repo)
    seat = StudentSeat.join(repo, code, "Bea")
    block = ClassBlock(seat, seat.state())
    case_index = next(i for i, item in enumerate(block.items) if item.is_case)
    block.go_to(case_index)
    first = block.choose(block.item.parts[0].choices[0].id)
    assert first is not None and block.send(first).accepted
    block.confirm()
    second = block.choose(block.item.parts[1].choices[2].id)
    assert second is not None and block.send(second).accepted

    again = ClassBlock(StudentSeat.join(repo, code, "Bea"), seat.state())
    assert again.answer(case_index, 0) == first.chosen
    assert again.answer(case_index, 1) == second.chosen
    assert again.is_locked(case_index, 0) and not again.is_locked(case_index, 1)
    assert again.open_part(case_index) == 1


def test_the_countdown_follows_the_server_and_ends_the_block(repo: ExamRepository) -> None:
    _room, code = running_class(repo)
    seat = StudentSeat.join(repo, code, "Bea")
    ticker = Ticker()
    state = seat.state()
    block = ClassBlock(seat, state, monotonic=ticker)
    left = block.remaining()
    assert left is not None and timedelta(minutes=9) < left <= timedelta(minutes=10)
    ticker.now += 60
    after = block.remaining()
    assert after is not None and after == left - timedelta(seconds=60)
    ticker.now += 600
    assert block.tick() and block.phase is BlockPhase.ENDED
    assert block.choose(block.item.parts[0].choices[0].id) is None


def test_the_instructor_ending_the_block_refuses_later_answers(repo: ExamRepository) -> None:
    room, code = running_class(repo)
    seat = StudentSeat.join(repo, code, "Bea")
    block = ClassBlock(seat, seat.state())
    submission = block.choose(block.item.parts[0].choices[0].id)
    room.end(code)
    assert submission is not None
    receipt = block.send(submission)
    assert not receipt.accepted and receipt.reason == "the time is up"
    assert block.phase is BlockPhase.ENDED
    assert block.review().items[0].parts[0].chosen == frozenset()


def test_submitting_closes_the_block(repo: ExamRepository) -> None:
    _room, code = running_class(repo)
    seat = StudentSeat.join(repo, code, "Bea")
    block = ClassBlock(seat, seat.state())
    block.submit()
    assert block.phase is BlockPhase.SUBMITTED
    resumed = ClassBlock(StudentSeat.join(repo, code, "Bea"), seat.state())
    assert resumed.phase is BlockPhase.SUBMITTED
