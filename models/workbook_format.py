"""Names and limits of the Bedplan workbook format, shared by its writer, reader and checks."""

from __future__ import annotations

import re

FORMAT_NAME = "Bedplan plan"
#: 1: Facilities + About. 2: totals row above the header, extras sheets, Charts, hidden manifest, seal.
FORMAT_VERSION = 2
APP_VERSION = "0.1.0"

FACILITIES_SHEET = "Facilities"
ABOUT_SHEET = "About"
CHARTS_SHEET = "Charts"
#: Hidden sheet recording every table's columns and dtypes, so reading back is exact.
MANIFEST_SHEET = "Bedplan manifest"
RESERVED_SHEETS = (FACILITIES_SHEET, ABOUT_SHEET, CHARTS_SHEET, MANIFEST_SHEET)

#: Custom document property that seals a workbook as written by Bedplan.
SEAL_PROPERTY = "Bedplan format"
SEAL_VALUE = f"{FORMAT_NAME} {FORMAT_VERSION}"

#: Excel's limit on one cell, counted in UTF-16 code units as Excel counts them.
MAX_CELL_UNITS = 32_767
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class WorkbookError(Exception):
    """A workbook Bedplan cannot open or write as a plan; ``str()`` says why and what to do."""


class Cancelled(Exception):
    """Raised by a progress callback to stop a long read or write; nothing is left half-done."""


def utf16_length(text: str) -> int:
    """Length as Excel counts it: characters outside the Basic Multilingual Plane count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def sheet_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be an extra table's sheet name, or None when it can."""
    if not isinstance(name, str) or not name.strip():
        return f"Sheet name {name!r} must be non-empty text"
    if len(name) > MAX_SHEET_NAME:
        return f"Sheet name {name!r} is {len(name)} characters long; Excel allows at most {MAX_SHEET_NAME}"
    if _BAD_SHEET_CHARS.search(name):
        return f"Sheet name {name!r} contains one of [ ] : * ? / \\, which Excel forbids"
    if name.startswith("'") or name.endswith("'"):
        return f"Sheet name {name!r} cannot start or end with an apostrophe"
    if name.casefold() == "history":
        return "Excel reserves the sheet name 'History'"
    if name.casefold() in {reserved.casefold() for reserved in RESERVED_SHEETS}:
        return f"Sheet name {name!r} is used by the plan workbook itself; choose another name"
    return None
