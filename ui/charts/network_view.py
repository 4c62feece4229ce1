"""Network view: headline figures, capacity and population by state/type/status, utilization spread."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSplitter, QToolTip, QVBoxLayout, QWidget

from models.chart_data import (
    BASIS_LABELS,
    GROUP_LABELS,
    GroupFigures,
    HistogramFigures,
    group_figures,
    headline_items,
    histogram_figures,
    network_figures,
)
from models.summary import GROUP_KEYS, NetworkTotals
from ui.charts.bars import update_bars
from ui.charts.feed import ChartFeed
from ui.charts.plot_parts import (
    MenuFactory,
    attach_menu,
    legend_label,
    make_plot,
    option_combo,
    set_value_title,
    title_label,
)
from ui.charts.theme import (
    BAND_FILL,
    BAND_TEXT,
    CAPACITY_FILL,
    MUTED,
    POPULATION_FILL,
    TONE_TEXT,
    swatch,
)
from ui.settings import Settings

_PAIR_WIDTH = 0.38


class NetworkView(QWidget):
    """Everything here follows the table's filter, like the facility chart."""

    def __init__(self, feed: ChartFeed, settings: Settings | None = None, menu_factory: MenuFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self._feed = feed
        self._settings = settings
        stored = settings.value("charts/group") if settings is not None else None
        self._group_key = str(stored) if stored in GROUP_KEYS else "state"
        self.totals: NetworkTotals | None = None
        self.groups: GroupFigures | None = None
        self.histogram: HistogramFigures | None = None
        self.redraw_count = 0

        self.title = title_label(self)
        self.title.setObjectName("networkTitle")
        self.figure_labels: dict[str, QLabel] = {}
        figures_box = QWidget(self)
        self._figures_grid = QGridLayout(figures_box)
        self._figures_grid.setContentsMargins(0, 0, 0, 0)
        self._figures_grid.setHorizontalSpacing(14)
        self._figures_grid.setVerticalSpacing(6)
        self._figures_grid.setRowStretch(4, 1)

        self.group_combo = option_combo(self, GROUP_LABELS, self._group_key, "Group the bars by")
        self.group_title = title_label(self)
        self.group_legend = legend_label(self)
        self.group_legend.setText(
            swatch(CAPACITY_FILL, "Capacity") + "&nbsp;&nbsp; " + swatch(POPULATION_FILL, "Population")
        )
        self.group_plot, self.group_axis = make_plot("bottom", scroll_axis=0)
        set_value_title(self.group_plot, "Beds / people")
        group_item = self.group_plot.getPlotItem()
        self.group_view = group_item.getViewBox()
        self.group_view.setMouseEnabled(x=True, y=False)
        self.capacity_bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=_PAIR_WIDTH, brush=CAPACITY_FILL, pen=None)
        self.population_bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=_PAIR_WIDTH, brush=POPULATION_FILL, pen=None)
        group_item.addItem(self.capacity_bars)
        group_item.addItem(self.population_bars)

        self.histogram_title = title_label(self)
        self.histogram_legend = legend_label(self)
        self.histogram_legend.setText("&nbsp;&nbsp; ".join(swatch(BAND_FILL[b], BAND_TEXT[b]) for b in (2, 1, 0)))
        self.histogram_plot, self.histogram_axis = make_plot("bottom", scroll_axis=0, counts=True)
        set_value_title(self.histogram_plot, "Facilities")
        histogram_item = self.histogram_plot.getPlotItem()
        self.histogram_view = histogram_item.getViewBox()
        self.histogram_view.setMouseEnabled(x=False, y=False)
        self.histogram_bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8, brushes=[], pen=None)
        histogram_item.addItem(self.histogram_bars)
        self._histogram_brushes: tuple[int, ...] = ()

        group_panel = QWidget(self)
        group_layout = QVBoxLayout(group_panel)
        group_layout.setContentsMargins(0, 0, 0, 0)
        group_layout.setSpacing(2)
        header = QHBoxLayout()
        header.addWidget(self.group_title, 1)
        header.addWidget(QLabel("By:", self))
        header.addWidget(self.group_combo)
        group_layout.addLayout(header)
        group_layout.addWidget(self.group_legend)
        group_layout.addWidget(self.group_plot, 1)
        histogram_panel = QWidget(self)
        histogram_layout = QVBoxLayout(histogram_panel)
        histogram_layout.setContentsMargins(0, 0, 0, 0)
        histogram_layout.setSpacing(2)
        histogram_layout.addWidget(self.histogram_title)
        histogram_layout.addWidget(self.histogram_legend)
        histogram_layout.addWidget(self.histogram_plot, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(figures_box)
        self.splitter.addWidget(group_panel)
        self.splitter.addWidget(histogram_panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.splitter, 1)

        self.group_combo.currentIndexChanged.connect(lambda _i: self.set_group_key(self.group_combo.currentData()))
        feed.updated.connect(self.refresh)
        self.group_plot.scene().sigMouseMoved.connect(self._on_group_scene_mouse_moved)
        attach_menu(self.group_plot, lambda: "states", menu_factory)
        attach_menu(self.histogram_plot, lambda: "utilization", menu_factory)
        figures_box.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        if menu_factory is not None:
            figures_box.customContextMenuRequested.connect(
                lambda pos: menu_factory("headline", figures_box).popup(figures_box.mapToGlobal(pos))
            )
        self._last_group_labels: tuple[str, ...] = ()
        self.refresh(frozenset())

    def sizeHint(self) -> QSize:
        return QSize(900, 270)

    @property
    def group_key(self) -> str:
        return self._group_key

    def set_group_key(self, key: str) -> None:
        if key not in GROUP_KEYS or key == self._group_key:
            return
        self._group_key = key
        self.group_combo.setCurrentIndex(self.group_combo.findData(key))
        if self._settings is not None:
            self._settings.set_value("charts/group", key)
        self._last_group_labels = ()
        self.refresh(frozenset())

    def refresh(self, _what: frozenset[str] = frozenset()) -> None:
        feed = self._feed
        rows = feed.visible_rows
        basis = feed.basis
        self.totals = totals = network_figures(feed.columns, rows, basis, feed.today, feed.future)
        self.groups = groups = group_figures(feed.columns, self._group_key, rows, basis,
                                             feed.group_codes(self._group_key), feed.today)
        self.histogram = histogram = histogram_figures(feed.utilization()[rows])
        self._show_headline(totals, bool(len(rows)) and not np.all(np.isnan(feed.columns.surge[rows])))
        self._show_groups(groups)
        self._show_histogram(histogram)
        self.title.setText(
            f"<b>Network</b> — {feed.subset_title()}<br>"
            f"<span style='color:{MUTED}'>Utilization against {BASIS_LABELS[basis]}</span>"
        )
        self.redraw_count += 1

    def _show_headline(self, totals: NetworkTotals, surge_known: bool) -> None:
        for index, (caption, value, tone) in enumerate(headline_items(totals, surge_known)):
            label = self.figure_labels.get(str(index))
            if label is None:
                label = QLabel(self)
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setObjectName(f"networkFigure{index}")
                self._figures_grid.addWidget(label, index // 2, index % 2)
                self.figure_labels[str(index)] = label
            label.setText(
                f"<span style='color:{MUTED}; font-size:8.5pt'>{caption}</span><br>"
                f"<span style='color:{TONE_TEXT.get(tone, TONE_TEXT[''])}; font-size:13pt; font-weight:600'>{value}</span>"
            )

    def _show_groups(self, groups: GroupFigures) -> None:
        count = len(groups.labels)
        positions = np.arange(count, dtype=np.float64)
        update_bars(self.capacity_bars, x=positions - _PAIR_WIDTH / 2, height=groups.capacity)
        update_bars(self.population_bars, x=positions + _PAIR_WIDTH / 2, height=groups.population)
        if groups.labels != self._last_group_labels:
            self._last_group_labels = groups.labels
            labels = groups.labels
            widest = max((self.group_axis.measure(label) for label in labels), default=20)
            self.group_axis.set_categories(count, lambda i: labels[i] if 0 <= i < len(labels) else "", min(widest, 90))
            self.group_view.setLimits(xMin=-0.7, xMax=max(count, 1) - 0.3, maxXRange=max(count, 1) + 0.4, minXRange=2)
            self.group_view.setXRange(-0.7, max(count, 1) - 0.3, padding=0)
        top = max(float(np.max(groups.capacity, initial=0.0)), float(np.max(groups.population, initial=0.0)), 1.0)
        _fit_height(self.group_view, top * 1.08)
        dimension = GROUP_LABELS[groups.key].lower()
        scope = "operational facilities' capacity" if groups.today_only else "capacity of each status"
        self.group_title.setText(f"<b>Capacity and population by {dimension}</b> "
                                 f"<span style='color:{MUTED}'>({scope})</span>")

    def group_tooltip(self, position: int) -> str:
        """Capacity, population, utilization and facilities of the group at ``position``."""
        groups = self.groups
        if groups is None or not 0 <= position < len(groups.labels):
            return ""
        capacity = float(groups.capacity[position])
        population = float(groups.population[position])
        utilization = f"{population / capacity:.1%}" if capacity > 0 else "unknown"
        count = int(groups.facilities[position])
        basis = "operational facilities" if groups.today_only else "all facilities"
        return (f"{GROUP_LABELS[groups.key]}: {groups.labels[position]}\n"
                f"{count:,} facilit{'y' if count == 1 else 'ies'}\n"
                f"Capacity ({basis}): {capacity:,.0f} beds\nPopulation: {population:,.0f}\n"
                f"Utilization: {utilization}")

    def _on_group_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.group_view.sceneBoundingRect().contains(scene_pos):
            QToolTip.hideText()
            return
        position = int(round(self.group_view.mapSceneToView(scene_pos).x()))
        text = self.group_tooltip(position)
        if not text:
            QToolTip.hideText()
            return
        QToolTip.showText(self.group_plot.mapToGlobal(self.group_plot.mapFromScene(scene_pos)), text, self.group_plot)

    def _show_histogram(self, histogram: HistogramFigures) -> None:
        count = len(histogram.labels)
        positions = np.arange(count, dtype=np.float64)
        heights = histogram.counts.astype(np.float64)
        if histogram.bands == self._histogram_brushes:
            update_bars(self.histogram_bars, x=positions, height=heights)
        else:
            self.histogram_bars.setOpts(x=positions, height=heights,
                                        brushes=[BAND_FILL[band] for band in histogram.bands])
            self._histogram_brushes = histogram.bands
            labels = histogram.labels
            widest = max(self.histogram_axis.measure(label) for label in labels)
            self.histogram_axis.set_categories(count, lambda i: labels[i] if 0 <= i < len(labels) else "", widest)
            self.histogram_view.setXRange(-0.6, count - 0.4, padding=0)
        _fit_height(self.histogram_view, max(1, int(histogram.counts.max(initial=0))) * 1.1)
        unknown = histogram.facilities - histogram.known
        note = f" · {unknown:,} without a utilization" if unknown else ""
        self.histogram_title.setText(f"<b>Facilities by utilization</b> "
                                     f"<span style='color:{MUTED}'>({histogram.known:,} facilities{note})</span>")


def _fit_height(view: pg.ViewBox, top: float) -> None:
    """Value range 0…top, changed only when bars would overflow or use under 60% of the height:
    a steady axis while typing, and no axis redraw on every edit."""
    current = view.viewRange()[1][1]
    if top > current or top < 0.6 * current:
        view.setYRange(0, top, padding=0)
