"""Run a long job in a worker thread behind a progress bar with Cancel; the window keeps painting.

Usage (any feature may reuse it)::

    outcome = run_with_progress(parent, "Saving plan…", lambda report: save_plan(snapshot, path, report))
    if outcome.cancelled: ...            # the analyst pressed Cancel
    elif outcome.error is not None: ...  # the job raised; the exception is here, not re-raised
    else: use(outcome.value)

The job receives ``report(done, total)``; calling it is how the bar moves, and it raises
``models.workbook_format.Cancelled`` once Cancel was pressed, so the job stops where it is. The
job must not touch Qt objects or the live plan: give it a snapshot. The dialog is window-modal,
so the plan cannot change under the job; it appears only if the job takes longer than
``delay_ms``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.workbook_format import Cancelled

T = TypeVar("T")
Report = Callable[[int, int], None]


@dataclass
class Outcome(Generic[T]):
    """What a job ended with: its value, the exception it raised, or that it was cancelled."""

    value: T | None = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Worker(QThread):
    #: Per mille done; connected to the dialog's own slot so it is queued to the GUI thread.
    progressed = Signal(int)

    def __init__(self, job: Callable[[Report], Any], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._job = job
        self.stop = threading.Event()
        self.outcome: Outcome[Any] = Outcome()

    def report(self, done: int, total: int) -> None:
        if self.stop.is_set():
            raise Cancelled()
        self.progressed.emit(min(1000, int(1000 * done / max(total, 1))))

    def run(self) -> None:
        try:
            self.outcome.value = self._job(self.report)
        except Cancelled:
            self.outcome.cancelled = True
        except BaseException as error:  # handed to the caller on the GUI thread
            self.outcome.error = error


def run_with_progress(
    parent: QWidget | None, label: str, job: Callable[[Report], T], delay_ms: int = 300,
    on_dialog: Callable[[QProgressDialog], None] | None = None,
) -> Outcome[T]:
    """Run ``job(report)`` in a worker thread and wait for it with the event loop running."""
    dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
    dialog.setWindowTitle("Bedplan")
    dialog.setMinimumDuration(delay_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setWindowModality(dialog.windowModality().WindowModal)
    dialog.setValue(0)
    worker = _Worker(job, dialog)
    loop = QEventLoop(dialog)
    worker.progressed.connect(dialog.setValue)
    dialog.canceled.connect(worker.stop.set)
    worker.finished.connect(loop.quit)
    if on_dialog is not None:
        on_dialog(dialog)
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    outcome: Outcome[T] = worker.outcome
    dialog.hide()
    dialog.deleteLater()
    return outcome
