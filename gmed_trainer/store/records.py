"""What the repository hands out: plain frozen dataclasses, never table rows or sessions.

Sessions and screens work with these; `store.converters` is the one place that turns rows into
them and back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from gmed_trainer.decks.model import ReviewUnit
from gmed_trainer.scheduling.sm2 import INITIAL_EASINESS_CENTI, SM2State


@dataclass(frozen=True)
class LearnerInfo:
    """A learner and their study settings."""

    id: int
    name: str
    new_per_day: int = 20
    reviews_per_day: int = 200
    #: Local hour at which the study day starts.
    day_starts_at: int = 4
    suspend_leeches: bool = False


@dataclass(frozen=True)
class UnitProgress:
    """One learner's state for one unit: SM-2 plus lapses, leech, suspension and burying.

    `last_review` is None for a unit never answered (it may still have a row, when it was
    suspended or buried before its first answer); such a unit counts as new.
    """

    due: date
    repetitions: int = 0
    easiness_centi: int = INITIAL_EASINESS_CENTI
    interval: int = 0
    lapses: int = 0
    last_review: datetime | None = None
    leech: bool = False
    suspended: bool = False
    buried_until: date | None = None

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    @property
    def easiness(self) -> float:
        return self.easiness_centi / 100

    @property
    def sm2(self) -> SM2State:
        return SM2State.from_centi(self.repetitions, self.easiness_centi, self.interval)

    def with_sm2(self, state: SM2State, **changes: object) -> UnitProgress:
        """This progress with the SM-2 part from `state` and any other fields changed."""
        return replace(
            self,
            repetitions=state.repetitions,
            easiness_centi=state.easiness_centi,
            interval=state.interval,
            **changes,  # type: ignore[arg-type]
        )

    def is_buried(self, day: date) -> bool:
        return self.buried_until is not None and self.buried_until > day


@dataclass(frozen=True)
class Candidate:
    """A unit the queue may show: its id, identity and the learner's progress (None if new)."""

    unit_id: int
    deck_id: str
    card_id: str
    unit: str
    progress: UnitProgress | None = None
    content_changed_at: datetime | None = None

    @property
    def siblings_key(self) -> tuple[str, str]:
        return (self.deck_id, self.card_id)

    @property
    def is_new(self) -> bool:
        return self.progress is None or self.progress.is_new


@dataclass(frozen=True)
class TodayAnswer:
    """One answer given on the study day, as the queue needs it."""

    log_id: int
    unit_id: int
    deck_id: str
    card_id: str
    quality: int
    mode: str
    #: The unit was new at this answer.
    was_new: bool


@dataclass(frozen=True)
class Answer:
    """An answer to commit: the log row's facts, and the state before and after.

    `before` is None for a unit with no state row yet; `after` None leaves the state untouched
    (same-day repeats and cram).
    """

    learner_id: int
    unit_id: int
    reviewed_at: datetime
    study_day: date
    quality: int
    mode: str
    before: UnitProgress | None
    after: UnitProgress | None
    response_ms: int = 0


@dataclass(frozen=True)
class LogEntry:
    """A review-log row, for a unit's history."""

    id: int
    unit_id: int
    reviewed_at: datetime
    study_day: date
    quality: int
    response_ms: int
    mode: str
    repetitions_before: int
    easiness_centi_before: int
    interval_before: int
    due_before: date | None
    lapses_before: int
    repetitions_after: int
    easiness_centi_after: int
    interval_after: int
    due_after: date | None


@dataclass(frozen=True)
class DeckInfo:
    """A deck in the database."""

    id: str
    title: str
    description: str | None
    version: str | None
    path: str | None
    tags: tuple[str, ...]
    imported_at: datetime


@dataclass(frozen=True)
class DeckCounts:
    """A deck's figures for one learner on one study day (the home screen, `gmed due`)."""

    deck_id: str
    title: str
    #: Reviews due today or overdue that today's session would show: not suspended or buried,
    #: one unit per card, none of a card answered today (siblings wait). Not capped by limits.
    due: int
    #: Units never answered that can be introduced (not suspended or buried), uncapped.
    new: int
    #: New units today's session would introduce from this deck (one per card, siblings of
    #: due or answered units excluded), within what is left of the learner's daily new limit.
    new_today: int
    #: Units answered today below 4 that still need a same-day repeat.
    learning: int
    #: Answers given today (every mode).
    reviewed_today: int
    #: Active units.
    total: int
    leeches: int


@dataclass(frozen=True)
class UnitView:
    """A unit for the deck browser: its content, whether it is retired, the learner's state."""

    unit_id: int
    unit: ReviewUnit
    active: bool
    tags: tuple[str, ...]
    progress: UnitProgress | None
    content_changed_at: datetime | None

    @property
    def edited_since_review(self) -> bool:
        return edited_since(self.content_changed_at, self.progress)


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class TagAccuracy:
    tag: str
    answers: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class Leech:
    unit_id: int
    unit: ReviewUnit
    lapses: int
    suspended: bool


@dataclass(frozen=True)
class Stats:
    """Everything the stats screen and `gmed stats` show, for one learner and study day.

    Accuracy counts an answer graded 3 or more as correct (SM-2's "recalled").
    """

    learner: LearnerInfo
    today: date
    reviews_today: int
    #: Share of today's answers graded 3 or more; None before the first answer.
    accuracy_today: float | None
    #: The sum of the decks' `due` (see DeckCounts).
    due_today: int
    #: Units never answered, in every deck (uncapped).
    new_available: int
    learning: int
    total_units: int
    leeches: int
    #: Reviews falling due on each of the next 30 days; today's entry includes the overdue.
    forecast: tuple[DayCount, ...]
    #: Answers per study day over the last 12 weeks, oldest first, today last.
    reviews_per_day: tuple[DayCount, ...]
    #: Share of review answers on mature units (interval 21 days or more) graded 3 or more, over
    #: the last 30 days; None with no such answers.
    retention: float | None
    mature_answers: int
    #: Accuracy of review answers by tag, weakest first.
    accuracy_by_tag: tuple[TagAccuracy, ...]
    leech_list: tuple[Leech, ...]
    decks: tuple[DeckCounts, ...] = field(default=())


def edited_since(changed_at: datetime | None, progress: UnitProgress | None) -> bool:
    """Whether a unit's content changed after the learner's last answer to it."""
    if changed_at is None or progress is None or progress.last_review is None:
        return False
    return changed_at > progress.last_review
