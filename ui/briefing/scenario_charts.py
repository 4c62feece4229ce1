"""Briefing charts drawn from the plan's scenario tables: capacity over time and the projection.

They need the whole plan (its capacity changes, history and scenarios), not a frame of facilities,
so their specs build from a ``FacilityPlan``; the table filter does not apply and a note says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen

from models.facility_plan import FacilityPlan
from models.occupancy_history import network_series
from models.projection import ScenarioContext, project
from models.scenario_data import capacity_timeline, load
from ui.briefing.canvas import draw_rotated_text, draw_text, elide, metrics, text_width
from ui.briefing.formats import format_count, nice_ticks
from ui.briefing.style import AXIS, GRID, INK, MUTED_INK, OKABE_ITO, BriefingStyle, colour

SCENARIO_COLOURS = (OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"],
                    OKABE_ITO["yellow"], OKABE_ITO["sky_blue"])
ACTUAL_COLOUR = OKABE_ITO["reddish_purple"]
RATED_COLOUR = OKABE_ITO["sky_blue"]
SURGE_COLOUR = "#8C8C8C"
WHOLE_NETWORK = "Whole network: table filters do not apply to scenarios."
MAX_SCENARIOS = len(SCENARIO_COLOURS)
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Series:
    """One line of a time chart: dates, values, colour, dashes, and whether it steps."""

    label: str
    dates: np.ndarray
    values: np.ndarray
    colour: str
    dashed: bool = False
    steps: bool = False
    width: float = 4.0


@dataclass(frozen=True)
class TimeChart:
    """Lines over dates, a key of named colours, and footer notes; ``message`` when there is nothing."""

    series: tuple[Series, ...]
    key: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    message: str = ""


def _long(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not within the horizon"


def projection_data(plan: FacilityPlan) -> TimeChart:
    """Every scenario's population (solid) and operational beds (dashed steps), with actuals."""
    try:
        data = load(plan)
    except ValueError as error:
        return TimeChart((), (), (), f"The scenario tables cannot be used: {error}")
    if not data.scenarios:
        return TimeChart((), (), (), "This plan has no scenarios; add them in the Scenarios panel")
    context = ScenarioContext(plan.frame, data.changes, network_series(data.history))
    series: list[Series] = []
    key: list[tuple[str, str]] = []
    back: list[str] = []
    peaks: list[str] = []
    starts = []
    for number, scenario in enumerate(data.scenarios[:MAX_SCENARIOS]):
        try:
            projection = project(context, scenario)
        except ValueError as error:
            return TimeChart((), (), (), f"Scenario {scenario.name!r} cannot be projected: {error}")
        shade = SCENARIO_COLOURS[number]
        series.append(Series(f"{scenario.name}: operational beds", projection.dates, projection.capacity["operational"],
                             shade, dashed=True, steps=True, width=3.0))
        series.append(Series(f"{scenario.name}: people held", projection.dates, projection.population, shade))
        key.append((scenario.name, shade))
        result = projection.results["operational"]
        when = _long(result.back_under) if result.first_over else "never over"
        if result.periods_over > 1:
            when += f" (after {result.periods_over} separate periods over)"
        back.append(f"{scenario.name}: {when}")
        peaks.append(f"{scenario.name}: {format_count(result.peak_shortfall)}")
        starts.append(projection.dates[0])
    history = network_series(data.history)
    if len(history):
        earliest = min(starts) - np.timedelta64(90, "D")
        history = history[history.index >= pd.Timestamp(earliest)]
        series.insert(0, Series("Actual people held", history.index.to_numpy().astype("datetime64[D]"),
                                history.to_numpy(dtype="float64"), ACTUAL_COLOUR))
    notes = [
        "Back under operational capacity — " + "; ".join(back) + ".",
        "Peak shortfall (beds) — " + "; ".join(peaks) + ". " + WHOLE_NETWORK,
    ]
    populations = [s.values for s in series if s.label.endswith(": people held")]
    if len(populations) > 1 and all(len(p) == len(populations[0]) and np.allclose(p, populations[0]) for p in populations):
        notes.append("The scenarios share the same flows, so their projected populations coincide (one line).")
    if len(data.scenarios) > MAX_SCENARIOS:
        notes.append(f"First {MAX_SCENARIOS} of {len(data.scenarios)} scenarios shown.")
    return TimeChart(tuple(series), tuple(key), tuple(notes))


def capacity_data(plan: FacilityPlan) -> TimeChart:
    """Network rated, operational and surge capacity with every planned change, and actuals."""
    try:
        data = load(plan)
    except ValueError as error:
        return TimeChart((), (), (), f"The scenario tables cannot be used: {error}")
    if not data.changes and not len(data.history):
        return TimeChart((), (), (), "This plan has no capacity changes or occupancy history yet")
    dates, lines = capacity_timeline(plan, data)
    series = [
        Series("Operational + surge beds", dates, lines["surge"], SURGE_COLOUR, dashed=True, steps=True, width=3.0),
        Series("Rated beds", dates, lines["rated"], RATED_COLOUR, dashed=True, steps=True, width=3.0),
        Series("Operational beds", dates, lines["operational"], INK, steps=True, width=4.0),
    ]
    history = network_series(data.history)
    if len(history):
        series.append(Series("Actual people held", history.index.to_numpy().astype("datetime64[D]"),
                             history.to_numpy(dtype="float64"), ACTUAL_COLOUR))
    notes = (
        f"All {len(data.changes):,} planned capacity changes included, on their planned dates. "
        "Operational beds are usable beds; surge adds beds that can be opened temporarily. " + WHOLE_NETWORK,
    )
    return TimeChart(tuple(series), (), notes)


def time_notes(style: BriefingStyle, plot: QRectF, data: TimeChart) -> list[str]:
    return list(data.notes)


# -- painting ---------------------------------------------------------------------------------
def _value_ticks(low: float, high: float, count: int) -> list[float]:
    span = max(high - low, 1.0)
    step_ticks = nice_ticks(span, count)
    step = step_ticks[1] - step_ticks[0] if len(step_ticks) > 1 else span
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def _month_ticks(start: np.datetime64, end: np.datetime64, most: int) -> list[np.datetime64]:
    months = np.arange(start.astype("datetime64[M]") + 1, end.astype("datetime64[M]") + 1)
    every = max(1, math.ceil(len(months) / max(1, most)))
    return [month.astype("datetime64[D]") for month in months[::every]]


def paint_time_chart(painter: QPainter, style: BriefingStyle, plot: QRectF, data: TimeChart) -> None:
    if data.message or not data.series:
        draw_text(painter, plot, data.message or "Nothing to draw", style.axis_title_font, MUTED_INK, _CENTRE)
        return
    tick_font = style.tick_font
    line = metrics(tick_font).height()
    start = min(s.dates[0] for s in data.series if len(s.dates))
    end = max(s.dates[-1] + (1 if s.steps else 0) for s in data.series if len(s.dates))
    values = np.concatenate([s.values for s in data.series if len(s.values)])
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    pad = max(high - low, 1.0) * 0.05
    bottom_reserved = line + style.px(6) + style.gap * 0.5 + metrics(style.axis_title_font).height()
    ticks = _value_ticks(max(0.0, low - pad), high + pad, max(3, min(7, int((plot.height() - bottom_reserved) // (line * 2.2)))))
    labels = [format_count(tick) for tick in ticks]
    gutter = metrics(style.axis_title_font).height() + style.gap + max(text_width(tick_font, t) for t in labels)
    area = QRectF(plot.left() + gutter + style.gap * 0.5, plot.top() + line * 0.5,
                  plot.width() - gutter - style.gap * 0.5 - style.px(10), plot.height() - bottom_reserved - line * 0.5)
    y0, y1 = ticks[0], ticks[-1]
    x0 = start.astype("int64")
    days = max(1, int(end.astype("int64") - x0))

    def x_of(day: np.ndarray) -> np.ndarray:
        return area.left() + area.width() * (day.astype("datetime64[D]").astype("int64") - x0) / days

    def y_of(value: np.ndarray | float) -> np.ndarray | float:
        return area.bottom() - area.height() * (np.asarray(value) - y0) / (y1 - y0 or 1.0)

    for tick, label in zip(ticks, labels, strict=True):
        y = float(y_of(tick))
        painter.setPen(QPen(colour(GRID), style.px(1.5)))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        draw_text(painter, QRectF(plot.left(), y - line / 2, gutter, line), label, tick_font, MUTED_INK, _RIGHT)
    month_width = text_width(tick_font, "Sep 2025") * 1.4
    for number, month in enumerate(_month_ticks(start, end, int(area.width() // month_width))):
        x = float(x_of(np.array([month]))[0])
        painter.setPen(QPen(colour(GRID), style.px(1.5)))
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        # The year on the first label and on every January, so a reader always knows which year.
        text = pd.Timestamp(month).strftime("%b %Y" if pd.Timestamp(month).month == 1 or number == 0 else "%b")
        draw_text(painter, QRectF(x - month_width / 2, area.bottom() + style.px(6), month_width, line), text,
                  tick_font, MUTED_INK, _CENTRE)
    painter.save()
    painter.setClipRect(area.adjusted(-style.px(4), -style.px(4), style.px(4), style.px(4)))
    for series in data.series:
        _draw_series(painter, style, series, x_of, y_of)
    painter.restore()
    painter.setPen(QPen(colour(AXIS), style.px(2)))
    painter.drawLine(area.bottomLeft(), area.bottomRight())
    painter.drawLine(area.bottomLeft(), area.topLeft())
    title_height = metrics(style.axis_title_font).height()
    draw_rotated_text(painter, QPointF(plot.left() + title_height / 2, area.center().y()), "People / beds",
                      style.axis_title_font, INK)
    draw_text(painter, QRectF(area.left(), area.bottom() + style.px(6) + line + style.gap * 0.5, area.width(),
                              title_height), "Date", style.axis_title_font, INK, _CENTRE)
    points = [np.column_stack((x_of(series.dates), np.asarray(y_of(series.values), dtype="float64")))
              for series in data.series if len(series.dates)]
    _draw_key(painter, style, area, data.key, np.concatenate(points) if points else np.zeros((0, 2)))


def place_key(area: QRectF, width: float, height: float, inset: float, points: np.ndarray) -> QRectF:
    """The corner of ``area`` for a key of this size that covers the fewest data points (top left
    first, then top right, bottom right, bottom left), so the key never hides the lines it names."""
    left, right = area.left() + inset, area.right() - inset - width
    top, bottom = area.top() + inset, area.bottom() - inset - height
    boxes = [QRectF(x, y, width, height) for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))]
    margin = inset / 2  # a line passing just outside the box still needs room to be seen

    def covered(box: QRectF) -> int:
        x, y = points[:, 0], points[:, 1]
        return int(np.count_nonzero((x >= box.left() - margin) & (x <= box.right() + margin)
                                    & (y >= box.top() - margin) & (y <= box.bottom() + margin)))

    return min(boxes, key=covered)  # the first of equally covered corners


def _draw_series(painter: QPainter, style: BriefingStyle, series: Series, x_of, y_of) -> None:  # type: ignore[no-untyped-def]
    if not len(series.dates):
        return
    xs = x_of(series.dates)
    ys = np.asarray(y_of(series.values), dtype="float64")
    path = QPainterPath()
    if series.steps:
        end_x = float(x_of(np.array([series.dates[-1] + np.timedelta64(1, "D")]))[0])
        path.moveTo(float(xs[0]), float(ys[0]))
        changes = np.nonzero(np.diff(series.values))[0] + 1
        for index in changes:
            path.lineTo(float(xs[index]), float(ys[index - 1]))
            path.lineTo(float(xs[index]), float(ys[index]))
        path.lineTo(end_x, float(ys[-1]))
    else:
        path.moveTo(float(xs[0]), float(ys[0]))
        for x, y in zip(xs[1:].tolist(), ys[1:].tolist(), strict=True):
            path.lineTo(x, y)
    pen = QPen(colour(series.colour), style.px(series.width))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin if series.steps else Qt.PenJoinStyle.RoundJoin)
    if series.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def _draw_key(painter: QPainter, style: BriefingStyle, area: QRectF, key: Sequence[tuple[str, str]],
              points: np.ndarray) -> None:
    """Scenario names in their colours inside the plot, on a white ground, in the corner with the
    fewest data points under it (see ``place_key``)."""
    if not key:
        return
    font = style.legend_font
    line = metrics(font).height() * 1.25
    swatch = style.px(44)
    widest = max(text_width(font, name) for name, _ in key)
    width = min(area.width() * 0.6, swatch + style.px(14) + widest + style.px(20))
    box = place_key(area, width, line * len(key) + style.px(12), style.px(14), points)
    painter.fillRect(box, colour("#FFFFFF"))
    for index, (name, shade) in enumerate(key):
        y = box.top() + style.px(6) + index * line
        pen = QPen(colour(shade), style.px(4))
        painter.setPen(pen)
        painter.drawLine(QPointF(box.left() + style.px(8), y + line / 2), QPointF(box.left() + style.px(8) + swatch, y + line / 2))
        label = QRectF(box.left() + style.px(8) + swatch + style.px(12), y, width - swatch - style.px(28), line)
        draw_text(painter, label, elide(font, name, label.width()), font, INK, _LEFT)
