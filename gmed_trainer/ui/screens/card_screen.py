"""The keys every card-showing screen shares: reveal, choose an option a-h, check a "select all"
answer, go on to a case's next step. Study, preview and the browser's preview build on it.

The screen holds only what is not the driver's business: options ticked but not yet submitted,
and whether a case is paused on a step's feedback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import ClassVar, Protocol

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from gmed_trainer.decks.model import CaseCard, McqCard, Option
from gmed_trainer.ui.play import OPTION_KEYS, CardState, Feedback, current_step
from gmed_trainer.ui.widgets.card import CardView

CHOOSE = Binding.Group("Choose", compact=True)

#: Space and Enter move a card on. Textual lets a subclass's bindings for a key replace its
#: base's, so a screen adding its own Space/Enter action lists these again with it.
ADVANCE_BINDINGS: list[BindingType] = [
    Binding("space,enter", "reveal", "Show answer", id="card.reveal"),
    Binding("space,enter", "submit", "Check answer", id="card.submit"),
    Binding("space,enter", "next_step", "Next step", id="card.next-step"),
]
CHOOSE_BINDINGS: list[BindingType] = [
    Binding(key, f"pick('{key}')", f"Choose option {key}", id=f"card.pick-{key}", group=CHOOSE)
    for key in OPTION_KEYS
]


class Player(Protocol):
    """What a card screen drives: a study session (through an adapter) or a `CardPlay`."""

    @property
    def state(self) -> CardState | None: ...

    def reveal(self) -> None: ...

    def choose(self, option_ids: Iterable[str]) -> Feedback: ...

    def answer_step(self, option_ids: Iterable[str]) -> Feedback: ...


class Waiting:
    """The options of the question waiting for an answer, in display order."""

    def __init__(self, options: Sequence[Option], order: Sequence[str], select_all: bool) -> None:
        by_id = {o.id: o for o in options}
        self.ids = [i for i in order if i in by_id] or [o.id for o in options]
        self.select_all = select_all


class CardScreen(Screen[None]):
    """Base for screens showing one `CardView` driven by a `Player`."""

    BINDINGS: ClassVar[list[BindingType]] = [*ADVANCE_BINDINGS, *CHOOSE_BINDINGS]

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        #: The driver of the card on screen; subclasses set it, None while there is no card.
        self.player: Player | None = None
        self.selected: frozenset[str] = frozenset()
        self.paused = False

    # -- state -------------------------------------------------------------------------------

    def card_state(self) -> CardState | None:
        player = self.player
        state = player.state if player is not None else None
        if state is None:
            return None
        return replace(state, selected=self.selected, paused=self.paused)

    def waiting(self) -> Waiting | None:
        """The question waiting for an option, if any."""
        state = self.card_state()
        if state is None or state.revealed or state.paused:
            return None
        card = state.unit.card
        if isinstance(card, McqCard):
            return Waiting(card.options, state.option_order, card.select_all)
        step = current_step(state.unit, state.case_step)
        if step is not None:
            orders = state.step_option_orders
            order = orders[state.case_step] if state.case_step < len(orders) else ()
            return Waiting(step.options, order, step.select_all)
        return None

    def can_reveal(self) -> bool:
        state = self.card_state()
        return (
            state is not None
            and not state.revealed
            and not isinstance(state.unit.card, McqCard | CaseCard)
        )

    def show_card(self) -> None:
        """Redraw the card and the keys after any change."""
        self.query_one(CardView).state = self.card_state()
        self.refresh_bindings()

    def reset_card_keys(self) -> None:
        """Forget ticks and pauses: call when a new unit comes on screen."""
        self.selected = frozenset()
        self.paused = False

    def answered(self, feedback: Feedback) -> None:
        """Called after an mcq answer or a case step; subclasses react (e.g. the grade bar)."""

    # -- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.can_reveal()
        if action == "submit":
            waiting = self.waiting()
            return waiting is not None and waiting.select_all and bool(self.selected)
        if action == "next_step":
            state = self.card_state()
            return state is not None and state.paused and not state.revealed
        if action == "pick":
            waiting = self.waiting()
            key = str(parameters[0]) if parameters else ""
            return waiting is not None and OPTION_KEYS.index(key) < len(waiting.ids)
        return True

    def action_reveal(self) -> None:
        player = self.player
        if player is not None and self.can_reveal():
            player.reveal()
            self.show_card()

    def action_pick(self, key: str) -> None:
        waiting = self.waiting()
        index = OPTION_KEYS.find(key)
        if waiting is None or not 0 <= index < len(waiting.ids):
            return
        option_id = waiting.ids[index]
        if waiting.select_all:
            self.selected = self.selected ^ {option_id}
            self.show_card()
        else:
            self._submit([option_id])

    def action_submit(self) -> None:
        waiting = self.waiting()
        if waiting is not None and waiting.select_all and self.selected:
            self._submit(sorted(self.selected))

    def action_next_step(self) -> None:
        if self.paused:
            self.paused = False
            self.show_card()

    def _submit(self, option_ids: list[str]) -> None:
        player = self.player
        state = self.card_state()
        if player is None or state is None:
            return
        if isinstance(state.unit.card, McqCard):
            feedback = player.choose(option_ids)
        else:
            feedback = player.answer_step(option_ids)
            after = player.state
            self.paused = after is not None and not after.revealed
        self.selected = frozenset()
        self.show_card()
        self.answered(feedback)

    @on(CardView.Picked)
    def _clicked(self, event: CardView.Picked) -> None:
        waiting = self.waiting()
        if waiting is not None and event.option_id in waiting.ids:
            self.action_pick(OPTION_KEYS[waiting.ids.index(event.option_id)])
