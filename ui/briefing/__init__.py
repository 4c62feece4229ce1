"""Briefing export: finished, slide-ready charts and decks drawn from plan data, not from widgets.

Every chart is painted with QPainter from the pure summaries in ``models.summary``, in a briefing
style that ignores the screen theme (white page, title and subtitle with plan, filter and as-of
date, axis titles with units, source and export date in the footer, Okabe-Ito colours, thousands
separators). One painter serves every target, so a PNG, an SVG and a PDF page of the same chart
agree, and the output is always exactly the requested pixel size.

Public API (all take the plan's frame, or a filtered subset of it, plus its ``PlanMeta``; a
``filter_text`` such as "42 of 120 facilities: status = operational" goes into the subtitle):

- ``SPEC_NAMES``: the charts, ``("headline", "facilities", "states", "utilization", "capacity",
  "projection")``; ``spec_named(name)`` gives a chart's title and description for menus. The last
  two draw from the plan's scenario tables (``ui.briefing.scenario_charts``): pass ``plan=`` to the
  functions below; without it they say the plan has no scenarios, and a deck leaves them out.
- ``render_chart(spec_name, plan_frame, meta, size, filter_text) -> QImage`` of exactly ``size``
  (``(w, h)``, ``QSize`` or ``ExportSize(w, h, dpi)``; presets in ``SIZE_PRESETS``).
- ``export_chart(path, spec_name, plan_frame, meta, size, filter_text)``: PNG, SVG or PDF by the
  path's extension, written atomically.
- ``copy_chart_to_clipboard(image)``: for pasting into PowerPoint or Word.
- ``write_deck(path_pptx, path_pdf, plan_frame, meta, charts, filter_text, size=, png_dir=,
  progress=)``: title, headline figures, one slide per chart and the table of facilities most
  over capacity, as .pptx and/or a multi-page PDF (and PNGs); ``progress`` may cancel.
- ``ui.briefing.actions.BriefingActions``: the window's menu actions (``window.briefing``);
  a live chart widget's context menu is ``window.briefing.chart_menu(spec_name)``.
- ``run_cli(argv)``: ``python main.py briefing PLAN --out DECK.pptx [--pdf] [--png-dir] [--size]``.

Errors a user can cause raise ``BriefingError`` with a message to show as is; a cancelled deck
raises ``BriefingCancelled`` and writes nothing. All functions need a ``QGuiApplication``.
"""

from __future__ import annotations

from ui.briefing.cli import run_cli
from ui.briefing.deck import DECK_CHARTS, BriefingCancelled, DeckResult, write_deck
from ui.briefing.render import (
    DEFAULT_DPI,
    SIZE_PRESETS,
    ExportSize,
    copy_chart_to_clipboard,
    export_chart,
    parse_size,
    render_chart,
)
from ui.briefing.specs import DEFAULT_TOP_N, SPEC_NAMES, SPECS, BriefingError, ChartSpec, spec_named

__all__ = [
    "DECK_CHARTS",
    "DEFAULT_DPI",
    "DEFAULT_TOP_N",
    "SIZE_PRESETS",
    "SPECS",
    "SPEC_NAMES",
    "BriefingCancelled",
    "BriefingError",
    "ChartSpec",
    "DeckResult",
    "ExportSize",
    "copy_chart_to_clipboard",
    "export_chart",
    "parse_size",
    "render_chart",
    "run_cli",
    "spec_named",
    "write_deck",
]
