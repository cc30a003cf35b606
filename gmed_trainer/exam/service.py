"""One learner's exam prep: draw a block from a pool, record it, send missed items to study.

What `gmed exam` and the exam screens call. The pools come from earlier blocks: "unused" is
every unit never drawn into one of the learner's blocks, "incorrect" every unit the learner got
wrong (or left unanswered) the last time it came up. Exam answers go to their own tables; the
SM-2 schedule only changes when the learner sends missed items to their study queue.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from gmed_trainer.errors import GmedError, UsageError
from gmed_trainer.exam.block import BlockMode, Clock, ExamBlock
from gmed_trainer.exam.items import build_item, draw_units, item_rng
from gmed_trainer.exam.results import BlockResult
from gmed_trainer.scheduling.day import study_day
from gmed_trainer.store.exam_repository import (
    BlockRecord,
    ExamCandidate,
    ExamRepository,
    ResponseRecord,
)

DEFAULT_COUNT = 20
DEFAULT_MINUTES = 20
MAX_COUNT = 200
MAX_MINUTES = 24 * 60


class Pool(StrEnum):
    UNUSED = "unused"
    INCORRECT = "incorrect"
    ALL = "all"


@dataclass(frozen=True)
class ExamRequest:
    """What to draw and how to run it. `minutes` None: 20 for a timed block, no countdown in
    tutor mode."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = DEFAULT_COUNT
    minutes: int | None = None
    pool: Pool = Pool.UNUSED
    tutor: bool = False
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_COUNT:
            raise UsageError(f"--count must be from 1 to {MAX_COUNT}, not {self.count}")
        if self.minutes is not None and not 1 <= self.minutes <= MAX_MINUTES:
            raise UsageError(f"--minutes must be from 1 to {MAX_MINUTES}, not {self.minutes}")

    @property
    def mode(self) -> BlockMode:
        return BlockMode.TUTOR if self.tutor else BlockMode.TIMED

    @property
    def time_limit(self) -> timedelta | None:
        if self.minutes is None:
            return None if self.tutor else timedelta(minutes=DEFAULT_MINUTES)
        return timedelta(minutes=self.minutes)


@dataclass
class ExamSitting:
    """A block being sat, with what is needed to record it once submitted."""

    block: ExamBlock
    request: ExamRequest
    seed: int
    learner_id: int
    unit_ids: tuple[int, ...]
    block_id: int | None = field(default=None)


class PersonalExam:
    """Exam prep for one learner on one database."""

    def __init__(self, repo: ExamRepository, learner_id: int, *, clock: Clock) -> None:
        self.repo = repo
        self.learner_id = learner_id
        self.clock = clock

    def candidates(self, request: ExamRequest) -> list[ExamCandidate]:
        """The units the request's pool offers."""
        found = self.repo.exam_candidates(request.decks, request.tags)
        if request.pool is Pool.UNUSED:
            used = self.repo.used_unit_ids(self.learner_id)
            return [c for c in found if c.unit_id not in used]
        if request.pool is Pool.INCORRECT:
            missed = self.repo.incorrect_unit_ids(self.learner_id)
            return [c for c in found if c.unit_id in missed]
        return found

    def start(self, request: ExamRequest) -> ExamSitting:
        """Draw a block (seeded: the same seed and pool give the same block) and start it."""
        pool = self.candidates(request)
        if not pool:
            raise GmedError(_empty_pool_message(request))
        seed = secrets.randbits(31) if request.seed is None else request.seed
        by_key = {c.unit.key: c for c in pool}
        drawn = [by_key[u.key] for u in draw_units((c.unit for c in pool), request.count, seed)]
        items = [
            build_item(c.unit, item_rng(seed, *c.unit.key), tags=c.tags or None) for c in drawn
        ]
        block = ExamBlock(items, mode=request.mode, clock=self.clock, time_limit=request.time_limit)
        return ExamSitting(block, request, seed, self.learner_id, tuple(c.unit_id for c in drawn))

    def record(self, sitting: ExamSitting) -> int:
        """Store a submitted block and its answers (once; again returns the same id)."""
        if sitting.block_id is not None:
            return sitting.block_id
        result = sitting.block.submit()
        block = sitting.block
        responses = [
            ResponseRecord(
                unit_id=sitting.unit_ids[item.index],
                position=item.index,
                part=number,
                chosen=tuple(sorted(part.chosen)),
                correct=part.correct,
                flagged=item.flagged,
            )
            for item in result.items
            for number, part in enumerate(item.parts)
        ]
        record = BlockRecord(
            learner_id=self.learner_id,
            mode=block.mode.value,
            pool=sitting.request.pool.value,
            seed=sitting.seed,
            decks=sitting.request.decks,
            tags=sitting.request.tags,
            time_limit_s=None
            if block.time_limit is None
            else int(block.time_limit.total_seconds()),
            started_at=block.started_at,
            submitted_at=block.started_at + result.time_used,
            time_used_ms=int(result.time_used.total_seconds() * 1000),
            timed_out=result.timed_out,
            score=result.score,
            total=result.total,
        )
        sitting.block_id = self.repo.save_block(record, responses)
        return sitting.block_id

    def send_missed_to_study(self, sitting: ExamSitting, result: BlockResult | None = None) -> int:
        """Make the block's missed items due today in the learner's study queue."""
        result = result or sitting.block.submit()
        return self.send_to_study([sitting.unit_ids[i.index] for i in result.missed])

    def send_to_study(self, unit_ids: Sequence[int]) -> int:
        hour = self.repo.learner_day_start(self.learner_id)
        today = study_day(self.clock(), day_start_hour=hour)
        return self.repo.send_to_study(self.learner_id, unit_ids, today)

    def history(self, limit: int = 10) -> list[BlockRecord]:
        return self.repo.blocks(self.learner_id, limit=limit)


def _empty_pool_message(request: ExamRequest) -> str:
    where = []
    if request.decks:
        where.append("deck " + ", ".join(request.decks))
    if request.tags:
        where.append("tag " + ", ".join(request.tags))
    scope = f" in {' and '.join(where)}" if where else ""
    if request.pool is Pool.UNUSED:
        return f"no unused mcq or case items left{scope}: try --pool all or --pool incorrect"
    if request.pool is Pool.INCORRECT:
        return f"no incorrectly answered items{scope} from earlier blocks: try --pool all"
    return f"no mcq or case items{scope}: import a deck with mcq or case cards first"
