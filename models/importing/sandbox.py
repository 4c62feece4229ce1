"""Reading a received file in a child process with memory, CPU and wall-clock limits.

Hostile or broken workbooks can abort the reader (python-calamine aborts the whole process on a
sheet claiming XFD1048576), exhaust memory or spin. In a child process each of those ends only
the child; the parent turns the way it ended into a message and the open plan stays as it was.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models.importing.errors import ImportCancelled, ImportFailure

CHILD = Path(__file__).with_name("child.py")
#: Rows sent raw for header detection and the preview; the rest travel as column arrays.
HEAD_ROWS = 160
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Limits:
    """What one read may use. Generous for real files, far below what hurts the machine."""

    memory_mb: int = 3072
    cpu_seconds: int = 120
    wall_seconds: float = 180.0


@dataclass
class RawSheet:
    """One sheet as read: the top rows raw, the rest as whole columns."""

    name: str
    origin: tuple[int, int]  # (row, column) of the first cell, 0-based, in the sheet
    head: list[list[Any]]
    columns: list[Any]  # per column: np.ndarray (float64 or datetime64[us]) or list of values
    body_rows: int
    width: int
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    visible: bool = True

    @property
    def row_count(self) -> int:
        return len(self.head) + self.body_rows

    def cell(self, row: int, column: int) -> Any:
        """Value at a 0-based position inside the read range ("" when blank)."""
        if row < len(self.head):
            line = self.head[row]
            return line[column] if column < len(line) else ""
        values = self.columns[column]
        value = values[row - len(self.head)]
        if isinstance(value, float) and value != value:
            return ""
        if isinstance(value, np.datetime64):
            return "" if np.isnat(value) else value.astype("datetime64[us]").item()
        return value.item() if hasattr(value, "item") else value

    def rows(self, start: int, stop: int) -> list[list[Any]]:
        """Raw rows ``start``..``stop`` (for previews; slow per cell, fine for a screenful)."""
        stop = min(stop, self.row_count)
        return [[self.cell(row, column) for column in range(self.width)] for row in range(start, stop)]


@dataclass
class RawBook:
    """Every sheet read from one file."""

    path: str
    kind: str
    sheet_names: list[str]
    sheets: list[RawSheet]
    notes: list[str] = field(default_factory=list)

    def sheet(self, name: str) -> RawSheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise ImportFailure(
            f"There is no sheet named {name!r}; the sheets are {', '.join(repr(n) for n in self.sheet_names)}",
            "no_sheet",
        )


def _unpack_column(packed: tuple[Any, ...]) -> Any:
    kind = packed[0]
    if kind == "s":
        text, count = packed[1], packed[2]
        return text.split("\x1f") if count else []
    if kind == "f":
        return np.frombuffer(packed[1], dtype=np.float64) if len(packed[1]) else np.empty(0)
    if kind == "d":
        ordinals = np.frombuffer(packed[1], dtype=np.int64) if len(packed[1]) else np.empty(0, np.int64)
        days = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[us]")
        days[ordinals == 0] = np.datetime64("NaT")
        return days
    return packed[1]


ProgressCallback = Callable[[float, str], None]


def read_in_child(
    path: str | os.PathLike[str],
    kind: str,
    sheets: list[str] | None = None,
    limits: Limits = Limits(),
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    display_name: str | None = None,
) -> RawBook:
    """Read ``path`` (already sniffed as ``kind``) in a limited child process.

    Raises ImportFailure with a specific message when the child fails or is stopped by a limit,
    and ImportCancelled when ``cancelled()`` turns true.
    """
    name = display_name or Path(path).name
    with tempfile.TemporaryDirectory(prefix="bedplan-import-") as folder:
        out = Path(folder) / "result.pickle"
        source = _with_suffix(Path(path), kind, Path(folder))
        request = {
            "path": str(source), "kind": kind, "sheets": sheets, "head_rows": HEAD_ROWS, "out": str(out),
            "memory_mb": limits.memory_mb, "cpu_seconds": limits.cpu_seconds, "display_name": name,
            "paths": _reader_paths(),
        }
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        process = subprocess.Popen(
            # -I -S: no user paths, no site (.pth processing costs ~40 ms); the reader's folder comes in the request.
            [sys.executable, "-I", "-S", str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, env=env,
        )
        errors: list[str] = []
        reader = threading.Thread(target=_pump, args=(process, progress, errors), daemon=True)
        reader.start()
        try:
            assert process.stdin is not None
            process.stdin.write(json.dumps(request).encode())
            process.stdin.close()
        except OSError:
            pass
        deadline = time.monotonic() + limits.wall_seconds
        try:
            while True:
                if cancelled is not None and cancelled():
                    _kill(process)
                    raise ImportCancelled()
                if time.monotonic() > deadline:
                    _kill(process)
                    raise ImportFailure(
                        f"Reading {name} took longer than {limits.wall_seconds:.0f} seconds and was stopped. "
                        "The file may be far larger than it looks (for example millions of formatted empty rows); "
                        "copy the table into a new workbook and import that",
                        "timeout",
                    )
                # The reader thread ends when the child closes stderr (it exits): joining it wakes at
                # once, where Popen.wait(timeout) would poll every 50 ms.
                reader.join(timeout=0.05)
                if not reader.is_alive():
                    try:
                        process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        continue
                    break
        finally:
            if process.poll() is None:
                _kill(process)
            reader.join(timeout=2)
        payload = _result(process.returncode, out, name, errors, limits)
    return _book(path, kind, payload)


def _reader_paths() -> list[str]:
    """Folders the child needs on sys.path (where python-calamine is installed)."""
    import importlib.util

    spec = importlib.util.find_spec("python_calamine")
    if spec is None or not spec.origin:
        return []
    return [str(Path(spec.origin).resolve().parent.parent)]


def _with_suffix(path: Path, kind: str, folder: Path) -> Path:
    """The reader picks its parser by extension: give a renamed file the name of what it really is."""
    if kind == "csv" or path.suffix.lower().lstrip(".") == kind or (kind == "xlsx" and path.suffix.lower() == ".xlsm"):
        return path
    alias = folder / f"source.{kind}"
    try:
        alias.symlink_to(path.resolve())
    except OSError:
        import shutil

        shutil.copyfile(path, alias)
    return alias


def _pump(process: subprocess.Popen[bytes], progress: ProgressCallback | None, errors: list[str]) -> None:
    assert process.stderr is not None
    for raw in process.stderr:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith("progress "):
            parts = line.split(" ", 2)
            if progress is not None:
                try:
                    progress(float(parts[1]), parts[2] if len(parts) > 2 else "")
                except ValueError:
                    pass
        elif len(errors) < 200:
            errors.append(line)


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        process.kill()
    except OSError:
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def _result(code: int | None, out: Path, name: str, errors: list[str], limits: Limits) -> dict[str, Any]:
    if code == 0 and out.exists():
        with open(out, "rb") as handle:
            payload: dict[str, Any] = pickle.load(handle)
        if payload.get("error") == "memory":
            raise _memory_failure(name, limits)
        return payload
    tail = " ".join(errors[-3:]).lower()
    if code is not None and code < 0:
        number = -code
        if number == getattr(signal, "SIGXCPU", -1):
            raise ImportFailure(
                f"Reading {name} used more than {limits.cpu_seconds} seconds of processor time and was stopped. "
                "The file may hold far more cells than its data (formatted empty rows, a stray cell far away); "
                "copy the table into a new workbook and import that",
                "timeout",
            )
        if number in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL) or "memory" in tail:
            raise _memory_failure(name, limits)
    if "memory" in tail or "alloc" in tail:
        raise _memory_failure(name, limits)
    raise ImportFailure(
        f"The reader stopped unexpectedly on {name} (exit code {code}). The file is probably damaged; "
        "open it in Excel or LibreOffice, save a copy and import that",
        "reader_crashed",
    )


def _memory_failure(name: str, limits: Limits) -> ImportFailure:
    return ImportFailure(
        f"Reading {name} needed more than the {limits.memory_mb:,} MB allowed and was stopped. "
        "A sheet probably claims a far larger area than its data (a cell or a dimension record at "
        "XFD1048576, the last cell of a sheet); copy the table into a new workbook and import that",
        "memory",
    )


def _book(path: str | os.PathLike[str], kind: str, payload: dict[str, Any]) -> RawBook:
    if not payload.get("ok"):
        from models.importing.sniff import reader_failure

        raise reader_failure(Path(path).name, kind, str(payload.get("error")), str(payload.get("message")))
    sheets = [
        RawSheet(
            name=item["name"], origin=tuple(item["origin"]), head=item["head"],
            columns=[_unpack_column(column) for column in item["columns"]], body_rows=item["body_rows"],
            width=item["width"], merged=[((a[0], a[1]), (b[0], b[1])) for a, b in item["merged"]],
            visible=item.get("visible", True),
        )
        for item in payload["sheets"]
    ]
    return RawBook(str(path), kind, list(payload["sheet_names"]), sheets)
