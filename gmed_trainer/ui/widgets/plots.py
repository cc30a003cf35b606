"""The stats screen's plots, drawn by plotext through textual-plotext.

`ForecastPlot`: reviews falling due on each of the next 30 days (bars). `CalendarPlot`: answers
per day over the last 12 weeks as a weekday x week grid, shaded from the theme's surface colour
to its success colour. Both redraw on resize and follow the app's theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from textual.app import RenderResult
from textual.color import Color
from textual_plotext import PlotextPlot

from gmed_trainer.store.records import DayCount

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKS = 12


class ForecastPlot(PlotextPlot):
    """Due reviews per day for the next 30 days."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[DayCount, ...] = ()

    def show(self, days: Sequence[DayCount]) -> None:
        self.days = tuple(days)
        self.refresh()

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Reviews due, next 30 days")
        if self.days:
            xs = list(range(len(self.days)))
            plt.bar(xs, [d.count for d in self.days], width=0.6, color=self._colour("accent"))
            shown = xs[:: 5 if len(xs) > 10 else 1]
            labels = ["today" if i == 0 else f"{self.days[i].day:%d %b}" for i in shown]
            plt.xticks([float(i) for i in shown], labels)
            # Whole reviews only: integer ticks, about five of them.
            highest = max((d.count for d in self.days), default=0)
            step = max(1, -(-highest // 5))
            plt.yticks([float(y) for y in range(0, highest + step, step)])
            plt.ylim(0, highest + step)
        return super().render()

    def _colour(self, name: str) -> tuple[int, int, int]:
        return Color.parse(self.app.theme_variables[name]).rgb


class CalendarPlot(PlotextPlot):
    """Answers per day over twelve weeks: one column per week, one row per weekday."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[DayCount, ...] = ()

    def show(self, days: Sequence[DayCount]) -> None:
        self.days = tuple(days)
        self.refresh()

    def grid(self) -> tuple[list[list[int | None]], list[date]]:
        """Counts as rows Monday..Sunday by week columns (None outside the range), and each
        week's Monday."""
        if not self.days:
            return [[None] * WEEKS for _ in WEEKDAYS], []
        last = self.days[-1].day
        first_monday = last - timedelta(days=last.weekday()) - timedelta(weeks=WEEKS - 1)
        counts = {d.day: d.count for d in self.days}
        rows: list[list[int | None]] = [[None] * WEEKS for _ in WEEKDAYS]
        for week in range(WEEKS):
            for weekday in range(7):
                day = first_monday + timedelta(weeks=week, days=weekday)
                if day <= last:
                    rows[weekday][week] = counts.get(day, 0)
        return rows, [first_monday + timedelta(weeks=w) for w in range(WEEKS)]

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Answers per day, last 12 weeks")
        rows, mondays = self.grid()
        # One matrix column per character of the plot area ("Mon┤" on the left, the frame on the
        # right), so plotext never stretches it; the last column of each week is left as a gap.
        columns = max(WEEKS * 2, self.size.width - 5)
        week_of = [column * WEEKS // columns for column in range(columns)]
        gap = [c + 1 < columns and week_of[c + 1] != week_of[c] for c in range(columns)]
        empty = self._colour("background")
        low = self._colour("panel")
        high = self._colour("success")
        top = max((c for row in rows for c in row if c), default=1)

        def shade(count: int | None) -> tuple[int, int, int]:
            if count is None:
                return empty
            if count == 0:
                return low
            share = 0.3 + 0.7 * count / top
            return (
                round(low[0] + (high[0] - low[0]) * share),
                round(low[1] + (high[1] - low[1]) * share),
                round(low[2] + (high[2] - low[2]) * share),
            )

        # plotext draws the first matrix row at the top: Monday first, as on a calendar.
        plt.matrix_plot(
            [[empty if gap[c] else shade(row[week_of[c]]) for c in range(columns)] for row in rows]
        )
        plt.yticks([float(y) for y in range(7)], list(reversed(WEEKDAYS)))
        if mondays:
            starts = [week_of.index(w) for w in range(0, WEEKS, 3)]
            plt.xticks(
                [float(c) for c in starts], [f"{mondays[w]:%d %b}" for w in range(0, WEEKS, 3)]
            )
        plt.xlabel("")
        plt.ylabel("")
        return super().render()

    def _colour(self, name: str) -> tuple[int, int, int]:
        return Color.parse(self.app.theme_variables[name]).rgb
