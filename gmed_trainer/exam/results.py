"""Scoring: a block's answers against its items' keys, shared by personal blocks and classes.

A score counts questions (parts): an mcq is worth one, a case one per step. An unanswered
question counts as wrong. Accuracy by tag counts every question of an item under each of the
item's tags, weakest tag first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from gmed_trainer.exam.items import ExamItem, ExamPart, PartKey

#: (item index, part index): how answers and flags are addressed.
PartRef = tuple[int, int]


def clock_text(left: timedelta | None) -> str:
    """A duration as m:ss (h:mm:ss from an hour; seconds rounded up), or "untimed"."""
    if left is None:
        return "untimed"
    seconds = max(int(left.total_seconds() + 0.999), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class PartResult:
    """One question after the block: what was chosen, what was right, and why."""

    part: ExamPart
    chosen: frozenset[str]
    correct: bool

    @property
    def key(self) -> PartKey:
        assert self.part.key is not None, "results are only built from items with their key"
        return self.part.key

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class ItemResult:
    """One item after the block, with every part's result."""

    index: int
    item: ExamItem
    parts: tuple[PartResult, ...]
    flagged: bool = False

    @property
    def score(self) -> int:
        return sum(p.correct for p in self.parts)

    @property
    def all_correct(self) -> bool:
        return all(p.correct for p in self.parts)


@dataclass(frozen=True, slots=True)
class TagScore:
    """How the learner did on the questions of one tag."""

    tag: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class BlockResult:
    """A finished block: score, time used, every item's result and accuracy by tag."""

    items: tuple[ItemResult, ...]
    time_used: timedelta
    timed_out: bool = False

    @property
    def score(self) -> int:
        return sum(i.score for i in self.items)

    @property
    def total(self) -> int:
        return sum(len(i.parts) for i in self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    @property
    def missed(self) -> tuple[ItemResult, ...]:
        """Items with at least one wrong or unanswered question: what goes to the study queue."""
        return tuple(i for i in self.items if not i.all_correct)

    @property
    def by_tag(self) -> tuple[TagScore, ...]:
        """Accuracy per tag, weakest first (ties by tag name)."""
        correct: dict[str, int] = defaultdict(int)
        total: dict[str, int] = defaultdict(int)
        for item in self.items:
            for tag in item.item.tags:
                correct[tag] += item.score
                total[tag] += len(item.parts)
        scores = [TagScore(tag, correct[tag], total[tag]) for tag in total]
        return tuple(sorted(scores, key=lambda s: (s.accuracy, s.tag)))


def score_block(
    items: Sequence[ExamItem],
    answers: Mapping[PartRef, frozenset[str]],
    *,
    time_used: timedelta,
    timed_out: bool = False,
    flagged: frozenset[int] = frozenset(),
) -> BlockResult:
    """Score `answers` against `items`, which must carry their answer keys."""
    results = []
    for index, item in enumerate(items):
        if not item.has_key:
            raise ValueError(f"item {item.card_id} has no answer key: cannot score it")
        parts = []
        for number, part in enumerate(item.parts):
            chosen = answers.get((index, number), frozenset())
            assert part.key is not None
            parts.append(PartResult(part, chosen, bool(chosen) and part.key.is_correct(chosen)))
        results.append(ItemResult(index, item, tuple(parts), flagged=index in flagged))
    return BlockResult(tuple(results), time_used=time_used, timed_out=timed_out)
