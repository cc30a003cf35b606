"""The study core on a big collection (bench/collection.py: 50,000 units, 1,000,000 log rows).

Measured in a child process on a copy of the cached collection, so the figures include imports
and the peak memory is the child's own:

- today's queue built (`build_queue`, default limits: 20 new, 200 reviews): target < 50 ms;
- one answer (grade + commit + the next unit shown) at p50/p99: target p99 < 2 ms;
- 1,000 answers through the session engine (reveal or choose, then grade): target about
  0.33 s, what Anki's own library takes for 1,000 answers on this machine;
- peak memory (ru_maxrss) of the whole run: target < 150 MB.

The child runs RUNS times; each figure is reported as the median of the runs, with the spread,
since wall-clock figures on a shared machine move with whatever else is running (the CPU
figures beside them move much less).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TARGETS = {"queue_ms": 50.0, "answer_p99_ms": 2.0, "thousand_s": 0.33, "peak_mb": 150.0}
QUEUE_RUNS = 20
THOUSAND = 1_000
RUNS = 3


def main() -> None:
    from bench.collection import collection_path

    path = collection_path()
    runs = [_run_child(path) for _ in range(RUNS)]
    report(runs)


def _run_child(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.study_core", "--child", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        raise SystemExit(f"bench.study_core failed with exit code {result.returncode}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def report(runs: list[dict[str, Any]]) -> None:
    def med(key: str) -> float:
        return float(statistics.median(run[key] for run in runs))

    def spread(key: str, scale: float = 1.0, digits: int = 2) -> str:
        values = sorted(run[key] * scale for run in runs)
        return f"[{values[0]:.{digits}f}..{values[-1]:.{digits}f}]"

    def verdict(value: float, target: float) -> str:
        return "ok" if value <= target else "OVER TARGET"

    first = runs[0]
    load = os.getloadavg()[0]
    print(
        f"collection: {first['units']:,} units, {first['log_rows']:,} review-log rows, "
        f"{first['due']:,} due today; median of {len(runs)} runs [min..max]; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"queue built ({first['queue_size']} units)  {med('queue_ms'):.1f} ms "
        f"{spread('queue_ms', digits=1)}, slowest of {QUEUE_RUNS} builds "
        f"{med('queue_max_ms'):.1f} ms   (target < {TARGETS['queue_ms']:.0f} ms: "
        f"{verdict(med('queue_ms'), TARGETS['queue_ms'])})"
    )
    print(f"session start (queue + cards)  {med('start_ms'):.1f} ms {spread('start_ms', digits=1)}")
    print(
        f"answer (grade + commit) over {first['answers']:,} answers  "
        f"p50 {med('answer_p50_ms'):.2f} ms, p99 {med('answer_p99_ms'):.2f} ms "
        f"{spread('answer_p99_ms')}, max {med('answer_max_ms'):.1f} ms "
        f"(CPU p99 {med('answer_cpu_p99_ms'):.2f} ms)   "
        f"(target p99 < {TARGETS['answer_p99_ms']:.0f} ms: "
        f"{verdict(med('answer_p99_ms'), TARGETS['answer_p99_ms'])})"
    )
    print(
        f"1,000 answers through StudySession  {med('thousand_s'):.3f} s "
        f"{spread('thousand_s', digits=3)} (CPU {med('thousand_cpu_s'):.3f} s)   "
        f"(Anki: ~{TARGETS['thousand_s']} s: "
        f"{verdict(med('thousand_s'), TARGETS['thousand_s'] * 1.05)})"
    )
    print(
        f"peak memory (ru_maxrss)  {med('peak_mb'):.0f} MB   "
        f"(target < {TARGETS['peak_mb']:.0f} MB: {verdict(med('peak_mb'), TARGETS['peak_mb'])})"
    )


def _answer(session: Any, rng: random.Random) -> int:
    """Answer the current unit as a learner would, without grading; returns the grade to give."""
    from gmed_trainer.decks.model import CaseCard, McqCard

    item = session.current
    card = item.unit.card
    # Mostly right, sometimes not: a realistic share of same-day repeats.
    right = rng.random() < 0.85 or item.is_repeat
    if isinstance(card, McqCard):
        wrong = [o for o in item.option_order if o not in card.correct_ids]
        session.choose(card.correct_ids if right or not wrong else [wrong[0]])
        return int(session.suggested_grade)
    if isinstance(card, CaseCard):
        for step in card.steps:
            session.answer_step(step.correct_ids)
        return int(session.suggested_grade)
    session.reveal()
    return rng.choice((4, 5)) if right else rng.choice((1, 2, 3))


def child(path: Path) -> dict[str, Any]:
    from bench.collection import LEARNER, NOW, TODAY
    from gmed_trainer.store.repository import Store
    from gmed_trainer.study.queue import Selection, build_queue
    from gmed_trainer.study.session import Phase, StudySession

    work = Path(tempfile.mkdtemp(prefix="gmed-bench-"))
    try:
        copy = work / "collection.sqlite3"
        shutil.copy2(path, copy)
        # Flush the 250 MB copy now: its write-back would otherwise stall the answers' writes.
        with copy.open("rb+") as handle:
            os.fsync(handle.fileno())
        store = Store.open(str(copy))
        found = store.learner(LEARNER)
        assert found is not None
        learner = found
        moment = [NOW]

        def clock() -> datetime:
            moment[0] += timedelta(seconds=2)
            return moment[0]

        counts = store.deck_counts(learner, TODAY)
        figures: dict[str, Any] = {
            "units": sum(c.total for c in counts),
            "due": sum(c.due for c in counts),
        }
        with store.reading() as conn:
            figures["log_rows"] = conn.exec_driver_sql("SELECT count(*) FROM review_log").scalar()

        queue_times = _timed(lambda: build_queue(store, learner, Selection(), TODAY), QUEUE_RUNS)
        figures["queue_size"] = len(build_queue(store, learner, Selection(), TODAY).entries)
        figures["queue_ms"] = statistics.median(queue_times) * 1000
        figures["queue_max_ms"] = max(queue_times) * 1000
        start_times = _timed(lambda: StudySession.start(store, learner, clock=clock, seed=1), 5)
        figures["start_ms"] = statistics.median(start_times) * 1000

        rng = random.Random(7)
        session = StudySession.start(store, learner, clock=clock, seed=1)
        grade_times: list[float] = []
        grade_cpu: list[float] = []
        while session.phase is not Phase.FINISHED:
            quality = _answer(session, rng)
            started, cpu = time.perf_counter(), time.thread_time()
            session.grade(quality)
            grade_times.append(time.perf_counter() - started)
            grade_cpu.append(time.thread_time() - cpu)

        learner = store.update_learner(
            learner.id, new_per_day=THOUSAND, reviews_per_day=3 * THOUSAND
        )
        session = StudySession.start(store, learner, clock=clock, seed=2)
        started, cpu = time.perf_counter(), time.process_time()
        answered = 0
        while answered < THOUSAND and session.phase is not Phase.FINISHED:
            session.grade(_answer(session, rng))
            answered += 1
        figures["thousand_s"] = time.perf_counter() - started
        figures["thousand_cpu_s"] = time.process_time() - cpu

        # The latency of single answers, timed one by one (a third session, same day).
        session = StudySession.start(store, learner, clock=clock, seed=3)
        while len(grade_times) < THOUSAND and session.phase is not Phase.FINISHED:
            quality = _answer(session, rng)
            started, cpu = time.perf_counter(), time.thread_time()
            session.grade(quality)
            grade_times.append(time.perf_counter() - started)
            grade_cpu.append(time.thread_time() - cpu)
        figures["answers"] = len(grade_times)
        figures["answer_p50_ms"] = statistics.median(grade_times) * 1000
        figures["answer_p99_ms"] = _p99(grade_times) * 1000
        figures["answer_cpu_p99_ms"] = _p99(grade_cpu) * 1000
        figures["answer_max_ms"] = max(grade_times) * 1000
        if answered < THOUSAND:
            raise SystemExit(f"only {answered} answers were possible")
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]))))
    else:
        main()
