"""Menu actions of the briefing export: File → Export chart…, File → Export briefing…, Copy chart.

Exports honour the table's filter: the charts are drawn from the facilities in view, and the
subtitle says which ("42 of 120 facilities: status = operational").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QProgressDialog, QWidget

from ui import dialogs
from ui.briefing.deck import DECK_CHARTS, BriefingCancelled, write_deck
from ui.briefing.render import (
    DEFAULT_DPI,
    FORMATS,
    ExportSize,
    copy_chart_to_clipboard,
    export_chart,
    render_chart,
)
from ui.briefing.specs import DEFAULT_TOP_N, SPEC_NAMES, SPECS, BriefingError, spec_named
from ui.settings import Settings
from ui.table_model import FacilityTableModel

_FILTERS = {"png": "PNG pictures (*.png)", "svg": "SVG drawings (*.svg)", "pdf": "PDF documents (*.pdf)"}
DECK_FILTER = "PowerPoint presentations (*.pptx)"
#: Copy chart always renders at slide size; PowerPoint and Word scale the pasted picture.
CLIPBOARD_SIZE = ExportSize(1920, 1080, DEFAULT_DPI)


def _slug(text: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    return (words[:60] or "plan").lower()


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class BriefingActions(QObject):
    """Owns the briefing actions; reads the plan and filter from the table model it is given."""

    status_message = Signal(str)

    def __init__(self, model: FacilityTableModel, settings: Settings, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._model = model
        self._settings = settings
        self._parent = dialog_parent
        self.actions: dict[str, QAction] = {}
        self._add("export_chart", "Export c&hart…", self.export_chart_dialog)
        self._add("export_briefing", "Export &briefing…", self.export_briefing_dialog)
        self.copy_menu = QMenu("Copy c&hart", dialog_parent)
        for spec in SPECS:
            action = self.copy_menu.addAction(spec.title)
            action.setToolTip(spec.description)
            action.triggered.connect(lambda _checked=False, name=spec.name: self.copy_chart(name))
            self.actions[f"copy_chart:{spec.name}"] = action

    def _add(self, name: str, text: str, slot: Any) -> None:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = action

    def install(self, file_menu: QMenu, after: QAction | None, edit_menu: QMenu) -> None:
        """Put the export actions in the File menu after ``after`` and Copy chart in the Edit menu."""
        entries = file_menu.actions()
        before = entries[entries.index(after) + 1] if after in entries and entries.index(after) + 1 < len(entries) else None
        for name in ("export_chart", "export_briefing"):
            if before is None:
                file_menu.addAction(self.actions[name])
            else:
                file_menu.insertAction(before, self.actions[name])
        edit_menu.addSeparator()
        edit_menu.addMenu(self.copy_menu)

    # -- what to draw ----------------------------------------------------------------------------
    def current_subset(self) -> tuple[pd.DataFrame, str]:
        """The facilities in view and the words for the subtitle."""
        plan = self._model.plan
        if not self._model.filter_spec.active:
            return plan.frame, f"All {plan.row_count:,} facilities"
        rows = np.sort(self._model.visible_plan_rows())
        return plan.frame.iloc[rows], self._model.subset_title()

    def _default_size(self) -> ExportSize:
        try:
            return ExportSize(_int(self._settings.value("briefing/width"), 1920),
                              _int(self._settings.value("briefing/height"), 1080),
                              _int(self._settings.value("briefing/dpi"), DEFAULT_DPI))
        except BriefingError:
            return ExportSize(1920, 1080, DEFAULT_DPI)

    def _remember(self, size: ExportSize, top_n: int | None, **values: Any) -> None:
        self._settings.set_value("briefing/width", size.width)
        self._settings.set_value("briefing/height", size.height)
        self._settings.set_value("briefing/dpi", size.dpi)
        self._settings.set_value("briefing/top", top_n or 0)
        for key, value in values.items():
            self._settings.set_value(f"briefing/{key}", value)

    def _top_n(self) -> int | None:
        return _int(self._settings.value("briefing/top"), DEFAULT_TOP_N) or None

    def _folder(self) -> Path:
        stored = self._settings.value("briefing/folder")
        return Path(str(stored)) if stored and Path(str(stored)).is_dir() else Path.home()

    def chart_menu(self, spec_name: str, parent: QWidget | None = None) -> QMenu:
        """Context menu for a live chart showing ``spec_name``: Copy chart and Export chart…"""
        spec = spec_named(spec_name)
        menu = QMenu(parent or self._parent)
        copy = menu.addAction(f"Copy chart: {spec.title}")
        copy.triggered.connect(lambda _checked=False: self.copy_chart(spec_name))
        export = menu.addAction("Export chart…")
        export.triggered.connect(lambda _checked=False: self.export_chart_dialog(spec_name))
        briefing = menu.addAction("Export briefing…")
        briefing.triggered.connect(lambda _checked=False: self.export_briefing_dialog())
        return menu

    # -- actions ---------------------------------------------------------------------------------
    def export_chart_dialog(self, preselect: str | None = None) -> bool:
        """Ask chart, size, format and file, then export; ``preselect`` picks the chart offered first."""
        spec_name = preselect or str(self._settings.value("briefing/chart") or "facilities")
        file_format = str(self._settings.value("briefing/format") or "png")
        choice = dialogs.ask_chart_export(self._parent, SPECS, spec_name if spec_name in SPEC_NAMES else "facilities",
                                          self._default_size(), file_format if file_format in FORMATS else "png",
                                          self._top_n())
        if choice is None:
            return False
        suggested = self._folder() / f"{_slug(self._model.plan.meta.title)}_{choice.spec_name}.{choice.file_format}"
        path_text = dialogs.save_file_name(self._parent, "Export chart", str(suggested), _FILTERS[choice.file_format])
        if not path_text:
            return False
        path = Path(path_text)
        if path.suffix.lower() != f".{choice.file_format}":
            path = path.with_name(path.name + f".{choice.file_format}")
        self._remember(choice.size, choice.top_n, chart=choice.spec_name, format=choice.file_format,
                       folder=str(path.parent))
        frame, filter_text = self.current_subset()
        try:
            export_chart(path, choice.spec_name, frame, self._model.plan.meta, choice.size, filter_text,
                         top_n=choice.top_n, plan=self._model.plan)
        except BriefingError as error:
            dialogs.show_error(self._parent, "Export chart", str(error))
            return False
        self.status_message.emit(f"Exported {spec_named(choice.spec_name).title} to {path}")
        return True

    def copy_chart(self, spec_name: str) -> None:
        frame, filter_text = self.current_subset()
        image = render_chart(spec_name, frame, self._model.plan.meta, CLIPBOARD_SIZE, filter_text, top_n=self._top_n(),
                             plan=self._model.plan)
        copy_chart_to_clipboard(image)
        self.status_message.emit(
            f"Copied {spec_named(spec_name).title} ({image.width()} × {image.height()}) to the clipboard"
        )

    def export_briefing_dialog(self) -> bool:
        stored = str(self._settings.value("briefing/charts") or ",".join(DECK_CHARTS))
        chosen = [name for name in stored.split(",") if name in SPEC_NAMES]
        with_pdf = str(self._settings.value("briefing/pdf", "true")).lower() == "true"
        choice = dialogs.ask_briefing_export(self._parent, SPECS, chosen, self._default_size(), with_pdf, self._top_n())
        if choice is None:
            return False
        suggested = self._folder() / f"{_slug(self._model.plan.meta.title)}_briefing.pptx"
        path_text = dialogs.save_file_name(self._parent, "Export briefing", str(suggested), DECK_FILTER)
        if not path_text:
            return False
        pptx = Path(path_text)
        if pptx.suffix.lower() != ".pptx":
            pptx = pptx.with_name(pptx.name + ".pptx")
        pdf = pptx.with_suffix(".pdf") if choice.with_pdf else None
        self._remember(choice.size, choice.top_n, charts=",".join(choice.charts), pdf=str(choice.with_pdf).lower(),
                       folder=str(pptx.parent))
        frame, filter_text = self.current_subset()
        progress = QProgressDialog("Exporting the briefing…", "Cancel", 0, 1, self._parent)
        progress.setWindowTitle("Export briefing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def report(done: int, total: int, label: str) -> bool:
            progress.setMaximum(total)
            progress.setLabelText(f"{label}…")
            progress.setValue(done)
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            write_deck(pptx, pdf, frame, self._model.plan.meta, choice.charts, filter_text, size=choice.size,
                       top_n=choice.top_n, progress=report, plan=self._model.plan)
        except BriefingCancelled:
            self.status_message.emit("Briefing export cancelled; nothing was written")
            return False
        except BriefingError as error:
            dialogs.show_error(self._parent, "Export briefing", str(error))
            return False
        finally:
            progress.reset()
            progress.close()
            progress.deleteLater()
        written = f"{pptx}" + (f" and {pdf.name}" if pdf is not None else "")
        self.status_message.emit(f"Exported the briefing to {written}")
        return True
