"""Reading and writing Bedplan plan workbooks (.xlsx): the public entry points.

``save_plan`` is the safe save (temporary file, fsync, verified read-back, atomic replace, backup);
``write_plan`` is kept for callers that only need a file; ``read_plan`` opens format 2 and 1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from models.facility_plan import FacilityPlan
from models.file_safety import SaveError, is_bedplan_workbook, safe_write
from models.workbook_format import APP_VERSION, FORMAT_NAME, FORMAT_VERSION, Cancelled, WorkbookError
from models.workbook_reader import read_plan_workbook
from models.workbook_writer import Progress, write_plan_workbook

__all__ = [
    "APP_VERSION",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "Cancelled",
    "SaveError",
    "WorkbookError",
    "export_plan",
    "is_bedplan_workbook",
    "plans_equal",
    "read_plan",
    "save_plan",
    "write_plan",
]


def read_plan(path: str | os.PathLike[str], progress: Progress | None = None) -> FacilityPlan:
    """Open a Bedplan workbook; WorkbookError if it is not one or a value cannot be read."""
    return read_plan_workbook(path, progress)


def save_plan(
    plan: FacilityPlan, path: str | os.PathLike[str], progress: Progress | None = None, verify: bool = True,
    keep_backup: bool = True,
) -> Path:
    """Save safely: SaveError (old file intact) if anything goes wrong; returns the real path."""

    writing = _scaled(progress, 0.0, 0.7 if verify else 1.0)
    checking = _scaled(progress, 0.7, 0.3)

    def check(temp: Path) -> None:
        problem = plans_equal(read_plan_workbook(temp, checking), plan)
        if problem:
            raise WorkbookError(problem)

    try:
        return safe_write(path, lambda temp: write_plan_workbook(plan, temp, writing), check if verify else None, keep_backup)
    except WorkbookError as error:  # a table that cannot be written exactly: nothing was replaced
        raise SaveError(f"Could not save {Path(path).name}: {error}") from None


def _scaled(progress: Progress | None, start: float, span: float) -> Progress | None:
    """A progress callback for one phase of a job, mapped onto [start, start + span] of 1,000."""
    if progress is None:
        return None
    report = progress

    def scaled(done: int, total: int) -> None:
        report(int(1000 * (start + span * done / max(total, 1))), 1000)

    return scaled


def write_plan(plan: FacilityPlan, path: str | os.PathLike[str], progress: Progress | None = None) -> None:
    """Write ``plan`` to ``path`` atomically, without a backup (exports, the demo, tests)."""
    save_plan(plan, path, progress, verify=False, keep_backup=False)


def export_plan(plan: FacilityPlan, path: str | os.PathLike[str], progress: Progress | None = None) -> Path:
    """Write a copy of ``plan`` to ``path`` (verified, atomic). A workbook Bedplan did not write is
    never overwritten: SaveError asks for another name."""
    if Path(path).exists() and not is_bedplan_workbook(path):
        raise SaveError(
            f"{Path(path).name} exists and was not written by Bedplan; it is left untouched. Choose another file name"
        )
    return save_plan(plan, path, progress, verify=True, keep_backup=False)


def plans_equal(left: FacilityPlan, right: FacilityPlan) -> str | None:
    """None if the plans hold the same facilities, metadata and tables; else what differs."""
    try:
        pd.testing.assert_frame_equal(left.frame, right.frame, check_exact=True)
    except AssertionError as error:
        return f"facilities differ: {str(error).splitlines()[0]}"
    if left.meta != right.meta:
        return "plan details (title, as-of date, source) differ"
    if list(left.extras) != list(right.extras):
        return f"tables differ: {list(left.extras)} against {list(right.extras)}"
    for name, table in left.extras.items():
        try:
            pd.testing.assert_frame_equal(table.reset_index(drop=True), right.extras[name].reset_index(drop=True), check_exact=True)
        except AssertionError as error:
            return f"table {name} differs: {str(error).splitlines()[0]}"
    return None
