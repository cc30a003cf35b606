"""A small deck with one card of every type, built directly from the domain model."""

from __future__ import annotations

import pytest

from gmed_trainer.decks.model import (
    BasicCard,
    CardStatus,
    CaseCard,
    ClozeCard,
    Deck,
    McqCard,
    Option,
    ReverseCard,
    Step,
)


@pytest.fixture
def every_type_deck() -> Deck:
    nerve = McqCard(
        id="nerve",
        question="Which nerve supplies the gluteus medius?",
        options=(
            Option(id="sgn", text="Superior gluteal nerve", correct=True, why="L4-L5-S1."),
            Option(id="ign", text="Inferior gluteal nerve", correct=False, why="Not this one."),
            Option(
                id="all", text="All of the above", correct=False, why="Only one is.", pin_last=True
            ),
        ),
        explanation="The superior gluteal nerve (L4-L5-S1).",
        tags=("innervation",),
        source="Anatomy and Function",
    )
    case = CaseCard(
        id="case-hip",
        title="Lateral hip pain",
        stem="A 50-year-old with lateral hip pain at night.",
        steps=(
            Step(
                id="exam",
                reveal="Tender taut band below the iliac crest.",
                question="Where is peak pain in gluteus medius TrPs?",
                options=(
                    Option(id="belly", text="Muscle belly", correct=True, why="Yes."),
                    Option(id="troch", text="Over the trochanter", correct=False, why="No."),
                ),
            ),
        ),
        explanation="Palpation separates them.",
    )
    return Deck(
        id="sample",
        title="Sample <deck>",
        tags=("gmed",),
        cards=(
            BasicCard(id="origin", front="Origin?", back="External ilium", source="Anatomy"),
            ReverseCard(id="artery", front="Main artery?", back="Superior gluteal artery"),
            ClozeCard(id="roots", text="Roots {{c1::L4-L5-S1::levels}} via {{c2::SGN}}."),
            nerve,
            case,
            BasicCard(id="draft", front="?", back="!", status=CardStatus.DRAFT),
        ),
    )
