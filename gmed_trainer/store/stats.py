"""The figures of the home screen, `gmed due` and `gmed stats`: aggregate queries, one per
figure, never one per unit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Connection, and_, case, func, or_, select

from gmed_trainer.scheduling.grades import needs_repeat
from gmed_trainer.store.core import (
    DECK,
    REVIEW_LOG,
    UNIT,
    UNIT_STATE,
    UNIT_TAG,
    available,
    state_join,
)
from gmed_trainer.store.records import (
    DayCount,
    DeckCounts,
    LearnerInfo,
    Stats,
    TagAccuracy,
    TodayAnswer,
)

#: Days in the due forecast, today included.
FORECAST_DAYS = 30
#: Days of the review calendar: twelve weeks, today included.
CALENDAR_DAYS = 84
#: A unit is mature from this interval on (as in Anki).
MATURE_INTERVAL = 21
#: Days over which retention on mature units is measured.
RETENTION_DAYS = 30
#: Grades from this up count as correct (SM-2's "recalled").
CORRECT_FROM = 3
#: Modes whose answers belong to the schedule (cram answers are practice only).
SCHEDULE_MODES = ("review", "repeat")


def pending_repeats(answers: Iterable[TodayAnswer]) -> list[int]:
    """Units whose latest scheduled answer of the day was below 4: SM-2 wants them again today.
    In the order they were last answered."""
    latest: dict[int, int] = {}
    for answer in answers:
        if answer.mode in SCHEDULE_MODES:
            latest.pop(answer.unit_id, None)
            latest[answer.unit_id] = answer.quality
    return [unit_id for unit_id, quality in latest.items() if needs_repeat(quality)]


def today_answers(conn: Connection, learner_id: int, day: date) -> list[TodayAnswer]:
    """The learner's answers of study day `day`, oldest first."""
    query = (
        select(
            REVIEW_LOG.c.id,
            REVIEW_LOG.c.unit_id,
            UNIT.c.deck_id,
            UNIT.c.card_id,
            REVIEW_LOG.c.quality,
            REVIEW_LOG.c.mode,
            REVIEW_LOG.c.due_before,
        )
        .select_from(REVIEW_LOG.join(UNIT, UNIT.c.id == REVIEW_LOG.c.unit_id))
        .where(REVIEW_LOG.c.learner_id == learner_id, REVIEW_LOG.c.study_day == day)
        .order_by(REVIEW_LOG.c.id)
    )
    return [
        TodayAnswer(
            log_id=row.id,
            unit_id=row.unit_id,
            deck_id=row.deck_id,
            card_id=row.card_id,
            quality=row.quality,
            mode=row.mode,
            was_new=row.due_before is None,
        )
        for row in conn.execute(query)
    ]


def new_introduced(answers: Iterable[TodayAnswer]) -> int:
    """New units the learner met today in scheduled study (these count against the new limit)."""
    return sum(1 for a in answers if a.mode == "review" and a.was_new)


def reviews_done(answers: Iterable[TodayAnswer]) -> int:
    """Reviews of known units done today in scheduled study (against the review limit)."""
    return sum(1 for a in answers if a.mode == "review" and not a.was_new)


def limits_left(learner: LearnerInfo, answers: Iterable[TodayAnswer]) -> tuple[int, int]:
    """(reviews, new units) the learner may still do today: new units count against the daily
    new limit and, like reviews, against the daily review limit."""
    answered = list(answers)
    introduced = new_introduced(answered)
    reviews_left = max(0, learner.reviews_per_day - reviews_done(answered) - introduced)
    new_left = min(max(0, learner.new_per_day - introduced), reviews_left)
    return reviews_left, new_left


def deck_counts(conn: Connection, learner: LearnerInfo, today: date) -> list[DeckCounts]:
    lid = learner.id
    deck_titles = select(DECK.c.id, DECK.c.title).order_by(DECK.c.id)
    titles: dict[str, str] = dict(conn.execute(deck_titles).all())
    active = UNIT.c.active.is_(True)
    total: dict[str, int] = dict(
        conn.execute(
            select(UNIT.c.deck_id, func.count()).where(active).group_by(UNIT.c.deck_id)
        ).all()
    )
    states = UNIT_STATE.join(UNIT, UNIT.c.id == UNIT_STATE.c.unit_id)
    answers = today_answers(conn, lid, today)
    # Today's session shows one unit per card and none of a card answered today (siblings), so
    # the due and new figures count cards the way the queue will.
    answered = {(a.deck_id, a.card_id) for a in answers if a.mode in SCHEDULE_MODES}
    due_cards = {
        (deck_id, card_id)
        for deck_id, card_id in conn.execute(
            select(UNIT.c.deck_id, UNIT.c.card_id)
            .select_from(states)
            .where(
                UNIT_STATE.c.learner_id == lid,
                UNIT_STATE.c.due <= today,
                UNIT_STATE.c.last_review.is_not(None),
                active,
                *available(today),
            )
            .distinct()
        )
    } - answered
    new_condition = [
        active,
        or_(
            UNIT_STATE.c.unit_id.is_(None),
            and_(UNIT_STATE.c.last_review.is_(None), *available(today)),
        ),
    ]
    new_units = UNIT.outerjoin(UNIT_STATE, state_join(lid))
    new: dict[str, int] = dict(
        conn.execute(
            select(UNIT.c.deck_id, func.count())
            .select_from(new_units)
            .where(*new_condition)
            .group_by(UNIT.c.deck_id)
        ).all()
    )
    new_cards = (
        {
            (deck_id, card_id)
            for deck_id, card_id in conn.execute(
                select(UNIT.c.deck_id, UNIT.c.card_id)
                .select_from(new_units)
                .where(*new_condition)
                .distinct()
            )
        }
        - answered
        - due_cards
    )
    due = Counter(deck_id for deck_id, _ in due_cards)
    new_today = Counter(deck_id for deck_id, _ in new_cards)
    leeches: dict[str, int] = dict(
        conn.execute(
            select(UNIT.c.deck_id, func.count())
            .select_from(states)
            .where(UNIT_STATE.c.learner_id == lid, UNIT_STATE.c.leech.is_(True), active)
            .group_by(UNIT.c.deck_id)
        ).all()
    )
    reviewed = Counter(a.deck_id for a in answers)
    learning = Counter(
        conn.execute(
            select(UNIT.c.deck_id)
            .select_from(states)
            .where(
                UNIT_STATE.c.learner_id == lid,
                UNIT_STATE.c.unit_id.in_(pending_repeats(answers)),
                active,
                *available(today),
            )
        ).scalars()
    )
    _, new_left = limits_left(learner, answers)
    return [
        DeckCounts(
            deck_id=deck_id,
            title=title,
            due=due[deck_id],
            new=new.get(deck_id, 0),
            new_today=min(new_today[deck_id], new_left),
            learning=learning.get(deck_id, 0),
            reviewed_today=reviewed.get(deck_id, 0),
            total=total.get(deck_id, 0),
            leeches=leeches.get(deck_id, 0),
        )
        for deck_id, title in titles.items()
    ]


def collect(
    conn: Connection, learner: LearnerInfo, today: date
) -> tuple[Stats, list[tuple[int, int, bool]]]:
    """The statistics, and the leeches as (unit id, lapses, suspended) for the caller to attach
    their cards to (outside this connection)."""
    lid = learner.id
    decks = deck_counts(conn, learner, today)
    answers = today_answers(conn, lid, today)
    correct_today = sum(1 for a in answers if a.quality >= CORRECT_FROM)
    active = UNIT.c.active.is_(True)
    states = UNIT_STATE.join(UNIT, UNIT.c.id == UNIT_STATE.c.unit_id)

    last_forecast_day = today + timedelta(days=FORECAST_DAYS - 1)
    due_by_day: Counter[date] = Counter()
    for due, count in conn.execute(
        select(UNIT_STATE.c.due, func.count())
        .select_from(states)
        .where(
            UNIT_STATE.c.learner_id == lid,
            UNIT_STATE.c.last_review.is_not(None),
            UNIT_STATE.c.suspended.is_(False),
            UNIT_STATE.c.due <= last_forecast_day,
            active,
        )
        .group_by(UNIT_STATE.c.due)
    ).all():
        due_by_day[max(due, today)] += count
    forecast = tuple(
        DayCount(day, due_by_day[day])
        for day in (today + timedelta(days=i) for i in range(FORECAST_DAYS))
    )

    first_calendar_day = today - timedelta(days=CALENDAR_DAYS - 1)
    per_day: dict[date, int] = dict(
        conn.execute(
            select(REVIEW_LOG.c.study_day, func.count())
            .where(
                REVIEW_LOG.c.learner_id == lid,
                REVIEW_LOG.c.study_day >= first_calendar_day,
                REVIEW_LOG.c.study_day <= today,
            )
            .group_by(REVIEW_LOG.c.study_day)
        ).all()
    )
    calendar = tuple(
        DayCount(day, per_day.get(day, 0))
        for day in (first_calendar_day + timedelta(days=i) for i in range(CALENDAR_DAYS))
    )

    ok = func.sum(case((REVIEW_LOG.c.quality >= CORRECT_FROM, 1), else_=0))
    mature_total, mature_ok = conn.execute(
        select(func.count(), ok).where(
            REVIEW_LOG.c.learner_id == lid,
            REVIEW_LOG.c.mode == "review",
            REVIEW_LOG.c.interval_before >= MATURE_INTERVAL,
            REVIEW_LOG.c.study_day > today - timedelta(days=RETENTION_DAYS),
            REVIEW_LOG.c.study_day <= today,
        )
    ).one()

    # Group the log by unit first (one pass over the learner's rows), then spread over tags.
    per_unit = (
        select(REVIEW_LOG.c.unit_id, func.count().label("n"), ok.label("ok"))
        .where(REVIEW_LOG.c.learner_id == lid, REVIEW_LOG.c.mode == "review")
        .group_by(REVIEW_LOG.c.unit_id)
        .subquery()
    )
    by_tag = [
        TagAccuracy(tag=tag, answers=int(n), correct=int(good or 0))
        for tag, n, good in conn.execute(
            select(UNIT_TAG.c.tag, func.sum(per_unit.c.n), func.sum(per_unit.c.ok))
            .select_from(per_unit.join(UNIT_TAG, UNIT_TAG.c.unit_id == per_unit.c.unit_id))
            .group_by(UNIT_TAG.c.tag)
        ).all()
    ]
    by_tag.sort(key=lambda t: (t.accuracy, -t.answers, t.tag))

    leech_rows = [
        (unit_id, lapses, bool(suspended))
        for unit_id, lapses, suspended in conn.execute(
            select(UNIT_STATE.c.unit_id, UNIT_STATE.c.lapses, UNIT_STATE.c.suspended)
            .select_from(states)
            .where(UNIT_STATE.c.learner_id == lid, UNIT_STATE.c.leech.is_(True), active)
            .order_by(UNIT_STATE.c.lapses.desc(), UNIT_STATE.c.unit_id)
        ).all()
    ]
    result = Stats(
        learner=learner,
        today=today,
        reviews_today=len(answers),
        accuracy_today=correct_today / len(answers) if answers else None,
        due_today=sum(d.due for d in decks),
        new_available=sum(d.new for d in decks),
        learning=sum(d.learning for d in decks),
        total_units=sum(d.total for d in decks),
        leeches=sum(d.leeches for d in decks),
        forecast=forecast,
        reviews_per_day=calendar,
        retention=(int(mature_ok or 0) / mature_total) if mature_total else None,
        mature_answers=int(mature_total),
        accuracy_by_tag=tuple(by_tag),
        leech_list=(),
        decks=tuple(decks),
    )
    return result, leech_rows
