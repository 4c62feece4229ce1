"""Painters for the briefing charts: each lays out one chart's data inside a plot rectangle.

Each chart has a painter and a ``*_notes`` function giving the footer notes (what was left out,
which capacity was used), so a reader of the slide never has to guess what the bars mean. Both
share one layout function, so the notes always describe what was painted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen

from models.schema import Band
from ui.briefing.canvas import (
    draw_rotated_text,
    draw_text,
    elide,
    fit_font,
    metrics,
    reference_pen,
    text_width,
)
from ui.briefing.chart_data import (
    FacilityBar,
    FacilityBars,
    Headline,
    HistogramData,
    StateGroup,
    StateGroups,
    split_groups,
)
from ui.briefing.formats import format_count, format_percent, format_utilization, nice_ticks
from ui.briefing.style import (
    AXIS,
    BACKGROUND,
    BAND_COLOURS,
    CAPACITY_COLOUR,
    FAINT_INK,
    GRID,
    INK,
    MUTED_INK,
    POPULATION_COLOUR,
    TILE,
    BriefingStyle,
    colour,
)

CAPACITY_NOTE = "Capacity is operational beds where recorded, otherwise rated beds."
SHORT_CAPACITY_NOTE = "Capacity: operational beds, else rated."
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter
_BOTTOM_CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom


def _empty(painter: QPainter, style: BriefingStyle, plot: QRectF, message: str) -> None:
    draw_text(painter, plot, message, style.axis_title_font, MUTED_INK, _CENTRE)


def _pen(hex_code: str, width: float) -> QPen:
    pen = QPen(colour(hex_code), max(1.0, width))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def _fill(painter: QPainter, rect: QRectF, hex_code: str) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour(hex_code)))
    painter.drawRect(rect)


# -- facilities by utilization (horizontal bars) ---------------------------------------------
_FACILITY_AXIS_TITLE = "Utilization: people held as % of capacity"


@dataclass(frozen=True)
class _FacilityLayout:
    bars: tuple[FacilityBar, ...]
    values: tuple[str, ...]
    area: QRectF
    row: float
    label_font: QFont
    label_width: float
    x0: float
    x1: float
    ticks: tuple[float, ...]


def _facility_layout(style: BriefingStyle, plot: QRectF, data: FacilityBars) -> _FacilityLayout:
    tick_font = style.tick_font
    line = metrics(tick_font).height()
    bottom = line + style.px(6) + style.gap * 0.5 + metrics(style.axis_title_font).height()
    area = QRectF(plot.left(), plot.top(), plot.width(), plot.height() - bottom)
    fit = max(1, int(area.height() // (line * 1.3)))
    bars = data.bars[:fit]
    row = min(area.height() / max(1, len(bars)), line * 2.2)
    values = tuple(f"{format_utilization(bar.utilization)}  {format_count(bar.population)} / "
                   f"{format_count(bar.capacity)}" for bar in bars)
    value_width = max((text_width(style.value_font, text) for text in values), default=0.0) + style.gap
    label_font = fit_font(tick_font, [bar.label for bar in bars], plot.width() * 0.4)
    label_width = min(max((text_width(label_font, bar.label) for bar in bars), default=0.0), plot.width() * 0.4)
    x0 = plot.left() + label_width + style.gap
    x1 = plot.right() - value_width
    high = max([1.1, *(bar.utilization * 1.02 for bar in bars)])
    max_ticks = max(3, min(8, int((x1 - x0) // (text_width(tick_font, "150%") * 2.2))))
    return _FacilityLayout(bars, values, area, row, label_font, label_width, x0, x1, tuple(nice_ticks(high, max_ticks)))


def facilities_notes(style: BriefingStyle, plot: QRectF, data: FacilityBars) -> list[str]:
    shown = len(_facility_layout(style, plot, data).bars)
    if not shown:
        return [CAPACITY_NOTE]
    first = (f"Top {shown:,} of {data.known:,} facilities by utilization." if shown < data.known
             else f"All {data.known:,} facilities with population and capacity recorded.")
    return [f"{first} Beside each bar: utilization, people held / capacity. {SHORT_CAPACITY_NOTE}"]


def paint_facilities(painter: QPainter, style: BriefingStyle, plot: QRectF, data: FacilityBars) -> None:
    if not data.bars:
        _empty(painter, style, plot, "No facility has both population and capacity recorded")
        return
    layout = _facility_layout(style, plot, data)
    area, row, x0, x1 = layout.area, layout.row, layout.x0, layout.x1
    top_tick = layout.ticks[-1]
    line = metrics(style.tick_font).height()

    def x_of(ratio: float) -> float:
        return x0 + (x1 - x0) * min(ratio, top_tick) / top_tick

    bars_bottom = area.top() + row * len(layout.bars)
    painter.setPen(_pen(GRID, style.px(1.5)))
    for tick in layout.ticks:
        painter.drawLine(QPointF(x_of(tick), area.top()), QPointF(x_of(tick), bars_bottom))
    ends = []
    for index, bar in enumerate(layout.bars):
        top = area.top() + index * row
        band = bar.band if bar.band in BAND_COLOURS else Band.OK.value
        rect = QRectF(x0, top + row * 0.15, max(0.0, x_of(bar.utilization) - x0), row * 0.7)
        _fill(painter, rect, BAND_COLOURS[band])
        ends.append(rect.right())
        label_rect = QRectF(plot.left(), top, layout.label_width, row)
        draw_text(painter, label_rect, elide(layout.label_font, bar.label, layout.label_width), layout.label_font,
                  INK, _RIGHT)
    painter.setPen(_pen(AXIS, style.px(2)))
    painter.drawLine(QPointF(x0, area.top()), QPointF(x0, bars_bottom))
    painter.drawLine(QPointF(x0, bars_bottom), QPointF(x1, bars_bottom))
    for tick in layout.ticks:
        rect = QRectF(x_of(tick) - style.px(80), bars_bottom + style.px(6), style.px(160), line)
        draw_text(painter, rect, format_percent(tick), style.tick_font, MUTED_INK, _CENTRE)
    painter.setPen(reference_pen(style))
    painter.drawLine(QPointF(x_of(1.0), area.top() - style.px(6)), QPointF(x_of(1.0), bars_bottom))
    # Value labels last, on a white ground, so grid and the 100% line never run through them.
    font = style.value_font
    for index, (end, value) in enumerate(zip(ends, layout.values, strict=True)):
        top = area.top() + index * row
        width = text_width(font, value) + style.px(8)
        box = QRectF(end + style.px(6), top + row * 0.15, width, row * 0.7)
        painter.fillRect(box, colour(BACKGROUND))
        draw_text(painter, box.adjusted(style.px(4), -row, 0, row), value, font, INK, _LEFT)
    title_font = fit_font(style.axis_title_font, [_FACILITY_AXIS_TITLE], plot.width())
    title_rect = QRectF(plot.left(), bars_bottom + style.px(6) + line + style.gap * 0.5, plot.width(),
                        metrics(title_font).height())
    centre = min(max((x0 + x1) / 2, plot.left() + text_width(title_font, _FACILITY_AXIS_TITLE) / 2),
                 plot.right() - text_width(title_font, _FACILITY_AXIS_TITLE) / 2)
    title_rect.moveCenter(QPointF(centre, title_rect.center().y()))
    draw_text(painter, title_rect, elide(title_font, _FACILITY_AXIS_TITLE, plot.width()), title_font, INK, _CENTRE)


# -- vertical bars (states, histogram) --------------------------------------------------------
def _value_axis(painter: QPainter, style: BriefingStyle, plot: QRectF, high: float, title: str,
                bottom_reserved: float, top_reserved: float) -> tuple[QRectF, Callable[[float], float]]:
    """Draw the left value axis with grid; returns the bar area and the value→y mapping."""
    tick_font = style.tick_font
    line = metrics(tick_font).height()
    ticks = nice_ticks(high, max(3, min(7, int((plot.height() - bottom_reserved) // (line * 2.2)))))
    labels = [format_count(tick) for tick in ticks]
    gutter = metrics(style.axis_title_font).height() + style.gap + max(text_width(tick_font, t) for t in labels)
    area = QRectF(plot.left() + gutter + style.gap * 0.5, plot.top() + top_reserved,
                  plot.width() - gutter - style.gap * 0.5, plot.height() - bottom_reserved - top_reserved)
    top_tick = ticks[-1] or 1.0

    def y_of(value: float) -> float:
        return area.bottom() - area.height() * value / top_tick

    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        painter.setPen(_pen(GRID, style.px(1.5)))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        rect = QRectF(plot.left(), y - line / 2, gutter, line)
        draw_text(painter, rect, label, tick_font, MUTED_INK, _RIGHT)
    painter.setPen(_pen(AXIS, style.px(2)))
    painter.drawLine(area.bottomLeft(), area.bottomRight())
    title_height = metrics(style.axis_title_font).height()
    draw_rotated_text(painter, QPointF(plot.left() + title_height / 2, area.center().y()), title,
                      style.axis_title_font, INK)
    return area, y_of


def _category_labels(painter: QPainter, style: BriefingStyle, area: QRectF, labels: Sequence[str],
                     title: str) -> None:
    width = area.width() / max(1, len(labels))
    font = fit_font(style.tick_font, labels, width - style.px(6))
    line = metrics(style.tick_font).height()
    for index, label in enumerate(labels):
        rect = QRectF(area.left() + index * width, area.bottom() + style.px(6), width, line)
        draw_text(painter, rect, elide(font, label, width - style.px(4)), font, INK, _CENTRE)
    title_font = fit_font(style.axis_title_font, [title], area.width())
    title_rect = QRectF(area.left(), area.bottom() + style.px(6) + line + style.gap * 0.5, area.width(),
                        metrics(style.axis_title_font).height())
    draw_text(painter, title_rect, elide(title_font, title, area.width()), title_font, INK, _CENTRE)


def _bottom_reserved(style: BriefingStyle) -> float:
    return metrics(style.tick_font).height() + style.px(6) + style.gap * 0.5 + metrics(style.axis_title_font).height()


def _shown_groups(style: BriefingStyle, plot: QRectF, data: StateGroups) -> tuple[tuple[StateGroup, ...], StateGroup | None]:
    """As many states as stay legible side by side, and the sum of those left out."""
    smallest = max(text_width(style.tick_font, "WW") * 1.4, metrics(style.value_font).height() * 1.8)
    return split_groups(data.groups, max(2, int(plot.width() * 0.9 // smallest)))


def states_notes(style: BriefingStyle, plot: QRectF, data: StateGroups) -> list[str]:
    today = "Beds today: operational facilities only"
    if data.excluded_sites:
        today += f" ({data.excluded_sites:,} planned, standby or closed sites left out)"
    today += f". {SHORT_CAPACITY_NOTE}"
    if not data.groups:
        return [today]
    shown, rest = _shown_groups(style, plot, data)
    first = "Above each state: people held ÷ beds today, bold when over capacity."
    if rest is not None:
        first += (f" Not shown: {len(data.groups) - len(shown)} states with fewer beds, together "
                  f"{format_count(rest.capacity)} beds and {format_count(rest.population)} people "
                  f"({format_utilization(rest.utilization)}).")
    return [first, today]


def paint_states(painter: QPainter, style: BriefingStyle, plot: QRectF, data: StateGroups) -> None:
    if not data.groups:
        _empty(painter, style, plot, "No operational facility to total by state")
        return
    groups, _ = _shown_groups(style, plot, data)
    line = metrics(style.value_font).height()
    high = max(max(group.capacity, group.population) for group in groups) * 1.02
    area, y_of = _value_axis(painter, style, plot, high, "Beds / people", _bottom_reserved(style), line * 1.2)
    width = area.width() / len(groups)
    percents = [format_utilization(group.utilization) for group in groups]
    bold = fit_font(style.font(30, bold=True), percents, width * 0.96, smallest=0.7)
    regular = QFont(bold)
    regular.setBold(False)
    for index, group in enumerate(groups):
        # Few states would make slabs of bars; a cap keeps them bar-shaped and centred.
        bar = min(width * 0.36, style.px(120))
        left = area.left() + index * width + (width - 2 * bar) / 2
        for offset, (value, fill) in enumerate(((group.capacity, CAPACITY_COLOUR), (group.population, POPULATION_COLOUR))):
            _fill(painter, QRectF(left + offset * bar, y_of(value), bar, area.bottom() - y_of(value)), fill)
        utilization = group.utilization
        if utilization is None:
            continue
        over = utilization >= 1.0
        font = bold if over else regular
        if text_width(font, percents[index]) > width:
            continue
        top = y_of(max(group.capacity, group.population)) - line - style.px(2)
        rect = QRectF(area.left() + index * width, top, width, line)
        draw_text(painter, rect, percents[index], font, BAND_COLOURS[Band.OVER.value] if over else MUTED_INK,
                  _BOTTOM_CENTRE)
    _category_labels(painter, style, area, [group.label for group in groups], "State")


def histogram_notes(style: BriefingStyle, plot: QRectF, data: HistogramData) -> list[str]:
    return [f"{data.known:,} of {data.facilities:,} facilities have population and capacity recorded. "
            f"{SHORT_CAPACITY_NOTE}"]


def paint_histogram(painter: QPainter, style: BriefingStyle, plot: QRectF, data: HistogramData) -> None:
    if not data.known:
        _empty(painter, style, plot, "No facility has both population and capacity recorded")
        return
    line = metrics(style.value_font).height()
    high = max(4, max(data.counts))
    area, y_of = _value_axis(painter, style, plot, high, "Facilities", _bottom_reserved(style), line * 1.2)
    width = area.width() / len(data.counts)
    for index, (count, band) in enumerate(zip(data.counts, data.bands, strict=True)):
        rect = QRectF(area.left() + index * width + width * 0.12, y_of(count), width * 0.76, area.bottom() - y_of(count))
        _fill(painter, rect, BAND_COLOURS[band])
        label_rect = QRectF(area.left() + index * width, y_of(count) - line - style.px(2), width, line)
        draw_text(painter, label_rect, f"{count:,}", style.font(30, bold=True), INK, _BOTTOM_CENTRE)
    _category_labels(painter, style, area, data.labels, "Utilization: people held as % of capacity")


# -- headline figures -------------------------------------------------------------------------
def headline_notes(style: BriefingStyle, plot: QRectF, data: Headline) -> list[str]:
    return [f"Beds today count operational facilities only. {CAPACITY_NOTE}"]


def paint_headline(painter: QPainter, style: BriefingStyle, plot: QRectF, data: Headline) -> None:
    columns = 3 if plot.width() >= plot.height() * 1.2 else 2
    rows = math.ceil(len(data.figures) / columns)
    gap = style.gap * 1.5
    tile_w = (plot.width() - gap * (columns - 1)) / columns
    tile_h = (plot.height() - gap * (rows - 1)) / rows
    for index, figure in enumerate(data.figures):
        col, row_index = index % columns, index // columns
        tile = QRectF(plot.left() + col * (tile_w + gap), plot.top() + row_index * (tile_h + gap), tile_w, tile_h)
        painter.fillRect(tile, QColor(TILE))
        accent = BAND_COLOURS[figure.tone] if figure.tone in BAND_COLOURS else AXIS
        painter.fillRect(QRectF(tile.left(), tile.top(), style.px(10), tile.height()), colour(accent))
        pad = style.px(28)
        inner = tile.adjusted(pad + style.px(10), pad * 0.6, -pad, -pad * 0.6)
        value_font = fit_font(style.figure_font, [figure.value], inner.width(), smallest=0.3)
        if value_font.pixelSize() > inner.height() * 0.42:
            value_font = QFont(value_font)
            value_font.setPixelSize(max(6, int(inner.height() * 0.42)))
        label_font = fit_font(style.axis_title_font, [figure.label], inner.width(), smallest=0.5)
        detail_font = fit_font(style.tick_font, [figure.detail], inner.width(), smallest=0.6)
        heights = [metrics(font).height() for font in (value_font, label_font, detail_font)]
        y = inner.top() + max(0.0, (inner.height() - sum(heights)) / 2)
        ink = BAND_COLOURS[figure.tone] if figure.tone == Band.OVER.value else INK
        for text, font, height, shade in ((figure.value, value_font, heights[0], ink),
                                          (figure.label, label_font, heights[1], INK),
                                          (figure.detail, detail_font, heights[2], FAINT_INK)):
            draw_text(painter, QRectF(inner.left(), y, inner.width(), height),
                      elide(font, text, inner.width()), font, shade, _LEFT)
            y += height
