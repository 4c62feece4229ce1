"""The scenario docks: live projection updates, undo of capacity-change edits, results and charts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.demo import build_demo_plan
from models.scenario_data import load, project_plan
from ui.app_factory import build_window
from ui.main_window import MainWindow
from ui.scenarios.charts import capacity_over_time
from ui.settings import Settings


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    window = build_window(build_demo_plan(), None, Settings(tmp_path))
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    window.scenarios.state.recompute()
    yield window


def test_projection_matches_model(window: MainWindow) -> None:
    docks = window.scenarios
    expected = project_plan(build_demo_plan())
    assert [p.scenario.name for p in docks.state.projections] == [p.scenario.name for p in expected]
    series = docks.projection_chart.series()
    dates, y = series["Tent site on schedule: population"]
    assert len(dates) == len(y) == 183
    np.testing.assert_allclose(y, expected[1].population)
    _, capacity = series["Tent site delayed four weeks: operational beds"]
    np.testing.assert_allclose(capacity, expected[2].capacity["operational"])
    assert len(series["Actual population"][0]) == 90
    rows = docks.results.cells()
    assert [row[0] for row in rows] == ["Status quo", "Tent site on schedule", "Tent site delayed four weeks"]
    on_schedule = expected[1].results["operational"]
    assert rows[1][2] == on_schedule.back_under.isoformat()  # type: ignore[union-attr]
    assert rows[1][3] == f"{on_schedule.peak_shortfall:,.0f}"


def test_editing_inflow_updates_chart_live_and_undoes(window: MainWindow, qtbot: QtBot) -> None:
    docks = window.scenarios
    editor = docks.editor
    editor.chooser.setCurrentIndex(1)
    before = docks.projection_chart.series()["Tent site on schedule: population"][1].copy()
    with qtbot.waitSignal(docks.state.projections_changed, timeout=2000):
        editor.inflow.setValue(2_000)
    after = docks.projection_chart.series()["Tent site on schedule: population"][1]
    assert after[-1] > before[-1] + 500 * 150
    scenario = load(window.controller.plan).scenario("Tent site on schedule")
    assert scenario.inflow == 2_000  # written through to the plan's tables
    # Holding the spin box merges into one undo step.
    editor.inflow.setValue(2_100)
    editor.inflow.setValue(2_200)
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Change inflow of Tent site on schedule"
    with qtbot.waitSignal(docks.state.projections_changed, timeout=2000):
        stack.undo()
    np.testing.assert_allclose(docks.projection_chart.series()["Tent site on schedule: population"][1], before)
    assert editor.inflow.value() == 1_400


def test_bad_capacity_changes_text_is_refused(window: MainWindow) -> None:
    editor = window.scenarios.editor
    editor.changes.setText("C01 +soon")
    editor.changes.editingFinished.emit()
    assert "cannot read 'C01 +soon'" in editor.problem.text()
    assert window.controller.undo_stack.count() == 0
    editor.changes.setText("NOPE-1")
    editor.changes.editingFinished.emit()
    assert "'NOPE-1' is neither a change ID nor a facility" in editor.problem.text()
    assert load(window.controller.plan).scenarios[0].capacity_changes == "C07; C08"


def test_capacity_change_edit_is_one_undo_step(window: MainWindow, qtbot: QtBot) -> None:
    docks = window.scenarios
    model = docks.changes_model
    ModelTester(None).check(model)  # type: ignore[arg-type]
    stack = window.controller.undo_stack
    beds = model.index(0, 4)
    assert model.data(beds) == "30,000" and model.data(beds, Qt.ItemDataRole.EditRole) == "30000"
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        assert model.setData(beds, "20,000")
    assert stack.count() == 1 and stack.undoText() == "Edit Beds of change C01"
    docks.state.recompute()
    on_schedule = next(p for p in docks.state.projections if p.scenario.name == "Tent site on schedule")
    assert on_schedule.capacity["rated"].max() < 62_000
    assert load(window.controller.plan).changes[0].beds == 20_000
    stack.undo()
    assert model.data(beds) == "30,000" and load(window.controller.plan).changes[0].beds == 30_000
    stack.redo()
    assert model.data(beds) == "20,000"


def test_capacity_change_rejections_leave_data(window: MainWindow, qtbot: QtBot) -> None:
    model = window.scenarios.changes_model
    before = list(window.scenarios.state.data.changes)
    with qtbot.waitSignal(model.edit_rejected, timeout=1000) as blocker:
        assert not model.setData(model.index(0, 1), "NOWHERE")
    assert "Capacity changes, row 1, Facility ID: 'NOWHERE' is not a facility in this plan" in blocker.args[0]
    assert not model.setData(model.index(0, 3), "explode")
    assert not model.setData(model.index(2, 0), "C01")
    assert window.scenarios.state.data.changes == before
    assert window.controller.undo_stack.count() == 0


def test_add_and_delete_changes_undo(window: MainWindow) -> None:
    panel = window.scenarios.changes_panel
    count = panel.model.rowCount()
    panel.add_change()
    assert panel.model.rowCount() == count + 1
    panel.view.selectRow(count)
    panel.delete_selected()
    assert panel.model.rowCount() == count
    stack = window.controller.undo_stack
    stack.undo()
    stack.undo()
    assert panel.model.rowCount() == count and stack.count() == 2


def test_scenario_add_duplicate_delete(window: MainWindow) -> None:
    editor = window.scenarios.editor
    editor.duplicate_scenario()
    names = [s.name for s in window.scenarios.state.data.scenarios]
    assert names[-1] == "Status quo copy" and editor.current is not None and editor.current.name == "Status quo copy"
    editor.delete_scenario()
    assert len(window.scenarios.state.data.scenarios) == 3
    window.controller.undo_stack.undo()
    assert len(window.scenarios.state.data.scenarios) == 4


def test_facility_edit_moves_capacity_line(window: MainWindow, qtbot: QtBot) -> None:
    state = window.scenarios.state
    before = state.projections[0].capacity["rated"][0]
    model = window.controller.model
    column = model.columnCount()
    keys = [model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) for c in range(column)]
    rated = next(c for c, text in enumerate(keys) if str(text).startswith("Rated"))
    value = window.controller.plan.value(0, "rated_capacity")
    with qtbot.waitSignal(state.projections_changed, timeout=2000):
        model.setData(model.index(0, rated), str(value + 1000))
    assert state.projections[0].capacity["rated"][0] == before + 1000


def test_capacity_over_time_chart(window: MainWindow) -> None:
    dates, lines = capacity_over_time(window.scenarios.state)
    assert str(dates[0]) == "2024-11-06" and lines["rated"][-1] > 70_000
    x, y = window.scenarios.capacity_chart.items["operational"].getData()
    np.testing.assert_allclose(y, lines["operational"])
    assert len(x) == len(y) + 1


def test_plan_with_bad_tables_shows_message(qtbot: QtBot, tmp_path: Path) -> None:
    plan = build_demo_plan()
    plan.extras["Capacity changes"] = plan.extras["Capacity changes"].assign(Action="explode")
    window = build_window(plan, None, Settings(tmp_path))
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    state = window.scenarios.state
    assert "could not be used" in state.error and "'explode'" in state.error
    assert state.data.changes == [] and "Capacity changes" in plan.extras  # the plan's table is kept as it was



def test_chart_context_menu_offers_briefing_export(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMenu.popup", lambda menu, _pos: shown.extend(a.text() for a in menu.actions()))
    chart = window.scenarios.projection_chart
    chart.customContextMenuRequested.emit(chart.rect().center())
    assert shown[0] == "Copy chart: Projected people held against capacity, by scenario"
    assert "Export chart…" in shown


def test_history_import_dialog_long_and_wide(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.scenarios.history_import import HistoryImportDialog

    source = tmp_path / "weekly.csv"
    source.write_text("Site,2025-02-10,2025-02-17\nDEMO-001,10,N/A\nDEMO-002,20,21\n")
    dialog = HistoryImportDialog(str(source))
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "Will import 3 figures for 2 facilities, 2025-02-10 to 2025-02-17 (wide layout); 1 cells without a figure skipped."
    choice = dialog.choice()
    assert choice is not None and len(choice.imported.table) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("When,People\n2025-02-10,100\n2025-02-11,lots\n")
    dialog = HistoryImportDialog(str(bad))
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "Choose the date and population columns"  # neither header is recognised
    dialog.date_column.setCurrentText("When")
    assert dialog.preview.text() == "Choose the date and population columns"
    dialog.population_column.setCurrentText("People")
    assert dialog.preview.text() == "Row 3, column People: 'lots' is not a population (write a number of people)"
    assert dialog.choice() is None
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_history_import_is_one_undo_step(window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, realdata: Path) -> None:
    from models.occupancy_history import detect_layout, parse_history, read_source
    from ui.scenarios import history_import
    from ui.scenarios.history_import import HistoryChoice

    path = str(realdata / "hhs_hospital_capacity_by_facility_sample.csv")
    frame, header_row = read_source(path)
    imported = parse_history(frame, detect_layout(frame), header_row)
    monkeypatch.setattr("ui.dialogs.open_file_name", lambda *args, **kwargs: path)
    monkeypatch.setattr(history_import, "ask_history_import", lambda parent, p: HistoryChoice(imported, replace=False))
    docks = window.scenarios
    before = len(docks.state.data.history)
    assert docks.import_history()
    assert len(docks.state.data.history) == before + len(imported.table)
    assert len(window.controller.plan.extras["Occupancy history"]) == before + len(imported.table)
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.undoText().startswith("Import population history (")
    stack.undo()
    assert len(docks.state.data.history) == before


def test_import_history_sits_after_open_recent(window: MainWindow) -> None:
    titles = [action.text() for action in window.file_menu.actions()]
    assert titles.index("Import population &history…") == titles.index("Open &Recent") + 1


def test_weekly_schedule_edits_project_and_undo(window: MainWindow, qtbot: QtBot) -> None:
    docks = window.scenarios
    schedule = docks.editor.schedule
    assert schedule.table.rowCount() == 0
    schedule.add_week()
    assert schedule.table.item(0, 0).text() == "2025-02-10" and schedule.table.item(0, 1).text() == "1,400"
    with qtbot.waitSignal(docks.state.projections_changed, timeout=2000):
        schedule.table.item(0, 1).setText("2,400")
    quo = load(window.controller.plan).scenario("Status quo")
    assert quo.schedule[0].inflow == 2_400
    projection = docks.state.projections[0]
    assert projection.inflow[6] == pytest.approx(1_400 * 1.005 ** (6 / 7))
    assert projection.inflow[7] == pytest.approx(2_400 * 1.005)
    assert "Scenario flows" in window.controller.plan.extras
    schedule.table.item(0, 2).setText("many")
    assert quo == load(window.controller.plan).scenario("Status quo")  # refused; nothing changed
    stack = window.controller.undo_stack
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert schedule.table.rowCount() == 0 and "Scenario flows" not in window.controller.plan.extras


def test_status_on_a_date(window: MainWindow) -> None:
    from PySide6.QtCore import QDate

    panel = window.scenarios.changes_panel
    window.scenarios.state.recompute()
    assert panel.status_summary.text().startswith("115 operational · 4 planned · 1 under construction")
    panel.status_date.setDate(QDate(2025, 4, 7))
    text = panel.status_summary.text()
    # By 7 April the tent site (all six phases) and the staging area are open, DEMO-007 (49 beds) is on
    # standby and DEMO-012 has 150 more beds: 40,000 - 49 + 150 + 30,000 + 1,000 rated beds.
    assert text.startswith("116 operational · 3 planned · 1 standby") and "rated 71,101" in text


def test_actuals_overlay_an_earlier_projection(window: MainWindow, qtbot: QtBot) -> None:
    import datetime as dt

    docks = window.scenarios
    editor = docks.editor
    editor.chooser.setCurrentIndex(0)
    with qtbot.waitSignal(docks.state.projections_changed, timeout=2000):
        editor.start.setDate(editor.start.date().addDays(-60))  # a projection made 60 days before the plan date
    projection = docks.state.projections[0]
    assert projection.dates[0] == np.datetime64(dt.date(2024, 12, 5))
    actual_x, _ = docks.projection_chart.series()["Actual population"]
    projected_x, _ = docks.projection_chart.series()["Status quo: population"]
    assert actual_x.min() < projected_x.min() and actual_x.max() > projected_x.min()  # they overlap
    cell = docks.results.cells()[0][-1]
    assert cell.startswith(("+", "−")) and "on 2025-02-03" in cell and "over 61 dates" in cell
    assert docks.results.cells()[1][-1] == "+0 on 2025-02-03 (mean error 0 over 1 date)"


def test_capacity_chart_follows_the_selected_facility(window: MainWindow) -> None:
    docks = window.scenarios
    model = window.controller.model
    tent = next(row for row in range(model.rowCount()) if window.controller.plan.value(model.plan_row(row), "id") == "DEMO-901")
    window.table.setCurrentIndex(model.index(tent, 0))
    assert docks.capacity_chart.facility_id is None  # not following until asked
    docks.follow_selection.setChecked(True)
    assert docks.capacity_chart.facility_id == "DEMO-901"
    _, rated = docks.capacity_chart.items["rated"].getData()
    assert rated.min() == 0 and rated.max() == 30_000
    docks.follow_selection.setChecked(False)
    _, rated = docks.capacity_chart.items["rated"].getData()
    assert rated.max() > 70_000
