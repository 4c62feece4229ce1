"""From a read sheet, its header layout and a column mapping to plan rows plus a validation report.

Nothing is dropped or changed silently: blank rows are counted, total and footnote rows are left
out with a note, every value that could not be used (or was changed: rounded, a suppressed-count
code read as missing) is listed with sheet, row, column, value and reason, and the analyst chooses
whether rows with problems are skipped or imported with the bad cells empty and a flag in Notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from models.importing.columns import filled_mask, to_dates, to_numbers, to_text
from models.importing.layout import HeaderLayout, is_blank
from models.importing.mapping import ColumnMapping
from models.importing.sandbox import RawSheet
from models.schema import COLUMN_BY_KEY, COLUMNS, Column, Kind, Status

#: Codes agencies write for a suppressed or unknown count (HHS writes -999999 for 1 to 3 patients).
DEFAULT_SENTINELS: tuple[float, ...] = (-999999.0, -99999.0, -9999999.0)
SKIP, FLAG = "skip", "flag"
PROBLEM, CHANGED, EXCLUDED = "problem", "changed", "excluded"
_TOTAL = re.compile(r"^\s*(grand\s+)?(sub)?totals?\b|^\s*(all\s+(states|facilities|sites|hospitals)|sum|united states|national)\s*$",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Issue:
    """One line of the validation report. ``row`` counts as the spreadsheet does (1 = first row)."""

    sheet: str
    row: int
    column: str
    value: Any
    reason: str
    severity: str = PROBLEM  # PROBLEM (row skipped or flagged), CHANGED (used, altered), EXCLUDED (row left out)

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "item"):
            value = value.item()
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": value,
                "reason": self.reason, "severity": self.severity}

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}, {self.column}: {self.value!r} — {self.reason}"


@dataclass
class ImportOptions:
    sentinels: tuple[float, ...] = DEFAULT_SENTINELS
    on_problem: str = SKIP  # SKIP rows with problems, or FLAG: import them with the bad cells empty


@dataclass
class ImportResult:
    """Rows ready for a plan (schema columns and dtypes), and what the analyst must be told."""

    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    skipped_rows: int = 0
    flagged_rows: int = 0
    excluded_rows: int = 0

    @property
    def problems(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == PROBLEM]

    @property
    def rows_with_problems(self) -> int:
        return len({issue.row for issue in self.problems})


def convert(sheet: RawSheet, layout: HeaderLayout, mapping: ColumnMapping, options: ImportOptions | None = None,
            columns: tuple[Column, ...] = COLUMNS) -> ImportResult:
    """Plan rows from ``sheet`` under ``layout`` and ``mapping``; never raises for bad cells."""
    options = options or ImportOptions()
    start = layout.first_data_row
    count = max(sheet.row_count - start, 0)
    excel_rows = np.arange(count, dtype=np.int64) + sheet.origin[0] + start + 1
    issues: list[Issue] = []
    notes: list[str] = []
    width = min(layout.width, sheet.width)
    filled = np.zeros(count, dtype=np.int64)
    single_text = np.zeros(count, dtype=bool)
    masks = []
    for position in range(width):
        mask = filled_mask(sheet, position, start)
        masks.append(mask)
        filled += mask
    for index in np.flatnonzero((filled > 0) & (filled <= 2)).tolist():
        for position in range(width):
            if masks[position][index] and is_blank(sheet.cell(start + int(index), position)):
                masks[position][index] = False  # whitespace only
                filled[index] -= 1
    keep = filled > 0
    # Trailing blank rows are the sheet's formatting, not data: only count blank rows inside the table.
    last = int(np.flatnonzero(keep)[-1]) + 1 if keep.any() else 0
    inner_blank = int((~keep[:last]).sum())
    if inner_blank:
        notes.append(f"{inner_blank:,} blank row{'s' if inner_blank != 1 else ''} inside the table skipped.")

    texts: dict[int, np.ndarray] = {}

    def text_of(position: int) -> np.ndarray:
        if position not in texts:
            texts[position] = to_text(sheet, position, start)
        return texts[position]

    # Total rows: the label column says Total; footnotes: one text cell alone in a wide table.
    label_positions = list(dict.fromkeys([*mapping.get("name"), *mapping.get("id"), 0]))[:3]
    total = np.zeros(count, dtype=bool)
    for position in label_positions:
        if position < width:
            total[_matching_rows(text_of(position), _TOTAL)] = True
    total &= keep
    if width >= 3:
        for index in np.flatnonzero(keep & (filled == 1) & ~total).tolist():
            position = next(p for p in range(width) if masks[p][index])
            raw = text_of(position)[index]
            if raw is not None and not _numberish(raw):
                single_text[index] = True
    excluded = total | single_text
    for index in np.flatnonzero(excluded).tolist():
        label = next((text_of(p)[index] for p in range(width) if masks[p][index]), "")
        if total[index]:
            reason = "total row, left out so it is not counted twice"
        else:
            reason = "footnote or note row (a single text cell), left out"
        issues.append(Issue(sheet.name, int(excel_rows[index]), layout.names[0] if width else "", label, reason, EXCLUDED))
    rows = keep & ~excluded

    data: dict[str, Any] = {}
    row_problems: dict[int, list[str]] = {}

    def problem(index: int, column_name: str, raw: Any, reason: str, severity: str = PROBLEM) -> None:
        if not rows[index]:
            return
        issues.append(Issue(sheet.name, int(excel_rows[index]), column_name, raw, reason, severity))
        if severity == PROBLEM:
            row_problems.setdefault(index, []).append(f"{column_name}: {reason}")

    for column in columns:
        positions = [p for p in mapping.get(column.key) if p < width]
        if not positions:
            continue
        if column.numeric:
            data[column.key] = _numbers(sheet, layout, positions, start, column, options, problem)
        elif column.kind is Kind.DATE:
            parts = []
            for position in positions[:1]:
                values, found = to_dates(sheet, position, start)
                for index, raw, reason in found:
                    problem(index, layout.names[position], raw, f"{column.header}: {reason}")
                parts.append(values)
            data[column.key] = parts[0]
        elif column.kind is Kind.STATUS:
            data[column.key] = _statuses(text_of(positions[0]), layout.names[positions[0]], column, problem)
        else:
            if len(positions) == 1:
                values = text_of(positions[0])
            else:
                joined = [", ".join(v for v in parts if v) or None for parts in zip(*(text_of(p) for p in positions))]
                values = np.empty(count, dtype=object)
                values[:] = joined
            data[column.key] = _texts(values, layout.names[positions[0]], column, problem)

    for key in ("id", "name"):
        if key in data:
            missing = pd.isna(data[key]) & rows
            for index in np.flatnonzero(missing).tolist():
                problem(int(index), _name(layout, mapping, key), None, f"{COLUMN_BY_KEY[key].header} is required but blank")
            if options.on_problem == FLAG and missing.any():
                filler = [f"ROW{excel_rows[i]}" if key == "id" else f"(no name, row {excel_rows[i]})" for i in np.flatnonzero(missing)]
                data[key][np.flatnonzero(missing)] = filler

    frame_rows = rows.copy()
    flagged = 0
    skipped = 0
    bad = np.array(sorted(i for i in row_problems if rows[i]), dtype=np.int64)
    if len(bad):
        if options.on_problem == FLAG:
            flagged = len(bad)
        else:
            skipped = len(bad)
            frame_rows[bad] = False
    selected = np.flatnonzero(frame_rows)
    frame = _typed_frame(data, selected, columns)
    for key in ("id", "name"):
        if key not in frame:
            frame[key] = None
    if options.on_problem == FLAG and len(bad):
        _flag(frame, selected, row_problems)
    ids = frame["id"].tolist() if "id" in frame else []
    if ids and len(set(ids)) < len(ids):
        duplicate = frame["id"].duplicated(keep="first") & frame["id"].notna()
        for position in np.flatnonzero(duplicate.to_numpy()).tolist():
            issues.append(Issue(sheet.name, int(excel_rows[selected[position]]), _name(layout, mapping, "id"),
                                frame["id"].iat[position], "the same ID appears on an earlier row; this row was skipped", PROBLEM))
        if duplicate.any():
            keep_positions = ~duplicate.to_numpy()
            frame = frame[keep_positions].reset_index(drop=True)
            selected = selected[keep_positions]
            skipped += int(duplicate.sum())
    result = ImportResult(frame, issues, notes, excel_rows[selected], skipped, flagged, int(excluded.sum()))
    _total_notes(result, sheet, layout, mapping, total, excel_rows, start, columns)
    return result


#: Words a total row's label starts with; each is found with str.find over the whole column at once.
_TOTAL_WORDS = ("total", "grand", "sub", "all ", "sum", "united states", "national")


def _matching_rows(values: np.ndarray, pattern: re.Pattern[str]) -> list[int]:
    """Rows whose (trimmed) text matches ``pattern``; candidates are found by a few fast
    ``str.find`` passes over the joined, lower-cased column, then checked with the pattern."""
    texts = [v or "" for v in values.tolist()]
    joined = "\n" + "\n".join(texts).lower()
    if joined.count("\n") != len(texts):  # cells with line breaks: no shortcut
        return [row for row, text in enumerate(texts) if pattern.match(text)]
    starts: np.ndarray | None = None
    rows: set[int] = set()
    for word in _TOTAL_WORDS:
        position = joined.find("\n" + word)
        while position != -1:
            if starts is None:
                starts = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1) - 1
                starts = np.concatenate([[0], starts[:-1] + 1]) if len(starts) else starts
            row = int(np.searchsorted(starts, position, side="right")) - 1
            if 0 <= row < len(texts) and pattern.match(texts[row]):
                rows.add(row)
            position = joined.find("\n" + word, position + 1)
    return sorted(rows)


def _typed_frame(data: dict[str, Any], selected: np.ndarray, columns: tuple[Column, ...]) -> pd.DataFrame:
    """The schema's columns in their dtypes, built from whole arrays (no per-cell casting)."""
    count = len(selected)
    out: dict[str, Any] = {}
    for column in COLUMNS:
        values = data.get(column.key)
        if values is not None:
            values = values[selected]
        if column.numeric:
            floats = np.full(count, np.nan) if values is None else values
            out[column.key] = pd.array(floats, dtype=column.dtype)  # NaN becomes <NA>
        elif column.kind is Kind.DATE:
            out[column.key] = np.full(count, np.datetime64("NaT"), dtype="datetime64[ns]") if values is None else values
        elif column.kind is Kind.STATUS:
            out[column.key] = pd.Categorical(np.full(count, None, dtype=object) if values is None else values,
                                             dtype=column.dtype)
        else:
            out[column.key] = np.full(count, None, dtype=object) if values is None else values
    return pd.DataFrame(out, index=pd.RangeIndex(count))


def _numberish(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _name(layout: HeaderLayout, mapping: ColumnMapping, key: str) -> str:
    positions = mapping.get(key)
    return layout.names[positions[0]] if positions else COLUMN_BY_KEY[key].header


def _numbers(sheet: RawSheet, layout: HeaderLayout, positions: list[int], start: int, column: Column,
             options: ImportOptions, problem: Any) -> np.ndarray:
    total: np.ndarray | None = None
    present: np.ndarray | None = None
    sentinels = np.array(options.sentinels, dtype=np.float64)
    missing_parts: list[tuple[int, np.ndarray]] = []
    for position in positions:
        values, found = to_numbers(sheet, position, start)
        name = layout.names[position]
        for index, raw, reason in found:
            problem(index, name, raw, f"{column.header} must be a number; {reason}")
        if len(sentinels):
            coded = np.isin(values, sentinels)
            for index in np.flatnonzero(coded).tolist():
                problem(int(index), name, float(values[index]), "suppressed-value code, read as missing", CHANGED)
            values = np.where(coded, np.nan, values)
        infinite = np.isinf(values)
        for index in np.flatnonzero(infinite).tolist():
            problem(int(index), name, float(values[index]), f"{column.header} must be a finite number")
        values = np.where(infinite, np.nan, values)
        here = ~np.isnan(values)
        if total is None:
            total, present = np.where(here, values, 0.0), here
        else:
            total = total + np.where(here, values, 0.0)
            present = present | here  # type: ignore[operator]
        missing_parts.append((position, ~here))
    assert total is not None and present is not None
    result = np.where(present, total, np.nan)
    if len(positions) > 1:
        for position, missing in missing_parts:
            for index in np.flatnonzero(missing & present).tolist():
                problem(int(index), layout.names[position], None,
                        f"blank in a sum for {column.header}; the other columns were added", CHANGED)
    label = " + ".join(layout.names[p] for p in positions)
    low = column.minimum is not None and (result < column.minimum)
    high = column.maximum is not None and (result > column.maximum)
    out_of_range = np.asarray(low | high) & present
    for index in np.flatnonzero(out_of_range).tolist():
        bounds = f"at least {column.minimum:g}" if column.minimum is not None else ""
        if column.maximum is not None:
            bounds += f"{' and ' if bounds else ''}at most {column.maximum:,.0f}"
        problem(int(index), label, float(result[index]), f"{column.header} must be {bounds}")
    result = np.where(out_of_range, np.nan, result)
    if column.whole:
        fractional = present & ~np.isnan(result) & (result != np.round(result))
        for index in np.flatnonzero(fractional).tolist():
            problem(int(index), label, float(result[index]),
                    f"{column.header} holds whole beds; rounded to {int(np.floor(result[index] + 0.5)):,}", CHANGED)
        result = np.where(fractional, np.floor(result + 0.5), result)
    return result


def _statuses(values: np.ndarray, name: str, column: Column, problem: Any) -> np.ndarray:
    texts = values.tolist()
    cache: dict[str | None, str | None] = {None: None}
    for raw in set(texts):
        if raw is not None:
            try:
                cache[raw] = Status.parse(raw).value
            except ValueError:
                cache[raw] = None
    out = np.empty(len(texts), dtype=object)
    out[:] = [cache[raw] for raw in texts]
    choices = ", ".join(status.value for status in Status)
    for index in np.flatnonzero(pd.isna(out) & ~pd.isna(values)).tolist():
        problem(int(index), name, texts[index], f"{column.header} must be one of {choices}")
    return out


def _texts(values: np.ndarray, name: str, column: Column, problem: Any) -> np.ndarray:
    from models.schema import MAX_TEXT_LENGTH
    from models.workbook_format import utf16_length

    # Excel counts UTF-16 units (an emoji twice); half the limit in characters is always safe.
    if max(map(len, filter(None, values.tolist())), default=0) <= MAX_TEXT_LENGTH // 2:
        return values
    lengths = np.fromiter((utf16_length(v) if v is not None else 0 for v in values), dtype=np.int64, count=len(values))
    for index in np.flatnonzero(lengths > MAX_TEXT_LENGTH).tolist():
        problem(int(index), name, values[index][:40] + "…", f"{column.header} is {lengths[index]:,} characters; "
                f"Excel cells hold at most {MAX_TEXT_LENGTH:,}")
        values[index] = None
    return values


def _flag(frame: pd.DataFrame, selected: np.ndarray, row_problems: dict[int, list[str]]) -> None:
    notes = frame["notes"].to_numpy(dtype=object).copy() if "notes" in frame else np.full(len(frame), None, dtype=object)
    position_of = {int(index): position for position, index in enumerate(selected)}
    for index, reasons in row_problems.items():
        position = position_of.get(index)
        if position is None:
            continue
        flag = "Imported with problems: " + "; ".join(reasons)
        notes[position] = f"{notes[position]} | {flag}" if notes[position] else flag
    frame["notes"] = notes


def _total_notes(result: ImportResult, sheet: RawSheet, layout: HeaderLayout, mapping: ColumnMapping, total: np.ndarray,
                 excel_rows: np.ndarray, start: int, columns: tuple[Column, ...]) -> None:
    """For each total row left out: does it match the sum of the imported rows?"""
    for index in np.flatnonzero(total).tolist():
        checks = []
        for column in columns:
            positions = mapping.get(column.key)
            if not column.numeric or not positions or column.key not in result.frame:
                continue
            stated = 0.0
            usable = True
            for position in positions:
                values, _ = to_numbers(sheet, position, start)
                if np.isnan(values[index]):
                    usable = False
                    break
                stated += float(values[index])
            if not usable:
                continue
            imported = float(pd.to_numeric(result.frame[column.key], errors="coerce").sum())
            if abs(imported - stated) <= max(0.5, 1e-6 * abs(stated)):
                checks.append(f"its {column.header} ({stated:,.6g}) matches the sum of the imported rows")
            else:
                checks.append(f"its {column.header} ({stated:,.6g}) differs from the sum of the imported rows ({imported:,.6g})")
        text = f"Row {int(excel_rows[index])} is a total row and was left out"
        result.notes.append(text + (": " + "; ".join(checks) + "." if checks else "."))
