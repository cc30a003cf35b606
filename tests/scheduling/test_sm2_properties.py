"""Properties of SM-2 over arbitrary states and long grade sequences, with an exact reference.

The reference below is written from the published formula with `fractions.Fraction`, sharing no
code with the implementation, so agreement over random histories checks the integer-hundredths
arithmetic, the interval rounding and the cap all at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from gmed_trainer.scheduling.sm2 import MAX_INTERVAL, MIN_EASINESS, SM2State, review

grades = st.integers(min_value=0, max_value=5)
passing = st.integers(min_value=3, max_value=5)
failing = st.integers(min_value=0, max_value=2)
histories = st.lists(grades, max_size=60)
long_histories = st.lists(grades, min_size=200, max_size=600)


@st.composite
def states(draw: st.DrawFn) -> SM2State:
    """Any valid state, reachable or not: the rules must hold from each of them."""
    return SM2State.from_centi(
        draw(st.integers(min_value=0, max_value=500)),
        draw(st.integers(min_value=130, max_value=2_000)),
        draw(st.integers(min_value=0, max_value=MAX_INTERVAL)),
    )


@dataclass(frozen=True)
class Reference:
    """SM-2 straight from the description, in exact rationals."""

    repetitions: int = 0
    easiness: Fraction = Fraction(5, 2)
    interval: int = 0

    def review(self, q: int) -> Reference:
        if q < 3:
            return Reference(0, self.easiness, 1)
        n = self.repetitions + 1
        if n == 1:
            interval = 1
        elif n == 2:
            interval = 6
        else:
            interval = math.ceil(self.interval * self.easiness)
        ef = self.easiness + (
            Fraction(1, 10) - (5 - q) * (Fraction(8, 100) + (5 - q) * Fraction(2, 100))
        )
        return Reference(n, max(ef, Fraction(13, 10)), min(interval, 36_500))


def replay(history: list[int], start: SM2State | None = None) -> SM2State:
    state = start if start is not None else SM2State()
    for quality in history:
        state = review(state, quality)
    return state


@given(histories)
def test_agrees_with_the_exact_reference(history: list[int]) -> None:
    state, ref = SM2State(), Reference()
    for quality in history:
        state, ref = review(state, quality), ref.review(quality)
        assert state.repetitions == ref.repetitions
        assert state.interval == ref.interval
        assert Fraction(state.easiness_centi, 100) == ref.easiness
        assert state.easiness == float(ref.easiness)


@settings(max_examples=50)
@given(long_histories)
def test_hundreds_of_reviews_leave_easiness_exact_to_the_hundredth(history: list[int]) -> None:
    state, ref = SM2State(), Reference()
    for quality in history:
        state, ref = review(state, quality), ref.review(quality)
    # The reference is exact: its easiness is a whole number of hundredths, and ours equals it.
    assert (ref.easiness * 100).denominator == 1
    assert Fraction(state.easiness_centi, 100) == ref.easiness
    # The float shown to callers is the one nearest that hundredth: no accumulated drift.
    assert state.easiness == round(state.easiness, 2) == state.easiness_centi / 100


@given(states(), grades)
def test_easiness_never_drops_below_the_floor(state: SM2State, quality: int) -> None:
    assert review(state, quality).easiness >= MIN_EASINESS


@given(histories)
def test_easiness_never_drops_below_the_floor_along_a_history(history: list[int]) -> None:
    state = SM2State()
    for quality in history:
        state = review(state, quality)
        assert state.easiness_centi >= 130


@given(states(), grades)
def test_interval_is_between_one_day_and_the_cap_after_any_review(
    state: SM2State, quality: int
) -> None:
    assert 1 <= review(state, quality).interval <= MAX_INTERVAL


@given(states(), failing)
def test_failure_resets_repetitions_and_keeps_easiness(state: SM2State, quality: int) -> None:
    after = review(state, quality)
    assert after.repetitions == 0
    assert after.interval == 1
    assert after.easiness_centi == state.easiness_centi


@given(states(), passing)
def test_success_counts_one_more_repetition(state: SM2State, quality: int) -> None:
    assert review(state, quality).repetitions == state.repetitions + 1


@given(states(), passing)
def test_success_interval_uses_easiness_before_the_review(state: SM2State, quality: int) -> None:
    # The same state graded 3, 4 or 5 gets the same interval: only easiness differs.
    intervals = {review(state, q).interval for q in (3, 4, 5)}
    assert len(intervals) == 1


@given(states())
def test_easiness_after_a_success_rises_with_the_grade(state: SM2State) -> None:
    e3, e4, e5 = (review(state, q).easiness_centi for q in (3, 4, 5))
    assert e3 <= e4 <= e5
    assert e4 == state.easiness_centi
    assert e5 == state.easiness_centi + 10


@given(histories, passing)
def test_a_success_never_shortens_the_interval_of_a_reachable_state(
    history: list[int], quality: int
) -> None:
    # Easiness is at least 1.3, so from the third repetition the interval grows or stays capped.
    state = replay(history)
    after = review(state, quality)
    if state.repetitions >= 2:
        assert after.interval >= state.interval


@given(states(), grades)
def test_review_is_deterministic_and_round_trips_through_the_store_form(
    state: SM2State, quality: int
) -> None:
    after = review(state, quality)
    assert after == review(state, quality)
    stored = SM2State.from_centi(after.repetitions, after.easiness_centi, after.interval)
    assert stored == after


@st.composite
def whole_product_states(draw: st.DrawFn) -> SM2State:
    """States past the second repetition whose interval x easiness is a whole number of days."""
    centi = draw(st.integers(min_value=130, max_value=2_000))
    step = 100 // math.gcd(centi, 100)  # the smallest interval making interval x centi / 100 whole
    interval = step * draw(st.integers(min_value=1, max_value=MAX_INTERVAL // step))
    return SM2State.from_centi(draw(st.integers(min_value=2, max_value=100)), centi, interval)


@given(whole_product_states(), passing)
def test_a_whole_number_product_is_not_rounded_up(state: SM2State, quality: int) -> None:
    # Float multiplication lands just above some of these (180 x 1.35 = 243.00000000000003).
    exact = Fraction(state.interval) * Fraction(state.easiness_centi, 100)
    assert exact.denominator == 1
    assert review(state, quality).interval == min(int(exact), MAX_INTERVAL)
