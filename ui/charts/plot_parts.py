"""Pieces shared by the chart widgets: a light plot widget, a scrolling view box, option combos."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QLabel, QMenu, QSizePolicy, QWidget

from ui.charts.axes import CategoryAxis, CountAxis, ValueAxis
from ui.charts.theme import BACKGROUND, GRID_ALPHA, INK, MUTED, chart_font

#: Builds the briefing context menu for a chart (``window.briefing.chart_menu``).
MenuFactory = Callable[[str, QWidget], QMenu]


class ScrollingViewBox(pg.ViewBox):
    """The wheel scrolls through categories; Ctrl+wheel zooms (as in spreadsheets and browsers)."""

    def __init__(self, scroll_axis: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scroll_axis = scroll_axis  # 0: x, 1: y

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        modifiers = ev.modifiers()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(ev, axis=self._scroll_axis)
            return
        delta = ev.delta() if hasattr(ev, "delta") else ev.angleDelta().y()
        steps = -delta / 120.0 * 3
        low, high = self.viewRange()[self._scroll_axis]
        inverted = self._scroll_axis == 1 and self.yInverted()
        shift = steps if (inverted or self._scroll_axis == 0) else -steps
        if self._scroll_axis == 0:
            self.setXRange(low + shift, high + shift, padding=0)
        else:
            self.setYRange(low + shift, high + shift, padding=0)
        ev.accept()


def make_plot(category_side: str, scroll_axis: int, counts: bool = False) -> tuple[pg.PlotWidget, CategoryAxis]:
    """A white plot with a category axis on ``category_side`` ("left" or "bottom"); ``counts``
    gives the value axis whole-number ticks."""
    axis = CategoryAxis(category_side)
    view_box = ScrollingViewBox(scroll_axis, enableMenu=False)
    value_side = "bottom" if category_side == "left" else "left"
    axes: dict[str, pg.AxisItem] = {category_side: axis, value_side: (CountAxis if counts else ValueAxis)(value_side)}
    plot = pg.PlotWidget(background=BACKGROUND, viewBox=view_box, axisItems=axes)
    item = plot.getPlotItem()
    item.hideButtons()
    item.setMenuEnabled(False)
    value_axis = item.getAxis(value_side)
    value_axis.setPen(pg.mkPen("#8C8C8C"))
    value_axis.setTextPen(pg.mkPen(INK))
    value_axis.setStyle(tickFont=chart_font(8.5))
    item.showGrid(x=category_side == "left", y=category_side == "bottom", alpha=GRID_ALPHA)
    # An axis with a grid spans the whole plot, so every bar update repainted its labels (about
    # 2 ms per axis); cached as a pixmap it is redrawn only when its ticks change.
    for side in ("left", "bottom", "right", "top"):
        item.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.setMinimumSize(120, 100)
    plot.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return plot, axis


def set_value_title(plot: pg.PlotWidget, text: str) -> None:
    """Title of the value axis (the one without categories), with its unit."""
    item = plot.getPlotItem()
    side = "bottom" if isinstance(item.getAxis("left"), CategoryAxis) else "left"
    item.setLabel(side, text, color=MUTED, **{"font-size": "8.5pt"})


def attach_menu(plot: pg.PlotWidget, spec_name: Callable[[], str], factory: MenuFactory | None) -> None:
    """Right-click on the plot offers the briefing's Copy chart / Export chart for ``spec_name``."""
    def show(position: QPoint) -> None:
        if factory is None:
            return
        menu = factory(spec_name(), plot)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(plot.mapToGlobal(position))

    plot.customContextMenuRequested.connect(show)


def title_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setStyleSheet(f"color: {INK};")
    return label


def legend_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setStyleSheet(f"color: {MUTED};")
    return label


def option_combo(parent: QWidget, choices: dict[str, str], current: str, tooltip: str) -> QComboBox:
    combo = QComboBox(parent)
    for value, text in choices.items():
        combo.addItem(text, value)
    position = combo.findData(current)
    combo.setCurrentIndex(max(position, 0))
    combo.setToolTip(tooltip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    return combo
