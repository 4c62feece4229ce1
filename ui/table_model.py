"""Qt adapter over a FacilityPlan: cells served from cached lists, edits pushed as undo commands.

The adapter also holds the view order (sort and filter), computed with NumPy over the whole
column rather than by per-row Python callbacks, so sorting 100,000 facilities stays instant.
Plan rows (positions in the plan) are what commands and the domain use; view rows are what
Qt sees. ``plan_row(view_row)`` and ``view_row(plan_row)`` translate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QUndoStack

from models.facility_plan import FacilityPlan, PlanError
from models.filtering import FilterSpec, subset_title
from models.schema import COLUMN_BY_KEY, DERIVED_COLUMNS, DERIVED_KEYS, FIELD_KEYS, TABLE_KEYS, Band, Kind
from models.summary import derive, derive_row
from models.values import edit_text, format_value, is_missing

#: Role returning the raw stored value (numbers as numbers), for sorting and charts.
RAW_ROLE = Qt.ItemDataRole.UserRole + 1

BAND_BACKGROUND = {
    Band.OVER.value: QColor("#f6c7b6"),  # vermilion tint (Okabe-Ito based)
    Band.NEAR.value: QColor("#fbe3a1"),  # orange-yellow tint
}
BAND_FOREGROUND = QColor("#202020")
_DERIVED_INFO = {column.key: column for column in DERIVED_COLUMNS}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC_KEYS = frozenset(key for key in FIELD_KEYS if COLUMN_BY_KEY[key].numeric) | {"utilization", "available"}

# Per-column answers and plain-int roles, worked out once: data() and flags() run per cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_OTHER_ROLES = frozenset({_EDIT, int(RAW_ROLE), int(Qt.ItemDataRole.ToolTipRole)})
#: Asked of every cell on every paint, answered by the style: decoration, font, check state.
_STYLE_ROLES = frozenset(int(role) for role in (
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.CheckStateRole))
# Left and vertically centred is the delegate's own default: None for text columns saves a conversion.
_ALIGNMENTS = [_RIGHT if key in _NUMERIC_KEYS else None for key in TABLE_KEYS]
_COLUMN_OF = {key: position for position, key in enumerate(TABLE_KEYS)}
_BAND_COLUMNS = frozenset(TABLE_KEYS.index(key) for key in ("utilization", "available", "band"))
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_FLAGS = [_READ_ONLY if key in DERIVED_KEYS else _READ_ONLY | Qt.ItemFlag.ItemIsEditable for key in TABLE_KEYS]


def _display(key: str, value: Any) -> str:
    if is_missing(value):
        return ""
    if key == "utilization":
        return f"{value:.1%}"
    if key == "available":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if key == "band":
        return str(value)
    return format_value(COLUMN_BY_KEY[key], value)


class FacilityTableModel(QAbstractTableModel):
    """Table of facilities in view order; columns are ``models.schema.TABLE_KEYS``."""

    edit_rejected = Signal(str)
    #: {plan row: keys} of cells written by ``apply_values`` (derived keys included), emitted
    #: just before ``plan_changed`` so charts can update those rows instead of re-reading all.
    values_changed = Signal(object)
    plan_changed = Signal()
    view_changed = Signal()

    def __init__(self, plan: FacilityPlan, undo_stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self._plan = plan
        self._undo_stack = undo_stack
        self._filter = FilterSpec()
        self._sort: tuple[str, bool] | None = None
        self._values: dict[str, list[Any]] = {}
        self._display_columns: list[list[str] | None] = []
        self._order_array = np.arange(0)
        self._order_list: list[int] = []
        self._inverse = np.arange(0)
        self._rebuild_caches()
        self._recompute_order()

    # -- plan access -----------------------------------------------------------------------
    @property
    def _order(self) -> np.ndarray:
        """Plan rows in view order. A plain-list mirror serves ``data()``: indexing a Python list
        is several times cheaper per cell than a NumPy scalar converted with ``int()``."""
        return self._order_array

    @_order.setter
    def _order(self, rows: np.ndarray) -> None:
        self._order_array = rows
        self._order_list = rows.tolist()

    @property
    def plan(self) -> FacilityPlan:
        return self._plan

    @property
    def filter_spec(self) -> FilterSpec:
        return self._filter

    def plan_row(self, view_row: int) -> int:
        return int(self._order[view_row])

    def view_row(self, plan_row: int) -> int:
        """View row of a plan row, or -1 when the filter hides it."""
        return int(self._inverse[plan_row])

    def visible_plan_rows(self) -> np.ndarray:
        """Plan rows in view order (a copy), for charts that honour the filter."""
        return self._order.copy()

    def subset_title(self) -> str:
        return subset_title(len(self._order), self._plan.row_count, self._filter)

    def cached_value(self, plan_row: int, key: str) -> Any:
        return self._values[key][plan_row]

    def column_values(self, key: str) -> list[Any]:
        """All cached values of a column, in plan order (do not modify)."""
        return self._values[key]

    # -- Qt read interface ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order_list)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(TABLE_KEYS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # Called once per visible cell and role on every paint (seven roles a cell), so the role
        # is tested first and the roles this model leaves to the style return at once.
        if role in _STYLE_ROLES:
            return None
        if role == _DISPLAY:
            column = index.column()
            if column < 0:
                return None
            shown = self._display_columns[column] or self._display_by_column(column)
            return shown[self._order_list[index.row()]]
        if role == _ALIGNMENT:
            column = index.column()
            return _ALIGNMENTS[column] if column >= 0 else None
        if role == _BACKGROUND or role == _FOREGROUND:
            column = index.column()
            if column not in _BAND_COLUMNS:
                return None
            band = self._values["band"][self._order_list[index.row()]]
            if role == _BACKGROUND:
                return BAND_BACKGROUND.get(band)
            return BAND_FOREGROUND if band in BAND_BACKGROUND else None
        if role not in _OTHER_ROLES or not index.isValid():
            return None
        key = TABLE_KEYS[index.column()]
        row = self._order_list[index.row()]
        if role == _EDIT:
            if key in DERIVED_KEYS:
                return self._display_column(key)[row]
            return edit_text(COLUMN_BY_KEY[key], self._values[key][row])
        if role == RAW_ROLE:
            value = self._values[key][row]
            return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        return self._tooltip(row, key)

    def _tooltip(self, row: int, key: str) -> str | None:
        if key == "utilization" and self._values["utilization"][row] is not None:
            operational = self._values["operational_capacity"][row]
            basis = "operational" if operational is not None else "rated"
            capacity = operational if operational is not None else self._values["rated_capacity"][row]
            return (
                f"{self._display_column('population')[row]} people / {capacity:,} {basis} beds "
                f"= {self._display_column('utilization')[row]}"
            )
        if key == "notes" and self._values["notes"][row]:
            return str(self._values["notes"][row])[:2000]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            key = TABLE_KEYS[section]
            if role == Qt.ItemDataRole.DisplayRole:
                header = COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else _DERIVED_INFO[key].header
                # Two short lines keep numeric columns narrow enough to show utilization on screen.
                return header.replace(" ", "\n", 1) if len(header) > 11 else header
            if role == Qt.ItemDataRole.ToolTipRole:
                column = COLUMN_BY_KEY.get(key)
                if column is not None:
                    return column.description or column.header
                return _DERIVED_INFO[key].description + " (calculated; not editable)"
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._order):
            return str(int(self._order[section]) + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        column = index.column()
        return _FLAGS[column] if column >= 0 else Qt.ItemFlag.NoItemFlags

    # -- Qt write interface: validate, then push a command -----------------------------------
    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = TABLE_KEYS[index.column()]
        if key in DERIVED_KEYS:
            return False
        row = int(self._order[index.row()])
        try:
            parsed = self._plan.validate(row, key, value)
        except PlanError as error:
            self.edit_rejected.emit(str(error))
            return False
        if _same(parsed, self._values[key][row]):
            return True
        from ui.commands import SetCellsCommand

        header = COLUMN_BY_KEY[key].header
        self._undo_stack.push(
            SetCellsCommand(self, [(row, key, parsed)], f"Edit {header} in {self._plan.label(row)}")
        )
        return True

    # -- the one write path, used by commands --------------------------------------------------
    def apply_values(self, changes: Sequence[tuple[int, str, Any]]) -> None:
        """Store validated values and tell views exactly which cells changed."""
        self._plan.set_values(changes)
        touched: dict[int, set[str]] = {}
        for row, key, _value in changes:
            self._values[key][row] = self._plan.value(row, key)
            display = self._display_columns[_COLUMN_OF[key]]
            if display is not None:
                display[row] = _display(key, self._values[key][row])
            touched.setdefault(row, set()).add(key)
        derived_inputs = {"rated_capacity", "operational_capacity", "population"}
        for row, keys in touched.items():
            if keys & derived_inputs:
                record = {k: self._values[k][row] for k in ("rated_capacity", "operational_capacity", "population")}
                for key, value in derive_row(record).items():
                    self._values[key][row] = value
                    display = self._display_columns[_COLUMN_OF[key]]
                    if display is not None:
                        display[row] = _display(key, value)
                keys |= set(DERIVED_KEYS)
        self._emit_changed(touched)
        self.values_changed.emit(touched)
        self.plan_changed.emit()

    def _emit_changed(self, touched: dict[int, set[str]]) -> None:
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, RAW_ROLE]
        visible = [(int(self._inverse[row]), keys) for row, keys in touched.items() if self._inverse[row] >= 0]
        if not visible:
            return
        if len(visible) > 256:
            # A big paste: one rectangle keeps the signal count (and repaint work) bounded.
            rows = [view for view, _ in visible]
            columns = [TABLE_KEYS.index(k) for _, keys in visible for k in keys]
            self.dataChanged.emit(
                self.index(min(rows), min(columns)), self.index(max(rows), max(columns)), roles
            )
            return
        for view, keys in visible:
            columns = sorted(TABLE_KEYS.index(k) for k in keys)
            start = columns[0]
            for previous, column in zip(columns, [*columns[1:], None]):
                if column is None or column != previous + 1:
                    self.dataChanged.emit(self.index(view, start), self.index(view, previous), roles)
                    if column is not None:
                        start = column

    def insert_records(self, position: int, records: Sequence[dict[str, Any]]) -> None:
        """Insert plan rows before plan row ``position``; they appear at that row's place in view."""
        count = len(records)
        if count == 0:
            return
        if position < self._plan.row_count and self._inverse[position] >= 0:
            view_at = int(self._inverse[position])
        else:
            view_at = len(self._order)
        self.beginInsertRows(QModelIndex(), view_at, view_at + count - 1)
        self._plan.insert_rows(position, records)
        shifted = np.where(self._order >= position, self._order + count, self._order)
        new_rows = np.arange(position, position + count)
        self._order = np.concatenate([shifted[:view_at], new_rows, shifted[view_at:]])
        self._rebuild_caches()
        self._refresh_inverse()
        self.endInsertRows()
        self.plan_changed.emit()

    def remove_plan_rows(self, rows: Sequence[int]) -> list[tuple[int, dict[str, Any]]]:
        """Remove plan rows; returns what ``restore_records`` needs to put them back."""
        doomed = sorted(set(int(row) for row in rows))
        if not doomed:
            return []
        views = sorted((int(self._inverse[row]) for row in doomed if self._inverse[row] >= 0), reverse=True)
        for first, last in _runs_descending(views):
            self.beginRemoveRows(QModelIndex(), first, last)
            self._order = np.delete(self._order, np.arange(first, last + 1))
            self.endRemoveRows()
        removed = self._plan.remove_rows(doomed)
        doomed_array = np.array(doomed)
        self._order = self._order - np.searchsorted(doomed_array, self._order, side="right")
        self._rebuild_caches()
        self._refresh_inverse()
        self.plan_changed.emit()
        return removed

    def restore_records(self, removed: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """Undo of ``remove_plan_rows``: each run of rows goes back where it was."""
        ordered = sorted(removed, key=lambda item: item[0])
        index = 0
        while index < len(ordered):
            start = ordered[index][0]
            block = [ordered[index][1]]
            while index + len(block) < len(ordered) and ordered[index + len(block)][0] == start + len(block):
                block.append(ordered[index + len(block)][1])
            self.insert_records(start, block)
            index += len(block)

    def replace_frame(self, frame: pd.DataFrame) -> None:
        """Swap in a whole new table (import modes, revert); views reset."""
        self.beginResetModel()
        self._plan.replace_frame(frame)
        self._rebuild_caches()
        self._recompute_order()
        self.endResetModel()
        self.plan_changed.emit()

    def set_plan(self, plan: FacilityPlan) -> None:
        """Show another plan (open, new); the caller clears the undo stack."""
        self.beginResetModel()
        self._plan = plan
        self._rebuild_caches()
        self._recompute_order()
        self.endResetModel()
        self.plan_changed.emit()

    # -- sort and filter ---------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(TABLE_KEYS):
            self._sort = None
        else:
            self._sort = (TABLE_KEYS[column], order == Qt.SortOrder.AscendingOrder)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_plan_rows = [int(self._order[index.row()]) for index in persistent]
        self._order = self._sorted(self._order)
        self._refresh_inverse()
        new_indexes = [
            self.index(int(self._inverse[row]), index.column()) if self._inverse[row] >= 0 else QModelIndex()
            for row, index in zip(old_plan_rows, persistent)
        ]
        self.changePersistentIndexList(persistent, new_indexes)
        self.layoutChanged.emit()
        self.view_changed.emit()

    def set_filter(self, spec: FilterSpec) -> None:
        if spec == self._filter:
            return
        self.beginResetModel()
        self._filter = spec
        self._recompute_order()
        self.endResetModel()
        self.view_changed.emit()

    def _recompute_order(self) -> None:
        rows = np.flatnonzero(self._filter.mask(self._plan.frame)) if self._filter.active else np.arange(self._plan.row_count)
        self._order = self._sorted(rows)
        self._refresh_inverse()

    def _sorted(self, rows: np.ndarray) -> np.ndarray:
        if self._sort is None or len(rows) == 0:
            return np.sort(rows) if self._sort is None else rows
        key, ascending = self._sort
        values = self._values[key]
        subset = [values[int(row)] for row in rows]
        if key in _NUMERIC_KEYS or (key in COLUMN_BY_KEY and COLUMN_BY_KEY[key].kind is Kind.DATE):
            numbers = np.array(
                [np.nan if v is None else (v.value if isinstance(v, pd.Timestamp) else float(v)) for v in subset],
                dtype="float64",
            )
            missing = np.isnan(numbers)
            keyed = numbers if ascending else -numbers
            order = np.lexsort((keyed, missing))
        else:
            texts = np.array(["" if v is None else str(v).casefold() for v in subset], dtype=object)
            missing = np.array([v is None for v in subset])
            order = np.array(sorted(range(len(subset)), key=lambda i: texts[i], reverse=not ascending), dtype=np.int64)
            order = np.concatenate([order[~missing[order]], order[missing[order]]])
        # Missing values always sort last, whichever the direction, as Excel does.
        return rows[order]

    def _refresh_inverse(self) -> None:
        inverse = np.full(self._plan.row_count, -1, dtype=np.int64)
        inverse[self._order] = np.arange(len(self._order))
        self._inverse = inverse

    # -- caches ------------------------------------------------------------------------------
    def _rebuild_caches(self) -> None:
        frame = self._plan.frame
        values: dict[str, list[Any]] = {}
        for key in FIELD_KEYS:
            series = frame[key]
            if COLUMN_BY_KEY[key].kind is Kind.DATE:
                values[key] = [None if value is pd.NaT else value for value in series]
            else:
                values[key] = series.to_numpy(dtype=object, na_value=None).tolist()
        derived = derive(frame)
        for key in DERIVED_KEYS:
            column = derived[key]
            if key == "band":
                values[key] = column.tolist()
            else:
                values[key] = [None if np.isnan(v) else float(v) for v in column.to_numpy()]
        self._values = values
        self._display_columns = [None] * len(TABLE_KEYS)

    def _display_by_column(self, column: int) -> list[str]:
        """Display text of a whole column in plan order, built on first use and kept up to date
        by ``apply_values`` (in place) until the caches are rebuilt."""
        cached = self._display_columns[column]
        if cached is None:
            key = TABLE_KEYS[column]
            cached = self._display_columns[column] = [_display(key, value) for value in self._values[key]]
        return cached

    def _display_column(self, key: str) -> list[str]:
        return self._display_by_column(_COLUMN_OF[key])


def _same(new: Any, old: Any) -> bool:
    if is_missing(new) and is_missing(old):
        return True
    if is_missing(new) or is_missing(old):
        return False
    return type(new) is type(old) and bool(new == old)


def _runs_descending(views: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous runs (first, last) of descending view rows, last run first."""
    runs: list[tuple[int, int]] = []
    for view in views:
        if runs and runs[-1][0] == view + 1:
            runs[-1] = (view, runs[-1][1])
        else:
            runs.append((view, view))
    return runs
