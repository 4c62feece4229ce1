"""PowerPoint slides of the briefing deck (python-pptx): title, headline figures, chart, table.

Text is native and editable; charts are pictures rendered at the slide's pixel size under a native
title, with alt text and speaker notes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from models.facility_plan import PlanMeta
from ui.briefing.chart_data import HEADLINE_TITLE, TABLE_HEADERS, TABLE_TITLE, Headline
from ui.briefing.render import ExportSize, chart_header, long_date
from ui.briefing.specs import BriefingError
from ui.briefing.style import (
    AXIS,
    BACKGROUND,
    BAND_COLOURS,
    FAINT_INK,
    FONT_FAMILIES,
    HEADER_FILL,
    INK,
    MUTED_INK,
    TILE,
)

SLIDE_HEIGHT_IN = 7.5
TITLE_BAND_IN = 1.1
_FONT = FONT_FAMILIES[0]


@dataclass(frozen=True)
class SlideGeometry:
    size: ExportSize
    slide_width_in: float
    scale: float

    @property
    def pixels_per_inch(self) -> float:
        return self.size.width / self.slide_width_in

    @property
    def margin_in(self) -> float:
        return 48 * self.scale / self.pixels_per_inch

    @property
    def subtitle_points(self) -> float:
        """Smaller on a 4:3 slide, where the plan, filter and date line would wrap."""
        return 16 if self.slide_width_in >= 12 else 13

    @property
    def chart_pixels(self) -> ExportSize:
        """The picture under a slide title: full slide width, the height below the title band."""
        height = round(self.size.height * (SLIDE_HEIGHT_IN - TITLE_BAND_IN) / SLIDE_HEIGHT_IN)
        return ExportSize(self.size.width, max(200, height), self.size.dpi)


def _rgb(hex_code: str) -> RGBColor:
    return RGBColor.from_string(hex_code.lstrip("#").upper())


def _text_box(slide: Slide, left: float, top: float, width: float, height: float,
              paragraphs: Sequence[tuple[str, float, bool, str]], align: PP_ALIGN = PP_ALIGN.LEFT,
              anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    """A text box at inches; each paragraph is (text, points, bold, colour)."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for margin in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, margin, 0)
    for index, (text, points, bold, shade) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        run.font.name = _FONT
        run.font.size = Pt(points)
        run.font.bold = bold
        run.font.color.rgb = _rgb(shade)


def _set_title(slide: Slide, geometry: SlideGeometry, text: str) -> None:
    title = slide.shapes.title
    if title is None:
        raise BriefingError("The slide layout has no title placeholder")
    margin = geometry.margin_in
    title.left, title.top = Inches(margin), Inches(0.3)
    title.width, title.height = Inches(geometry.slide_width_in - 2 * margin), Inches(TITLE_BAND_IN - 0.35)
    frame = title.text_frame
    frame.text = text
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for margin_name in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, margin_name, 0)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.name = _FONT
        run.font.size = Pt(28)
        run.font.bold = True
        run.font.color.rgb = _rgb(INK)


def _footer(slide: Slide, geometry: SlideGeometry, words: DeckWords) -> None:
    margin = geometry.margin_in
    lines = [(words.source, 10.5, False, MUTED_INK)]
    lines.append((f"{words.exported} · {words.notice}" if words.notice else words.exported, 10.5, False, MUTED_INK))
    _text_box(slide, margin, SLIDE_HEIGHT_IN - 0.6, geometry.slide_width_in - 2 * margin, 0.45, lines,
              anchor=MSO_ANCHOR.BOTTOM)


def _flat_box(slide: Slide, left: float, top: float, width: float, height: float, fill: str) -> None:
    """A filled rectangle without outline or the theme's drop shadow."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(fill)
    shape.line.fill.background()
    shape.shadow.inherit = False


@dataclass(frozen=True)
class DeckWords:
    """Every sentence the deck repeats, built once."""

    plan_title: str
    subtitle: str
    source: str
    exported: str
    notice: str
    filter_text: str
    as_of: str

    @property
    def title_lines(self) -> list[str]:
        return [f"Briefing on {self.filter_text}", self.as_of, self.source, self.exported]


def deck_words(meta: PlanMeta, filter_text: str, export_date: dt.date | None) -> DeckWords:
    header = chart_header("", meta, filter_text, export_date)
    scope = filter_text.strip() or "all facilities"
    as_of = f"Data as of {long_date(meta.as_of)}" if meta.as_of else "Data date not recorded in the plan"
    return DeckWords(meta.title or "Untitled plan", header.subtitle, header.source, header.exported, header.notice,
                  scope, as_of)


def add_title_slide(deck: PresentationType, geometry: SlideGeometry, words: DeckWords) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    _set_title(slide, geometry, words.plan_title)
    title = slide.shapes.title
    assert title is not None
    title.top, title.height = Inches(1.6), Inches(2.2)
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(40)
    subtitle = slide.placeholders[1]
    subtitle._element.getparent().remove(subtitle._element)  # replaced by a box we control
    paragraphs = [(line, 18, False, MUTED_INK) for line in words.title_lines]
    if words.notice:
        paragraphs.append((words.notice, 18, True, INK))
    margin = geometry.margin_in
    _text_box(slide, margin, 4.0, geometry.slide_width_in - 2 * margin, 3.0, paragraphs)


def add_headline_slide(deck: PresentationType, geometry: SlideGeometry, words: DeckWords, figures: Headline) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _set_title(slide, geometry, HEADLINE_TITLE)
    margin = geometry.margin_in
    inner = geometry.slide_width_in - 2 * margin
    _text_box(slide, margin, TITLE_BAND_IN - 0.05, inner, 0.4, [(words.subtitle, geometry.subtitle_points, False, MUTED_INK)])
    columns = 3 if geometry.slide_width_in >= 12 else 2
    rows = -(-len(figures.figures) // columns)
    gap, top, bottom = 0.2, TITLE_BAND_IN + 0.5, SLIDE_HEIGHT_IN - 0.75
    tile_w = (inner - gap * (columns - 1)) / columns
    tile_h = (bottom - top - gap * (rows - 1)) / rows
    for index, figure in enumerate(figures.figures):
        left = margin + (index % columns) * (tile_w + gap)
        tile_top = top + (index // columns) * (tile_h + gap)
        _flat_box(slide, left, tile_top, tile_w, tile_h, TILE)
        _flat_box(slide, left, tile_top, 0.07, tile_h, BAND_COLOURS.get(figure.tone, AXIS))
        value_colour = BAND_COLOURS[figure.tone] if figure.tone == "Over" else INK
        _text_box(slide, left + 0.3, tile_top + 0.15, tile_w - 0.45, tile_h - 0.3, [
            (figure.value, 40, True, value_colour),
            (figure.label, 16, True, INK),
            (figure.detail, 13, False, FAINT_INK),
        ], anchor=MSO_ANCHOR.MIDDLE)
    _footer(slide, geometry, words)


def add_chart_slide(deck: PresentationType, geometry: SlideGeometry, title: str, picture: bytes, alt_text: str,
                     speaker_notes: Sequence[str]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _set_title(slide, geometry, title)
    shape = slide.shapes.add_picture(io.BytesIO(picture), Emu(0), Inches(TITLE_BAND_IN),
                                     Inches(geometry.slide_width_in), Inches(SLIDE_HEIGHT_IN - TITLE_BAND_IN))
    # Screen readers read the picture's description; presenters read the notes under the slide.
    shape._element.nvPicPr.cNvPr.set("descr", alt_text)
    slide.notes_slide.notes_text_frame.text = "\n".join(speaker_notes)


def add_table_slide(deck: PresentationType, geometry: SlideGeometry, words: DeckWords, rows: list[tuple[str, ...]],
                     summary: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _set_title(slide, geometry, TABLE_TITLE)
    margin = geometry.margin_in
    inner = geometry.slide_width_in - 2 * margin
    _text_box(slide, margin, TITLE_BAND_IN - 0.05, inner, 0.7,
              [(words.subtitle, geometry.subtitle_points, False, MUTED_INK), (summary, geometry.subtitle_points, False, INK)])
    _footer(slide, geometry, words)
    if not rows:
        return
    top, bottom = TITLE_BAND_IN + 0.85, SLIDE_HEIGHT_IN - 0.7
    row_height = min(0.42, (bottom - top) / (len(rows) + 1))
    shape = slide.shapes.add_table(len(rows) + 1, len(TABLE_HEADERS), Inches(margin), Inches(top), Inches(inner),
                                   Inches(row_height * (len(rows) + 1)))
    table = shape.table
    numbers = [1.25] * (len(TABLE_HEADERS) - 2)
    widths = [inner - 0.8 - sum(numbers), 0.8, *numbers]
    for index, width in enumerate(widths):
        table.columns[index].width = Inches(width)
    for row_index, cells in enumerate([TABLE_HEADERS, *rows]):
        table.rows[row_index].height = Inches(row_height)
        for column_index, text in enumerate(cells):
            cell = table.cell(row_index, column_index)
            cell.text = text
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(HEADER_FILL if row_index == 0 else TILE if row_index % 2 == 0 else BACKGROUND)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.LEFT if column_index <= 1 else PP_ALIGN.RIGHT
            for run in paragraph.runs:
                run.font.name = _FONT
                run.font.size = Pt(14)
                run.font.bold = row_index == 0
                run.font.color.rgb = _rgb(INK)


def table_summary(over_count: int, shown: int, known: int) -> str:
    if not over_count:
        return f"No facility is at or above 100% of capacity ({known:,} with population and capacity recorded)."
    listed = "all are listed" if shown == over_count else f"the {shown:,} most over are listed"
    return f"{over_count:,} of {known:,} facilities are at or above 100% of capacity; {listed}."
