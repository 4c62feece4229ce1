"""The Qt adapter: model contract, edits through the undo stack, sort and filter."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from models.facility_plan import FacilityPlan
from models.filtering import FilterSpec
from models.schema import TABLE_KEYS
from ui.table_model import RAW_ROLE, FacilityTableModel


@pytest.fixture
def model(qapp, small_plan: FacilityPlan) -> FacilityTableModel:  # type: ignore[no-untyped-def]
    return FacilityTableModel(small_plan, QUndoStack())


def col(key: str) -> int:
    return TABLE_KEYS.index(key)


def test_model_contract(qtmodeltester, model: FacilityTableModel) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model)
    model.sort(col("population"), Qt.SortOrder.DescendingOrder)
    model.set_filter(FilterSpec(states=frozenset({"TX"})))
    qtmodeltester.check(model)


def test_display_values_are_python_strings(model: FacilityTableModel) -> None:
    assert model.data(model.index(0, col("population"))) == "99.5"
    assert model.data(model.index(0, col("utilization"))) == "110.6%"
    assert model.data(model.index(0, col("band"))) == "Over"
    assert model.data(model.index(1, col("operational_capacity"))) == ""
    assert model.data(model.index(0, col("status"))) == "Operational"
    assert model.data(model.index(0, col("as_of"))) == "2025-01-16"
    assert type(model.data(model.index(0, col("rated_capacity")), RAW_ROLE)) is int


def test_over_row_is_coloured(model: FacilityTableModel) -> None:
    assert model.data(model.index(0, col("utilization")), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, col("utilization")), Qt.ItemDataRole.BackgroundRole) is None


def test_set_data_pushes_one_command_and_undo_restores(qtbot, model: FacilityTableModel) -> None:  # type: ignore[no-untyped-def]
    stack = model._undo_stack
    before = model.plan.frame.copy()
    index = model.index(1, col("population"))
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.setData(index, "190.25")
    assert blocker.args[0].row() == 1
    assert stack.count() == 1
    assert stack.undoText() == "Edit Population in row 2 (Southgate Unit)"
    assert model.plan.value(1, "population") == 190.25
    assert model.data(model.index(1, col("utilization"))) == "95.1%"
    assert model.data(model.index(1, col("band"))) == "Near"
    stack.undo()
    pd.testing.assert_frame_equal(model.plan.frame, before)
    assert model.data(model.index(1, col("band"))) == "OK"
    stack.redo()
    assert model.plan.value(1, "population") == 190.25


def test_data_changed_covers_exactly_the_touched_cells(qtbot, model: FacilityTableModel) -> None:  # type: ignore[no-untyped-def]
    ranges = []
    model.dataChanged.connect(lambda a, b, roles=(): ranges.append((a.row(), a.column(), b.row(), b.column())))
    model.setData(model.index(2, col("name")), "Lakeside Hall North")
    assert ranges == [(2, col("name"), 2, col("name"))]
    ranges.clear()
    model.setData(model.index(2, col("population")), "10")
    assert ranges == [(2, col("population"), 2, col("band"))]


def test_invalid_edit_is_rejected_with_message(qtbot, model: FacilityTableModel) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(model.edit_rejected) as blocker:
        assert not model.setData(model.index(0, col("rated_capacity")), "-5")
    assert blocker.args[0].startswith("Rated capacity must be a whole number of beds ≥ 0; got '-5' in row 1")
    assert model.plan.value(0, "rated_capacity") == 100
    assert model._undo_stack.count() == 0


def test_derived_columns_are_read_only(model: FacilityTableModel) -> None:
    index = model.index(0, col("utilization"))
    assert not (model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    assert not model.setData(index, "50%")


def test_sort_puts_missing_last_both_ways(model: FacilityTableModel) -> None:
    model.sort(col("population"), Qt.SortOrder.AscendingOrder)
    shown = [model.data(model.index(r, col("id"))) for r in range(model.rowCount())]
    assert shown == ["D4", "C3", "A1", "B2", "E5"]
    model.sort(col("population"), Qt.SortOrder.DescendingOrder)
    shown = [model.data(model.index(r, col("id"))) for r in range(model.rowCount())]
    assert shown == ["B2", "A1", "C3", "D4", "E5"]
    model.sort(col("name"), Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, col("name"))) == "Harbor Point"


def test_edit_in_sorted_view_targets_the_right_facility(model: FacilityTableModel) -> None:
    model.sort(col("population"), Qt.SortOrder.DescendingOrder)
    assert model.setData(model.index(0, col("notes")), "checked")
    assert model.plan.value(1, "notes") == "checked"  # B2 is plan row 1


def test_filter_and_subset_title(model: FacilityTableModel) -> None:
    model.set_filter(FilterSpec(statuses=frozenset({"operational"})))
    assert model.rowCount() == 3
    assert model.subset_title() == "3 of 5 facilities: status = operational"
    model.set_filter(FilterSpec(search="harbor"))
    assert [model.data(model.index(r, col("id"))) for r in range(model.rowCount())] == ["E5"]
    model.set_filter(FilterSpec())
    assert model.rowCount() == 5


def test_insert_and_remove_keep_view_mapping(qtbot, model: FacilityTableModel) -> None:  # type: ignore[no-untyped-def]
    from ui.commands import InsertRowsCommand, RemoveRowsCommand

    stack = model._undo_stack
    before = model.plan.frame.copy()
    stack.push(InsertRowsCommand(model, 1, [{"id": "N1", "name": "Inserted"}], "Add facility"))
    assert model.data(model.index(1, col("id"))) == "N1"
    stack.push(RemoveRowsCommand(model, [0, 3], "Delete 2 facilities"))
    assert [model.data(model.index(r, col("id"))) for r in range(model.rowCount())] == ["N1", "B2", "D4", "E5"]
    stack.undo()
    stack.undo()
    pd.testing.assert_frame_equal(model.plan.frame, before)
