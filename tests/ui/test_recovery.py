"""Crash recovery: autosave of unsaved edits, the offer on the next launch, and a killed process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.recovery import INFO_FILE, RecoveryStore
from models.schema import TABLE_KEYS
from models.workbook_io import write_plan
from ui import dialogs
from ui.settings import config_dir

ROOT = Path(__file__).resolve().parents[2]


def edit(window, value: str = "77") -> None:  # type: ignore[no-untyped-def]
    model = window.controller.model
    assert model.setData(model.index(0, TABLE_KEYS.index("population")), value)


def test_autosave_writes_unsaved_edits_and_saving_clears_them(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    files = window.controller.files
    assert files.autosave_timer.interval() <= 60_000 and files.autosave_timer.isActive()
    assert not files.autosave()  # nothing unsaved
    edit(window)
    assert files.autosave()
    files.wait_for_autosave()
    entry = RecoveryStore(config_dir() / "recovery").entries()[0]
    assert entry.load().value(0, "population") == 77.0
    assert not files.autosave()  # nothing new since
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kwargs: str(tmp_path / "saved.xlsx"))
    assert window.controller.save()
    assert RecoveryStore(config_dir() / "recovery").entries() == []


def test_a_large_paste_schedules_an_autosave_soon(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    controller = window.controller
    controller.files._count_change(5_000)
    assert controller.files._soon.isActive()


def test_discarding_changes_deletes_the_autosave_but_closing_clean_keeps_orphans(make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    edit(window)
    window.controller.files.autosave()
    window.controller.files.wait_for_autosave()
    store = RecoveryStore(config_dir() / "recovery")
    assert len(store.entries()) == 1
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, title: "discard")
    assert window.close()
    assert store.entries() == []


def _orphan(tmp_path: Path, small_plan) -> Path:  # type: ignore[no-untyped-def]
    from models.recovery import RecoverySession

    session = RecoverySession(config_dir() / "recovery" / "crashed-session")
    changed = small_plan.copy()
    changed.set_cell(0, "name", "Recovered edit")
    session.save(changed, str(tmp_path / "gone.xlsx"))
    info = json.loads((session.folder / INFO_FILE).read_text())
    info["pid"] = 999_999_999  # a process that no longer exists
    (session.folder / INFO_FILE).write_text(json.dumps(info))
    return session.folder


@pytest.mark.parametrize("answer", ["restore", "save_as", "discard", "later"])
def test_next_launch_offers_each_orphan(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_plan, answer: str) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    folder = _orphan(tmp_path, small_plan)
    asked: list[str] = []

    def ask(parent, title, text, informative, choices, default):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(dialogs, "ask_choice", ask)
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kwargs: str(tmp_path / "rescued.xlsx"))
    window.controller.files.offer_recovery()
    assert len(asked) == 1 and "Small test plan" in asked[0]
    store = RecoveryStore(config_dir() / "recovery")
    if answer == "restore":
        assert window.controller.plan.value(0, "name") == "Recovered edit"
        assert window.isWindowModified()
        assert [entry.folder for entry in store.entries()] == [window.controller.files.recovery.folder]
        assert store.orphans(window.controller.files.recovery) == []
    elif answer == "save_as":
        from models.workbook_io import read_plan

        assert read_plan(tmp_path / "rescued.xlsx").value(0, "name") == "Recovered edit"
        assert not folder.exists()
    elif answer == "discard":
        assert not folder.exists()
    else:
        assert folder.exists() and window.controller.plan.value(0, "name") == "Northfield Centre"


_CRASHING_APP = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import PySide6.QtWidgets
from models.workbook_io import read_plan
from models.schema import TABLE_KEYS
from ui.app_factory import build_window, ensure_application
app = ensure_application(["bedplan"])
window = build_window(read_plan(sys.argv[1]), sys.argv[1])
window.controller.files.autosave_timer.setInterval(200)
model = window.controller.model
model.setData(model.index(0, TABLE_KEYS.index("population")), "123")
window.controller.files.autosaved.connect(lambda: print("AUTOSAVED", flush=True))
app.exec()
"""


@pytest.mark.slow
def test_edits_survive_killing_the_process(tmp_path: Path, small_plan, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    plan_path = tmp_path / "plan.xlsx"
    write_plan(small_plan, plan_path)
    env = {**os.environ, "BEDPLAN_CONFIG_DIR": str(config_dir()), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", _CRASHING_APP, str(plan_path)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and "AUTOSAVED" not in line:
            line = process.stdout.readline() if process.stdout else ""
            if not line and process.poll() is not None:
                break
        assert "AUTOSAVED" in line, process.stderr.read() if process.stderr else ""
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert read_plan_value(plan_path) == 99.5  # the file itself was never touched
    from ui.app_factory import build_window

    window = build_window(small_plan)
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    monkeypatch.setattr(dialogs, "ask_choice", lambda *args, **kwargs: "restore")
    window.controller.files.offer_recovery()
    assert window.controller.plan.value(0, "population") == 123.0
    assert window.controller.path == str(plan_path.resolve()) and window.isWindowModified()


def read_plan_value(path: Path) -> float:
    from models.workbook_io import read_plan

    return read_plan(path).value(0, "population")


def test_an_imported_unsaved_plan_is_autosaved_soon(make_window, small_plan) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    controller = window.controller
    imported = small_plan.copy()
    imported.set_cell(0, "name", "Imported")
    controller.replace_plan(imported, None)  # as the importer does
    controller.undo_stack.resetClean()
    assert controller.files._soon.isActive()
    assert controller.files.autosave()
    controller.files.wait_for_autosave()
    assert RecoveryStore(config_dir() / "recovery").entries()[0].load().value(0, "name") == "Imported"
