"""The import steps in order, for the wizard and the command line: read (sandboxed), pick the sheet,
find the header, map the columns, convert. Each step can be redone with the analyst's correction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from models.importing.columns import column_kind
from models.importing.convert import ImportOptions, ImportResult, convert
from models.importing.errors import ImportFailure
from models.importing.layout import HeaderLayout, detect_header, layout_for
from models.importing.mapping import (
    ColumnMapping,
    FieldSpec,
    auto_map,
    facility_fields,
    fill_required,
    resolve_column,
)
from models.importing.sandbox import Limits, ProgressCallback, RawBook, RawSheet, read_in_child
from models.importing.sniff import sniff

#: How much each field counts when judging which sheet holds the facility table.
_SHEET_WEIGHTS = {"name": 2, "rated_capacity": 3, "population": 3, "operational_capacity": 2, "id": 1, "state": 1}


@dataclass
class Source:
    """A file read for import: its sheets and what the analyst should know about the file itself."""

    path: str
    book: RawBook
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name


def read_source(path: str | os.PathLike[str], limits: Limits = Limits(), progress: ProgressCallback | None = None,
                cancelled: Callable[[], bool] | None = None, sheets: list[str] | None = None) -> Source:
    """Sniff and read every sheet (or ``sheets``) of ``path`` in the sandbox."""
    sniffed = sniff(path)
    book = read_in_child(path, sniffed.kind, sheets=sheets, limits=limits, progress=progress, cancelled=cancelled)
    missing = [name for name in sheets or () if name not in book.sheet_names]
    if missing:
        names = ", ".join(repr(name) for name in book.sheet_names)
        raise ImportFailure(f"{Path(path).name} has no sheet named {missing[0]!r}; the sheets are {names}", "no_sheet")
    if sheets and book.sheets and all(sheet.row_count == 0 for sheet in book.sheets):
        raise ImportFailure(f"Sheet {book.sheets[0].name!r} of {Path(path).name} is empty; choose a sheet with a table", "no_data")
    if not book.sheets or all(sheet.row_count == 0 for sheet in book.sheets):
        raise ImportFailure(f"{Path(path).name} has no cells with values in any sheet; there is nothing to import", "no_data")
    return Source(str(path), book, list(sniffed.notes))


@dataclass
class Prepared:
    """A sheet with its header layout, the kind of each column, and the column mapping."""

    sheet: RawSheet
    layout: HeaderLayout
    kinds: list[str]
    mapping: ColumnMapping
    fields: tuple[FieldSpec, ...]

    @property
    def header_excel_row(self) -> int:
        return self.sheet.origin[0] + self.layout.header_row + 1

    def remap(self) -> None:
        self.mapping = auto_map(self.layout, self.kinds, self.fields)
        if any(spec.key == "name" for spec in self.fields):
            fill_required(self.mapping, self.layout, self.kinds)


def prepare(sheet: RawSheet, header_row: int | None = None, fields: Sequence[FieldSpec] | None = None) -> Prepared:
    """Detect (or take) the header row, judge the columns, and map them automatically.

    ImportFailure for an empty sheet; ValueError for a header row outside the rows read.
    """
    if sheet.row_count == 0:
        raise ImportFailure(f"Sheet {sheet.name!r} is empty; choose a sheet with a table", "no_data")
    if header_row is None:
        layout = detect_header(sheet.head, sheet.merged, sheet.origin)
    else:
        layout = layout_for(sheet.head, header_row, sheet.merged, sheet.origin)
    kinds = [column_kind(sheet, position, layout.first_data_row) for position in range(layout.width)]
    prepared = Prepared(sheet, layout, kinds, ColumnMapping(), tuple(fields or facility_fields()))
    prepared.remap()
    return prepared


def best_sheet(book: RawBook, fields: Sequence[FieldSpec] | None = None) -> str:
    """The sheet that looks most like a facility table: the most weighty fields mapped, then rows."""
    if len(book.sheets) == 1 and book.sheets[0].row_count >= 2:
        return book.sheets[0].name
    best: tuple[float, str] | None = None
    for sheet in book.sheets:
        if sheet.row_count < 2:
            continue
        try:
            prepared = prepare(sheet, fields=fields)
        except ValueError:
            continue
        score = sum(_SHEET_WEIGHTS.get(key, 0.5) for key in prepared.mapping.columns)
        score += min(sheet.row_count, 1000) / 2000 + (0.25 if sheet.visible else 0)
        if best is None or score > best[0]:
            best = (score, sheet.name)
    if best is None:
        raise ImportFailure(f"{Path(book.path).name} has no sheet with a table (a header row above rows of data)", "no_data")
    return best[1]


def header_index(sheet: RawSheet, excel_row: int) -> int:
    """Position in the read range of a spreadsheet row number (1 = first row); ValueError if outside."""
    index = excel_row - 1 - sheet.origin[0]
    if not 0 <= index < min(len(sheet.head), sheet.row_count):
        first = sheet.origin[0] + 1
        last = sheet.origin[0] + min(len(sheet.head), sheet.row_count)
        raise ValueError(f"header row {excel_row} is outside rows {first} to {last} of sheet {sheet.name!r}")
    return index


def apply_overrides(prepared: Prepared, overrides: Mapping[str, Sequence[str]]) -> None:
    """``{field: [column, ...]}`` from the command line or the wizard; ValueError names the bad part."""
    keys = {spec.key: spec for spec in prepared.fields}
    for key, names in overrides.items():
        if key not in keys:
            raise ValueError(f"{key!r} is not a plan field; fields are {', '.join(keys)}")
        positions = [resolve_column(name, prepared.layout) for name in names if name.strip()]
        if len(positions) > 1 and not keys[key].summable and keys[key].kind != "text":
            raise ValueError(f"{key} cannot be the sum of several columns (only number fields can)")
        prepared.mapping.set(key, positions, "given" if positions else "")


def run(prepared: Prepared, options: ImportOptions | None = None) -> ImportResult:
    """Convert the prepared sheet; ImportFailure when no name column could be found at all."""
    for key in ("id", "name"):
        if key not in prepared.mapping.columns:
            raise ImportFailure(
                f"Sheet {prepared.sheet.name!r}: no column could serve as the facility {key} "
                f"(header row {prepared.header_excel_row}: {', '.join(prepared.layout.names[:8])}). "
                "Pick the header row or map a column by hand", "no_mapping",
            )
    return convert(prepared.sheet, prepared.layout, prepared.mapping, options)
