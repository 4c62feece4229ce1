"""Every modal question the app asks, as small functions returning plain values (tests patch these)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.importing.pipeline import Prepared, Source
    from ui.briefing.export_dialogs import BriefingChoice, ChartExportChoice
    from ui.briefing.render import ExportSize
    from ui.briefing.specs import ChartSpec
    from ui.import_wizard import ImportChoice

WORKBOOK_FILTER = "Bedplan workbooks (*.xlsx);;All files (*)"


def ask_save_changes(parent: QWidget | None, plan_title: str) -> str:
    """'save', 'discard' or 'cancel' for a plan with unsaved changes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save the changes to “{plan_title}” before closing?")
    box.setInformativeText("Your changes will be lost if you don't save them.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def show_problems(parent: QWidget | None, title: str, summary: str, problems: Sequence[str]) -> None:
    """List refused values with their reasons; nothing was applied."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(summary)
    shown = list(problems[:12])
    if len(problems) > len(shown):
        shown.append(f"… and {len(problems) - len(shown)} more.")
    box.setInformativeText("\n".join(f"• {problem}" for problem in shown))
    box.setDetailedText("\n".join(problems))
    box.exec()


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.critical(parent, title, message)


def open_file_name(parent: QWidget | None, caption: str, name_filter: str = WORKBOOK_FILTER, folder: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, folder, name_filter)
    return path


def save_file_name(parent: QWidget | None, caption: str, suggested: str = "", name_filter: str = WORKBOOK_FILTER) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, name_filter)
    return path


def ask_chart_export(
    parent: QWidget | None, specs: Sequence[ChartSpec], spec_name: str, size: ExportSize, file_format: str,
    top_n: int | None,
) -> ChartExportChoice | None:
    """Chart, size and format for File → Export chart…; None if cancelled."""
    from ui.briefing.export_dialogs import ChartExportDialog

    dialog = ChartExportDialog(specs, spec_name, size, file_format, top_n, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_briefing_export(
    parent: QWidget | None, specs: Sequence[ChartSpec], chosen: Sequence[str], size: ExportSize, with_pdf: bool,
    top_n: int | None,
) -> BriefingChoice | None:
    """Charts, size and PDF option for File → Export briefing…; None if cancelled."""
    from ui.briefing.export_dialogs import BriefingDialog

    dialog = BriefingDialog(specs, chosen, size, with_pdf, top_n, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_choice(
    parent: QWidget | None, title: str, text: str, informative: str, choices: Sequence[tuple[str, str]], default: str,
) -> str:
    """One of the ``choices`` keys (key, button label), or 'cancel' when the box is closed."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    buttons: dict[object, str] = {}
    for key, label in choices:
        role = QMessageBox.ButtonRole.RejectRole if key == "cancel" else QMessageBox.ButtonRole.AcceptRole
        button = box.addButton(label, role)
        buttons[button] = key
        if key == default:
            box.setDefaultButton(button)
    box.exec()
    return buttons.get(box.clickedButton(), "cancel")


def show_message(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


#: What ``ask_import`` returns when the analyst says the file holds population history.
AS_HISTORY = "history"


def ask_import(
    parent: QWidget | None, source: Source, plan_rows: int, remembered: Callable[[Prepared], None],
    with_history: bool = False,
) -> ImportChoice | str | None:
    """The import wizard on a read source; None if cancelled, ``AS_HISTORY`` if the analyst chose
    to bring the file in as population history (offered when ``with_history``)."""
    from ui.import_wizard import ImportWizard

    wizard = ImportWizard(source, plan_rows, remembered, parent=parent, with_history=with_history)
    try:
        if wizard.exec() == QDialog.DialogCode.Accepted:
            return wizard.choice()
        return AS_HISTORY if wizard.as_history else None
    finally:
        wizard.deleteLater()
