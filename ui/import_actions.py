"""File → Import… and dropped spreadsheets: read in the sandbox, run the wizard, apply as one undo step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from models.importing.errors import ImportFailure
from models.importing.mapping import layout_signature, mapping_from_json, mapping_to_json
from models.importing.merge import MODE_LABELS, merge
from models.importing.pipeline import Prepared, Source
from ui import dialogs
from ui.commands import ReplaceFrameCommand
from ui.controller import PlanController
from ui.import_task import read_with_progress
from ui.import_wizard import ImportChoice

IMPORT_FILTER = "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)"
_MAPPING_KEY = "import/mappings/"


class ImportActions(QObject):
    """Owns the Import action; everything it changes goes through the controller's undo stack."""

    status_message = Signal(str)

    def __init__(self, controller: PlanController, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self._parent = parent
        self.action = QAction("&Import…", self)
        self.action.setShortcut(QKeySequence("Ctrl+I"))
        self.action.setStatusTip("Bring facilities in from a spreadsheet someone sent (xlsx, xls, ods, csv)")
        self.action.triggered.connect(lambda _checked=False: self.import_dialog())
        #: Takes a file the analyst says holds population history (set by the scenario docks).
        self.history_handler: Callable[[str, Source], bool] | None = None

    def install(self, file_menu: QMenu, before: QAction) -> None:
        file_menu.insertAction(before, self.action)

    def import_dialog(self) -> bool:
        path = dialogs.open_file_name(self._parent, "Import a spreadsheet", IMPORT_FILTER)
        return self.import_path(path) if path else False

    def import_path(self, path: str) -> bool:
        """Read ``path`` (sandboxed, with progress), run the wizard, apply; the plan is untouched on any failure."""
        outcome = read_with_progress(self._parent, path)
        if outcome.cancelled:
            self._say(f"Import of {Path(path).name} cancelled; nothing changed")
            return False
        if outcome.error is not None or outcome.value is None:
            error = outcome.error
            message = str(error) if isinstance(error, ImportFailure) else (
                f"{Path(path).name} could not be imported ({type(error).__name__}: {error}). Nothing was changed."
            )
            dialogs.show_error(self._parent, "Cannot import", message + ("" if message.endswith(".") else ".")
                               + " The open plan is unchanged.")
            return False
        choice = dialogs.ask_import(self._parent, outcome.value, self.controller.plan.row_count, self.apply_remembered,
                                    with_history=self.history_handler is not None)
        if choice == dialogs.AS_HISTORY and self.history_handler is not None:
            return self.history_handler(path, outcome.value)  # the same read, no second pass over the file
        if not isinstance(choice, ImportChoice):
            return False
        return self.apply(choice)

    def apply(self, choice: ImportChoice) -> bool:
        """Merge the confirmed rows into the plan as one undo step and remember the mapping."""
        fields = list(choice.prepared.mapping.columns)
        outcome = merge(self.controller.plan.frame, choice.result.frame, choice.mode, fields)
        text = f"Import {len(choice.result.frame):,} rows from {choice.source.name} ({MODE_LABELS[choice.mode].lower()})"
        self.controller.undo_stack.push(ReplaceFrameCommand(self.controller.model, outcome.frame, text))
        self.remember(choice.prepared)
        message = f"Imported from {choice.source.name}: {outcome.summary}"
        if outcome.notes:
            message += ". " + " ".join(outcome.notes)
        self._say(message)
        return True

    def _say(self, message: str) -> None:
        self.controller.status_message.emit(message)
        self.status_message.emit(message)

    # -- remembered mappings ---------------------------------------------------------------------
    def remember(self, prepared: Prepared) -> None:
        key = _MAPPING_KEY + layout_signature(prepared.layout)
        self.controller.settings.set_value(key, mapping_to_json(prepared.mapping, prepared.layout))

    def apply_remembered(self, prepared: Prepared) -> None:
        """If a file with these columns was imported before, use the mapping confirmed then."""
        stored = self.controller.settings.value(_MAPPING_KEY + layout_signature(prepared.layout))
        if not stored:
            return
        mapping = mapping_from_json(str(stored), prepared.layout, prepared.fields)
        if mapping is not None:
            prepared.mapping = mapping
