"""The reading child process: opens one received file under memory and CPU limits (see sandbox.py).

It runs as ``python child.py`` with a JSON request on stdin and writes a pickled result to the
file the request names. It imports only the standard library, NumPy and python-calamine so it
starts fast, and it sets its own limits before touching the file: if a hostile workbook makes
the reader abort (python-calamine does on a sheet claiming XFD1048576) or eat memory, only this
process dies and the parent reports it.

Columns travel as whole arrays, not cells: the first ``head_rows`` rows go raw (for header
detection and the preview), the rest column by column as float64, datetime64 or a list of
Python values. Pickling a few arrays costs far less than pickling a million cell objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import math
import os
import pickle
import sys
import time
from array import array
from operator import itemgetter
from typing import Any

PROGRESS_EVERY = 0.1
#: Joins a text column into one string for transfer; a value containing it makes the column a list.
SEPARATOR = "\x1f"


def _set_limits(memory_mb: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's wall-clock limit still applies
        return
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    # A core file of a 2 GB process helps nobody.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _progress(done: float, text: str) -> None:
    sys.stderr.write(f"progress {done:.4f} {text}\n")
    sys.stderr.flush()


def _typed(column: list[Any]) -> tuple[Any, ...]:
    """One column in the cheapest form to pickle and to turn into an array on the other side.

    ('s', joined text, count) when every value is text (split on US, the unit separator);
    ('f', array of doubles) for numbers and blanks (NaN); ('d', array of day ordinals, 0 = blank)
    for calendar dates; otherwise ('o', list of values).
    """
    try:
        joined = SEPARATOR.join(column)
    except TypeError:
        pass
    else:
        if joined.count(SEPARATOR) == len(column) - 1:
            return "s", joined, len(column)
        return "o", list(column)
    # Types of the non-blank values: filter(None) drops "" (and zeros, which are numbers anyway) in C.
    types = set(map(type, filter(None, column)))
    if types and types <= {float, int}:
        try:
            return "f", array("d", column)
        except TypeError:
            return "f", array("d", [math.nan if value == "" else value for value in column])
    if types == {dt.date}:
        return "d", array("q", [0 if value == "" else value.toordinal() for value in column])
    return "o", list(column)


def _pack(name: str, rows: list[list[Any]], origin: tuple[int, int], merged: list[Any], head_rows: int,
          visible: bool) -> dict[str, Any]:
    width = max((len(row) for row in rows), default=0)
    if any(len(row) != width for row in rows):
        rows = [list(row) + [""] * (width - len(row)) for row in rows]
    head = [list(row) for row in rows[:head_rows]]
    body = rows[head_rows:]
    columns = [_typed(list(map(itemgetter(position), body))) for position in range(width)] if body else []
    return {
        "name": name,
        "origin": origin,
        "head": head,
        "columns": columns,
        "body_rows": len(body),
        "width": width,
        "merged": [((int(a[0]), int(a[1])), (int(b[0]), int(b[1]))) for a, b in merged],
        "visible": visible,
    }


def _read_book(request: dict[str, Any]) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(request["path"])
    metadata = {item.name: str(item.visible).lower().endswith("visible") and "hidden" not in str(item.visible).lower()
                for item in book.sheets_metadata}
    names = list(book.sheet_names)
    wanted = names if request.get("sheets") is None else [name for name in request["sheets"] if name in names]
    sheets = []
    for position, name in enumerate(wanted):
        _progress(position / max(len(wanted), 1), f"Reading sheet {name!r}")
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python()
        start = sheet.start if rows and sheet.start else (0, 0)
        merged = sheet.merged_cell_ranges or []
        _progress((position + 0.8) / max(len(wanted), 1), f"Packing sheet {name!r}")
        sheets.append(_pack(name, rows, (int(start[0]), int(start[1])), merged, request["head_rows"], metadata.get(name, True)))
    return {"sheet_names": names, "sheets": sheets}


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _read_csv(request: dict[str, Any]) -> dict[str, Any]:
    with open(request["path"], "rb") as handle:
        data = handle.read()
    if b"\x00" in data[:65536]:
        raise ValueError("NUL bytes in text")
    text, encoding = _decode(data)
    sample = text[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(10 * 1024 * 1024)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    last = time.monotonic()
    for row in reader:
        rows.append(row)
        if len(rows) % 20000 == 0 and time.monotonic() - last > PROGRESS_EVERY:
            last = time.monotonic()
            _progress(0.8 * reader.line_num / max(text.count("\n", 0, len(text)), 1), "Reading rows")
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    name = os.path.splitext(os.path.basename(request.get("display_name") or request["path"]))[0] or "CSV"
    sheet = _pack(name, rows, (0, 0), [], request["head_rows"], True)
    sheet["encoding"] = encoding
    sheet["delimiter"] = getattr(dialect, "delimiter", ",")
    return {"sheet_names": [name], "sheets": [sheet]}


def main() -> int:
    # A million cells are a million container allocations: collection cycles would only slow the
    # read down (nothing here forms reference cycles), and this process ends right after.
    gc.disable()
    request = json.loads(sys.stdin.read())
    sys.path[:0] = [path for path in request.get("paths", []) if path not in sys.path]
    _set_limits(int(request.get("memory_mb", 0)), int(request.get("cpu_seconds", 0)))
    try:
        if request["kind"] == "csv":
            result = _read_csv(request)
        else:
            result = _read_book(request)
        payload: dict[str, Any] = {"ok": True, **result}
    except MemoryError:
        payload = {"ok": False, "error": "memory", "message": "out of memory"}
    except Exception as error:  # the parent turns the type and text into an analyst's message
        payload = {"ok": False, "error": type(error).__name__, "message": str(error)[:2000]}
    _progress(1.0, "Handing over")
    with open(request["out"], "wb") as handle:
        pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    # Skip freeing a million objects one by one at interpreter exit: the parent is waiting.
    os._exit(code)
