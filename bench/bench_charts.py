"""Live charts: edit-to-charts-updated latency against a bare pyqtgraph bar update, and memory.

Latency is measured from ``setData`` on a population cell until the facility chart and the
network view hold the new values and both chart docks have been repainted once (synchronously,
so that Qt's frame pacing does not add its wait to either side). The baseline, in the same run,
is a bare pyqtgraph ``BarGraphItem`` with as many bars, in a plot of the same size, given a new
height array and painted once.
"""

from __future__ import annotations

import gc
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.timing import row

SIZES = (100, 1_000, 10_000)


def _rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class _PaintCounter:
    """Counts paints of a pyqtgraph item by wrapping its ``paint`` (for 'one repaint done')."""

    def __init__(self, item: Any) -> None:
        self.count = 0
        original = item.paint

        def paint(*args: Any) -> Any:
            self.count += 1
            return original(*args)

        item.paint = paint


def _wait(app: Any, done: Any, limit_s: float = 5.0) -> None:
    deadline = time.perf_counter() + limit_s
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the chart did not update within 5 s")


def _chart_window(plan: Any) -> Any:
    """The table, the summary strip and the chart docks, without the other panels of the app."""
    from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

    from ui.charts.docks import ChartDocks
    from ui.controller import PlanController
    from ui.main_window import FacilityTableView
    from ui.settings import Settings
    from ui.summary_strip import SummaryStrip

    controller = PlanController(plan, Settings())
    window = QMainWindow()
    controller.setParent(window)
    central = QWidget(window)
    layout = QVBoxLayout(central)
    table = FacilityTableView(central)
    table.setModel(controller.model)
    strip = SummaryStrip(controller.model, central)
    layout.addWidget(table, 1)
    layout.addWidget(strip)
    window.setCentralWidget(central)
    controller.bind_view(table, window)
    window.charts = ChartDocks(window, table, controller.model, controller.settings, None, QMenu(window))
    strip.set_totals_source(window.charts.feed.network_totals)
    window.controller = controller
    return window


def _ours(app: Any, size: int, repeats: int, full: bool) -> tuple[float, tuple[int, int], float, dict[str, Any]]:
    from bench.plans import synthetic_plan
    from models.schema import TABLE_KEYS
    from ui.app_factory import build_window

    before = _rss_mb()
    window = build_window(synthetic_plan(size)) if full else _chart_window(synthetic_plan(size))
    window.resize(1600, 1000)
    window.show()
    for _ in range(5):
        app.processEvents()
    built = _rss_mb() - before
    chart = window.charts.facility_chart
    network = window.charts.network_view
    model = window.controller.model
    column = TABLE_KEYS.index("population")
    band_items = list(chart.bars.values())
    counters = [_PaintCounter(item) for item in band_items]
    group_counter = _PaintCounter(network.population_bars)
    histogram_counter = _PaintCounter(network.histogram_bars)
    samples = []
    own_samples = []
    plan_row = model.plan_row(0)
    feed = window.charts.feed
    flush_started = [0.0]
    original_flush = feed.flush

    def timed_flush() -> None:
        flush_started[0] = time.perf_counter()
        original_flush()

    feed._timer.timeout.disconnect()
    feed._timer.timeout.connect(timed_flush)
    for attempt in range(repeats + 2):
        value = 50.0 + attempt % 7 * 300.0 + attempt * 0.5
        paints = sum(counter.count for counter in counters)
        group_paints, histogram_paints = group_counter.count, histogram_counter.count
        redraws, network_redraws = chart.redraw_count, network.redraw_count
        started = time.perf_counter()
        model.setData(model.index(0, column), str(value))
        _wait(app, lambda r=redraws, n=network_redraws: chart.redraw_count > r and network.redraw_count > n)
        # One repaint of each chart: if the event loop has not painted it yet (Qt paces paints to
        # its frame tick), paint it now rather than measure the wait.
        for plot, painted in ((chart.plot, sum(c.count for c in counters) > paints),
                              (network.group_plot, group_counter.count > group_paints),
                              (network.histogram_plot, histogram_counter.count > histogram_paints)):
            if not painted:
                plot.viewport().repaint()
        if sum(counter.count for counter in counters) <= paints or histogram_counter.count <= histogram_paints:
            raise RuntimeError("the charts did not repaint")
        elapsed = (time.perf_counter() - started) * 1000
        position = int(chart._position_of[plan_row])
        assert float(chart.figures.population[position]) == value, "the chart does not hold the edited value"
        if attempt >= 2:
            samples.append(elapsed)
            own_samples.append((time.perf_counter() - flush_started[0]) * 1000)
    plot_size = (chart.plot.width(), chart.plot.height())
    info = {"charts own": statistics.median(own_samples)}
    window.controller.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    gc.collect()
    return statistics.median(samples), plot_size, built, info


def _bare(app: Any, size: int, plot_size: tuple[int, int], repeats: int) -> float:
    import numpy as np
    import pyqtgraph as pg

    plot = pg.PlotWidget(background="w")
    plot.resize(*plot_size)
    rng = np.random.default_rng(1)
    heights = rng.uniform(0, 2, size)
    bars = pg.BarGraphItem(x0=0, y=np.arange(size), height=0.72, width=heights, brush="#D55E00", pen=None)
    plot.addItem(bars)
    plot.getPlotItem().getViewBox().invertY(True)
    plot.show()
    for _ in range(5):
        app.processEvents()
    counter = _PaintCounter(bars)
    samples = []
    for attempt in range(repeats + 2):
        heights = heights.copy()
        heights[0] = 0.5 + attempt * 0.01
        paints = counter.count
        started = time.perf_counter()
        bars.setOpts(width=heights)
        app.processEvents()
        if counter.count <= paints:
            plot.viewport().repaint()
        _wait(app, lambda p=paints: counter.count > p)
        if attempt >= 2:
            samples.append((time.perf_counter() - started) * 1000)
    plot.close()
    plot.deleteLater()
    app.processEvents()
    return statistics.median(samples)


def run(quick: bool = False) -> list[dict[str, object]]:
    import PySide6.QtWidgets  # noqa: F401  (PySide6 before pyqtgraph)

    from ui.app_factory import ensure_application

    repeats = 5 if quick else 25
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        previous = os.environ.get("BEDPLAN_CONFIG_DIR")
        os.environ["BEDPLAN_CONFIG_DIR"] = folder  # no saved dock layout or chart options
        try:
            app = ensure_application()
            for size in SIZES:
                ours, plot_size, memory, _info = _ours(app, size, repeats, full=False)
                bare = _bare(app, size, plot_size, repeats)
                if size == 1_000:
                    target, ok = "<= 16 ms", ours <= 16.0
                elif size == 10_000:
                    target, ok = "<= 2x bare", ours <= 2 * bare
                else:
                    target, ok = "", None
                results.append(row(f"edit to charts updated, {size:,} facilities, table+strip+charts", ours, bare,
                                   target, ok))
                # The charts' own share: from the coalesced update until the plots are repainted
                # (the rest is the edit itself: undo command, table and summary strip).
                results.append(row(f"  of which the charts' own update and repaint, {size:,}", _info["charts own"], bare))
                # The whole main window also runs every other panel that follows edits (scenarios).
                whole, _size, whole_memory, _info = _ours(app, size, repeats, full=True)
                results.append(row(f"edit to charts updated, {size:,} facilities, whole main window", whole, bare))
                if size == 10_000:
                    results.append(row("memory of the 10,000-facility chart window (RSS growth)", memory, unit="MB"))
                    results.append(row("memory of the 10,000-facility main window (RSS growth)", whole_memory, unit="MB"))
        finally:
            if previous is None:
                os.environ.pop("BEDPLAN_CONFIG_DIR", None)
            else:
                os.environ["BEDPLAN_CONFIG_DIR"] = previous
    return results
