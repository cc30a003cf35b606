"""Exports to CSV, Anki and Moodle hold every published card, in a form those tools read."""

from __future__ import annotations

import csv
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from gmed_trainer.decks.model import Deck
from gmed_trainer.interop.anki import export_anki
from gmed_trainer.interop.csv_export import export_csv
from gmed_trainer.interop.moodle import export_moodle


def test_csv_has_one_row_per_published_unit(every_type_deck: Deck, tmp_path: Path) -> None:
    out = tmp_path / "deck.csv"
    assert export_csv([every_type_deck], out) == 7
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["card"], r["unit"]) for r in rows] == [
        ("origin", "main"),
        ("artery", "front"),
        ("artery", "back"),
        ("roots", "c1"),
        ("roots", "c2"),
        ("nerve", "main"),
        ("case-hip", "main"),
    ]
    back = rows[2]
    assert (back["prompt"], back["answer"]) == ("Superior gluteal artery", "Main artery?")
    cloze = rows[3]
    assert cloze["prompt"] == "Roots [levels] via SGN."
    assert cloze["answer"] == "Roots L4-L5-S1 via SGN."
    assert rows[5]["tags"] == "gmed innervation"
    assert rows[5]["answer"] == "Superior gluteal nerve"


def test_anki_package_holds_a_note_per_card(every_type_deck: Deck, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    assert export_anki([every_type_deck], out) == 5
    with zipfile.ZipFile(out) as package:
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    notes = db.execute("select flds, tags from notes").fetchall()
    cards = db.execute("select count(*) from cards").fetchone()[0]
    db.close()
    fields = [f.split("\x1f") for f, _ in notes]
    assert len(notes) == 5
    # basic 1 + reverse 2 + cloze 2 + mcq 1 + case 1
    assert cards == 7
    cloze = next(f for f in fields if f[-1] == "sample/roots")
    assert cloze[0] == "Roots {{c1::L4-L5-S1::levels}} via {{c2::SGN}}."
    mcq = next(f for f in fields if f[-1] == "sample/nerve")
    assert "Superior gluteal nerve" in mcq[0] and "L4-L5-S1." in mcq[1]
    assert all("gmed" in tags.split() for _, tags in notes)


def test_anki_export_is_stable_across_runs(every_type_deck: Deck, tmp_path: Path) -> None:
    def guids(path: Path) -> set[str]:
        export_anki([every_type_deck], path)
        with zipfile.ZipFile(path) as package:
            package.extract("collection.anki2", path.parent)
        db = sqlite3.connect(path.parent / "collection.anki2")
        result = {g for (g,) in db.execute("select guid from notes")}
        db.close()
        return result

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert guids(tmp_path / "a" / "x.apkg") == guids(tmp_path / "b" / "x.apkg")


def test_moodle_xml_scores_and_feedback(every_type_deck: Deck, tmp_path: Path) -> None:
    out = tmp_path / "deck.xml"
    result = export_moodle([every_type_deck], out)
    assert (result.questions, result.skipped_flashcards) == (3, 2)
    quiz = ET.parse(out).getroot()
    questions = [q for q in quiz if q.get("type") != "category"]
    assert [q.get("type") for q in questions] == ["cloze", "multichoice", "multichoice"]
    mcq = questions[1]
    answers = mcq.findall("answer")
    assert [a.get("fraction") for a in answers] == ["100", "0", "0"]
    assert answers[0].findtext("feedback/text") == "L4-L5-S1."
    # "All of the above" is pinned last, so Moodle must not shuffle this question.
    assert mcq.findtext("shuffleanswers") == "false"
    assert [t.text for t in mcq.findall("tags/tag/text")] == ["gmed", "innervation"]
    step = questions[2]
    assert "Tender taut band" in (step.findtext("questiontext/text") or "")
    assert step.findtext("generalfeedback/text") == "Palpation separates them."
    cloze = questions[0].findtext("questiontext/text") or ""
    assert "{1:SHORTANSWER:=L4-L5-S1}" in cloze and "{1:SHORTANSWER:=SGN}" in cloze
    assert quiz[0].findtext("category/text") == "$course$/gmed-trainer/Sample <deck>"
