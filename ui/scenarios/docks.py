"""The scenario docks of the main window: scenarios (editor, charts, results) and capacity changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.importing.pipeline import Source
from models.occupancy_history import HistorySource, merge_history
from models.scenario_data import status_on
from models.schema import Status
from ui import dialogs
from ui.briefing.actions import BriefingActions
from ui.controller import PlanController
from ui.import_task import read_with_progress
from ui.scenarios import history_import
from ui.scenarios.changes_model import CapacityChangesModel
from ui.scenarios.charts import CapacityChart, ProjectionChart
from ui.scenarios.editor import ScenarioEditor
from ui.scenarios.results import ResultsTable, explanation_label
from ui.scenarios.state import ScenarioState

HISTORY_FILTER = "Spreadsheets and CSV (*.xlsx *.xlsm *.csv *.txt);;All files (*)"


class CapacityChangesPanel(QWidget):
    """The capacity changes table with Add and Delete; every edit is one undo step."""

    def __init__(self, model: CapacityChangesModel, controller: PlanController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add change", self)
        self.delete_button = QPushButton("Delete changes", self)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.view = QTableView(self)
        self.view.setObjectName("capacityChangesTable")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        metrics = self.view.horizontalHeader().fontMetrics()
        for column, width in enumerate((80, 100, 95, 80, 80, 90, 120, 360)):
            header = str(model.headerData(column, Qt.Orientation.Horizontal))
            self.view.setColumnWidth(column, max(width, int(metrics.horizontalAdvance(header) * 1.15) + 24))
        layout.addWidget(self.view, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(QLabel("Status on", self))
        self.status_date = QDateEdit(self)
        self.status_date.setCalendarPopup(True)
        self.status_date.setDisplayFormat("yyyy-MM-dd")
        as_of = controller.plan.meta.as_of or dt.date.today()
        self.status_date.setDate(QDate(as_of.year, as_of.month, as_of.day))
        status_row.addWidget(self.status_date)
        self.status_summary = QLabel(self)
        self.status_summary.setObjectName("statusOnDate")
        self.status_summary.setWordWrap(True)
        status_row.addWidget(self.status_summary, 1)
        layout.addLayout(status_row)
        self.status_date.dateChanged.connect(self.refresh_status)
        model.state.projections_changed.connect(self.refresh_status)
        self.add_button.clicked.connect(self.add_change)
        self.delete_button.clicked.connect(self.delete_selected)

    def refresh_status(self) -> None:
        """Facilities by status and network beds on the chosen date, every planned change included."""
        state = self.model.state
        day = self.status_date.date().toPython()
        assert isinstance(day, dt.date)
        try:
            table = status_on(state.plan, state.data, day, state.context())
        except ValueError as error:
            self.status_summary.setText(str(error))
            return
        counts = table["status"].value_counts()
        parts = [f"{int(counts.get(status.value, 0)):,} {status.value}" for status in Status if counts.get(status.value, 0)]
        self.status_summary.setText(
            f"{' · '.join(parts)} — beds: rated {table['rated'].sum():,.0f}, operational "
            f"{table['operational'].sum():,.0f}, with surge {table['operational'].sum() + table['surge'].sum():,.0f}"
        )

    def add_change(self) -> None:
        """A new 'open' change for the facility selected in the main table (else the first one)."""
        rows = self._controller.selected_plan_rows()
        plan = self._controller.plan
        if plan.row_count == 0:
            return
        facility = plan.value(rows[0] if rows else 0, "id") or ""
        self.model.add_change(str(facility), plan.meta.as_of or dt.date.today())

    def delete_selected(self) -> None:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        self.model.remove_rows(rows)


#: Widgets of the Scenarios dock that are built when it is first shown (or first asked for).
_BODY = frozenset({"editor", "projection_chart", "capacity_chart", "results", "legend", "charts",
                   "follow_selection", "explanation"})


class ScenarioDocks:
    """Builds the two docks, wires them to the controller, and adds their toggles to the View menu.

    The Scenarios dock starts behind another tab, so its editor, charts and results (about 0.2 s of
    the launch, measured) are built the first time the dock is shown, or when code asks for one.
    """

    def __init__(self, window: QMainWindow, controller: PlanController, view_menu: object | None = None) -> None:
        self.state = ScenarioState(lambda: controller.plan, controller.undo_stack, window)
        controller.plan_replaced.connect(self.state.reload)
        controller.model.plan_changed.connect(self.state.plan_edited)
        self._window = window
        self._controller = controller
        self._body_built = False
        table = getattr(window, "table", None)
        self._table = table if isinstance(table, QTableView) else None

        self.scenarios_dock = QDockWidget("Scenarios", window)
        self.scenarios_dock.setObjectName("scenariosDock")
        self.scenarios_dock.setWidget(QWidget())
        self.scenarios_dock.visibilityChanged.connect(self._on_dock_visibility)

        self.changes_model = CapacityChangesModel(self.state, window)
        self.changes_model.edit_rejected.connect(controller.status_message)
        self.changes_panel = CapacityChangesPanel(self.changes_model, controller)
        self.changes_dock = QDockWidget("Capacity changes", window)
        self.changes_dock.setObjectName("capacityChangesDock")
        self.changes_dock.setWidget(self.changes_panel)

        self.import_history_action = QAction("Import population &history…", window)
        self.import_history_action.setToolTip("Add actual population by date, per facility or for the network, from a CSV or workbook")
        self.import_history_action.triggered.connect(lambda _checked=False: self.import_history())
        file_menu = getattr(window, "file_menu", None)
        recent = getattr(window, "recent_menu", None)
        if file_menu is not None:
            # Beside Open and Open Recent: bringing data in, not saving or exporting it.
            entries = file_menu.actions()
            anchor = recent.menuAction() if recent is not None else None
            position = entries.index(anchor) + 1 if anchor in entries else len(entries)
            file_menu.insertAction(entries[position] if position < len(entries) else None, self.import_history_action)

        importer = getattr(window, "importer", None)
        if importer is not None:  # the import wizard hands a history file over to this dock
            importer.history_handler = self.import_history_from

        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.scenarios_dock)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.changes_dock)
        window.tabifyDockWidget(self.changes_dock, self.scenarios_dock)
        self.scenarios_dock.raise_()
        # The facility table stays the main thing: the docks start at a bit under half the height,
        # measured once the window has its size (a restored dock layout then overrides this).
        QTimer.singleShot(0, window, lambda: window.resizeDocks(
            [self.scenarios_dock], [max(240, int(window.height() * 0.45))], Qt.Orientation.Vertical
        ))
        if view_menu is not None:
            view_menu.addAction(self.scenarios_dock.toggleViewAction())  # type: ignore[attr-defined]
            view_menu.addAction(self.changes_dock.toggleViewAction())  # type: ignore[attr-defined]

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any misspelt attribute
        def __getattr__(self, name: str) -> object:
            # Called only for attributes not set yet: the body's widgets before the dock was first shown.
            if name in _BODY and not self.__dict__.get("_body_built", True):
                self._build_body()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _on_dock_visibility(self, visible: bool) -> None:
        if visible:
            self._build_body()

    def _build_body(self) -> None:
        """The Scenarios dock's editor, projection and capacity charts, results and explanation."""
        if self._body_built:
            return
        self._body_built = True
        window, controller, state = self._window, self._controller, self.state
        if not state.projections and not state.projection_errors:
            state.schedule()  # shown before the launch-delayed first projection: project now
        self.editor = ScenarioEditor(state)
        self.projection_chart = ProjectionChart(state)
        self.capacity_chart = CapacityChart(state)
        self.results = ResultsTable(state)
        self.editor.selected.connect(self.projection_chart.select)
        self.editor.message.connect(controller.status_message)
        self.legend = QLabel()
        self.legend.setObjectName("projectionLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText(self.projection_chart.legend_html())
        self.projection_chart.legend_changed.connect(self.legend.setText)
        projection_page = QWidget()
        page_layout = QVBoxLayout(projection_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(2)
        page_layout.addWidget(self.projection_chart, 1)
        page_layout.addWidget(self.legend)
        self.charts = QTabWidget()
        self.charts.addTab(projection_page, "Projection")
        self.charts.addTab(self.results, "Compare scenarios")
        capacity_page = QWidget()
        capacity_layout = QVBoxLayout(capacity_page)
        capacity_layout.setContentsMargins(0, 0, 0, 0)
        self.follow_selection = QCheckBox("Show the facility selected in the table")
        capacity_layout.addWidget(self.follow_selection)
        capacity_layout.addWidget(self.capacity_chart, 1)
        self.charts.addTab(capacity_page, "Capacity over time")
        self.follow_selection.toggled.connect(lambda _on: self._follow_table())
        if self._table is not None and self._table.selectionModel() is not None:
            self._table.selectionModel().currentChanged.connect(lambda _now, _before: self._follow_table())
        self.explanation = explanation_label()
        self.charts.addTab(self.explanation, "How it is worked out")
        # The form scrolls rather than forcing the dock taller than the window can spare.
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setWidget(self.editor)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setMinimumWidth(self.editor.minimumSizeHint().width() + 24)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(editor_scroll)
        body.addWidget(self.charts)
        body.setStretchFactor(1, 1)
        body.setSizes([330, 1000])
        self.scenarios_dock.setWidget(body)

        briefing = getattr(window, "briefing", None)
        if briefing is not None:
            # Right-click on a scenario chart: copy it or export it in the briefing style.
            for chart, name in ((self.projection_chart, "projection"), (self.capacity_chart, "capacity")):
                chart.setMenuEnabled(False)
                chart.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                chart.customContextMenuRequested.connect(
                    lambda position, c=chart, n=name: self._show_chart_menu(briefing, c, n, position)
                )

    def _follow_table(self) -> None:
        """The capacity chart follows the facility at the table's current row while the box is ticked."""
        facility = None
        if self.follow_selection.isChecked() and self._table is not None:
            current = self._table.currentIndex()
            if current.isValid():
                value = self._controller.plan.value(self._controller.model.plan_row(current.row()), "id")
                facility = str(value) if value else None
        self.capacity_chart.show_facility(facility)

    def import_history(self) -> bool:
        """Ask for a source and its layout, then add its figures to the plan's history (one undo step)."""
        path = dialogs.open_file_name(self._window, "Import population history", HISTORY_FILTER)
        if not path:
            return False
        # Reading happens in the import sandbox, off the GUI thread, behind a progress bar with Cancel.
        outcome = read_with_progress(self._window, path)
        if outcome.cancelled:
            self._controller.status_message.emit(f"Reading {Path(path).name} cancelled; nothing changed")
            return False
        if outcome.error is not None or outcome.value is None:
            dialogs.show_error(self._window, "Cannot import population history",
                               f"{outcome.error} The plan is unchanged.")
            return False
        return self.import_history_from(path, outcome.value)

    def import_history_from(self, path: str, source: Source) -> bool:
        """The history dialog on a file already read (File → Import population history…, or the
        import wizard's "Population history instead" button); one undo step."""
        choice = history_import.ask_history_import(self._window, HistorySource(path, source.book))
        if choice is None:
            return False
        data = self.state.data
        table = choice.imported.table
        history = table if choice.replace else merge_history(data.history, table)
        self.state.edit(dataclasses.replace(data, history=history), f"Import population history ({len(table):,} figures)")
        self._controller.status_message.emit(f"Imported {choice.imported.summary} from {Path(path).name}")
        return True

    @staticmethod
    def _show_chart_menu(briefing: BriefingActions, chart: QWidget, name: str, position: QPoint) -> None:
        menu = briefing.chart_menu(name, chart)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(chart.mapToGlobal(position))
