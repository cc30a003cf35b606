"""The key bar along the bottom: the screen's active bindings on one clickable line.

It shows what Textual's `Footer` shows (the screen's `active_bindings`, so `check_action` hides
keys that do nothing now, and the keymap applies), but as a single line of text that is redrawn
in place. Textual's Footer mounts a widget per key on every change, which cost more than the rest
of an answer on the study screen; here a change is one `update`. A click on a key or its
description runs its action, so the bar works with the mouse too.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from textual import events
from textual.binding import Binding
from textual.content import Content, Span
from textual.screen import Screen
from textual.widgets import Static

KEY_STYLE = "bold $footer-key-foreground"


@dataclass(frozen=True)
class Target:
    """Cells `start` to `end` (exclusive) of the line run `action` when clicked."""

    start: int
    end: int
    action: str


class KeyBar(Static):
    """One line of `key description` pairs for the screen's active bindings."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[Target] = []
        self._shown: tuple[str, tuple[Span, ...]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        line = self.keys_line()
        if self.size.width and line.length > self.size.width:
            line = self.keys_line(compact=True)  # 80 columns: less space between the keys
        self.targets = line.targets
        # Bindings are refreshed after every answer, and mostly come out the same: an
        # unchanged line is not drawn again (Content's == compares the text alone).
        shown = ("".join(line.text), tuple(line.spans))
        if shown != self._shown:
            self._shown = shown
            self.update(line.content(), layout=False)

    def on_resize(self) -> None:
        self._changed(self.screen)

    def keys_line(self, *, compact: bool = False) -> _Line:
        """The line for the screen's bindings right now (`compact`: one space between keys)."""
        app = self.app
        shown: list[tuple[str, Binding, bool]] = []
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            namespace = "app" if active.node is app else "screen"
            shown.append((namespace, binding.with_key(key, binding.key_display), active.enabled))
        line = _Line()

        def gap() -> None:
            """Compact: one space between one key's description and the next key."""
            if compact and line.length:
                line.add(" ")

        for group, items in groupby(shown, key=lambda item: item[1].group):
            members = list(items)
            if group is not None and len(members) > 1:
                if compact:
                    gap()
                else:
                    line.add(" ")
                for namespace, binding, enabled in members:
                    line.key(app.get_key_display(binding), _action(namespace, binding), enabled)
                line.add(f" {group.description}" + ("" if compact else "  "))
                continue
            for namespace, binding, enabled in members:
                key = app.get_key_display(binding)
                action = _action(namespace, binding)
                if compact:
                    gap()
                    line.key(f"{key} ", action, enabled, binding.description)
                else:
                    line.key(f" {key} ", action, enabled, binding.description)
                    line.add(" ")
        if app.ENABLE_COMMAND_PALETTE:
            gap()
            line.key("^p" if compact else " ^p", "app.command_palette", True, " palette")
        return line

    async def on_click(self, event: events.Click) -> None:
        for target in self.targets:
            if target.start <= event.x < target.end:
                event.stop()
                await self.run_action(target.action)
                return


def _action(namespace: str, binding: Binding) -> str:
    """The binding's action with the namespace it is bound in, unless it names its own."""
    name = binding.action.split("(")[0]
    return binding.action if "." in name else f"{namespace}.{binding.action}"


class _Line:
    """Text with styled stretches, and what clicking each key does."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.spans: list[Span] = []
        self.targets: list[Target] = []
        self.length = 0

    def add(self, text: str, style: str | None = None) -> None:
        if style is not None:
            self.spans.append(Span(self.length, self.length + len(text), style))
        self.text.append(text)
        self.length += len(text)

    def key(self, display: str, action: str, enabled: bool, description: str = "") -> None:
        """A key (and its description): styled as a key, clickable."""
        start = self.length
        self.add(display, KEY_STYLE if enabled else "dim")
        if description:
            self.add(description)
        # The keys and descriptions are single-cell characters, so characters are cells.
        self.targets.append(Target(start, self.length, action))

    def content(self) -> Content:
        return Content("".join(self.text), spans=self.spans)
