"""Opening Bedplan workbooks (format 2 with its manifest, and format 1) into a FacilityPlan.

Only workbooks Bedplan wrote are opened here; other spreadsheets go through the importer. A file
that is not a workbook, is encrypted, or claims an absurd sheet size is refused before the fast
reader touches it (python-calamine aborts the whole process on a sheet claiming XFD1048576).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from models.facility_plan import FacilityPlan, PlanMeta
from models.schema import COLUMNS, FIELD_KEYS, STATUS_DTYPE, Column, Kind, Status
from models.workbook_format import (
    ABOUT_SHEET,
    CHARTS_SHEET,
    FACILITIES_SHEET,
    FORMAT_NAME,
    MANIFEST_SHEET,
    WorkbookError,
)
from models.workbook_tables import ColumnRecord, TableRecord, decode_column, parse_manifest, read_table

Progress = Callable[[int, int], None]

#: A plan sheet claiming more cells than this is refused before it is read.
MAX_CLAIMED_CELLS = 60_000_000
#: A plan workbook never unpacks to more than this (100,000 facilities take about 60 MB).
MAX_UNPACKED_BYTES = 2_000_000_000
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_FIELD_SPEC = {Kind.TEXT: "object", Kind.INTEGER: "Int64", Kind.NUMBER: "Float64", Kind.DATE: "datetime64[ns]"}


def check_container(path: str | os.PathLike[str]) -> None:
    """WorkbookError unless ``path`` is a zip-based xlsx whose sheets claim a sane size."""
    name = Path(path).name
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            f"{name} is an encrypted workbook or an old .xls file. Remove the password in Excel "
            "(File → Info → Protect Workbook), or save it as .xlsx, then open it again"
        )
    if not head.startswith(b"PK"):
        raise WorkbookError(f"{name} is not an Excel workbook (.xlsx); use File → Import… for CSV and other files")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            packed = sum(info.compress_size for info in members) or 1
            if unpacked > MAX_UNPACKED_BYTES or (unpacked > 50_000_000 and unpacked / packed > 200):
                raise WorkbookError(
                    f"{name} would unpack to {unpacked / 1e9:.1f} GB (a zip bomb or a damaged file); Bedplan will not open it"
                )
            for info in members:
                if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                    with archive.open(info) as member:
                        match = _DIMENSION.search(member.read(4096))
                    if match and match.group(3):
                        rows = int(match.group(4)) - int(match.group(2)) + 1
                        cols = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
                        if rows * cols > MAX_CLAIMED_CELLS:
                            raise WorkbookError(
                                f"{name}: a sheet claims {rows:,} rows × {cols:,} columns, far more than a plan "
                                "holds. The file is damaged or was not written by Bedplan"
                            )
    except zipfile.BadZipFile:
        raise WorkbookError(f"{name} is damaged or truncated (not a complete .xlsx archive)") from None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def read_plan_workbook(path: str | os.PathLike[str], progress: Progress | None = None) -> FacilityPlan:
    """Open a Bedplan workbook; WorkbookError (saying what and where) if it is not one."""
    name = Path(path).name
    check_container(path)
    try:
        book = CalamineWorkbook.from_path(os.fspath(path))
    except Exception as error:  # calamine raises several unrelated types for unreadable files
        raise WorkbookError(f"{name} could not be read as a workbook: {error}") from None
    sheets = list(book.sheet_names)
    if ABOUT_SHEET not in sheets or FACILITIES_SHEET not in sheets:
        raise WorkbookError(
            f"{name} is not a Bedplan plan workbook (it has no About and Facilities sheets). "
            "Use File → Import… to bring in other spreadsheets"
        )
    about_rows = book.get_sheet_by_name(ABOUT_SHEET).to_python()
    about = {str(row[0]): row[1] for row in about_rows if len(row) >= 2}
    if about.get("Format") != FORMAT_NAME:
        raise WorkbookError(f"{name} is not a Bedplan plan workbook (its About sheet has no Bedplan format marker)")
    records = (
        parse_manifest(book.get_sheet_by_name(MANIFEST_SHEET).to_python(skip_empty_area=False))
        if MANIFEST_SHEET in sheets else {}
    )
    facility_rows = records[FACILITIES_SHEET].rows if FACILITIES_SHEET in records else 0
    # Facilities count twice: parsing the sheet, then turning its cells into typed columns.
    total = max(1, facility_rows + sum(record.rows for record in records.values()))
    if progress is not None:
        progress(0, total)
    rows = book.get_sheet_by_name(FACILITIES_SHEET).to_python(skip_empty_area=False)
    if progress is not None:
        progress(min(facility_rows, total), total)
    frame = _facilities(rows, records.get(FACILITIES_SHEET), name)
    done = 2 * facility_rows
    if progress is not None:
        progress(min(done, total), total)
    extras: dict[str, pd.DataFrame] = {}
    for sheet in sheets:
        if sheet in (FACILITIES_SHEET, ABOUT_SHEET, CHARTS_SHEET, MANIFEST_SHEET):
            continue
        sheet_rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        record = records.get(sheet)
        extras[sheet] = read_table(sheet_rows, record, name) if record else _foreign_table(sheet_rows, sheet, name)
        done += len(extras[sheet])
        if progress is not None:
            progress(min(done, total), total)
    return FacilityPlan(frame, _meta(about), extras)


def _meta(about: dict[str, Any]) -> PlanMeta:
    as_of = about.get("As of")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    elif as_of and not isinstance(as_of, dt.date):
        try:
            as_of = dt.date.fromisoformat(str(as_of)[:10])
        except ValueError:
            as_of = None
    return PlanMeta(
        title=str(about.get("Title", "Untitled plan")),
        as_of=as_of or None,
        source=str(about.get("Source", "") or ""),
        demonstration=str(about.get("Demonstration data", "")).lower() == "yes",
        description=str(about.get("Description", "") or ""),
    )


def _header_row(rows: Sequence[Sequence[Any]], record: TableRecord | None) -> int:
    if record is not None:
        return record.header_row
    for index, row in enumerate(rows[:5]):
        if "ID" in row and "Name" in row:
            return index
    return 0


def _facilities(rows: Sequence[Sequence[Any]], record: TableRecord | None, name: str) -> pd.DataFrame:
    header_row = _header_row(rows, record)
    headers = [str(cell).strip() for cell in rows[header_row]] if len(rows) > header_row else []
    position = {header: index for index, header in enumerate(headers)}
    missing = [column.header for column in COLUMNS if column.header not in position]
    if missing:
        raise WorkbookError(f"{name}: the Facilities sheet lacks the columns {', '.join(missing)}; add them back in Excel")
    body = rows[header_row + 1 :]
    count = max(len(body), record.rows if record else 0)
    empties = {column.name: column.empty_rows for column in record.columns} if record else {}
    data: dict[str, Any] = {}
    width = max((len(row) for row in body), default=0)
    transposed = list(zip(*[row if len(row) == width else list(row) + [""] * (width - len(row)) for row in body]))
    padding = [""] * (count - len(body))
    for column in COLUMNS:
        at = position[column.header]
        cells = (list(transposed[at]) if at < len(transposed) else [""] * len(body)) + padding

        def where(row: int, column: Column = column) -> str:
            return f"{name}, sheet Facilities, row {header_row + row + 2}, column {column.header}"

        if column.kind is Kind.STATUS:
            data[column.key] = _statuses(cells, where)
        else:
            data[column.key] = decode_column(cells, _FIELD_SPEC[column.kind], empties.get(column.key, []), where)
            if column.numeric:
                _check_bounds(column, data[column.key], where)
    frame = pd.DataFrame(index=pd.RangeIndex(count))
    for key in FIELD_KEYS:
        frame[key] = data[key]
    return frame


def _statuses(cells: Sequence[Any], where: Callable[[int], str]) -> list[Any]:
    memo: dict[Any, Any] = {"": None}
    out: list[Any] = []
    for row, value in enumerate(cells):
        if value not in memo:
            try:
                memo[value] = Status.parse(str(value)).value
            except ValueError:
                choices = ", ".join(status.label for status in Status)
                raise WorkbookError(f"{where(row)}: status {str(value)[:40]!r} is not one of {choices}") from None
        out.append(memo[value])
    return pd.Series(pd.Categorical(out, dtype=STATUS_DTYPE))


def _check_bounds(column: Column, values: Any, where: Callable[[int], str]) -> None:
    floats = np.asarray(pd.array(values, dtype="Float64").to_numpy(dtype="float64", na_value=np.nan))
    bad = np.zeros(len(floats), dtype=bool)
    if column.minimum is not None:
        bad |= floats < column.minimum
    if column.maximum is not None:
        bad |= floats > column.maximum
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise WorkbookError(
            f"{where(row)}: {floats[row]:g} is outside the allowed range for {column.header}"
            + (f" ({int(bad.sum()):,} cells in all)" if bad.sum() > 1 else "")
            + ". Correct it in Excel and open the plan again"
        )


def _foreign_table(rows: Sequence[Sequence[Any]], sheet: str, name: str) -> pd.DataFrame:
    """A sheet someone added to a Bedplan workbook: kept, with each column's type inferred."""
    if not rows:
        return pd.DataFrame()
    headers = [str(cell) if cell != "" else f"Column {index + 1}" for index, cell in enumerate(rows[0])]
    body = rows[1:]
    columns: list[ColumnRecord] = []
    for index in range(len(headers)):
        cells = [row[index] for row in body if index < len(row)]
        kinds = {type(cell) for cell in cells if cell != ""}
        if kinds <= {float, int}:
            spec = "Float64"
        elif kinds == {bool}:
            spec = "boolean"
        elif kinds and kinds <= {dt.date, dt.datetime}:
            spec = "datetime64[ns]"
        else:
            spec = "string[python]"
        columns.append(ColumnRecord(index, headers[index], spec))
    return read_table(rows, TableRecord(sheet, 0, len(body), columns), name)
