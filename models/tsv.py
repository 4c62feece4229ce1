"""Clipboard text as Excel and LibreOffice exchange it: tab-separated, quoted where needed."""

from __future__ import annotations

from collections.abc import Sequence


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from clipboard text.

    Follows what Excel writes: cells split on tabs, rows on CRLF or LF, a trailing line break
    ignored, and a cell that starts with a double quote may contain tabs, line breaks and
    doubled quotes. Ragged rows are kept ragged (the caller decides how to fill them).
    """
    if text == "":
        return []
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i = 0
    n = len(text)
    at_cell_start = True
    while i < n:
        char = text[i]
        if at_cell_start and char == '"':
            closing = _closing_quote(text, i + 1)
            if closing is not None:
                cell.append(text[i + 1 : closing].replace('""', '"'))
                i = closing + 1
                at_cell_start = False
                continue
        at_cell_start = False
        if char == "\t":
            row.append("".join(cell))
            cell = []
            at_cell_start = True
        elif char in "\r\n":
            if char == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_cell_start = True
        else:
            cell.append(char)
        i += 1
    if cell or row or not at_cell_start:
        row.append("".join(cell))
        rows.append(row)
    return rows


def _closing_quote(text: str, start: int) -> int | None:
    """Index of the quote closing a quoted cell, if the cell really is quoted (ends at a separator)."""
    i = start
    while True:
        j = text.find('"', i)
        if j < 0:
            return None
        if j + 1 < len(text) and text[j + 1] == '"':
            i = j + 2
            continue
        if j + 1 == len(text) or text[j + 1] in "\t\r\n":
            return j
        return None


def format_tsv(rows: Sequence[Sequence[str]]) -> str:
    """Clipboard text for rows of cells; quotes cells with tabs, line breaks or leading quotes."""
    lines = []
    for row in rows:
        lines.append("\t".join(_quote(cell) for cell in row))
    return "\r\n".join(lines) + "\r\n" if lines else ""


def _quote(cell: str) -> str:
    if any(char in cell for char in "\t\r\n") or cell.startswith('"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell
