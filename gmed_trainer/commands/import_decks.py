"""`gmed import PATH...`: bring deck files (or folders of them) into the database.

New units are added, edited ones keep their progress, removed ones are retired, `replaces`
moves progress; an unchanged deck is skipped without a write. Decks with errors are refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gmed_trainer.commands import common
from gmed_trainer.errors import GmedError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import deck files into the database",
        description="Import deck files (or every deck in a folder) into the database. Progress "
        "survives edits; removed cards are retired, never deleted. Decks with errors are "
        "refused: run 'gmed validate' to see why.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="deck files or folders")
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    sources: list[Path] = list(args.paths)
    common.check_paths(sources)
    from gmed_trainer.decks.loader import load_decks
    from gmed_trainer.store.sync import sync_decks

    decks, findings = load_decks(sources)
    problem = common.first_error_message(findings)
    if problem is not None:
        raise GmedError(problem + "; nothing was imported")
    if not decks:
        raise GmedError("no decks found in " + ", ".join(str(s) for s in sources))
    with common.open_store(args) as store:
        report = sync_decks(store, decks)
    for deck in report.decks:
        print(deck.summary())
        for note in deck.notes:
            print(f"  note: {note}")
    changed = len(report.changed)
    print(
        f"imported {len(report.decks)} deck(s): {changed} changed, "
        f"{len(report.decks) - changed} unchanged"
    )
    return 0
