"""Qt adapter over the plan's capacity changes: one row per change, edits pushed as undo commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from models.capacity_changes import ACTIONS, CapacityChange, ChangeError
from models.values import parse_date, parse_number
from ui.scenarios.state import ScenarioState

#: (field, header) in column order.
FIELDS: tuple[tuple[str, str], ...] = (
    ("change_id", "Change ID"),
    ("facility_id", "Facility ID"),
    ("date", "Date"),
    ("action", "Action"),
    ("beds", "Beds"),
    ("phase_beds", "Phase beds"),
    ("phase_days", "Phase every (days)"),
    ("note", "Note"),
)
_INT_FIELDS = {"beds", "phase_beds", "phase_days"}


class CapacityChangesModel(QAbstractTableModel):
    """Serves the changes from ``ScenarioState.data``; ``setData`` validates and pushes a command."""

    edit_rejected = Signal(str)

    def __init__(self, state: ScenarioState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._rows: list[list[str]] = []
        self._refresh()
        state.data_changed.connect(self._on_state_data_changed)

    @property
    def state(self) -> ScenarioState:
        return self._state

    @property
    def changes(self) -> list[CapacityChange]:
        return self._state.data.changes

    def _refresh(self) -> None:
        self._rows = [[_text(getattr(change, key)) for key, _ in FIELDS] for change in self.changes]

    def _on_state_data_changed(self) -> None:
        old = self._rows
        self._refresh()
        if len(old) != len(self._rows):
            self.beginResetModel()
            self.endResetModel()
            return
        for row, (before, after) in enumerate(zip(old, self._rows, strict=True)):
            for column, (a, b) in enumerate(zip(before, after, strict=True)):
                if a != b:
                    index = self.index(row, column)
                    self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])

    # -- Qt read interface --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(FIELDS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.EditRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._rows[index.row()][index.column()]
            if FIELDS[index.column()][0] in _INT_FIELDS and text:
                return f"{int(text):,}"
            return text
        if role == Qt.ItemDataRole.ToolTipRole and FIELDS[index.column()][0] == "action":
            return ACTIONS.get(self._rows[index.row()][index.column()], "")
        if role == Qt.ItemDataRole.TextAlignmentRole and FIELDS[index.column()][0] in _INT_FIELDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return FIELDS[section][1] if 0 <= section < len(FIELDS) else None
        return str(section + 1)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    # -- editing --------------------------------------------------------------------------------
    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key, header = FIELDS[index.column()]
        row = index.row()
        try:
            change = self._changed(self.changes[row], key, value)
        except (ChangeError, ValueError) as error:
            self.edit_rejected.emit(f"Capacity changes, row {row + 1}, {header}: {error}")
            return False
        if change == self.changes[row]:
            return True
        changes = list(self.changes)
        changes[row] = change
        self._state.edit(dataclasses.replace(self._state.data, changes=changes), f"Edit {header} of change {change.change_id}")
        return True

    def _changed(self, change: CapacityChange, key: str, value: Any) -> CapacityChange:
        text = "" if value is None else str(value).strip()
        parsed: Any
        if key in _INT_FIELDS:
            number = parse_number(text) if text else None
            if number is not None and number != int(number):
                raise ValueError(f"{text!r} is not a whole number")
            parsed = None if number is None else int(number)
        elif key == "date":
            stamp = parse_date(text)
            if stamp is None:
                raise ValueError("a change needs a date (such as 2025-03-03)")
            parsed = stamp.date()
        elif key == "action":
            parsed = text.lower()
        else:
            parsed = text
        if key == "facility_id" and parsed not in set(self._state.plan.frame["id"].dropna()):
            raise ValueError(f"{parsed!r} is not a facility in this plan")
        if key == "change_id" and parsed != change.change_id and parsed in {c.change_id for c in self.changes}:
            raise ValueError(f"{parsed!r} is already used by another change")
        return dataclasses.replace(change, **{key: parsed})

    def add_change(self, facility_id: str, date: dt.date) -> None:
        used = {c.change_id for c in self.changes}
        number = len(self.changes) + 1
        while f"C{number:02d}" in used:
            number += 1
        change = CapacityChange(f"C{number:02d}", facility_id, date, "open")
        data = dataclasses.replace(self._state.data, changes=[*self.changes, change])
        self._state.edit(data, f"Add capacity change {change.change_id}")

    def remove_rows(self, rows: list[int]) -> None:
        doomed = set(rows)
        if not doomed:
            return
        kept = [change for row, change in enumerate(self.changes) if row not in doomed]
        data = dataclasses.replace(self._state.data, changes=kept)
        self._state.edit(data, f"Delete {len(doomed)} capacity change{'s' if len(doomed) != 1 else ''}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
