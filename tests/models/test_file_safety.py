"""Safe saving: every failure point leaves the old file intact; symlinks, permissions, backups, locks."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
from pathlib import Path

import pytest

from models import file_safety
from models.facility_plan import FacilityPlan
from models.file_safety import PlanLock, SaveError, backup_path, office_locks, safe_write
from models.schema import COLUMN_BY_KEY
from models.values import CellError, parse_cell
from models.workbook_format import Cancelled
from models.workbook_io import export_plan, read_plan, save_plan


@pytest.fixture
def saved(tmp_path: Path, small_plan: FacilityPlan) -> Path:
    path = tmp_path / "plan.xlsx"
    save_plan(small_plan, path)
    return path


def _changed(plan: FacilityPlan) -> FacilityPlan:
    changed = plan.copy()
    changed.set_cell(0, "name", "Renamed")
    return changed


def _only_expected_files(folder: Path, *names: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_exception_mid_write_leaves_old_file_and_no_temp(saved: Path, small_plan: FacilityPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    before = saved.read_bytes()
    import models.workbook_writer as writer

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom in the middle")

    monkeypatch.setattr(writer, "write_charts_sheet", explode)
    with pytest.raises(RuntimeError, match="boom"):
        save_plan(_changed(small_plan), saved)
    assert saved.read_bytes() == before
    _only_expected_files(saved.parent, "plan.xlsx")


def test_cancel_from_progress_leaves_old_file(saved: Path, small_plan: FacilityPlan) -> None:
    before = saved.read_bytes()

    def progress(done: int, total: int) -> None:
        if done:
            raise Cancelled()

    with pytest.raises(Cancelled):
        save_plan(_changed(small_plan), saved, progress)
    assert saved.read_bytes() == before
    _only_expected_files(saved.parent, "plan.xlsx")


@pytest.mark.parametrize(
    ("error", "fragment"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk holding"),
        (PermissionError(errno.EACCES, "Permission denied"), "may not write"),
        (OSError(errno.EROFS, "Read-only file system"), "may not write"),
        (OSError(errno.EBUSY, "Device or resource busy"), "locked by another program"),
    ],
)
def test_os_failures_at_replace_leave_old_file(saved: Path, small_plan: FacilityPlan, monkeypatch: pytest.MonkeyPatch, error: OSError, fragment: str) -> None:
    before = saved.read_bytes()

    def failing_replace(source: object, target: object) -> None:
        if Path(str(target)) == saved:
            raise error
        os.rename(str(source), str(target))

    monkeypatch.setattr(file_safety.os, "replace", failing_replace)
    with pytest.raises(SaveError, match=fragment):
        save_plan(_changed(small_plan), saved)
    assert saved.read_bytes() == before
    assert read_plan(saved).value(0, "name") == "Northfield Centre"
    assert not [p for p in saved.parent.iterdir() if p.name.endswith(".tmp.xlsx")]


def test_disk_full_while_writing_leaves_old_file(saved: Path, small_plan: FacilityPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    before = saved.read_bytes()

    def full(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.write(b"PK partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(SaveError, match=r"disk holding .* is full"):
        safe_write(saved, full)
    assert saved.read_bytes() == before
    _only_expected_files(saved.parent, "plan.xlsx")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False, reason="root ignores file permissions")
def test_read_only_folder_refuses_cleanly(saved: Path, small_plan: FacilityPlan) -> None:
    before = saved.read_bytes()
    saved.parent.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="may not write"):
            save_plan(_changed(small_plan), saved)
    finally:
        saved.parent.chmod(0o755)
    assert saved.read_bytes() == before


def test_read_only_target_file_is_refused(saved: Path, small_plan: FacilityPlan) -> None:
    before = saved.read_bytes()
    saved.chmod(0o444)
    with pytest.raises(SaveError, match="marked read-only"):
        save_plan(_changed(small_plan), saved)
    assert saved.read_bytes() == before
    _only_expected_files(saved.parent, "plan.xlsx")


def test_failed_verification_leaves_old_file(saved: Path, small_plan: FacilityPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    before = saved.read_bytes()
    import models.workbook_io as io

    monkeypatch.setattr(io, "plans_equal", lambda left, right: "facilities differ: row 1")
    with pytest.raises(SaveError, match="did not read back correctly"):
        save_plan(_changed(small_plan), saved)
    assert saved.read_bytes() == before


def test_save_keeps_permissions_follows_symlinks_and_backs_up(saved: Path, small_plan: FacilityPlan, tmp_path: Path) -> None:
    saved.chmod(0o640)
    link = tmp_path / "link.xlsx"
    link.symlink_to(saved)
    old = saved.read_bytes()
    save_plan(_changed(small_plan), link)
    assert link.is_symlink() and link.resolve() == saved.resolve()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640
    assert read_plan(saved).value(0, "name") == "Renamed"
    assert backup_path(saved).read_bytes() == old
    _only_expected_files(tmp_path, "plan.xlsx", "link.xlsx", "plan.backup.xlsx")


def test_export_never_overwrites_a_foreign_workbook(tmp_path: Path, small_plan: FacilityPlan) -> None:
    import pandas as pd

    foreign = tmp_path / "theirs.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(foreign, index=False)
    before = foreign.read_bytes()
    with pytest.raises(SaveError, match="not written by Bedplan"):
        export_plan(small_plan, foreign)
    assert foreign.read_bytes() == before


def test_office_lock_files_are_recognised(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"")
    assert office_locks(target) == []
    (tmp_path / "~$plan.xlsx").write_bytes(bytes([5]) + b"alice" + b"\0" * 50)
    (tmp_path / ".~lock.plan.xlsx#").write_text("Bob Smith,bobhost,bobhost,28.11.2026 10:00,file:///x;")
    locks = office_locks(target)
    assert [lock.program for lock in locks] == ["Microsoft Excel", "LibreOffice"]
    assert locks[0].user == "alice" and locks[1].user == "Bob Smith"
    assert "Bob Smith on bobhost has it open in LibreOffice" in locks[1].describe()


def test_plan_lock_blocks_a_second_holder_and_ignores_stale_locks(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    first = PlanLock(target)
    first.acquire()
    assert first.holder() is None  # our own lock
    lock_file = first.lock_path
    data = lock_file.read_text().replace(f'"pid": {os.getpid()}', '"pid": 1')
    lock_file.write_text(data)  # pid 1 is alive: another instance
    assert PlanLock(target).holder() is not None
    lock_file.write_text(data.replace('"pid": 1', '"pid": 999999999'))
    assert PlanLock(target).holder() is None  # the holder died: stale
    first.release()
    assert lock_file.exists()  # not ours any more: left alone


def test_acquire_does_not_take_a_live_lock_taken_in_between(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    late = PlanLock(target)
    assert late.holder() is None  # checked first ...
    # ... then another instance, alive (pid 1), takes the lock before this one writes it.
    late.lock_path.write_text(json.dumps({"user": "eve", "host": socket.gethostname(), "pid": 1, "since": ""}))
    late.acquire()
    assert not late.held
    assert json.loads(late.lock_path.read_text())["user"] == "eve"
    # A stale lock is taken over.
    late.lock_path.write_text(json.dumps({"user": "eve", "host": socket.gethostname(), "pid": 999999999, "since": ""}))
    late.acquire()
    assert late.held and json.loads(late.lock_path.read_text())["pid"] == os.getpid()
    late.release()
    assert not late.lock_path.exists()


def test_text_limit_counts_utf16_units_at_edit_time() -> None:
    notes = COLUMN_BY_KEY["notes"]
    assert parse_cell(notes, "🚀" * 16_383 + "x") is not None
    with pytest.raises(CellError, match="32,768 characters long"):
        parse_cell(notes, "🚀" * 16_384)


@pytest.mark.parametrize("part", ["docProps/custom.xml", "xl/sharedStrings.xml"])
def test_seal_check_of_a_dropped_zip_bomb_is_bounded(tmp_path: Path, part: str) -> None:
    # The seal check runs on the GUI thread on any dropped file; a part that inflates to 200 MB
    # must not be inflated whole.
    import tracemalloc
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", '<workbook><sheet name="About"/><sheet name="Facilities"/></workbook>')
        with archive.open(part, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    try:
        assert file_safety.is_bedplan_workbook(path) is False
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * file_safety.SEAL_READ_LIMIT
