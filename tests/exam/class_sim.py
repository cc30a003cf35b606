"""The processes of the class test: one instructor and many students on one shared database.

Module-level functions, so `multiprocessing` can start them from a fork server: every process
has its own interpreter state and its own database connections, as on students' own machines.
"""

from __future__ import annotations

import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier, Event
from typing import Any

from gmed_trainer.exam.class_results import class_results
from gmed_trainer.exam.classroom import ClassRoom, ClassStatus, StudentSeat
from gmed_trainer.store.exam_repository import ExamRepository
from gmed_trainer.store.repository import Store

#: Students numbered from here on answer slowly, so the instructor's end meets them mid-block.
SLOW_FROM = 20


def instructor(
    url: str,
    students: int,
    count: int,
    out: Queue[Any],
    end_now: Event,
) -> None:
    """Create a class, start it once every student is in the lobby, end it when told."""
    with Store.open(url) as store:
        repo = ExamRepository(store)
        room = ClassRoom(repo)
        candidates = repo.exam_candidates()
        state = room.create(
            [c.unit for c in candidates],
            {c.unit.key: c.unit_id for c in candidates},
            count=count,
            minutes=15,
            title="concurrency",
        )
        out.put(("code", state.code))
        record = room.record(state.code)
        while len(repo.students(record.id)) < students:
            time.sleep(0.05)
        room.start(state.code)
        out.put(("started", None))
        end_now.wait(timeout=120)
        ended = room.end(state.code)
        results = class_results(room, state.code)
        out.put(
            (
                "ended",
                {
                    "deadline": ended.deadline,
                    "joined": results.joined,
                    "finished": results.finished,
                    "answered": sum(s.answered for s in results.students),
                    "scores": {s.name: s.score for s in results.students},
                },
            )
        )


def student(url: str, code: str, number: int, go: Barrier, out: Queue[Any]) -> None:
    """Join, wait in the lobby, then answer every question at once with the others: each
    answer sent twice, some changed; then try once more after the end."""
    name = f"student-{number:02d}"
    with Store.open(url) as store:
        repo = ExamRepository(store)
        seat = StudentSeat.join(repo, code, name)
        while seat.state().status is ClassStatus.LOBBY:
            time.sleep(0.05)
        go.wait(timeout=120)
        state = seat.state()
        sent: list[tuple[int, int, str, bool]] = []
        for index, item in enumerate(seat.items(state)):
            for part, question in enumerate(item.parts):
                options = [c.id for c in question.choices]
                pick = options[(number + index + part) % len(options)]
                if number % 3 == 0 and part + 1 == len(item.parts):
                    # Change one's mind: the first pick is replaced by the second.
                    first = options[(number + index + part + 1) % len(options)]
                    sent.append((index, part, first, seat.answer(index, part, [first]).accepted))
                for _ in range(2):  # a duplicate submission
                    sent.append((index, part, pick, seat.answer(index, part, [pick]).accepted))
                if number >= SLOW_FROM:
                    time.sleep(0.015)
        finished = number % 2 == 0 and number < SLOW_FROM
        if finished:
            seat.finish()
        out.put(("done", number))
        while seat.state().status is not ClassStatus.ENDED:
            time.sleep(0.05)
        first_option = seat.items()[0].parts[0].choices[0].id
        late = seat.answer(0, 0, [first_option])
        out.put(("result", (name, sent, finished, late.accepted, late.reason)))
