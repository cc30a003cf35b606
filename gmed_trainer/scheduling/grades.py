"""The 0-5 grades of SM-2, their meaning for the UI, and the automatic grades of objective items.

An mcq or a case is graded by the session from the learner's answers; the learner may still
override the suggestion. `needs_repeat` is SM-2's same-day rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from gmed_trainer.scheduling.sm2 import check_quality


class Grade(IntEnum):
    """An SM-2 quality of response, 0 (blackout) to 5 (perfect)."""

    BLACKOUT = 0
    WRONG_FAMILIAR = 1
    WRONG_EASY = 2
    HARD = 3
    GOOD = 4
    PERFECT = 5

    @property
    def label(self) -> str:
        """A word or two for a button."""
        return _LABELS[self]

    @property
    def description(self) -> str:
        """A sentence for help text and tooltips: what the grade means."""
        return _DESCRIPTIONS[self]


_LABELS: dict[Grade, str] = {
    Grade.BLACKOUT: "blackout",
    Grade.WRONG_FAMILIAR: "wrong, familiar",
    Grade.WRONG_EASY: "wrong, easy to recall",
    Grade.HARD: "hard",
    Grade.GOOD: "good",
    Grade.PERFECT: "perfect",
}

_DESCRIPTIONS: dict[Grade, str] = {
    Grade.BLACKOUT: "Complete blackout.",
    Grade.WRONG_FAMILIAR: "Incorrect, but the answer seemed familiar on seeing it.",
    Grade.WRONG_EASY: "Incorrect, but the answer seemed easy to remember.",
    Grade.HARD: "Correct, with serious difficulty.",
    Grade.GOOD: "Correct, after hesitation.",
    Grade.PERFECT: "Perfect recall.",
}

#: Grades below this come back later in the same session (SM-2's same-day rule).
REPEAT_BELOW = Grade.GOOD


def mcq_grade(correct: bool) -> int:
    """The suggested grade of a multiple-choice answer: 4 when correct, 1 when not."""
    return int(Grade.GOOD if correct else Grade.WRONG_FAMILIAR)


def case_grade(step_results: Sequence[bool]) -> int:
    """The suggested grade of a case from its steps, each True when right at the first try.

    4 when every step was right first time, 3 when at least half were, else 1. A case has at
    least one step, so an empty sequence is a caller's bug and raises ValueError.
    """
    total = len(step_results)
    if total == 0:
        raise ValueError("a case needs at least one step result to be graded")
    right = sum(1 for result in step_results if result)
    if right == total:
        return int(Grade.GOOD)
    if 2 * right >= total:
        return int(Grade.HARD)
    return int(Grade.WRONG_FAMILIAR)


def needs_repeat(quality: int) -> bool:
    """Whether a unit graded `quality` must come back later in the same session (below 4)."""
    return check_quality(quality) < REPEAT_BELOW
