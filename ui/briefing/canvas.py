"""The briefing page around a chart: title, subtitle, legend row, footer; and text helpers.

Everything is laid out from font metrics in output pixels, so the same code paints a PNG, an SVG
and a PDF page of any size without overlaps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen

from ui.briefing.style import AXIS, BACKGROUND, FAINT_INK, INK, MUTED_INK, BriefingStyle, colour


@dataclass(frozen=True)
class ChartHeader:
    """The words around a chart: what it is, which data, from where, when."""

    title: str
    subtitle: str
    source: str
    exported: str
    notice: str = ""


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    kind: str = "box"  # "box": filled swatch; "line": reference line; "stroke"/"dashed": a line series


@dataclass
class PageLayout:
    """Where the header, plot and footer went on one page."""

    width: float
    height: float
    plot: QRectF
    footer: QRectF
    note_lines: int = 0
    bands: dict[str, QRectF] = field(default_factory=dict)


def metrics(font: QFont) -> QFontMetricsF:
    return QFontMetricsF(font)


def text_width(font: QFont, text: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(text)


def elide(font: QFont, text: str, width: float) -> str:
    return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))


def wrap_lines(font: QFont, text: str, width: float, max_lines: int) -> list[str]:
    """Word-wrap ``text`` to ``width``; the last allowed line is elided if words remain."""
    fm = QFontMetricsF(font)
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if fm.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[index:])
            break
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
    return [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


def draw_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    ink: str = INK,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
) -> None:
    painter.setFont(font)
    painter.setPen(QPen(colour(ink)))
    painter.drawText(rect, int(align), text)


def draw_rotated_text(painter: QPainter, centre: QPointF, text: str, font: QFont, ink: str = INK) -> None:
    """Text reading bottom-to-top, centred on ``centre`` (vertical axis titles)."""
    fm = QFontMetricsF(font)
    width = fm.horizontalAdvance(text)
    painter.save()
    painter.translate(centre)
    painter.rotate(-90)
    draw_text(painter, QRectF(-width / 2, -fm.height() / 2, width + 1, fm.height()), text, font, ink,
              Qt.AlignmentFlag.AlignCenter)
    painter.restore()


def reference_pen(style: BriefingStyle) -> QPen:
    """The dashed dark line marking 100% of capacity, in the chart and in its legend."""
    pen = QPen(colour(INK), max(1.0, style.px(3.5)))
    pen.setDashPattern([2.0, 1.5])
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def fit_font(font: QFont, texts: Sequence[str], width: float, smallest: float = 0.75) -> QFont:
    """``font``, shrunk (down to ``smallest`` of its size) until the widest of ``texts`` fits ``width``."""
    widest = max((text_width(font, text) for text in texts), default=0.0)
    if widest <= width or widest == 0:
        return font
    fitted = QFont(font)
    fitted.setPixelSize(max(6, math.floor(font.pixelSize() * max(smallest, width / widest))))
    return fitted


def legend_height(style: BriefingStyle, width: float, items: Sequence[LegendItem]) -> float:
    return draw_legend(None, style, QPointF(0, 0), width, items)


def draw_legend(painter: QPainter | None, style: BriefingStyle, origin: QPointF, width: float,
                items: Sequence[LegendItem]) -> float:
    """Draw items left to right, wrapping (measure only when ``painter`` is None); returns the height."""
    font = style.legend_font
    fm = metrics(font)
    line_height = fm.height() * 1.3
    swatch = fm.height() * 0.8
    x, y = origin.x(), origin.y()
    for item in items:
        item_width = swatch + style.px(10) + fm.horizontalAdvance(item.label)
        if x > origin.x() and x + item_width > origin.x() + width:
            x = origin.x()
            y += line_height
        box = QRectF(x, y + (line_height - swatch) / 2, swatch, swatch)
        label_rect = QRectF(box.right() + style.px(10), y, fm.horizontalAdvance(item.label) + 2, line_height)
        x = label_rect.right() + style.px(36)
        if painter is None:
            continue
        if item.kind == "line":
            painter.setPen(reference_pen(style))
            painter.drawLine(QPointF(box.center().x(), y), QPointF(box.center().x(), y + line_height))
        elif item.kind in ("stroke", "dashed"):
            # A line series: a short horizontal stroke in the series' colour and dash.
            pen = QPen(colour(item.colour), style.px(4))
            pen.setStyle(Qt.PenStyle.DashLine if item.kind == "dashed" else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(colour(item.colour)))
            painter.drawRect(box)
        draw_text(painter, label_rect, item.label, font, INK)
    return y + line_height - origin.y()


def footer_line_height(style: BriefingStyle) -> float:
    return metrics(style.footer_font).height() * 1.15


def wrap_notes(style: BriefingStyle, notes: Sequence[str], width: float) -> list[str]:
    """Footer notes wrapped to the page width (each note at most three lines)."""
    return [line for note in notes if note for line in wrap_lines(style.footer_font, note, width, 3)]


def _source_lines(style: BriefingStyle, header: ChartHeader, width: float) -> list[str]:
    """The source, wrapped to at most two lines beside the right-aligned export date."""
    room = width - text_width(style.footer_font, header.exported) - style.px(40)
    return wrap_lines(style.footer_font, header.source, room, 2)


def layout_page(
    width: float,
    height: float,
    style: BriefingStyle,
    header: ChartHeader,
    legend: Sequence[LegendItem] = (),
    note_lines: int = 0,
    show_title: bool = True,
) -> PageLayout:
    """Where title, subtitle, legend, plot and footer go; nothing is painted."""
    margin = style.margin
    inner = width - 2 * margin
    # Without a title the page sits under a slide's own title: start near the top edge.
    y = margin * 0.8 if show_title else margin * 0.3
    bands: dict[str, QRectF] = {}
    if show_title:
        line = metrics(style.title_font).height()
        bands["title"] = QRectF(margin, y, inner, line)
        y += line + style.px(4)
    line = metrics(style.subtitle_font).height()
    lines = len(wrap_lines(style.subtitle_font, header.subtitle, inner, 2))
    bands["subtitle"] = QRectF(margin, y, inner, line * lines)
    y += line * lines + style.gap
    if legend:
        used = legend_height(style, inner, legend)
        bands["legend"] = QRectF(margin, y, inner, used)
        y += used + style.gap * 0.5
    footer_lines = note_lines + len(_source_lines(style, header, inner)) + (1 if header.notice else 0)
    footer_height = footer_line_height(style) * footer_lines
    footer_top = height - margin * 0.6 - footer_height
    plot = QRectF(margin, y + style.gap * 0.5, inner, max(1.0, footer_top - style.gap * 1.5 - y - style.gap * 0.5))
    footer = QRectF(margin, footer_top, inner, footer_height)
    bands["footer"] = footer
    return PageLayout(width, height, plot, footer, note_lines, bands)


def paint_header(painter: QPainter, style: BriefingStyle, layout: PageLayout, header: ChartHeader,
                 legend: Sequence[LegendItem] = ()) -> None:
    """White page, title, subtitle, legend and the rule above the footer."""
    painter.fillRect(QRectF(0, 0, layout.width, layout.height), QColor(BACKGROUND))
    title = layout.bands.get("title")
    if title is not None:
        font = style.title_font
        draw_text(painter, title, elide(font, header.title, title.width()), font, INK)
    subtitle = layout.bands["subtitle"]
    font = style.subtitle_font
    line = metrics(font).height()
    for index, text in enumerate(wrap_lines(font, header.subtitle, subtitle.width(), 2)):
        draw_text(painter, QRectF(subtitle.left(), subtitle.top() + index * line, subtitle.width(), line), text, font,
                  MUTED_INK)
    if legend and "legend" in layout.bands:
        band = layout.bands["legend"]
        draw_legend(painter, style, band.topLeft(), band.width(), legend)
    rule_y = layout.footer.top() - style.gap * 0.5
    painter.setPen(QPen(QColor(AXIS), max(1.0, style.px(1.5))))
    painter.drawLine(QPointF(layout.footer.left(), rule_y), QPointF(layout.footer.right(), rule_y))


def paint_footer(painter: QPainter, style: BriefingStyle, layout: PageLayout, header: ChartHeader,
                 notes: Sequence[str]) -> None:
    """Notes, the demonstration notice, then source (left) and export date (right)."""
    font = style.footer_font
    line = footer_line_height(style)
    rect = layout.footer
    y = rect.top()
    for note in list(notes)[: layout.note_lines]:
        draw_text(painter, QRectF(rect.left(), y, rect.width(), line), elide(font, note, rect.width()), font, FAINT_INK)
        y += line
    y = rect.top() + line * layout.note_lines
    if header.notice:
        bold = QFont(font)
        bold.setBold(True)
        draw_text(painter, QRectF(rect.left(), y, rect.width(), line), elide(bold, header.notice, rect.width()),
                  bold, MUTED_INK)
        y += line
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    exported_width = text_width(font, header.exported) + style.px(4)
    draw_text(painter, QRectF(rect.right() - exported_width, y, exported_width, line), header.exported, font,
              MUTED_INK, right)
    for text in _source_lines(style, header, rect.width()):
        draw_text(painter, QRectF(rect.left(), y, rect.width() - exported_width, line), text, font, MUTED_INK)
        y += line
