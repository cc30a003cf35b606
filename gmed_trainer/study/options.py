"""The order options are shown in: shuffled per card rules, stable for a given seed.

`shuffle: false` keeps the author's order; options marked `pin: last` ("none of the above")
stay last, in their own order, whatever the shuffle.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from gmed_trainer.decks.model import Option


def option_order(options: Sequence[Option], *, seed: str, shuffle: bool = True) -> tuple[str, ...]:
    """Option ids in display order. The same `seed` gives the same order in any process
    (`random.Random` hashes a str seed with SHA-512, not with the salted `hash`)."""
    free = [o.id for o in options if not o.pin_last]
    pinned = [o.id for o in options if o.pin_last]
    if shuffle:
        random.Random(seed).shuffle(free)
    return (*free, *pinned)
