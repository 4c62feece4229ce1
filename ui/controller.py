"""The controller: owns the plan, the table adapter, the undo stack, the current path and the actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import QTableView, QWidget

from models.facility_plan import FacilityPlan
from models.schema import COLUMN_BY_KEY, DERIVED_KEYS, TABLE_KEYS
from models.tsv import format_tsv, parse_tsv
from models.values import edit_text
from ui import dialogs
from ui.commands import InsertRowsCommand, RemoveRowsCommand, SetCellsCommand
from ui.file_session import FileSession
from ui.settings import Settings
from ui.table_model import FacilityTableModel


class PlanController(QObject):
    """Every user action on the plan goes through here; widgets only display and forward."""

    plan_replaced = Signal()
    file_saved = Signal(str)
    status_message = Signal(str)
    recent_files_changed = Signal()

    def __init__(self, plan: FacilityPlan, settings: Settings, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.model = FacilityTableModel(plan, self.undo_stack, self)
        self.path: str | None = path
        self._table: QTableView | None = None
        self._dialog_parent: QWidget | None = None
        self.actions: dict[str, QAction] = {}
        self._build_actions()
        self.files = FileSession(self)
        self.files.add_actions()
        self.model.edit_rejected.connect(self._on_model_edit_rejected)

    @property
    def plan(self) -> FacilityPlan:
        return self.model.plan

    def bind_view(self, table: QTableView, dialog_parent: QWidget) -> None:
        """The table whose selection copy, paste and fill act on, and the parent for dialogs."""
        self._table = table
        self._dialog_parent = dialog_parent

    # -- actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        self.actions["undo"] = undo
        self.actions["redo"] = redo
        self._add("new", "&New plan", self.new_plan, QKeySequence.StandardKey.New)
        self._add("open", "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        self._add("save", "&Save", self.save, QKeySequence.StandardKey.Save)
        self._add("save_as", "Save &As…", self.save_as, QKeySequence.StandardKey.SaveAs)
        self._add("copy", "&Copy", self.copy_selection, QKeySequence.StandardKey.Copy)
        self._add("cut", "Cu&t", self.cut_selection, QKeySequence.StandardKey.Cut)
        self._add("paste", "&Paste", self.paste_clipboard, QKeySequence.StandardKey.Paste)
        self._add("clear", "Clear c&ontents", self.clear_selection, QKeySequence.StandardKey.Delete)
        self._add("fill_down", "Fill &Down", self.fill_down, QKeySequence("Ctrl+D"))
        self._add("add_row", "&Add facility", self.add_row, QKeySequence("Ctrl+Shift+="))
        self._add("duplicate_rows", "D&uplicate facilities", self.duplicate_rows, QKeySequence("Ctrl+Shift+D"))
        self._add("delete_rows", "De&lete facilities", self.delete_rows, QKeySequence("Ctrl+-"))

    def _add(self, name: str, text: str, slot: Callable[[], Any], shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> None:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = action

    # -- selection helpers ---------------------------------------------------------------------
    def selected_cells(self) -> list[tuple[int, int]]:
        """(view row, column) of the selected cells, or the current cell when nothing is selected."""
        if self._table is None:
            return []
        cells = sorted({(index.row(), index.column()) for index in self._table.selectionModel().selectedIndexes()})
        if not cells:
            current = self._table.currentIndex()
            if current.isValid():
                cells = [(current.row(), current.column())]
        return cells

    def selected_plan_rows(self) -> list[int]:
        return sorted({self.model.plan_row(row) for row, _ in self.selected_cells()})

    # -- clipboard, fill -----------------------------------------------------------------------
    def copy_text(self, cells: list[tuple[int, int]]) -> str:
        """Tab-separated text of the bounding rectangle of ``cells``, as Excel would copy it."""
        if not cells:
            return ""
        rows = range(min(r for r, _ in cells), max(r for r, _ in cells) + 1)
        columns = range(min(c for _, c in cells), max(c for _, c in cells) + 1)
        lines = []
        for row in rows:
            plan_row = self.model.plan_row(row)
            line = []
            for column in columns:
                key = TABLE_KEYS[column]
                value = self.model.cached_value(plan_row, key)
                if key in DERIVED_KEYS:
                    line.append("" if value is None else (repr(value) if isinstance(value, float) else str(value)))
                else:
                    line.append(edit_text(COLUMN_BY_KEY[key], value))
            lines.append(line)
        return format_tsv(lines)

    def copy_selection(self) -> None:
        text = self.copy_text(self.selected_cells())
        if text:
            QGuiApplication.clipboard().setText(text)
            self.status_message.emit(f"Copied {len(self.selected_cells()):,} cells")

    def cut_selection(self) -> None:
        self.copy_selection()
        self.clear_selection("Cut")

    def clear_selection(self, verb: str = "Clear") -> None:
        cells = [(r, c) for r, c in self.selected_cells() if TABLE_KEYS[c] not in DERIVED_KEYS]
        self.apply_cells([(self.model.plan_row(r), TABLE_KEYS[c], "") for r, c in cells], verb)

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste clipboard text at the top-left selected cell; all cells apply or none do.

        A single copied value fills every selected cell, as in Excel. Rows past the end of
        the plan are added as new facilities in the same undo step.
        """
        grid = parse_tsv(text)
        cells = self.selected_cells()
        if not grid or not cells:
            return False
        top = min(r for r, _ in cells)
        left = min(c for _, c in cells)
        if len(grid) == 1 and len(grid[0]) == 1 and len(cells) > 1:
            fill = [(self.model.plan_row(r), TABLE_KEYS[c], grid[0][0]) for r, c in cells if TABLE_KEYS[c] not in DERIVED_KEYS]
            return self.apply_cells(fill, "Paste")
        width = max(len(row) for row in grid)
        if left + width > len(TABLE_KEYS):
            dialogs.show_problems(
                self._dialog_parent, "Paste refused",
                f"The copied range is {width} columns wide but only {len(TABLE_KEYS) - left} columns "
                f"remain from “{self.model.headerData(left, Qt.Orientation.Horizontal)}”. Nothing was pasted.",
                ["Select a cell further left, or copy fewer columns."],
            )
            return False
        changes: list[tuple[int, str, Any]] = []
        extra_rows = max(0, top + len(grid) - self.model.rowCount())
        first_new = self.plan.row_count
        for offset, line in enumerate(grid):
            view_row = top + offset
            plan_row = self.model.plan_row(view_row) if view_row < self.model.rowCount() else first_new + (view_row - self.model.rowCount())
            for column_offset in range(width):
                key = TABLE_KEYS[left + column_offset]
                value = line[column_offset] if column_offset < len(line) else ""
                if key in DERIVED_KEYS:
                    continue  # calculated columns are skipped, as Excel skips protected cells
                changes.append((plan_row, key, value))
        return self.apply_cells(changes, "Paste", new_rows=extra_rows)

    def apply_cells(self, changes: list[tuple[int, str, Any]], verb: str, new_rows: int = 0) -> bool:
        """Validate raw values for many cells and push them as one undo step named after ``verb``."""
        if not changes:
            return False
        staging = self.plan
        if new_rows:
            staging = self.plan.copy()
            staging.insert_rows(staging.row_count, [self._blank_record(staging, i) for i in range(new_rows)])
        parsed, problems = staging.validate_block(changes)
        if problems:
            dialogs.show_problems(
                self._dialog_parent,
                f"{verb} refused",
                f"{len(problems):,} of {len(changes):,} cells cannot take the pasted values. Nothing was changed.",
                [str(problem) for problem in problems],
            )
            return False
        validated = [(row, key, value) for (row, key, _), value in zip(changes, parsed)]
        label = f"{verb} {len(changes):,} cell{'s' if len(changes) != 1 else ''}"
        self.undo_stack.beginMacro(label)
        try:
            if new_rows:
                records = [self._blank_record(staging, i) for i in range(new_rows)]
                self.undo_stack.push(InsertRowsCommand(self.model, self.plan.row_count, records, f"Add {new_rows} rows"))
            self.undo_stack.push(SetCellsCommand(self.model, validated, label))
        finally:
            self.undo_stack.endMacro()
        self.status_message.emit(label)
        return True

    def _blank_record(self, plan: FacilityPlan, offset: int) -> dict[str, Any]:
        return {"id": f"NEW-{plan.row_count + offset + 1:04d}", "name": "New facility"}

    def fill_down(self) -> bool:
        """Ctrl+D: copy the top cell of each selected column into the selected cells below it."""
        cells = self.selected_cells()
        if not cells:
            return False
        columns: dict[int, list[int]] = {}
        for row, column in cells:
            columns.setdefault(column, []).append(row)
        changes: list[tuple[int, str, Any]] = []
        for column, rows in columns.items():
            key = TABLE_KEYS[column]
            if key in DERIVED_KEYS:
                continue
            rows.sort()
            if len(rows) == 1:
                if rows[0] == 0:
                    continue
                source, targets = rows[0] - 1, rows
            else:
                source, targets = rows[0], rows[1:]
            value = edit_text(COLUMN_BY_KEY[key], self.model.cached_value(self.model.plan_row(source), key))
            changes.extend((self.model.plan_row(row), key, value) for row in targets)
        return self.apply_cells(changes, "Fill down")

    # -- rows ------------------------------------------------------------------------------------
    def add_row(self) -> None:
        rows = self.selected_plan_rows()
        position = rows[-1] + 1 if rows else self.plan.row_count
        record = {"id": self.plan.new_id(), "name": "New facility", "status": "operational"}
        self.undo_stack.push(InsertRowsCommand(self.model, position, [record], "Add facility"))
        self._select_plan_row(position)

    def duplicate_rows(self) -> None:
        rows = self.selected_plan_rows()
        if not rows:
            return
        records = []
        used = set(self.plan.frame["id"].dropna())
        for row in rows:
            record = self.plan.record(row)
            base = f"{record['id']}-copy"
            candidate, number = base, 2
            while candidate in used:
                candidate, number = f"{base}{number}", number + 1
            used.add(candidate)
            record["id"] = candidate
            records.append(record)
        position = rows[-1] + 1
        self.undo_stack.push(
            InsertRowsCommand(self.model, position, records, f"Duplicate {len(records)} facilit{'y' if len(records) == 1 else 'ies'}")
        )
        self._select_plan_row(position)

    def delete_rows(self) -> None:
        rows = self.selected_plan_rows()
        if not rows:
            return
        self.undo_stack.push(
            RemoveRowsCommand(self.model, rows, f"Delete {len(rows)} facilit{'y' if len(rows) == 1 else 'ies'}")
        )

    def _select_plan_row(self, plan_row: int) -> None:
        if self._table is None:
            return
        view = self.model.view_row(plan_row)
        if view >= 0:
            index = self.model.index(view, 1)
            self._table.setCurrentIndex(index)
            self._table.scrollTo(index)

    # -- files -------------------------------------------------------------------------------------
    def replace_plan(self, plan: FacilityPlan, path: str | None) -> None:
        """Show a different plan (open, new); clears undo history and marks it clean."""
        self.model.set_plan(plan)
        self.path = path
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.plan_replaced.emit()

    # The file itself (open, save, locks, autosave) is the FileSession's job.
    def new_plan(self) -> None:
        self.files.new_plan()

    def open_dialog(self) -> None:
        self.files.open_dialog()

    def open_path(self, path: str) -> bool:
        return self.files.open_path(path)

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    # -- handlers ------------------------------------------------------------------------------
    def _on_model_edit_rejected(self, message: str) -> None:
        self.status_message.emit(message)
        dialogs.show_error(self._dialog_parent, "Value not accepted", message + ". The cell keeps its old value.")

