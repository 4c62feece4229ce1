"""Saving without ever damaging a file: temp file, fsync, verify, atomic replace, backup; locks.

``safe_write`` is the only way Bedplan writes a user's workbook. The target is resolved through
symlinks, the new content is built in a temporary file in the same folder (so the final rename
is atomic on the same file system), flushed to disk, verified by reading it back, given the old
file's permissions, and renamed over the target. The old file is kept as ``<name>.backup.xlsx``
beside it. On any failure the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import shutil
import socket
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.workbook_format import SEAL_PROPERTY, WorkbookError


class SaveError(Exception):
    """A save that did not happen; ``str()`` says why and what to do. The old file is intact."""


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when we last read or wrote it (to notice changes made elsewhere)."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> Fingerprint | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(info.st_size, info.st_mtime_ns)


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The real file a save must replace: symlinks followed, so the link itself survives."""
    return Path(os.path.realpath(os.fspath(path)))


def backup_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.backup{target.suffix}")


def _describe(error: OSError, target: Path) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk holding {target.parent} is full. Free some space or save to another drive with Save As"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Bedplan may not write to {target.name} or its folder {target.parent} (read-only, or open in "
                "another program). Close it there, or save elsewhere with Save As")
    if error.errno == errno.EBUSY or getattr(error, "winerror", None) in (32, 33):
        return f"{target.name} is locked by another program. Close it there, or save elsewhere with Save As"
    return f"{error.strerror or error}. Try Save As to another folder"


def safe_write(
    path: str | os.PathLike[str],
    build: Callable[[Path], None],
    verify: Callable[[Path], None] | None = None,
    keep_backup: bool = True,
) -> Path:
    """Write a new version of ``path`` via ``build(temp_path)``; returns the real target.

    Raises SaveError (with the reason, the old file untouched) on any OS failure or a failed
    verification; any other exception from ``build`` (including Cancelled) propagates after
    the temporary file has been removed.
    """
    target = resolve_target(path)
    folder = target.parent
    if not folder.is_dir():
        raise SaveError(f"Could not save {target.name}: the folder {folder} does not exist")
    if target.exists() and not os.stat(target).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise SaveError(
            f"Could not save {target.name}: the file is marked read-only. Save under another name with Save As, "
            "or clear its read-only attribute first"
        )
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".~{target.stem}.", suffix=".tmp" + target.suffix, dir=folder)
        os.close(handle)
    except OSError as error:
        raise SaveError(f"Could not save {target.name}: {_describe(error, target)}") from None
    temp = Path(temp_name)
    try:
        build(temp)
        _fsync_file(temp)
        if verify is not None:
            try:
                verify(temp)
            except WorkbookError as error:
                raise SaveError(f"Could not save {target.name}: the written file did not read back correctly ({error})") from None
        _copy_mode(target, temp)
        if keep_backup and target.exists():
            _make_backup(target)
        os.replace(temp, target)
        _fsync_folder(folder)
    except OSError as error:
        raise SaveError(f"Could not save {target.name}: {_describe(error, target)}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return target


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename itself already happened
    finally:
        os.close(descriptor)


def _copy_mode(target: Path, temp: Path) -> None:
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)


def _make_backup(target: Path) -> None:
    """Keep the current file as the backup: a hard link (no copy) where possible, else a copy."""
    backup = backup_path(target)
    staging = backup.with_name(f".~{backup.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        try:
            os.link(target, staging)
        except OSError:
            shutil.copy2(target, staging)
        os.replace(staging, backup)
    except OSError:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise


# -- the seal: was this workbook written by Bedplan? ----------------------------------------------
#: The most of any one zip part the seal check decompresses. The check runs on the GUI thread on
#: whatever file is dropped on the window, so a zip bomb must cost it no more than this.
SEAL_READ_LIMIT = 2_000_000


def _head(archive: zipfile.ZipFile, name: str) -> bytes:
    """The first ``SEAL_READ_LIMIT`` bytes of a part, decompressed as a stream (never the whole)."""
    with archive.open(name) as part:
        return part.read(SEAL_READ_LIMIT)


def is_bedplan_workbook(path: str | os.PathLike[str]) -> bool:
    """True if the file carries Bedplan's seal (format 2) or its format-1 About marker.

    Reads at most ``SEAL_READ_LIMIT`` bytes of each part it looks at, so a hostile archive (a zip
    bomb dropped on the window) is judged quickly in bounded memory and found not to be ours."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "docProps/custom.xml" in names and SEAL_PROPERTY.encode() in _head(archive, "docProps/custom.xml"):
                return True
            # Format 1 had no seal: an About sheet whose Format cell says "Bedplan plan".
            workbook = _head(archive, "xl/workbook.xml") if "xl/workbook.xml" in names else b""
            if b'name="About"' not in workbook or b'name="Facilities"' not in workbook:
                return False
            for name in names:
                if name.startswith("xl/worksheets/sheet") and archive.getinfo(name).file_size < 200_000:
                    if b"Bedplan plan" in _head(archive, name):
                        return True
            return "xl/sharedStrings.xml" in names and b"<t>Bedplan plan</t>" in _head(archive, "xl/sharedStrings.xml")
    except (OSError, zipfile.BadZipFile, KeyError, EOFError, RuntimeError, NotImplementedError, ValueError):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method.
        return False


# -- lock files -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock on a workbook, as far as the lock file says."""

    program: str
    user: str
    host: str = ""
    pid: int = 0
    since: str = ""

    def describe(self) -> str:
        who = self.user or "someone"
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        since = f" since {self.since}" if self.since else ""
        return f"{who}{where} has it open in {self.program}{since}"


def bedplan_lock_path(target: Path) -> Path:
    return target.with_name(f".~lock.bedplan.{target.name}#")


def office_locks(path: str | os.PathLike[str]) -> list[LockInfo]:
    """Excel (``~$name``) and LibreOffice (``.~lock.name#``) lock files beside the workbook."""
    target = resolve_target(path)
    found: list[LockInfo] = []
    excel = target.with_name("~$" + target.name[2:] if len(target.name) > 2 else "~$" + target.name)
    for candidate in {excel, target.with_name("~$" + target.name)}:
        if candidate.is_file():
            found.append(LockInfo("Microsoft Excel", _excel_owner(candidate)))
            break
    libre = target.with_name(f".~lock.{target.name}#")
    if libre.is_file():
        try:
            fields = libre.read_text(encoding="utf-8", errors="replace").split(",")
        except OSError:
            fields = []
        user = fields[0] if fields else ""
        host = fields[1] if len(fields) > 1 else ""
        found.append(LockInfo("LibreOffice", user, host, since=fields[2] if len(fields) > 2 else ""))
    return found


def _excel_owner(lock: Path) -> str:
    """Excel's owner file starts with the user name: a length byte, then the name (Latin-1)."""
    try:
        data = lock.read_bytes()[:112]
    except OSError:
        return ""
    if not data:
        return ""
    length = data[0]
    return data[1 : 1 + length].decode("latin-1", errors="replace").strip("\x00 ")


class PlanLock:
    """Our own lock file, so a second Bedplan does not edit the same plan silently."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.target = resolve_target(path)
        self.lock_path = bedplan_lock_path(self.target)
        self.held = False

    def holder(self) -> LockInfo | None:
        """Another live Bedplan holding this plan, or None (stale locks of dead processes count as free)."""
        try:
            data = json.loads(self.lock_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        info = LockInfo("Bedplan", str(data.get("user", "")), str(data.get("host", "")), int(data.get("pid", 0)), str(data.get("since", "")))
        if info.host == socket.gethostname() and (info.pid == os.getpid() or not _alive(info.pid)):
            return None
        return info

    def acquire(self) -> None:
        """Take the lock (best effort: a read-only folder simply leaves the plan unlocked)."""
        payload = {
            "user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
            "since": time.strftime("%Y-%m-%d %H:%M"),
        }
        text = json.dumps(payload)
        try:
            try:
                # Exclusive create: of two instances opening the plan at the same moment, one wins.
                with open(self.lock_path, "x", encoding="utf-8") as handle:
                    handle.write(text)
            except FileExistsError:
                if self.holder() is not None:  # someone live took it first
                    self.held = False
                    return
                self.lock_path.write_text(text, encoding="utf-8")  # a stale lock (or our own) is taken over
            self.held = True
        except OSError:
            self.held = False

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            data = json.loads(self.lock_path.read_text(encoding="utf-8"))
            if data.get("pid") == os.getpid() and data.get("host") == socket.gethostname():
                self.lock_path.unlink()
        except (OSError, ValueError):
            pass


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getuser raises several types when no user name is configured
        return ""


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name != "posix":
        return True  # cannot tell cheaply; treat as alive and let the analyst decide
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
