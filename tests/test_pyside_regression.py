"""Guards the PySide6 pin: 6.12.0 on CPython 3.11 corrupts reference counts (none_dealloc)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# data() returning None for unhandled roles and signals emitted in a loop: the pattern that
# killed the interpreter with "Fatal Python error: none_dealloc" on PySide6 6.12.0 / Python 3.11.
_SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QObject, Signal
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication([])

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 200
    def columnCount(self, parent=QModelIndex()): return 10
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None

class Emitter(QObject):
    fired = Signal(object)

model = Model()
view = QTableView(); view.setModel(model); view.resize(800, 600); view.show()
emitter = Emitter(); sink = []
emitter.fired.connect(sink.append)
for round_ in range(300):
    for row in range(0, 200, 20):
        for col in range(10):
            model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole)
    emitter.fired.emit(None)
    model.dataChanged.emit(model.index(0, 0), model.index(199, 9))
    app.processEvents()
print("ok", sys.getrefcount(None) > 0)
"""


def test_none_from_data_and_signals_do_not_crash_the_interpreter() -> None:
    result = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().startswith("ok")


def test_installed_pyside_respects_the_pin() -> None:
    import PySide6

    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) == (6, 11), f"PySide6 {PySide6.__version__} is not proven on Python 3.11"


_CLIPBOARD_SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from models.demo import build_demo_plan
from ui.briefing import copy_chart_to_clipboard, render_chart
plan = build_demo_plan()
copy_chart_to_clipboard(render_chart("facilities", plan.frame, plan.meta, (640, 360)))
print("copied", app.clipboard().image().width())
"""


def test_copying_a_chart_then_exiting_does_not_crash() -> None:
    """A QMimeData made in Python and handed to the clipboard was deleted by Qt after the interpreter
    finalised: every run that copied a chart ended in a segfault at exit (rc 139)."""
    result = subprocess.run([sys.executable, "-c", _CLIPBOARD_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["copied", "640"]
