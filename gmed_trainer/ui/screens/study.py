"""Study: one unit at a time from a `StudySession`; the screen renders its state and forwards keys.

Space or Enter reveals; a-h answer a multiple-choice question or case step; 0-5 grade (the
suggested grade of an mcq or case is highlighted and Enter accepts it); `u` undoes the last answer;
`-` buries and `@` suspends the unit. Every answer is committed by the session before the next
unit is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from gmed_trainer.errors import UsageError
from gmed_trainer.scheduling.grades import Grade
from gmed_trainer.store.repository import Store
from gmed_trainer.study.queue import Selection
from gmed_trainer.study.session import OptionFeedback, Phase, StudySession
from gmed_trainer.ui.app import GmedApp
from gmed_trainer.ui.play import OPTION_KEYS, CardState
from gmed_trainer.ui.screens.card_screen import ADVANCE_BINDINGS, CardScreen
from gmed_trainer.ui.widgets.card import CardView, card_title
from gmed_trainer.ui.widgets.grades import GradeBar
from gmed_trainer.ui.widgets.keybar import KeyBar
from gmed_trainer.ui.widgets.progress import ProgressLine

GRADE = Binding.Group("Grade", compact=True)


class SessionPlayer:
    """Adapts a `StudySession` to the card screen's `Player`."""

    def __init__(self, session: StudySession) -> None:
        self.session = session

    @property
    def state(self) -> CardState | None:
        session = self.session
        item = session.current
        if item is None or session.phase is Phase.FINISHED:
            return None
        revealed = session.phase is Phase.ANSWER
        return CardState(
            unit=item.unit,
            revealed=revealed,
            option_order=item.option_order,
            step_option_orders=item.step_option_orders,
            mcq_feedback=session.mcq_feedback if revealed else None,
            case_step=session.case_step,
            case_feedback=session.case_feedback,
        )

    def reveal(self) -> None:
        self.session.reveal()

    def choose(self, option_ids: Iterable[str]) -> OptionFeedback:
        return self.session.choose(option_ids)

    def answer_step(self, option_ids: Iterable[str]) -> OptionFeedback:
        return self.session.answer_step(option_ids)


def unknown_selection(store: Store, selection: Selection) -> str | None:
    """Why a selection names something that does not exist, or None."""
    if selection.decks:
        decks = {deck.id for deck in store.decks()}
        missing = [d for d in selection.decks if d not in decks]
        if missing:
            known = ", ".join(sorted(decks)) or "none yet"
            return f"no deck {missing[0]!r} (decks: {known})"
    if selection.tags:
        tags = set(store.all_tags())
        unknown = [t for t in selection.tags if t not in tags]
        if unknown:
            return f"no unit is tagged {unknown[0]!r}; see the tags with 'gmed stats' or Browse"
    return None


def pace(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f" · {seconds:.0f} s per answer" if seconds >= 1 else " · under 1 s per answer"


class StudyScreen(CardScreen):
    """A study session over a selection of decks and tags."""

    TITLE = "Study"
    AUTO_FOCUS = "CardView"

    BINDINGS = [
        *ADVANCE_BINDINGS,
        *(
            Binding(
                str(int(g)),
                f"grade({int(g)})",
                f"Grade {int(g)}: {g.label}",
                id=f"study.grade-{int(g)}",
                group=GRADE,
            )
            for g in Grade
        ),
        Binding("space,enter", "accept", "Accept", id="study.accept"),
        Binding("u", "undo", "Undo", id="study.undo"),
        Binding("minus", "bury", "Bury", id="study.bury", key_display="-"),
        Binding("at", "suspend", "Suspend", id="study.suspend", key_display="@"),
        Binding("escape", "leave", "Home", id="study.leave"),
    ]

    app = getters.app(GmedApp)

    @dataclass
    class Started(Message):
        session: StudySession

    @dataclass
    class Failed(Message):
        message: str

    def __init__(self, selection: Selection) -> None:
        super().__init__()
        self.selection = selection
        self.session: SessionPlayer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Preparing your session…", id="study-head", classes="screen-head")
        with HorizontalGroup(id="study-progress"):
            yield ProgressLine(id="study-bar")
            yield Static("", id="study-count")
        yield CardView(id="card")
        yield Static("", id="study-done")
        yield Static("", id="study-hint")
        yield GradeBar(id="grades")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#grades").visible = False
        self.query_one("#study-done").display = False
        self._start()

    @work(thread=True, exclusive=True, group="study-start")
    def _start(self) -> None:
        app = self.app
        if not app.wait_ready() or app.store is None or app.learner is None:
            self.post_message(self.Failed(app.prepare_error or "the database is not open"))
            return
        problem = unknown_selection(app.store, self.selection)
        if problem is not None:
            app.call_from_thread(app.fail, UsageError(problem))
            return
        session = StudySession.start(
            app.store, app.learner, self.selection, clock=app.launch.clock, seed=app.launch.seed
        )
        self.post_message(self.Started(session))

    @on(Started)
    def _started(self, event: Started) -> None:
        self.session = SessionPlayer(event.session)
        self.player = self.session
        self.show_card()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#study-head", Static).update(f"Cannot study: {event.message}")

    # -- drawing ---------------------------------------------------------------------------

    def show_card(self) -> None:
        """Redraw everything from the session: head, progress, card, grade bar (one frame)."""
        with self.app.batch_update():
            super().show_card()
            session = self.session.session if self.session else None
            if session is not None:
                self._show_session(session)

    def _show_session(self, session: StudySession) -> None:
        self._head(session)
        self._progress(session)
        self._grades(session)
        finished = session.phase is Phase.FINISHED
        card = self.query_one(CardView)
        # Shown and hidden, never mounted: the layout only changes when the session ends.
        for widget in (card, self.query_one("#study-hint"), self.query_one("#grades")):
            widget.display = not finished
        done = self.query_one("#study-done", Static)
        done.display = finished
        if finished:
            done.update(self._done_text(session))

    def _head(self, session: StudySession) -> None:
        item = session.current
        parts: list[str | tuple[str, str]] = [("Study", "bold $text-accent")]
        if self.selection.cram:
            parts.append((" · cram (no schedule change)", "$text-warning"))
        if item is not None and session.phase is not Phase.FINISHED:
            unit = item.unit
            parts.append(f" · {unit.deck_id} · {card_title(unit)}")
            if item.is_new:
                parts += [" · ", ("new", "bold $text-success")]
            if item.is_repeat:
                parts += [" · ", ("again today", "bold $text-warning")]
            if item.edited_since_review:
                parts += [" · ", ("edited since your last review", "bold $text-warning")]
        self.query_one("#study-head", Static).update(Content.assemble(*parts))

    def _progress(self, session: StudySession) -> None:
        progress = session.progress
        total = progress.done + progress.remaining
        self.query_one("#study-bar", ProgressLine).set(progress.done, max(total, 1))
        self.query_one("#study-count", Static).update(
            f"{progress.done} done · {progress.remaining} left today"
            f"{pace(progress.seconds_per_answer)}"
        )

    def _grades(self, session: StudySession) -> None:
        bar = self.query_one("#grades", GradeBar)
        hint = self.query_one("#study-hint", Static)
        answering = session.phase is Phase.ANSWER
        # Hidden but keeping its rows, so showing it does not re-lay out the screen.
        bar.visible = answering
        if not answering:
            hint.update(self._question_hint())
            return
        suggested = session.suggested_grade
        bar.set(None if self.selection.cram else session.next_intervals(), suggested=suggested)
        # The hint is one line: the ↻ legend goes when the line would not fit (80 columns).
        room = hint.size.width or self.size.width
        if suggested is not None:
            grade = Grade(suggested)
            text = Content.assemble(
                "Suggested ",
                (f"{suggested} ({grade.label})", "bold $text-accent"),
                ": Enter accepts, or press 0-5",
            )
        else:
            text = Content("How well did you recall it? Press 0-5")
        legend = " (↻: again later today)."
        hint.update(text + legend if text.cell_length + len(legend) <= room else text + ".")

    def _question_hint(self) -> str:
        state = self.card_state()
        waiting = self.waiting()
        if state is None:
            return ""
        if state.paused:
            return "Read the feedback, then press Enter for the next step."
        if waiting is not None:
            last = OPTION_KEYS[len(waiting.ids) - 1]
            if waiting.select_all:
                return f"Tick every correct option (a-{last}), then press Enter."
            return f"Press the letter of your answer (a-{last}), or click it."
        return "Recall the answer, then press Space or Enter to see it."

    def _done_text(self, session: StudySession) -> Content:
        done = session.progress.done
        return Content.assemble(
            ("Done for now.", "bold $text-success"),
            f"\n\nYou answered {done} unit{'s' * (done != 1)} in this session. ",
            "Press ",
            ("Esc", "bold $text-accent"),
            " to go home",
            (", or u to undo the last answer." if session.can_undo else "."),
        )

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session.session if self.session else None
        if action in ("grade", "accept"):
            if session is None or session.phase is not Phase.ANSWER:
                return False
            return action == "grade" or session.suggested_grade is not None
        if action == "undo":
            return session is not None and session.can_undo
        if action in ("bury", "suspend"):
            return (
                session is not None
                and session.phase is not Phase.FINISHED
                and not (self.selection.cram)
            )
        return super().check_action(action, parameters)

    def action_grade(self, quality: int) -> None:
        if self.session is not None and self.session.session.phase is Phase.ANSWER:
            self.session.session.grade(quality)
            self._next()

    def action_accept(self) -> None:
        if self.session is not None and self.session.session.suggested_grade is not None:
            self.session.session.grade(None)
            self._next()

    def action_undo(self) -> None:
        if self.session is not None and self.session.session.undo():
            self._next()
            self.notify("Last answer undone.", timeout=2)

    def action_bury(self) -> None:
        if self.session is not None:
            self.session.session.bury()
            self._next()
            self.notify("Buried until tomorrow.", timeout=2)

    def action_suspend(self) -> None:
        if self.session is not None:
            self.session.session.suspend()
            self._next()
            self.notify("Suspended: it will not come up again until you unsuspend it.", timeout=3)

    def action_leave(self) -> None:
        self.app.leave()

    def _next(self) -> None:
        self.reset_card_keys()
        self.show_card()

    @on(GradeBar.Graded)
    def _clicked_grade(self, event: GradeBar.Graded) -> None:
        self.action_grade(event.quality)
