"""What the UI tests share: waiting for workers, reading what is on screen, the session."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widgets import Static

from gmed_trainer.study.session import StudySession
from gmed_trainer.ui.play import OPTION_KEYS
from gmed_trainer.ui.screens.study import StudyScreen


async def settle(pilot: Pilot[Any]) -> None:
    """Let posted messages run, every worker finish, and their results be drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


#: Seconds after which `wait_until` gives up: only so a broken test fails instead of hanging.
#: Nothing waits this long when things work, however slow or loaded the machine.
GIVE_UP = 120.0


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str = "the condition"
) -> None:
    """Let the app run (messages, workers, timers, refreshes) until `condition()` is true."""
    deadline = monotonic() + GIVE_UP
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {GIVE_UP:.0f} s")
        await pilot.pause()


def text_of(node: DOMNode) -> str:
    """The text of every Static under `node` (the card, a screen), in DOM order."""
    return "\n".join(str(static.render()) for static in node.query(Static))


def session_of(app: App[Any]) -> StudySession:
    screen = app.screen
    assert isinstance(screen, StudyScreen), f"not studying: {screen!r}"
    assert screen.session is not None, "the session has not started"
    return screen.session.session


def key_of(order: tuple[str, ...], option_id: str) -> str:
    """The key (a-h) an option is shown under."""
    return OPTION_KEYS[order.index(option_id)]
