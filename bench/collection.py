"""A large collection for the benchmarks: 50,000 review units and 1,000,000 review-log rows.

`collection_path()` returns a SQLite file under bench/.data/ (gitignored), generating it on first
use: ten decks built as domain objects and synced through `store.sync` (the import path a learner
uses), then one learner's unit states and three years of review history bulk-inserted with
`executemany`. The study day of the collection is fixed (`TODAY`), so every run sees the same
queue. `python -m bench.collection` (re)generates it and prints how long that took.
"""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
import sys
import time
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from gmed_trainer.decks.model import (
    BasicCard,
    Card,
    CaseCard,
    ClozeCard,
    Deck,
    McqCard,
    Option,
    ReverseCard,
    Step,
)
from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks

UNITS = 50_000
LOG_ROWS = 1_000_000
DECKS = 10
#: The study day the collection is set on, and a moment of it (noon UTC).
TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LEARNER = "bench"
#: Share of units the learner has studied, and of those, the share due today or overdue.
STUDIED = 0.9
DUE_SHARE = 0.03
#: Bump when the generated content changes, so a stale cached file is not reused.
VERSION = 2
DATA_DIR = Path(__file__).resolve().parent / ".data"
TAGS = tuple(f"topic-{i:02d}" for i in range(40))
WORDS = (
    "gluteus medius trigger point referral pattern lateral hip pain trochanter iliac crest "
    "abductor weakness gait stance pelvis palpation needling dry technique lumbar sacroiliac "
    "tendon bursa nerve superior gluteal innervation anterior posterior fibres"
).split()


def collection_path() -> Path:
    """The cached collection, generated if missing. Safe to call from several processes at
    once (other benches use it too): one generates, the others wait for it."""
    path = DATA_DIR / f"collection-v{VERSION}.sqlite3"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with (DATA_DIR / ".generate.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            generate(path)
    return path


def generate(path: Path) -> dict[str, float]:
    """Write the collection to `path` (through a temporary file, renamed when complete, in
    rollback-journal mode so that it is one self-contained file to copy); returns timings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{os.getpid()}.partial")
    rng = random.Random(20260601)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    decks = [_deck(rng, number) for number in range(DECKS)]
    timings["build decks"] = time.perf_counter() - started

    started = time.perf_counter()
    with Store.open(str(partial), now=NOW) as store:
        sync_decks(store, decks, now=NOW)
        learner = store.add_learner(LEARNER, now=NOW)
    timings["sync 50,000 units"] = time.perf_counter() - started

    started = time.perf_counter()
    with closing(sqlite3.connect(partial)) as conn:
        conn.execute("PRAGMA synchronous = OFF")
        unit_ids = [row[0] for row in conn.execute("SELECT id FROM unit ORDER BY id")]
        states, logs = _history(rng, unit_ids, learner.id)
        # Building the log's indexes once after the load is several times faster than
        # keeping them up to date row by row.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_log' "
            "AND sql IS NOT NULL"
        ).fetchall()
        with conn:
            for name, _ in indexes:
                conn.execute(f"DROP INDEX {name}")
            conn.executemany(
                "INSERT INTO unit_state (learner_id, unit_id, repetitions, easiness_centi, "
                "interval, due, lapses, last_review, leech, suspended, buried_until) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                states,
            )
            conn.executemany(
                "INSERT INTO review_log (learner_id, unit_id, reviewed_at, study_day, quality, "
                "response_ms, mode, repetitions_before, easiness_centi_before, interval_before, "
                "due_before, lapses_before, repetitions_after, easiness_centi_after, "
                "interval_after, due_after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                logs,
            )
            for _, sql in indexes:
                conn.execute(sql)
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode = DELETE")
    timings["insert states and 1,000,000 log rows"] = time.perf_counter() - started
    partial.replace(path)
    return timings


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize()


def _options(rng: random.Random, count: int) -> tuple[Option, ...]:
    right = rng.randrange(count)
    return tuple(
        Option(
            id=f"o{i}",
            text=f"{_text(rng, 6)} ({i})",
            correct=i == right,
            why=_text(rng, 14),
        )
        for i in range(count)
    )


def _card(rng: random.Random, kind: str, card_id: str) -> Card:
    tags = tuple(sorted(rng.sample(TAGS, 2)))
    common: dict[str, Any] = {"id": card_id, "tags": tags, "source": "Bench source"}
    if kind == "basic":
        return BasicCard(front=_text(rng, 12) + "?", back=_text(rng, 25), **common)
    if kind == "reverse":
        return ReverseCard(front=_text(rng, 5), back=_text(rng, 5), **common)
    if kind == "cloze":
        return ClozeCard(
            text=f"{_text(rng, 6)} {{{{c1::{_text(rng, 2)}}}}} {_text(rng, 6)} "
            f"{{{{c2::{_text(rng, 2)}}}}}.",
            **common,
        )
    if kind == "mcq":
        return McqCard(
            question=_text(rng, 12) + "?",
            options=_options(rng, 4),
            explanation=_text(rng, 30),
            **common,
        )
    return CaseCard(
        title=_text(rng, 4),
        stem=_text(rng, 60),
        steps=tuple(
            Step(id=f"s{i}", question=_text(rng, 10) + "?", options=_options(rng, 4))
            for i in range(3)
        ),
        explanation=_text(rng, 30),
        **common,
    )


#: Card kinds in rotation and their unit counts: 9 units per 7 cards.
_PATTERN = (
    ("basic", 1),
    ("mcq", 1),
    ("reverse", 2),
    ("cloze", 2),
    ("basic", 1),
    ("case", 1),
    ("basic", 1),
)


def _deck(rng: random.Random, number: int) -> Deck:
    wanted = UNITS // DECKS
    cards: list[Card] = []
    units = 0
    index = 0
    while units < wanted:
        kind, size = _PATTERN[index % len(_PATTERN)]
        if units + size > wanted:
            kind, size = "basic", 1
        cards.append(_card(rng, kind, f"card-{index:05d}"))
        units += size
        index += 1
    return Deck(
        id=f"bench-{number:02d}",
        title=f"Bench deck {number}",
        cards=tuple(cards),
        tags=(f"deck-{number:02d}",),
    )


def _history(
    rng: random.Random, unit_ids: list[int], learner_id: int
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """States for the studied units and LOG_ROWS log rows spread over them, oldest first.

    Days are handled as ordinals and written as SQLAlchemy writes them on SQLite (ISO dates,
    "YYYY-MM-DD HH:MM:SS.ffffff" UTC datetimes): a million datetime objects would be slow."""
    iso_cache: dict[int, str] = {}

    def iso(ordinal: int) -> str:
        text = iso_cache.get(ordinal)
        if text is None:
            text = iso_cache[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    today = TODAY.toordinal()
    studied = sorted(rng.sample(unit_ids, round(len(unit_ids) * STUDIED)))
    per_unit, extra = divmod(LOG_ROWS, len(studied))
    states: list[tuple[object, ...]] = []
    logs: list[tuple[object, ...]] = []
    qualities = (1, 2, 3, 3, 4, 4, 4, 5, 5, 5)
    randrange = rng.randrange
    for position, unit_id in enumerate(studied):
        # The last review is always before today: the collection's day starts untouched.
        if rng.random() < DUE_SHARE:
            due = today - randrange(0, 30)
            interval = randrange(1, 300)
            day = due - interval
        else:
            day = today - randrange(1, 200)
            due = today + randrange(1, 400)
            interval = due - day
        easiness = randrange(130, 300)
        repetitions = randrange(1, 12)
        lapses = min(12, int(rng.expovariate(0.6)))
        states.append(
            (
                learner_id,
                unit_id,
                repetitions,
                easiness,
                interval,
                iso(due),
                lapses,
                f"{iso(day)} 09:00:00.000000",
                lapses >= 8,
                False,
            )
        )
        count = per_unit + (1 if position < extra else 0)
        for step, quality in enumerate(rng.choices(qualities, k=count)):
            seconds = randrange(0, 36_000)
            stamp = f"{iso(day)} {9 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:00.000000"
            logs.append(
                (
                    learner_id,
                    unit_id,
                    stamp,
                    iso(day),
                    quality,
                    randrange(1_500, 20_000),
                    "review",
                    max(0, repetitions - step - 1),
                    easiness,
                    max(1, interval // (step + 2)),
                    None if step == count - 1 else iso(day - 1),
                    lapses,
                    max(0, repetitions - step),
                    easiness,
                    max(1, interval // (step + 1)),
                    iso(day + interval),
                )
            )
            day -= randrange(10, 60)
    logs.sort(key=lambda row: row[2])  # type: ignore[arg-type,return-value]
    return states, logs


def main() -> None:
    path = DATA_DIR / f"collection-v{VERSION}.sqlite3"
    if path.exists() and "--force" not in sys.argv[1:]:
        print(f"collection cached at {path} ({path.stat().st_size / 1e6:.0f} MB); --force rebuilds")
        return
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with (DATA_DIR / ".generate.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = time.perf_counter()
        timings = generate(path)
    for label, seconds in timings.items():
        print(f"{label:<40} {seconds:6.2f} s")
    print(f"{'generated ' + path.name:<40} {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()
