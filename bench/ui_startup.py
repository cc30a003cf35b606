"""The trainer's responsiveness on the 50,000-unit collection, measured as a user feels it.

`gmed` runs as a real subprocess in a pseudo-terminal (100x30); its output is fed to the pyte
terminal emulator, and a moment counts when the text appears on pyte's screen.

- start-up: from launching `gmed study` to the first card on screen (target < 1.0 s), and from
  launching `gmed` to Home listing the decks;
- grade: from writing a grade key to the next card on screen, over 100 answers (p95 < 50 ms);
- memotica (a published Textual SM-2 trainer), launched the same way into a throwaway venv,
  from launch to its first screen, for comparison.

Each run studies a copy of the collection, so the cached file is never changed.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

from bench.collection import LEARNER, collection_path

COLUMNS, LINES = 100, 30
STARTS = 5
ANSWERS = 100
MEMOTICA_VENV = Path(tempfile.gettempdir()) / "gmed-bench-memotica"
#: memotica needs Python 3.12 or later; the venv is made with $MEMOTICA_PYTHON, else the first
#: of these that runs (a pyenv shim may exist and not run), else a pyenv-installed 3.12+.
PYTHONS = ("python3.12", "python3.13")
DONE_RE = re.compile(r"(\d+) done · ")


class Terminal:
    """A program in a pseudo-terminal, its screen kept by pyte."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            os.environ.update(env or {})
            os.environ.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
            os.execvp(argv[0], list(argv))
        self.pid, self.fd = pid, fd
        # The window size the app reads at start.
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, found: Callable[[str], bool], timeout: float = 20.0) -> float:
        """Read output until `found(screen text)`; returns when the output that made it true
        arrived (pyte's own parsing time is not the app's, so it is not counted)."""
        deadline = time.perf_counter() + timeout
        arrived = time.perf_counter()
        while True:
            if found(self.text()):
                return arrived
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"not on screen after {timeout} s:\n{self.text()}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if data:
                    arrived = time.perf_counter()
                    self.stream.feed(data)

    def wait_for_output(self, found: Callable[[str], bool], timeout: float = 20.0) -> float:
        """Like `wait_for`, but tested on the raw output since the call, decoded: no terminal
        emulation while timing, so the measuring costs the app (on a shared CPU) nothing. The
        output is fed to pyte afterwards, to keep the screen in step."""
        deadline = time.perf_counter() + timeout
        received = bytearray()
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"not in the output after {timeout} s")
                ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
                if ready:
                    data = os.read(self.fd, 65536)
                    arrived = time.perf_counter()
                    received += data
                    if found(received.decode("utf-8", "replace")):
                        return arrived
        finally:
            self.stream.feed(bytes(received))

    def press(self, keys: str) -> float:
        started = time.perf_counter()
        os.write(self.fd, keys.encode())
        return started

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def gmed_argv(db: Path, *args: str) -> list[str]:
    learner = ["--learner", LEARNER] if db.name.startswith("collection") else []
    return [sys.executable, "-m", "gmed_trainer.cli", *args, "--db", str(db), *learner]


def copy_collection(folder: Path) -> Path:
    target = folder / "collection.sqlite3"
    shutil.copyfile(collection_path(), target)
    return target


def on_card(text: str) -> bool:
    """The study screen shows a card: its progress line is drawn."""
    return DONE_RE.search(text) is not None


def time_start(argv: list[str], ready: Callable[[str], bool]) -> float:
    started = time.perf_counter()
    terminal = Terminal(argv)
    try:
        return terminal.wait_for_output(ready) - started
    finally:
        terminal.close()


def answer_to_grade(terminal: Terminal) -> None:
    """Bring the unit on screen to its answer, whatever its type (reveal, or answer 'a')."""
    terminal.press(" ")
    for _ in range(12):
        try:
            terminal.wait_for(lambda t: "Press 0-5" in t or "Suggested" in t, timeout=0.3)
            return
        except TimeoutError:
            paused = "enter for the next step" in terminal.text().lower()
            terminal.press("\r" if paused else "a")
    raise TimeoutError(f"could not reach the answer:\n{terminal.text()}")


#: The study screen's hint line while a unit waits for its answer (one per unit type).
QUESTION_HINTS = ("Recall the answer", "Press the letter of your answer", "Tick every correct")


def next_card_after(done: int) -> Callable[[str], bool]:
    """The next card is fully on screen: one more answer counted and the question's hint drawn
    (a frame arrives in pieces; the counter alone may come before the rest of the screen)."""

    def shown(text: str) -> bool:
        return f"{done + 1} done · " in text and any(hint in text for hint in QUESTION_HINTS)

    return shown


def time_grades(db: Path, answers: int) -> list[float]:
    """Milliseconds from a grade key to the next card, for `answers` answers."""
    terminal = Terminal(gmed_argv(db, "study"))
    latencies: list[float] = []
    try:
        terminal.wait_for(on_card)
        for _ in range(answers):
            answer_to_grade(terminal)
            match = DONE_RE.search(terminal.text())
            assert match is not None
            done = int(match.group(1))
            started = terminal.press("4")
            ended = terminal.wait_for_output(next_card_after(done))
            latencies.append((ended - started) * 1000)
    finally:
        terminal.close()
    return latencies


def pyenv_pythons() -> list[str]:
    """Interpreters installed by pyenv, oldest first (memotica's dependencies lag behind the
    newest Python; pyenv's shims only run the global version)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(root.glob("3.1[2-9]*/bin/python3")) if root.is_dir() else []
    return [str(path) for path in found]


def usable_python(name: str) -> str | None:
    """The path of interpreter `name` if it runs and is 3.12 or later (a pyenv shim may not)."""
    path = shutil.which(name)
    if path is None:
        return None
    check = [path, "-c", "import sys; sys.exit(sys.version_info < (3, 12))"]
    return path if subprocess.run(check, capture_output=True, check=False).returncode == 0 else None


def memotica_argv() -> list[str] | None:
    """memotica's command, installed into a throwaway venv; None if it cannot be installed."""
    program = MEMOTICA_VENV / "bin" / "memotica"
    if not program.exists():
        candidates = [os.environ.get("MEMOTICA_PYTHON", ""), *PYTHONS, *pyenv_pythons()]
        python = next(
            (found for name in candidates if name and (found := usable_python(name))), None
        )
        if python is None:
            print("memotica needs Python 3.12 or later, and none was found: not compared")
            return None
        subprocess.run([python, "-m", "venv", str(MEMOTICA_VENV)], check=True)
        installed = subprocess.run(
            [str(MEMOTICA_VENV / "bin" / "pip"), "install", "-q", "memotica"],
            capture_output=True,
            text=True,
            check=False,
        )
        if installed.returncode != 0 or not program.exists():
            shutil.rmtree(MEMOTICA_VENV, ignore_errors=True)  # try afresh next time
            print(f"memotica could not be installed: {installed.stderr.strip()[-300:]}")
            return None
    return [str(program)]


def report(label: str, values: Sequence[float], unit: str) -> None:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label:<48} median {statistics.median(ordered):7.1f} {unit}  "
        f"p95 {p95:7.1f} {unit}  min {ordered[0]:7.1f} {unit}  (n={len(ordered)})"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gmed-bench-ui-") as folder:
        home = Path(folder)
        env_backup = dict(os.environ)
        # The shipped decks are synced into the copy on start, as for a user.
        os.environ["GMED_DATA_DIR"] = str(home / "data")
        try:
            db = copy_collection(home)
            time_start(gmed_argv(db, "study"), on_card)  # first run syncs the shipped decks
            starts = [time_start(gmed_argv(db, "study"), on_card) * 1000 for _ in range(STARTS)]
            report("gmed study: launch to first card", starts, "ms")
            homes = [
                time_start(gmed_argv(db), lambda t: "All decks" in t) * 1000 for _ in range(STARTS)
            ]
            report("gmed: launch to Home with deck counts", homes, "ms")
            report("grade key to next card (pty, 100 answers)", time_grades(db, ANSWERS), "ms")
            # Like for like with memotica below, which starts on an empty collection.
            small = home / "small.sqlite3"
            time_start(gmed_argv(small), lambda t: "All decks" in t)  # creates it, syncs decks
            smalls = [
                time_start(gmed_argv(small), lambda t: "All decks" in t) * 1000
                for _ in range(STARTS)
            ]
            report("gmed, shipped decks only: launch to Home", smalls, "ms")
        finally:
            os.environ.clear()
            os.environ.update(env_backup)
    argv = memotica_argv()
    if argv is None:
        return
    with tempfile.TemporaryDirectory(prefix="gmed-bench-memotica-") as folder:
        env = {"HOME": folder, "XDG_DATA_HOME": folder, "XDG_CONFIG_HOME": folder}
        backup = dict(os.environ)
        os.environ.update(env)
        try:
            time_start(argv, memotica_ready)  # the first run creates its database
            starts = [time_start(argv, memotica_ready) * 1000 for _ in range(STARTS)]
        finally:
            os.environ.clear()
            os.environ.update(backup)
    report("memotica: launch to first screen", starts, "ms")


def memotica_ready(text: str) -> bool:
    """memotica's first screen is drawn: its footer offers "Start Review"."""
    return "Start Review" in text


if __name__ == "__main__":
    main()
