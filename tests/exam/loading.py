"""Putting hand-made decks into a test database."""

from __future__ import annotations

from collections.abc import Sequence

from gmed_trainer.decks.model import Deck
from gmed_trainer.store.repository import Store
from tests.exam.factories import START


def put_decks(store: Store, decks: Sequence[Deck]) -> None:
    """Import decks the way `gmed import` does."""
    from gmed_trainer.store.sync import sync_decks

    sync_decks(store, decks, now=START)
