"""Import population history from a CSV or workbook: pick sheet, header row and columns, see what will come in.

The layout (long: date, facility, population; wide: one column per date) is detected by
``models.occupancy_history.detect_layout`` and can be corrected; the preview line says how many
figures, for whom and over which dates, or exactly which row and column stops the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.occupancy_history import (
    HistoryError,
    HistoryImport,
    HistorySource,
    Layout,
    detect_layout,
    open_source,
    parse_history,
)

_NONE = "(none: network-wide figures)"
_AUTO = "Detected automatically"


@dataclass(frozen=True)
class HistoryChoice:
    """What the analyst chose: the parsed history and whether it replaces the plan's history."""

    imported: HistoryImport
    replace: bool


class HistoryImportDialog(QDialog):
    """Sheet, header row, layout and columns for one source file, with a live preview."""

    def __init__(self, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import population history — {Path(path).name}")
        self.setMinimumWidth(560)
        self._path = path
        self._frame: pd.DataFrame | None = None
        self._header_row = 1
        self.result_import: HistoryImport | None = None
        try:
            self._source: HistorySource | None = open_source(path)
        except HistoryError as error:
            self._source = None
            self._open_error = str(error)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.sheet = QComboBox(self)
        if self._source is not None:
            self.sheet.addItems(self._source.sheet_names)
        self.sheet.setEnabled(self.sheet.count() > 1)
        self.header_row = QSpinBox(self)
        self.header_row.setRange(0, 100_000)
        self.header_row.setSpecialValueText("Detected")
        self.layout_choice = QComboBox(self)
        self.layout_choice.addItems([_AUTO, "Long: a date, a facility and a population column", "Wide: one column per date"])
        self.date_column = QComboBox(self)
        self.facility_column = QComboBox(self)
        self.population_column = QComboBox(self)
        self.replace = QCheckBox("Replace the plan's existing history (otherwise figures for the same date and facility are replaced)", self)
        form.addRow("Sheet", self.sheet)
        form.addRow("Headers on row", self.header_row)
        form.addRow("Layout", self.layout_choice)
        form.addRow("Date column", self.date_column)
        form.addRow("Facility column", self.facility_column)
        form.addRow("Population column", self.population_column)
        layout.addLayout(form)
        layout.addWidget(self.replace)
        self.preview = QLabel(self)
        self.preview.setObjectName("historyPreview")
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._filling = False
        self.sheet.currentIndexChanged.connect(self._reload)
        self.header_row.valueChanged.connect(self._reload)
        self.layout_choice.currentIndexChanged.connect(self._refill)
        for box in (self.date_column, self.facility_column, self.population_column):
            box.currentIndexChanged.connect(self._update_preview)
        self._reload()

    def _reload(self) -> None:
        if self._source is None:
            self._show(None, self._open_error)
            return
        try:
            self._frame, self._header_row = self._source.frame(self.sheet.currentText() or None,
                                                               self.header_row.value() or None)
        except HistoryError as error:
            self._frame = None
            self._show(None, str(error))
            return
        if not self.header_row.value():
            self.header_row.setSpecialValueText(f"Detected: row {self._header_row}")
        self._refill()

    def _refill(self) -> None:
        """Column choices for the layout, preselecting what detection found."""
        if self._frame is None:
            return
        columns = [str(c) for c in self._frame.columns]
        try:
            detected: Layout | None = detect_layout(self._frame)
        except HistoryError:
            detected = None
        self._filling = True
        try:
            for box, found, optional in (
                (self.date_column, detected.date_column if detected else None, False),
                (self.facility_column, detected.facility_column if detected else None, True),
                (self.population_column, detected.population_column if detected else None, False),
            ):
                box.clear()
                if optional:
                    box.addItem(_NONE)
                box.addItems(columns)
                if found in columns:
                    box.setCurrentText(found)
                elif not optional:
                    box.setCurrentIndex(-1)  # nothing recognised: the analyst picks
            wide = self._wanted_kind(detected) == "wide"
            self.date_column.setEnabled(not wide)
            self.population_column.setEnabled(not wide)
        finally:
            self._filling = False
        self._update_preview()

    def _wanted_kind(self, detected: Layout | None) -> str:
        index = self.layout_choice.currentIndex()
        if index == 1:
            return "long"
        if index == 2:
            return "wide"
        return detected.kind if detected else "long"

    def chosen_layout(self) -> Layout:
        assert self._frame is not None
        facility = self.facility_column.currentText()
        facility_column = None if facility in ("", _NONE) else facility
        try:
            detected: Layout | None = detect_layout(self._frame)
        except HistoryError:
            detected = None
        if self._wanted_kind(detected) == "wide":
            dates = detected.date_columns if detected and detected.kind == "wide" else ()
            if not dates:
                raise HistoryError("No column header is a date, so this is not a wide layout; choose Long")
            return Layout("wide", facility_column=facility_column, date_columns=dates)
        return Layout("long", self.date_column.currentText() or None, facility_column,
                      self.population_column.currentText() or None)

    def _update_preview(self) -> None:
        if self._filling or self._frame is None:
            return
        try:
            layout = self.chosen_layout()
            if layout.kind == "long" and (layout.date_column is None or layout.population_column is None):
                raise HistoryError("Choose the date and population columns")
            imported = parse_history(self._frame, layout, self._header_row)
            if not len(imported.table):
                raise HistoryError("No row has both a date and a population figure")
        except HistoryError as error:
            self._show(None, str(error))
            return
        self._show(imported, f"Will import {imported.summary}.")

    def _show(self, imported: HistoryImport | None, text: str) -> None:
        self.result_import = imported
        self.preview.setText(text)
        self.preview.setStyleSheet("" if imported is not None else "color: #B00020;")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(imported is not None)

    def choice(self) -> HistoryChoice | None:
        if self.result_import is None:
            return None
        return HistoryChoice(self.result_import, self.replace.isChecked())


def ask_history_import(parent: QWidget | None, path: str) -> HistoryChoice | None:
    """Run the dialog; the parsed history and replace flag, or None when cancelled."""
    dialog = HistoryImportDialog(path, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()
    finally:
        dialog.deleteLater()
