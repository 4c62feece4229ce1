"""Wiring: builds the controller and the main window for a plan (used by main.py and tests)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from models.facility_plan import FacilityPlan
from ui.controller import PlanController
from ui.main_window import MainWindow
from ui.settings import Settings


def build_window(plan: FacilityPlan, path: str | None = None, settings: Settings | None = None) -> MainWindow:
    """A ready main window on ``plan``; restores the saved geometry and dock layout."""
    controller = PlanController(plan, settings if settings is not None else Settings(), path)
    window = MainWindow(controller)
    controller.setParent(window)
    geometry = controller.settings.window_geometry
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(1400, 900)
    state = controller.settings.window_state
    if state is not None:
        window.restoreState(state)
    return window


def ensure_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or ["bedplan"])
    app.setApplicationName("Bedplan")
    app.setOrganizationName("Bedplan")
    app.setStyle("Fusion")
    return app
