"""Scheduling: SM-2 as pure functions, the grades, and the study day. Stdlib only."""

from gmed_trainer.scheduling.day import day_bounds, due_date, study_day
from gmed_trainer.scheduling.grades import Grade, case_grade, mcq_grade, needs_repeat
from gmed_trainer.scheduling.sm2 import MAX_INTERVAL, MIN_EASINESS, SM2State, review

__all__ = [
    "MAX_INTERVAL",
    "MIN_EASINESS",
    "Grade",
    "SM2State",
    "case_grade",
    "day_bounds",
    "due_date",
    "mcq_grade",
    "needs_repeat",
    "review",
    "study_day",
]
