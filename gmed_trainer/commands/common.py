"""What every database command shares: the `--db` and `--learner` options, and the start-up
step "open the store, sync the shipped decks, resolve the learner".

The trainer (`gmed`, `gmed study`) and `gmed serve` use the same functions, so every entry point
opens the same database the same way.

Every command module imports this one when `gmed` builds its parser, so it imports nothing
heavy at the top: the store (SQLAlchemy, SQLModel) and the deck loader (PyYAML) are imported by
the functions that use them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gmed_trainer.errors import UsageError

if TYPE_CHECKING:
    from gmed_trainer.decks.findings import Finding
    from gmed_trainer.decks.model import Deck
    from gmed_trainer.store.records import LearnerInfo
    from gmed_trainer.store.repository import Store
    from gmed_trainer.store.sync import SyncReport


def add_database_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Add `--db` and `--learner`. On a subcommand's parser the options default to "not given"
    (SUPPRESS), so they don't overwrite the same options given before the subcommand."""
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="URL|PATH",
        default=default,
        help="database: a SQLite file or a URL such as postgresql+psycopg://user@host/db "
        "(default: $GMED_DB, else gmed.sqlite3 in the user data folder)",
    )
    parser.add_argument(
        "--learner",
        metavar="NAME",
        default=default,
        help="who is studying (default: the only learner, else one named after your OS user)",
    )


def database_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None)


def learner_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "learner", None)


def open_store(args: argparse.Namespace, *, now: datetime | None = None) -> Store:
    """Open (creating or upgrading) the database named by `--db`, `GMED_DB` or the default."""
    from gmed_trainer.store.repository import Store

    return Store.open(database_arg(args), now=now)


def resolve_learner(
    store: Store, args: argparse.Namespace, *, now: datetime | None = None
) -> LearnerInfo:
    """The learner named by `--learner` (who must exist), else the default learner."""
    name = learner_arg(args)
    if name is None:
        return store.default_learner(now=now)
    learner = store.learner(" ".join(name.split()))
    if learner is None:
        raise UsageError(f"no learner named {name!r}; add one with: gmed learners add {name!r}")
    return learner


def load_shipped_decks() -> tuple[list[Deck], list[Finding]]:
    """The decks that come with gmed (`paths.shipped_decks_dir()`), and the loader's findings."""
    from gmed_trainer import paths
    from gmed_trainer.decks.loader import load_decks

    folder = paths.shipped_decks_dir()
    if not folder.is_dir():
        return [], []
    decks, findings = load_decks([folder])
    return list(decks), list(findings)


def sync_shipped(store: Store, *, now: datetime | None = None) -> tuple[SyncReport, list[Finding]]:
    """Sync the shipped decks into the store; decks with errors are left out (and reported)."""
    from gmed_trainer.store.sync import sync_decks

    decks, findings = load_shipped_decks()
    return sync_decks(store, decks, now=now or datetime.now(UTC)), findings


@dataclass
class Context:
    """An open store, the learner, and what syncing the shipped decks found."""

    store: Store
    learner: LearnerInfo
    report: SyncReport
    findings: list[Finding]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_context(
    args: argparse.Namespace, *, now: datetime | None = None, sync: bool = True
) -> Context:
    """Open the store, sync the shipped decks (unless `sync` is False), resolve the learner."""
    from gmed_trainer.store.sync import SyncReport

    store = open_store(args, now=now)
    try:
        report, findings = sync_shipped(store, now=now) if sync else (SyncReport(), [])
        learner = resolve_learner(store, args, now=now)
    except BaseException:
        store.close()
        raise
    return Context(store, learner, report, findings)


def warn_about(findings: Sequence[Finding]) -> None:
    """One line on stderr per deck file with errors (those decks were not synced)."""
    broken: dict[str, int] = {}
    for finding in findings:
        if finding.is_error:
            broken[finding.path] = broken.get(finding.path, 0) + 1
    for path, count in broken.items():
        print(
            f"gmed: warning: {path} has {count} error(s) and was skipped; "
            f"run 'gmed validate {path}' to see them",
            file=sys.stderr,
        )


def check_paths(sources: Sequence[Path]) -> None:
    for source in sources:
        if not source.exists():
            raise UsageError(f"no such file or folder: {source}")


def first_error_message(findings: Sequence[Finding]) -> str | None:
    errors = [f for f in findings if f.is_error]
    if not errors:
        return None
    first = errors[0]
    return (
        f"{len(errors)} error(s) in the decks, first {first.path}:{first.line}:{first.column}: "
        f"{first.message}; run 'gmed validate' for all of them"
    )
