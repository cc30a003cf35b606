"""`gmed validate`: output, exit codes and formats, through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gmed_trainer.cli import main
from gmed_trainer.commands.validate import run_default
from tests.decks.helpers import BASIC, HEAD, deck_text

GMED = Path(sys.executable).with_name("gmed")
WARNING_ONLY = deck_text(
    BASIC + "  - id: m1\n    type: mcq\n    question: Q?\n    options:\n"
    "      - {id: a, text: A, correct: true, why: W}\n      - {id: b, text: B, why: W}\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.yaml").write_text(deck_text(), encoding="utf-8")
    (tmp_path / "warn.yaml").write_text(
        WARNING_ONLY.replace("test-deck", "warn-deck"), encoding="utf-8"
    )
    return tmp_path


def test_clean_decks_exit_0_with_a_summary(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(folder / "good.yaml")]) == 0
    assert capsys.readouterr().out == "1 deck, 1 review unit: 0 errors, 0 warnings\n"


def test_warnings_are_listed_but_pass_unless_strict(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{folder / 'warn.yaml'}:11:5: warning: W202 mcq card has no `explanation`",
        "2 decks, 3 review units: 0 errors, 1 warning",
    ]
    assert main(["validate", "--strict", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{folder / 'warn.yaml'}:11:5: error: W202 mcq card has no `explanation`",
        "2 decks, 3 review units: 1 error, 0 warnings",
    ]


def test_errors_exit_1_and_each_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(deck_text(BASIC + BASIC.replace("back: B", "back: 3")), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:11:9: error: E302 card id 'c1' is already used at line 7",
        f"{path}:14:11: error: E204 `back` must be text, not a number "
        "(put it in quotes to make it text)",
        "1 deck (0 usable), 0 review units: 2 errors, 0 warnings",
    ]


def test_json_output_holds_the_same_findings(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--format", "json", str(folder)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["findings"] == [
        {
            "path": str(folder / "warn.yaml"),
            "line": 11,
            "column": 5,
            "severity": "warning",
            "code": "W202",
            "name": "no-explanation",
            "message": "mcq card has no `explanation`",
        }
    ]
    assert payload["summary"] == {
        "files": 2,
        "decks": 2,
        "review_units": 3,
        "draft_units": 0,
        "errors": 0,
        "warnings": 1,
        "text": "2 decks, 3 review units: 0 errors, 1 warning",
    }


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"gmed: error: no such file or folder: {tmp_path / 'nope.yaml'}\n"


def test_a_folder_without_decks_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a deck", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"gmed: error: no deck files (*.yaml, *.yml) in {tmp_path}\n"


def test_a_bad_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--format", "xml"])
    assert exit_.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_max_size_refuses_large_files(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--max-size", "0.0001", str(folder / "good.yaml")]) == 1
    assert ": error: E101 file is " in capsys.readouterr().out


def test_default_is_the_shipped_decks(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GMED_DECKS", str(folder))
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.endswith("2 decks, 3 review units: 0 errors, 1 warning\n")
    assert run_default() == 0
    assert capsys.readouterr().out.endswith("2 decks, 3 review units: 0 errors, 1 warning\n")


def test_the_installed_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: gmed-deck/1\ndeck: [oops\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(HEAD + "cards:\n" + BASIC, encoding="utf-8")
    done = subprocess.run(
        [str(GMED), "validate", str(good), str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    first, summary = done.stdout.splitlines()
    assert first.startswith(f"{bad}:3:1: error: E104 YAML syntax: ")
    assert summary == "2 decks (1 usable), 1 review unit: 1 error, 0 warnings"
    missing = subprocess.run(
        [str(GMED), "validate", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.startswith("gmed: error: no such file or folder:")
