"""The main window: lays out the filter bar, the facility table, the summary strip, menus and docks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from models.file_safety import is_bedplan_workbook
from models.schema import COLUMN_BY_KEY, DERIVED_COLUMNS, TABLE_KEYS
from ui.briefing.actions import BriefingActions
from ui.charts.docks import ChartDocks
from ui.controller import PlanController
from ui.delegates import FacilityDelegate
from ui.filter_bar import FilterBar
from ui.import_actions import ImportActions
from ui.scenarios.docks import ScenarioDocks
from ui.summary_strip import SummaryStrip

OPENABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_WIDTHS = {column.key: column.width for column in DERIVED_COLUMNS}
_STYLE = """
QMainWindow, QWidget { font-size: 10pt; }
QTableView { gridline-color: #d8d8d8; selection-background-color: #cfe3f7; selection-color: #000000; }
QHeaderView::section { background: #f0f2f5; padding: 4px 6px; border: 0px; border-right: 1px solid #d8d8d8;
                       border-bottom: 1px solid #c8c8c8; font-weight: 600; }
#summaryStrip { background: #f7f8fa; border: 1px solid #dcdfe4; border-radius: 4px; }
#demoBanner { background: #fff4d6; color: #5a4300; padding: 4px 8px; border: 1px solid #f0d78c; border-radius: 4px; }
"""


class FacilityTableView(QTableView):
    """The facility table: Excel-like selection and editing keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # No sort until the analyst clicks a header: the plan's own order comes first.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.setItemDelegate(FacilityDelegate(self))

    def apply_column_widths(self) -> None:
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        model = self.model()
        for position, key in enumerate(TABLE_KEYS):
            characters = COLUMN_BY_KEY[key].width if key in COLUMN_BY_KEY else _WIDTHS[key]
            header = str(model.headerData(position, Qt.Orientation.Horizontal)) if model is not None else ""
            # Bold header text plus room for the sort arrow must never be cut off.
            widest = max((header_metrics.horizontalAdvance(line) for line in header.split("\n")), default=0)
            needed = widest * 1.06 + 24
            self.setColumnWidth(position, int(max(60, metrics.averageCharWidth() * characters + 16, needed)))


class MainWindow(QMainWindow):
    """Receives the controller; owns no plan state of its own."""

    def __init__(self, controller: PlanController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("mainWindow")
        self.setStyleSheet(_STYLE)
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        self.filter_bar = FilterBar(controller.model, central)
        self.demo_banner = QLabel(central)
        self.demo_banner.setObjectName("demoBanner")
        self.table = FacilityTableView(central)
        self.table.setModel(controller.model)
        self.table.apply_column_widths()
        # However small the window or tall the docks below, the table keeps its header and six
        # rows: the docks (whose contents scroll) give way first.
        self.table.setMinimumHeight(
            self.table.horizontalHeader().sizeHint().height() + 6 * self.table.verticalHeader().defaultSectionSize() + 6
        )
        self.summary_strip = SummaryStrip(controller.model, central)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_strip)
        self.setCentralWidget(central)
        controller.bind_view(self.table, self)

        self.view_menu: QMenu
        self.recent_menu: QMenu
        self._build_menus()
        self.briefing = BriefingActions(controller.model, controller.settings, self)
        self.briefing.install(self.file_menu, self.export_separator, self.edit_menu)
        self.briefing.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.importer = ImportActions(controller, self)
        file_actions = self.file_menu.actions()
        self.importer.install(self.file_menu, file_actions[file_actions.index(self.recent_menu.menuAction()) + 1])
        self.charts = ChartDocks(self, self.table, controller.model, controller.settings, self.briefing.chart_menu,
                                 self.view_menu)
        self.summary_strip.set_totals_source(self.charts.feed.network_totals)
        self._build_toolbar()
        self.scenarios = ScenarioDocks(self, controller, self.view_menu)
        self.charts.share_bottom_area()
        self.statusBar().showMessage("Ready")

        controller.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        controller.plan_replaced.connect(self._on_controller_plan_replaced)
        controller.file_saved.connect(lambda _path: self._update_title())
        controller.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        controller.recent_files_changed.connect(self._rebuild_recent_menu)
        self._on_controller_plan_replaced()

    # -- menus -----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        actions = self.controller.actions
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(actions["new"])
        file_menu.addAction(actions["open"])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self._rebuild_recent_menu()
        file_menu.addSeparator()
        file_menu.addAction(actions["save"])
        file_menu.addAction(actions["save_as"])
        self.file_menu = file_menu
        self.export_separator = file_menu.addSeparator()
        file_menu.addAction(actions["export_copy"])
        file_menu.addAction(actions["revert"])
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(actions["undo"])
        edit_menu.addAction(actions["redo"])
        edit_menu.addSeparator()
        for name in ("cut", "copy", "paste", "clear", "fill_down"):
            edit_menu.addAction(actions[name])
        edit_menu.addSeparator()
        for name in ("add_row", "duplicate_rows", "delete_rows"):
            edit_menu.addAction(actions[name])
        edit_menu.addSeparator()
        find = QAction("&Find…", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        edit_menu.addAction(find)
        clear_filters = QAction("Clear &filters", self)
        clear_filters.triggered.connect(self.filter_bar.clear)
        edit_menu.addAction(clear_filters)
        self.edit_menu = edit_menu
        self.view_menu = self.menuBar().addMenu("&View")
        # Table-level actions work wherever focus is inside the window.
        for name in ("cut", "copy", "paste", "clear", "fill_down", "add_row", "duplicate_rows", "delete_rows"):
            actions[name].setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(actions[name])

    def _focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        actions = self.controller.actions
        for name in ("open", "save"):
            toolbar.addAction(actions[name])
        toolbar.addSeparator()
        for name in ("undo", "redo"):
            toolbar.addAction(actions[name])
        toolbar.addSeparator()
        for name in ("add_row", "duplicate_rows", "delete_rows"):
            toolbar.addAction(actions[name])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.controller.settings.recent_files()
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name}")
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
        self.recent_menu.setEnabled(bool(recent))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.controller.settings.remove_recent_file(path)
            self._rebuild_recent_menu()
            self.statusBar().showMessage(f"{path} no longer exists; removed from recent files", 8000)
            return
        if self.controller.maybe_save():
            self.controller.open_path(path)

    # -- title, banner -------------------------------------------------------------------------------
    def _update_title(self) -> None:
        plan = self.controller.plan
        where = Path(self.controller.path).name if self.controller.path else "not saved"
        self.setWindowTitle(f"{plan.meta.title} ({where})[*] — Bedplan")
        self.setWindowModified(not self.controller.undo_stack.isClean())

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _on_controller_plan_replaced(self) -> None:
        meta = self.controller.plan.meta
        self.demo_banner.setText(
            "Demonstration data — every facility in this plan is fictional. "
            "Open or import your own workbook from the File menu."
        )
        self.demo_banner.setVisible(meta.demonstration)
        self.filter_bar.refresh_choices()
        self._update_title()

    # -- events ----------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.controller.maybe_save():
            event.ignore()
            return
        self.controller.files.close()
        self.controller.settings.window_geometry = self.saveGeometry()
        self.controller.settings.window_state = self.saveState()
        self.controller.settings.sync()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() and url.toLocalFile().lower().endswith(OPENABLE_SUFFIXES) for url in urls[:1]):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if not urls:
            return
        event.acceptProposedAction()
        path = urls[0].toLocalFile()
        if not is_bedplan_workbook(path):  # someone else's spreadsheet: import it into this plan
            self.importer.import_path(path)
        elif self.controller.maybe_save():
            self.controller.open_path(path)
