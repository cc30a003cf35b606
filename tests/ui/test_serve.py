"""`gmed serve` in a real browser: headless Chromium loads the page, and a card is shown.

What the page shows is read by feeding the websocket frames the browser receives (the app's
terminal output) to the pyte terminal emulator. The server runs in its own process group, killed
with SIGKILL at the end, so no app process outlives the test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyte
import pytest

from gmed_trainer.store.repository import Store
from gmed_trainer.store.sync import sync_decks

from .conftest import NOW
from .decks import basic_deck

CHROMIUM = Path("/usr/bin/chromium")
# Playwright adds --headless and a fresh profile directory (--user-data-dir) itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gmed serve exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"gmed serve did not listen on port {port} within {timeout} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`gmed serve` on a database holding the basic test deck; yields its URL."""
    db = tmp_path / "served.sqlite3"
    with Store.open(str(db), now=NOW) as store:
        sync_decks(store, [basic_deck()], now=NOW)
        store.add_learner("Ada", now=NOW)
    empty_decks = tmp_path / "no-shipped-decks"
    empty_decks.mkdir()
    port = free_port()
    env = {**os.environ, "GMED_DECKS": str(empty_decks), "TZ": "UTC"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gmed_trainer.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            str(db),
            "--learner",
            "Ada",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        # The app processes textual-serve starts are in this group too.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class BrowserTerminal:
    """The app's screen as the browser received it, rebuilt by pyte from the websocket frames."""

    def __init__(self) -> None:
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None
        self.pending: list[bytes] = []

    def opened(self, url: str) -> None:
        query = parse_qs(urlparse(url).query)
        width = int(query.get("width", ["80"])[0])
        height = int(query.get("height", ["24"])[0])
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)

    def frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes) and self.stream is not None:
            self.stream.feed(payload)

    def text(self) -> str:
        return "\n".join(self.screen.display) if self.screen is not None else ""


def test_a_card_is_shown_in_the_browser(server: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python")
    terminal = BrowserTerminal()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})

            def on_websocket(ws: object) -> None:
                terminal.opened(ws.url)  # type: ignore[attr-defined]
                ws.on("framereceived", terminal.frame)  # type: ignore[attr-defined]

            page.on("websocket", on_websocket)
            page.goto(server)

            def wait_for(text: str, timeout: float = 30.0) -> None:
                deadline = time.monotonic() + timeout
                while text not in terminal.text():
                    if time.monotonic() > deadline:
                        page.screenshot(path=str(tmp_path / "failed.png"))
                        raise AssertionError(f"{text!r} never appeared; screen:\n{terminal.text()}")
                    page.wait_for_timeout(100)

            wait_for("All decks")  # Home, with the deck counts
            assert "learner Ada" in terminal.text()
            page.locator("body").click()
            page.keyboard.press("s")
            wait_for("Where does the gluteus medius insert?")
            assert "0 done · 3 left today" in terminal.text()
            page.keyboard.press(" ")
            wait_for("On the lateral surface of the greater trochanter.")
            page.screenshot(path=str(tmp_path / "card.png"))
        finally:
            browser.close()
