"""`gmed export` through its real entry point: files written, user mistakes as one line."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from gmed_trainer.cli import main
from gmed_trainer.paths import shipped_decks_dir


@pytest.mark.parametrize(
    ("target", "suffix", "expected"),
    [
        ("anki", ".apkg", "notes from 6 decks"),
        ("moodle", ".xml", "questions from 6 decks"),
        ("csv", ".csv", "review units from 6 decks"),
    ],
)
def test_exports_the_shipped_decks(
    target: str, suffix: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"decks{suffix}"
    assert main(["export", target, "-o", str(out)]) == 0
    assert expected in capsys.readouterr().out
    assert out.stat().st_size > 0
    if target == "anki":
        with zipfile.ZipFile(out) as package:
            assert "collection.anki2" in package.namelist()


def test_csv_export_counts_every_shipped_unit(tmp_path: Path) -> None:
    from gmed_trainer.decks.loader import load_decks

    decks, _ = load_decks([shipped_decks_dir()])
    out = tmp_path / "units.csv"
    assert main(["export", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == sum(len(d.units()) for d in decks)


def test_a_deck_with_errors_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: gmed-deck/1\ndeck: {id: x}\ncards: []\n", encoding="utf-8")
    assert main(["export", "csv", str(bad), "-o", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gmed: error: ") and "bad.yaml:" in err and "gmed validate" in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "csv", "missing.yaml", "-o", "x.csv"], "no such file or folder: missing.yaml"),
        (["export", "csv", "-o", "/no/such/folder/x.csv"], "folder /no/such/folder does not exist"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
