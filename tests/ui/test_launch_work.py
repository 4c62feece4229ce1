"""What the window leaves for later so that it paints sooner: each deferral still delivers on demand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from models.demo import build_demo_plan
from ui.app_factory import build_window
from ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_building_the_window_does_not_load_the_deck_writer() -> None:
    # python-pptx costs a tenth of a second; it is loaded when a deck is written, not at launch.
    code = (
        "import sys, PySide6.QtWidgets\n"
        "from ui.app_factory import build_window, ensure_application\n"
        "from models.demo import build_demo_plan\n"
        "app = ensure_application()\n"
        "window = build_window(build_demo_plan())\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'pptx')))\n"
        "window.controller.undo_stack.setClean()\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"pptx loaded at launch: {result.stdout}"


def test_scenario_dock_is_built_when_first_shown(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_window(build_demo_plan(), None, Settings(tmp_path))
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    docks = window.scenarios
    # A fresh layout raises the Network tab over Scenarios: nothing of the hidden body is built.
    assert docks.scenarios_dock.visibleRegion().isEmpty()
    assert docks.__dict__["_body_built"] is False
    docks.scenarios_dock.raise_()
    qtbot.waitUntil(lambda: docks.__dict__["_body_built"], timeout=3000)
    assert docks.scenarios_dock.widget().isAncestorOf(docks.projection_chart)
    docks.state.recompute()
    assert len(docks.projection_chart.series()["Actual population"][0]) == 90


def test_scenario_widgets_asked_for_before_the_dock_is_shown_are_built(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_window(build_demo_plan(), None, Settings(tmp_path))
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    docks = window.scenarios
    assert docks.__dict__["_body_built"] is False
    chart = docks.capacity_chart
    assert docks.__dict__["_body_built"] is True
    assert docks.scenarios_dock.widget().isAncestorOf(chart)
    assert not hasattr(docks, "no_such_widget")


def test_first_projection_waits_for_the_first_paint_then_arrives(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.scenarios.state import LAUNCH_DELAY_MS

    window = build_window(build_demo_plan(), None, Settings(tmp_path))
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    state = window.scenarios.state
    assert state.projections == []  # nothing projected while the window is being built
    with qtbot.waitSignal(state.projections_changed, timeout=LAUNCH_DELAY_MS + 3000):
        pass
    assert [p.scenario.name for p in state.projections] == [
        "Status quo", "Tent site on schedule", "Tent site delayed four weeks"]


def test_showing_the_scenarios_before_the_first_projection_projects_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_window(build_demo_plan(), None, Settings(tmp_path))
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    docks = window.scenarios
    with qtbot.waitSignal(docks.state.projections_changed, timeout=200):  # well before the launch delay
        docks.projection_chart  # noqa: B018  (building the body asks for a projection)
    assert len(docks.state.projections) == 3
