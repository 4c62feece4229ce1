"""The reusable progress runner: values, errors, cancel, and a delayed dialog."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from ui.progress import run_with_progress


def test_value_and_progress(qapp) -> None:  # type: ignore[no-untyped-def]
    seen: list[object] = []

    def job(report):  # type: ignore[no-untyped-def]
        for done in range(5):
            report(done, 4)
        return "done"

    outcome = run_with_progress(None, "Working…", job, on_dialog=seen.append)
    assert outcome.ok and outcome.value == "done"
    assert seen[0].value() == seen[0].maximum()  # type: ignore[attr-defined]


def test_error_is_returned_not_raised(qapp) -> None:  # type: ignore[no-untyped-def]
    def job(report):  # type: ignore[no-untyped-def]
        raise ValueError("bad input in row 3")

    outcome = run_with_progress(None, "Working…", job)
    assert isinstance(outcome.error, ValueError) and not outcome.ok


def test_cancel_stops_the_job_at_its_next_report(qapp) -> None:  # type: ignore[no-untyped-def]
    reached: list[int] = []

    def job(report):  # type: ignore[no-untyped-def]
        for step in range(1000):
            report(step, 1000)
            reached.append(step)
            time.sleep(0.01)
        return "finished"

    def press_cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        button = dialog.findChild(QPushButton)
        QTimer.singleShot(100, button.click)

    outcome = run_with_progress(None, "Working…", job, delay_ms=0, on_dialog=press_cancel)
    assert outcome.cancelled and outcome.value is None and len(reached) < 1000
