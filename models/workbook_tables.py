"""Exact cells: tables written to xlsx and read back with the same values and dtypes.

xlsxwriter, as shipped, writes numbers with 16 significant digits (one short of a double) and,
in constant-memory mode, writes text that looks like ``<r>…</r>`` into the XML unescaped. The
worksheet class here fixes both, and the codecs below turn each supported dtype into cells and
back. A table's column names, dtypes and its empty-string cells (which a cell cannot tell apart
from a blank) go into the hidden manifest sheet; see ``models.workbook_writer``.

Public helpers for other features' tests: ``write_tables`` / ``read_tables`` and ``table_problem``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from models.workbook_format import MAX_CELL_UNITS, WorkbookError, sheet_name_problem, utf16_length

#: Largest integer a worksheet number (an IEEE double) holds exactly; larger ones are written as text.
MAX_EXACT_INT = 2**53
_FIRST_SERIAL_DAY = pd.Timestamp("1900-03-01")  # before it, Excel's 1900 leap-year bug shifts dates
_LAST_SERIAL_DAY = pd.Timestamp("9999-12-31 23:59:59")
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}


class ExactWorksheet(Worksheet):
    """A worksheet that writes every double exactly and never writes text as raw XML."""

    def _xml_number_element(self, number: Any, attributes: Any = ()) -> None:  # type: ignore[override]
        attr = "".join(f' {key}="{value}"' for key, value in attributes)
        self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:  # type: ignore[override]
        # Reached only for plain text that happens to start with <r> and end with </r>: we never
        # write rich strings, so escape it like any other text.
        self._xml_inline_string(string, string[:1].isspace() or string[-1:].isspace(), list(attributes))


def add_sheet(book: xlsxwriter.Workbook, name: str) -> ExactWorksheet:
    sheet = book.add_worksheet(name, worksheet_class=ExactWorksheet)
    assert isinstance(sheet, ExactWorksheet)
    return sheet


# -- dtypes --------------------------------------------------------------------------------------
def dtype_spec(dtype: Any) -> str:
    """The manifest name of a supported dtype; WorkbookError names the supported ones otherwise."""
    if isinstance(dtype, pd.StringDtype):
        base = "string" if dtype.na_value is pd.NA else "str"
        return f"{base}[{dtype.storage}]"
    if isinstance(dtype, pd.CategoricalDtype):
        raise WorkbookError("categorical columns are not saved; convert them to string first")
    name = str(dtype)
    if name in ("Int64", "Float64", "boolean", "int64", "float64", "bool", "object"):
        return name
    if name.startswith("datetime64[") and "," not in name:
        return name
    raise WorkbookError(
        f"columns of type {name} cannot be saved exactly; use string, Int64, Float64, boolean or datetime64"
    )


def dtype_from_spec(spec: str) -> Any:
    if spec.startswith(("string[", "str[")):
        base, storage = spec[:-1].split("[")
        return pd.StringDtype(storage, na_value=pd.NA if base == "string" else np.nan)
    return pd.api.types.pandas_dtype(spec)


def _kind(spec: str) -> str:
    if spec.startswith(("string[", "str[")) or spec == "object":
        return "text"
    if spec in ("Int64", "int64"):
        return "int"
    if spec in ("Float64", "float64"):
        return "float"
    if spec in ("boolean", "bool"):
        return "bool"
    return "datetime"


def table_problem(name: str, frame: pd.DataFrame) -> str | None:
    """Why ``frame`` cannot be saved as sheet ``name`` exactly, or None when it can."""
    problem = sheet_name_problem(name)
    if problem:
        return problem
    for position, column in enumerate(frame.columns):
        if not isinstance(column, str):
            return f"Table {name!r}: column {position + 1} is named {column!r}; column names must be text"
        if utf16_length(column) > MAX_CELL_UNITS:
            return f"Table {name!r}: column {position + 1} has a name longer than an Excel cell holds"
        try:
            spec = dtype_spec(frame.dtypes.iloc[position])
        except WorkbookError as error:
            return f"Table {name!r}, column {column!r}: {error}"
        if spec == "object":
            values = frame.iloc[:, position]
            if any(not isinstance(v, str) for v in values if not _missing(v)):
                return f"Table {name!r}, column {column!r}: object columns must hold only text"
    return None


# -- encoding ------------------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


@dataclass
class EncodedColumn:
    """Cell values of one column (None = blank) plus the rows holding an empty string."""

    cells: list[Any]
    empty_rows: list[int] = field(default_factory=list)


def serial_ok(stamp: pd.Timestamp) -> bool:
    """True when a worksheet date serial (read back to the millisecond) holds ``stamp`` exactly."""
    return (
        _FIRST_SERIAL_DAY <= stamp <= _LAST_SERIAL_DAY
        and stamp.nanosecond == 0
        and stamp.microsecond % 1000 == 0
    )


def encode_column(values: pd.Series, spec: str, where: str) -> EncodedColumn:
    """Cells for one column: float/int → number, str → text, bool → boolean, datetime → date."""
    kind = _kind(spec)
    empty_rows: list[int] = []
    if kind == "text":
        cells: list[Any] = []
        for row, value in enumerate(values.tolist()):
            if _missing(value):
                cells.append(None)
            elif value == "":
                cells.append(None)
                empty_rows.append(row)
            else:
                if utf16_length(value) > MAX_CELL_UNITS:
                    raise WorkbookError(
                        f"{where}, row {row + 1}: the text is {utf16_length(value):,} characters long; "
                        f"an Excel cell holds at most {MAX_CELL_UNITS:,}. Shorten it before saving"
                    )
                cells.append(value)
        return EncodedColumn(cells, empty_rows)
    if kind == "int":
        return EncodedColumn(
            [None if _missing(v) else (int(v) if -MAX_EXACT_INT <= v <= MAX_EXACT_INT else str(int(v))) for v in values.tolist()]
        )
    if kind == "float":
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
        missing = values.isna().to_numpy() if spec == "Float64" else np.isnan(floats)
        cells = floats.tolist()
        for row in np.flatnonzero(missing | ~np.isfinite(floats)).tolist():
            cells[row] = None if missing[row] else repr(cells[row])  # NaN and ±inf as text: 'nan', 'inf'
        return EncodedColumn(cells)
    if kind == "bool":
        return EncodedColumn([None if _missing(v) else bool(v) for v in values.tolist()])
    cells = []
    for value in values.tolist():
        if _missing(value):
            cells.append(None)
        else:
            stamp = pd.Timestamp(value)
            cells.append(stamp.to_pydatetime(warn=False) if serial_ok(stamp) else stamp.isoformat())
    return EncodedColumn(cells)


@dataclass
class SheetFormats:
    """Cell formats for dates with and without a time of day, and for the header."""

    date: Any
    date_time: Any
    header: Any


_EPOCH = dt.datetime(1899, 12, 30)
_CONTROL_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


def xml_text(text: str) -> str:
    """Inline-string XML for ``text``: control characters as _xHHHH_ (and literal _xHHHH_ kept), &<> escaped."""
    if "_x" in text:
        text = _CONTROL_ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_fragments(cells: Sequence[Any], style: int, date_style: int, datetime_style: int) -> list[str | None]:
    """The XML of each cell after its ``<c r="A1`` opening (None for a blank cell)."""
    out: list[str | None] = []
    append = out.append
    number = f'" s="{style}"><v>'
    text_open = f'" s="{style}" t="inlineStr"><is><t>'
    text_keep = f'" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
    for value in cells:
        kind = type(value)
        if value is None:
            append(None)
        elif kind is float or kind is int:
            append(f"{number}{float(value)!r}</v></c>")
        elif kind is str:
            keep = value[:1].isspace() or value[-1:].isspace()
            append(f"{text_keep if keep else text_open}{xml_text(value)}</t></is></c>")
        elif kind is bool:
            append(f'" s="{style}" t="b"><v>{int(value)}</v></c>')
        else:
            midnight = value.hour == 0 and value.minute == 0 and value.second == 0 and value.microsecond == 0
            serial = (value - _EPOCH) / dt.timedelta(days=1)
            append(f'" s="{date_style if midnight else datetime_style}"><v>{serial!r}</v></c>')
    return out


def write_fragment_rows(
    sheet: Worksheet, first_row: int, columns: Sequence[Sequence[str | None]],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write rows of cell fragments straight into a constant-memory sheet's row data.

    xlsxwriter's per-cell API costs ~20 µs a cell (formula rewriting, row bookkeeping); a
    100,000-row plan has two million cells, so the rows are rendered here in one pass.
    """
    rows = len(columns[0]) if columns else 0
    if rows == 0:
        return
    sheet._write_single_row(first_row)  # flush the rows written so far through the normal API
    letters = [xl_col_to_name(col) for col in range(len(columns))]
    handle = sheet.fh
    for offset, row_cells in enumerate(zip(*columns)):
        n = first_row + offset + 1
        handle.write(
            f'<row r="{n}">'
            + "".join([f'<c r="{letter}{n}{cell}' for letter, cell in zip(letters, row_cells) if cell is not None])
            + "</row>"
        )
        if progress is not None and offset % 2000 == 1999:
            progress(offset + 1)
    last = first_row + rows - 1
    sheet._check_dimensions(last, len(columns) - 1)
    sheet.previous_row = last
    if progress is not None:
        progress(rows)


def styles(formats: SheetFormats, cell_format: Any) -> tuple[int, int, int]:
    return cell_format._get_xf_index() if cell_format is not None else 0, formats.date._get_xf_index(), formats.date_time._get_xf_index()


# -- decoding ------------------------------------------------------------------------------------
def decode_column(cells: Sequence[Any], spec: str, empty_rows: Sequence[int], where: Callable[[int], str]) -> Any:
    """The pandas array for cells read by python-calamine ('' is a blank cell)."""
    kind = _kind(spec)
    dtype = dtype_from_spec(spec)
    if kind == "text":
        objects = np.array(cells, dtype=object) if len(cells) else np.empty(0, dtype=object)
        if pd.api.types.infer_dtype(objects, skipna=False) == "string":  # the usual case: text and blanks
            blank = objects == ""
            objects[blank] = None
            out: Any = objects
        else:
            out = np.array([_text_of(v) for v in cells], dtype=object)
        for row in empty_rows:
            if row < len(out):
                out[row] = ""
        if spec == "object":
            return pd.Series(out, dtype=object)
        return pd.array(out, dtype=dtype)
    if kind in ("float", "int"):
        floats, mask = _numbers(cells, kind, where)
        if kind == "float":
            return floats if spec == "float64" else pd.arrays.FloatingArray(floats, mask)
        if floats is None:  # integers beyond 2**53, stored as text
            ints = [None if v == "" else _int_of(v, where, row) for row, v in enumerate(cells)]
            return _no_missing(ints, spec, "int64", where) if spec == "int64" else pd.array(ints, dtype="Int64")
        if spec == "int64":
            _no_missing([None if m else 0 for m in mask.tolist()], spec, "int64", where)
            return floats.astype("int64")
        return pd.arrays.IntegerArray(np.where(mask, 0, floats).astype("int64"), mask)
    if kind == "bool":
        flags = [None if v == "" else _bool_of(v, where, row) for row, v in enumerate(cells)]
        return _no_missing(flags, spec, "bool", where) if spec == "bool" else pd.array(flags, dtype="boolean")
    memo: dict[Any, Any] = {}
    stamps = []
    for row, value in enumerate(cells):
        stamp = memo.get(value)
        if stamp is None:
            stamp = memo[value] = pd.NaT if value == "" else _stamp_of(value, where, row)
        stamps.append(stamp)
    return pd.DatetimeIndex(stamps, dtype=None).astype(dtype).array if stamps else pd.array([], dtype=dtype)


def _numbers(cells: Sequence[Any], kind: str, where: Callable[[int], str]) -> tuple[Any, np.ndarray]:
    """(float64 values, missing mask); floats is None for an int column holding text numbers."""
    objects = np.array(cells, dtype=object) if len(cells) else np.empty(0, dtype=object)
    mask = objects == ""
    objects[mask] = np.nan
    try:
        if pd.api.types.infer_dtype(objects, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty"):
            floats = objects.astype("float64")
        else:
            raise TypeError
    except (TypeError, ValueError):
        if kind == "int":
            if any(isinstance(v, str) for v in cells):
                return None, mask
            floats = np.array([np.nan if m else _int_of(v, where, row) for row, (v, m) in enumerate(zip(cells, mask))], dtype="float64")
        else:
            floats = np.array([np.nan if m else _float_of(v, where, row) for row, (v, m) in enumerate(zip(cells, mask))], dtype="float64")
    if kind == "int":
        whole = np.isnan(floats) | (floats == np.floor(floats))
        if not whole.all():
            row = int(np.flatnonzero(~whole)[0])
            raise WorkbookError(f"{where(row)}: expected a whole number, found {floats[row]!r}")
    return floats, mask


def _no_missing(values: list[Any], spec: str, numpy_dtype: str, where: Callable[[int], str]) -> np.ndarray:
    if any(v is None for v in values):
        row = values.index(None)
        raise WorkbookError(f"{where(row)}: the cell is empty but the column ({spec}) cannot hold a missing value")
    return np.array(values, dtype=numpy_dtype)


def _text_of(value: Any) -> Any:
    if isinstance(value, str):
        return None if value == "" else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _float_of(value: Any, where: Callable[[int], str], row: int) -> float:
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        raise WorkbookError(f"{where(row)}: expected a number, found {str(value)[:40]!r}") from None


def _int_of(value: Any, where: Callable[[int], str], row: int) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.replace(",", ""))
        except ValueError:
            pass
    raise WorkbookError(f"{where(row)}: expected a whole number, found {str(value)[:40]!r}")


def _bool_of(value: Any, where: Callable[[int], str], row: int) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
        return value.strip().upper() == "TRUE"
    raise WorkbookError(f"{where(row)}: expected TRUE or FALSE, found {str(value)[:40]!r}")


def _stamp_of(value: Any, where: Callable[[int], str], row: int) -> pd.Timestamp:
    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Timestamp(value)
    if isinstance(value, str):
        try:
            return pd.Timestamp(value)
        except ValueError:
            pass
    raise WorkbookError(f"{where(row)}: expected a date, found {str(value)[:40]!r}")


# -- manifest records ----------------------------------------------------------------------------
@dataclass
class ColumnRecord:
    position: int
    name: str
    spec: str
    empty_rows: list[int] = field(default_factory=list)


@dataclass
class TableRecord:
    """Where a table lives in its sheet and what its columns are."""

    sheet: str
    header_row: int
    rows: int
    columns: list[ColumnRecord] = field(default_factory=list)


def manifest_rows(tables: Sequence[TableRecord]) -> list[list[Any]]:
    """Manifest sheet rows: one per table, one per column (empty-string rows as JSON chunks)."""
    rows: list[list[Any]] = [["Bedplan manifest: column names and data types of every table (do not edit)"]]
    for table in tables:
        rows.append(["table", table.sheet, table.header_row, table.rows, len(table.columns)])
        for column in table.columns:
            text = json.dumps(column.empty_rows, separators=(",", ":"))
            chunks = [text[i : i + 30_000] for i in range(0, len(text), 30_000)]
            rows.append(["column", table.sheet, column.position, column.name, column.spec, *chunks])
    return rows


def parse_manifest(rows: Sequence[Sequence[Any]]) -> dict[str, TableRecord]:
    tables: dict[str, TableRecord] = {}
    for row in rows[1:]:
        if not row or row[0] not in ("table", "column"):
            continue
        if row[0] == "table":
            tables[str(row[1])] = TableRecord(str(row[1]), int(row[2]), int(row[3]))
        elif str(row[1]) in tables:
            chunks = "".join(str(cell) for cell in row[5:] if cell != "")
            tables[str(row[1])].columns.append(
                ColumnRecord(int(row[2]), str(row[3]), str(row[4]), json.loads(chunks) if chunks else [])
            )
    return tables


# -- whole tables --------------------------------------------------------------------------------
def write_table(
    book: xlsxwriter.Workbook, name: str, frame: pd.DataFrame, formats: SheetFormats,
    progress: Callable[[int], None] | None = None,
) -> TableRecord:
    """One table on its own sheet: a bold header row, then the values; returns its manifest record."""
    problem = table_problem(name, frame)
    if problem:
        raise WorkbookError(problem)
    sheet = add_sheet(book, name)
    record = TableRecord(name, 0, len(frame))
    encoded: list[list[Any]] = []
    for position, column in enumerate(frame.columns):
        spec = dtype_spec(frame.dtypes.iloc[position])
        cells = encode_column(frame.iloc[:, position], spec, f"sheet {name}, column {column}")
        record.columns.append(ColumnRecord(position, column, spec, cells.empty_rows))
        encoded.append(cells.cells)
        sheet.set_column(position, position, min(max(10, len(column) + 2), 40))
    for position, column in enumerate(frame.columns):
        sheet.write_string(0, position, column, formats.header)
    style = styles(formats, None)
    write_fragment_rows(sheet, 1, [cell_fragments(cells, *style) for cells in encoded], progress)
    if len(frame.columns):
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    return record


def read_table(rows: Sequence[Sequence[Any]], record: TableRecord, where: str) -> pd.DataFrame:
    """Rebuild a table from calamine rows (read with ``skip_empty_area=False``) and its record."""
    body = [list(row) for row in rows[record.header_row + 1 :]]
    count = max(record.rows, len(body))
    data: dict[int, Any] = {}
    for column in record.columns:
        cells = [row[column.position] if column.position < len(row) else "" for row in body]
        cells += [""] * (count - len(cells))

        def locate(row: int, name: str = column.name) -> str:
            return f"{where}, sheet {record.sheet}, row {record.header_row + row + 2}, column {name}"

        data[column.position] = decode_column(cells, column.spec, column.empty_rows, locate)
    frame = pd.DataFrame(index=pd.RangeIndex(count), columns=range(len(record.columns)))
    for position, column in enumerate(record.columns):
        frame.isetitem(position, pd.Series(data[column.position], index=frame.index, dtype=dtype_from_spec(column.spec)))
    frame.columns = pd.Index([column.name for column in record.columns])
    return frame


def write_tables(path: str | os.PathLike[str], tables: Mapping[str, pd.DataFrame]) -> None:
    """A bare workbook of ``tables`` plus the manifest (for tests of the exact cell round trip)."""
    from models.workbook_format import MANIFEST_SHEET

    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    formats = SheetFormats(
        book.add_format({"num_format": "yyyy-mm-dd"}),
        book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss.000"}),
        book.add_format({"bold": True}),
    )
    records = [write_table(book, name, frame, formats) for name, frame in tables.items()]
    manifest = add_sheet(book, MANIFEST_SHEET)
    for row, values in enumerate(manifest_rows(records)):
        for col, value in enumerate(values):
            if isinstance(value, str):
                manifest.write_string(row, col, value)
            else:
                manifest.write_number(row, col, value)
    manifest.hide()
    book.close()


def read_tables(path: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """Every table recorded in the manifest of a workbook written by ``write_tables`` or the plan writer."""
    from python_calamine import CalamineWorkbook

    from models.workbook_format import MANIFEST_SHEET

    book = CalamineWorkbook.from_path(str(path))
    records = parse_manifest(book.get_sheet_by_name(MANIFEST_SHEET).to_python(skip_empty_area=False))
    return {
        name: read_table(book.get_sheet_by_name(name).to_python(skip_empty_area=False), record, os.fspath(path))
        for name, record in records.items()
        if name in book.sheet_names
    }
