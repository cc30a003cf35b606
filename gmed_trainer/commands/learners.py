"""`gmed learners [list | add NAME]`: the people who study with this database."""

from __future__ import annotations

import argparse
from typing import Any

from gmed_trainer.commands import common
from gmed_trainer.errors import UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "learners",
        help="list or add learners",
        description="List the learners of the database, or add one. Each learner has their own "
        "schedule, statistics and settings.",
    )
    parser.add_argument(
        "action", nargs="?", choices=("list", "add"), default="list", help="default: list"
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="the learner to add")
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "add":
        if not args.name:
            raise UsageError("name the learner to add: gmed learners add NAME")
        with common.open_store(args) as store:
            learner = store.add_learner(args.name)
        print(f"added learner {learner.name!r}")
        return 0
    if args.name:
        raise UsageError("'gmed learners list' takes no name")
    with common.open_store(args) as store:
        learners = store.learners()
    if not learners:
        print("no learners yet: the first study session creates one, or run 'gmed learners add'")
        return 0
    width = max(len(learner.name) for learner in learners)
    for learner in learners:
        leeches = "suspend leeches" if learner.suspend_leeches else "flag leeches"
        print(
            f"{learner.name:<{width}}  new/day {learner.new_per_day}, "
            f"reviews/day {learner.reviews_per_day}, day starts {learner.day_starts_at:02d}:00, "
            f"{leeches}"
        )
    return 0
