"""Small dialogs: pick or add a learner, pick a tag to cram."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gmed_trainer.errors import GmedError
from gmed_trainer.store.records import LearnerInfo
from gmed_trainer.ui.app import GmedApp


class LearnerScreen(ModalScreen[LearnerInfo | None]):
    """Switch to another learner, or type a new name to add one."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="learner.cancel")]

    app = getters.app(GmedApp)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Who is studying?", classes="dialog-title")
            yield OptionList(id="learners")
            yield Input(placeholder="New learner's name, then Enter", id="new-learner")
            yield Static(
                "↑↓ and Enter to switch · type a name to add · Esc to cancel", classes="dialog-help"
            )

    def on_mount(self) -> None:
        store = self.app.store
        learners = store.learners() if store is not None else []
        self.learners = {str(learner.id): learner for learner in learners}
        options = self.query_one("#learners", OptionList)
        current = self.app.learner.id if self.app.learner else None
        for learner in learners:
            mark = "  (studying now)" if learner.id == current else ""
            options.add_option(Option(f"{learner.name}{mark}", id=str(learner.id)))
        if learners:
            options.focus()
        else:
            self.query_one("#new-learner", Input).focus()

    @on(OptionList.OptionSelected, "#learners")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.learners.get(event.option.id or ""))

    @on(Input.Submitted, "#new-learner")
    def _added(self, event: Input.Submitted) -> None:
        store = self.app.store
        if store is None or not event.value.strip():
            return
        try:
            learner = store.add_learner(event.value, now=self.app.launch.clock())
        except GmedError as exc:
            self.notify(exc.message, severity="error")
            return
        self.dismiss(learner)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TagScreen(ModalScreen[str | None]):
    """Pick a tag to cram; typing filters the list."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="tag.cancel"),
        Binding("down", "focus_tags", "To the list", id="tag.list", show=False),
    ]

    def __init__(self, tags: Callable[[], list[str]]) -> None:
        super().__init__()
        self.read_tags = tags
        self.tags: list[str] = []

    @dataclass
    class Loaded(Message):
        tags: list[str]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Cram which tag? (the schedule is not changed)", classes="dialog-title")
            yield Input(placeholder="Filter tags", id="tag-filter")
            yield OptionList(id="tags")
            yield Static(
                "Type to filter · Enter picks the highlighted tag · ↓ to choose · Esc cancels",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one("#tag-filter", Input).focus()
        self._load()

    def action_focus_tags(self) -> None:
        self.query_one("#tags", OptionList).focus()

    @work(thread=True)
    def _load(self) -> None:
        self.post_message(self.Loaded(self.read_tags()))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.tags = event.tags
        self._filter_to(self.query_one("#tag-filter", Input).value)

    @on(Input.Changed, "#tag-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._filter_to(event.value)

    def _filter_to(self, text: str) -> None:
        wanted = text.strip().casefold()
        options = self.query_one("#tags", OptionList)
        options.clear_options()
        options.add_options([t for t in self.tags if wanted in t.casefold()])
        if options.option_count:
            options.highlighted = 0

    @on(Input.Submitted, "#tag-filter")
    def _submit_filter(self) -> None:
        options = self.query_one("#tags", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(str(options.get_option_at_index(options.highlighted).prompt))

    @on(OptionList.OptionSelected, "#tags")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
