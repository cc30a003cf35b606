"""`gmed study [--deck ID ...] [--tag TAG ...] [--cram]`, and `gmed` alone (Home).

Both open the store here, so a bad `--db` or `--learner` is one line before any screen is drawn;
the shipped decks are synced by the app in a worker while its first screen is already up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gmed_trainer.commands import common
from gmed_trainer.errors import GmedError, UsageError

if TYPE_CHECKING:
    from gmed_trainer.store.repository import Store
    from gmed_trainer.ui.app import Launch


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "study",
        help="study what is due now",
        description="Open a study session straight away: every due and new card, or only the "
        "named decks and tags. --cram studies the selection without changing the schedule.",
    )
    parser.add_argument(
        "--deck", action="append", default=[], metavar="ID", help="study this deck (repeatable)"
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only units with this tag (repeatable)",
    )
    parser.add_argument(
        "--cram", action="store_true", help="study every unit of the selection, schedule untouched"
    )
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from gmed_trainer.ui.app import Launch, Start

    if args.cram and not (args.deck or args.tag):
        raise UsageError("--cram needs a selection: name a --deck or a --tag")
    launch = Launch(start=Start.STUDY, decks=tuple(args.deck), tags=tuple(args.tag), cram=args.cram)
    return _run(args, launch)


def run_default(args: argparse.Namespace) -> int:
    """`gmed` with no subcommand: Home."""
    from gmed_trainer.ui.app import Launch

    return _run(args, Launch())


def require_terminal() -> None:
    """Refuse to start the full-screen app without a terminal (piped output, no stdin): it could
    only hang. textual-serve runs the app through its own driver, named in TEXTUAL_DRIVER."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the trainer needs a terminal (stdin and stdout are not one); "
            "run it in a terminal, or use 'gmed serve' to study in a browser"
        )


def sync_shipped_decks(store: Store) -> Sequence[str]:
    """The app's start-up step: sync the shipped decks; a line for each deck skipped for errors."""
    _report, findings = common.sync_shipped(store)
    broken: dict[str, int] = {}
    for finding in findings:
        if finding.is_error:
            broken[finding.path] = broken.get(finding.path, 0) + 1
    return [
        f"{path} has {count} error(s) and was skipped: run 'gmed validate {path}'"
        for path, count in broken.items()
    ]


def _run(args: argparse.Namespace, launch: Launch) -> int:
    from gmed_trainer.ui.app import make_app

    require_terminal()
    store = common.open_store(args)
    try:
        learner = common.resolve_learner(store, args)
        app = make_app(launch, store=store, learner=learner, prepare=sync_shipped_decks)
        app.run()
    finally:
        store.close()
    if app.error is not None:
        raise GmedError(app.error.message, exit_code=app.error.exit_code)
    return app.return_code or 0
