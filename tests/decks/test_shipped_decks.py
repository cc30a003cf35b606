"""The decks that ship with gmed-trainer validate cleanly, warnings included."""

from __future__ import annotations

import pytest

from gmed_trainer.cli import main
from gmed_trainer.decks.loader import load_decks
from gmed_trainer.paths import shipped_decks_dir

MIN_REVIEW_UNITS = 150


def test_shipped_decks_pass_strict_validation(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--strict", str(shipped_decks_dir())])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip().endswith("0 errors, 0 warnings")


def test_shipped_decks_hold_enough_review_units() -> None:
    decks, findings = load_decks([shipped_decks_dir()])
    assert findings == []
    assert sum(len(deck.units()) for deck in decks) >= MIN_REVIEW_UNITS
