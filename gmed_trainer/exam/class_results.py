"""A class's results for the instructor: per student, per question, per option.

Built from the database at any moment, so the same function serves the live screen while the
block runs and `gmed class results` after it. This is the instructor's view; nothing here is
reachable from a `StudentSeat`.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gmed_trainer.exam.classroom import ClassRoom, ClassState
from gmed_trainer.exam.items import ExamItem


@dataclass(frozen=True, slots=True)
class StudentScore:
    name: str
    answered: int
    finished: bool
    score: int
    total: int
    #: 1 for the best score (ties share a rank); None unless a leaderboard was asked for.
    rank: int | None = None

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class OptionCount:
    letter: str
    option_id: str
    text: str
    correct: bool
    count: int


@dataclass(frozen=True)
class QuestionStats:
    """How the class did on one question (an mcq, or one step of a case)."""

    index: int
    part: int
    label: str
    question: str
    answered: int
    correct: int
    options: tuple[OptionCount, ...]

    @property
    def percent_correct(self) -> float:
        """Correct answers over answers given (0 while nobody has answered)."""
        return 100.0 * self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class AnswerRow:
    """One student's answer to one question, for the CSV export."""

    student: str
    item: int
    step: int
    card: str
    question: str
    chosen: tuple[str, ...]
    correct_options: tuple[str, ...]
    correct: bool


@dataclass(frozen=True)
class ClassResults:
    state: ClassState
    students: tuple[StudentScore, ...]
    #: Hardest first: lowest percentage correct, then most unanswered.
    questions: tuple[QuestionStats, ...]
    rows: tuple[AnswerRow, ...]
    question_count: int

    @property
    def joined(self) -> int:
        return len(self.students)

    @property
    def finished(self) -> int:
        return sum(s.finished for s in self.students)

    def write_csv(self, path: Path) -> None:
        """Per-student per-question rows, one file, UTF-8 with a header."""
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "student",
                    "item",
                    "step",
                    "card",
                    "question",
                    "chosen",
                    "correct_options",
                    "correct",
                ]
            )
            for r in self.rows:
                writer.writerow(
                    [
                        r.student,
                        r.item,
                        r.step,
                        r.card,
                        r.question,
                        " ".join(r.chosen),
                        " ".join(r.correct_options),
                        "yes" if r.correct else "no",
                    ]
                )


def class_results(room: ClassRoom, code: str, *, leaderboard: bool = False) -> ClassResults:
    """The class's results as the database holds them now."""
    record = room.record(code)
    state = room.state(code)
    items = room.items(code)
    records = room.repo.class_items(record.id)
    question_ref = {
        q: (index, part)
        for index, item in enumerate(records)
        for part, q in enumerate(item.question_ids)
    }
    students = room.repo.students(record.id)
    names = {s.id: s.name for s in students}
    chosen: dict[tuple[int, int, int], tuple[str, ...]] = {}
    for answer in room.repo.class_answers(record.id):
        if answer.question_id in question_ref and answer.student_id in names:
            chosen[(answer.student_id, *question_ref[answer.question_id])] = answer.chosen
    total = sum(len(item.parts) for item in items)

    scores = []
    for student in students:
        mine = {(i, p): c for (s, i, p), c in chosen.items() if s == student.id}
        correct = sum(_is_correct(items[i], p, c) for (i, p), c in mine.items())
        scores.append(
            StudentScore(student.name, len(mine), student.finished_at is not None, correct, total)
        )
    ranked = _rank(scores) if leaderboard else tuple(sorted(scores, key=lambda s: s.name.lower()))

    questions = []
    rows = []
    for index, item in enumerate(items):
        for part_index, part in enumerate(item.parts):
            assert part.key is not None
            given = [c for (_, i, p), c in chosen.items() if (i, p) == (index, part_index)]
            counts = Counter(option for c in given for option in c)
            label = f"{index + 1}" if len(item.parts) == 1 else f"{index + 1}.{part_index + 1}"
            questions.append(
                QuestionStats(
                    index=index,
                    part=part_index,
                    label=label,
                    question=part.question,
                    answered=len(given),
                    correct=sum(part.key.is_correct(c) for c in given),
                    options=tuple(
                        OptionCount(
                            part.letter(o.id), o.id, o.text, o.id in part.key.correct, counts[o.id]
                        )
                        for o in part.choices
                    ),
                )
            )
            for student in students:
                picked = chosen.get((student.id, index, part_index), ())
                rows.append(
                    AnswerRow(
                        student=student.name,
                        item=index + 1,
                        step=part_index + 1,
                        card=f"{item.deck_id}/{item.card_id}",
                        question=part.question,
                        chosen=picked,
                        correct_options=tuple(sorted(part.key.correct)),
                        correct=bool(picked) and part.key.is_correct(picked),
                    )
                )
    hardest = sorted(questions, key=lambda q: (q.percent_correct, q.answered, q.index, q.part))
    return ClassResults(state, ranked, tuple(hardest), tuple(rows), total)


def _is_correct(item: ExamItem, part: int, chosen: Iterable[str]) -> bool:
    key = item.parts[part].key
    return key is not None and key.is_correct(chosen)


def _rank(scores: list[StudentScore]) -> tuple[StudentScore, ...]:
    ordered = sorted(scores, key=lambda s: (-s.score, s.name.lower()))
    ranked: list[StudentScore] = []
    for position, s in enumerate(ordered, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].score == s.score else position
        ranked.append(StudentScore(s.name, s.answered, s.finished, s.score, s.total, rank=rank))
    return tuple(ranked)
