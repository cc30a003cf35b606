"""A progress bar drawn as one line of text: the study screen's done / left bar.

It looks like Textual's `ProgressBar` bar (the same characters, half cells at the edge, the
same theme colours), but it is a single `Static` updated with new text: the study screen redraws
it after every answer, and the stock bar re-renders through a slower path.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

BAR = "━"
HALF_RIGHT = "╸"
HALF_LEFT = "╺"


def bar_content(done: int, total: int, width: int) -> Content:
    """`width` cells with the share `done / total` highlighted, to the nearest half cell."""
    share = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
    # Down to the half cell, as Textual's bar does.
    end = int(share * width * 2) / 2
    if end <= 0:
        return Content.styled(BAR * width, "$surface")
    cells = int(end)
    half = end - cells > 0
    highlight = BAR * cells + (HALF_RIGHT if half else "")
    tail = ""
    if not half and cells < width:
        tail = HALF_LEFT
    tail += BAR * max(width - cells - 1, 0)
    colour = "$success" if share >= 1 else "$primary"
    return Content.assemble((highlight, colour), (tail, "$surface"))


class ProgressLine(Static):
    """`done` of `total` as a bar (30 cells unless styled otherwise)."""

    DEFAULT_CSS = """
    ProgressLine {
        width: 30;
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.done = 0
        self.total = 0

    def on_resize(self) -> None:
        self._draw()

    def set(self, done: int, total: int) -> None:
        """Show `done` of `total`; nothing is redrawn when neither changed."""
        if (done, total) != (self.done, self.total):
            self.done, self.total = done, total
            self._draw()

    def _draw(self) -> None:
        width = self.size.width or 30
        self.update(bar_content(self.done, self.total, width), layout=False)
