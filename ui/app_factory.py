"""Wiring: builds the controller and the main window for a plan (used by main.py and tests)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from models.facility_plan import FacilityPlan
from ui.controller import PlanController
from ui.main_window import MainWindow
from ui.settings import Settings

# A saved geometry smaller than this (a crash mid-resize, a settings file from another machine) is
# ignored, so the window never opens as a sliver.
MIN_WIDTH = 640
MIN_HEIGHT = 400


def build_window(plan: FacilityPlan, path: str | None = None, settings: Settings | None = None) -> MainWindow:
    """A ready main window on ``plan``; restores the saved geometry and dock layout."""
    controller = PlanController(plan, settings if settings is not None else Settings(), path)
    window = MainWindow(controller)
    controller.setParent(window)
    geometry = controller.settings.window_geometry
    if geometry is None or not window.restoreGeometry(geometry) or not _usable(window):
        _default_geometry(window)
    state = controller.settings.window_state
    if state is not None:
        window.restoreState(state)
    return window


def _usable(window: MainWindow) -> bool:
    """A restored geometry is kept only if it is a workable size on a screen that still exists."""
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center())
    return screen is not None and frame.width() >= MIN_WIDTH and frame.height() >= MIN_HEIGHT


def _default_geometry(window: MainWindow) -> None:
    """1400×900, or 90 % of a smaller screen, centred."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(1400, 900)
        return
    available = screen.availableGeometry()
    width = min(1400, int(available.width() * 0.9))
    height = min(900, int(available.height() * 0.9))
    window.resize(width, height)
    window.move(available.x() + (available.width() - width) // 2, available.y() + (available.height() - height) // 2)


def ensure_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or ["bedplan"])
    app.setApplicationName("Bedplan")
    app.setOrganizationName("Bedplan")
    app.setStyle("Fusion")
    return app
