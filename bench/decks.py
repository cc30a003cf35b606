"""Loading and validating a 10,000-card deck: the figure the deck format is held to (< 0.5 s).

The deck is generated into a temporary file with the mix of the shipped decks: basic, reverse
and cloze cards, mcqs with four options and a `why` each, multi-step cases, and one fact table.
Each run calls `load_deck` (read, parse, check every rule, build the frozen domain objects); the
best of several runs is reported, with the median, CPU time (less sensitive to a busy machine)
and where the time goes.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from gmed_trainer.decks.loader import load_deck
from gmed_trainer.decks.validate import validate_document
from gmed_trainer.decks.yamlsafe import ACCELERATED, MB, Limits, gc_paused, parse, read_text

CARDS = 10_000
RUNS = 7
TARGET_SECONDS = 0.5
TABLE_ROWS = 40
#: 10,000 cards at the shipped decks' density take 5-8 MB, over the default 5 MB limit for
#: one file; the bench raises it (the limit is about untrusted input, not speed).
MAX_BYTES = 16 * MB
TABLE_ASKS = 4
WORDS = (
    "gluteus medius trigger point referred pain lateral hip greater trochanter iliac crest "
    "abductor weakness gait single-leg stance pelvis palpation needling local twitch response "
    "lumbar sacroiliac tendon bursa superior gluteal nerve anterior posterior portion taut band"
).split()


def sentence(rng: random.Random, low: int = 4, high: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def options(rng: random.Random, count: int) -> list[dict[str, Any]]:
    right = rng.randrange(count)
    return [
        {
            "id": f"o{n}",
            "text": f"{sentence(rng, 3, 8)} ({n})",
            "correct": n == right,
            "why": sentence(rng),
        }
        for n in range(count)
    ]


def card(rng: random.Random, number: int) -> dict[str, Any]:
    """One card; the mix follows the shipped decks (about a third mcqs, a few cases)."""
    kind = rng.choices(["basic", "reverse", "cloze", "mcq", "case"], [35, 12, 15, 33, 5])[0]
    out: dict[str, Any] = {"id": f"card-{number}", "type": kind}
    if kind in ("basic", "reverse"):
        out |= {"front": sentence(rng), "back": sentence(rng)}
    elif kind == "cloze":
        out["text"] = (
            f"{sentence(rng)} {{{{c1::{rng.choice(WORDS)}}}}} {sentence(rng, 3, 6)} "
            f"{{{{c2::{rng.choice(WORDS)}::hint}}}}."
        )
    elif kind == "mcq":
        out |= {
            "question": sentence(rng),
            "options": options(rng, 4),
            "explanation": sentence(rng, 8, 20),
        }
    else:
        out |= {
            "title": sentence(rng, 3, 6),
            "stem": sentence(rng, 15, 30),
            "steps": [
                {
                    "id": f"step-{s}",
                    "reveal": sentence(rng, 6, 12),
                    "question": sentence(rng),
                    "options": options(rng, 4),
                }
                for s in range(rng.randint(2, 3))
            ],
            "explanation": sentence(rng, 10, 20),
        }
    out["tags"] = rng.sample(["anatomy", "referral", "needling", "exercise", "diagnosis"], 2)
    out["source"] = rng.choice(["Anatomy and Function", "Referred Pain Pattern", "Treatment"])
    return out


def deck_yaml(seed: int = 2026) -> tuple[str, int]:
    """The deck as YAML text, and how many cards it declares (tables included)."""
    rng = random.Random(seed)
    table = {
        "id": "facts",
        "key": "name",
        "columns": ["name", "where", "refers", "how_often"],
        "source": "Referred Pain Pattern",
        "rows": [
            {
                "name": f"Point {r}",
                "where": f"{sentence(rng, 4, 8)} ({r})",
                "refers": f"{sentence(rng, 4, 8)} ({r})",
                "how_often": f"{rng.choice(['rare', 'common'])} ({r})",
            }
            for r in range(TABLE_ROWS)
        ],
        "ask": [
            {
                "given": "where",
                "answer": "name",
                "as": "mcq",
                "prompt": "Which point lies {where}?",
            },
            {"given": "name", "answer": "refers", "as": "mcq"},
            {"given": "name", "answer": "where", "as": "basic"},
            {"given": "name", "answer": "how_often", "as": "basic"},
        ],
    }
    explicit = CARDS - TABLE_ROWS * TABLE_ASKS
    document = {
        "format": "gmed-deck/1",
        "deck": {"id": "bench", "title": "Benchmark deck", "tags": ["bench"]},
        "cards": [card(rng, n) for n in range(explicit)],
        "tables": [table],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100), CARDS


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def phases(data: bytes, limits: Limits) -> tuple[float, float, float]:
    """The steps of `load_deck` timed apart: YAML to plain values, checks and deck objects, and
    freeing the plain values."""
    started = time.perf_counter()
    with gc_paused():
        document = parse(read_text(data, limits=limits), limits=limits)
        parsed = time.perf_counter()
        checked = validate_document(document, "bench.yaml")
        validated = time.perf_counter()
        del document
        freed = time.perf_counter()
        del checked
    return parsed - started, validated - parsed, freed - validated


def drain_events(text: str) -> None:
    """Take every parse event of `text` from PyYAML's C parser and drop it: the least any walk
    over its events can cost."""
    get = yaml.CSafeLoader(text).get_event
    while get() is not None:
        pass


def main() -> None:
    text, cards = deck_yaml()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(text, encoding="utf-8")
        result = load_deck(path, max_bytes=MAX_BYTES)
        if result.deck is None or result.findings:
            raise SystemExit(f"bench deck does not validate: {result.findings[:3]}")
        units = len(result.deck.units())
        wall, cpu = timed(lambda: load_deck(path, max_bytes=MAX_BYTES))
        data = path.read_bytes()

    limits = Limits(max_bytes=MAX_BYTES)
    split = min((phases(data, limits) for _ in range(RUNS)), key=sum)
    libyaml_wall, _ = timed(lambda: yaml.CSafeLoader(text).raw_parse())
    with gc_paused():
        events_wall, _ = timed(lambda: drain_events(text))
    best = min(wall)
    print(
        f"deck: {cards:,} cards ({units:,} review units), {len(data) / 1e6:.1f} MB, "
        f"libyaml {'on' if ACCELERATED else 'OFF'}"
    )
    print(
        f"load + validate: best {best:.3f} s, median {statistics.median(wall):.3f} s "
        f"(CPU best {min(cpu):.3f} s) over {RUNS} runs; target < {TARGET_SECONDS} s: "
        f"{'met' if best < TARGET_SECONDS else 'NOT met'}"
    )
    print(
        f"  best run split: YAML to plain values {split[0]:.3f} s "
        f"(of which PyYAML's event objects {min(events_wall):.3f} s, "
        f"libyaml's own parsing inside them {min(libyaml_wall):.3f} s), "
        f"checks and deck objects {split[1]:.3f} s, freeing the plain values {split[2]:.3f} s"
    )


if __name__ == "__main__":
    main()
