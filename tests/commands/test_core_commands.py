"""`gmed import`, `gmed learners`, `gmed due` and `gmed stats`, through `cli.main` (and one run
of the installed `gmed` script)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gmed_trainer.cli import main

GMED = Path(sys.executable).with_name("gmed")

DECK = """\
format: gmed-deck/1
deck:
  id: {deck_id}
  title: Deck {deck_id}
  source: Test source
  tags: [gm]
cards:
  - id: c1
    type: basic
    front: {front}
    back: B
  - id: r1
    type: reverse
    front: hip abduction
    back: gluteus medius
  - id: z1
    type: cloze
    text: "The {{{{c1::gluteus medius}}}} abducts the {{{{c2::hip}}}}."
"""


def write_deck(folder: Path, deck_id: str, front: str = "F?") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{deck_id}.yaml"
    path.write_text(DECK.format(deck_id=deck_id, front=front), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database path, with the shipped decks replaced by one small deck."""
    write_deck(tmp_path / "shipped", "shipped-deck")
    monkeypatch.setenv("GMED_DECKS", str(tmp_path / "shipped"))
    return str(tmp_path / "gmed.sqlite3")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_learners_list_and_add(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "learners", "--db", db)[1].startswith("no learners yet")
    assert run(capsys, "learners", "add", "Ann Lee", "--db", db) == (
        0,
        "added learner 'Ann Lee'\n",
        "",
    )
    code, out, _ = run(capsys, "learners", "list", "--db", db)
    assert code == 0 and out.startswith("Ann Lee  new/day 20, reviews/day 200, day starts 04:00")
    code, out, err = run(capsys, "learners", "add", "Ann Lee", "--db", db)
    assert (code, out) == (
        2,
        "",
    ) and err == "gmed: error: a learner named 'Ann Lee' already exists\n"
    code, _, err = run(capsys, "learners", "add", "--db", db)
    assert code == 2 and err.count("\n") == 1 and "name the learner" in err


def test_import_reports_changes_and_skips_unchanged_decks(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_deck(tmp_path / "mine", "my-deck")
    code, out, err = run(capsys, "import", str(path), "--db", db)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["my-deck: 5 added", "imported 1 deck(s): 1 changed, 0 unchanged"]
    code, out, _ = run(capsys, "import", str(tmp_path / "mine"), "--db", db)
    assert out.splitlines() == ["my-deck: unchanged", "imported 1 deck(s): 0 changed, 1 unchanged"]
    write_deck(tmp_path / "mine", "my-deck", front="Changed?")
    code, out, _ = run(capsys, "import", str(path), "--db", db)
    assert out.splitlines()[0] == "my-deck: 1 edited"


def test_import_refuses_decks_with_errors_in_one_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: gmed-deck/1\ndeck: {id: Bad Id}\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(bad), "--db", db)
    assert code == 1 and out == ""
    assert (
        err.count("\n") == 1 and err.startswith("gmed: error: ") and "nothing was imported" in err
    )
    code, _, err = run(capsys, "import", str(tmp_path / "missing.yaml"), "--db", db)
    assert code == 2 and "no such file or folder" in err


def test_due_lists_each_deck_with_the_shipped_ones_synced(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "import", str(write_deck(tmp_path / "mine", "my-deck")), "--db", db)
    run(capsys, "learners", "add", "ann", "--db", db)
    code, out, err = run(capsys, "due", "--db", db, "--learner", "ann")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("ann, study day ")
    assert lines[1].split() == ["deck", "due", "new", "learning"]
    assert lines[2].split() == ["my-deck", "0", "3", "0"]  # siblings wait: 3 of 5 units today
    assert lines[3].split() == ["shipped-deck", "0", "3", "0"]
    assert lines[4].split() == ["total", "0", "6", "0"]


def test_stats_json(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(write_deck(tmp_path / "mine", "my-deck")), "--db", db)
    code, out, err = run(capsys, "stats", "--json", "--db", db)
    assert (code, err) == (0, "")
    data = json.loads(out)
    for key in ("learner", "reviews_today", "due_today", "new_available", "total_units", "leeches"):
        assert key in data
    assert (data["reviews_today"], data["due_today"], data["new_available"]) == (0, 0, 10)
    assert (data["total_units"], data["leeches"]) == (10, 0)
    assert [d["deck"] for d in data["decks"]] == ["my-deck", "shipped-deck"]
    for deck in data["decks"]:
        assert (deck["total_units"], deck["new_available"], deck["reviews_today"]) == (5, 5, 0)
        assert (deck["due_today"], deck["leeches"]) == (0, 0)
    assert len(data["forecast"]) == 30 and len(data["reviews_per_day"]) == 84
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0 and "reviews today     0" in out


def test_an_unknown_learner_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "due", "--db", db, "--learner", "nobody")
    assert (code, out) == (2, "")
    assert (
        err == "gmed: error: no learner named 'nobody'; add one with: gmed learners add 'nobody'\n"
    )


def test_a_corrupt_database_is_one_line_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 50)
    for argv in (["due"], ["stats", "--json"], ["learners"], ["learners", "add", "x"]):
        code, out, err = run(capsys, *argv, "--db", str(path))
        assert (code, out) == (1, "")
        assert err.count("\n") == 1 and "not a SQLite file" in err
    assert path.read_bytes() == b"this is not a database" * 50


def test_the_database_comes_from_gmed_db_or_the_data_dir(
    tmp_path: Path,
    isolated_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "learners", "add", "ann")
    assert (isolated_data_dir / "gmed.sqlite3").exists()
    other = tmp_path / "other.sqlite3"
    monkeypatch.setenv("GMED_DB", str(other))
    run(capsys, "learners", "add", "bob")
    assert run(capsys, "learners")[1].startswith("bob ")
    assert run(capsys, "--db", str(isolated_data_dir / "gmed.sqlite3"), "learners")[1].startswith(
        "ann "
    )


def test_the_installed_gmed_script(db: str, tmp_path: Path) -> None:
    assert GMED.exists(), f"{GMED} is missing: run make .venv/.installed"
    env = {
        "GMED_DATA_DIR": str(tmp_path / "data"),
        "GMED_DECKS": str(tmp_path / "shipped"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [str(GMED), "stats", "--json", "--db", db],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total_units"] == 5
    bad = subprocess.run(
        [str(GMED), "due", "--db", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr == f"gmed: error: {tmp_path} is a folder, not a database file\n"
