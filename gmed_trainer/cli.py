"""The `gmed` command: parses arguments, runs one subcommand, turns user errors into one line.

Each subcommand lives in its own module under `gmed_trainer.commands` and exposes
`register(subparsers)`, which adds its parser and sets `handler` to a function taking the parsed
namespace and returning the exit code. With no subcommand, `gmed` opens the trainer.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from gmed_trainer import __version__
from gmed_trainer.errors import GmedError

#: Subcommand modules, in the order `gmed --help` lists them.
COMMAND_MODULES = (
    "gmed_trainer.commands.validate",
    "gmed_trainer.commands.export",
    "gmed_trainer.commands.import_decks",
    "gmed_trainer.commands.learners",
    "gmed_trainer.commands.due",
    "gmed_trainer.commands.stats",
    "gmed_trainer.commands.study",
    "gmed_trainer.commands.preview",
    "gmed_trainer.commands.serve",
    "gmed_trainer.commands.exam",
    "gmed_trainer.commands.class_",
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 2 with one line instead of the full usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gmed",
        description="Spaced-repetition and case-vignette trainer for clinicians.",
    )
    parser.add_argument("--version", action="version", version=f"gmed {__version__}")
    # `gmed --db ... --learner ...` opens the trainer there (also what `gmed serve` runs per tab).
    common = importlib.import_module("gmed_trainer.commands.common")
    common.add_database_options(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return _default(parser, args)
        return int(handler(args))
    except GmedError as exc:
        print(f"gmed: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `gmed stats --json | head`: the reader left; say nothing more (stdout is gone).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _default(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """`gmed` alone opens the trainer once the UI exists; until then it validates the decks."""
    try:
        study = importlib.import_module("gmed_trainer.commands.study")
    except ModuleNotFoundError:
        validate = importlib.import_module("gmed_trainer.commands.validate")
        return int(validate.run_default())
    return int(study.run_default(args))


if __name__ == "__main__":
    raise SystemExit(main())
