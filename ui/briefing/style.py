"""Briefing style: palette, type sizes scaled to the output, and number formats.

Independent of the screen theme on purpose: a briefing chart is always dark text on white,
whatever the analyst's desktop looks like.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from models.schema import Band

# Okabe & Ito (2008), the colour-blind-safe qualitative palette.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Band fills. Blue rather than green for "below 90%" keeps the red/green pair out entirely.
BAND_COLOURS: dict[str, str] = {
    Band.OVER.value: OKABE_ITO["vermillion"],
    Band.NEAR.value: OKABE_ITO["orange"],
    Band.OK.value: OKABE_ITO["blue"],
}
BAND_LABELS: dict[str, str] = {
    Band.OVER.value: "Over capacity (≥ 100%)",
    Band.NEAR.value: "Near capacity (90–99%)",
    Band.OK.value: "Below 90%",
}
CAPACITY_COLOUR = OKABE_ITO["sky_blue"]
POPULATION_COLOUR = OKABE_ITO["blue"]

INK = "#1A1A1A"
MUTED_INK = "#4D4D4D"
FAINT_INK = "#6B6B6B"
GRID = "#DADADA"
AXIS = "#8C8C8C"
BACKGROUND = "#FFFFFF"
TILE = "#F3F4F6"
HEADER_FILL = "#E4E7EB"

#: Arial first: every Windows and macOS machine has it and Linux maps it to the metric-compatible
#: Liberation Sans, so text measures the same everywhere; the SVG and the PowerPoint text name it
#: too, so a chart laid out here does not overflow when opened elsewhere.
FONT_FAMILIES = ["Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"]

# Pixel sizes on a 1920×1080 slide (144 px per inch when shown full screen): 32 px ≈ 16 pt.
_TITLE_PX = 56
_SUBTITLE_PX = 34
_AXIS_TITLE_PX = 32
_TICK_PX = 32
_VALUE_PX = 30
_LEGEND_PX = 30
_FOOTER_PX = 25
_FIGURE_PX = 104


def scale_for(width: int, height: int) -> float:
    """How much larger or smaller than a 1920×1080 slide the output is, for type and margins.

    Height sets the scale for landscape outputs; the width term keeps portrait or narrow outputs
    from having text wider than the picture.
    """
    return max(0.2, min(height / 1080, width / 1440))


@dataclass(frozen=True)
class BriefingStyle:
    """Type sizes and spacing for one output size; every length is in output pixels."""

    scale: float

    @classmethod
    def for_size(cls, width: int, height: int, scale: float | None = None) -> BriefingStyle:
        return cls(scale if scale is not None else scale_for(width, height))

    def px(self, value: float) -> float:
        return value * self.scale

    def font(self, size_px: float, bold: bool = False) -> QFont:
        font = QFont()
        # The SVG writer names only family(), which is empty when just the list is set.
        font.setFamily(FONT_FAMILIES[0])
        font.setFamilies(FONT_FAMILIES)
        font.setPixelSize(max(6, round(self.px(size_px))))
        font.setBold(bold)
        # Hinting shifts glyphs by whole pixels at one size and not another; off keeps layout
        # identical between PNG, SVG and PDF outputs.
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        return font

    @property
    def title_font(self) -> QFont:
        return self.font(_TITLE_PX, bold=True)

    @property
    def subtitle_font(self) -> QFont:
        return self.font(_SUBTITLE_PX)

    @property
    def axis_title_font(self) -> QFont:
        return self.font(_AXIS_TITLE_PX, bold=True)

    @property
    def tick_font(self) -> QFont:
        return self.font(_TICK_PX)

    @property
    def value_font(self) -> QFont:
        return self.font(_VALUE_PX)

    @property
    def legend_font(self) -> QFont:
        return self.font(_LEGEND_PX)

    @property
    def footer_font(self) -> QFont:
        return self.font(_FOOTER_PX)

    @property
    def figure_font(self) -> QFont:
        return self.font(_FIGURE_PX, bold=True)

    @property
    def margin(self) -> float:
        return self.px(48)

    @property
    def gap(self) -> float:
        return self.px(18)


def colour(hex_code: str) -> QColor:
    return QColor(hex_code)
