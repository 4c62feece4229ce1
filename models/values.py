"""Turning typed or pasted values into a column's stored value, with messages an analyst reads."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from models.schema import MAX_TEXT_LENGTH, Column, Kind, Status
from models.workbook_format import utf16_length

#: Text that means "no value" wherever a number or date is expected.
NA_TOKENS: frozenset[str] = frozenset(
    {"", "n/a", "na", "n.a.", "#n/a", ".", "-", "--", "—", "null", "none", "nan", "nil", "missing"}
)

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y/%m/%d")


class CellError(ValueError):
    """A value a column cannot hold; ``str()`` is the analyst-facing reason."""


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas.NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, np.floating) and bool(np.isnan(value))


def _shown(raw: Any) -> str:
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_number(raw: Any) -> float | None:
    """A number from a cell: thousands separators and numbers stored as text are accepted.

    Returns None for NA tokens; raises ValueError for anything else that is not a number.
    """
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, (int, np.integer)):
        return float(raw)
    if isinstance(raw, (float, np.floating)):
        if math.isinf(raw):
            raise ValueError(raw)
        return float(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text.lower() in NA_TOKENS:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(raw)
    value = float(text)
    if math.isinf(value):
        raise ValueError(raw)
    return value


def parse_date(raw: Any) -> pd.Timestamp | None:
    """A calendar date from a date, a datetime or text in a common layout."""
    if is_missing(raw):
        return None
    if isinstance(raw, pd.Timestamp):
        return raw.normalize()
    if isinstance(raw, dt.datetime):
        return pd.Timestamp(raw).normalize()
    if isinstance(raw, dt.date):
        return pd.Timestamp(raw)
    text = str(raw).strip()
    if text.lower() in NA_TOKENS:
        return None
    text = text.split("T")[0].split(" 00:00:00")[0]
    for fmt in _DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(raw)


def parse_cell(column: Column, raw: Any) -> Any:
    """The stored value for ``raw`` in ``column``: a Python builtin, a Timestamp or None.

    Raises CellError with the reason, without the location (the plan adds row and facility).
    """
    if column.kind is Kind.TEXT:
        if is_missing(raw):
            value = None
        elif isinstance(raw, float) and raw.is_integer():
            value = str(int(raw))
        else:
            value = str(raw)
        if value == "" or (value is not None and column.key == "id" and value.strip() == ""):
            value = None
        if value is None:
            if column.required:
                raise CellError(f"{column.header} is required; it cannot be empty")
            return None
        # Half the limit in characters cannot exceed it in UTF-16 units: skip the count for most text.
        units = utf16_length(value) if len(value) > MAX_TEXT_LENGTH // 2 else len(value)
        if units > MAX_TEXT_LENGTH:  # Excel counts UTF-16 code units: an emoji counts twice
            raise CellError(
                f"{column.header} is {units:,} characters long; Excel cells hold at most "
                f"{MAX_TEXT_LENGTH:,}. Shorten it or move the detail elsewhere"
            )
        return value
    if column.kind is Kind.STATUS:
        if is_missing(raw) or str(raw).strip() == "":
            return None
        try:
            return Status.parse(str(raw)).value
        except ValueError:
            choices = ", ".join(status.value for status in Status)
            raise CellError(f"{column.header} must be one of {choices}; got {_shown(raw)}") from None
    if column.kind is Kind.DATE:
        try:
            return parse_date(raw)
        except (ValueError, OverflowError):
            raise CellError(
                f"{column.header} must be a date such as 2025-01-16; got {_shown(raw)}"
            ) from None
    return _parse_numeric(column, raw)


def _parse_numeric(column: Column, raw: Any) -> int | float | None:
    bounds = _bounds_text(column)
    noun = "a whole number of beds" if column.whole else "a number"
    try:
        value = parse_number(raw)
    except (ValueError, TypeError):
        raise CellError(f"{column.header} must be {noun}{bounds}; got {_shown(raw)}") from None
    if value is None:
        return None
    if column.whole and not float(value).is_integer():
        raise CellError(f"{column.header} must be {noun}{bounds}; got {_shown(raw)} (not whole)")
    if (column.minimum is not None and value < column.minimum) or (
        column.maximum is not None and value > column.maximum
    ):
        raise CellError(f"{column.header} must be {noun}{bounds}; got {_shown(raw)}")
    return int(value) if column.kind is Kind.INTEGER else float(value)


def _bounds_text(column: Column) -> str:
    if column.minimum is not None and column.maximum is not None and column.minimum < 0:
        return f" from {column.minimum:g} to {column.maximum:g}"
    if column.minimum is not None:
        return f" ≥ {column.minimum:g}"
    return ""


def format_value(column: Column, value: Any) -> str:
    """Display text of a stored value, as the table shows it."""
    if is_missing(value):
        return ""
    if column.kind is Kind.INTEGER:
        return f"{int(value):,}"
    if column.kind is Kind.NUMBER:
        if column.key in ("latitude", "longitude"):
            return f"{float(value):.4f}"
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
    if column.kind is Kind.DATE:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if column.kind is Kind.STATUS:
        return Status(value).label
    return str(value)


def edit_text(column: Column, value: Any) -> str:
    """Text put in an editor or on the clipboard: exact, without thousands separators."""
    if is_missing(value):
        return ""
    if column.kind is Kind.INTEGER:
        return str(int(value))
    if column.kind is Kind.NUMBER:
        return repr(float(value)) if not float(value).is_integer() else str(int(value))
    if column.kind is Kind.DATE:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)
