"""`gmed serve [--host 127.0.0.1] [--port 8000]`: the trainer in the browser, with textual-serve.

Every browser tab runs its own `gmed` process on the same database, so a classroom machine can
host many learners. The database options are passed through to those processes.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from gmed_trainer.commands import common
from gmed_trainer.errors import GmedError, UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the trainer to web browsers",
        description="Serve the trainer over HTTP with textual-serve: open the printed address in "
        "a browser. Each tab runs its own session on the same database.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    common.add_database_options(parser)
    parser.set_defaults(handler=run)


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, the same `gmed`."""
    argv = [sys.executable, "-m", "gmed_trainer.cli"]
    db, learner = common.database_arg(args), common.learner_arg(args)
    if db:
        argv += ["--db", db]
    if learner:
        argv += ["--learner", learner]
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be from 1 to 65535, not {args.port}")
    # Open the database once here so a bad --db is one line now, not an error in every tab.
    common.open_store(args).close()
    from textual_serve.server import Server

    server = Server(app_command(args), host=args.host, port=args.port, title="gmed trainer")
    print(f"Serving the trainer at http://{args.host}:{args.port} (Ctrl+C to stop)", flush=True)
    try:
        server.serve()
    except OSError as exc:
        raise GmedError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    return 0
