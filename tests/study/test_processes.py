"""Real processes on one SQLite file: a studier killed with SIGKILL loses no answer it reported,
and two studiers answering at the same time both finish."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks
from tests.store.helpers import T0, basic, make_deck

ROOT = Path(__file__).resolve().parents[2]
UNITS = 600


def _prepare(url: str, *learners: str) -> None:
    with Store.open(url) as store:
        sync_decks(store, [make_deck("d", tuple(basic(f"c{i}") for i in range(UNITS)))], now=T0)
        for name in learners:
            learner = store.add_learner(name)
            store.update_learner(learner.id, new_per_day=UNITS, reviews_per_day=UNITS)


def _studier(url: str, learner: str, count: int, *, wait: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.study.studier", url, learner, str(count)]
        + (["--wait"] if wait else []),
        cwd=ROOT,
        stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reported(lines: list[str]) -> dict[int, tuple[int, int]]:
    found = {}
    for line in lines:
        log_id, unit_id, quality = (int(part) for part in line.split())
        found[log_id] = (unit_id, quality)
    return found


def _logged(url: str) -> dict[int, tuple[int, int]]:
    with Store.open(url) as store, store.reading() as conn:
        rows = conn.exec_driver_sql("SELECT id, unit_id, quality FROM review_log").all()
    return {row[0]: (row[1], row[2]) for row in rows}


@pytest.mark.slow
def test_a_killed_studier_loses_nothing_it_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gmed.sqlite3'}"
    _prepare(url, "ann")
    process = _studier(url, "ann", UNITS)
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if len(lines) == 40:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=30)
    process.stdout.close()
    assert process.stderr is not None
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    reported = _reported(lines)
    logged = _logged(url)
    assert len(reported) == 40
    assert {log_id: logged.get(log_id) for log_id in reported} == reported
    assert len(logged) < UNITS, "the studier finished before it was killed"
    # Every logged answer has its state: the pair was committed together.
    with Store.open(url) as store:
        learner = store.learner("ann")
        assert learner is not None
        for unit_id, _ in logged.values():
            assert store.progress(learner.id, unit_id) is not None


@pytest.mark.slow
@pytest.mark.parametrize("learners", [("ann", "ann"), ("ann", "bob")])
def test_two_studiers_answer_at_once(tmp_path: Path, learners: tuple[str, str]) -> None:
    url = f"sqlite:///{tmp_path / 'gmed.sqlite3'}"
    _prepare(url, *sorted(set(learners)))
    count = 150
    processes = [_studier(url, name, count, wait=True) for name in learners]
    for process in processes:  # both sessions built: now let them answer together
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.close()
        process.stdin = None  # so communicate() leaves it alone
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
    reported = [_reported(stdout.splitlines()) for stdout, _ in outputs]
    logged = _logged(url)
    assert all(len(r) == count for r in reported)
    assert len(logged) == 2 * count
    for r in reported:
        assert {log_id: logged[log_id] for log_id in r} == r
