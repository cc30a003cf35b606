"""The grade scale's wording, the automatic grades of mcqs and cases, and the same-day rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gmed_trainer.scheduling.grades import Grade, case_grade, mcq_grade, needs_repeat
from gmed_trainer.scheduling.sm2 import SM2State, review


@pytest.mark.parametrize(
    ("grade", "value", "label", "description"),
    [
        (Grade.BLACKOUT, 0, "blackout", "Complete blackout."),
        (
            Grade.WRONG_FAMILIAR,
            1,
            "wrong, familiar",
            "Incorrect, but the answer seemed familiar on seeing it.",
        ),
        (
            Grade.WRONG_EASY,
            2,
            "wrong, easy to recall",
            "Incorrect, but the answer seemed easy to remember.",
        ),
        (Grade.HARD, 3, "hard", "Correct, with serious difficulty."),
        (Grade.GOOD, 4, "good", "Correct, after hesitation."),
        (Grade.PERFECT, 5, "perfect", "Perfect recall."),
    ],
)
def test_each_grade_has_its_value_and_wording(
    grade: Grade, value: int, label: str, description: str
) -> None:
    assert grade == value
    assert Grade(value) is grade
    assert grade.label == label
    assert grade.description == description


def test_the_scale_is_exactly_zero_to_five() -> None:
    assert [int(g) for g in Grade] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(("correct", "grade"), [(True, 4), (False, 1)])
def test_mcq_grade(correct: bool, grade: int) -> None:
    assert mcq_grade(correct) == grade
    assert type(mcq_grade(correct)) is int


@pytest.mark.parametrize(
    ("steps", "grade"),
    [
        ([True], 4),
        ([False], 1),
        ([True, True, True], 4),
        ([True, False], 3),  # exactly half
        ([False, True], 3),
        ([True, True, False], 3),  # two of three
        ([True, False, False], 1),  # one of three
        ([True, True, False, False], 3),
        ([True, False, False, False], 1),
        ([False, False, False, False], 1),
        ([True, True, True, True, False], 3),  # all but one is not "every step"
    ],
)
def test_case_grade(steps: list[bool], grade: int) -> None:
    assert case_grade(steps) == grade
    assert case_grade(tuple(steps)) == grade
    assert type(case_grade(steps)) is int


def test_case_grade_needs_at_least_one_step() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        case_grade([])


@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_case_grade_follows_its_definition(steps: list[bool]) -> None:
    share_right = Fraction(steps.count(True), len(steps))
    if share_right == 1:
        expected = 4
    elif share_right >= Fraction(1, 2):
        expected = 3
    else:
        expected = 1
    assert case_grade(steps) == expected


@pytest.mark.parametrize(("quality", "repeat"), [(0, True), (1, True), (2, True), (3, True)])
def test_grades_below_four_come_back_the_same_day(quality: int, repeat: bool) -> None:
    assert needs_repeat(quality) is repeat


@pytest.mark.parametrize("quality", [4, 5, Grade.GOOD, Grade.PERFECT])
def test_grades_four_and_five_do_not_come_back(quality: int) -> None:
    assert needs_repeat(quality) is False


@pytest.mark.parametrize("quality", [-1, 6, True, 3.0, None])
def test_needs_repeat_refuses_what_is_not_a_grade(quality: object) -> None:
    with pytest.raises(ValueError):
        needs_repeat(quality)  # type: ignore[arg-type]


def test_automatic_grades_fit_the_same_day_rule() -> None:
    # A wrong mcq or a poor case comes back the same day; a right one does not.
    assert needs_repeat(mcq_grade(False))
    assert not needs_repeat(mcq_grade(True))
    assert needs_repeat(case_grade([True, False]))
    assert not needs_repeat(case_grade([True, True]))


def test_automatic_grades_are_valid_sm2_qualities() -> None:
    for quality in (mcq_grade(True), mcq_grade(False), case_grade([True]), case_grade([False])):
        review(SM2State(), quality)
