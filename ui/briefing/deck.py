"""The briefing deck: a PowerPoint file and the same pages as a multi-page PDF (and PNGs).

Files are written only when every page is ready, each atomically, so a cancelled or failed
export leaves nothing half-written. The slides themselves are built in ``ui.briefing.slides``,
imported when a deck is written: python-pptx costs a tenth of a second at launch otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from PySide6.QtGui import QPainter

from models.facility_plan import FacilityPlan, PlanMeta
from models.scenario_data import has_scenario_tables
from models.summary import derive
from ui.briefing.chart_data import HEADLINE_TITLE, TABLE_HEADERS, TABLE_TITLE, headline, over_capacity_rows
from ui.briefing.deck_pages import paint_table_page, paint_title_page
from ui.briefing.render import (
    ExportSize,
    Painter,
    as_export_size,
    chart_header,
    image_of,
    paint_chart,
    pdf_of,
    png_bytes,
    write_atomic,
)
from ui.briefing.specs import DEFAULT_TOP_N, BriefingError, spec_named
from ui.briefing.style import scale_for

__all__ = ["DECK_CHARTS", "HEADLINE_TITLE", "TABLE_TITLE", "BriefingCancelled", "DeckResult", "Progress", "write_deck"]

#: Charts a deck shows by default, after its headline-figures slide.
DECK_CHARTS: tuple[str, ...] = ("facilities", "states", "utilization", "capacity", "projection")
#: Called before each step with (steps done, steps in all, what comes next); False cancels.
Progress = Callable[[int, int, str], bool]


class BriefingCancelled(BriefingError):
    """The analyst cancelled the export; nothing was written."""


@dataclass
class DeckResult:
    """What a deck export wrote."""

    pptx: Path | None = None
    pdf: Path | None = None
    pngs: list[Path] = field(default_factory=list)
    slides: int = 0


def write_deck(
    path_pptx: str | os.PathLike[str] | None,
    path_pdf: str | os.PathLike[str] | None,
    plan_frame: pd.DataFrame,
    meta: PlanMeta,
    charts: Sequence[str] = DECK_CHARTS,
    filter_text: str = "",
    *,
    size: ExportSize | tuple[int, int] = (1920, 1080),
    png_dir: str | os.PathLike[str] | None = None,
    top_n: int | None = DEFAULT_TOP_N,
    table_rows: int = 10,
    export_date: dt.date | None = None,
    progress: Progress | None = None,
    plan: FacilityPlan | None = None,
) -> DeckResult:
    """Write the briefing of ``plan_frame`` (whole plan or filtered subset) as .pptx, .pdf and/or PNGs.

    ``charts`` names the chart slides (see ``SPEC_NAMES``); the headline-figures and table slides
    are always included. Scenario charts are drawn from ``plan``'s tables; without a plan, or for a
    plan with no scenario tables, they are left out. Raises BriefingCancelled if ``progress`` returns False.
    """
    if path_pptx is None and path_pdf is None and png_dir is None:
        raise BriefingError("Choose where to write the briefing: a PowerPoint file, a PDF file or a PNG folder")
    from pptx import Presentation
    from pptx.util import Inches

    from ui.briefing.slides import (
        SLIDE_HEIGHT_IN,
        SlideGeometry,
        add_chart_slide,
        add_headline_slide,
        add_table_slide,
        add_title_slide,
        deck_words,
        table_summary,
    )

    specs = [spec_named(name) for name in dict.fromkeys(charts) if name != "headline"]
    specs = [spec for spec in specs if spec.build_plan is None or (plan is not None and has_scenario_tables(plan))]
    target = as_export_size(size)
    geometry = SlideGeometry(target, SLIDE_HEIGHT_IN * target.width / target.height, scale_for(target.width, target.height))
    words = deck_words(meta, filter_text, export_date)
    figures = headline(plan_frame)
    rows, over_count = over_capacity_rows(plan_frame, table_rows)
    known = int(derive(plan_frame)["utilization"].notna().sum())
    summary = table_summary(over_count, len(rows), known)

    steps: list[tuple[str, Callable[[], None]]] = []
    pictures: dict[str, bytes] = {}
    notes: dict[str, list[str]] = {}
    for spec in specs if path_pptx is not None else []:
        def draw(spec_name: str = spec.name) -> None:
            chosen = spec_named(spec_name)
            header = chart_header(chosen.title, meta, filter_text, export_date)

            def paint(painter: QPainter, width: float, height: float) -> None:
                notes[spec_name] = paint_chart(painter, width, height, chosen, plan_frame, header, top_n=top_n,
                                               show_title=False, scale=geometry.scale, plan=plan)

            pictures[spec_name] = png_bytes(image_of(paint, geometry.chart_pixels))

        steps.append((f"Drawing {spec.title.lower()}", draw))
    result = DeckResult(slides=3 + len(specs))
    payloads: list[tuple[Path, bytes]] = []

    if path_pptx is not None:
        pptx_path = Path(path_pptx)

        def build_pptx() -> None:
            deck = Presentation()
            deck.slide_width = Inches(geometry.slide_width_in)
            deck.slide_height = Inches(SLIDE_HEIGHT_IN)
            deck.core_properties.title = f"{words.plan_title}: briefing"
            deck.core_properties.author = "Bedplan"
            add_title_slide(deck, geometry, words)
            add_headline_slide(deck, geometry, words, figures)
            for spec in specs:
                add_chart_slide(deck, geometry, spec.title, pictures[spec.name], f"{spec.title}. {words.subtitle}",
                                 [words.subtitle, *notes[spec.name], words.source])
            add_table_slide(deck, geometry, words, rows, summary)
            stream = io.BytesIO()
            deck.save(stream)
            payloads.append((pptx_path, stream.getvalue()))
            result.pptx = pptx_path

        steps.append(("Writing the PowerPoint slides", build_pptx))
    if path_pdf is not None:
        pdf_path = Path(path_pdf)

        def build_pdf() -> None:
            pages: list[Painter] = [
                lambda p, w, h: paint_title_page(p, w, h, words.plan_title, words.title_lines, words.notice,
                                                 geometry.scale),
                _chart_page("headline", plan_frame, meta, filter_text, export_date, top_n, geometry.scale),
                *(_chart_page(spec.name, plan_frame, meta, filter_text, export_date, top_n, geometry.scale, plan)
                  for spec in specs),
                lambda p, w, h: paint_table_page(
                    p, w, h, chart_header(TABLE_TITLE, meta, filter_text, export_date), TABLE_HEADERS, rows,
                    [summary], "No facility is at or above 100% of capacity", geometry.scale),
            ]
            payloads.append((pdf_path, pdf_of(pages, target, f"{words.plan_title}: briefing")))
            result.pdf = pdf_path

        steps.append(("Writing the PDF pages", build_pdf))
    if png_dir is not None:
        folder = Path(png_dir)
        for number, name in enumerate(["headline", *(spec.name for spec in specs)], start=1):
            def draw_png(name: str = name, number: int = number) -> None:
                page = _chart_page(name, plan_frame, meta, filter_text, export_date, top_n, None, plan)
                path = folder / f"{number:02d}_{name}.png"
                payloads.append((path, png_bytes(image_of(page, target))))
                result.pngs.append(path)

            steps.append((f"Drawing {name} picture", draw_png))
    _run(steps, progress)
    if png_dir is not None:
        _ensure_folder(Path(png_dir))
    for path, payload in payloads:
        write_atomic(path, payload)
    return result


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BriefingError(f"Cannot create the picture folder {folder}: {error.strerror}") from None


def _chart_page(name: str, frame: pd.DataFrame, meta: PlanMeta, filter_text: str, export_date: dt.date | None,
                top_n: int | None, scale: float | None, plan: FacilityPlan | None = None) -> Painter:
    spec = spec_named(name)
    header = chart_header(spec.title, meta, filter_text, export_date)

    def paint(painter: QPainter, width: float, height: float) -> None:
        paint_chart(painter, width, height, spec, frame, header, top_n=top_n, scale=scale, plan=plan)

    return paint


def _run(steps: Sequence[tuple[str, Callable[[], None]]], progress: Progress | None) -> None:
    total = len(steps)
    for done, (label, step) in enumerate(steps):
        if progress is not None and progress(done, total, label) is False:
            raise BriefingCancelled("Briefing export cancelled; no file was written")
        step()
    if progress is not None:
        progress(total, total, "Saving")
