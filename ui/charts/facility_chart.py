"""Facility chart: one horizontal bar per facility in view, population against capacity, by band."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollBar, QToolTip, QVBoxLayout, QWidget

from models.chart_data import (
    BAND_NEAR,
    BAND_OK,
    BAND_OVER,
    BAND_UNKNOWN,
    BASIS_LABELS,
    SORT_KEYS,
    SORT_LABELS,
    FacilityFigures,
    facility_figures,
    facility_tooltip,
)
from ui.charts.bars import VisibleBars, update_bars
from ui.charts.feed import ALL, NUMBERS, VIEW, ChartFeed
from ui.charts.plot_parts import (
    MenuFactory,
    attach_menu,
    legend_label,
    make_plot,
    option_combo,
    set_value_title,
    title_label,
)
from ui.charts.theme import BAND_FILL, BAND_TEXT, CAPACITY_OUTLINE, HIGHLIGHT, MUTED, REFERENCE, swatch
from ui.flow_layout import FlowLayout
from ui.settings import Settings

SCALES = {"beds": "Beds", "percent": "% of capacity"}
VALUE_TITLES = {"beds": "People held (bars) and capacity (outlines), beds", "percent": "Utilization, % of capacity"}
BAR_HEIGHT = 0.72
_BANDS = (BAND_OVER, BAND_NEAR, BAND_OK, BAND_UNKNOWN)
#: Space for facility names left of the bars.
LABEL_WIDTH = 170
#: Pixels per bar when the chart opens or is resized (labels need about 15).
ROW_PITCH = 17
#: Thickest bar pitch, for plans of a handful of facilities.
MAX_PITCH = 34


def _finite(values: np.ndarray) -> np.ndarray:
    """Unknown (NaN) as 0 for drawing; cheaper than np.nan_to_num on every edit."""
    return np.where(np.isnan(values), 0.0, values)


class FacilityChart(QWidget):
    """Bars in chart order (sorted by the chosen key); the table's filter decides which appear."""

    facility_clicked = Signal(int, bool)  # plan row, add to the selection (Ctrl held)

    def __init__(self, feed: ChartFeed, settings: Settings | None = None, menu_factory: MenuFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facilityChart")
        self._feed = feed
        self._settings = settings
        self._sort = self._setting("sort", "utilization", SORT_KEYS)
        self._scale = self._setting("scale", "percent", tuple(SCALES))
        self.figures: FacilityFigures = facility_figures(feed.columns, np.zeros(0, dtype=np.int64), feed.basis, self._sort)
        self._position_of = np.zeros(0, dtype=np.int64)  # plan row -> bar position (-1 when absent)
        self._selected_rows = np.zeros(0, dtype=np.int64)
        self._x_max = 0.0
        self._syncing = False
        self._fresh_view = True
        self._auto_span = True
        #: Coalesced updates drawn (tests count these for bursts).
        self.redraw_count = 0

        self.title = title_label(self)
        self.title.setObjectName("facilityChartTitle")
        self.sort_combo = option_combo(self, SORT_LABELS, self._sort, "Order of the bars")
        self.scale_combo = option_combo(self, SCALES, self._scale, "Bars in beds (capacity outlined) or as % of capacity")
        self.scale_combo.setMinimumContentsLength(11)
        self.basis_combo = option_combo(
            self, {"operational": "Operational", "rated": "Rated"}, feed.basis,
            "Capacity that utilization is measured against: operational (rated where unknown) or rated",
        )
        self.legend = legend_label(self)
        self.plot, self.axis = make_plot("left", scroll_axis=1)
        set_value_title(self.plot, VALUE_TITLES[self._scale])
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)

        options = FlowLayout(spacing=10)
        options.setContentsMargins(0, 0, 0, 0)
        for caption, combo in (("Sort", self.sort_combo), ("Show", self.scale_combo), ("Capacity", self.basis_combo)):
            pair = QWidget(self)
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.setSpacing(4)
            pair_layout.addWidget(QLabel(caption + ":", pair))
            combo.setParent(pair)
            pair_layout.addWidget(combo)
            options.addWidget(pair)
        plot_row = QHBoxLayout()
        plot_row.setContentsMargins(0, 0, 0, 0)
        plot_row.setSpacing(0)
        plot_row.addWidget(self.plot, 1)
        plot_row.addWidget(self.scrollbar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(options)
        layout.addWidget(self.legend)
        layout.addLayout(plot_row, 1)

        item = self.plot.getPlotItem()
        self.view_box = item.getViewBox()
        self.view_box.invertY(True)
        self.view_box.setMouseEnabled(x=False, y=True)
        self.axis.setWidth(LABEL_WIDTH)
        self.bars = {
            band: VisibleBars(1, x0=0, y=np.zeros(0), height=BAR_HEIGHT, width=np.zeros(0),
                               brush=BAND_FILL[band], pen=None)
            for band in _BANDS
        }
        self.capacity_item = VisibleBars(1, x0=0, y=np.zeros(0), height=BAR_HEIGHT, width=np.zeros(0),
                                             brush=None, pen=pg.mkPen(CAPACITY_OUTLINE, width=1.2))
        self.highlight_item = VisibleBars(1, x0=0, y=np.zeros(0), height=0.96, width=np.zeros(0), brush=None,
                                              pen=pg.mkPen(HIGHLIGHT, width=3))
        self.reference = pg.InfiniteLine(pos=100, angle=90, pen=pg.mkPen(REFERENCE, width=1.5, style=Qt.PenStyle.DashLine))
        for band in _BANDS:
            item.addItem(self.bars[band])
        item.addItem(self.capacity_item)
        item.addItem(self.highlight_item)
        item.addItem(self.reference, ignoreBounds=True)
        self.highlight_item.setZValue(5)
        self.capacity_item.setZValue(2)

        self.sort_combo.currentIndexChanged.connect(lambda _i: self.set_sort(self.sort_combo.currentData()))
        self.scale_combo.currentIndexChanged.connect(lambda _i: self.set_scale(self.scale_combo.currentData()))
        self.basis_combo.currentIndexChanged.connect(lambda _i: feed.set_basis(self.basis_combo.currentData()))
        feed.basis_changed.connect(self._on_feed_basis_changed)
        feed.updated.connect(self._on_feed_updated)
        self.view_box.sigYRangeChanged.connect(self._on_view_y_changed)
        self.view_box.sigResized.connect(self._on_view_resized)
        self.scrollbar.valueChanged.connect(self._on_scrollbar_value_changed)
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_scene_mouse_moved)
        scene.sigMouseClicked.connect(self._on_scene_mouse_clicked)
        attach_menu(self.plot, lambda: "facilities", menu_factory)
        self.refresh(frozenset({ALL}))

    def sizeHint(self) -> QSize:
        return QSize(440, 640)

    # -- options ---------------------------------------------------------------------------------
    def _setting(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self._settings.value(f"charts/{name}") if self._settings is not None else None
        return str(value) if value in allowed else default

    def _remember(self, name: str, value: str) -> None:
        if self._settings is not None:
            self._settings.set_value(f"charts/{name}", value)

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def scale(self) -> str:
        return self._scale

    def set_sort(self, key: str) -> None:
        if key not in SORT_KEYS or key == self._sort:
            return
        self._sort = key
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(key))
        self._remember("sort", key)
        self._fresh_view = True
        self.refresh(frozenset({VIEW}))

    def set_scale(self, scale: str) -> None:
        if scale not in SCALES or scale == self._scale:
            return
        self._scale = scale
        self.scale_combo.setCurrentIndex(self.scale_combo.findData(scale))
        set_value_title(self.plot, VALUE_TITLES[scale])
        self._remember("scale", scale)
        self._x_max = 0.0
        self.refresh(frozenset({VIEW}))

    def _on_feed_basis_changed(self, basis: str) -> None:
        self.basis_combo.setCurrentIndex(self.basis_combo.findData(basis))
        self._remember("basis", basis)

    # -- drawing ---------------------------------------------------------------------------------
    def _on_feed_updated(self, what: frozenset[str]) -> None:
        self.refresh(what)

    def values(self) -> np.ndarray:
        """Bar lengths in chart order: people held, or utilization in percent."""
        figures = self.figures
        return figures.population if self._scale == "beds" else figures.utilization * 100.0

    def refresh(self, what: frozenset[str]) -> None:
        """Recompute the bars from the feed and update the items created once in ``__init__``."""
        feed = self._feed
        previous = self.figures.rows
        # By name, an edit of numbers cannot move a bar: keep the order instead of sorting again.
        # The same facilities as last time (no filter, sort or row change): re-sort from their
        # previous order, which is nearly sorted after an edit.
        same_rows = not (what & {VIEW, ALL}) and len(previous) == len(feed.visible_rows)
        keep = same_rows and self._sort == "name" and not (what - {NUMBERS})
        self.figures = figures = facility_figures(feed.columns, feed.visible_rows, feed.basis, self._sort,
                                                  feed.utilization(), previous if keep else None,
                                                  previous if same_rows else None)
        count = len(figures)
        positions = np.arange(count, dtype=np.float64)
        lengths = _finite(self.values())
        for band, item in self.bars.items():
            mask = figures.bands == band
            if band == BAND_UNKNOWN:
                # Unknown utilization: a thin grey stub so the facility is still visible and clickable.
                widths = np.where(np.isnan(figures.population), 0.0, figures.population) if self._scale == "beds" else lengths
                update_bars(item, y=positions[mask], width=np.maximum(widths[mask], 0.0))
            else:
                update_bars(item, y=positions[mask], width=lengths[mask])
        beds = self._scale == "beds"
        self.capacity_item.setVisible(beds)
        self.reference.setVisible(not beds)
        if beds:
            update_bars(self.capacity_item, y=positions, width=_finite(figures.capacity))
        order_changed = what & {ALL, VIEW} or len(previous) != count or not np.array_equal(previous, figures.rows)
        if order_changed:
            self._position_of = np.full(len(feed.columns), -1, dtype=np.int64)
            self._position_of[figures.rows] = np.arange(count)
            self.axis.set_categories(count, self._label_at)
            self._update_highlight()
        elif len(self._selected_rows):
            self._update_highlight()
        self._update_ranges(count)
        self._update_texts()
        self.redraw_count += 1

    def _label_at(self, position: int) -> str:
        rows = self.figures.rows
        return self._feed.columns.labels(rows[position : position + 1])[0] if 0 <= position < len(rows) else ""

    def _update_ranges(self, count: int) -> None:
        span = self._span(count)
        end = max(float(count), span) - 0.4
        self.view_box.setLimits(yMin=-0.6, yMax=end, maxYRange=end + 0.6, minYRange=2.5)
        if self._fresh_view:
            self._fresh_view = False
            self.view_box.setYRange(-0.6, span - 0.6, padding=0)
            self._auto_span = True
        self._fit_values()
        self._sync_scrollbar()

    def _fit_values(self) -> None:
        """Scale the value axis to the bars in view, so one 30,000-bed site far down the list
        does not flatten every other bar; steady while typing (rescales only on overflow or when
        the bars would use less than 60% of the width)."""
        low, high = sorted(self.view_box.viewRange()[1])
        first = max(0, int(np.ceil(low - 0.5)))
        last = min(len(self.figures), int(np.floor(high + 0.5)) + 1)
        extent = [1.0]
        if last > first:
            shown = self.values()[first:last]
            if self._scale == "beds":
                shown = np.concatenate([shown, self.figures.capacity[first:last]])
            known = shown[~np.isnan(shown)]
            if len(known):
                extent.append(float(known.max()))
        if self._scale == "percent":
            extent.append(110.0)
        x_max = max(extent) * 1.06
        if x_max > self._x_max or x_max < 0.6 * self._x_max:
            self._x_max = x_max
            self.view_box.setXRange(0, x_max, padding=0)

    def _rows_that_fit(self) -> int:
        height = self.view_box.height() if self.view_box.height() > 10 else 400
        return max(5, int(height / ROW_PITCH))

    def _span(self, count: int) -> float:
        """Bars shown at once: as many as fit at the reading pitch; a few facilities get thicker
        bars, but never so thick that five bars fill a tall panel."""
        height = self.view_box.height() if self.view_box.height() > 10 else 400
        return float(min(max(count, int(height / MAX_PITCH), 1), self._rows_that_fit()))

    def _on_view_resized(self, *_args: Any) -> None:
        # Keep the top bar where it is and show as many bars as now fit at a readable pitch,
        # unless the analyst zoomed (then the zoom stays).
        if not self._auto_span:
            return
        low = min(self.view_box.viewRange()[1])
        count = len(self.figures)
        span = self._span(count)
        low = max(-0.6, min(low, count - span - 0.4))
        self.view_box.setYRange(low, low + span, padding=0)

    def _update_texts(self) -> None:
        figures = self.figures
        sort = SORT_LABELS[self._sort].lower()
        basis = BASIS_LABELS[self._feed.basis]
        known = int(np.count_nonzero(figures.bands != BAND_UNKNOWN))
        unknown = len(figures) - known
        scope = self._feed.subset_title()
        note = f" · {unknown:,} without a utilization at the end" if unknown else ""
        self.title.setText(
            f"<b>Facilities by {sort}</b> — {scope}<br>"
            f"<span style='color:{MUTED}'>Utilization against {basis}{note}</span>"
        )
        entries = [swatch(BAND_FILL[band], BAND_TEXT[band]) for band in (BAND_OVER, BAND_NEAR, BAND_OK)]
        if unknown:
            entries.append(swatch(BAND_FILL[BAND_UNKNOWN], BAND_TEXT[BAND_UNKNOWN]))
        if self._scale == "beds":
            entries.append(swatch(CAPACITY_OUTLINE, "Capacity (100%)", outline=True))
        else:
            entries.append(f"<span style='color:{REFERENCE}'>┆</span>&nbsp;100% of capacity")
        if len(self._selected_rows):
            entries.append(swatch(HIGHLIGHT, "Selected in the table", outline=True))
        self.legend.setText("&nbsp;&nbsp; ".join(entries))

    # -- selection -------------------------------------------------------------------------------
    def set_selected_rows(self, plan_rows: np.ndarray) -> None:
        """Outline the bars of these plan rows (the table's selection)."""
        had = len(self._selected_rows) > 0
        self._selected_rows = np.asarray(plan_rows, dtype=np.int64)
        self._update_highlight()
        if had != (len(self._selected_rows) > 0):
            self._update_texts()

    def highlighted_positions(self) -> np.ndarray:
        """Bar positions currently outlined, sorted."""
        opts = self.highlight_item.opts
        return np.sort(np.asarray(opts.get("y"), dtype=np.int64))

    def _update_highlight(self) -> None:
        rows = self._selected_rows
        rows = rows[(rows >= 0) & (rows < len(self._position_of))]
        positions = self._position_of[rows]
        positions = np.sort(positions[positions >= 0])  # ascending, as VisibleBars needs
        if len(positions):
            lengths = _finite(self.values()[positions])
            if self._scale == "beds":
                lengths = np.maximum(lengths, _finite(self.figures.capacity[positions]))
            widths = np.maximum(lengths, self._x_max * 0.01)
        else:
            widths = np.zeros(0)
        update_bars(self.highlight_item, y=positions.astype(np.float64), width=widths)

    def scroll_to_plan_row(self, plan_row: int) -> None:
        if 0 <= plan_row < len(self._position_of) and self._position_of[plan_row] >= 0:
            self.scroll_to_position(int(self._position_of[plan_row]))

    def scroll_to_position(self, position: int) -> None:
        low, high = self.view_box.viewRange()[1]
        if low <= position <= high:
            return
        span = high - low
        start = max(-0.6, position - span / 2)
        self.view_box.setYRange(start, start + span, padding=0)

    # -- scrolling -------------------------------------------------------------------------------
    def _sync_scrollbar(self) -> None:
        low, high = self.view_box.viewRange()[1]
        count = len(self.figures)
        span = max(1, int(round(high - low)))
        self._syncing = True
        try:
            self.scrollbar.setRange(0, max(0, count - span))
            self.scrollbar.setPageStep(span)
            self.scrollbar.setValue(int(round(low + 0.6)))
            self.scrollbar.setVisible(count > span)
        finally:
            self._syncing = False

    def _on_view_y_changed(self, *_args: Any) -> None:
        low, high = self.view_box.viewRange()[1]
        if abs((high - low) - self._span(len(self.figures))) > 0.5:
            self._auto_span = False  # zoomed in or out
        self._fit_values()
        if not self._syncing:
            self._sync_scrollbar()

    def _on_scrollbar_value_changed(self, value: int) -> None:
        if self._syncing:
            return
        low, high = self.view_box.viewRange()[1]
        span = high - low
        self._syncing = True
        try:
            self.view_box.setYRange(value - 0.6, value - 0.6 + span, padding=0)
        finally:
            self._syncing = False

    # -- pointer ---------------------------------------------------------------------------------
    def position_at(self, scene_pos: QPointF) -> int:
        """Bar position under a scene point, or -1."""
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            return -1
        point = self.view_box.mapSceneToView(scene_pos)
        position = int(round(point.y()))
        if 0 <= position < len(self.figures) and abs(point.y() - position) <= 0.5:
            return position
        return -1

    def tooltip_at(self, position: int) -> str:
        if not 0 <= position < len(self.figures):
            return ""
        return facility_tooltip(self._feed.columns, int(self.figures.rows[position]), self._feed.basis)

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        position = self.position_at(scene_pos)
        if position < 0:
            QToolTip.hideText()
            return
        global_pos = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, self.tooltip_at(position), self.plot)

    def _on_scene_mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        position = self.position_at(event.scenePos())
        if position >= 0:
            additive = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            self.facility_clicked.emit(int(self.figures.rows[position]), additive)
