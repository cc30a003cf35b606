"""`gmed export anki|moodle|csv [PATH ...] -o FILE`: decks into the tools schools already use."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gmed_trainer import paths
from gmed_trainer.errors import GmedError, UsageError

SUFFIXES = {"anki": ".apkg", "moodle": ".xml", "csv": ".csv"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export decks to Anki (.apkg), Moodle XML or CSV",
        description="Export decks to Anki (.apkg), Moodle XML or CSV. Decks with errors are "
        "refused: run 'gmed validate' to see why.",
    )
    parser.add_argument("to", choices=sorted(SUFFIXES), help="the target format")
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="deck files or folders (default: the shipped decks)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help=f"the file to write ({', '.join(SUFFIXES.values())})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    sources = list(args.paths) or [paths.shipped_decks_dir()]
    for source in sources:
        if not source.exists():
            raise UsageError(f"no such file or folder: {source}")
    output: Path = args.output
    if output.is_dir():
        raise UsageError(f"{output} is a folder: name the file to write")
    if not output.parent.exists():
        raise UsageError(f"folder {output.parent} does not exist")
    # Imported here so that `gmed` starting the trainer doesn't pay for genanki.
    from gmed_trainer.decks.loader import load_decks
    from gmed_trainer.interop.anki import export_anki
    from gmed_trainer.interop.csv_export import export_csv
    from gmed_trainer.interop.moodle import export_moodle

    decks, findings = load_decks(sources)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise GmedError(
            f"{len(errors)} error(s) in the decks, first {first.path}:{first.line}:{first.column}:"
            f" {first.message}; run 'gmed validate' for all of them"
        )
    if args.to == "anki":
        notes = export_anki(decks, output)
        print(f"wrote {notes} notes from {len(decks)} decks to {output}")
    elif args.to == "moodle":
        result = export_moodle(decks, output)
        print(
            f"wrote {result.questions} questions from {len(decks)} decks to {output}"
            f" ({result.skipped_flashcards} flashcards have no quiz form and were left out)"
        )
    else:
        rows = export_csv(decks, output)
        print(f"wrote {rows} review units from {len(decks)} decks to {output}")
    return 0
