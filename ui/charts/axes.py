"""A category axis that labels only as many bars as fit, eliding long names."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from ui.charts.theme import AXIS, INK, chart_font


class CategoryAxis(pg.AxisItem):
    """Ticks at whole positions 0…n-1 with labels from ``label_of``; thins labels to every k-th
    bar (k a power-of-two-ish step, aligned so labels do not jump while scrolling) when bars are
    narrower than a line of text, and elides labels to the room they have."""

    def __init__(self, orientation: str, label_of: Callable[[int], str] | None = None, **kwargs: Any) -> None:
        super().__init__(orientation, pen=pg.mkPen(AXIS), textPen=pg.mkPen(INK), **kwargs)
        self._label_of = label_of or (lambda index: str(index))
        self._count = 0
        self.setStyle(tickFont=chart_font(8.5), autoExpandTextSpace=False, tickTextOffset=4)
        self._metrics = QFontMetrics(chart_font(8.5))
        #: Widest label text in pixels, for horizontal axes (names need room side by side).
        self._label_width = 40

    def set_categories(self, count: int, label_of: Callable[[int], str], label_width: int | None = None) -> None:
        """New labels (after an order change); redraws the axis once."""
        self._count = count
        self._label_of = label_of
        if label_width is not None:
            self._label_width = label_width
        self.picture = None
        self.update()

    def measure(self, text: str) -> int:
        return self._metrics.horizontalAdvance(text)

    def visible_ticks(self, low: float, high: float, size: float) -> list[int]:
        """The positions labelled for a view of [low, high] shown over ``size`` pixels."""
        low, high = min(low, high), max(low, high)  # an inverted view hands them over reversed
        if self._count == 0 or size <= 0 or high <= low:
            return []
        per_bar = size / (high - low)
        needed = self._metrics.height() * 1.15 if self.orientation in ("left", "right") else self._label_width + 8
        step = 1 if per_bar >= needed else 2 ** math.ceil(math.log2(needed / per_bar))
        first = max(0, math.ceil(low / step) * step)
        last = min(self._count - 1, math.floor(high))
        return list(range(first, last + 1, step))

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[int]]]:
        return [(1.0, self.visible_ticks(minVal, maxVal, size))]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.orientation in ("left", "right"):
            room = max(20, int(self.width()) - 10)
        else:
            per_bar = self.geometry().width() / max(1e-9, abs(self.range[1] - self.range[0]))
            step = values[1] - values[0] if len(values) > 1 else 1
            room = max(20, int(per_bar * step) - 6)
        result = []
        for value in values:
            index = int(round(value))
            text = self._label_of(index) if 0 <= index < self._count else ""
            result.append(self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, room))
        return result


class ValueAxis(pg.AxisItem):
    """A value axis whose tick labels carry thousands separators ("350,000", not "350000")."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        decimals = 0 if spacing * scale >= 1 else min(6, math.ceil(-math.log10(spacing * scale)))
        return [f"{value * scale:,.{decimals}f}" for value in values]


class CountAxis(ValueAxis):
    """A value axis for counts of facilities: whole-number ticks only (no "0.2 facilities")."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        levels = [(spacing, values) for spacing, values in super().tickValues(minVal, maxVal, size) if spacing >= 1]
        if not levels:
            levels = [(1.0, [float(v) for v in range(math.ceil(minVal), math.floor(maxVal) + 1)])]
        return levels
