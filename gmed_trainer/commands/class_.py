"""`gmed class create|join|start|end|results|watch`: one block for a whole class.

Everyone uses one database (`--db` or `GMED_DB`): a SQLite file when the class shares one host,
PostgreSQL when students run gmed on their own machines. Times come from the database server.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gmed_trainer.commands import common
from gmed_trainer.commands.exam import add_selection_options, check_selection
from gmed_trainer.errors import GmedError, UsageError

if TYPE_CHECKING:
    from textual.screen import Screen

    from gmed_trainer.exam.class_results import ClassResults
    from gmed_trainer.exam.classroom import ClassRoom, ClassState, StudentSeat
    from gmed_trainer.store.records import LearnerInfo
    from gmed_trainer.store.repository import Store


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "class",
        help="run one exam block for a whole class",
        description="Class sessions on a shared database: the instructor creates a block and "
        "gets a join code, students join, the instructor starts it for everyone at once.",
    )
    actions = parser.add_subparsers(dest="class_action", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="create a block and print its join code")
    add_selection_options(create)
    create.add_argument("--count", type=int, default=20, metavar="N", help="items (default 20)")
    create.add_argument(
        "--minutes", type=int, default=15, metavar="N", help="time allowed (default 15)"
    )
    create.add_argument("--title", default="", help="a title the students see")
    create.add_argument("--seed", type=int, default=None, metavar="N", help="fix the draw")
    create.set_defaults(handler=run_create)

    join = actions.add_parser("join", help="join a class as a student")
    join.add_argument("code", metavar="CODE", help="the join code, such as K7P-M2Q")
    join.add_argument("--name", required=True, help="your name as the instructor will see it")
    join.set_defaults(handler=run_join)

    start = actions.add_parser("start", help="start the block for everyone")
    start.add_argument("code", metavar="CODE")
    start.set_defaults(handler=run_start)

    end = actions.add_parser("end", help="end the block now (answers after this are refused)")
    end.add_argument("code", metavar="CODE")
    end.set_defaults(handler=run_end)

    results = actions.add_parser("results", help="scores per student and per item")
    results.add_argument("code", metavar="CODE")
    results.add_argument("--csv", type=Path, metavar="FILE", help="per-student per-item rows")
    results.add_argument("--leaderboard", action="store_true", help="rank the students by score")
    results.set_defaults(handler=run_results)

    watch = actions.add_parser("watch", help="live results while the block runs")
    watch.add_argument("code", metavar="CODE")
    watch.add_argument("--leaderboard", action="store_true", help="rank the students by score")
    watch.set_defaults(handler=run_watch)

    for sub in (create, join, start, end, results, watch):
        common.add_database_options(sub)


def _now() -> datetime:
    return datetime.now(UTC)


def describe(state: ClassState) -> str:
    """One line about a class: code, title, status and time."""
    from gmed_trainer.exam.classroom import ClassStatus
    from gmed_trainer.exam.results import clock_text

    title = f" {state.title!r}" if state.title else ""
    if state.status is ClassStatus.LOBBY:
        when = f"in the lobby, {state.minutes} min once started"
    elif state.status is ClassStatus.RUNNING:
        when = f"running, {clock_text(state.remaining)} left"
    else:
        when = "ended"
    return f"class {state.display_code}{title}: {when}"


def run_create(args: argparse.Namespace) -> int:
    from gmed_trainer.exam.classroom import ClassRoom
    from gmed_trainer.store.exam_repository import ExamRepository

    with common.open_context(args) as context:
        common.warn_about(context.findings)
        decks, tags = tuple(args.deck), tuple(args.tag)
        check_selection(context.store, decks, tags)
        repo = ExamRepository(context.store)
        candidates = repo.exam_candidates(decks, tags)
        state = ClassRoom(repo).create(
            [c.unit for c in candidates],
            {c.unit.key: c.unit_id for c in candidates},
            count=args.count,
            minutes=args.minutes,
            title=args.title,
            decks=decks,
            tags=tags,
            seed=args.seed,
        )
    print(state.display_code)
    print(
        f"{describe(state)}. Students: gmed class join {state.display_code} --name NAME; "
        f"then: gmed class start {state.display_code}",
        file=sys.stderr,
    )
    return 0


def run_start(args: argparse.Namespace) -> int:
    from gmed_trainer.exam.classroom import ClassRoom
    from gmed_trainer.store.exam_repository import ExamRepository

    with common.open_store(args) as store:
        repo = ExamRepository(store)
        room = ClassRoom(repo)
        state = room.start(args.code)
        students = len(repo.students(room.record(args.code).id))
    assert state.deadline is not None
    print(f"{describe(state)}; {students} student(s) in; deadline {state.deadline:%H:%M:%S} UTC")
    return 0


def run_end(args: argparse.Namespace) -> int:
    from gmed_trainer.exam.classroom import ClassRoom
    from gmed_trainer.store.exam_repository import ExamRepository

    with common.open_store(args) as store:
        state = ClassRoom(ExamRepository(store)).end(args.code)
    print(describe(state))
    return 0


def run_join(args: argparse.Namespace) -> int:
    from gmed_trainer.exam.classroom import StudentSeat
    from gmed_trainer.store.exam_repository import ExamRepository

    name = " ".join(args.name.split())
    with common.open_store(args) as store:
        repo = ExamRepository(store)
        learner_name = common.learner_arg(args) or name
        learner = store.get_or_add_learner(learner_name)
        seat = StudentSeat.join(repo, args.code, name, learner_id=learner.id)
        state = seat.state()
        if not _interactive():
            print(f"joined {describe(state)} as {seat.name}")
            return 0
        return _run_app(store, learner, lambda: _student_screen(seat, state))


def run_results(args: argparse.Namespace) -> int:
    from gmed_trainer.exam.class_results import class_results
    from gmed_trainer.exam.classroom import ClassRoom
    from gmed_trainer.store.exam_repository import ExamRepository

    with common.open_store(args) as store:
        results = class_results(
            ClassRoom(ExamRepository(store)), args.code, leaderboard=args.leaderboard
        )
    if args.csv is not None:
        if args.csv.is_dir() or not args.csv.parent.exists():
            raise UsageError(f"cannot write {args.csv}: name a file in an existing folder")
        results.write_csv(args.csv)
    print(format_results(results))
    if args.csv is not None:
        print(f"wrote {len(results.rows)} rows to {args.csv}", file=sys.stderr)
    return 0


def run_watch(args: argparse.Namespace) -> int:
    from gmed_trainer.commands.study import require_terminal
    from gmed_trainer.exam.classroom import ClassRoom
    from gmed_trainer.store.exam_repository import ExamRepository

    require_terminal()
    with common.open_store(args) as store:
        room = ClassRoom(ExamRepository(store))
        code = room.state(args.code).code
        learner = store.default_learner()
        return _run_app(store, learner, lambda: _watch_screen(room, code, args.leaderboard))


def format_results(results: ClassResults) -> str:
    """The results as text: students, then the questions hardest first."""
    state = results.state
    lines = [
        f"{describe(state)}; {results.joined} joined, {results.finished} finished; "
        f"{results.question_count} questions"
    ]
    if results.students:
        ranked = any(s.rank is not None for s in results.students)
        lines.append("")
        lines.append("Leaderboard" if ranked else "Students (by name)")
        width = max(len(s.name) for s in results.students)
        for s in results.students:
            rank = f"{s.rank:>3}. " if s.rank is not None else "  "
            done = "finished" if s.finished else ""
            lines.append(
                f"{rank}{s.name:<{width}}  answered {s.answered:>3}/{s.total:<3}  "
                f"score {s.score:>3} ({s.percent:.0f}%)  {done}".rstrip()
            )
    lines.append("")
    lines.append("Questions, hardest first (% correct of answers given; ✓ marks the key)")
    for q in results.questions:
        counts = " · ".join(f"{o.letter} {o.count}{'✓' if o.correct else ''}" for o in q.options)
        question = q.question if len(q.question) <= 60 else q.question[:57] + "..."
        lines.append(
            f"{q.label:>5}  {q.percent_correct:3.0f}% ({q.correct}/{q.answered})  {counts}  "
            f"{question}"
        )
    return "\n".join(lines)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _student_screen(seat: StudentSeat, state: ClassState) -> Screen[Any]:
    from gmed_trainer.ui.screens.exam_class import ClassStudentScreen

    return ClassStudentScreen(seat, state)


def _watch_screen(room: ClassRoom, code: str, leaderboard: bool) -> Screen[Any]:
    from gmed_trainer.ui.screens.exam_watch import ClassWatchScreen

    return ClassWatchScreen(room, code, leaderboard=leaderboard)


def _run_app(store: Store, learner: LearnerInfo, opening: Callable[[], Screen[Any]]) -> int:
    from gmed_trainer.ui.app import Launch, make_app

    app = make_app(Launch(opening=opening, clock=_now), store=store, learner=learner)
    app.run()
    if app.error is not None:
        raise GmedError(app.error.message, exit_code=app.error.exit_code)
    return app.return_code or 0
