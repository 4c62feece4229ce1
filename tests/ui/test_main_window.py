"""Window smoke tests: the strip follows edits, filters drive the table, typing edits a cell."""

from __future__ import annotations

from models.schema import TABLE_KEYS


def col(key: str) -> int:
    return TABLE_KEYS.index(key)


def test_summary_strip_follows_edits_and_undo(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    strip = window.summary_strip
    assert strip.totals.over_capacity_facilities == 1
    model = window.controller.model
    model.setData(model.index(1, col("population")), "250")
    assert strip.totals.over_capacity_facilities == 2
    assert "2 facilities" in strip.text()
    window.controller.undo_stack.undo()
    assert strip.totals.over_capacity_facilities == 1


def test_filter_bar_filters_table_and_strip(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    bar = window.filter_bar
    bar.state.setCurrentIndex(bar.state.findData("TX"))
    assert window.controller.model.rowCount() == 2
    assert window.summary_strip.totals.facilities == 2
    assert bar.count.text() == "2 of 5 facilities: state = TX"
    bar.search.setText("south")
    qtbot.waitUntil(lambda: window.controller.model.rowCount() == 1, timeout=2000)
    bar.clear()
    assert window.controller.model.rowCount() == 5


def test_typing_in_a_cell_edits_through_the_delegate(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.show()
    table = window.table
    index = window.controller.model.index(0, col("name"))
    table.setCurrentIndex(index)
    table.edit(index)
    from PySide6.QtWidgets import QLineEdit

    editor = table.viewport().findChildren(QLineEdit)[-1]
    editor.selectAll()
    qtbot.keyClicks(editor, "Renamed Centre")
    table.commitData(editor)
    assert window.controller.plan.value(0, "name") == "Renamed Centre"
    assert window.controller.undo_stack.count() == 1


def test_status_editor_is_a_combo(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    window = make_window()
    window.show()
    index = window.controller.model.index(0, col("status"))
    window.table.setCurrentIndex(index)
    window.table.edit(index)
    editors = window.table.viewport().findChildren(QComboBox)
    assert editors, "the status column must edit with a combo box"
    editor = editors[-1]
    editor.setCurrentIndex(editor.findData("standby"))
    window.table.commitData(editor)
    assert window.controller.plan.value(0, "status") == "standby"


def test_demo_banner_only_for_demo(make_window) -> None:  # type: ignore[no-untyped-def]
    from models.demo import build_demo_plan

    assert make_window().demo_banner.isHidden()
    demo = make_window(build_demo_plan())
    assert not demo.demo_banner.isHidden()
    assert "fictional" in demo.demo_banner.text()


def test_a_sliver_of_saved_geometry_is_ignored(qtbot, settings_dir) -> None:  # type: ignore[no-untyped-def]
    """A saved geometry too small to work in (seen after a crash mid-resize) gives the default size."""
    from PySide6.QtWidgets import QWidget

    from models.facility_plan import FacilityPlan
    from ui.app_factory import MIN_HEIGHT, MIN_WIDTH, build_window
    from ui.settings import Settings

    sliver = QWidget()
    qtbot.addWidget(sliver)
    sliver.setGeometry(10, 10, 300, 120)
    Settings().window_geometry = sliver.saveGeometry()
    window = build_window(FacilityPlan())
    qtbot.addWidget(window)
    assert window.width() >= MIN_WIDTH and window.height() >= MIN_HEIGHT
