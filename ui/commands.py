"""Undo commands: every change to a plan goes through one of these on the QUndoStack."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import pandas as pd
from PySide6.QtGui import QUndoCommand

from ui.table_model import FacilityTableModel


class _PlanCommand(QUndoCommand):
    """Holds the adapter weakly: the stack owns its commands, and a strong reference back to the
    adapter (which holds the stack) would form a cycle that the garbage collector may break in
    an order that deletes commands twice."""

    def __init__(self, model: FacilityTableModel, text: str) -> None:
        super().__init__(text)
        self._model_ref = weakref.ref(model)

    @property
    def _model(self) -> FacilityTableModel:
        model = self._model_ref()
        if model is None:
            raise RuntimeError("the table this command edited no longer exists")
        return model


class SetCellsCommand(_PlanCommand):
    """Set validated values in any cells (an edit, a paste, a fill); one undo step."""

    def __init__(self, model: FacilityTableModel, changes: Sequence[tuple[int, str, Any]], text: str) -> None:
        super().__init__(model, text)
        self._changes = list(changes)
        # Read the old values now: push() runs redo() at once, so later would be too late.
        self._previous = [(row, key, model.plan.value(row, key)) for row, key, _ in self._changes]

    def redo(self) -> None:
        self._model.apply_values(self._changes)

    def undo(self) -> None:
        self._model.apply_values(self._previous)


class InsertRowsCommand(_PlanCommand):
    """Insert facilities at a plan position (add, duplicate, paste past the last row)."""

    def __init__(self, model: FacilityTableModel, position: int, records: Sequence[dict[str, Any]], text: str) -> None:
        super().__init__(model, text)
        self._position = position
        self._records = [dict(record) for record in records]

    def redo(self) -> None:
        self._model.insert_records(self._position, self._records)

    def undo(self) -> None:
        self._model.remove_plan_rows(range(self._position, self._position + len(self._records)))


class RemoveRowsCommand(_PlanCommand):
    """Delete facilities; undo puts each back at its old position with its exact values."""

    def __init__(self, model: FacilityTableModel, rows: Sequence[int], text: str) -> None:
        super().__init__(model, text)
        self._rows = sorted(set(rows))
        self._removed: list[tuple[int, dict[str, Any]]] = []

    def redo(self) -> None:
        self._removed = self._model.remove_plan_rows(self._rows)

    def undo(self) -> None:
        self._model.restore_records(self._removed)


class ReplaceFrameCommand(_PlanCommand):
    """Swap the whole table (import append/upsert/replace); undo restores the old table exactly."""

    def __init__(self, model: FacilityTableModel, frame: pd.DataFrame, text: str) -> None:
        super().__init__(model, text)
        self._new = frame.copy()
        self._old = model.plan.frame.copy()

    def redo(self) -> None:
        self._model.replace_frame(self._new.copy())

    def undo(self) -> None:
        self._model.replace_frame(self._old.copy())
