"""The plan's file: open, save, save as, export a copy, revert, locks, changes on disk, autosave.

One FileSession belongs to the controller. It never writes a file Bedplan did not create, saves
in a worker thread behind a progress bar (``ui.progress``), notices when the file changed on disk
or is open in Excel, LibreOffice or another Bedplan, and autosaves unsaved edits to the recovery
store (``models.recovery``) every minute and soon after large changes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QTimer, Signal
from PySide6.QtGui import QKeySequence

from models.facility_plan import FacilityPlan, PlanMeta
from models.file_safety import Fingerprint, PlanLock, SaveError, office_locks, resolve_target
from models.recovery import RecoveryEntry, RecoveryStore
from models.workbook_io import WorkbookError, export_plan, is_bedplan_workbook, read_plan, save_plan
from ui import dialogs
from ui.progress import run_with_progress
from ui.settings import config_dir

if TYPE_CHECKING:
    from ui.controller import PlanController

AUTOSAVE_MS = 60_000
#: Cells changed since the last autosave that count as a large operation (autosave in seconds).
LARGE_CHANGE_CELLS = 2_000


class FileSession(QObject):
    """Owns the current path, its fingerprint and lock, and the recovery session."""

    autosaved = Signal()

    def __init__(self, controller: PlanController, autosave_ms: int = AUTOSAVE_MS, store: RecoveryStore | None = None) -> None:
        super().__init__(controller)
        self.controller = controller
        self.store = store if store is not None else RecoveryStore(config_dir() / "recovery")
        self.recovery = self.store.session()
        self.fingerprint: Fingerprint | None = None
        self.lock: PlanLock | None = None
        self._autosave_thread: threading.Thread | None = None
        # Every change to the plan (cells, rows, a new plan, any undo step) bumps the generation;
        # an autosave records the generation it wrote.
        self._generation = 0
        self._autosaved_generation: int | None = 0
        self._changed_cells = 0
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(2_000)
        self._soon.timeout.connect(self.autosave)
        model = controller.model
        model.dataChanged.connect(self._on_model_data_changed)
        model.rowsInserted.connect(self._on_model_rows_changed)
        model.rowsRemoved.connect(self._on_model_rows_changed)
        model.modelReset.connect(self._on_model_reset)
        controller.undo_stack.indexChanged.connect(self._bump)
        controller.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        if controller.path:
            self._attach(controller.path)

    # -- actions -------------------------------------------------------------------------------
    def add_actions(self) -> None:
        self.controller._add("export_copy", "&Export a copy…", self.export_copy, QKeySequence("Ctrl+Shift+E"))
        self.controller._add("revert", "Re&vert to saved", self.revert, QKeySequence("Ctrl+Shift+R"))

    @property
    def _parent(self):  # type: ignore[no-untyped-def]
        return self.controller._dialog_parent

    @property
    def path(self) -> str | None:
        return self.controller.path

    # -- open, new, revert -----------------------------------------------------------------------
    def new_plan(self) -> None:
        if not self.maybe_save():
            return
        self._replace(FacilityPlan(meta=PlanMeta(title="Untitled plan")), None)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        folder = str(Path(self.path).parent) if self.path else ""
        path = dialogs.open_file_name(self._parent, "Open plan", folder=folder)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a Bedplan workbook; on failure say why and leave the current plan untouched."""
        holder = PlanLock(path).holder()
        if holder is not None:
            answer = dialogs.ask_choice(
                self._parent, "Plan already open", f"{Path(path).name} is being edited in another Bedplan window: "
                f"{holder.describe()}.", "If you both save, one of you will overwrite the other's changes.",
                [("open", "Open anyway"), ("cancel", "Cancel")], "cancel",
            )
            if answer != "open":
                return False
        outcome = run_with_progress(self._parent, f"Opening {Path(path).name}…", lambda report: read_plan(path, report))
        if outcome.cancelled:
            return False
        if outcome.error is not None or outcome.value is None:
            error = outcome.error
            if isinstance(error, (WorkbookError, OSError)):
                message = str(error)
            else:  # a damaged file can upset the reader in ways it does not name; never lose the open plan
                message = f"{Path(path).name} could not be read ({type(error).__name__}: {error})"
            dialogs.show_error(self._parent, "Cannot open plan", f"{message}. The current plan is unchanged.")
            return False
        plan = outcome.value
        self._replace(plan, str(resolve_target(path)))
        self.controller.settings.add_recent_file(path)
        self.controller.recent_files_changed.emit()
        message = f"Opened {Path(path).name}: {plan.row_count:,} facilities"
        locks = office_locks(path)
        if locks:
            message += f". Note: {locks[0].describe()}; changes made there are not in this window"
        self.controller.status_message.emit(message)
        return True

    def show_unsaved(self, plan: FacilityPlan) -> None:
        """Show a plan that has no Bedplan file yet (an import): unsaved, so Save asks where,
        and autosaved soon so a crash does not lose the import."""
        self._replace(plan, None)
        self.controller.undo_stack.resetClean()
        self._count_change(LARGE_CHANGE_CELLS)

    def revert(self) -> bool:
        """Throw away unsaved changes and read the saved file again (asks first)."""
        if self.path is None or not Path(self.path).exists():
            dialogs.show_error(self._parent, "Nothing to revert to", "This plan has not been saved to a file yet.")
            return False
        if not self.controller.undo_stack.isClean():
            answer = dialogs.ask_choice(
                self._parent, "Revert to saved", f"Discard all changes since {Path(self.path).name} was last saved?",
                "This cannot be undone.", [("revert", "Revert"), ("cancel", "Cancel")], "cancel",
            )
            if answer != "revert":
                return False
        path = self.path
        # The edits stay unsaved (and their autosave kept) until the saved file is really back:
        # a reopen that fails leaves the analyst exactly where they were.
        if not self.open_path(path):
            return False
        self.recovery.clear()
        return True

    def _replace(self, plan: FacilityPlan, path: str | None) -> None:
        self._detach()
        self.recovery.clear()  # the previous plan was saved or its changes discarded by the analyst
        self.controller.replace_plan(plan, path)
        self._autosaved_generation = self._generation
        self._changed_cells = 0
        if path:
            self._attach(path)

    def _attach(self, path: str) -> None:
        self.fingerprint = Fingerprint.of(path)
        self.lock = PlanLock(path)
        if self.lock.holder() is None:
            self.lock.acquire()

    def _detach(self) -> None:
        if self.lock is not None:
            self.lock.release()
        self.lock = None
        self.fingerprint = None

    def close(self) -> None:
        """The window is closing after the unsaved-changes question: release the lock."""
        self._detach()
        self.autosave_timer.stop()
        if self._autosave_thread is not None:
            self._autosave_thread.join()
        if self.controller.undo_stack.isClean():
            self.recovery.clear()

    # -- save ---------------------------------------------------------------------------------------
    def save(self) -> bool:
        path = self.path
        if path is None:
            return self.save_as()
        if Path(path).exists() and not is_bedplan_workbook(path):
            self.controller.status_message.emit(f"{Path(path).name} was not written by Bedplan; choose where to save the plan")
            return self.save_as()  # a workbook Bedplan did not write is never overwritten
        changed = Path(path).exists() and self.fingerprint is not None and Fingerprint.of(path) != self.fingerprint
        removed = not Path(path).exists() and self.fingerprint is not None
        if changed or removed:
            if removed:  # nothing to reload: write it back, or somewhere else
                what, advice = "removed", "Save this plan there again, or under another name."
                choices = [("overwrite", "Save There"), ("save_as", "Save As…"), ("cancel", "Cancel")]
            else:
                what = "changed"
                advice = ("Reload it (your unsaved changes here are lost), overwrite it with this plan, or save this "
                          "plan under another name.")
                choices = [("reload", "Reload"), ("overwrite", "Overwrite"), ("save_as", "Save As…"), ("cancel", "Cancel")]
            answer = dialogs.ask_choice(
                self._parent, "File changed on disk",
                f"{Path(path).name} was {what} by another program since Bedplan opened it.", advice, choices, "save_as",
            )
            if answer == "reload":
                # Not saved: the plan on disk replaces this one, or (if it cannot be read) nothing changes.
                self.open_path(path)
                return False
            if answer == "save_as":
                return self.save_as()
            if answer != "overwrite":
                return False
        if not self._office_lock_allows(path):
            return False
        return self._write(path)

    def _office_lock_allows(self, path: str) -> bool:
        locks = office_locks(path)
        if not locks:
            return True
        answer = dialogs.ask_choice(
            self._parent, "Workbook open elsewhere", f"{Path(path).name} is open in another program: {locks[0].describe()}.",
            "If you save now and they save later, their copy will replace yours. Save under another name instead?",
            [("save_as", "Save As…"), ("overwrite", "Save anyway"), ("cancel", "Cancel")], "save_as",
        )
        if answer == "save_as":
            return self.save_as()
        return answer == "overwrite"

    def save_as(self) -> bool:
        suggested = self.path or str(Path.home() / f"{self.controller.plan.meta.title}.xlsx")
        while True:
            path = dialogs.save_file_name(self._parent, "Save plan as", suggested)
            if not path:
                return False
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            if Path(path).exists() and not is_bedplan_workbook(path):
                dialogs.show_error(
                    self._parent, "Choose another name",
                    f"{Path(path).name} is a workbook Bedplan did not create; Bedplan never overwrites it. Choose another name.",
                )
                suggested = path
                continue
            holder = PlanLock(path).holder()
            if holder is not None and resolve_target(path) != (resolve_target(self.path) if self.path else None):
                dialogs.show_error(self._parent, "Choose another name", f"{Path(path).name} is open in another Bedplan window: {holder.describe()}.")
                suggested = path
                continue
            return self._write(path)

    def export_copy(self) -> bool:
        """Write a copy elsewhere; the window stays on its own file and its unsaved state."""
        suggested = str(Path(self.path).with_name(Path(self.path).stem + " (copy).xlsx")) if self.path else ""
        path = dialogs.save_file_name(self._parent, "Export a copy of the plan", suggested)
        if not path:
            return False
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        snapshot = self.controller.plan.copy()
        outcome = run_with_progress(self._parent, f"Exporting {Path(path).name}…", lambda report: export_plan(snapshot, path, report))
        if outcome.cancelled:
            self.controller.status_message.emit("Export cancelled; nothing was written")
            return False
        if outcome.error is not None:
            return self._report_save_error(outcome.error, "Copy not exported", "")
        self.controller.status_message.emit(f"Exported a copy to {path}")
        return True

    def _write(self, path: str) -> bool:
        snapshot = self.controller.plan.copy()
        index = self.controller.undo_stack.index()
        outcome = run_with_progress(self._parent, f"Saving {Path(path).name}…", lambda report: save_plan(snapshot, path, report))
        if outcome.cancelled:
            self.controller.status_message.emit("Save cancelled; the file on disk is unchanged")
            return False
        if outcome.error is not None:
            return self._report_save_error(outcome.error, "Plan not saved", " The plan is still open and unsaved.")
        real = str(resolve_target(path))
        if real != self.path:
            self._detach()
        self.controller.path = real
        if self.lock is None:
            self._attach(real)
        self.fingerprint = Fingerprint.of(real)
        if self.controller.undo_stack.index() == index:
            self.controller.undo_stack.setClean()
        self.recovery.clear()
        self._autosaved_generation = self._generation
        self.controller.settings.add_recent_file(real)
        self.controller.recent_files_changed.emit()
        self.controller.file_saved.emit(real)
        self.controller.status_message.emit(f"Saved {Path(path).name} (previous version kept as a backup)")
        return True

    def _report_save_error(self, error: BaseException, title: str, suffix: str) -> bool:
        if isinstance(error, (SaveError, WorkbookError, OSError)):
            message = str(error)
        else:  # a fault in the writer itself: still nothing was replaced, so say so rather than crash
            message = f"Could not save: an unexpected error stopped the writer ({type(error).__name__}: {error}). The file on disk is unchanged."
        dialogs.show_error(self._parent, title, f"{message}{suffix}")
        return False

    def maybe_save(self) -> bool:
        """True when it is fine to discard the current plan (saved, discarded, or clean)."""
        if self.controller.undo_stack.isClean():
            return True
        answer = dialogs.ask_save_changes(self._parent, self.controller.plan.meta.title)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.recovery.clear()  # the analyst said so
            return True
        return False

    # -- autosave -------------------------------------------------------------------------------
    def autosave(self) -> bool:
        """Write unsaved edits to the recovery store in a background thread; False if nothing to do."""
        if self.controller.undo_stack.isClean() or self._generation == self._autosaved_generation:
            return False
        if self._autosave_thread is not None and self._autosave_thread.is_alive():
            return False
        snapshot = self.controller.plan.copy()
        original = self.path
        self._autosaved_generation = self._generation
        self._changed_cells = 0

        def work() -> None:
            try:
                self.recovery.save(snapshot, original)
            except (OSError, SaveError, WorkbookError):
                self._autosaved_generation = None  # try again next time
                return
            self.autosaved.emit()

        self._autosave_thread = threading.Thread(target=work, name="bedplan-autosave", daemon=True)
        self._autosave_thread.start()
        return True

    def wait_for_autosave(self) -> None:
        if self._autosave_thread is not None:
            self._autosave_thread.join()

    def _on_model_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: object = None) -> None:
        self._count_change((bottom.row() - top.row() + 1) * (bottom.column() - top.column() + 1))

    def _on_model_rows_changed(self, parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        self._count_change((last - first + 1) * 10)

    def _on_model_reset(self) -> None:
        self._count_change(LARGE_CHANGE_CELLS)  # a whole new table (an import): autosave soon if unsaved

    def _bump(self, *_args: object) -> None:
        self._generation += 1

    def _count_change(self, cells: int) -> None:
        self._generation += 1
        self._changed_cells += cells
        if self._changed_cells >= LARGE_CHANGE_CELLS and not self._soon.isActive():
            self._soon.start()

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if clean:
            self._changed_cells = 0

    # -- recovery on launch -----------------------------------------------------------------------
    def offer_recovery(self) -> None:
        """Offer every orphaned autosave: Restore, Save As, Discard, or decide later (kept)."""
        for entry in self.store.orphans(self.recovery):
            answer = dialogs.ask_choice(
                self._parent, "Recover unsaved changes",
                f"Bedplan closed without saving {entry.describe()}.",
                "Restore opens it here with its changes unsaved; Save As writes it to a file; Discard deletes it. "
                "Decide later keeps it for the next launch.",
                [("restore", "Restore"), ("save_as", "Save As…"), ("discard", "Discard"), ("later", "Decide later")], "restore",
            )
            if answer == "restore":
                self.restore(entry)
            elif answer == "save_as":
                self._save_recovered_as(entry)
            elif answer == "discard":
                self.store.discard(entry)

    def restore(self, entry: RecoveryEntry) -> bool:
        if not self.maybe_save():
            return False
        try:
            plan = entry.load()
        except (WorkbookError, OSError) as error:
            dialogs.show_error(self._parent, "Cannot restore", f"The autosave could not be read: {error}. It is kept in {entry.folder}.")
            return False
        original = entry.original_path if entry.original_path and Path(entry.original_path).exists() else None
        self._replace(plan, original)
        self.recovery.adopt(entry)
        self.controller.undo_stack.resetClean()  # restored edits are unsaved until the analyst saves
        self._autosaved_generation = self._generation
        self.controller.status_message.emit(f"Restored {entry.describe()}; save it to keep the changes")
        return True

    def _save_recovered_as(self, entry: RecoveryEntry) -> None:
        path = dialogs.save_file_name(self._parent, "Save recovered plan as", entry.original_path or "")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            export_plan(entry.load(), path)
        except (SaveError, WorkbookError, OSError) as error:
            dialogs.show_error(self._parent, "Recovered plan not saved", f"{error} The autosave is kept.")
            return
        self.store.discard(entry)
        self.controller.status_message.emit(f"Saved the recovered plan to {path}")


__all__ = ["FileSession"]
