"""An instructor and 30 students in separate processes, answering at once on one database
(a SQLite file, and PostgreSQL when reachable): every answer is stored exactly once, the results
add up, nothing counts after the deadline, and duplicate submissions change nothing."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from typing import Any

import pytest

from gmed_trainer.exam.class_results import class_results
from gmed_trainer.exam.classroom import ClassRoom
from gmed_trainer.store.exam_repository import ExamRepository
from tests.exam import class_sim

STUDENTS = 30
ITEMS = 10

pytestmark = pytest.mark.slow


def run_class(url: str) -> tuple[str, dict[str, Any], list[Any]]:
    # A fork server: each process starts clean (as on students' own machines) without paying
    # for the imports thirty times.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.exam.class_sim"])
    out: Any = ctx.Queue()
    end_now = ctx.Event()
    go = ctx.Barrier(STUDENTS)
    teacher = ctx.Process(
        target=class_sim.instructor, args=(url, STUDENTS, ITEMS, out, end_now), daemon=True
    )
    teacher.start()
    kind, code = out.get(timeout=60)
    assert kind == "code"
    pupils = [
        ctx.Process(target=class_sim.student, args=(url, code, n, go, out), daemon=True)
        for n in range(STUDENTS)
    ]
    for p in pupils:
        p.start()
    fast_done: set[int] = set()
    summary: dict[str, Any] = {}
    results: list[Any] = []
    while len(results) < STUDENTS or not summary:
        kind, payload = out.get(timeout=120)
        if kind == "done":
            if payload < class_sim.SLOW_FROM:
                fast_done.add(payload)
            # End the block once the fast students are through, the slow ones mid-way.
            if len(fast_done) == class_sim.SLOW_FROM:
                end_now.set()
        elif kind == "ended":
            summary = payload
        elif kind == "result":
            results.append(payload)
    for p in [teacher, *pupils]:
        p.join(timeout=30)
        assert p.exitcode == 0
    return code, summary, results


def check(repo: ExamRepository, code: str, summary: dict[str, Any], results: list[Any]) -> None:
    room = ClassRoom(repo)
    record = room.record(code)
    students = {s.id: s.name for s in repo.students(record.id)}
    items = repo.class_items(record.id)
    ref = {q: (i, p) for i, item in enumerate(items) for p, q in enumerate(item.question_ids)}
    stored = repo.class_answers(record.id)
    deadline = summary["deadline"]

    # Exactly one row per (student, question) that got an accepted answer, holding the last
    # accepted pick; nothing for questions whose every submission was refused.
    rows = Counter((students[a.student_id], ref[a.question_id]) for a in stored)
    assert set(rows.values()) == {1}
    stored_pick = {(students[a.student_id], ref[a.question_id]): a.chosen for a in stored}
    expected: dict[tuple[str, tuple[int, int]], tuple[str, ...]] = {}
    for name, sent, _finished, late_accepted, late_reason in results:
        for index, part, pick, accepted in sent:
            if accepted:
                expected[(name, (index, part))] = (pick,)
        assert not late_accepted and late_reason == "the time is up"
    assert stored_pick == expected
    # Nobody's answer was stored at or after the deadline.
    assert all(a.answered_at < deadline for a in stored)
    # The fast students answered everything before the end.
    for name, sent, _f, _la, _lr in results:
        if int(name.split("-")[1]) < class_sim.SLOW_FROM:
            assert all(accepted for *_, accepted in sent)

    # The results add up.
    results_now = class_results(room, code)
    assert results_now.joined == STUDENTS == summary["joined"]
    assert results_now.finished == summary["finished"] == class_sim.SLOW_FROM // 2
    assert sum(s.answered for s in results_now.students) == len(stored) == summary["answered"]
    assert sum(q.answered for q in results_now.questions) == len(stored)
    assert sum(s.score for s in results_now.students) == sum(
        q.correct for q in results_now.questions
    )
    for q in results_now.questions:
        assert sum(o.count for o in q.options) == q.answered
    keyed = room.items(code)
    for s in results_now.students:
        mine = {k[1]: v for k, v in expected.items() if k[0] == s.name}
        score = 0
        for (i, p), chosen in mine.items():
            key = keyed[i].parts[p].key
            assert key is not None
            score += key.is_correct(chosen)
        assert s.score == score == summary["scores"][s.name]


def test_thirty_students_on_one_sqlite_file(sqlite_url: str) -> None:
    from gmed_trainer.store.repository import Store
    from tests.exam.factories import deck
    from tests.exam.loading import put_decks

    with Store.open(sqlite_url) as store:
        put_decks(store, [deck(mcqs=12, cases=3)])
    code, summary, results = run_class(sqlite_url)
    with Store.open(sqlite_url) as store:
        check(ExamRepository(store), code, summary, results)


def test_thirty_students_on_postgresql(pg_url: str) -> None:
    from gmed_trainer.store.repository import Store
    from tests.exam.factories import deck
    from tests.exam.loading import put_decks

    with Store.open(pg_url) as store:
        put_decks(store, [deck(mcqs=12, cases=3)])
    code, summary, results = run_class(pg_url)
    with Store.open(pg_url) as store:
        check(ExamRepository(store), code, summary, results)
