"""Small decks for the UI tests, built in code: every card type, with known ids and answers."""

from __future__ import annotations

from gmed_trainer.decks.model import (
    BasicCard,
    CaseCard,
    ClozeCard,
    Deck,
    McqCard,
    Option,
    ReverseCard,
    Step,
)


def options(*spec: tuple[str, str, bool]) -> tuple[Option, ...]:
    """Options with a `why` naming the option, so tests can look for every why on screen."""
    return tuple(
        Option(
            id=oid,
            text=text,
            correct=correct,
            why=f"Why {oid}: {text} is {'right' if correct else 'wrong'}.",
        )
        for oid, text, correct in spec
    )


def basic_deck() -> Deck:
    """Three basic cards: three review units, studied in deck order."""
    return Deck(
        id="anatomy",
        title="Anatomy basics",
        tags=("gluteus",),
        cards=(
            BasicCard(
                id="insertion",
                front="Where does the gluteus medius insert?",
                back="On the lateral surface of the greater trochanter.",
                extra="Palpable just below the iliac rim.",
                source="Anatomy and Function",
                tags=("anatomy",),
            ),
            BasicCard(
                id="nerve",
                front="Which nerve supplies the gluteus medius?",
                back="The superior gluteal nerve (L4-L5-S1).",
                source="Innervation",
                tags=("nerve",),
            ),
            BasicCard(
                id="stance",
                front="In which phase of gait is the gluteus medius most active?",
                back="Single-leg stance: it keeps the pelvis level.",
                source="Anatomy and Function",
                tags=("function",),
            ),
        ),
    )


def mixed_deck() -> Deck:
    """One card of every type."""
    return Deck(
        id="mixed",
        title="Every card type",
        cards=(
            McqCard(
                id="nerve-mcq",
                question="Which nerve supplies the gluteus medius?",
                options=options(
                    ("sgn", "Superior gluteal nerve", True),
                    ("ign", "Inferior gluteal nerve", False),
                    ("sci", "Sciatic nerve", False),
                    ("fem", "Femoral nerve", False),
                ),
                explanation="The superior gluteal nerve (L4-S1) supplies the medius and minimus.",
                source="Innervation",
                tags=("nerve",),
            ),
            ClozeCard(
                id="roots",
                text="The superior gluteal nerve arises from {{c1::L4-L5-S1::roots}}.",
                source="Innervation",
                tags=("nerve",),
            ),
            ReverseCard(
                id="trp2",
                front="TrP2 of the gluteus medius",
                back="Middle portion, just below the iliac crest",
                source="Trigger points",
                tags=("trp",),
            ),
            CaseCard(
                id="bursitis",
                title="Lateral hip pain labelled bursitis",
                stem="A 52-year-old teacher has had right lateral hip pain for four months.",
                steps=(
                    Step(
                        id="triad",
                        question="Which finding completes the triad?",
                        options=options(
                            ("trendelenburg", "A positive Trendelenburg test", True),
                            ("groin", "Groin pain with painful internal rotation", False),
                        ),
                    ),
                    Step(
                        id="which-trp",
                        reveal="Pressing a nodule below the iliac crest reproduces her pain.",
                        question="Which trigger point explains it?",
                        options=options(
                            ("trp2", "TrP2, middle portion", True),
                            ("trp1", "TrP1, posterior portion", False),
                        ),
                    ),
                    Step(
                        id="treatment",
                        reveal="She asks what can be done.",
                        question="What comes first?",
                        options=options(
                            ("release", "Inactivate the trigger points", True),
                            ("surgery", "Bursectomy", False),
                        ),
                    ),
                ),
                explanation="TrP2 refers pain to the trochanter: the classic bursitis mimic.",
                source="Differential diagnosis",
                tags=("trp", "case"),
            ),
        ),
    )
