"""The formatted plan workbook: Facilities, the plan's extra tables, Charts, About and the manifest.

Facilities layout: row 1 holds the totals (SUBTOTAL formulas, so they follow Excel's filter and
are never sorted into the data), row 2 the header with the autofilter, data from row 3. The
derived columns are live formulas with their values cached, so Excel, LibreOffice and readers
that do not calculate all show the same figures.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from models.facility_plan import FacilityPlan
from models.schema import COLUMN_BY_KEY, DERIVED_COLUMNS, TABLE_KEYS, Kind, Status
from models.summary import derive
from models.workbook_charts import write_charts_sheet
from models.workbook_format import (
    ABOUT_SHEET,
    APP_VERSION,
    FACILITIES_SHEET,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_SHEET,
    SEAL_PROPERTY,
    SEAL_VALUE,
    Cancelled,
    WorkbookError,
)
from models.workbook_tables import (
    WORKBOOK_OPTIONS,
    ColumnRecord,
    EncodedColumn,
    SheetFormats,
    TableRecord,
    add_sheet,
    cell_fragments,
    encode_column,
    manifest_rows,
    write_fragment_rows,
    write_table,
)

Progress = Callable[[int, int], None]

HEADER_ROW = 1
FIRST_DATA_ROW = 2
_DERIVED = {column.key: column for column in DERIVED_COLUMNS}
_HEADER_STYLE = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True,
                 "valign": "top", "border": 1, "border_color": "#BFBFBF"}
_TOTALS_STYLE = {"bold": True, "bg_color": "#F2F2F2", "top": 1, "bottom": 2}
OVER_FILL = "#F8CBAD"
NEAR_FILL = "#FFE699"


def field_spec(key: str) -> str:
    """Manifest dtype of a Facilities column."""
    kind = COLUMN_BY_KEY[key].kind
    return {Kind.TEXT: "object", Kind.INTEGER: "Int64", Kind.NUMBER: "Float64", Kind.DATE: "datetime64[ns]",
            Kind.STATUS: "status"}[kind]


def write_plan_workbook(plan: FacilityPlan, path: str | os.PathLike[str], progress: Progress | None = None) -> None:
    """Write the whole formatted workbook to ``path`` (callers write to a temporary file; see
    ``models.workbook_io.save_plan``). ``progress(done, total)`` may raise Cancelled to stop."""
    seen: dict[str, str] = {}
    for name in plan.extras:
        if str(name).casefold() in seen:
            raise WorkbookError(f"Tables {seen[str(name).casefold()]!r} and {name!r} differ only in case; Excel needs distinct sheet names")
        seen[str(name).casefold()] = str(name)
    # Facilities count twice: once for building the cells, once for writing the rows.
    total = max(1, 2 * plan.row_count + sum(len(table) for table in plan.extras.values()))
    done = 0

    def step(rows: int) -> None:
        if progress is not None:
            progress(min(done + rows, total), total)

    step(0)
    book = xlsxwriter.Workbook(os.fspath(path), WORKBOOK_OPTIONS)
    try:
        formats = SheetFormats(
            book.add_format({"num_format": "yyyy-mm-dd"}),
            book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss.000"}),
            book.add_format({"bold": True, "bottom": 1}),
        )
        records = [_write_facilities(book, plan, formats, step)]
        done += 2 * plan.row_count
        for name, table in plan.extras.items():
            records.append(write_table(book, name, table, formats, step))
            done += len(table)
        write_charts_sheet(book, plan)
        _write_about(book, plan)
        _write_manifest(book, records)
        book.set_properties({
            "title": plan.meta.title,
            "subject": "Facility and bed-capacity plan",
            "comments": f"Written by Bedplan {APP_VERSION}",
        })
        book.set_custom_property(SEAL_PROPERTY, SEAL_VALUE)
        step(0)
    except BaseException:
        _abandon(book)
        raise
    book.close()
    if progress is not None:
        progress(total, total)


def _abandon(book: xlsxwriter.Workbook) -> None:
    """Drop the constant-memory temporary files of a workbook that will never be closed."""
    for sheet in book.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None:
            try:
                handle.close()
            except OSError:
                pass


def _encode_facilities(plan: FacilityPlan, derived: pd.DataFrame) -> list[EncodedColumn]:
    columns: list[EncodedColumn] = []
    for key in TABLE_KEYS:
        if key in _DERIVED:
            columns.append(EncodedColumn([None] * plan.row_count))  # formulas, written separately
            continue
        series = plan.frame[key]
        spec = field_spec(key)
        if spec == "status":
            labels = {status.value: status.label for status in Status}
            columns.append(EncodedColumn([None if v is None or v is pd.NA or v != v else labels[v] for v in series.tolist()]))
        else:
            columns.append(encode_column(series, spec, f"sheet {FACILITIES_SHEET}, column {COLUMN_BY_KEY[key].header}"))
    return columns


def _write_facilities(book: xlsxwriter.Workbook, plan: FacilityPlan, formats: SheetFormats, step: Callable[[int], None]) -> TableRecord:
    sheet = add_sheet(book, FACILITIES_SHEET)
    rows = plan.row_count
    last = FIRST_DATA_ROW + max(rows, 1) - 1
    derived = derive(plan.frame)
    encoded = _encode_facilities(plan, derived)
    record = TableRecord(FACILITIES_SHEET, HEADER_ROW, rows)
    column_formats: list[Any] = []
    letter = {key: xl_col_to_name(position) for position, key in enumerate(TABLE_KEYS)}
    for position, key in enumerate(TABLE_KEYS):
        if key in _DERIVED:
            number_format, width = _DERIVED[key].number_format, _DERIVED[key].width
        else:
            column = COLUMN_BY_KEY[key]
            number_format, width = column.number_format, column.width
            record.columns.append(ColumnRecord(position, key, field_spec(key), encoded[position].empty_rows))
        cell_format = book.add_format({"num_format": number_format})
        column_formats.append(cell_format)
        sheet.set_column(position, position, width + 2, cell_format)

    # Row 1: totals over the visible rows (SUBTOTAL ignores rows hidden by the filter).
    totals = book.add_format(_TOTALS_STYLE)
    sheet.set_row(0, 18)
    span = f"{FIRST_DATA_ROW + 1}:{{c}}{last + 1}"
    sums = {key: _sum(plan, derived, key) for key in ("rated_capacity", "operational_capacity", "surge_capacity", "population", "available")}
    for position, key in enumerate(TABLE_KEYS):
        c = letter[key]
        cells = f"{c}{span.format(c=c)}"
        if key == "id":
            sheet.write_string(0, position, "Totals", totals)
        elif key == "name":
            fmt = book.add_format({**_TOTALS_STYLE, "num_format": '#,##0" facilities"'})
            sheet.write_formula(0, position, f"=SUBTOTAL(103,{cells})", fmt, rows)
        elif key in sums:
            fmt = book.add_format({**_TOTALS_STYLE, "num_format": column_formats[position].num_format})
            sheet.write_formula(0, position, f"=SUBTOTAL(109,{cells})", fmt, sums[key])
        elif key == "utilization":
            fmt = book.add_format({**_TOTALS_STYLE, "num_format": "0.0%"})
            p, a = letter["population"], letter["available"]
            denominator = sums["population"] + sums["available"]
            cached: Any = sums["population"] / denominator if denominator > 0 else ""
            sheet.write_formula(0, position, f'=IF({p}1+{a}1>0,{p}1/({p}1+{a}1),"")', fmt, cached)
        else:
            sheet.write_blank(0, position, None, totals)

    header = book.add_format(_HEADER_STYLE)
    sheet.set_row(HEADER_ROW, 32)
    from models.schema import header_for

    for position, key in enumerate(TABLE_KEYS):
        sheet.write_string(HEADER_ROW, position, header_for(key), header)

    _write_facility_rows(sheet, encoded, derived, letter, column_formats, formats, step)
    sheet.freeze_panes(FIRST_DATA_ROW, 2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, HEADER_ROW)
    sheet.autofilter(HEADER_ROW, 0, last, len(TABLE_KEYS) - 1)
    u = TABLE_KEYS.index("utilization")
    band = TABLE_KEYS.index("band")
    over = book.add_format({"bg_color": OVER_FILL, "font_color": "#9C0006"})
    near = book.add_format({"bg_color": NEAR_FILL, "font_color": "#7F6000"})
    for col in (u, band):
        first = f"{letter['utilization']}{FIRST_DATA_ROW + 1}"
        sheet.conditional_format(FIRST_DATA_ROW, col, last, col, {"type": "formula", "criteria": f"=AND(ISNUMBER(${first}),${first}>=1)", "format": over})
        sheet.conditional_format(FIRST_DATA_ROW, col, last, col, {"type": "formula", "criteria": f"=AND(ISNUMBER(${first}),${first}>=0.9,${first}<1)", "format": near})
    status = TABLE_KEYS.index("status")
    sheet.data_validation(FIRST_DATA_ROW, status, max(last, FIRST_DATA_ROW + 1000), status, {
        "validate": "list", "source": [s.label for s in Status], "ignore_blank": True,
        "error_title": "Status", "error_message": "Choose one of: " + ", ".join(s.label for s in Status),
    })
    return record


def _sum(plan: FacilityPlan, derived: pd.DataFrame, key: str) -> float:
    values = derived[key].to_numpy() if key == "available" else plan.frame[key].to_numpy(dtype="float64", na_value=np.nan)
    return float(np.nansum(values))


def _write_facility_rows(
    sheet: Any, encoded: list[EncodedColumn], derived: pd.DataFrame, letter: dict[str, str],
    column_formats: list[Any], formats: SheetFormats, step: Callable[[int], None],
) -> None:
    r, o, p, u = (letter[key] for key in ("rated_capacity", "operational_capacity", "population", "utilization"))
    count = len(derived)
    fragments: list[list[str | None]] = []
    for position, key in enumerate(TABLE_KEYS):
        step(count * position // len(TABLE_KEYS))
        style = column_formats[position]._get_xf_index()
        if key not in _DERIVED:
            fragments.append(cell_fragments(encoded[position].cells, style, formats.date._get_xf_index(), formats.date_time._get_xf_index()))
            continue
        numbers = ["" if v != v else repr(float(v)) for v in derived[key].tolist()] if key != "band" else derived[key].tolist()
        typed = f'" s="{style}"><f>' if key != "band" else f'" s="{style}" t="str"><f>'
        blank = f'" s="{style}" t="str"><f>'
        rows = range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + 1 + count)
        if key == "utilization":
            fragments.append([
                f'{typed if v else blank}IF(AND(ISNUMBER({p}{n}),N(IF(ISNUMBER({o}{n}),{o}{n},{r}{n}))&gt;0),'
                f'{p}{n}/IF(ISNUMBER({o}{n}),{o}{n},{r}{n}),"")</f><v>{v}</v></c>'
                for n, v in zip(rows, numbers)
            ])
        elif key == "available":
            fragments.append([
                f'{typed if v else blank}IF(AND(ISNUMBER({p}{n}),OR(ISNUMBER({o}{n}),ISNUMBER({r}{n}))),'
                f'IF(ISNUMBER({o}{n}),{o}{n},{r}{n})-{p}{n},"")</f><v>{v}</v></c>'
                for n, v in zip(rows, numbers)
            ])
        else:
            fragments.append([
                f'{typed}IF(ISNUMBER({u}{n}),IF({u}{n}&gt;=1,"Over",IF({u}{n}&gt;=0.9,"Near","OK")),"")</f><v>{v}</v></c>'
                for n, v in zip(rows, numbers)
            ])
    write_fragment_rows(sheet, FIRST_DATA_ROW, fragments, lambda rows: step(count + rows))


def _write_about(book: xlsxwriter.Workbook, plan: FacilityPlan) -> None:
    sheet = add_sheet(book, ABOUT_SHEET)
    meta = plan.meta
    bold = book.add_format({"bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    entries: list[tuple[str, Any]] = [
        ("Format", FORMAT_NAME),
        ("Format version", FORMAT_VERSION),
        ("App version", APP_VERSION),
        ("Title", meta.title),
        ("As of", meta.as_of.isoformat() if meta.as_of else ""),
        ("Source", meta.source),
        ("Demonstration data", "yes" if meta.demonstration else "no"),
        ("Description", meta.description),
        ("Saved", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Facilities", plan.row_count),
        ("Sheets", "Facilities: one row per facility, totals of the visible rows in row 1. "
                   + ("Further tables: " + ", ".join(plan.extras) + ". " if plan.extras else "")
                   + "Charts: occupancy against capacity by facility and by state. "
                   "A hidden sheet records each column's data type so Bedplan reads the workbook back exactly."),
    ]
    for row, (key, value) in enumerate(entries):
        sheet.write_string(row, 0, key, bold)
        if isinstance(value, int):
            sheet.write_number(row, 1, value, wrap)
        elif value:
            sheet.write_string(row, 1, str(value), wrap)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 90)


def _write_manifest(book: xlsxwriter.Workbook, records: list[TableRecord]) -> None:
    sheet = add_sheet(book, MANIFEST_SHEET)
    for row, values in enumerate(manifest_rows(records)):
        for col, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            else:
                sheet.write_number(row, col, value)
    sheet.hide()


__all__ = ["Cancelled", "write_plan_workbook"]
