"""Class sessions under load: 100 students answering 20 items at once on PostgreSQL.

Each student is its own process with its own database connection (started from a fork server,
so the imports are paid once). They join and wait in the lobby; the instructor starts the block;
they fetch their items and, released together, answer every item through `StudentSeat.answer`
(the server-clock deadline check and the idempotent upsert, in one transaction). Two rounds:

* burst: no thinking time at all, every student as fast as the machine lets them;
* paced: a seeded thinking time of 0.2-1.0 s before each answer (still far busier than a real
  class, where an item takes a minute).

Reported per round: answers per second, and the latency of one answer at p50/p95/p99 (target:
p99 under 50 ms). The students' processes and the server share this machine's CPUs, which a real
class (each student on their own machine) would not; the students' CPU time is printed too.

The database is a fresh schema in `BENCH_PG_URL` (default: the local test server), dropped
afterwards. Without a reachable server the bench says so and does nothing. `BENCH_CLASS_STUDENTS`
changes the class size; the server's free connections cap it.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import secrets
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier, Event
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

STUDENTS = int(os.environ.get("BENCH_CLASS_STUDENTS", "100"))
ITEMS = 20
SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_P99_MS = 50.0
#: Thinking time before each answer in the paced round, in seconds.
PACED = (0.2, 1.0)


@dataclass(frozen=True)
class StudentRun:
    latencies: list[float]
    refused: int
    first: float
    last: float
    cpu: float


def _deck() -> Any:
    from gmed_trainer.decks.model import Deck, McqCard, Option

    cards = tuple(
        McqCard(
            id=f"q{n}",
            question=f"Question {n}?",
            options=tuple(
                Option(id=o, text=f"option {o} of {n}", correct=o == "a", why=f"because {o}")
                for o in "abcde"
            ),
            explanation="explanation",
            tags=("bench",),
        )
        for n in range(ITEMS * 2)
    )
    return Deck(id="bench-class", title="Bench class", cards=cards)


def _student(
    url: str,
    code: str,
    number: int,
    think: tuple[float, float] | None,
    started: Event,
    go: Barrier,
    out: Queue[Any],
) -> None:
    from gmed_trainer.exam.classroom import StudentSeat
    from gmed_trainer.store.exam_repository import ExamRepository
    from gmed_trainer.store.repository import Store

    rng = random.Random(number)
    with Store.open(url) as store:
        seat = StudentSeat.join(ExamRepository(store), code, f"student-{number:03d}")
        # Wait in the lobby without a connection: the server's connection limit must hold the
        # whole class during the block, not the lobby on top of it.
        store.engine.dispose()
        started.wait(timeout=300)
        items = seat.items()
        seat.warm_up()  # as `ClassBlock` does when the block opens on the student's screen
        go.wait(timeout=300)
        latencies = []
        refused = 0
        first = time.perf_counter()
        cpu = time.process_time()
        for index, item in enumerate(items):
            if think is not None:
                time.sleep(rng.uniform(*think))
            option = item.parts[0].choices[(number + index) % len(item.parts[0].choices)].id
            began = time.perf_counter()
            receipt = seat.answer(index, 0, [option])
            latencies.append(time.perf_counter() - began)
            refused += not receipt.accepted
        cpu = time.process_time() - cpu
        out.put(StudentRun(latencies, refused, first, time.perf_counter(), cpu))


def _free_connections(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        limit = int(conn.execute(text("SHOW max_connections")).scalar_one())
        used = int(
            conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
            ).scalar_one()
        )
    engine.dispose()
    return limit - used


def _round(url: str, students: int, think: tuple[float, float] | None, title: str) -> None:
    from gmed_trainer.exam.classroom import ClassRoom
    from gmed_trainer.store.exam_repository import ExamRepository
    from gmed_trainer.store.repository import Store

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bench.class_answers", "gmed_trainer.exam.classroom"])
    out: Any = ctx.Queue()
    started = ctx.Event()
    go = ctx.Barrier(students + 1)
    with Store.open(url) as store:
        repo = ExamRepository(store)
        room = ClassRoom(repo)
        candidates = repo.exam_candidates()
        code = room.create(
            [c.unit for c in candidates],
            {c.unit.key: c.unit_id for c in candidates},
            count=ITEMS,
            minutes=30,
            title=title,
        ).code
        record = room.record(code)
        processes = [
            ctx.Process(target=_student, args=(url, code, n, think, started, go, out), daemon=True)
            for n in range(students)
        ]
        for p in processes:
            p.start()
        while len(repo.students(record.id)) < students:
            time.sleep(0.05)
        room.start(code)
        store.engine.dispose()
        started.set()
        go.wait(timeout=300)
        runs: list[StudentRun] = [out.get(timeout=600) for _ in range(students)]
        for p in processes:
            p.join(timeout=60)
        stored = len(repo.class_answers(record.id))

    latencies = sorted(x for r in runs for x in r.latencies)
    refused = sum(r.refused for r in runs)
    elapsed = max(r.last for r in runs) - min(r.first for r in runs)
    cut = statistics.quantiles(latencies, n=100, method="inclusive")
    p50, p95, p99 = cut[49] * 1000, cut[94] * 1000, cut[98] * 1000
    verdict = "met" if p99 < TARGET_P99_MS else "missed"
    # A student's first answer also compiles the answer's statements in that process.
    first_ms = statistics.median(r.latencies[0] for r in runs) * 1000
    later = statistics.quantiles([x for r in runs for x in r.latencies[1:]], n=100)[98] * 1000
    print(
        f"{title}: {len(latencies)} answers sent, {stored} stored, {refused} refused; "
        f"{len(latencies) / elapsed:,.0f} answers/s over {elapsed:.2f} s; "
        f"students' CPU {sum(r.cpu for r in runs):.2f} s"
    )
    print(
        f"{title}: latency per answer p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms "
        f"(target p99 < {TARGET_P99_MS:.0f} ms: {verdict}); first answer median "
        f"{first_ms:.1f} ms, p99 after the first {later:.1f} ms"
    )


def _run(url: str) -> None:
    from gmed_trainer.store.repository import Store
    from gmed_trainer.store.sync import sync_decks

    with Store.open(url) as store:
        sync_decks(store, [_deck()], now=datetime.now(UTC))
    students = min(STUDENTS, _free_connections(url) - 2)
    note = "" if students == STUDENTS else f" (the server had room for only {students})"
    print(
        f"{students} students{note}, each a process with its own connection, {ITEMS} items; "
        f"{os.cpu_count()} CPUs shared by students and server"
    )
    _round(url, students, None, "burst")
    _round(url, students, PACED, f"paced {PACED[0]:g}-{PACED[1]:g} s")


def main() -> None:
    schema = f"bench_class_{secrets.token_hex(4)}"
    try:
        admin = create_engine(SERVER, connect_args={"connect_timeout": 3}, poolclass=NullPool)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except (OperationalError, ModuleNotFoundError) as exc:
        print(f"skipped: PostgreSQL unreachable at {SERVER} ({str(exc).splitlines()[0]})")
        return
    try:
        _run(f"{SERVER}?options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
