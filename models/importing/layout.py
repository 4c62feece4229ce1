"""Where a sheet's table starts: the header row (skipping titles, notes and merged bands), a band row
combined with it, and distinct column names. Knows nothing about plan fields, so any importer
(facilities, occupancy history) can use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: A band cell longer than this is a note that happens to sit above the header, not a group title.
MAX_BAND_TEXT = 80
SEARCH_ROWS = 120


@dataclass(frozen=True)
class HeaderLayout:
    """The header of a table, in positions of the read range (0-based)."""

    header_row: int
    band_row: int | None
    names: tuple[str, ...]  # distinct names, band and bottom text combined ("Band / Column")
    bottom: tuple[str, ...]  # the header row's own text per column ("" when blank)
    bands: tuple[str, ...]  # the band text above each column ("" when none)
    detected: bool = True

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def width(self) -> int:
        return len(self.names)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)


def _is_text(value: Any) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    text = value.strip().replace(",", "")
    try:
        float(text)
    except ValueError:
        return True
    return False


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class _RowShape:
    filled: int
    text: int
    numeric: int
    first: int  # first filled column, -1 if none
    longest: int = 0  # characters in the longest text: a sentence is a note, not a column name


def _shape(row: Sequence[Any]) -> _RowShape:
    filled = text = numeric = longest = 0
    first = -1
    for position, value in enumerate(row):
        if is_blank(value):
            continue
        filled += 1
        if first < 0:
            first = position
        if _is_text(value):
            text += 1
            longest = max(longest, len(value))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            numeric += 1
        elif isinstance(value, str):
            numeric += 1  # numbers stored as text
    return _RowShape(filled, text, numeric, first, longest)


def detect_header(rows: Sequence[Sequence[Any]], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
                  origin: tuple[int, int] = (0, 0)) -> HeaderLayout:
    """Guess the header row of ``rows`` (the top of a sheet) and build its column names."""
    sample = rows[:SEARCH_ROWS]
    shapes = [_shape(row) for row in sample]
    width = max((shape.filled for shape in shapes), default=0)
    banded = {a[0] - origin[0] for a, b in merged if b[1] > a[1]}
    header = _first_header(shapes, width, banded)
    if header is None:
        header = next((index for index, shape in enumerate(shapes) if shape.filled), 0)
        return layout_for(rows, header, merged, origin, detected=False)
    # Two full text rows over data: the upper one is a band of group titles (years, blocks).
    following = header + 1
    # A band is sparser than the header under it (its titles span several columns).
    if (following < len(shapes) and _texty(shapes[following], width) and shapes[header].filled < shapes[following].filled
            and _numeric_share(shapes[following + 1: following + 6]) > _numeric_share([shapes[following]]) + 0.2):
        return layout_for(rows, following, merged, origin, band_row=header)
    return layout_for(rows, header, merged, origin)


def _texty(shape: _RowShape, width: int) -> bool:
    return shape.filled >= max(2, 0.5 * width) and shape.text >= 0.7 * shape.filled


def _numeric_share(shapes: Sequence[_RowShape]) -> float:
    filled = sum(shape.filled for shape in shapes)
    return sum(shape.numeric for shape in shapes) / filled if filled else 0.0


def _first_header(shapes: Sequence[_RowShape], width: int, banded: set[int]) -> int | None:
    for index, shape in enumerate(shapes):
        if not _texty(shape, width) or shape.longest > MAX_BAND_TEXT or index in banded:
            continue
        below = [s for s in shapes[index + 1: index + 6] if s.filled]
        if not below or any(s.filled >= 0.3 * width for s in below):
            return index
    return None


def layout_for(rows: Sequence[Sequence[Any]], header_row: int,
               merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (), origin: tuple[int, int] = (0, 0),
               band_row: int | None = None, detected: bool = True) -> HeaderLayout:
    """The layout with ``header_row`` as the header (an analyst's correction, or the detected row).

    A band row above it is found automatically: the nearest row above, past single-cell notes,
    that holds merged group titles (or, without merge information, short texts over some columns).
    """
    if not 0 <= header_row < len(rows):
        raise ValueError(f"header row {header_row + 1} is outside the {len(rows)} rows read")
    width = max((len(row) for row in rows[header_row: header_row + 50]), default=0)
    bottom = [_text(rows[header_row][c]) if c < len(rows[header_row]) else "" for c in range(width)]
    ranges = [((a[0] - origin[0], a[1] - origin[1]), (b[0] - origin[0], b[1] - origin[1])) for a, b in merged]
    if band_row is None:
        band_row = _find_band(rows, header_row, ranges)
    bands = [""] * width
    if band_row is not None:
        bands = _band_texts(rows[band_row], band_row, header_row, ranges, width, bottom)
    names = []
    for column in range(width):
        text = bottom[column]
        band = bands[column]
        if band and band.lower() not in text.lower():
            text = f"{band} / {text}" if text else band
        names.append(text)
    return HeaderLayout(header_row, band_row, tuple(distinct_names(names, origin[1])), tuple(bottom), tuple(bands),
                        detected)


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _find_band(rows: Sequence[Sequence[Any]], header_row: int,
               ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> int | None:
    for candidate in range(header_row - 1, max(header_row - 4, -1), -1):
        row = rows[candidate]
        shape = _shape(row)
        if shape.filled == 0:
            return None  # a blank row separates the header from anything above
        wide = [r for r in ranges if r[0][0] == candidate and r[1][1] > r[0][1] and r[1][0] < header_row]
        short = [v for v in row if _is_text(v) and len(str(v)) <= MAX_BAND_TEXT]
        if wide and short:
            return candidate
        if not ranges and len(short) >= 2 and shape.filled < 0.5 * max(len(row), 1):
            return candidate
        if shape.filled == 1:
            continue  # a note line ("Data source: ...") between band and header
        return None
    return None


def _band_texts(row: Sequence[Any], band_row: int, header_row: int,
                ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]], width: int, bottom: Sequence[str]) -> list[str]:
    bands = [""] * width
    spans = [r for r in ranges if r[0][0] <= band_row <= r[1][0] and r[1][0] < header_row]
    for (_, left), (_, right) in spans:
        if left < len(row):
            text = _text(row[left])
            if len(text) <= MAX_BAND_TEXT:
                for column in range(max(left, 0), min(right + 1, width)):
                    bands[column] = text
    covered = {c for (_, left), (_, right) in spans for c in range(left, right + 1)}
    current = ""
    for column in range(width):
        value = _text(row[column]) if column < len(row) else ""
        if column in covered:
            current = ""
            continue
        if value and len(value) <= MAX_BAND_TEXT:
            bands[column] = value
            current = value if not ranges else ""
        elif current and bottom[column]:
            bands[column] = current  # no merge information: a group title runs until the next one
        else:
            current = ""
    return bands


def distinct_names(names: Sequence[str], first_column: int = 0) -> list[str]:
    """Blank names become 'Column F'; repeats get ' (2)', ' (3)'... so every name is unique."""
    out: list[str] = []
    used: set[str] = set()
    for position, name in enumerate(names):
        base = name.strip() or f"Column {column_letter(first_column + position)}"
        candidate, number = base, 2
        while candidate.lower() in used:
            candidate, number = f"{base} ({number})", number + 1
        used.add(candidate.lower())
        out.append(candidate)
    return out
