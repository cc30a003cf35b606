"""Today's queue for a learner and a selection.

Order: units that still owe a same-day repeat from earlier today, then due reviews (most
overdue first), then new units in deck order up to the daily new limit, all within the daily
review limit. Siblings (other units of a card answered today, or already queued) wait for
another day. Cram takes the whole selection, due or not, and changes no schedule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from gmed_trainer.store.records import Candidate, LearnerInfo, UnitProgress
from gmed_trainer.store.repository import Store
from gmed_trainer.store.stats import SCHEDULE_MODES, limits_left, pending_repeats

#: Extra rows fetched per page beyond what is needed, for the siblings that get skipped.
_SLACK = 32


@dataclass(frozen=True)
class Selection:
    """What to study: some decks (empty: all), units carrying any of some tags (empty: any),
    and whether to cram (study without touching the schedule)."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cram: bool = False


@dataclass(frozen=True)
class QueueEntry:
    """A unit waiting in the session, with the learner's progress as the session knows it."""

    candidate: Candidate
    is_repeat: bool = False

    @property
    def unit_id(self) -> int:
        return self.candidate.unit_id

    @property
    def progress(self) -> UnitProgress | None:
        return self.candidate.progress

    def with_progress(self, progress: UnitProgress | None, *, is_repeat: bool) -> QueueEntry:
        return QueueEntry(replace(self.candidate, progress=progress), is_repeat=is_repeat)


@dataclass(frozen=True)
class TodayQueue:
    entries: tuple[QueueEntry, ...]
    #: Answers the learner already gave today (every mode).
    reviewed_today: int


def build_queue(store: Store, learner: LearnerInfo, selection: Selection, day: date) -> TodayQueue:
    """The queue for study day `day` (see the module docstring)."""
    answers = store.today_answers(learner.id, day)
    decks, tags = selection.decks, selection.tags
    if selection.cram:
        limit = max(learner.reviews_per_day, learner.new_per_day, 1)
        crammed = store.cram_candidates(learner.id, day, decks=decks, tags=tags, limit=limit)
        return TodayQueue(tuple(QueueEntry(c) for c in crammed), len(answers))

    answered_units = {a.unit_id for a in answers if a.mode in SCHEDULE_MODES}
    answered_cards = {(a.deck_id, a.card_id) for a in answers if a.mode in SCHEDULE_MODES}
    queued_cards: set[tuple[str, str]] = set()

    def admit(candidate: Candidate) -> bool:
        key = candidate.siblings_key
        if key in queued_cards:
            return False
        if key in answered_cards and candidate.unit_id not in answered_units:
            return False
        queued_cards.add(key)
        return True

    entries: list[QueueEntry] = []
    pending = pending_repeats(answers)
    by_id = {c.unit_id: c for c in store.candidates(learner.id, pending, decks=decks, tags=tags)}
    for unit_id in pending:
        candidate = by_id.get(unit_id)
        if candidate is not None and _available(candidate, day) and admit(candidate):
            entries.append(QueueEntry(candidate, is_repeat=True))

    reviews_left, new_left = limits_left(learner, answers)
    due = _take(
        lambda limit, offset: store.due_candidates(
            learner.id, day, decks=decks, tags=tags, limit=limit, offset=offset
        ),
        reviews_left,
        admit,
    )
    new_left = min(new_left, reviews_left - len(due))
    new = _take(
        lambda limit, offset: store.new_candidates(
            learner.id, day, decks=decks, tags=tags, limit=limit, offset=offset
        ),
        new_left,
        admit,
    )
    entries.extend(QueueEntry(c) for c in (*due, *new))
    return TodayQueue(tuple(entries), len(answers))


def _available(candidate: Candidate, day: date) -> bool:
    progress = candidate.progress
    return progress is None or not (progress.suspended or progress.is_buried(day))


def _take(
    fetch: Callable[[int, int], list[Candidate]],
    wanted: int,
    admit: Callable[[Candidate], bool],
) -> list[Candidate]:
    """Up to `wanted` admitted candidates, fetching pages until enough or none are left."""
    taken: list[Candidate] = []
    offset = 0
    while len(taken) < wanted:
        page_size = wanted - len(taken) + _SLACK
        page = fetch(page_size, offset)
        taken.extend(_admitted(page, admit, wanted - len(taken)))
        if len(page) < page_size:
            break
        offset += len(page)
    return taken


def _admitted(
    page: Iterable[Candidate], admit: Callable[[Candidate], bool], room: int
) -> list[Candidate]:
    chosen: list[Candidate] = []
    for candidate in page:
        if len(chosen) >= room:
            break
        if admit(candidate):
            chosen.append(candidate)
    return chosen
