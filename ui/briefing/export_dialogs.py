"""The small dialogs behind File → Export chart… and File → Export briefing…

They only collect choices; ``ui.dialogs`` runs them and returns plain values, so tests patch those
functions instead of clicking through a modal dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.briefing.render import DEFAULT_DPI, FORMATS, MAX_SIDE, MIN_SIDE, SIZE_PRESETS, ExportSize
from ui.briefing.specs import DEFAULT_TOP_N, ChartSpec

CUSTOM = "Custom size"


@dataclass(frozen=True)
class ChartExportChoice:
    """What File → Export chart… should write (the file name is asked next)."""

    spec_name: str
    size: ExportSize
    file_format: str
    top_n: int | None


@dataclass(frozen=True)
class BriefingChoice:
    """What File → Export briefing… should write (the file name is asked next)."""

    charts: tuple[str, ...]
    size: ExportSize
    with_pdf: bool
    top_n: int | None


class SizeChooser(QWidget):
    """A slide preset or a custom width × height, and the DPI written into the file."""

    def __init__(self, size: ExportSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox(self)
        self.preset.addItems([*SIZE_PRESETS, CUSTOM])
        self.width_box = self._spin(size.width)
        self.height_box = self._spin(size.height)
        self.dpi_box = QSpinBox(self)
        self.dpi_box.setRange(36, 1200)
        self.dpi_box.setValue(size.dpi)
        self.dpi_box.setSuffix(" DPI")
        self.dpi_box.setToolTip(f"Resolution written into the file; {DEFAULT_DPI} DPI makes 1920 pixels a 13.33-inch slide")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset, 1)
        layout.addWidget(self.width_box)
        layout.addWidget(QLabel("×", self))
        layout.addWidget(self.height_box)
        layout.addWidget(self.dpi_box)
        matching = [name for name, dims in SIZE_PRESETS.items() if dims == (size.width, size.height)]
        self.preset.setCurrentText(matching[0] if matching else CUSTOM)
        self.preset.currentTextChanged.connect(self._on_preset_current_text_changed)
        self._on_preset_current_text_changed(self.preset.currentText())

    def _spin(self, value: int) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(MIN_SIDE, MAX_SIDE)
        box.setValue(value)
        box.setSuffix(" px")
        return box

    def _on_preset_current_text_changed(self, text: str) -> None:
        custom = text == CUSTOM
        if not custom:
            width, height = SIZE_PRESETS[text]
            self.width_box.setValue(width)
            self.height_box.setValue(height)
        self.width_box.setEnabled(custom)
        self.height_box.setEnabled(custom)

    def export_size(self) -> ExportSize:
        return ExportSize(self.width_box.value(), self.height_box.value(), self.dpi_box.value())


def _top_box(parent: QWidget, top_n: int | None) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(0, 200)
    box.setSpecialValueText("As many as fit")
    box.setValue(top_n or 0)
    box.setToolTip("Most facilities the facilities chart lists, highest utilization first")
    return box


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ChartExportDialog(QDialog):
    """Which chart, what size and which format."""

    def __init__(self, specs: Sequence[ChartSpec], spec_name: str, size: ExportSize, file_format: str = "png",
                 top_n: int | None = DEFAULT_TOP_N, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export chart")
        self.chart = QComboBox(self)
        for spec in specs:
            self.chart.addItem(spec.title, spec.name)
            self.chart.setItemData(self.chart.count() - 1, spec.description, Qt.ItemDataRole.ToolTipRole)
        names = [spec.name for spec in specs]
        self.chart.setCurrentIndex(names.index(spec_name) if spec_name in names else 0)
        self.size_chooser = SizeChooser(size, self)
        self.file_format = QComboBox(self)
        for name in FORMATS:
            self.file_format.addItem({"png": "PNG picture", "svg": "SVG drawing", "pdf": "PDF page"}[name], name)
        self.file_format.setCurrentIndex(FORMATS.index(file_format) if file_format in FORMATS else 0)
        self.top = _top_box(self, top_n)
        form = QFormLayout()
        form.addRow("&Chart:", self.chart)
        form.addRow("&Size:", self.size_chooser)
        form.addRow("&Format:", self.file_format)
        form.addRow("Facilities &listed:", self.top)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Export…"))

    def choice(self) -> ChartExportChoice:
        return ChartExportChoice(str(self.chart.currentData()), self.size_chooser.export_size(),
                                 str(self.file_format.currentData()), self.top.value() or None)


class BriefingDialog(QDialog):
    """Which charts go into the deck, at what size, and whether a PDF comes too."""

    def __init__(self, specs: Sequence[ChartSpec], chosen: Sequence[str], size: ExportSize, with_pdf: bool = True,
                 top_n: int | None = DEFAULT_TOP_N, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export briefing")
        group = QGroupBox("Chart slides (after the title and headline-figures slides)", self)
        group_layout = QVBoxLayout(group)
        self.boxes: dict[str, QCheckBox] = {}
        for spec in specs:
            if spec.name == "headline":
                continue
            box = QCheckBox(spec.title, group)
            box.setToolTip(spec.description)
            box.setChecked(spec.name in chosen)
            group_layout.addWidget(box)
            self.boxes[spec.name] = box
        table_note = QLabel("The deck ends with a table of the facilities most over capacity.", group)
        table_note.setWordWrap(True)
        group_layout.addWidget(table_note)
        self.size_chooser = SizeChooser(size, self)
        self.pdf = QCheckBox("Also write the same pages as a PDF beside the PowerPoint file", self)
        self.pdf.setChecked(with_pdf)
        self.top = _top_box(self, top_n)
        form = QFormLayout()
        form.addRow("Picture &size:", self.size_chooser)
        form.addRow("Facilities &listed:", self.top)
        layout = QVBoxLayout(self)
        layout.addWidget(group)
        layout.addLayout(form)
        layout.addWidget(self.pdf)
        layout.addWidget(_buttons(self, "Export…"))

    def choice(self) -> BriefingChoice:
        charts = tuple(name for name, box in self.boxes.items() if box.isChecked())
        return BriefingChoice(charts, self.size_chooser.export_size(), self.pdf.isChecked(), self.top.value() or None)
