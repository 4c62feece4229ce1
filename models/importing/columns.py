"""Turning one source column (raw top rows plus a typed array below) into values of one kind, fast,
with every cell that could not be used located for the report.

Works on whole arrays: a 100,000-row column of numbers is a NumPy view, never 100,000 calls;
only cells that are not plain numbers (text, thousands separators, NA tokens) are parsed one by one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from models.importing.layout import is_blank
from models.importing.sandbox import RawSheet
from models.values import NA_TOKENS, parse_date, parse_number

_DATEISH = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d", re.IGNORECASE)
#: (row offset within the data, raw value, reason)
Problem = tuple[int, Any, str]


def segments(sheet: RawSheet, position: int, start: int) -> tuple[list[Any], Any]:
    """Raw values of rows ``start``.. of one column: those from the raw top rows, and the typed rest."""
    head = [row[position] if position < len(row) else "" for row in sheet.head[start:]]
    body: Any = sheet.columns[position] if position < len(sheet.columns) else [""] * sheet.body_rows
    skip = max(0, start - len(sheet.head))
    if skip:
        body = body[skip:]
    return head, body


def filled_mask(sheet: RawSheet, position: int, start: int) -> np.ndarray:
    head, body = segments(sheet, position, start)
    first = np.fromiter((not is_blank(value) for value in head), dtype=bool, count=len(head))
    if isinstance(body, np.ndarray):
        rest = ~np.isnat(body) if body.dtype.kind == "M" else ~np.isnan(body)
    else:
        # "" is blank; whitespace-only text counts as filled here (rows that matter are rechecked cell by cell).
        rest = np.fromiter(map(bool, body), dtype=bool, count=len(body))
    return np.concatenate([first, rest])


def to_text(sheet: RawSheet, position: int, start: int) -> np.ndarray:
    """Object array of str (trimmed) or None. Whole numbers print without '.0' (IDs, zip codes)."""
    head, body = segments(sheet, position, start)
    values = [_text(value) for value in head]
    if isinstance(body, np.ndarray):
        if body.dtype.kind == "M":
            values += [None if np.isnat(v) else str(pd.Timestamp(v).date()) for v in body]
        else:
            values += [None if v != v else (str(int(v)) if v.is_integer() else repr(v)) for v in body.tolist()]
    else:
        try:
            stripped = list(map(str.strip, body))  # C speed when every value is text (a whole CSV, most text columns)
        except TypeError:
            values += [_text(value) for value in body]
        else:
            values += [value or None for value in stripped]
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float):
        if math.isinf(value):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip() or None


def to_numbers(sheet: RawSheet, position: int, start: int) -> tuple[np.ndarray, list[Problem]]:
    """float64 array (NaN = missing) and the cells that are not numbers."""
    head, body = segments(sheet, position, start)
    problems: list[Problem] = []
    first, head_problems = _parse_numbers(head, 0)
    problems += head_problems
    if isinstance(body, np.ndarray) and body.dtype.kind == "f":
        rest = body
    elif isinstance(body, np.ndarray):  # dates where numbers were expected
        rest = np.full(len(body), np.nan)
        for index in np.flatnonzero(~np.isnat(body)).tolist():
            problems.append((len(head) + int(index), pd.Timestamp(body[index]).date(), "a date, not a number"))
    else:
        rest, body_problems = _parse_numbers(body, len(head))
        problems += body_problems
    return np.concatenate([first, rest]).astype(np.float64, copy=False), problems


def _parse_numbers(values: Sequence[Any], offset: int) -> tuple[np.ndarray, list[Problem]]:
    count = len(values)
    if not count:
        return np.empty(0), []
    series = pd.Series(values, dtype=object)
    numbers = np.array(pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    problems: list[Problem] = []
    for index in np.flatnonzero(np.isnan(numbers)).tolist():
        raw = values[index]
        if is_blank(raw) or (isinstance(raw, str) and raw.strip().lower() in NA_TOKENS):
            continue
        if isinstance(raw, bool):
            problems.append((offset + int(index), raw, "TRUE/FALSE, not a number"))
            continue
        try:
            parsed = parse_number(raw)
        except (ValueError, TypeError):
            problems.append((offset + int(index), raw, "not a number"))
            continue
        numbers[index] = np.nan if parsed is None else parsed
    bools = [i for i, raw in enumerate(values) if isinstance(raw, bool)] if series.map(type).eq(bool).any() else []
    for index in bools:
        if not any(p[0] == offset + index for p in problems):
            problems.append((offset + index, values[index], "TRUE/FALSE, not a number"))
            numbers[index] = np.nan
    return numbers, problems


def to_dates(sheet: RawSheet, position: int, start: int) -> tuple[np.ndarray, list[Problem]]:
    """datetime64[ns] array (NaT = missing) and the cells that are not dates."""
    head, body = segments(sheet, position, start)
    problems: list[Problem] = []
    cache: dict[Any, Any] = {}

    def parse(values: Sequence[Any], offset: int) -> np.ndarray:
        out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
        for index, raw in enumerate(values):
            if is_blank(raw):
                continue
            key = (type(raw), raw)
            if key not in cache:
                try:
                    if isinstance(raw, (int, float)):
                        raise ValueError(raw)  # a bare number is not a date in a text column
                    parsed = parse_date(raw)
                    cache[key] = np.datetime64("NaT") if parsed is None else np.datetime64(parsed.to_datetime64(), "ns")
                except (ValueError, OverflowError, TypeError):
                    cache[key] = None
            value = cache[key]
            if value is None:
                problems.append((offset + index, raw, "not a date (use a form such as 2025-01-16)"))
            else:
                out[index] = value
        return out

    first = parse(head, 0)
    if isinstance(body, np.ndarray) and body.dtype.kind == "M":
        rest = body.astype("datetime64[ns]")
    elif isinstance(body, np.ndarray):
        rest = np.full(len(body), np.datetime64("NaT"), dtype="datetime64[ns]")
        for index in np.flatnonzero(~np.isnan(body)).tolist():
            problems.append((len(head) + int(index), float(body[index]), "a number, not a date"))
    else:
        rest = parse(body, len(head))
    return np.concatenate([first, rest]), problems


def column_kind(sheet: RawSheet, position: int, start: int, sample: int = 200) -> str:
    """'number', 'date', 'text' or 'empty': what the column's values are, judged from a sample."""
    from models.importing.mapping import DATE, EMPTY, NUMBER, TEXT

    head, body = segments(sheet, position, start)
    if isinstance(body, np.ndarray) and len(body):
        if body.dtype.kind == "M":
            if not np.isnat(body).all():
                return DATE
        elif not np.isnan(body).all():
            return NUMBER
    values = [v for v in list(head) + list(body[:sample] if not isinstance(body, np.ndarray) else []) if not is_blank(v)]
    if not values:
        return EMPTY
    numbers = dates = 0
    for value in values[:sample]:
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            numbers += 1
            continue
        if hasattr(value, "isoformat"):
            dates += 1
            continue
        text = str(value).strip()
        if text.lower() in NA_TOKENS:
            numbers += 1  # 'N/A' and '.' stand in numeric columns
            continue
        try:
            parse_number(text)
            numbers += 1
        except ValueError:
            if not _DATEISH.search(text):
                continue  # most text is not a date; strptime over seven layouts is slow
            try:
                if parse_date(text) is not None:
                    dates += 1
            except ValueError:
                pass
    total = len(values[:sample])
    if numbers >= 0.5 * total and numbers > 0:  # a numeric column with some junk is still numeric
        return NUMBER
    if dates >= 0.8 * total and dates > 0:
        return DATE
    return TEXT
