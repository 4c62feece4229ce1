"""Live charts: item data after edits, undo and filters; linking with the table; bursts; rendering."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage

from models.chart_data import (
    BAND_NEAR,
    BAND_OK,
    BAND_OVER,
    BAND_UNKNOWN,
    BAND_VALUES,
    PlanColumns,
    network_figures,
)
from models.facility_plan import FacilityPlan, PlanMeta
from models.filtering import FilterSpec
from models.schema import TABLE_KEYS
from models.summary import network_totals
from ui.charts.facility_chart import FacilityChart
from ui.charts.theme import BAND_FILL


def col(key: str) -> int:
    return TABLE_KEYS.index(key)


def bar_data(chart: FacilityChart) -> dict[int, list[tuple[int, float]]]:
    """(bar position, length) per band, read back from the plot items."""
    result = {}
    for band, item in chart.bars.items():
        ys = np.asarray(item.opts["y"], dtype=float).tolist()
        widths = np.asarray(item.opts["width"], dtype=float).tolist()
        result[band] = sorted((int(y), round(w, 4)) for y, w in zip(ys, widths, strict=True))
    return result


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(1)


def test_facility_bars_hold_the_plan_and_follow_edit_and_undo(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    chart = window.charts.facility_chart
    chart.set_scale("percent")
    data = bar_data(chart)
    # Utilization order: Northfield 110.6%, Lakeside 92%, Southgate 75%, Pine Ridge 0%, Harbor Point unknown.
    assert data[BAND_OVER] == [(0, round(99.5 / 90 * 100, 4))]
    assert data[BAND_NEAR] == [(1, 92.0)]
    assert data[BAND_OK] == [(2, 75.0), (3, 0.0)]
    assert [p for p, _ in data[BAND_UNKNOWN]] == [4]
    assert chart.figures.rows.tolist() == [0, 2, 1, 3, 4]

    model = window.controller.model
    before = chart.redraw_count
    model.setData(model.index(1, col("population")), "250")  # Southgate 250 / 200 = 125%
    settle(qtbot)
    assert chart.redraw_count == before + 1
    data = bar_data(chart)
    assert data[BAND_OVER] == [(0, 125.0), (1, round(99.5 / 90 * 100, 4))]
    assert chart.figures.rows.tolist() == [1, 0, 2, 3, 4]
    assert chart.axis._label_of(0) == "Southgate Unit"

    window.controller.undo_stack.undo()
    settle(qtbot)
    assert bar_data(chart)[BAND_OK] == [(2, 75.0), (3, 0.0)]
    assert chart.figures.rows.tolist() == [0, 2, 1, 3, 4]


def test_beds_scale_shows_population_with_capacity_outlines(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    chart = window.charts.facility_chart
    chart.set_scale("beds")
    assert chart.capacity_item.isVisible() and not chart.reference.isVisible()
    assert np.asarray(chart.capacity_item.opts["width"]).tolist()[:4] == [90.0, 50.0, 200.0, 80.0]
    assert bar_data(chart)[BAND_OVER] == [(0, 99.5)]
    chart.set_scale("percent")
    assert not chart.capacity_item.isVisible() and chart.reference.isVisible()
    assert chart.reference.value() == 100


def test_basis_switch_changes_capacity_everywhere(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    chart = window.charts.facility_chart
    network = window.charts.network_view
    chart.basis_combo.setCurrentIndex(chart.basis_combo.findData("rated"))
    settle(qtbot)
    assert window.charts.feed.basis == "rated"
    assert chart.figures.capacity[chart.figures.rows.tolist().index(0)] == 100.0
    assert network.totals is not None and network.totals.capacity_basis == "rated"
    assert "rated capacity" in chart.title.text() and "rated capacity" in network.title.text()
    assert window.controller.settings.value("charts/basis") == "rated"


def test_filter_changes_bars_titles_and_network(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    bar = window.filter_bar
    bar.state.setCurrentIndex(bar.state.findData("TX"))
    settle(qtbot)
    chart = window.charts.facility_chart
    assert sorted(chart.figures.rows.tolist()) == [0, 1]
    assert "2 of 5 facilities: state = TX" in chart.title.text()
    network = window.charts.network_view
    assert "2 of 5 facilities: state = TX" in network.title.text()
    frame = window.controller.plan.frame
    assert network.totals == network_totals(frame.iloc[[0, 1]])
    assert network.groups is not None and network.groups.labels == ("TX",)
    assert network.groups.population.tolist() == [249.5]
    bar.clear()
    settle(qtbot)
    assert len(chart.figures) == 5 and "5 facilities" in chart.title.text()


def test_network_view_follows_edits_rows_and_plan_replacement(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    network = window.charts.network_view
    controller = window.controller
    assert network.histogram is not None and network.histogram.counts.sum() == 4
    capacity = dict(zip(network.groups.labels, np.asarray(network.capacity_bars.opts["height"]).tolist(), strict=True))
    assert capacity == {"CO": 0.0, "FL": 50.0, "TX": 290.0}  # today's capacity: standby and planned left out
    model = controller.model
    model.setData(model.index(2, col("population")), "70")  # Lakeside 70 / 50 -> over
    settle(qtbot)
    assert "2 facilities" in network.figure_labels["6"].text()
    heights = np.asarray(network.population_bars.opts["height"]).tolist()
    assert heights[network.groups.labels.index("FL")] == 70.0
    controller.model.remove_plan_rows([0])
    settle(qtbot)
    assert network.totals.facilities == 4
    assert len(window.charts.facility_chart.figures) == 4
    controller.replace_plan(FacilityPlan(meta=PlanMeta(title="Empty")), None)
    settle(qtbot)
    assert network.totals.facilities == 0
    assert len(window.charts.facility_chart.figures) == 0
    assert np.asarray(window.charts.facility_chart.bars[BAND_OK].opts["y"]).size == 0


def test_group_dimension_and_sort_options_are_remembered(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    network = window.charts.network_view
    network.group_combo.setCurrentIndex(network.group_combo.findData("status"))
    assert network.groups.labels == ("operational", "planned", "standby")  # the Status order
    assert network.groups.capacity.tolist() == [340.0, 1000.0, 80.0]
    chart = window.charts.facility_chart
    chart.sort_combo.setCurrentIndex(chart.sort_combo.findData("name"))
    assert chart.figures.rows.tolist() == [4, 2, 0, 3, 1]
    model = window.controller.model
    model.setData(model.index(2, col("population")), "75")  # numbers only: the name order stays
    qtbot.wait(1)
    assert chart.figures.rows.tolist() == [4, 2, 0, 3, 1]
    assert chart.figures.population.tolist()[1] == 75.0
    assert chart.figures.bands.tolist()[1] == BAND_OVER
    other = make_window()
    assert other.charts.network_view.group_key == "status"
    assert other.charts.facility_chart.sort_key == "name"


def test_a_5000_cell_paste_redraws_once(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from bench.plans import synthetic_plan

    window = make_window(synthetic_plan(1_000))
    charts = window.charts
    controller = window.controller
    start = controller.model.index(0, col("rated_capacity"))
    window.table.setCurrentIndex(start)
    lines = ["\t".join(str(100 + (row * 5 + c) % 50) for c in range(4)) + "\t" + str(90 + row % 40)
             for row in range(1_000)]
    feed_before, chart_before = charts.feed.update_count, charts.facility_chart.redraw_count
    network_before = charts.network_view.redraw_count
    assert controller.paste_text("\n".join(lines))  # rated, operational, surge, population? see columns
    qtbot.wait(5)
    assert charts.feed.update_count == feed_before + 1
    assert charts.facility_chart.redraw_count == chart_before + 1
    assert charts.network_view.redraw_count == network_before + 1
    frame = controller.plan.frame
    assert charts.network_view.totals == network_totals(frame)
    fresh = PlanColumns.from_frame(frame)
    np.testing.assert_array_equal(charts.feed.columns.population, fresh.population)
    controller.undo_stack.undo()
    qtbot.wait(5)
    assert charts.feed.update_count == feed_before + 2
    assert charts.network_view.totals == network_totals(controller.plan.frame)


def test_paste_past_the_end_adds_rows_to_the_charts(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    controller = window.controller
    window.table.setCurrentIndex(controller.model.index(4, col("name")))
    assert controller.paste_text("Harbor Point\nNew Site")
    qtbot.wait(5)
    assert len(window.charts.facility_chart.figures) == 6
    assert window.charts.network_view.totals.facilities == 6


def test_selecting_rows_highlights_their_bars(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    chart = window.charts.facility_chart
    window.table.selectRow(1)  # Southgate: third bar by utilization
    qtbot.waitUntil(lambda: chart.highlighted_positions().tolist() == [2], timeout=2000)
    window.table.selectAll()
    qtbot.waitUntil(lambda: chart.highlighted_positions().tolist() == [0, 1, 2, 3, 4], timeout=2000)
    window.table.clearSelection()
    qtbot.waitUntil(lambda: chart.highlighted_positions().size == 0, timeout=2000)


def _bar_point(chart: FacilityChart, position: int) -> QPoint:
    scene = chart.view_box.mapViewToScene(QPointF(1.0, float(position)))
    return chart.plot.mapFromScene(scene)


def test_clicking_a_bar_selects_and_scrolls_to_its_row(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from bench.plans import synthetic_plan

    window = make_window(synthetic_plan(300))
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    chart = window.charts.facility_chart
    qtbot.wait(20)
    plan_row = int(chart.figures.rows[3])
    point = _bar_point(chart, 3)
    assert chart.position_at(chart.plot.mapToScene(point)) == 3
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=point)
    model = window.controller.model
    view_row = model.view_row(plan_row)
    selected = {index.row() for index in window.table.selectionModel().selectedIndexes()}
    assert selected == {view_row}
    assert window.table.currentIndex().row() == view_row
    visible = window.table.rowAt(window.table.viewport().height() // 2)
    assert abs(visible - view_row) < 40  # scrolled to the row (the plan order differs from the chart order)
    qtbot.waitUntil(lambda: chart.highlighted_positions().tolist() == [3], timeout=2000)
    assert chart.tooltip_at(3).startswith(window.controller.plan.value(plan_row, "name"))


def test_labels_thin_out_when_zoomed_out(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from bench.plans import synthetic_plan

    window = make_window(synthetic_plan(5_000))
    axis = window.charts.facility_chart.axis
    everything = axis.visible_ticks(0, 4999, 600)
    assert 0 < len(everything) <= 600 / axis._metrics.height()
    assert axis.visible_ticks(10, 30, 600) == list(range(10, 31))
    # Aligned steps: scrolling a little keeps the same labels in place.
    assert set(axis.visible_ticks(100, 500, 600)) & set(axis.visible_ticks(104, 504, 600))


def test_charts_render_non_blank_in_band_colours(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    charts = window.charts
    for plot, colours in (
        (charts.facility_chart.plot, [BAND_FILL[BAND_OVER], BAND_FILL[BAND_NEAR], BAND_FILL[BAND_OK]]),
        (charts.network_view.group_plot, ["#56B4E9", "#0072B2"]),
        (charts.network_view.histogram_plot, [BAND_FILL[BAND_OVER], BAND_FILL[BAND_NEAR], BAND_FILL[BAND_OK]]),
    ):
        image = plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        assert image.width() > 100 and image.height() > 100
        found = _colours_in(image)
        for colour in colours:
            assert QColor(colour).rgb() & 0xFFFFFF in found, f"{colour} missing from {plot.objectName() or plot}"


def _colours_in(image: QImage) -> set[int]:
    found = set()
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            found.add(image.pixel(x, y) & 0xFFFFFF)
    return found


def test_chart_context_menu_offers_the_briefing_copy(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *args: shown.append(self))
    window = make_window()
    plot = window.charts.facility_chart.plot
    plot.customContextMenuRequested.emit(QPoint(50, 50))
    window.charts.network_view.histogram_plot.customContextMenuRequested.emit(QPoint(10, 10))
    texts = [[action.text() for action in menu.actions()] for menu in shown]
    assert texts[0][0] == "Copy chart: Facility utilization, highest first"
    assert texts[1][0] == "Copy chart: How full facilities are"
    assert "Export chart…" in texts[0]


def test_docks_are_remembered_across_launches(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.show()
    window.removeDockWidget(window.charts.facility_dock)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.charts.facility_dock)
    window.charts.facility_dock.show()
    window.charts.network_dock.hide()
    window.close()
    again = make_window()
    again.show()
    assert again.dockWidgetArea(again.charts.facility_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert again.charts.network_dock.isHidden()
    assert "Network" in [action.text() for action in again.view_menu.actions()]


def test_incremental_arrays_agree_with_the_frame_after_many_edits(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from bench.plans import synthetic_plan

    window = make_window(synthetic_plan(200))
    model = window.controller.model
    rng = np.random.default_rng(3)
    for _ in range(30):
        row = int(rng.integers(0, 200))
        key = ("population", "rated_capacity", "operational_capacity", "status", "state")[int(rng.integers(0, 5))]
        value = {"population": "123.5", "rated_capacity": "400", "operational_capacity": "",
                 "status": "standby", "state": "ZZ"}[key]
        model.setData(model.index(row, col(key)), value)
    qtbot.wait(5)
    window.controller.undo_stack.undo()
    window.controller.undo_stack.undo()
    model.set_filter(FilterSpec(states=frozenset({"TX", "ZZ"})))
    qtbot.wait(5)
    feed = window.charts.feed
    frame = window.controller.plan.frame
    fresh = PlanColumns.from_frame(frame)
    for name in ("population", "rated", "operational"):
        np.testing.assert_array_equal(getattr(feed.columns, name), getattr(fresh, name))
    assert feed.columns.text["state"].tolist() == fresh.text["state"].tolist()
    rows = model.visible_plan_rows()
    assert window.charts.network_view.totals == network_figures(fresh, rows, "operational")
    assert window.charts.network_view.totals == network_totals(frame.iloc[np.sort(rows)])


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720)])
def test_window_with_docks_fits_the_screen(qtbot, make_window, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    assert window.width() == size[0] and window.height() == size[1]
    assert window.minimumSizeHint().width() <= 1100  # the strip and filter bar shrink; docks fit beside
    assert window.summary_strip.height() <= 3 * window.summary_strip.fontMetrics().height() + 16
    assert window.charts.facility_chart.width() >= 300
    assert window.table.width() >= 400


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform and tooltips
def test_hovering_a_bar_shows_its_facility(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QToolTip

    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    chart = window.charts.facility_chart
    scene_point = chart.plot.mapToScene(_bar_point(chart, 1))
    chart.plot.scene().sigMouseMoved.emit(scene_point)
    text = QToolTip.text()
    assert text.startswith("Lakeside Hall — Miami, FL")
    assert "Capacity (operational): 50 beds" in text and "Population: 46" in text
    assert "Utilization: 92.0%" in text and "Beds available: 4" in text
    far = chart.view_box.mapViewToScene(QPointF(1.0, 40.0))
    chart.plot.scene().sigMouseMoved.emit(far)
    assert chart.position_at(far) == -1


def test_selection_adds_a_legend_entry(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    chart = window.charts.facility_chart
    assert "Selected in the table" not in chart.legend.text()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: "Selected in the table" in chart.legend.text(), timeout=2000)


def test_live_histogram_matches_the_briefing_histogram(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from models.demo import build_demo_plan
    from ui.briefing import chart_data as briefing_data

    window = make_window(build_demo_plan())
    histogram = window.charts.network_view.histogram
    briefing = briefing_data.histogram(window.controller.plan.frame)
    assert tuple(histogram.counts.tolist()) == briefing.counts
    heights = np.asarray(window.charts.network_view.histogram_bars.opts["height"]).tolist()
    assert heights == [float(count) for count in briefing.counts]
    assert [BAND_VALUES[code] for code in histogram.bands] == list(briefing.bands)


def test_value_axis_fits_the_bars_in_view(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from models.demo import build_demo_plan

    window = make_window(build_demo_plan())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    chart = window.charts.facility_chart
    chart.set_scale("beds")
    figures = chart.figures
    tent = int(np.nanargmax(figures.capacity))
    assert figures.capacity[tent] >= 30_000
    top = chart.view_box.viewRange()
    assert top[1][1] < tent  # the tent site is far down the list (no utilization: it has no people)
    assert top[0][1] < 10_000  # so it does not flatten the bars at the top
    chart.scroll_to_position(tent)
    assert chart.view_box.viewRange()[0][1] >= figures.capacity[tent]


def test_group_bar_tooltip(make_window) -> None:  # type: ignore[no-untyped-def]
    network = make_window().charts.network_view
    text = network.group_tooltip(network.groups.labels.index("TX"))
    assert text.splitlines() == ["State: TX", "2 facilities", "Capacity (operational facilities): 290 beds",
                                 "Population: 250", "Utilization: 86.0%"]
    assert network.group_tooltip(99) == ""


def test_selecting_one_row_scrolls_its_bar_into_view(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from bench.plans import synthetic_plan

    window = make_window(synthetic_plan(500))
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    chart = window.charts.facility_chart
    last = int(chart.figures.rows[-1])  # the lowest utilization: the bottom of the chart
    assert chart.view_box.viewRange()[1][1] < len(chart.figures) - 10
    window.table.selectRow(window.controller.model.view_row(last))
    qtbot.waitUntil(lambda: chart.highlighted_positions().tolist() == [len(chart.figures) - 1], timeout=2000)
    low, high = chart.view_box.viewRange()[1]
    assert low <= len(chart.figures) - 1 <= high


def test_value_axes_have_titles_and_thousands_separators(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from ui.charts.axes import ValueAxis

    window = make_window()
    chart = window.charts.facility_chart
    network = window.charts.network_view
    axis = network.group_plot.getPlotItem().getAxis("left")
    assert isinstance(axis, ValueAxis)
    assert axis.tickStrings([50_000.0, 350_000.0], 1.0, 50_000.0) == ["50,000", "350,000"]
    assert axis.tickStrings([0.5, 1.5], 1.0, 0.5) == ["0.5", "1.5"]
    assert network.group_plot.getPlotItem().getAxis("left").labelText == "Beds / people"
    assert network.histogram_plot.getPlotItem().getAxis("left").labelText == "Facilities"
    bottom = chart.plot.getPlotItem().getAxis("bottom")
    assert bottom.labelText == "Utilization, % of capacity"
    chart.set_scale("beds")
    assert bottom.labelText.startswith("People held")


def test_table_keeps_six_rows_however_tall_the_docks(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.scenarios.scenarios_dock.raise_()
    qtbot.wait(50)
    window.resize(1280, 720)  # shrinking the window squeezes the central widget before the docks
    qtbot.wait(50)
    table = window.table
    rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert rows >= 5.5
