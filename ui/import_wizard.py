"""File → Import…: choose the sheet and header, map the columns, review what will and will not be
imported, and choose how the rows join the plan (replace, add, or update by ID).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from models.importing.convert import DEFAULT_SENTINELS, FLAG, SKIP, ImportOptions, ImportResult
from models.importing.mapping import FieldSpec, facility_fields, maps_beds
from models.importing.merge import APPEND, MODE_LABELS, REPLACE, UPSERT
from models.importing.pipeline import Prepared, Source
from models.importing.report import save_report
from ui import dialogs
from ui.import_models import IssuesModel
from ui.import_pages import MappingPage, SheetPage
from ui.import_task import convert_with_progress

REPORT_FILTER = "CSV (*.csv);;JSON (*.json)"


@dataclass
class ImportChoice:
    """What the analyst confirmed: the converted rows, how they join the plan, and where from."""

    source: Source
    prepared: Prepared
    result: ImportResult
    mode: str
    options: ImportOptions


class ReviewPage(QWizardPage):
    """What will be imported, every value that could not be used, skip-or-flag, and the mode."""

    def __init__(self, mapping_page: MappingPage, plan_rows: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Review and import")
        self.mapping_page = mapping_page
        self.result: ImportResult | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.issues_model = IssuesModel(self)
        self.issues = QTableView(self)
        self.issues.setModel(self.issues_model)
        self.issues.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.issues.verticalHeader().setVisible(False)
        problems = QGroupBox("Rows with problems", self)
        self.skip = QRadioButton("Skip them", problems)
        self.flag = QRadioButton("Import them with the bad cells empty and the reason in Notes", problems)
        self.skip.setChecked(True)
        self.problem_group = QButtonGroup(self)
        for button in (self.skip, self.flag):
            self.problem_group.addButton(button)
        row = QHBoxLayout(problems)
        row.addWidget(self.skip)
        row.addWidget(self.flag)
        modes = QGroupBox("Into the open plan", self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        self.mode_group = QButtonGroup(self)
        mode_row = QHBoxLayout(modes)
        for mode in (REPLACE, APPEND, UPSERT):
            button = QRadioButton(MODE_LABELS[mode], modes)
            self.mode_buttons[mode] = button
            self.mode_group.addButton(button)
            mode_row.addWidget(button)
        self.mode_buttons[APPEND if plan_rows else REPLACE].setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.issues, 1)
        layout.addWidget(problems)
        layout.addWidget(modes)
        self.save_report_button = QPushButton("Save report…", self)
        self.save_report_button.setToolTip("Write every issue (sheet, row, column, value, reason) to CSV or JSON")
        self.save_report_button.clicked.connect(lambda _checked=False: self.save_report())
        layout.insertWidget(3, self.save_report_button, 0, Qt.AlignmentFlag.AlignRight)
        self.flag.toggled.connect(lambda _checked: self.refresh())

    def save_report(self) -> str:
        """Ask for a file and write the validation report there; returns the path ('' if none)."""
        if self.result is None:
            return ""
        source = self.mapping_page.sheet_page.source
        suggested = str(Path(source.path).with_name(Path(source.path).stem + " import report.csv"))
        path = dialogs.save_file_name(self, "Save import report", suggested, REPORT_FILTER)
        if not path:
            return ""
        try:
            save_report(path, source, self.mapping_page.prepared, self.result)
        except OSError as error:
            dialogs.show_error(self, "Report not saved", f"Could not write {path}: {error.strerror or error}")
            return ""
        return path

    @property
    def mode(self) -> str:
        return next(mode for mode, button in self.mode_buttons.items() if button.isChecked())

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)

    def options(self) -> ImportOptions:
        sentinels = self.mapping_page.sentinels() or ()
        return ImportOptions(sentinels=sentinels, on_problem=FLAG if self.flag.isChecked() else SKIP)

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        outcome = convert_with_progress(self, self.mapping_page.prepared, self.options())
        self.result = outcome.value if outcome.ok else None
        if self.result is None:
            reason = "cancelled" if outcome.cancelled else str(outcome.error)
            self.summary.setText(f"The rows could not be checked: {reason}")
            self.issues_model.set_issues([], False)
        else:
            result = self.result
            problems = result.rows_with_problems
            handled = "flagged" if self.flag.isChecked() else "skipped"
            parts = [f"<b>{len(result.frame):,} facilities ready to import</b>"]
            parts.append(f"{problems:,} rows with problems ({handled})" if problems else "no problems")
            if result.excluded_rows:
                parts.append(f"{result.excluded_rows:,} rows left out (totals, notes)")
            if not maps_beds(self.mapping_page.prepared.mapping):
                parts.append("<span style='color:#b03a00'>no capacity or population column is mapped (go Back to "
                             "map one, or import the facilities without figures)</span>")
            changed = sum(1 for issue in result.issues if issue.severity == "changed")
            if changed:
                parts.append(f"{changed:,} values changed (listed below)")
            self.summary.setText("; ".join(parts) + ".")
            self.notes.setText(" ".join([*self.mapping_page.sheet_page.source.notes, *result.notes]))
            self.issues_model.set_issues(result.issues, self.flag.isChecked())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.result is not None and len(self.result.frame) > 0


class ImportWizard(QWizard):
    """Three pages over one read source; ``choice()`` after it was accepted."""

    def __init__(self, source: Source, plan_rows: int, remembered: Callable[[Prepared], None] | None = None,
                 fields: Sequence[FieldSpec] | None = None, parent: QWidget | None = None,
                 with_history: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {source.name}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(1100, 720)
        self.source = source
        self.sheet_page = SheetPage(source, fields or facility_fields(), remembered or (lambda _prepared: None), self)
        self.mapping_page = MappingPage(self.sheet_page, self)
        self.mapping_page.missing_codes.setText(", ".join(f"{value:.0f}" for value in DEFAULT_SENTINELS))
        self.review_page = ReviewPage(self.mapping_page, plan_rows, self)
        self.addPage(self.sheet_page)
        self.addPage(self.mapping_page)
        self.addPage(self.review_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")
        #: Set when the analyst says the file holds population history, not facilities.
        self.as_history = False
        if with_history:
            self.setButtonText(QWizard.WizardButton.CustomButton1, "Population history instead…")
            self.button(QWizard.WizardButton.CustomButton1).setToolTip(
                "This file holds population by date (per facility or for the network): import it into the "
                "plan's occupancy history instead"
            )
            self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
            self.customButtonClicked.connect(self._on_custom_button)

    def _on_custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.as_history = True
            self.reject()

    def choice(self) -> ImportChoice | None:
        prepared = self.sheet_page.prepared
        result = self.review_page.result
        if prepared is None or result is None:
            return None
        return ImportChoice(self.source, prepared, result, self.review_page.mode, self.review_page.options())
