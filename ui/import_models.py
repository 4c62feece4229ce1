"""Item models for the import wizard: the raw sheet preview and the validation report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from models.importing.convert import CHANGED, EXCLUDED, Issue
from models.importing.layout import column_letter
from models.importing.sandbox import HEAD_ROWS, RawSheet

_HEADER = QColor("#cfe3f7")
_BAND = QColor("#e8f1fb")
_ABOVE = QColor("#8a8a8a")
_INDEX = QModelIndex()


def _shown(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{int(value)}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


class SheetPreviewModel(QAbstractTableModel):
    """The top rows of a sheet as read; the header row and its band highlighted, rows above it grey."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[list[str]] = []
        self._origin = (0, 0)
        self._width = 0
        self.header_row = -1
        self.band_row: int | None = None

    def set_sheet(self, sheet: RawSheet | None) -> None:
        self.beginResetModel()
        if sheet is None:
            self._rows, self._origin, self._width = [], (0, 0), 0
        else:
            self._rows = [[_shown(value) for value in row] for row in sheet.rows(0, HEAD_ROWS)]
            self._origin = sheet.origin
            self._width = sheet.width
        self.header_row, self.band_row = -1, None
        self.endResetModel()

    def set_header(self, header_row: int, band_row: int | None) -> None:
        self.header_row, self.band_row = header_row, band_row
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, max(self._width - 1, 0)))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)

    def excel_row(self, row: int) -> int:
        return self._origin[0] + row + 1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else self._width

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            line = self._rows[row]
            return line[index.column()] if index.column() < len(line) else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if row == self.header_row:
                return QBrush(_HEADER)
            if row == self.band_row:
                return QBrush(_BAND)
        if role == Qt.ItemDataRole.ForegroundRole and 0 <= row < self.header_row and row != self.band_row:
            return QBrush(_ABOVE)
        if role == Qt.ItemDataRole.FontRole and row == self.header_row:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_letter(self._origin[1] + section)
        marker = " ▸" if section == self.header_row else ""
        return f"{self.excel_row(section)}{marker}"


class IssuesModel(QAbstractTableModel):
    """The validation report: sheet, row, column, value, reason, and what happened."""

    HEADERS = ("Sheet", "Row", "Column", "Value", "Reason", "Outcome")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._issues: list[Issue] = []
        self.flag = False

    def set_issues(self, issues: Sequence[Issue], flag: bool) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.flag = flag
        self.endResetModel()

    def issue(self, row: int) -> Issue:
        return self._issues[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def _outcome(self, issue: Issue) -> str:
        if issue.severity == EXCLUDED:
            return "row left out"
        if issue.severity == CHANGED:
            return "imported, changed"
        return "imported, flagged" if self.flag else "row skipped"

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        issue = self._issues[index.row()]
        values = (issue.sheet, issue.row, issue.column, _shown(issue.value), issue.reason, self._outcome(issue))
        value = values[index.column()]
        return value if role == Qt.ItemDataRole.DisplayRole else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None
