"""The export dialogs' widgets turn into the plain choices the actions act on."""

from __future__ import annotations

from ui.briefing import SPECS, ExportSize
from ui.briefing.export_dialogs import (
    CUSTOM,
    BriefingChoice,
    BriefingDialog,
    ChartExportChoice,
    ChartExportDialog,
)


def test_chart_dialog_reports_its_widgets(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ChartExportDialog(SPECS, "utilization", ExportSize(1280, 720, 144), "svg", 15)
    qtbot.addWidget(dialog)
    assert dialog.choice() == ChartExportChoice("utilization", ExportSize(1280, 720, 144), "svg", 15)
    chooser = dialog.size_chooser
    assert not chooser.width_box.isEnabled()
    chooser.preset.setCurrentText(CUSTOM)
    assert chooser.width_box.isEnabled()
    chooser.width_box.setValue(3000)
    chooser.height_box.setValue(1000)
    dialog.top.setValue(0)
    assert dialog.choice().size == ExportSize(3000, 1000, 144)
    assert dialog.choice().top_n is None


def test_briefing_dialog_lists_chart_slides_but_not_the_headline(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = BriefingDialog(SPECS, ["states"], ExportSize(1920, 1080), False, 10)
    qtbot.addWidget(dialog)
    assert list(dialog.boxes) == ["facilities", "states", "utilization", "capacity", "projection"]
    assert dialog.choice() == BriefingChoice(("states",), ExportSize(1920, 1080), False, 10)
    dialog.boxes["facilities"].setChecked(True)
    dialog.pdf.setChecked(True)
    assert dialog.choice().charts == ("facilities", "states") and dialog.choice().with_pdf
