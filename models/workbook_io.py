"""Reading and writing Bedplan plan workbooks (.xlsx): a Facilities sheet and an About sheet."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from models.facility_plan import FacilityPlan, PlanMeta, coerce_frame
from models.schema import COLUMNS, FIELD_KEYS, Kind
from models.values import is_missing, parse_cell

FORMAT_NAME = "Bedplan plan"
FORMAT_VERSION = 1
APP_VERSION = "0.1.0"


class WorkbookError(Exception):
    """A workbook Bedplan cannot open as a plan; ``str()`` says why and what to do."""


def write_plan(plan: FacilityPlan, path: str | os.PathLike[str]) -> None:
    """Write ``plan`` to ``path`` atomically: a temporary file in the same folder, then rename."""
    target = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        _write_workbook(plan, Path(temp_name))
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _write_workbook(plan: FacilityPlan, path: Path) -> None:
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    header = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Facilities")
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header, header)
        sheet.set_column(col, col, column.width)
    frame = plan.frame
    for col, column in enumerate(COLUMNS):
        for row, value in enumerate(frame[column.key].tolist(), start=1):
            if is_missing(value):
                continue
            if column.kind is Kind.DATE:
                sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), date_format)
            elif column.numeric:
                sheet.write_number(row, col, float(value))
            else:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)
    about = book.add_worksheet("About")
    meta = plan.meta
    entries: list[tuple[str, Any]] = [
        ("Format", FORMAT_NAME),
        ("Format version", FORMAT_VERSION),
        ("App version", APP_VERSION),
        ("Title", meta.title),
        ("As of", meta.as_of.isoformat() if meta.as_of else ""),
        ("Source", meta.source),
        ("Demonstration data", "yes" if meta.demonstration else "no"),
        ("Description", meta.description),
    ]
    for row, (key, value) in enumerate(entries):
        about.write_string(row, 0, key, header)
        if isinstance(value, int):
            about.write_number(row, 1, value)
        else:
            about.write_string(row, 1, str(value))
    about.set_column(0, 0, 20)
    about.set_column(1, 1, 80)
    book.close()


def read_plan(path: str | os.PathLike[str]) -> FacilityPlan:
    """Open a Bedplan workbook; WorkbookError if it is not one or a value cannot be read."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several unrelated types for unreadable files
        raise WorkbookError(f"{Path(path).name} could not be read as a workbook: {error}") from None
    if "About" not in book.sheet_names or "Facilities" not in book.sheet_names:
        raise WorkbookError(
            f"{Path(path).name} is not a Bedplan plan workbook (no About and Facilities sheets). "
            "Use File → Import… to bring in other spreadsheets"
        )
    about = {str(row[0]): row[1] for row in book.get_sheet_by_name("About").to_python() if len(row) >= 2}
    if about.get("Format") != FORMAT_NAME:
        raise WorkbookError(f"{Path(path).name} is not a Bedplan plan workbook (About sheet has no format marker)")
    rows = book.get_sheet_by_name("Facilities").to_python()
    headers = [str(cell) for cell in rows[0]] if rows else []
    by_header = {column.header: column for column in COLUMNS}
    missing = [column.header for column in COLUMNS if column.header not in headers]
    if missing:
        raise WorkbookError(f"{Path(path).name}: the Facilities sheet lacks the columns {', '.join(missing)}")
    data: dict[str, list[Any]] = {key: [] for key in FIELD_KEYS}
    for row_number, row in enumerate(rows[1:], start=2):
        for position, header_text in enumerate(headers):
            column = by_header.get(header_text)
            if column is None:
                continue
            raw = row[position] if position < len(row) else None
            if raw == "":
                raw = None
            try:
                data[column.key].append(parse_cell(column, raw) if raw is not None else None)
            except ValueError as error:
                raise WorkbookError(
                    f"{Path(path).name}, sheet Facilities, row {row_number}, column {column.header}: {error}"
                ) from None
    frame = coerce_frame(pd.DataFrame(data, columns=list(FIELD_KEYS)))
    as_of = about.get("As of")
    meta = PlanMeta(
        title=str(about.get("Title", "") or "Untitled plan"),
        as_of=dt.date.fromisoformat(str(as_of)) if as_of else None,
        source=str(about.get("Source", "") or ""),
        demonstration=str(about.get("Demonstration data", "")).lower() == "yes",
        description=str(about.get("Description", "") or ""),
    )
    return FacilityPlan(frame, meta)
