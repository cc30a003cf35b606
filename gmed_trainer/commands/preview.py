"""`gmed preview PATH [--card ID]`: open a deck file in the study widgets, with its findings,
re-checked every time the file is saved. For instructors writing decks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gmed_trainer.commands.study import require_terminal
from gmed_trainer.errors import UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="preview a deck file as learners will see it",
        description="Open a deck file in the same widgets learners study with. Validation "
        "findings are shown below the card and re-checked whenever the file is saved.",
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="the deck file (.yaml)")
    parser.add_argument("--card", metavar="ID", help="open on this card")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder: name one deck file to preview")
    if args.card is not None:
        from gmed_trainer.decks.loader import load_deck

        deck = load_deck(path).deck
        # A deck with errors may not load at all; then the preview opens on its findings.
        if deck is not None and deck.card(args.card) is None:
            raise UsageError(f"no card {args.card!r} in {path}")
    require_terminal()
    # Imported here so that other commands don't pay for Textual.
    from gmed_trainer.ui.app import Launch, Start, make_app

    app = make_app(Launch(start=Start.PREVIEW, preview_path=path, preview_card=args.card))
    app.run()
    return app.return_code or 0
