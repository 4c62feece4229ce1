"""The File menu and the file session: safe save, Save As rules, changes on disk, locks, export, revert."""

from __future__ import annotations

import errno
import json
import os
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

from models import file_safety
from models.file_safety import backup_path, bedplan_lock_path
from models.schema import TABLE_KEYS
from models.workbook_io import read_plan, write_plan
from ui import dialogs


def edit(window, value: str = "77") -> None:  # type: ignore[no-untyped-def]
    model = window.controller.model
    assert model.setData(model.index(0, TABLE_KEYS.index("population")), value)


@pytest.fixture
def saved_window(make_window, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.xlsx"
    window = make_window()
    write_plan(window.controller.plan, path)
    window.controller.open_path(str(path))
    return window, path


def choose(monkeypatch: pytest.MonkeyPatch, answers: dict[str, str]) -> list[str]:
    asked: list[str] = []

    def ask(parent, title, text, informative, choices, default):  # type: ignore[no-untyped-def]
        asked.append(title)
        assert answers[title] in [key for key, _ in choices]
        return answers[title]

    monkeypatch.setattr(dialogs, "ask_choice", ask)
    return asked


def test_file_menu_has_every_command_with_shortcuts(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    texts = [action.text() for action in window.file_menu.actions() if action.text()]
    for expected in ("&New plan", "&Open…", "Open &Recent", "&Save", "Save &As…", "&Export a copy…", "Re&vert to saved"):
        assert expected in texts
    actions = window.controller.actions
    assert actions["save"].shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert actions["open"].shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert actions["new"].shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert not actions["export_copy"].shortcut().isEmpty() and not actions["revert"].shortcut().isEmpty()


def test_save_writes_backup_marks_clean_and_locks(saved_window) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    controller = window.controller
    assert bedplan_lock_path(path).exists()
    edit(window)
    assert window.isWindowModified()
    assert controller.save()
    assert not window.isWindowModified() and controller.undo_stack.isClean()
    assert read_plan(path).value(0, "population") == 77.0
    assert backup_path(path).exists() and read_plan(backup_path(path)).value(0, "population") == 99.5
    assert controller.settings.recent_files()[0] == str(path)
    window.close()
    assert not bedplan_lock_path(path).exists()


@pytest.mark.parametrize(
    "failure",
    ["exception mid-write", "writer bug", "disk full", "read-only target", "locked target"],
)
def test_failed_save_keeps_old_file_and_plan_unsaved(saved_window, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    before = path.read_bytes()
    edit(window)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(message))
    if failure in ("exception mid-write", "writer bug"):
        import models.workbook_writer as writer

        def explode(*args: object) -> None:
            if failure == "writer bug":
                raise RuntimeError("unexpected")
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(writer, "write_charts_sheet", explode)
    elif failure == "read-only target":
        path.chmod(0o444)
    else:
        code = errno.ENOSPC if failure == "disk full" else errno.EBUSY

        def failing(source: object, target: object) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(file_safety.os, "replace", failing)
    assert not window.controller.save()
    assert path.read_bytes() == before
    assert window.isWindowModified() and not window.controller.undo_stack.isClean()
    assert len(errors) == 1 and "still open and unsaved" in errors[0]
    assert not [p for p in path.parent.iterdir() if ".tmp" in p.name]
    path.chmod(0o644)


def test_save_on_a_workbook_bedplan_did_not_write_becomes_save_as(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    foreign = tmp_path / "theirs.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(foreign, index=False)
    before = foreign.read_bytes()
    window = make_window()
    window.controller.path = str(foreign)  # as if imported from it
    edit(window)
    names = iter([str(foreign), str(tmp_path / "mine.xlsx")])
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kwargs: next(names))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(message))
    assert window.controller.save()
    assert foreign.read_bytes() == before
    assert errors and "never overwrites" in errors[0]
    assert window.controller.path == str((tmp_path / "mine.xlsx").resolve())


@pytest.mark.parametrize("answer", ["reload", "overwrite", "save_as", "cancel"])
def test_file_changed_on_disk_asks(saved_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, answer: str) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    other = window.controller.plan.copy()
    other.set_cell(0, "name", "Changed elsewhere")
    write_plan(other, path)
    os.utime(path, ns=(1, 1))
    edit(window)
    asked = choose(monkeypatch, {"File changed on disk": answer})
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kwargs: str(tmp_path / "other.xlsx"))
    result = window.controller.save()
    assert asked == ["File changed on disk"]
    on_disk = read_plan(path)
    if answer == "reload":
        assert not result and window.controller.plan.value(0, "name") == "Changed elsewhere"
        assert window.controller.undo_stack.isClean()
    elif answer == "overwrite":
        assert result and on_disk.value(0, "population") == 77.0
    elif answer == "save_as":
        assert result and on_disk.value(0, "name") == "Changed elsewhere"
        assert read_plan(tmp_path / "other.xlsx").value(0, "population") == 77.0
    else:
        assert not result and on_disk.value(0, "name") == "Changed elsewhere" and window.isWindowModified()


def test_excel_lock_is_reported_before_saving(saved_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    (path.parent / f"~${path.name}").write_bytes(bytes([3]) + b"eve")
    edit(window)
    asked = choose(monkeypatch, {"Workbook open elsewhere": "cancel"})
    before = path.read_bytes()
    assert not window.controller.save()
    assert asked == ["Workbook open elsewhere"] and path.read_bytes() == before


def test_second_bedplan_is_warned_before_opening(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    path = tmp_path / "shared.xlsx"
    write_plan(window.controller.plan, path)
    bedplan_lock_path(path).write_text(json.dumps({"user": "carol", "host": socket.gethostname(), "pid": 1, "since": "09:00"}))
    asked = choose(monkeypatch, {"Plan already open": "cancel"})
    assert not window.controller.open_path(str(path))
    assert asked == ["Plan already open"] and window.controller.path is None


def test_export_copy_leaves_the_session_alone(saved_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    edit(window)
    copy = tmp_path / "copy.xlsx"
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kwargs: str(copy))
    window.controller.actions["export_copy"].trigger()
    assert read_plan(copy).value(0, "population") == 77.0
    assert window.controller.path == str(path) and window.isWindowModified()


def test_revert_discards_changes_after_asking(saved_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window, _path = saved_window
    edit(window)
    choose(monkeypatch, {"Revert to saved": "revert"})
    window.controller.actions["revert"].trigger()
    assert window.controller.plan.value(0, "population") == 99.5
    assert not window.isWindowModified()


def test_dropping_a_workbook_opens_it(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    plan = window.controller.plan.copy()
    plan.set_cell(0, "name", "Dropped")
    path = tmp_path / "dropped.xlsx"
    write_plan(plan, path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.controller.plan.value(0, "name") == "Dropped"
    assert window.controller.path == str(path.resolve())


def test_large_save_runs_in_a_worker_while_the_window_keeps_painting(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bench.plans import synthetic_plan

    window = make_window(synthetic_plan(30_000))
    edit(window)
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    dialogs_seen: list[object] = []
    import ui.file_session as session

    original = session.run_with_progress

    def spy(parent, label, job, delay_ms=300, on_dialog=None):  # type: ignore[no-untyped-def]
        return original(parent, label, job, delay_ms, lambda dialog: dialogs_seen.append(dialog))

    session.run_with_progress = spy
    try:
        window.controller.path = str(tmp_path / "big.xlsx")
        assert window.controller.save()
    finally:
        session.run_with_progress = original
        timer.stop()
    assert dialogs_seen and len(ticks) >= 5  # the event loop ran while the worker wrote 30,000 rows
    assert read_plan(tmp_path / "big.xlsx").row_count == 30_000


def test_an_imported_plan_is_unsaved_and_save_asks_where(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    imported = window.controller.plan.copy()
    imported.set_cell(0, "name", "From the agency file")
    window.controller.files.show_unsaved(imported)
    assert window.isWindowModified() and window.controller.path is None
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "save_file_name", lambda parent, caption, *args: asked.append(caption) or str(tmp_path / "new.xlsx"))
    assert window.controller.save()
    assert asked == ["Save plan as"] and read_plan(tmp_path / "new.xlsx").value(0, "name") == "From the agency file"


def test_opening_a_workbook_open_in_excel_says_so(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    path = tmp_path / "plan.xlsx"
    write_plan(window.controller.plan, path)
    (tmp_path / "~$plan.xlsx").write_bytes(bytes([4]) + b"dave")
    messages: list[str] = []
    window.controller.status_message.connect(messages.append)
    assert window.controller.open_path(str(path))
    assert "dave has it open in Microsoft Excel" in messages[-1]


@pytest.mark.parametrize("how", ["revert", "reload"])
def test_a_reopen_that_fails_keeps_the_edits_unsaved_and_their_autosave(saved_window, monkeypatch: pytest.MonkeyPatch, how: str) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    files = window.controller.files
    edit(window, "12345")
    assert files.autosave()
    files.wait_for_autosave()
    assert files.recovery.folder.exists()
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(title))
    if how == "revert":
        choose(monkeypatch, {"Revert to saved": "revert"})
        path.write_bytes(b"damaged, not a workbook")
        assert not files.revert()
    else:
        choose(monkeypatch, {"File changed on disk": "reload"})
        os.utime(path, ns=(1, 1))
        from models.workbook_io import WorkbookError
        from ui import file_session

        def unreadable(*args: object) -> None:
            raise WorkbookError("plan.xlsx is damaged")

        monkeypatch.setattr(file_session, "read_plan", unreadable)
        assert not window.controller.save()
    assert errors == ["Cannot open plan"]
    assert window.controller.plan.value(0, "population") == 12345.0
    assert not window.controller.undo_stack.isClean() and window.isWindowModified()
    files.close()
    assert files.recovery.folder.exists(), "the autosave of unsaved edits was deleted"


def test_a_removed_file_is_not_offered_for_reload(saved_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window, path = saved_window
    edit(window)
    path.unlink()
    offered: list[list[str]] = []

    def ask(parent, title, text, informative, choices, default):  # type: ignore[no-untyped-def]
        offered.append([key for key, _ in choices])
        return "overwrite"

    monkeypatch.setattr(dialogs, "ask_choice", ask)
    assert window.controller.save()
    assert offered == [["overwrite", "save_as", "cancel"]]
    assert read_plan(path).value(0, "population") == 77.0
