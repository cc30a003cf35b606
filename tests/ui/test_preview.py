"""`gmed preview`: a deck file in the study widgets, findings shown and re-checked on save."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from gmed_trainer.cli import main
from gmed_trainer.decks.loader import load_deck
from gmed_trainer.ui.app import Launch, Start, make_app
from gmed_trainer.ui.screens.preview import PreviewScreen, file_signature
from gmed_trainer.ui.widgets.card import CardView
from gmed_trainer.ui.widgets.findings import FindingsView

from .helpers import settle, text_of, wait_until

DECK = Path(__file__).parent / "data" / "preview-deck.yaml"


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "deck.yaml"
    shutil.copyfile(DECK, path)
    return path


def preview_app(path: Path, card: str | None = None):  # type: ignore[no-untyped-def]
    return make_app(Launch(start=Start.PREVIEW, preview_path=path, preview_card=card))


async def shown(pilot: Pilot[Any], screen: PreviewScreen, path: Path) -> None:
    """Wait until the screen shows the file as it is now on disk."""
    signature = file_signature(path)
    await wait_until(pilot, lambda: screen.checked == signature, f"the preview of {signature}")


def save(path: Path, text: str, *, later_by_s: int) -> None:
    """Write `text`, dated `later_by_s` seconds on, so the change shows even on a filesystem
    with a coarse mtime."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + later_by_s * 1_000_000_000))


async def test_preview_shows_the_cards_and_the_findings(deck_file: Path) -> None:
    app = preview_app(deck_file)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        await shown(pilot, screen, deck_file)
        assert [u.card_id for u in screen.units] == ["insertion", "nerve-mcq", "roots"]
        findings = text_of(screen.query_one(FindingsView))
        assert "1 warning." in findings
        assert "19:9: warning: W201" in findings
        # The unit whose card holds the finding is flagged in the list.
        units = screen.query_one("#preview-units", OptionList)
        prompts = [str(units.get_option_at_index(i).prompt) for i in range(units.option_count)]
        assert prompts[1].startswith("! nerve-mcq")
        assert not prompts[0].startswith("!")
        card = screen.query_one(CardView)
        # The card view recomposes on the next refresh after the load is shown.
        await wait_until(pilot, lambda: "Where does the gluteus medius insert?" in text_of(card))
        await pilot.press("space")
        assert "greater trochanter" in text_of(card)
        await pilot.press("n", "b")  # next card: the mcq; answer its second option
        assert "It carries L4-S1 fibres" in text_of(card)


async def test_preview_opens_on_the_card_asked_for(deck_file: Path) -> None:
    app = preview_app(deck_file, "roots")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        await shown(pilot, screen, deck_file)
        await wait_until(pilot, lambda: "[...]" in text_of(screen.query_one(CardView)))


async def test_saving_the_file_rechecks_it(deck_file: Path) -> None:
    app = preview_app(deck_file)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        await shown(pilot, screen, deck_file)
        save(deck_file, deck_file.read_text().replace("type: cloze", "type: clozz"), later_by_s=1)
        # Saved files are found by a poll once a second; a check now is the same step.
        screen.check_file()
        await shown(pilot, screen, deck_file)
        findings = text_of(screen.query_one(FindingsView))
        assert "error: E206" in findings and "did you mean `cloze`" in findings
        assert screen.units == []
        assert "cannot be loaded" in text_of(screen)
        fixed = DECK.read_text().replace(
            "        correct: false\n", "        correct: false\n        why: Not this one.\n"
        )
        save(deck_file, fixed, later_by_s=2)
        await shown(pilot, screen, deck_file)  # found by the poll this time
        assert "No problems found." in text_of(screen.query_one(FindingsView))
        assert len(screen.units) == 3


async def test_a_load_overtaken_by_a_newer_one_is_dropped(deck_file: Path) -> None:
    app = preview_app(deck_file)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        await shown(pilot, screen, deck_file)
        old = screen.checked
        save(deck_file, deck_file.read_text().replace("type: cloze", "type: clozz"), later_by_s=1)
        screen.check_file()
        await shown(pilot, screen, deck_file)
        # The result of a load asked for before the save arrives last: it is not shown.
        stale = load_deck(DECK)
        screen.post_message(PreviewScreen.Loaded(stale, datetime.now(), old))
        await settle(pilot)
        assert screen.units == []
        assert "error: E206" in text_of(screen.query_one(FindingsView))


def test_preview_of_a_missing_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"gmed: error: no such file: {tmp_path / 'nope.yaml'}"


def test_preview_of_an_unknown_card_is_one_line(
    deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", str(deck_file), "--card", "nope"]) == 2
    assert capsys.readouterr().err.strip() == f"gmed: error: no card 'nope' in {deck_file}"


def test_the_trainer_refuses_to_run_without_a_terminal(
    deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Under pytest stdin is not a terminal: the app must say so instead of hanging.
    assert main(["preview", str(deck_file)]) == 2
    assert "needs a terminal" in capsys.readouterr().err
