"""The import wizard driven with qtbot, and File → Import… / drop applying one undo step."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from models.importing.merge import APPEND, REPLACE, UPSERT
from models.importing.pipeline import read_source
from tests.models.importing import corpus
from ui import dialogs
from ui.import_wizard import ImportWizard

ICE = "ice_FY25_detentionStats01162025.xlsx"


def _wizard(qtbot, source, plan_rows: int = 0, remembered=None) -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(source, plan_rows, remembered)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_wizard_on_the_ice_workbook(qtbot, realdata: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, read_source(realdata / ICE))
    page = wizard.sheet_page
    assert page.sheet().name == "Facilities FY25"
    model = page.preview_model
    assert model.excel_row(model.header_row) == 7 and model.excel_row(model.band_row) == 5
    assert "row 7 (detected)" in page.explanation.text()
    # Click row 8 (a data row) as the header, then row 7 again: the analyst can correct the detection.
    view = page.preview
    rect = view.visualRect(model.index(7, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert model.excel_row(model.header_row) == 8 and "(chosen)" in page.explanation.text()
    page.set_header_row(6)
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.combos["population"].currentText().count(" + ") == 3
    assert "Guaranteed Minimum" in mapping.combos["rated_capacity"].currentText()
    mapping.choose("notes", "AOR")
    mapping.choose("surge_capacity", "No such column")
    assert not mapping.isComplete() and "no column named" in mapping.error.text()
    mapping.choose("surge_capacity", "— not imported —")
    assert mapping.isComplete()
    wizard.next()
    review = wizard.review_page
    assert review.result is not None and len(review.result.frame) == 107
    assert "107 facilities ready" in review.summary.text()
    assert review.mode == REPLACE
    choice = wizard.choice()
    assert choice is not None and choice.result.frame["notes"].iloc[0] == "NOL"


def test_review_lists_problems_and_flagging_imports_them(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = corpus.csv_text(tmp_path / "beds.csv", "Site,Beds\nA,10\nB,-4\nC,lots\nTotal,6\n")
    wizard = _wizard(qtbot, read_source(path), plan_rows=5)
    wizard.next()
    wizard.next()
    review = wizard.review_page
    assert len(review.result.frame) == 1 and review.issues_model.rowCount() == 3
    assert review.mode == APPEND
    reasons = [review.issues_model.index(r, 4).data() for r in range(3)]
    assert any("at least 0" in reason for reason in reasons) and any("total row" in reason for reason in reasons)
    assert review.issues_model.index(0, 1).data() in (3, 4, 5)
    saved = tmp_path / "report.csv"
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kwargs: str(saved))
    qtbot.mouseClick(review.save_report_button, Qt.MouseButton.LeftButton)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "sheet,row,column,value,reason,severity" and len(lines) == 4
    review.flag.setChecked(True)
    assert len(review.result.frame) == 3
    assert review.issues_model.index(0, 5).data() in ("imported, flagged", "row left out")
    assert "no capacity or population column" not in review.summary.text()


def test_review_warns_when_no_beds_or_people_are_mapped(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = corpus.csv_text(tmp_path / "names.csv", "ID,Name,City\nA1,North,Elm\nA2,South,Oak\n")
    wizard = _wizard(qtbot, read_source(path), plan_rows=5)
    wizard.next()
    wizard.next()
    review = wizard.review_page
    assert len(review.result.frame) == 2 and review.isComplete()  # a roster may still be imported
    assert "no capacity or population column is mapped" in review.summary.text()


def test_import_action_applies_one_undo_step_and_remembers_the_mapping(make_window, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    controller = window.controller
    before = controller.plan.frame.copy()
    path = corpus.xlsx(tmp_path / "sites.xlsx", rows=[["Code", "Site", "Beds"], ["A1", "Northfield Centre", 120], ["Z9", "New Site", 40]])
    seen = {}

    def ask(parent, source, plan_rows, remembered, **kwargs):  # type: ignore[no-untyped-def]
        wizard = ImportWizard(source, plan_rows, remembered, parent=parent)
        wizard.show()
        wizard.next()
        seen["combo"] = wizard.mapping_page.combos["rated_capacity"].currentText()
        wizard.mapping_page.choose("id", "Code")
        wizard.next()
        wizard.review_page.set_mode(UPSERT)
        choice = wizard.choice()
        wizard.deleteLater()
        return choice

    monkeypatch.setattr(dialogs, "open_file_name", lambda *args, **kwargs: str(path))
    monkeypatch.setattr(dialogs, "ask_import", ask)
    window.importer.action.trigger()
    plan = controller.plan
    assert plan.row_count == 6
    assert plan.frame.set_index("id").loc["A1", "rated_capacity"] == 120
    assert controller.undo_stack.count() == 1 and seen["combo"] == "Beds"
    assert "1 added, 1 updated, 0 unchanged" in window.statusBar().currentMessage()
    controller.undo_stack.undo()
    pd.testing.assert_frame_equal(controller.plan.frame, before)
    # The same layout again: the confirmed mapping (id ← Code) comes back by itself.
    captured = {}

    def ask_again(parent, source, plan_rows, remembered, **kwargs):  # type: ignore[no-untyped-def]
        wizard = ImportWizard(source, plan_rows, remembered, parent=parent)
        captured["id"] = wizard.sheet_page.prepared.mapping.reasons.get("id")
        wizard.deleteLater()
        return None

    monkeypatch.setattr(dialogs, "ask_import", ask_again)
    window.importer.import_path(str(path))
    assert "remembered" in captured["id"]


@pytest.mark.parametrize("maker", ["random", "encrypted", "far_cell", "entity_bomb"])
def test_hostile_files_leave_the_plan_untouched(make_window, monkeypatch, tmp_path: Path, maker: str) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    before = window.controller.plan.frame.copy()
    if maker == "random":
        path = tmp_path / "random.xlsx"
        path.write_bytes(bytes(range(256)) * 20)
    else:
        path = getattr(corpus, maker)(tmp_path)
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(message))
    monkeypatch.setattr(dialogs, "ask_import", lambda *args: pytest.fail("the wizard must not open"))
    assert window.importer.import_path(str(path)) is False
    assert len(errors) == 1 and path.name in errors[0] and "unchanged" in errors[0]
    pd.testing.assert_frame_equal(window.controller.plan.frame, before)
    assert window.controller.undo_stack.count() == 0


def test_dropping_a_foreign_spreadsheet_opens_the_import(make_window, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    path = corpus.xlsx(tmp_path / "dropped.xlsx")
    calls = []
    monkeypatch.setattr(dialogs, "ask_import", lambda parent, source, rows, remembered, **kwargs: calls.append(source.name))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert calls == ["dropped.xlsx"]


def test_window_keeps_painting_while_a_large_file_is_read(make_window, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [["ID", "Name", "Beds"]] + [[f"F{i}", f"Site {i}", i % 500] for i in range(60_000)]
    path = corpus.xlsx(tmp_path / "large.xlsx", rows=rows)
    window = make_window()
    ticks = []
    timer = QTimer(window)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    monkeypatch.setattr(dialogs, "ask_import", lambda parent, source, rows, remembered, **kwargs: None)
    window.importer.import_path(str(path))
    timer.stop()
    assert len(ticks) >= 5  # the GUI thread ran its timers while the child read the file


def test_cancel_during_reading_changes_nothing(make_window, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui import import_task

    rows = [["ID", "Name", "Beds"]] + [[f"F{i}", f"Site {i}", i] for i in range(30_000)]
    path = corpus.xlsx(tmp_path / "large.xlsx", rows=rows)
    window = make_window()
    original = import_task.run_with_progress

    def cancel_at_once(parent, label, job, delay_ms=300, on_dialog=None):  # type: ignore[no-untyped-def]
        return original(parent, label, job, delay_ms=0, on_dialog=lambda dialog: QTimer.singleShot(0, dialog.canceled.emit))

    monkeypatch.setattr(import_task, "run_with_progress", cancel_at_once)
    monkeypatch.setattr(dialogs, "ask_import", lambda *args: pytest.fail("cancelled imports open no wizard"))
    assert window.importer.import_path(str(path)) is False
    assert "cancelled" in window.statusBar().currentMessage()


def test_wizard_hands_a_history_file_to_the_history_import(make_window, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWizard

    from ui.scenarios import history_import

    window = make_window()
    path = tmp_path / "history.csv"
    path.write_text("Date,Facility,Population\n2025-01-01,F1,10\n2025-01-02,F1,12\n2025-01-02,F2,7\n")
    seen: dict[str, object] = {}

    def ask(parent, source, plan_rows, remembered, **kwargs):  # type: ignore[no-untyped-def]
        wizard = ImportWizard(source, plan_rows, remembered, parent=parent, **kwargs)
        button = wizard.button(QWizard.WizardButton.CustomButton1)
        seen["offered"] = button.isVisibleTo(wizard) or wizard.testOption(QWizard.WizardOption.HaveCustomButton1)
        button.click()
        seen["as_history"] = wizard.as_history
        wizard.deleteLater()
        return dialogs.AS_HISTORY if wizard.as_history else None

    def history_dialog(parent, source):  # type: ignore[no-untyped-def]
        dialog = history_import.HistoryImportDialog(source, parent)
        choice = dialog.choice()  # what the dialog detected by itself: long layout, three figures
        dialog.deleteLater()
        return choice

    monkeypatch.setattr(dialogs, "ask_import", ask)
    monkeypatch.setattr(history_import, "ask_history_import", history_dialog)
    rows_before = window.controller.plan.row_count
    history_before = len(window.scenarios.state.data.history)
    assert window.importer.import_path(str(path))
    assert seen["offered"] and seen["as_history"]
    assert window.controller.plan.row_count == rows_before  # no facilities were added
    assert len(window.scenarios.state.data.history) == history_before + 3
    assert window.controller.undo_stack.undoText().startswith("Import population history (3 figures)")
