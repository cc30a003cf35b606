"""A seeded review history, answered through the real session engine on past days."""

from __future__ import annotations

from datetime import datetime, timedelta

from gmed_trainer.decks.model import CaseCard, McqCard
from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.store.repository import Store
from gmed_trainer.study.queue import Selection
from gmed_trainer.study.session import Phase, StudySession

from .conftest import NOW


def study_day_at(
    store: Store, learner: LearnerInfo, when: datetime, grade_for: dict[str, int]
) -> int:
    """Answer everything due at `when`: cards in `grade_for` get that grade the first time they
    come up (mcq and case answers are right when the grade is 3 or more), everything else and
    every same-day repeat gets 4. Returns the answers given."""
    session = StudySession.start(store, learner, Selection(), clock=lambda: when, seed="history")
    answers = 0
    while session.phase is not Phase.FINISHED and answers < 200:
        item = session.current
        assert item is not None
        grade = 4 if item.is_repeat else grade_for.get(item.unit.card_id, 4)
        card = item.unit.card
        if isinstance(card, McqCard):
            right = grade >= 3
            pick = [o.id for o in card.options if o.correct == right][:1]
            session.choose(pick)
        elif isinstance(card, CaseCard):
            for step in card.steps:
                session.answer_step([o.id for o in step.options if o.correct == (grade >= 3)][:1])
        else:
            session.reveal()
        session.grade(grade)
        answers += 1
    return answers


def seed_history(store: Store, learner: LearnerInfo) -> int:
    """Five study days over the last seven weeks, one card always failed; returns the answers."""
    total = 0
    for days_ago in (45, 30, 12, 3, 1):
        total += study_day_at(
            store, learner, NOW - timedelta(days=days_ago), {"nerve": 1, "nerve-mcq": 2}
        )
    return total
