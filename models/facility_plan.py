"""The facility plan: a typed table of facilities plus plan metadata, with validated edits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from models.schema import COLUMN_BY_KEY, COLUMNS, FIELD_KEYS, STATUS_DTYPE, Column, Kind
from models.values import CellError, is_missing, parse_cell


class PlanError(ValueError):
    """An edit the plan refuses; ``str()`` says what, where, and what to do."""


@dataclass(frozen=True)
class CellProblem:
    """One refused value of a block edit, located for the analyst."""

    row: int
    key: str
    value: Any
    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class PlanMeta:
    """What a plan is, beyond its rows."""

    title: str = "Untitled plan"
    as_of: dt.date | None = None
    source: str = ""
    demonstration: bool = False
    description: str = ""

    def with_changes(self, **changes: Any) -> PlanMeta:
        return replace(self, **changes)


def empty_frame(rows: int = 0) -> pd.DataFrame:
    """A frame with the schema's columns and dtypes, every value missing."""
    data = {column.key: pd.Series([None] * rows, dtype=column.dtype) for column in COLUMNS}
    return pd.DataFrame(data, index=pd.RangeIndex(rows))


def coerce_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Reindex to the schema's columns and cast each to its dtype (values must already be valid)."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column in COLUMNS:
        if column.key in frame.columns:
            values = frame[column.key].reset_index(drop=True)
        else:
            values = pd.Series([None] * len(frame))
        out[column.key] = _cast(column, values)
    return out


def _cast(column: Column, values: pd.Series) -> pd.Series:
    if column.kind is Kind.STATUS:
        if values.dtype == STATUS_DTYPE:
            return values.copy()
        known = set(STATUS_DTYPE.categories)
        unknown = {v for v in values.dropna().unique() if not is_missing(v) and v not in known}
        if unknown:
            raise PlanError(f"Status must be one of {', '.join(sorted(known))}; got {sorted(map(str, unknown))[:3]}")
        return pd.Series(values.astype(object).where(values.notna(), None).to_numpy(), dtype=STATUS_DTYPE)
    if column.dtype == "object":
        objects = values.to_numpy(dtype=object, copy=True)
        missing = pd.isna(objects)
        objects[missing] = None
        if pd.api.types.infer_dtype(objects, skipna=True) in ("string", "empty"):  # fast path: text already
            return pd.Series(objects, dtype="object")
        cleaned = [None if is_missing(v) else (v if isinstance(v, str) else str(v)) for v in values]
        return pd.Series(cleaned, dtype="object")
    if column.dtype == "datetime64[ns]":
        return pd.to_datetime(values, errors="raise").astype("datetime64[ns]")
    return values.astype(column.dtype)


@dataclass
class FacilityPlan:
    """Facilities in rows, schema fields in columns; edits are validated before they land.

    Rows are addressed by position (0-based). Messages count rows from 1, as analysts do.
    """

    frame: pd.DataFrame = field(default_factory=empty_frame)
    meta: PlanMeta = field(default_factory=PlanMeta)
    # Further tables the plan keeps beside the facilities (capacity changes, history, scenarios), keyed by
    # the workbook sheet name they are saved to. Each is a DataFrame whose columns use the dtypes the
    # workbook round-trips exactly: string, Int64, Float64, boolean and datetime64[ns] (dates).
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.frame = coerce_frame(self.frame)

    # -- reading -------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.frame)

    def value(self, row: int, key: str) -> Any:
        value = self.frame.iat[row, FIELD_KEYS.index(key)]
        return None if is_missing(value) else _builtin(value)

    def record(self, row: int) -> dict[str, Any]:
        return {key: self.value(row, key) for key in FIELD_KEYS}

    def records(self, rows: Iterable[int]) -> list[dict[str, Any]]:
        return [self.record(row) for row in rows]

    def label(self, row: int) -> str:
        """How a message names a row: 'row 14 (Northfield Centre)'."""
        name = self.value(row, "name") if 0 <= row < self.row_count else None
        return f"row {row + 1} ({name})" if name else f"row {row + 1}"

    def copy(self) -> FacilityPlan:
        return FacilityPlan(self.frame.copy(), self.meta, {name: table.copy() for name, table in self.extras.items()})

    # -- validation ----------------------------------------------------------------------
    def validate(self, row: int, key: str, raw: Any) -> Any:
        """The value ``raw`` would be stored as at (row, key); PlanError if it is refused."""
        column = COLUMN_BY_KEY.get(key)
        if column is None:
            raise PlanError(f"'{key}' is not a plan field; fields are {', '.join(FIELD_KEYS)}")
        try:
            value = parse_cell(column, raw)
        except CellError as error:
            raise PlanError(f"{error} in {self.label(row)}") from None
        if key == "id" and value is not None:
            ids = self.frame["id"]
            clash = ids[(ids == value) & (ids.index != row)]
            if len(clash):
                raise PlanError(
                    f"ID must be unique; {value!r} in {self.label(row)} is already used by "
                    f"{self.label(int(clash.index[0]))}. Choose another ID"
                )
        return value

    def validate_block(self, changes: Sequence[tuple[int, str, Any]]) -> tuple[list[Any], list[CellProblem]]:
        """Parse every change; returns the parsed values and every problem (nothing is applied)."""
        parsed: list[Any] = []
        problems: list[CellProblem] = []
        new_ids: dict[str, int] = {}
        touched_id_rows = {row for row, key, _ in changes if key == "id"}
        for row, key, raw in changes:
            try:
                column = COLUMN_BY_KEY[key]
                value = parse_cell(column, raw)
                if key == "id" and value is not None:
                    value = self._check_new_id(value, row, new_ids, touched_id_rows)
            except CellError as error:
                problems.append(CellProblem(row, key, raw, f"{error} in {self.label(row)}"))
                parsed.append(None)
                continue
            except PlanError as error:
                problems.append(CellProblem(row, key, raw, str(error)))
                parsed.append(None)
                continue
            parsed.append(value)
        return parsed, problems

    def _check_new_id(self, value: str, row: int, new_ids: dict[str, int], touched: set[int]) -> str:
        if value in new_ids and new_ids[value] != row:
            raise PlanError(
                f"ID must be unique; {value!r} appears twice in the pasted cells "
                f"({self.label(new_ids[value])} and {self.label(row)})"
            )
        new_ids[value] = row
        ids = self.frame["id"]
        clash = ids[(ids == value) & (ids.index != row) & ~ids.index.isin(list(touched))]
        if len(clash):
            raise PlanError(
                f"ID must be unique; {value!r} in {self.label(row)} is already used by "
                f"{self.label(int(clash.index[0]))}. Choose another ID"
            )
        return value

    # -- editing -------------------------------------------------------------------------
    def set_cell(self, row: int, key: str, raw: Any) -> Any:
        """Validate and store one value; returns the previous value."""
        value = self.validate(row, key, raw)
        return self._store(row, key, value)

    def set_values(self, changes: Sequence[tuple[int, str, Any]]) -> list[Any]:
        """Store already-validated values (undo/redo path); returns the previous values."""
        return [self._store(row, key, value) for row, key, value in changes]

    def set_block(self, changes: Sequence[tuple[int, str, Any]]) -> list[Any]:
        """Validate all, then store all; a single problem refuses the whole block."""
        parsed, problems = self.validate_block(changes)
        if problems:
            raise PlanError("; ".join(str(problem) for problem in problems[:5]))
        return self.set_values([(row, key, value) for (row, key, _), value in zip(changes, parsed)])

    def _store(self, row: int, key: str, value: Any) -> Any:
        if not 0 <= row < self.row_count:
            raise PlanError(f"Row {row + 1} does not exist; the plan has {self.row_count} rows")
        position = FIELD_KEYS.index(key)
        old = self.frame.iat[row, position]
        self.frame.iat[row, position] = _storable(COLUMN_BY_KEY[key], value)
        return None if is_missing(old) else _builtin(old)

    def insert_rows(self, position: int, records: Sequence[Mapping[str, Any]]) -> None:
        """Insert validated records before ``position`` (``row_count`` appends)."""
        if not 0 <= position <= self.row_count:
            raise PlanError(f"Cannot insert at row {position + 1}; the plan has {self.row_count} rows")
        block = coerce_frame(pd.DataFrame([dict(record) for record in records], columns=list(FIELD_KEYS)))
        frame = pd.concat([self.frame.iloc[:position], block, self.frame.iloc[position:]], ignore_index=True)
        self.frame = coerce_frame(frame)

    def remove_rows(self, rows: Iterable[int]) -> list[tuple[int, dict[str, Any]]]:
        """Remove rows; returns (position, record) pairs in ascending order, for undo."""
        doomed = sorted(set(rows))
        removed = [(row, self.record(row)) for row in doomed]
        self.frame = self.frame.drop(index=doomed).reset_index(drop=True)
        return removed

    def restore_rows(self, removed: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """Put back rows returned by ``remove_rows`` at their old positions."""
        for position, record in sorted(removed, key=lambda item: item[0]):
            self.insert_rows(position, [record])

    def replace_frame(self, frame: pd.DataFrame) -> None:
        self.frame = coerce_frame(frame)

    def new_id(self, prefix: str = "F") -> str:
        """An ID not yet used in the plan: the prefix and the next free number."""
        used = set(self.frame["id"].dropna())
        number = self.row_count + 1
        while f"{prefix}{number:03d}" in used:
            number += 1
        return f"{prefix}{number:03d}"


def _builtin(value: Any) -> Any:
    """Python builtin for a pandas/numpy scalar (Qt shows numpy scalars as blank cells)."""
    if isinstance(value, pd.Timestamp):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def _storable(column: Column, value: Any) -> Any:
    if is_missing(value):
        if column.kind is Kind.DATE:
            return pd.NaT
        if column.kind is Kind.STATUS:
            return None
        return None if column.dtype == "object" else pd.NA
    return value
