"""Import steps that take time, run in a worker behind a progress bar with Cancel (``ui.progress``).

Reading happens in a child process (``models.importing.sandbox``); the worker thread only waits
for it, relays its progress and kills it on Cancel, so the window keeps painting throughout.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from models.importing.convert import ImportOptions, ImportResult
from models.importing.errors import ImportCancelled
from models.importing.pipeline import Prepared, Source, read_source, run
from models.importing.sandbox import Limits
from models.workbook_format import Cancelled
from ui.progress import Outcome, Report, run_with_progress

_STEPS = 1000


def read_with_progress(parent: QWidget | None, path: str, limits: Limits | None = None, delay_ms: int = 300) -> Outcome[Source]:
    """Sniff and read ``path`` in the sandbox; ``outcome.cancelled`` when the analyst pressed Cancel."""
    from pathlib import Path

    def job(report: Report) -> Source:
        latest = [0]

        def progress(fraction: float, _text: str) -> None:  # the child's progress, relayed by a reader thread
            latest[0] = int(min(max(fraction, 0.0), 1.0) * _STEPS * 0.95)

        def cancelled() -> bool:  # polled on this worker thread while the child works
            try:
                report(latest[0], _STEPS)
            except Cancelled:
                return True
            return False

        try:
            return read_source(path, limits or Limits(), progress=progress, cancelled=cancelled)
        except ImportCancelled:
            raise Cancelled() from None

    return run_with_progress(parent, f"Reading {Path(path).name}…", job, delay_ms=delay_ms)


def convert_with_progress(parent: QWidget | None, prepared: Prepared, options: ImportOptions,
                          delay_ms: int = 300) -> Outcome[ImportResult]:
    """Convert the prepared sheet (fast, but 100,000 rows still take a moment) off the GUI thread."""

    def job(report: Report) -> ImportResult:
        report(1, 3)
        result = run(prepared, options)
        report(3, 3)
        return result

    return run_with_progress(parent, f"Checking {prepared.sheet.row_count:,} rows…", job, delay_ms=delay_ms)
