"""`gmed exam`: a timed block (or a tutor block) of mcq and case items for one learner.

Everything that can be wrong with the command line (an unknown deck or tag, an empty pool) is
reported as one line before any screen is drawn.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gmed_trainer.commands import common
from gmed_trainer.errors import GmedError, UsageError

if TYPE_CHECKING:
    from gmed_trainer.store.repository import Store

#: `exam.service.DEFAULT_COUNT` and the values of `exam.service.Pool`, restated so that building
#: the parser imports neither the exam service nor the store (tests/ui/test_startup_imports.py
#: checks they agree).
DEFAULT_COUNT = 20
POOLS = ("unused", "incorrect", "all")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "exam",
        help="a timed block of exam questions",
        description="Sit a block of mcq and case items under exam conditions: a countdown, no "
        "feedback until the end, flags and struck-out options, then the score, every "
        "explanation and accuracy by tag. --tutor gives feedback after each item instead.",
    )
    add_selection_options(parser)
    parser.add_argument(
        "--count",
        type=int,
        default=DEFAULT_COUNT,
        metavar="N",
        help=f"items in the block (default {DEFAULT_COUNT})",
    )
    parser.add_argument(
        "--minutes",
        type=int,
        default=None,
        metavar="N",
        help="time allowed (default 20; in tutor mode, no countdown unless given)",
    )
    parser.add_argument(
        "--pool",
        choices=POOLS,
        default=POOLS[0],
        help="draw from items not in an earlier block (unused, the default), the ones missed "
        "last time (incorrect), or all",
    )
    parser.add_argument(
        "--tutor", action="store_true", help="feedback after each item, no countdown by default"
    )
    parser.add_argument(
        "--seed", type=int, default=None, metavar="N", help="draw the same block again"
    )
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--deck", action="append", default=[], metavar="ID", help="draw from this deck (repeatable)"
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only items with this tag (repeatable; any of them)",
    )


def check_selection(store: Store, decks: tuple[str, ...], tags: tuple[str, ...]) -> None:
    """UsageError for a deck or tag the database does not have."""
    known = {deck.id for deck in store.decks()}
    for deck in decks:
        if deck not in known:
            listed = ", ".join(sorted(known)) or "none imported yet"
            raise UsageError(f"no deck {deck!r} (decks: {listed})")
    if tags:
        all_tags = set(store.all_tags())
        for tag in tags:
            if tag not in all_tags:
                raise UsageError(f"no card has the tag {tag!r}")


def run(args: argparse.Namespace) -> int:
    from gmed_trainer.commands.study import require_terminal
    from gmed_trainer.exam.service import ExamRequest, PersonalExam, Pool
    from gmed_trainer.store.exam_repository import ExamRepository
    from gmed_trainer.ui.app import Launch, make_app
    from gmed_trainer.ui.screens.exam import ExamScreen

    request = ExamRequest(
        decks=tuple(args.deck),
        tags=tuple(args.tag),
        count=args.count,
        minutes=args.minutes,
        pool=Pool(args.pool),
        tutor=args.tutor,
        seed=args.seed,
    )
    require_terminal()
    with common.open_context(args) as context:
        common.warn_about(context.findings)
        check_selection(context.store, request.decks, request.tags)
        exam = PersonalExam(
            ExamRepository(context.store), context.learner.id, clock=lambda: datetime.now(UTC)
        )
        sitting = exam.start(request)
        app = make_app(
            Launch(opening=lambda: ExamScreen(sitting, exam)),
            store=context.store,
            learner=context.learner,
        )
        app.run()
    if app.error is not None:
        raise GmedError(app.error.message, exit_code=app.error.exit_code)
    return app.return_code or 0
