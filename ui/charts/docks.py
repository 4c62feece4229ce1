"""Chart docks in the main window, and the links between the charts and the table's selection."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QTableView

from ui.charts.facility_chart import FacilityChart
from ui.charts.feed import NUMBERS, TEXT, ChartFeed
from ui.charts.network_view import NetworkView
from ui.charts.plot_parts import MenuFactory
from ui.settings import Settings
from ui.table_model import FacilityTableModel


class ChartDocks(QObject):
    """Owns the feed and the two chart docks; keeps chart highlights and table selection in step."""

    def __init__(self, window: QMainWindow, table: QTableView, model: FacilityTableModel, settings: Settings,
                 menu_factory: MenuFactory | None, view_menu: QMenu | None) -> None:
        super().__init__(window)
        self._table = table
        self._model = model
        stored = settings.value("charts/basis")
        self.feed = ChartFeed(model, str(stored) if stored in ("operational", "rated") else "operational", self)
        self.facility_chart = FacilityChart(self.feed, settings, menu_factory)
        self.network_view = NetworkView(self.feed, settings, menu_factory)
        self.facility_dock = self._dock(window, "Facility chart", "facilityChartDock", self.facility_chart)
        self.network_dock = self._dock(window, "Network", "networkDock", self.network_view)
        # The facility chart takes the full height on the right; the network view sits under the table.
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        window.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.facility_dock)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.network_dock)
        if settings.window_state is None:
            # First launch: give the table most of the room (docks otherwise take half the window).
            QTimer.singleShot(0, self, self.default_sizes)
        if view_menu is not None:
            view_menu.addAction(self.facility_dock.toggleViewAction())
            view_menu.addAction(self.network_dock.toggleViewAction())
        self.facility_chart.facility_clicked.connect(self._on_facility_chart_facility_clicked)
        # Selection changes come in bursts too (drag-selecting); highlight once per burst.
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self.sync_highlight)
        table.selectionModel().selectionChanged.connect(lambda *_: self._selection_timer.start())
        # Filter, sort or row changes move rows in the table: map the selection again.
        self.feed.updated.connect(lambda what: self._selection_timer.start() if what - {NUMBERS, TEXT} else None)

    @staticmethod
    def _dock(window: QMainWindow, title: str, name: str, widget: FacilityChart | NetworkView) -> QDockWidget:
        dock = QDockWidget(title, window)
        dock.setObjectName(name)  # saveState/restoreState find docks by object name
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        return dock

    def share_bottom_area(self) -> None:
        """Tab the network view with other docks under the table (call once every dock exists):
        side by side their minimum widths add up and push the window past a 1280-pixel screen.
        A saved dock layout, restored afterwards, still wins."""
        window = self.parent()
        if not isinstance(window, QMainWindow):
            return
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        others = [dock for dock in window.findChildren(QDockWidget)
                  if dock not in (self.facility_dock, self.network_dock)
                  and window.dockWidgetArea(dock) == bottom and not dock.isFloating()]
        if others:
            window.tabifyDockWidget(others[0], self.network_dock)
            self.network_dock.raise_()

    def default_sizes(self) -> None:
        window = self.parent()
        if isinstance(window, QMainWindow):
            width = max(360, min(520, window.width() // 3))
            height = max(220, min(330, window.height() // 3))
            window.resizeDocks([self.facility_dock], [width], Qt.Orientation.Horizontal)
            window.resizeDocks([self.network_dock], [height], Qt.Orientation.Vertical)

    def selected_plan_rows(self) -> np.ndarray:
        """Plan rows with any selected cell, from the selection's ranges (not per index)."""
        selection_model = self._table.selectionModel()
        if selection_model is None:
            return np.zeros(0, dtype=np.int64)
        order = self._model.visible_plan_rows()
        selection = selection_model.selection()
        ranges = [selection.at(i) for i in range(selection.size())]
        pieces = [np.arange(r.top(), r.bottom() + 1) for r in ranges if r.isValid()]
        if not pieces:
            return np.zeros(0, dtype=np.int64)
        views = np.unique(np.concatenate(pieces))
        views = views[views < len(order)]
        return order[views]

    def sync_highlight(self) -> None:
        rows = self.selected_plan_rows()
        self.facility_chart.set_selected_rows(rows)
        if len(rows) == 1:
            # One facility picked in the table: bring its bar into view too.
            self.facility_chart.scroll_to_plan_row(int(rows[0]))

    def _on_facility_chart_facility_clicked(self, plan_row: int, additive: bool) -> None:
        view = self._model.view_row(plan_row)
        if view < 0:
            return
        model = self._model
        first = model.index(view, 0)
        last = model.index(view, model.columnCount() - 1)
        flags = QItemSelectionModel.SelectionFlag.Select if additive else QItemSelectionModel.SelectionFlag.ClearAndSelect
        selection_model = self._table.selectionModel()
        selection_model.select(QItemSelection(first, last), flags)
        name_column = 1
        selection_model.setCurrentIndex(model.index(view, name_column), QItemSelectionModel.SelectionFlag.NoUpdate)
        self._table.scrollTo(model.index(view, name_column), QTableView.ScrollHint.PositionAtCenter)
