"""The sheet-and-header page and the column-mapping page of the import wizard.

Both work on a ``Prepared`` sheet and the field list they are given. Population history has a
dialog of its own (``ui.scenarios.history_import``), which the wizard hands a file over to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from models.importing.mapping import FieldSpec, resolve_column
from models.importing.pipeline import Prepared, Source, best_sheet, prepare
from models.importing.sandbox import RawSheet
from ui.import_models import SheetPreviewModel, _shown

NOT_IMPORTED = "— not imported —"
SUM_SEPARATOR = " + "


class SheetPage(QWizardPage):
    """Pick the sheet (with a live preview of each) and confirm or click the header row."""

    prepared_changed = Signal()

    def __init__(self, source: Source, fields: Sequence[FieldSpec], remembered: Callable[[Prepared], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Sheet and header row")
        self.source = source
        self.fields = tuple(fields)
        self._remembered = remembered
        self.prepared: Prepared | None = None
        self.sheets = QListWidget(self)
        for sheet in source.book.sheets:
            label = f"{sheet.name}  ({sheet.row_count:,} rows{'' if sheet.visible else ', hidden'})"
            item = QListWidgetItem(label, self.sheets)
            item.setData(Qt.ItemDataRole.UserRole, sheet.name)
        self.preview_model = SheetPreviewModel(self)
        self.preview = QTableView(self)
        self.preview.setModel(self.preview_model)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setDefaultSectionSize(110)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        splitter = QSplitter(self)
        splitter.addWidget(self.sheets)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        notes = " ".join(source.notes)
        if notes:
            note = QLabel(notes, self)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.explanation)
        self.sheets.currentItemChanged.connect(self._on_sheets_current_item_changed)
        self.preview.clicked.connect(self._on_preview_clicked)
        try:
            chosen = best_sheet(source.book, self.fields)
        except ValueError:
            chosen = source.book.sheets[0].name
        except Exception:  # ImportFailure: no sheet looks like a table; start on the first and let the analyst choose
            chosen = source.book.sheets[0].name
        self.select_sheet(chosen)

    def sheet(self) -> RawSheet:
        item = self.sheets.currentItem()
        return self.source.book.sheet(item.data(Qt.ItemDataRole.UserRole))

    def select_sheet(self, name: str) -> None:
        for row in range(self.sheets.count()):
            if self.sheets.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.sheets.setCurrentRow(row)
                return
        raise KeyError(name)

    def set_header_row(self, row: int) -> None:
        """The analyst's correction: ``row`` (0-based in the preview) is the header."""
        self._prepare(self.sheet(), row)

    def _on_sheets_current_item_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        sheet = self.sheet()
        self.preview_model.set_sheet(sheet)
        self._prepare(sheet, None)

    def _on_preview_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.row() != self.preview_model.header_row:
            self.set_header_row(index.row())

    def _prepare(self, sheet: RawSheet, header_row: int | None) -> None:
        self.prepared = None
        if sheet.row_count == 0:
            self.preview_model.set_header(-1, None)
            self.explanation.setText(f"Sheet “{sheet.name}” is empty. Choose another sheet.")
        else:
            try:
                self.prepared = prepare(sheet, header_row, self.fields)
            except ValueError as error:
                self.explanation.setText(str(error))
            else:
                self._remembered(self.prepared)
                layout = self.prepared.layout
                self.preview_model.set_header(layout.header_row, layout.band_row)
                how = "detected" if header_row is None else "chosen"
                text = f"Header: row {self.preview_model.excel_row(layout.header_row)} ({how})"
                if layout.band_row is not None:
                    text += f", combined with the group titles on row {self.preview_model.excel_row(layout.band_row)}"
                data_rows = sheet.row_count - layout.first_data_row
                text += f"; {data_rows:,} rows below it. Click another row to make it the header."
                self.explanation.setText(text)
                self.preview.scrollTo(self.preview_model.index(layout.header_row, 0))
        self.prepared_changed.emit()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.prepared is not None


class MappingPage(QWizardPage):
    """Each field, the column (or columns added up) it comes from, and why; editable."""

    def __init__(self, sheet_page: SheetPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Columns to fields")
        self.setSubTitle("Pick a column for each field, or type several joined by “ + ” to add them up.")
        self.sheet_page = sheet_page
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Field", "Column(s)", "How", "First value"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.missing_codes = QLineEdit(self)
        self.missing_codes.setPlaceholderText("numbers that mean ‘no value’, e.g. -999999")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #a40000;")
        codes = QHBoxLayout()
        codes.addWidget(QLabel("Missing-value codes:", self))
        codes.addWidget(self.missing_codes, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(codes)
        layout.addWidget(self.error)
        self.combos: dict[str, QComboBox] = {}
        self._problems: dict[str, str] = {}
        self.missing_codes.textChanged.connect(lambda _text: self.completeChanged.emit())

    @property
    def prepared(self) -> Prepared:
        assert self.sheet_page.prepared is not None
        return self.sheet_page.prepared

    def initializePage(self) -> None:
        prepared = self.prepared
        names = list(prepared.layout.names)
        self.table.setRowCount(len(prepared.fields))
        self.combos.clear()
        self._problems.clear()
        for row, spec in enumerate(prepared.fields):
            label = QTableWidgetItem(spec.label + (" *" if spec.required else ""))
            self.table.setItem(row, 0, label)
            combo = QComboBox(self.table)
            combo.setEditable(True)
            combo.addItems([NOT_IMPORTED, *names])
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            positions = prepared.mapping.get(spec.key)
            combo.setCurrentText(SUM_SEPARATOR.join(names[p] for p in positions) if positions else NOT_IMPORTED)
            combo.currentTextChanged.connect(lambda text, key=spec.key: self._on_combo_text_changed(key, text))
            self.table.setCellWidget(row, 1, combo)
            self.combos[spec.key] = combo
            self._show_reason(row, spec.key)
        self.table.resizeColumnToContents(0)

    def choose(self, key: str, text: str) -> None:
        """Set a field's column(s) as the analyst would type them."""
        self.combos[key].setCurrentText(text)

    def _on_combo_text_changed(self, key: str, text: str) -> None:
        prepared = self.prepared
        parts = [] if text.strip() in ("", NOT_IMPORTED) else [part.strip() for part in text.split(SUM_SEPARATOR)]
        self._problems.pop(key, None)
        try:
            positions = [resolve_column(part, prepared.layout) for part in parts]
            spec = next(spec for spec in prepared.fields if spec.key == key)
            if len(positions) > 1 and not spec.summable and spec.kind != "text":
                raise ValueError(f"{spec.label} cannot add up several columns")
        except ValueError as error:
            self._problems[key] = str(error)
        else:
            prepared.mapping.set(key, positions, "chosen here")
        row = [spec.key for spec in prepared.fields].index(key)
        self._show_reason(row, key)
        self.completeChanged.emit()

    def _show_reason(self, row: int, key: str) -> None:
        prepared = self.prepared
        problem = self._problems.get(key)
        reason = problem or prepared.mapping.reasons.get(key, "")
        item = QTableWidgetItem(reason)
        if problem:
            item.setForeground(Qt.GlobalColor.darkRed)
        self.table.setItem(row, 2, item)
        positions = prepared.mapping.get(key)
        first = ""
        if positions and not problem:
            start = prepared.layout.first_data_row
            values = [prepared.sheet.cell(start, p) for p in positions] if start < prepared.sheet.row_count else []
            numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if len(values) > 1 and len(numbers) == len(values):
                first = f"{_shown(float(sum(numbers)))} (sum)"
            else:
                first = SUM_SEPARATOR.join(_shown(v) for v in values)
        self.table.setItem(row, 3, QTableWidgetItem(first))

    def sentinels(self) -> tuple[float, ...] | None:
        """The typed missing-value codes; None if one is not a number."""
        codes = []
        for part in self.missing_codes.text().replace(";", ",").split(","):
            if part.strip():
                try:
                    codes.append(float(part.strip().replace(" ", "")))
                except ValueError:
                    return None
        return tuple(codes)

    def isComplete(self) -> bool:
        messages = list(self._problems.values())
        if self.sentinels() is None:
            messages.append("Missing-value codes must be numbers separated by commas")
        missing = [spec.label for spec in self.prepared.fields if spec.required and not self.prepared.mapping.get(spec.key)]
        if missing:
            messages.append(f"Choose a column for {', '.join(missing)}")
        self.error.setText("; ".join(messages))
        return not messages
