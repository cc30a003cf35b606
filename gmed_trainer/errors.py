"""The one error family a user may see: each carries a readable message for the CLI to print."""

from __future__ import annotations


class GmedError(Exception):
    """A problem caused by the user's input or environment, shown as one line, never a traceback.

    `exit_code` is what the `gmed` command exits with when this error reaches it.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(GmedError):
    """A wrong flag, a missing path: the command line itself is wrong."""

    exit_code = 2


class DatabaseError(GmedError):
    """The database cannot be opened, is locked, corrupt, or of an unknown schema version."""
