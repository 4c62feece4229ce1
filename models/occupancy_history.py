"""Occupancy history: actual population by date, per facility or for the whole network.

Kept in the plan as the "Occupancy history" sheet in long layout (Date, Facility ID, Population;
a blank Facility ID is a network-wide figure). Sources come long (one row per date and facility)
or wide (one column per date); ``parse_history`` reads either into the sheet's layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models.values import is_missing, parse_date, parse_number

SHEET = "Occupancy history"
COLUMNS: dict[str, str] = {"Date": "datetime64[ns]", "Facility ID": "string", "Population": "Float64"}
#: Values agencies write for a suppressed count; read as "no figure", never as a number.
SUPPRESSED = (-999999.0, -999.0)

_DATE_NAMES = ("date", "as of", "as_of", "week", "collection_week", "day", "month", "period", "report date")
_FACILITY_NAMES = ("facility id", "facility_id", "id", "facility", "hospital_pk", "site", "site id", "name", "facility name")
_POPULATION_NAMES = (
    "population", "adp", "average daily population", "census", "in custody", "detained", "occupied",
    "people", "head count", "inpatient_beds_used_7_day_avg", "beds used", "occupancy",
)


class HistoryError(ValueError):
    """A history source that cannot be read; ``str()`` names the row and column and what to do."""


@dataclass(frozen=True)
class Layout:
    """How a source holds its history: long (three named columns) or wide (date columns)."""

    kind: str  # "long" or "wide"
    date_column: str | None = None
    facility_column: str | None = None
    population_column: str | None = None
    date_columns: tuple[str, ...] = ()


@dataclass
class HistoryImport:
    """The parsed sheet plus what the analyst should know about what was skipped."""

    table: pd.DataFrame
    layout: Layout
    skipped: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        dates = self.table["Date"]
        facilities = self.table["Facility ID"].dropna().nunique()
        span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
        who = f"{facilities:,} facilities" if facilities else "the network"
        text = f"{len(self.table):,} figures for {who}, {span} ({self.layout.kind} layout)"
        if self.skipped:
            text += f"; {len(self.skipped):,} cells without a figure skipped"
        return text


def empty_table() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in COLUMNS.items()})


def typed_table(dates: Any, facilities: Any, population: Any) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Date": pd.Series(pd.to_datetime(list(dates)), dtype="datetime64[ns]"),
            "Facility ID": pd.Series(list(facilities), dtype="string"),
            "Population": pd.Series(list(population), dtype="Float64"),
        }
    )
    return table.sort_values(["Date", "Facility ID"], na_position="first", kind="stable").reset_index(drop=True)


def _norm(name: Any) -> str:
    return re.sub(r"\s+", " ", str(name).strip().lower())


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    normalised = {_norm(column): column for column in columns}
    for name in names:
        if name in normalised:
            return normalised[name]
    for name in names:
        for key, column in normalised.items():
            if name in key:
                return column
    return None


def _is_date_header(name: Any) -> bool:
    if isinstance(name, (pd.Timestamp,)) or (hasattr(name, "year") and hasattr(name, "month")):
        return True
    text = str(name).strip()
    if not re.search(r"\d", text) or re.fullmatch(r"\d+(\.\d+)?", text):
        return False
    try:
        return parse_date(text) is not None
    except ValueError:
        return False


def detect_layout(frame: pd.DataFrame) -> Layout:
    """Wide when two or more headers are dates; long when a date and a population column are found."""
    columns = list(frame.columns)
    date_headers = tuple(str(c) if not isinstance(c, str) else c for c in columns if _is_date_header(c))
    if len(date_headers) >= 2:
        rest = [c for c in columns if not _is_date_header(c)]
        facility = _find([str(c) for c in rest], _FACILITY_NAMES)
        return Layout("wide", facility_column=facility, date_columns=tuple(c for c in columns if _is_date_header(c)))
    names = [str(c) for c in columns]
    date = _find(names, _DATE_NAMES)
    population = _find(names, _POPULATION_NAMES)
    if date is None or population is None:
        raise HistoryError(
            "Cannot tell the layout of this history: give it a Date column and a Population column "
            "(long layout), or one column per date with facilities in rows (wide layout). Found columns: "
            + ", ".join(names[:12])
        )
    facility = _find([n for n in names if n not in (date, population)], _FACILITY_NAMES)
    return Layout("long", date_column=date, facility_column=facility, population_column=population)


def parse_history(frame: pd.DataFrame, layout: Layout | None = None, header_row: int = 1) -> HistoryImport:
    """The sheet-layout history for ``frame``; ``header_row`` is the source row of the headers,
    so messages name the analyst's row numbers."""
    layout = layout or detect_layout(frame)
    for name in (layout.date_column, layout.facility_column, layout.population_column, *layout.date_columns):
        if name is not None and name not in frame.columns:
            raise HistoryError(f"The source has no column {name!r}; columns are {', '.join(map(str, frame.columns[:12]))}")
    if layout.kind == "wide":
        return _parse_wide(frame, layout, header_row)
    return _parse_long(frame, layout, header_row)


def _population(raw: Any, where: str) -> float | None:
    try:
        value = parse_number(raw)
    except ValueError:
        raise HistoryError(f"{where}: {str(raw)[:40]!r} is not a population (write a number of people)") from None
    if value is None or value in SUPPRESSED:
        return None
    if value < 0:
        raise HistoryError(f"{where}: population cannot be negative ({value:,g})")
    return value


def _facility(raw: Any) -> str | None:
    if is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    return text or None


def _parse_long(frame: pd.DataFrame, layout: Layout, header_row: int) -> HistoryImport:
    dates, facilities, values, skipped = [], [], [], []
    date_column, population_column = layout.date_column, layout.population_column
    assert date_column is not None and population_column is not None
    facility_values = frame[layout.facility_column].tolist() if layout.facility_column else [None] * len(frame)
    for position, (raw_date, raw_facility, raw_value) in enumerate(
        zip(frame[date_column].tolist(), facility_values, frame[population_column].tolist(), strict=True)
    ):
        row = header_row + 1 + position
        try:
            date = parse_date(raw_date)
        except ValueError:
            raise HistoryError(f"Row {row}, column {date_column}: {str(raw_date)[:40]!r} is not a date") from None
        if date is None:
            if not is_missing(raw_value) and str(raw_value).strip():
                skipped.append(f"row {row}: no date")
            continue
        value = _population(raw_value, f"Row {row}, column {population_column}")
        if value is None:
            skipped.append(f"row {row}: no population")
            continue
        dates.append(date)
        facilities.append(_facility(raw_facility))
        values.append(value)
    return HistoryImport(_checked(typed_table(dates, facilities, values)), layout, skipped)


def _parse_wide(frame: pd.DataFrame, layout: Layout, header_row: int) -> HistoryImport:
    dates, facilities, values, skipped = [], [], [], []
    facility_values = frame[layout.facility_column].tolist() if layout.facility_column else [None] * len(frame)
    for column in layout.date_columns:
        date = parse_date(column)
        for position, (raw_facility, raw_value) in enumerate(zip(facility_values, frame[column].tolist(), strict=True)):
            row = header_row + 1 + position
            facility = _facility(raw_facility)
            if facility is not None and _norm(facility) in {"total", "network", "all", "grand total"}:
                facility = None
            value = _population(raw_value, f"Row {row}, column {column}")
            if value is None:
                skipped.append(f"row {row}, column {column}: no population")
                continue
            dates.append(date)
            facilities.append(facility)
            values.append(value)
    return HistoryImport(_checked(typed_table(dates, facilities, values)), layout, skipped)


def _checked(table: pd.DataFrame) -> pd.DataFrame:
    key = table["Facility ID"].fillna("\x00network")
    duplicated = pd.DataFrame({"d": table["Date"], "f": key}).duplicated(keep=False)
    if duplicated.any():
        first = table[duplicated.to_numpy()].iloc[0]
        who = first["Facility ID"] if not is_missing(first["Facility ID"]) else "the network"
        raise HistoryError(
            f"Two population figures for {who} on {first['Date']:%Y-%m-%d}; keep one row per date and facility"
        )
    return table


def network_series(table: pd.DataFrame | None) -> pd.Series:
    """Network population by date: the network-wide figures where given, else the facilities' sum."""
    if table is None or len(table) == 0:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="Date"))
    population = table["Population"].to_numpy(dtype="float64", na_value=np.nan)
    network_rows = table["Facility ID"].isna().to_numpy()
    dates = table["Date"]
    summed = pd.Series(population[~network_rows], index=dates[~network_rows]).groupby(level=0).sum()
    given = pd.Series(population[network_rows], index=dates[network_rows]).groupby(level=0).sum()
    combined = given.combine_first(summed)
    combined.index.name = "Date"
    return combined.sort_index().astype("float64")


def facility_series(table: pd.DataFrame, facility_id: str) -> pd.Series:
    rows = table[table["Facility ID"] == facility_id]
    return pd.Series(rows["Population"].to_numpy(dtype="float64", na_value=np.nan), index=rows["Date"]).sort_index()


def merge_history(existing: pd.DataFrame | None, incoming: pd.DataFrame) -> pd.DataFrame:
    """``incoming`` figures replace existing ones for the same date and facility; others are kept."""
    if existing is None or len(existing) == 0:
        return incoming.reset_index(drop=True)
    def keys(t: pd.DataFrame) -> pd.Series:
        return t["Date"].dt.strftime("%Y-%m-%d") + "|" + t["Facility ID"].fillna("")
    keep = existing[~keys(existing).isin(set(keys(incoming)))]
    merged = pd.concat([keep, incoming], ignore_index=True)
    return typed_table(merged["Date"], merged["Facility ID"], merged["Population"])


@dataclass
class HistorySource:
    """A source read once (in the import sandbox), from which any sheet and header row is taken."""

    path: str
    book: Any  # models.importing.sandbox.RawBook

    @property
    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets if sheet.row_count]

    def frame(self, sheet: str | None = None, header_row: int | None = None) -> tuple[pd.DataFrame, int]:
        """The table of ``sheet`` (the first with data by default) under ``header_row`` (a spreadsheet
        row number; detected when None), and the header's row number for messages."""
        from models.importing.errors import ImportFailure
        from models.importing.layout import detect_header, layout_for
        from models.importing.pipeline import header_index

        try:
            raw = self.book.sheet(sheet) if sheet else next(s for s in self.book.sheets if s.row_count)
        except StopIteration:
            raise HistoryError(f"{Path(self.path).name} has no cells with values; there is nothing to import") from None
        except ImportFailure as error:
            raise HistoryError(str(error)) from None
        try:
            if header_row is None:
                layout = detect_header(raw.head, raw.merged, raw.origin)
            else:
                layout = layout_for(raw.head, header_index(raw, header_row), raw.merged, raw.origin)
        except ValueError as error:
            raise HistoryError(f"Sheet {raw.name!r}: {error}") from None
        first = layout.first_data_row
        rows = raw.rows(first, raw.row_count)
        data = {name: [row[c] if c < len(row) else "" for row in rows] for c, name in enumerate(layout.names) if name}
        frame = pd.DataFrame(data, dtype=object)
        frame = frame.replace({"": None})
        return frame, raw.origin[0] + layout.header_row + 1


def open_source(path: str) -> HistorySource:
    """Read every sheet of a CSV or workbook in the import sandbox (safe with hostile files);
    HistoryError says why a file cannot be read."""
    from models.importing.errors import ImportCancelled, ImportFailure
    from models.importing.pipeline import read_source as read_in_sandbox

    if not Path(path).exists():
        raise HistoryError(f"No such file: {path}")
    try:
        return HistorySource(path, read_in_sandbox(path).book)
    except ImportFailure as error:
        raise HistoryError(str(error)) from None
    except ImportCancelled:
        raise HistoryError("Reading was cancelled; nothing was imported") from None


def read_source(path: str, sheet: str | None = None, header_row: int | None = None) -> tuple[pd.DataFrame, int]:
    """A sheet of a CSV or workbook as a frame of raw values, and the row number of its headers."""
    return open_source(path).frame(sheet, header_row)
