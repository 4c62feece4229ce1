"""The briefing menu actions in the main window, with the dialogs patched out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from PySide6.QtGui import QGuiApplication, QImage

from ui import dialogs
from ui.briefing import SPECS, ExportSize
from ui.briefing.export_dialogs import BriefingChoice, ChartExportChoice


def _titles(menu) -> list[str]:  # type: ignore[no-untyped-def]
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_menus_hold_the_briefing_actions(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    file_titles = _titles(window.file_menu)
    assert file_titles.index("Export c&hart…") == file_titles.index("Save &As…") + 1
    assert file_titles.index("Export &briefing…") == file_titles.index("Export c&hart…") + 1
    assert file_titles[-1] == "&Quit"
    assert "Copy c&hart" in _titles(window.edit_menu)
    assert _titles(window.briefing.copy_menu) == [spec.title for spec in SPECS]


def test_exports_follow_the_table_filter(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    frame, words = window.briefing.current_subset()
    assert len(frame) == 5 and words == "All 5 facilities"
    bar = window.filter_bar
    bar.state.setCurrentIndex(bar.state.findData("TX"))
    frame, words = window.briefing.current_subset()
    assert frame["state"].tolist() == ["TX", "TX"]
    assert words == "2 of 5 facilities: state = TX"


def test_export_chart_writes_the_chosen_format_and_size(make_window, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    choice = ChartExportChoice("states", ExportSize(1024, 768, 96), "png", 15)
    monkeypatch.setattr(dialogs, "ask_chart_export", lambda *args: choice)
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args: str(tmp_path / "states"))
    with qtbot.waitSignal(window.briefing.status_message) as message:
        assert window.briefing.export_chart_dialog()
    image = QImage(str(tmp_path / "states.png"))
    assert (image.width(), image.height()) == (1024, 768)
    assert "states.png" in message.args[0]
    assert window.controller.settings.value("briefing/chart") == "states"


def test_cancelled_dialogs_write_nothing(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    monkeypatch.setattr(dialogs, "ask_chart_export", lambda *args: None)
    monkeypatch.setattr(dialogs, "ask_briefing_export", lambda *args: None)
    assert not window.briefing.export_chart_dialog()
    assert not window.briefing.export_briefing_dialog()
    monkeypatch.setattr(dialogs, "ask_chart_export", lambda *args: ChartExportChoice("states", ExportSize(800, 600), "svg", None))
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args: "")
    assert not window.briefing.export_chart_dialog()
    assert [path.name for path in tmp_path.iterdir()] == ["settings"]  # the redirected preferences only


def test_export_error_is_shown_not_raised(make_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "ask_chart_export", lambda *args: ChartExportChoice("states", ExportSize(800, 600), "pdf", None))
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args: str(tmp_path / "gone" / "chart.pdf"))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: shown.append(message))
    assert not window.briefing.export_chart_dialog()
    assert len(shown) == 1 and "does not exist" in shown[0]


def test_export_briefing_writes_deck_and_pdf_of_the_filtered_plan(make_window, monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    bar = window.filter_bar
    bar.state.setCurrentIndex(bar.state.findData("TX"))
    choice = BriefingChoice(("facilities", "states"), ExportSize(1280, 720), True, None)
    monkeypatch.setattr(dialogs, "ask_briefing_export", lambda *args: choice)
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args: str(tmp_path / "brief.pptx"))
    assert window.briefing.export_briefing_dialog()
    presentation = Presentation(str(tmp_path / "brief.pptx"))
    assert len(presentation.slides) == 5
    texts = " ".join(shape.text_frame.text for shape in presentation.slides[1].shapes if shape.has_text_frame)
    assert "2 of 5 facilities: state = TX" in texts
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")


def test_copy_chart_puts_a_slide_sized_picture_on_the_clipboard(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.briefing.actions["copy_chart:facilities"].trigger()
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (1920, 1080)


def test_chart_context_menu_offers_copy_and_export_of_that_chart(make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    offered: list[str] = []
    monkeypatch.setattr(dialogs, "ask_chart_export", lambda parent, specs, name, *rest: offered.append(name))
    menu = window.briefing.chart_menu("utilization")
    copy, export, briefing = menu.actions()
    assert copy.text() == "Copy chart: How full facilities are"
    assert briefing.text() == "Export briefing…"
    export.trigger()
    assert offered == ["utilization"]
    copy.trigger()
    assert QGuiApplication.clipboard().image().width() == 1920
