"""Painted pages of the PDF briefing that are not charts: the title page and the table page."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from ui.briefing.canvas import (
    ChartHeader,
    draw_text,
    elide,
    fit_font,
    layout_page,
    metrics,
    paint_footer,
    paint_header,
    wrap_lines,
    wrap_notes,
)
from ui.briefing.style import AXIS, BACKGROUND, GRID, HEADER_FILL, INK, MUTED_INK, TILE, BriefingStyle, colour

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def paint_title_page(painter: QPainter, width: float, height: float, title: str, lines: Sequence[str],
                     notice: str = "", scale: float | None = None) -> None:
    """The deck's first page: the plan title large, then what, which data, when and from where."""
    style = BriefingStyle.for_size(round(width), round(height), scale)
    painter.fillRect(QRectF(0, 0, width, height), QColor(BACKGROUND))
    margin = style.margin * 2
    inner = width - 2 * margin
    painter.fillRect(QRectF(0, 0, style.px(24), height), colour(AXIS))
    font = style.font(72, bold=True)
    title_lines = wrap_lines(font, title, inner, 3)
    line = metrics(font).height()
    y = height * 0.3
    for text in title_lines:
        draw_text(painter, QRectF(margin, y, inner, line), text, font, INK)
        y += line
    y += style.gap * 2
    painter.setPen(QPen(colour(AXIS), max(1.0, style.px(2))))
    painter.drawLine(QPointF(margin, y), QPointF(margin + inner * 0.35, y))
    y += style.gap * 2
    body = style.subtitle_font
    body_line = metrics(body).height() * 1.25
    for text in lines:
        for wrapped in wrap_lines(body, text, inner, 2):
            draw_text(painter, QRectF(margin, y, inner, body_line), wrapped, body, MUTED_INK)
            y += body_line
    if notice:
        bold = QFont(body)
        bold.setBold(True)
        draw_text(painter, QRectF(margin, y + style.gap, inner, body_line), elide(bold, notice, inner), bold, INK)


def paint_table_page(
    painter: QPainter,
    width: float,
    height: float,
    header: ChartHeader,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    notes: Sequence[str],
    empty_message: str,
    scale: float | None = None,
) -> None:
    """A titled table with a bold header row, banded rows and right-aligned numbers."""
    style = BriefingStyle.for_size(round(width), round(height), scale)
    inner = width - 2 * style.margin
    wrapped = wrap_notes(style, notes, inner)
    layout = layout_page(width, height, style, header, (), len(wrapped))
    paint_header(painter, style, layout, header)
    paint_footer(painter, style, layout, header, wrapped)
    plot = layout.plot
    if not rows:
        draw_text(painter, plot, empty_message, style.axis_title_font, MUTED_INK, Qt.AlignmentFlag.AlignCenter)
        return
    row_height = min(plot.height() / (len(rows) + 1), metrics(style.tick_font).height() * 1.6)
    body = fit_font(style.tick_font, ["M"], row_height / 1.25)
    head = QFont(body)
    head.setBold(True)
    pad = style.px(16)
    # The first column takes what the numbers leave; numbers get the width of their widest cell.
    widths = [0.0] * len(columns)
    for index in range(1, len(columns)):
        cells = [columns[index], *(row[index] for row in rows)]
        widths[index] = max(metrics(head).horizontalAdvance(cell) for cell in cells) + 2 * pad
    widths[0] = max(plot.width() * 0.25, plot.width() - sum(widths[1:]))
    scale_down = min(1.0, plot.width() / sum(widths))
    widths = [item * scale_down for item in widths]
    y = plot.top()
    for row_index, cells in enumerate([list(columns), *(list(row) for row in rows)]):
        font = head if row_index == 0 else body
        if row_index == 0:
            painter.fillRect(QRectF(plot.left(), y, plot.width(), row_height), colour(HEADER_FILL))
        elif row_index % 2 == 0:
            painter.fillRect(QRectF(plot.left(), y, plot.width(), row_height), colour(TILE))
        x = plot.left()
        for column_index, cell in enumerate(cells):
            cell_rect = QRectF(x + pad, y, widths[column_index] - 2 * pad, row_height)
            align = _LEFT if column_index <= 1 else _RIGHT
            draw_text(painter, cell_rect, elide(font, cell, cell_rect.width()), font, INK, align)
            x += widths[column_index]
        y += row_height
    painter.setPen(QPen(colour(GRID), max(1.0, style.px(1.5))))
    painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
