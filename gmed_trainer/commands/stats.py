"""`gmed stats [--json]`: the learner's figures today, in total and per deck."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gmed_trainer.commands import common
from gmed_trainer.scheduling.day import study_day

if TYPE_CHECKING:
    from gmed_trainer.store.records import DeckCounts, Stats


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="show study statistics",
        description="Show today's reviews and accuracy, what is due, new and learning, the "
        "leeches, retention on mature units and the weakest tags.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with common.open_context(args, now=now) as context:
        common.warn_about(context.findings)
        learner = context.learner
        today = study_day(now, day_start_hour=learner.day_starts_at)
        stats = context.store.stats(learner, today)
    if args.json:
        print(json.dumps(as_json(stats), indent=2, ensure_ascii=False))
    else:
        print(as_text(stats))
    return 0


def _deck_json(deck: DeckCounts) -> dict[str, Any]:
    return {
        "deck": deck.deck_id,
        "title": deck.title,
        "reviews_today": deck.reviewed_today,
        "due_today": deck.due,
        "new_available": deck.new,
        "new_today": deck.new_today,
        "learning": deck.learning,
        "total_units": deck.total,
        "leeches": deck.leeches,
    }


def as_json(stats: Stats) -> dict[str, Any]:
    """The `--json` object: totals, then the same figures per deck, then the details."""
    return {
        "learner": stats.learner.name,
        "study_day": stats.today.isoformat(),
        "reviews_today": stats.reviews_today,
        "accuracy_today": stats.accuracy_today,
        "due_today": stats.due_today,
        "new_available": stats.new_available,
        "learning": stats.learning,
        "total_units": stats.total_units,
        "leeches": stats.leeches,
        "retention": stats.retention,
        "mature_answers": stats.mature_answers,
        "decks": [_deck_json(deck) for deck in stats.decks],
        "forecast": [{"day": d.day.isoformat(), "due": d.count} for d in stats.forecast],
        "reviews_per_day": [
            {"day": d.day.isoformat(), "reviews": d.count} for d in stats.reviews_per_day
        ],
        "accuracy_by_tag": [
            {"tag": t.tag, "answers": t.answers, "correct": t.correct, "accuracy": t.accuracy}
            for t in stats.accuracy_by_tag
        ],
        "leech_list": [
            {
                "deck": leech.unit.deck_id,
                "card": leech.unit.card_id,
                "unit": leech.unit.unit,
                "lapses": leech.lapses,
                "suspended": leech.suspended,
            }
            for leech in stats.leech_list
        ],
    }


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def as_text(stats: Stats) -> str:
    lines = [
        f"{stats.learner.name}, study day {stats.today.isoformat()}",
        f"reviews today     {stats.reviews_today} (accuracy {_percent(stats.accuracy_today)})",
        f"due today         {stats.due_today}",
        f"new available     {stats.new_available}",
        f"learning          {stats.learning}",
        f"units             {stats.total_units}",
        f"leeches           {stats.leeches}",
        f"mature retention  {_percent(stats.retention)} over {stats.mature_answers} answers",
    ]
    weakest = stats.accuracy_by_tag[:5]
    if weakest:
        lines.append(
            "weakest tags      " + ", ".join(f"{t.tag} {_percent(t.accuracy)}" for t in weakest)
        )
    return "\n".join(lines)
