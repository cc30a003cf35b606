"""Column widths for the DataTables that list decks and cards: set from the content and the
width the table has, so a table is right on the frame it is first drawn in (DataTable measures
its own columns only when idle, and never narrows one) and is laid out again on resize."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable

#: The cells DataTable pads each column with, left and right.
CELL_PADDING = 2


def shorten(text: str, room: int) -> str:
    """`text` cut to `room` cells, with an ellipsis when cut."""
    return text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + "…"


def fit_widths(
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    flexible: int = 0,
    minimum: int = 12,
) -> list[int]:
    """Each column's content width in a table `width` cells wide: every column as wide as its
    widest cell or label, but the `flexible` column only as wide as what the others leave
    (at least `minimum`, and at most what it needs)."""
    widths = [max([len(label), *(len(row[i]) for row in rows)]) for i, label in enumerate(labels)]
    others = sum(w for i, w in enumerate(widths) if i != flexible)
    room = width - others - CELL_PADDING * len(widths)
    widths[flexible] = max(len(labels[flexible]), min(widths[flexible], max(minimum, room)))
    return widths


def table_width(table: DataTable[object], rows: int, fallback: int) -> int:
    """The cells a table's columns may fill: its width once laid out, else `fallback`; less a
    scrollbar when `rows` (and the header) will not fit its height."""
    width = table.scrollable_content_region.width or fallback
    if table.size.height and rows + int(table.show_header) > table.size.height:
        width -= table.styles.scrollbar_size_vertical
    return width
