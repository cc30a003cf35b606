"""`gmed due`: what is waiting today, per deck (due reviews, new units, same-day repeats)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from gmed_trainer.commands import common
from gmed_trainer.scheduling.day import study_day


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "due",
        help="show due and new counts per deck",
        description="Show, per deck, the reviews due today, the new units today's session "
        "would introduce (within the daily limit) and the units waiting for a same-day repeat.",
    )
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with common.open_context(args, now=now) as context:
        common.warn_about(context.findings)
        learner = context.learner
        today = study_day(now, day_start_hour=learner.day_starts_at)
        counts = context.store.deck_counts(learner, today)
        _, new_left = context.store.limits_left(learner, today)
    rows = [("deck", "due", "new", "learning")]
    rows += [(c.deck_id, str(c.due), str(c.new_today), str(c.learning)) for c in counts]
    total_new = min(sum(c.new_today for c in counts), new_left)
    rows.append(
        (
            "total",
            str(sum(c.due for c in counts)),
            str(total_new),
            str(sum(c.learning for c in counts)),
        )
    )
    width = max(len(row[0]) for row in rows)
    print(f"{learner.name}, study day {today.isoformat()}")
    for name, due, new, learning in rows:
        print(f"{name:<{width}}  {due:>5}  {new:>5}  {learning:>8}")
    return 0
