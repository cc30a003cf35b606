"""Every error and warning of the deck format: its code, and the line and column it points at.

Each case is a small deck with one problem. The test asserts the finding's code and position, and
that nothing else is wrong with the deck (so a case cannot pass by accident on another error).
Positions are 1-based; cards start on line 7 (see `helpers.HEAD`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from gmed_trainer.decks.findings import Code
from tests.decks.helpers import BASIC, HEAD, check, deck_text

NO_SOURCE_HEAD = """\
format: gmed-deck/1
deck:
  id: test-deck
  title: Test deck
  description: A deck without a default source
"""

MCQ_TWO_CORRECT = """\
  - id: m1
    type: mcq
    question: Q?
    explanation: E
    options:
      - {id: a, text: A, correct: true, why: W}
      - {id: b, text: B, correct: true, why: W}
"""

TABLE = """\
  - id: t
    key: k
    columns: [k, v]
    rows:
      - {k: A, v: x}
      - {k: B, v: y}
      - {k: C, v: z}
    ask:
      - {given: k, answer: v, as: mcq}
"""


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    code: Code
    at: tuple[int, int]
    #: Other codes the deck is expected to raise besides `code`.
    also: frozenset[Code] = field(default_factory=frozenset)


def mcq(options: str, extra: str = "") -> str:
    """An mcq card (line 7) whose options list starts on line 12, column 7."""
    return (
        "  - id: m1\n    type: mcq\n    question: Q?\n    explanation: E\n"
        + extra
        + "    options:\n"
        + options
    )


def case_card(steps: str, extra: str = "    explanation: E\n") -> str:
    """A case card (line 7) whose `steps` value starts on line 11."""
    return "  - id: k1\n    type: case\n    title: T\n    stem: S\n" + extra + steps


STEP = "      - id: s1\n        question: Q?\n        options:\n"
OPTIONS_AB = (
    "          - {id: a, text: A, correct: true, why: W}\n          - {id: b, text: B, why: W}\n"
)

CASES = [
    # --- the YAML itself
    Case("yaml-syntax", "format: gmed-deck/1\ndeck: [a, b\ncards: []\n", Code.YAML_SYNTAX, (3, 6)),
    Case(
        "python-tag",
        deck_text(
            "  - id: c1\n    type: basic\n    front: !!python/object:os.system x\n    back: B\n"
        ),
        Code.TAG_NOT_ALLOWED,
        (9, 12),
    ),
    Case(
        "local-tag-on-list",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: B\n    tags: !mine [a]\n"),
        Code.TAG_NOT_ALLOWED,
        (11, 11),
    ),
    Case(
        "duplicate-key",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: B\n    front: G\n"),
        Code.DUPLICATE_KEY,
        (11, 5),
    ),
    Case(
        "merge-key",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: B\n    <<: {extra: x}\n"),
        Code.BAD_KEY,
        (11, 5),
    ),
    Case(
        "complex-key",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: B\n    ? [x]\n    : y\n"),
        Code.BAD_KEY,
        (11, 7),
    ),
    Case(
        "bad-bool",
        deck_text(
            mcq(
                "      - {id: a, text: A, correct: !!bool maybe, why: W}\n"
                "      - {id: b, text: B, correct: true, why: W}\n"
            )
        ),
        Code.BAD_SCALAR,
        (12, 35),
    ),
    # --- the document's shape
    Case("not-a-mapping", "- format\n- deck\n", Code.NOT_A_MAPPING, (1, 1)),
    Case("empty-file", "# nothing here\n", Code.NOT_A_MAPPING, (1, 1)),
    Case(
        "unknown-format",
        deck_text().replace("gmed-deck/1", "gmed-deck/2"),
        Code.UNKNOWN_FORMAT,
        (1, 9),
    ),
    Case("missing-format", deck_text().split("\n", 1)[1], Code.MISSING_FIELD, (1, 1)),
    Case(
        "missing-field",
        deck_text("  - id: c1\n    type: basic\n    front: F\n"),
        Code.MISSING_FIELD,
        (7, 5),
    ),
    Case(
        "missing-deck-title",
        deck_text(head=HEAD.replace("  title: Test deck\n", "")),
        Code.MISSING_FIELD,
        (3, 3),
    ),
    Case("no-cards", HEAD, Code.MISSING_FIELD, (1, 1)),
    Case(
        "wrong-type-number",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: 3\n"),
        Code.WRONG_TYPE,
        (10, 11),
    ),
    Case(
        "wrong-type-version",
        deck_text(head=HEAD + "  version: 2026.1\n"),
        Code.WRONG_TYPE,
        (6, 12),
    ),
    Case(
        "wrong-type-card-not-mapping",
        deck_text("  - just text\n"),
        Code.WRONG_TYPE,
        (7, 5),
    ),
    Case(
        "unknown-key",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: B\n    fornt: x\n"),
        Code.UNKNOWN_KEY,
        (11, 5),
    ),
    Case(
        "key-of-another-type",
        deck_text("  - id: c1\n    type: basic\n    front: F\n    back: B\n    question: x\n"),
        Code.UNKNOWN_KEY,
        (11, 5),
    ),
    Case(
        "bad-card-type",
        deck_text("  - id: c1\n    type: multiple-choice\n    front: F\n    back: B\n"),
        Code.BAD_VALUE,
        (8, 11),
    ),
    Case(
        "bad-status",
        deck_text(BASIC + "    status: hidden\n"),
        Code.BAD_VALUE,
        (11, 13),
    ),
    Case(
        "empty-text",
        deck_text("  - id: c1\n    type: basic\n    front: ''\n    back: B\n"),
        Code.EMPTY_TEXT,
        (9, 12),
    ),
    # --- identifiers
    Case("bad-card-id", deck_text(BASIC.replace("id: c1", "id: Card_1")), Code.BAD_ID, (7, 9)),
    Case(
        "bad-deck-id", deck_text(head=HEAD.replace("test-deck", "Test Deck")), Code.BAD_ID, (3, 7)
    ),
    Case("bad-tag", deck_text(BASIC + "    tags: [ok, Not OK]\n"), Code.BAD_ID, (11, 16)),
    Case("duplicate-card-id", deck_text(BASIC + BASIC), Code.DUPLICATE_ID, (11, 9)),
    Case(
        "duplicate-option-id",
        deck_text(
            mcq(
                "      - {id: a, text: A, correct: true, why: W}\n"
                "      - {id: a, text: B, why: W}\n"
            )
        ),
        Code.DUPLICATE_ID,
        (13, 14),
    ),
    Case(
        "duplicate-step-id",
        deck_text(case_card("    steps:\n" + STEP + OPTIONS_AB + STEP + OPTIONS_AB)),
        Code.DUPLICATE_ID,
        (18, 13),
    ),
    Case(
        "duplicate-table-id",
        deck_text("", tables=TABLE + TABLE),
        Code.DUPLICATE_ID,
        (16, 9),
    ),
    Case(
        "replaces-live-id",
        deck_text(BASIC + "    replaces: [c1]\n"),
        Code.REPLACES_LIVE_ID,
        (11, 16),
    ),
    Case(
        "replaced-twice",
        deck_text(
            BASIC + "    replaces: [old]\n" + BASIC.replace("c1", "c2") + "    replaces: [old]\n"
        ),
        Code.REPLACED_TWICE,
        (16, 16),
    ),
    # --- card content
    Case(
        "cloze-no-deletions",
        deck_text("  - id: z1\n    type: cloze\n    text: nothing hidden\n"),
        Code.CLOZE_NO_DELETIONS,
        (9, 11),
    ),
    Case(
        "cloze-gap",
        deck_text("  - id: z1\n    type: cloze\n    text: '{{c1::a}} and {{c3::b}}'\n"),
        Code.CLOZE_NUMBERING,
        (9, 11),
    ),
    Case(
        "cloze-starts-at-2",
        deck_text("  - id: z1\n    type: cloze\n    text: '{{c2::a}}'\n"),
        Code.CLOZE_NUMBERING,
        (9, 11),
    ),
    Case(
        "cloze-empty-answer",
        deck_text("  - id: z1\n    type: cloze\n    text: '{{c1::}} is empty'\n"),
        Code.CLOZE_MALFORMED,
        (9, 11),
    ),
    Case(
        "cloze-stray-braces",
        deck_text("  - id: z1\n    type: cloze\n    text: '{{c1::a}} and {{c2:b}}'\n"),
        Code.CLOZE_MALFORMED,
        (9, 11),
    ),
    Case("two-correct", deck_text(MCQ_TWO_CORRECT), Code.CORRECT_COUNT, (12, 7)),
    Case(
        "none-correct",
        deck_text(mcq("      - {id: a, text: A, why: W}\n      - {id: b, text: B, why: W}\n")),
        Code.CORRECT_COUNT,
        (12, 7),
    ),
    Case(
        "select-all-none-correct",
        deck_text(
            mcq(
                "      - {id: a, text: A, why: W}\n      - {id: b, text: B, why: W}\n",
                "    select: all\n",
            )
        ),
        Code.CORRECT_COUNT,
        (13, 7),
    ),
    Case(
        "one-option",
        deck_text(mcq("      - {id: a, text: A, correct: true, why: W}\n")),
        Code.OPTION_COUNT,
        (12, 7),
    ),
    Case(
        "nine-options",
        deck_text(
            mcq(
                "      - {id: a, text: A, correct: true, why: W}\n"
                + "".join(f"      - {{id: o{i}, text: T{i}, why: W}}\n" for i in range(8))
            )
        ),
        Code.OPTION_COUNT,
        (12, 7),
    ),
    Case(
        "duplicate-option-text",
        deck_text(
            mcq(
                "      - {id: a, text: A, correct: true, why: W}\n"
                "      - {id: b, text: ' a', why: W}\n"
            )
        ),
        Code.DUPLICATE_OPTION_TEXT,
        (13, 23),
    ),
    Case("case-empty-steps", deck_text(case_card("    steps: []\n")), Code.CASE_NO_STEPS, (12, 12)),
    Case("case-missing-steps", deck_text(case_card("")), Code.CASE_NO_STEPS, (7, 5)),
    Case(
        "case-step-two-correct",
        deck_text(
            case_card(
                "    steps:\n"
                + STEP
                + OPTIONS_AB.replace("{id: b, text: B,", "{id: b, text: B, correct: true,")
            )
        ),
        Code.CORRECT_COUNT,
        (16, 11),
    ),
    # --- tables
    Case(
        "row-missing-column",
        deck_text("", tables=TABLE.replace("{k: C, v: z}", "{k: C}")),
        Code.ROW_MISSING_COLUMN,
        (13, 9),
    ),
    Case(
        "row-unknown-column",
        deck_text("", tables=TABLE.replace("{k: C, v: z}", "{k: C, v: z, w: q}")),
        Code.ROW_UNKNOWN_COLUMN,
        (13, 22),
    ),
    Case(
        "ask-unknown-column",
        deck_text("", tables=TABLE.replace("answer: v", "answer: vv")),
        Code.UNKNOWN_COLUMN,
        (15, 28),
    ),
    Case(
        "prompt-unknown-placeholder",
        deck_text("", tables=TABLE.replace("as: mcq}", "as: mcq, prompt: 'Which has {vv}?'}")),
        Code.UNKNOWN_COLUMN,
        (15, 48),
    ),
    Case(
        "key-not-a-column",
        deck_text("", tables=TABLE.replace("key: k", "key: x")),
        Code.UNKNOWN_COLUMN,
        (8, 10),
    ),
    Case(
        "mcq-too-few-rows",
        deck_text("", tables=TABLE.replace("      - {k: C, v: z}\n", "")),
        Code.MCQ_TOO_FEW_ROWS,
        (14, 9),
    ),
    Case(
        "mcq-too-few-values",
        deck_text("", tables=TABLE.replace("{k: C, v: z}", "{k: C, v: y}")),
        Code.MCQ_TOO_FEW_VALUES,
        (15, 9),
    ),
    Case(
        "duplicate-row-key",
        deck_text("", tables=TABLE.replace("{k: C, v: z}", "{k: A, v: z}")),
        Code.DUPLICATE_ID,
        (13, 13),
    ),
    Case(
        "row-keys-same-slug",
        deck_text("", tables=TABLE.replace("{k: C, v: z}", "{k: 'a!', v: z}")),
        Code.DUPLICATE_ID,
        (13, 13),
    ),
    Case(
        "duplicate-ask",
        deck_text("", tables=TABLE + "      - {given: k, answer: v}\n"),
        Code.DUPLICATE_ID,
        (16, 9),
    ),
    # --- warnings
    Case(
        "option-without-why",
        deck_text(
            mcq("      - {id: a, text: A, correct: true}\n      - {id: b, text: B, why: W}\n")
        ),
        Code.OPTION_WITHOUT_WHY,
        (12, 9),
    ),
    Case(
        "mcq-without-explanation",
        deck_text(
            mcq(
                "      - {id: a, text: A, correct: true, why: W}\n"
                "      - {id: b, text: B, why: W}\n"
            ).replace("    explanation: E\n", "")
        ),
        Code.NO_EXPLANATION,
        (7, 5),
    ),
    Case(
        "case-without-explanation",
        deck_text(case_card("    steps:\n" + STEP + OPTIONS_AB, extra="")),
        Code.NO_EXPLANATION,
        (7, 5),
    ),
    Case("card-without-source", deck_text(head=NO_SOURCE_HEAD), Code.NO_SOURCE, (7, 5)),
    Case(
        "table-without-source",
        deck_text("", head=NO_SOURCE_HEAD, tables=TABLE),
        Code.NO_SOURCE,
        (7, 5),
    ),
    Case(
        "all-of-the-above-unpinned",
        deck_text(
            mcq(
                "      - {id: a, text: A, why: W}\n"
                "      - {id: b, text: All of the above, correct: true, why: W}\n"
            )
        ),
        Code.UNPINNED_ALL_OF_ABOVE,
        (13, 9),
    ),
    Case(
        "none-of-the-above-in-a-case-step",
        deck_text(
            case_card(
                "    steps:\n" + STEP + OPTIONS_AB.replace("text: B,", "text: None of the above,")
            )
        ),
        Code.UNPINNED_ALL_OF_ABOVE,
        (17, 13),
    ),
    Case(
        "ambiguous-given",
        deck_text(
            "",
            tables=TABLE.replace("{k: C, v: z}", "{k: C, v: z, g: same}")
            .replace("{k: B, v: y}", "{k: B, v: y, g: same}")
            .replace("{k: A, v: x}", "{k: A, v: x, g: other}")
            .replace("[k, v]", "[k, v, g]")
            .replace("{given: k, answer: v, as: mcq}", "{given: g, answer: v}"),
        ),
        Code.AMBIGUOUS_GIVEN,
        (15, 9),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_problem_is_reported_at_its_node(case: Case) -> None:
    findings = check(case.text)
    assert [(f.line, f.column) for f in findings if f.code == case.code] == [case.at], "\n".join(
        map(str, findings)
    )
    others = {f.code for f in findings} - {case.code.value}
    assert others == {c.value for c in case.also}, "\n".join(map(str, findings))
    finding = next(f for f in findings if f.code == case.code)
    assert finding.severity == case.code.severity
    assert finding.path == "deck.yaml"


def test_every_code_has_a_case() -> None:
    tested = {c.code for c in CASES}
    # These are about the file rather than its content: tests/decks/test_yamlsafe.py and
    # test_loader.py cover them.
    elsewhere = {
        Code.FILE_UNREADABLE,
        Code.FILE_TOO_LARGE,
        Code.BINARY_FILE,
        Code.NOT_UTF8,
        Code.ALIAS_LIMIT,
        Code.TOO_DEEP,
        Code.DUPLICATE_DECK_ID,
    }
    assert set(Code) - elsewhere == tested


def test_a_valid_deck_has_no_findings() -> None:
    assert check(deck_text()) == []


def test_pinned_or_unshuffled_all_of_the_above_is_fine() -> None:
    options = (
        "      - {id: a, text: A, why: W}\n"
        "      - {id: b, text: All of the above, correct: true, why: W, pin: last}\n"
    )
    assert check(deck_text(mcq(options))) == []
    unpinned = options.replace(", pin: last", "")
    assert check(deck_text(mcq(unpinned, "    shuffle: false\n"))) == []


def test_every_problem_in_a_file_is_reported() -> None:
    cards = (
        "  - id: Bad\n    type: basic\n    front: F\n    back: 3\n"  # bad id, wrong type
        "  - id: c2\n    type: cloze\n    text: none\n    fornt: x\n"  # no deletion, unknown key
        + mcq("      - {id: a, text: A, why: W}\n").replace(
            "m1", "c2"
        )  # dup id, 1 option, 0 correct
    )
    findings = check(deck_text(cards, head=NO_SOURCE_HEAD))
    assert sorted(f.code for f in findings if f.is_error) == sorted(
        [
            Code.BAD_ID,
            Code.WRONG_TYPE,
            Code.CLOZE_NO_DELETIONS,
            Code.UNKNOWN_KEY,
            Code.DUPLICATE_ID,
            Code.OPTION_COUNT,
            Code.CORRECT_COUNT,
        ]
    )
    assert [f.code for f in findings if not f.is_error] == [Code.NO_SOURCE] * 3
    assert [(f.line, f.column) for f in findings] == sorted((f.line, f.column) for f in findings)


def test_unknown_key_suggests_the_closest_field() -> None:
    findings = check(deck_text(BASIC + "    sorce: x\n"))
    assert "did you mean `source`?" in findings[0].message


def test_key_of_another_type_names_that_type() -> None:
    findings = check(deck_text(BASIC + "    question: x\n"))
    assert "belongs to mcq cards" in findings[0].message


def test_a_python_tag_is_never_constructed(tmp_path: object) -> None:
    from pathlib import Path

    marker = Path(str(tmp_path)) / "constructed"
    text = deck_text(
        "  - id: c1\n    type: basic\n"
        f"    front: !!python/object/apply:os.system ['touch {marker}']\n    back: B\n"
    )
    assert Code.TAG_NOT_ALLOWED in {f.code for f in check(text)}
    assert not marker.exists()


def test_head_is_six_lines() -> None:
    # The positions above rely on it.
    assert HEAD.count("\n") == 5
