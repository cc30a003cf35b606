"""Small hand-made decks for exam tests: mcqs, a select-all mcq and a two-step case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gmed_trainer.decks.model import CaseCard, Deck, McqCard, Option, ReviewUnit, Step

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def mcq(card_id: str, *, tags: tuple[str, ...] = ("anatomy",), right: str = "a") -> McqCard:
    return McqCard(
        id=card_id,
        question=f"Question {card_id}?",
        options=tuple(
            Option(id=o, text=f"{card_id} option {o}", correct=o == right, why=f"why {o}")
            for o in ("a", "b", "c", "d")
        ),
        explanation=f"explanation {card_id}",
        tags=tags,
    )


def select_all_mcq(card_id: str) -> McqCard:
    return McqCard(
        id=card_id,
        question="Which are true?",
        options=(
            Option(id="x", text="true one", correct=True, why="yes"),
            Option(id="y", text="true two", correct=True, why="yes too"),
            Option(id="z", text="false", correct=False, why="no"),
        ),
        select_all=True,
        tags=("anatomy",),
    )


def case(card_id: str, *, tags: tuple[str, ...] = ("cases",)) -> CaseCard:
    def step(step_id: str, right: str, reveal: str | None) -> Step:
        return Step(
            id=step_id,
            question=f"{step_id}?",
            reveal=reveal,
            options=tuple(
                Option(id=o, text=f"{step_id} {o}", correct=o == right, why=f"{step_id} why {o}")
                for o in ("p", "q", "r")
            ),
        )

    return CaseCard(
        id=card_id,
        title=f"Case {card_id}",
        stem="A patient.",
        steps=(step("first", "p", None), step("second", "q", "More news.")),
        explanation="case explanation",
        tags=tags,
    )


def deck(mcqs: int = 6, cases: int = 2, deck_id: str = "exam-deck") -> Deck:
    cards: list[McqCard | CaseCard] = [
        mcq(f"m{i}", tags=("anatomy",) if i % 2 else ("needling",)) for i in range(mcqs)
    ]
    cards += [case(f"c{i}") for i in range(cases)]
    return Deck(id=deck_id, title="Exam deck", cards=tuple(cards))


def units(d: Deck | None = None) -> list[ReviewUnit]:
    return list((d or deck()).units())
