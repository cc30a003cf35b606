"""Help (`?`): every key of the screen underneath, from the same bindings its footer shows.

Keys that work right now come first (the screen's `active_bindings`, which honour `check_action`
and the keymap): the screen's own, then the app's, then those of the focused widget (moving in a
list...). Keys of the screen that do nothing in the current state follow, so a new user learns
the whole screen. The grade meanings close the list where grades exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from inspect import getmro

from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from gmed_trainer.scheduling.grades import Grade


@dataclass(frozen=True)
class KeyHelp:
    """One line of help: the keys, what they do, and whether they work right now."""

    keys: str
    description: str
    available: bool


def _class_bindings(node: Screen[object] | App[object]) -> list[Binding]:
    """Every binding a screen or app declares, its base classes' included, in MRO order."""
    found: list[Binding] = []
    for cls in getmro(type(node)):
        declared = cls.__dict__.get("BINDINGS")
        if declared:
            found.extend(Binding.make_bindings(declared))
    return found


def describe_keys(screen: Screen[object]) -> list[KeyHelp]:
    """The help lines for `screen`: available keys first, then the rest of its keys."""
    app = screen.app
    now: dict[tuple[str, str], list[str]] = {}
    # The screen's keys, then the app's, then the focused widget's, then the ones every
    # Textual screen has (focus, copy). sorted() is stable: each group keeps its order.
    rank = {id(screen): 0, id(app): 1}
    generic = {b.action for b in Binding.make_bindings(Screen.BINDINGS)}

    def order(item: tuple[str, ActiveBinding]) -> int:
        active = item[1]
        return 3 if active.binding.action in generic else rank.get(id(active.node), 2)

    active_keys = sorted(screen.active_bindings.items(), key=order)
    for key, active in active_keys:
        binding = active.binding
        if not binding.description or binding.system:
            continue
        display = app.get_key_display(binding.with_key(key, binding.key_display))
        now.setdefault((binding.action, binding.description), []).append(display)
    later: dict[tuple[str, str], list[str]] = {}
    for node in (screen, app):
        for binding in _class_bindings(node):
            ident = (binding.action, binding.description)
            if not binding.description or binding.system or ident in now:
                continue
            display = app.get_key_display(binding)
            keys = later.setdefault(ident, [])
            if display not in keys:
                keys.append(display)
    lines = [KeyHelp(" ".join(keys), desc, True) for (_, desc), keys in now.items()]
    lines += [KeyHelp(" ".join(keys), desc, False) for (_, desc), keys in later.items()]
    return lines


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below, and what the grades mean."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, target: Screen[object], *, grades: bool = False) -> None:
        super().__init__()
        self.target = target
        self.grades = grades

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(f"Keys: {self.target.title or self.app.title}", id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Every action is also in the command palette (ctrl+p). Esc closes this help.",
                id="help-footer",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does", "")
        for line in describe_keys(self.target):
            table.add_row(line.keys, line.description, "" if line.available else "not now")
        if self.grades:
            table.add_row("", "What the grades mean:", "")
            for grade in Grade:
                table.add_row(str(int(grade)), f"{grade.label}: {grade.description}", "")
        table.focus()
