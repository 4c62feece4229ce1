"""Briefing export: each demo chart as a 1920×1080 PNG and the whole demo deck, against a bare
pyqtgraph ImageExporter export of one 50-bar chart measured in the same run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.timing import median_ms, row


def _bare_pyqtgraph_export(folder: Path, repeats: int) -> float:
    """The baseline: a plain 50-bar pyqtgraph chart exported at 1920 px wide, no styling at all."""
    # run() has created the QApplication, so PySide6 is loaded and pyqtgraph binds to it.
    import numpy as np
    import pyqtgraph as pg
    from pyqtgraph.exporters import ImageExporter

    widget = pg.PlotWidget()
    widget.resize(1000, 777)
    heights = np.random.default_rng(7).uniform(50, 1500, 50)
    widget.addItem(pg.BarGraphItem(x=np.arange(50), height=heights, width=0.7, brush="#0072B2"))
    widget.show()
    exporter = ImageExporter(widget.plotItem)
    exporter.parameters()["width"] = 1920
    target = str(folder / "bare.png")
    try:
        return median_ms(lambda: exporter.export(target), repeats)
    finally:
        widget.close()
        widget.deleteLater()


def run(quick: bool = False) -> list[dict[str, object]]:
    from models.demo import build_demo_plan
    from ui.app_factory import ensure_application
    from ui.briefing import SPEC_NAMES, export_chart, write_deck

    ensure_application()
    repeats = 3 if quick else 9
    plan = build_demo_plan()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        bare = _bare_pyqtgraph_export(folder, repeats)
        rows.append(row("bare pyqtgraph ImageExporter, 50 bars, 1920 px wide (baseline)", bare))
        chart_times = {}
        for name in SPEC_NAMES:
            path = folder / f"{name}.png"
            chart_times[name] = median_ms(
                lambda name=name, path=path: export_chart(path, name, plan.frame, plan.meta, (1920, 1080), plan=plan), repeats
            )
            ms = chart_times[name]
            rows.append(row(f"briefing chart '{name}' 1920×1080 PNG", ms, bare, "<= 1.5x bare export", ms <= 1.5 * bare))
        total = sum(chart_times.values())
        rows.append(row("all demo briefing charts 1920×1080 PNG (sum)", total, bare))
        # The timed deck is the real one: scenario charts included (a deck without the plan leaves them out).
        slides = write_deck(folder / "deck.pptx", None, plan.frame, plan.meta, size=(1920, 1080), plan=plan).slides
        if slides != 8:
            raise RuntimeError(f"the demo deck has {slides} slides, not 8: the benchmark would time something else")
        deck_ms = median_ms(
            lambda: write_deck(folder / "deck.pptx", folder / "deck.pdf", plan.frame, plan.meta, size=(1920, 1080),
                               plan=plan),
            max(3, repeats // 3),
        )
        rows.append(row("whole demo deck (8 slides): .pptx + .pdf, 1920×1080 charts", deck_ms, bare, "< 3000 ms", deck_ms < 3000))
    return rows
