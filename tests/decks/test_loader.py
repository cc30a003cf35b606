"""Loading files and folders of decks into domain objects."""

from __future__ import annotations

from pathlib import Path

from gmed_trainer.decks.findings import Code
from gmed_trainer.decks.loader import deck_files, load_deck, load_decks, load_results
from gmed_trainer.decks.model import (
    BasicCard,
    CardStatus,
    CaseCard,
    ClozeCard,
    Mark,
    McqCard,
    ReverseCard,
)
from tests.decks.helpers import BASIC, HEAD, deck_text

EVERY_TYPE = """\
  - id: b1
    type: basic
    front: Which nerve supplies the gluteus medius?
    back: The superior gluteal nerve.
    tags: [innervation]
    source: Anatomy and Function
  - id: r1
    type: reverse
    front: L4-L5-S1
    back: roots of the superior gluteal nerve
    extra: Also supplies gluteus minimus and TFL.
  - id: z1
    type: cloze
    text: '{{c1::Origin}} on the ilium, {{c2::insertion::where?}} on the trochanter; {{c1::x}}'
  - id: m1
    type: mcq
    stem: A runner has lateral hip pain.
    question: Which trigger point?
    shuffle: false
    options:
      - {id: a, text: TrP1, why: Sacroiliac.}
      - {id: b, text: TrP2, correct: true, why: Lateral hip.}
      - {id: c, text: None of the above, why: One is right., pin: last}
    explanation: TrP2 refers to the lateral hip.
  - id: k1
    type: case
    title: Bursitis?
    stem: A teacher has lateral hip pain.
    steps:
      - id: s1
        reveal: She cannot lie on that side.
        question: What next?
        select: all
        options:
          - {id: a, text: Palpate the muscle, correct: true, why: Finds taut bands.}
          - {id: b, text: Check Trendelenburg, correct: true, why: Weakness.}
          - {id: c, text: Inject the bursa, why: Not first.}
    explanation: Examine the muscle before blaming the bursa.
  - id: d1
    type: basic
    status: draft
    front: Draft front
    back: Draft back
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_card_type_loads_into_its_domain_object(tmp_path: Path) -> None:
    path = write(tmp_path, "deck.yaml", deck_text(EVERY_TYPE, head=HEAD + "  tags: [gm]\n"))
    result = load_deck(path)
    assert result.findings == []
    deck = result.deck
    assert deck is not None
    assert (deck.id, deck.title, deck.source, deck.tags, deck.path) == (
        "test-deck",
        "Test deck",
        "Test source",
        ("gm",),
        path,
    )
    b1, r1, z1, m1, k1, d1 = deck.cards
    assert isinstance(b1, BasicCard) and b1.tags == ("gm", "innervation")
    assert b1.source == "Anatomy and Function"
    assert b1.mark == Mark(str(path), 8, 5)
    assert isinstance(r1, ReverseCard) and r1.source == "Test source"
    assert r1.extra == "Also supplies gluteus minimus and TFL."
    assert isinstance(z1, ClozeCard) and z1.numbers == (1, 2)
    assert isinstance(m1, McqCard) and m1.correct_ids == {"b"} and not m1.shuffle
    assert m1.options[2].pin_last and m1.stem == "A runner has lateral hip pain."
    assert isinstance(k1, CaseCard) and k1.steps[0].select_all
    assert k1.steps[0].correct_ids == {"a", "b"}
    assert k1.steps[0].reveal == "She cannot lie on that side."
    assert d1.status is CardStatus.DRAFT


def test_units_follow_the_card_types_and_skip_drafts(tmp_path: Path) -> None:
    deck = load_deck(write(tmp_path, "deck.yaml", deck_text(EVERY_TYPE))).deck
    assert deck is not None
    assert [(u.card_id, u.unit) for u in deck.units()] == [
        ("b1", "main"),
        ("r1", "front"),
        ("r1", "back"),
        ("z1", "c1"),
        ("z1", "c2"),
        ("m1", "main"),
        ("k1", "main"),
    ]
    assert [u.card_id for u in deck.units(include_drafts=True)][-1] == "d1"


def test_a_deck_with_an_error_is_not_built(tmp_path: Path) -> None:
    result = load_deck(write(tmp_path, "deck.yaml", deck_text(BASIC + BASIC)))
    assert result.deck is None
    assert result.deck_id == "test-deck"
    assert [f.code for f in result.findings] == [Code.DUPLICATE_ID]
    assert (result.errors, result.warnings) == (1, 0)


def test_unreadable_paths_are_findings(tmp_path: Path) -> None:
    missing = load_deck(tmp_path / "nope.yaml")
    assert [(f.code, f.line, f.column) for f in missing.findings] == [(Code.FILE_UNREADABLE, 1, 1)]
    folder = load_deck(tmp_path)
    assert [f.code for f in folder.findings] == [Code.FILE_UNREADABLE]
    assert missing.deck is None and folder.deck is None


def test_the_size_limit_is_configurable(tmp_path: Path) -> None:
    path = write(tmp_path, "deck.yaml", deck_text())
    assert load_deck(path).deck is not None
    result = load_deck(path, max_bytes=50)
    assert [f.code for f in result.findings] == [Code.FILE_TOO_LARGE]


def test_folders_expand_to_their_deck_files_sorted(tmp_path: Path) -> None:
    write(tmp_path, "b.yml", deck_text(head=HEAD.replace("test-deck", "deck-b")))
    write(tmp_path, "a.yaml", deck_text(head=HEAD.replace("test-deck", "deck-a")))
    write(tmp_path, "notes.txt", "not a deck")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c.yaml", deck_text(head=HEAD.replace("test-deck", "deck-c")))
    assert [p.name for p in deck_files([tmp_path])] == ["a.yaml", "b.yml"]
    decks, findings = load_decks([tmp_path])
    assert [d.id for d in decks] == ["deck-a", "deck-b"]
    assert findings == []


def test_a_file_named_twice_is_loaded_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", deck_text())
    decks, findings = load_decks([tmp_path, path, str(path)])
    assert [d.id for d in decks] == ["test-deck"]
    assert findings == []


def test_deck_ids_are_unique_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", deck_text())
    second = write(tmp_path, "b.yaml", "# the same deck again\n" + deck_text())
    results = load_results([tmp_path])
    assert results[0].deck is not None and results[0].findings == []
    assert results[1].deck is None
    [finding] = results[1].findings
    assert (finding.path, finding.code, finding.line, finding.column) == (
        str(second),
        Code.DUPLICATE_DECK_ID,
        4,
        7,
    )
    assert f"{tmp_path / 'a.yaml'}:3" in finding.message
    decks, findings = load_decks([tmp_path])
    assert [d.id for d in decks] == ["test-deck"] and findings == [finding]


def test_load_decks_reports_missing_paths(tmp_path: Path) -> None:
    decks, findings = load_decks([tmp_path / "missing.yaml"])
    assert decks == []
    assert [f.code for f in findings] == [Code.FILE_UNREADABLE]
