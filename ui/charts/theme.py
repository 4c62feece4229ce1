"""Screen theme of the live charts: light background, Okabe–Ito colours, legible type."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from models.chart_data import BAND_NEAR, BAND_OK, BAND_OVER, BAND_UNKNOWN
from models.schema import Band
from ui.briefing.style import BAND_COLOURS, BAND_LABELS, CAPACITY_COLOUR, POPULATION_COLOUR

BACKGROUND = "#FFFFFF"
INK = "#1A1A1A"
MUTED = "#555555"
AXIS = "#8C8C8C"
GRID_ALPHA = 0.18
#: Band fills (same as the briefing: vermilion / orange / blue, no red–green pair).
BAND_FILL: dict[int, str] = {
    BAND_OK: BAND_COLOURS[Band.OK.value],
    BAND_NEAR: BAND_COLOURS[Band.NEAR.value],
    BAND_OVER: BAND_COLOURS[Band.OVER.value],
    BAND_UNKNOWN: "#B0B0B0",
}
BAND_TEXT: dict[int, str] = {
    BAND_OVER: BAND_LABELS[Band.OVER.value],
    BAND_NEAR: BAND_LABELS[Band.NEAR.value],
    BAND_OK: BAND_LABELS[Band.OK.value],
    BAND_UNKNOWN: "Utilization unknown",
}
CAPACITY_OUTLINE = INK
CAPACITY_FILL = CAPACITY_COLOUR
POPULATION_FILL = POPULATION_COLOUR
HIGHLIGHT = "#000000"  # black outline: visible on every band colour
REFERENCE = INK
TONE_TEXT: dict[str, str] = {Band.OVER.value: "#A63A00", Band.NEAR.value: "#7A5200", Band.OK.value: INK, "": INK}


def chart_font(point_size: float = 9.0) -> QFont:
    font = QFont(["Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"])
    font.setPointSizeF(point_size)
    return font


def swatch(colour: str, text: str, outline: bool = False) -> str:
    """Rich-text legend entry: a coloured square (or an outlined one) and its words."""
    mark = "□" if outline else "■"
    return f"<span style='color:{colour}; font-size:13pt'>{mark}</span>&nbsp;{text}"


def qcolor(colour: str, alpha: int = 255) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result
