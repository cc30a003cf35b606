"""The command palette's dynamic entries ("Study deck: ...", "Cram tag: ...", "Learner: ...").

Fixed actions (Home, Stats, Help...) are system commands from `GmedApp.get_system_commands`; this
provider adds the entries that depend on the data, asking the app for them when the palette opens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteEntry:
    """One dynamic command: its title, a line of help, and what it does."""

    title: str
    help: str
    run: Callable[[], object]


@runtime_checkable
class HasPaletteEntries(Protocol):
    """An app that offers dynamic palette entries."""

    def palette_entries(self) -> Iterable[PaletteEntry]: ...


class GmedCommands(Provider):
    """Searches the app's dynamic entries with Textual's fuzzy matcher."""

    entries: list[PaletteEntry] = []

    async def startup(self) -> None:
        # The entries come from the database: read them off the event loop.
        app = self.app
        if isinstance(app, HasPaletteEntries):
            self.entries = await asyncio.to_thread(lambda: list(app.palette_entries()))

    def _entries(self) -> list[PaletteEntry]:
        return self.entries

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.title, entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), entry.run, help=entry.help)
