"""SuperMemo's SM-2 as a pure function: a unit's state plus a 0-5 grade gives its next state.

No clock, no I/O: the caller decides what "today" is (see `day.py`) and stores the result.
Easiness is kept in integer hundredths internally so that hundreds of reviews leave it exact to
two decimals; `docs/scheduling.md` explains each rule and where SM-2 descriptions differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Self

#: Longest interval in days (about a hundred years): keeps due dates far inside `date.max`.
MAX_INTERVAL = 36_500
#: SM-2's floor for easiness; there is no ceiling.
MIN_EASINESS = 1.3
#: The same floor in hundredths, as the store keeps easiness.
MIN_EASINESS_CENTI = 130
#: Easiness of a unit never reviewed.
INITIAL_EASINESS = 2.5
INITIAL_EASINESS_CENTI = 250
#: The lowest grade that counts as recalled; below it the repetitions restart.
PASSING_QUALITY = 3
MIN_QUALITY = 0
MAX_QUALITY = 5


def check_quality(quality: object) -> int:
    """Return `quality` if it is an int grade 0..5; raise ValueError otherwise.

    `bool` is refused although it is an int subclass: a True/False slipping in as a grade
    is a bug in the caller, not a grade of 1 or 0.
    """
    if isinstance(quality, bool) or not isinstance(quality, int):
        raise ValueError(f"SM-2 quality must be an int from 0 to 5, not {quality!r}")
    if not MIN_QUALITY <= quality <= MAX_QUALITY:
        raise ValueError(f"SM-2 quality must be from 0 to 5, not {quality}")
    return int(quality)


def easiness_delta_centi(quality: int) -> int:
    """SM-2's easiness change for a grade, in hundredths: 0.1 - (5-q)*(0.08 + (5-q)*0.02)."""
    miss = MAX_QUALITY - check_quality(quality)
    return 10 - miss * (8 + miss * 2)


def _centi(easiness: float) -> int:
    if isinstance(easiness, bool) or not isinstance(easiness, int | float):
        raise ValueError(f"SM-2 easiness must be a number, not {easiness!r}")
    if not math.isfinite(easiness):
        raise ValueError(f"SM-2 easiness must be finite, not {easiness!r}")
    return round(easiness * 100)


def _check_count(name: str, value: object, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"SM-2 {name} must be a non-negative int, not {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"SM-2 {name} must be at most {maximum}, not {value}")


@dataclass(frozen=True)
class SM2State:
    """Where a unit stands in SM-2: successful reviews in a row, easiness, and days to the next.

    A new unit is `SM2State()`: no repetitions, easiness 2.5, interval 0. Easiness is rounded to
    the nearest hundredth on construction, so `easiness` always equals `easiness_centi / 100`.
    """

    repetitions: int = 0
    easiness: float = INITIAL_EASINESS
    interval: int = 0

    def __post_init__(self) -> None:
        _check_count("repetitions", self.repetitions)
        _check_count("interval", self.interval, MAX_INTERVAL)
        centi = _centi(self.easiness)
        if centi < MIN_EASINESS_CENTI:
            raise ValueError(f"SM-2 easiness must be at least {MIN_EASINESS}, not {self.easiness}")
        # centi / 100 is the float nearest the two-decimal value, so 2.62 == state.easiness holds.
        object.__setattr__(self, "easiness", centi / 100)

    @classmethod
    def from_centi(cls, repetitions: int, easiness_centi: int, interval: int) -> Self:
        """Build a state from the store's columns, where easiness is integer hundredths."""
        if isinstance(easiness_centi, bool) or not isinstance(easiness_centi, int):
            raise ValueError(f"SM-2 easiness_centi must be an int, not {easiness_centi!r}")
        return cls(repetitions, easiness_centi / 100, interval)

    @property
    def easiness_centi(self) -> int:
        """Easiness in integer hundredths (250 for 2.50), the form the store keeps."""
        return round(self.easiness * 100)


def review(state: SM2State, quality: int) -> SM2State:
    """Return the state after one review graded `quality` (0..5); `state` is not changed.

    Below 3 the unit starts over (repetitions 0, interval 1) with its easiness unchanged.
    From 3 the interval grows: 1 day, 6 days, then ceil(previous interval x easiness before
    this review), capped at MAX_INTERVAL; easiness then moves by SM-2's formula, floored at 1.3.
    """
    quality = check_quality(quality)
    easiness = state.easiness_centi
    if quality < PASSING_QUALITY:
        return SM2State.from_centi(0, easiness, 1)

    repetitions = state.repetitions + 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        # Integer ceiling of interval * easiness / 100: exact where float ceil can be off by one.
        # max(1, ...) only matters for a hand-built state with repetitions but interval 0.
        interval = max(1, -(-state.interval * easiness // 100))
    interval = min(interval, MAX_INTERVAL)
    easiness = max(MIN_EASINESS_CENTI, easiness + easiness_delta_centi(quality))
    return SM2State.from_centi(repetitions, easiness, interval)
