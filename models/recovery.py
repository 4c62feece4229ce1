"""Crash recovery: unsaved edits autosaved to a store under the config folder.

Each running Bedplan has one session folder ``<store>/<host>-<pid>-<start>/`` holding
``plan.xlsx`` (the last autosave, a full plan workbook) and ``info.json`` (title, the file the plan
came from, when). A session folder whose process is gone is an orphan: the next launch offers
it back. Nothing here deletes an orphan on its own; only ``discard`` does, when the analyst says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from models.facility_plan import FacilityPlan
from models.file_safety import _alive, safe_write
from models.workbook_io import read_plan
from models.workbook_writer import Progress, write_plan_workbook

PLAN_FILE = "plan.xlsx"
INFO_FILE = "info.json"


@dataclass(frozen=True)
class RecoveryEntry:
    """One autosaved plan in the store."""

    folder: Path
    title: str
    original_path: str | None
    saved_at: str
    host: str
    pid: int

    @property
    def plan_path(self) -> Path:
        return self.folder / PLAN_FILE

    def load(self) -> FacilityPlan:
        return read_plan(self.plan_path)

    def describe(self) -> str:
        where = f" (from {Path(self.original_path).name})" if self.original_path else " (never saved)"
        return f"“{self.title}”{where}, autosaved {self.saved_at}"


class RecoveryStore:
    """The folder of autosaves; one ``RecoverySession`` per running process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def entries(self) -> list[RecoveryEntry]:
        found: list[RecoveryEntry] = []
        if not self.folder.is_dir():
            return found
        for child in sorted(self.folder.iterdir()):
            info_path = child / INFO_FILE
            if not (child / PLAN_FILE).is_file() or not info_path.is_file():
                continue
            try:
                info = json.loads(info_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found.append(RecoveryEntry(
                child, str(info.get("title", "Untitled plan")), info.get("original_path"), str(info.get("saved_at", "")),
                str(info.get("host", "")), int(info.get("pid", 0)),
            ))
        return found

    def orphans(self, own: RecoverySession | None = None) -> list[RecoveryEntry]:
        """Autosaves left by Bedplan processes on this machine that are no longer running."""
        host = socket.gethostname()
        return [
            entry for entry in self.entries()
            if (own is None or entry.folder != own.folder)
            and not (entry.host == host and entry.pid != os.getpid() and _alive(entry.pid))
            and not (entry.host == host and entry.pid == os.getpid())
        ]

    def discard(self, entry: RecoveryEntry) -> None:
        """Delete an autosave: only on the analyst's word (Discard, or after saving it)."""
        shutil.rmtree(entry.folder, ignore_errors=True)

    def session(self) -> RecoverySession:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return RecoverySession(self.folder / f"{socket.gethostname()}-{os.getpid()}-{stamp}")


class RecoverySession:
    """This process's autosave slot."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def has_data(self) -> bool:
        return (self.folder / PLAN_FILE).is_file()

    def save(self, plan: FacilityPlan, original_path: str | None, progress: Progress | None = None) -> None:
        """Autosave ``plan`` (a snapshot; may run in a worker thread). Raises OSError/SaveError on failure."""
        self.folder.mkdir(parents=True, exist_ok=True)
        safe_write(self.folder / PLAN_FILE, lambda temp: write_plan_workbook(plan, temp, progress), keep_backup=False)
        info = {
            "title": plan.meta.title,
            "original_path": original_path,
            "saved_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
        staging = self.folder / (INFO_FILE + ".tmp")
        staging.write_text(json.dumps(info), encoding="utf-8")
        os.replace(staging, self.folder / INFO_FILE)

    def adopt(self, entry: RecoveryEntry) -> None:
        """Take over an orphan (after Restore): its data now belongs to this session."""
        self.clear()
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(entry.folder), str(self.folder))
        info_path = self.folder / INFO_FILE
        with contextlib.suppress(OSError, ValueError):
            info = json.loads(info_path.read_text(encoding="utf-8"))
            info.update(host=socket.gethostname(), pid=os.getpid())
            info_path.write_text(json.dumps(info), encoding="utf-8")

    def clear(self) -> None:
        """Drop this session's autosave: the plan was saved, or the analyst discarded the changes."""
        shutil.rmtree(self.folder, ignore_errors=True)
