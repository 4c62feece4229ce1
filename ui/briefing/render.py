"""Render a briefing chart at an exact pixel size to a QImage, PNG, SVG or PDF, or the clipboard.

All outputs go through one ``paint_chart`` on a QPainter, so they agree with each other; the
target's pixel size is never derived from a widget.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QSize, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from models.facility_plan import FacilityPlan, PlanMeta
from ui.briefing.canvas import ChartHeader, layout_page, paint_footer, paint_header, wrap_notes
from ui.briefing.specs import DEFAULT_TOP_N, BriefingError, ChartSpec, spec_named
from ui.briefing.style import FONT_FAMILIES, BriefingStyle

#: Slide sizes offered by the export dialog and the command line.
SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "Slide 16:9, full HD (1920 × 1080)": (1920, 1080),
    "Slide 16:9, HD (1280 × 720)": (1280, 720),
    "Slide 4:3 (1024 × 768)": (1024, 768),
}
#: 1920 px across a 13.33 in wide slide: pictures pasted into PowerPoint land at slide width.
DEFAULT_DPI = 144
MIN_SIDE, MAX_SIDE = 200, 10_000
FORMATS = ("png", "svg", "pdf")
#: Qt maps PNG "quality" q to zlib level (100 - q) * 9 // 91: 80 is level 1, about two thirds of
#: the default's time and no larger for flat charts; 90 and above would mean no compression at all.
_PNG_QUALITY = 80


@dataclass(frozen=True)
class ExportSize:
    """Output size in pixels and the resolution written into the file (pixels per inch)."""

    width: int
    height: int
    dpi: int = DEFAULT_DPI

    def __post_init__(self) -> None:
        for label, value in (("width", self.width), ("height", self.height)):
            if not MIN_SIDE <= value <= MAX_SIDE:
                raise BriefingError(
                    f"Chart {label} must be between {MIN_SIDE:,} and {MAX_SIDE:,} pixels; got {value:,}"
                )
        if not 36 <= self.dpi <= 1200:
            raise BriefingError(f"Resolution must be between 36 and 1,200 DPI; got {self.dpi:,}")


def parse_size(text: str, dpi: int = DEFAULT_DPI) -> ExportSize:
    """'1920x1080' (or '1920×1080', '1920 X 1080') as an ExportSize; BriefingError if malformed."""
    cleaned = text.lower().replace("×", "x").replace(" ", "")
    parts = cleaned.split("x")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise BriefingError(f"Size must be WIDTHxHEIGHT in pixels, such as 1920x1080; got {text!r}")
    return ExportSize(int(parts[0]), int(parts[1]), dpi)


def as_export_size(size: ExportSize | tuple[int, int] | QSize) -> ExportSize:
    if isinstance(size, ExportSize):
        return size
    if isinstance(size, QSize):
        return ExportSize(size.width(), size.height())
    return ExportSize(int(size[0]), int(size[1]))


def long_date(day: dt.date) -> str:
    """3 February 2025 (no platform-specific strftime flags)."""
    return f"{day.day} {day:%B %Y}"


def chart_header(title: str, meta: PlanMeta, filter_text: str = "", export_date: dt.date | None = None) -> ChartHeader:
    """Title, subtitle (plan, filter, as-of date), source and export line of a chart or slide."""
    parts = [meta.title or "Untitled plan", filter_text.strip() or "All facilities"]
    if meta.as_of is not None:
        parts.append(f"as of {long_date(meta.as_of)}")
    exported = export_date or dt.date.today()
    return ChartHeader(
        title=title,
        subtitle=" · ".join(parts),
        source=f"Source: {meta.source}" if meta.source.strip() else "Source: not recorded in the plan",
        exported=f"Exported {long_date(exported)} with Bedplan",
        notice="Demonstration data: every facility is fictional." if meta.demonstration else "",
    )


def paint_chart(
    painter: QPainter,
    width: float,
    height: float,
    spec: ChartSpec,
    frame: pd.DataFrame,
    header: ChartHeader,
    *,
    top_n: int | None = DEFAULT_TOP_N,
    show_title: bool = True,
    scale: float | None = None,
    plan: FacilityPlan | None = None,
) -> list[str]:
    """Paint one whole chart page into (0, 0, width, height) of ``painter``'s coordinates; returns
    the footer notes (what was left out, which capacity was used) for speaker notes."""
    style = BriefingStyle.for_size(round(width), round(height), scale)
    if spec.build_plan is not None:
        # Given only facilities, a scenario chart says the plan has no scenario tables.
        data = spec.build_plan(plan if plan is not None else FacilityPlan(frame))
    else:
        data = spec.build(frame, top_n)
    inner = width - 2 * style.margin
    note_lines = 2
    # Notes that count what fits depend on the plot's height, which depends on the notes' lines:
    # settle in a few rounds (it takes one or two in practice).
    for _ in range(3):
        layout = layout_page(width, height, style, header, spec.legend, note_lines, show_title)
        notes = spec.notes(style, layout.plot, data)
        wrapped = wrap_notes(style, notes, inner)
        if len(wrapped) == note_lines:
            break
        note_lines = len(wrapped)
    layout = layout_page(width, height, style, header, spec.legend, len(wrapped), show_title)
    paint_header(painter, style, layout, header, spec.legend)
    spec.paint(painter, style, layout.plot, data)
    paint_footer(painter, style, layout, header, wrap_notes(style, spec.notes(style, layout.plot, data), inner))
    return notes


def _painter_on(device: QImage | QSvgGenerator | QPdfWriter) -> QPainter:
    painter = QPainter()
    if not painter.begin(device):
        raise BriefingError("Qt could not start drawing the chart (no graphics support in this session)")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    return painter


def _ensure_gui() -> None:
    if QGuiApplication.instance() is None:
        raise BriefingError(
            "Briefing charts need a running Qt application; create QApplication first "
            "(the command line does: python main.py briefing …)"
        )


Painter = Callable[[QPainter, float, float], None]


def image_of(paint: Painter, size: ExportSize) -> QImage:
    _ensure_gui()
    image = QImage(size.width, size.height, QImage.Format.Format_RGB32)
    dots_per_metre = round(size.dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = _painter_on(image)
    try:
        paint(painter, float(size.width), float(size.height))
    finally:
        painter.end()
    return image


def svg_of(paint: Painter, size: ExportSize, title: str) -> bytes:
    _ensure_gui()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(size.width, size.height))
    generator.setViewBox(QRect(0, 0, size.width, size.height))
    generator.setResolution(size.dpi)
    generator.setTitle(title)
    generator.setDescription("Exported by Bedplan")
    painter = _painter_on(generator)
    try:
        paint(painter, float(size.width), float(size.height))
    finally:
        painter.end()
    # Qt writes the whole fallback list as one attribute; Qt's own SVG renderer (and other SVG
    # Tiny readers) take it as a single unknown name. Arial alone is found or aliased everywhere.
    listed = f'font-family="{",".join(FONT_FAMILIES)}"'.encode()
    return bytes(buffer.data().data()).replace(listed, f'font-family="{FONT_FAMILIES[0]}"'.encode())


def pdf_writer(buffer: QBuffer, size: ExportSize, title: str) -> QPdfWriter:
    """A PDF writer whose pages measure ``size`` pixels at ``size.dpi``, without margins."""
    writer = QPdfWriter(buffer)
    writer.setResolution(size.dpi)
    writer.setTitle(title)
    writer.setCreator("Bedplan")
    points = QSizeF(size.width * 72 / size.dpi, size.height * 72 / size.dpi)
    page = QPageSize(points, QPageSize.Unit.Point, "Bedplan", QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    return writer


def begin_pdf_page(painter: QPainter, writer: QPdfWriter, size: ExportSize) -> None:
    """Map the page to ``size`` pixels so painters work in the same units as on an image."""
    painter.resetTransform()
    painter.scale(writer.width() / size.width, writer.height() / size.height)


def pdf_of(pages: list[Painter], size: ExportSize, title: str) -> bytes:
    _ensure_gui()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, size, title)
    painter = _painter_on(writer)
    try:
        for index, paint in enumerate(pages):
            if index:
                writer.newPage()
            begin_pdf_page(painter, writer, size)
            paint(painter, float(size.width), float(size.height))
    finally:
        painter.end()
    return bytes(buffer.data().data())


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs say bytes, but PySide6 6.11 accepts only str for the format here.
    if not image.save(buffer, "PNG", _PNG_QUALITY):  # type: ignore[call-overload]
        raise BriefingError("Qt could not encode the chart as PNG")
    return bytes(data.data())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to a temporary file beside ``path``, then rename it over ``path``."""
    folder = path.parent
    if not folder.is_dir():
        raise BriefingError(f"Cannot save {path.name}: the folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise BriefingError(f"Cannot save {path.name} in {folder}: {error.strerror}. Choose another folder") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        # mkstemp makes the file private (0600); an exported chart gets the usual permissions.
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise BriefingError(f"Cannot save {path}: {error.strerror}. Close it in other programs or choose another name") from None


def _chart_painter(spec: ChartSpec, frame: pd.DataFrame, header: ChartHeader, top_n: int | None,
                   plan: FacilityPlan | None = None) -> Painter:
    def paint(painter: QPainter, width: float, height: float) -> None:
        paint_chart(painter, width, height, spec, frame, header, top_n=top_n, plan=plan)

    return paint


def render_chart(
    spec_name: str,
    plan_frame: pd.DataFrame,
    meta: PlanMeta,
    size: ExportSize | tuple[int, int] | QSize = (1920, 1080),
    filter_text: str = "",
    *,
    top_n: int | None = DEFAULT_TOP_N,
    export_date: dt.date | None = None,
    plan: FacilityPlan | None = None,
) -> QImage:
    """The chart ``spec_name`` of ``plan_frame`` (the whole plan or a filtered subset) as an image
    of exactly ``size`` pixels. Scenario charts draw from ``plan``'s tables."""
    spec = spec_named(spec_name)
    target = as_export_size(size)
    header = chart_header(spec.title, meta, filter_text, export_date)
    return image_of(_chart_painter(spec, plan_frame, header, top_n, plan), target)


def export_chart(
    path: str | os.PathLike[str],
    spec_name: str,
    plan_frame: pd.DataFrame,
    meta: PlanMeta,
    size: ExportSize | tuple[int, int] | QSize = (1920, 1080),
    filter_text: str = "",
    *,
    top_n: int | None = DEFAULT_TOP_N,
    export_date: dt.date | None = None,
    plan: FacilityPlan | None = None,
) -> Path:
    """Save the chart to ``path`` as PNG, SVG or PDF (by its extension), atomically."""
    target_path = Path(path)
    kind = target_path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise BriefingError(
            f"Cannot export a chart as {target_path.name}: the name must end in .png, .svg or .pdf"
        )
    spec = spec_named(spec_name)
    target = as_export_size(size)
    header = chart_header(spec.title, meta, filter_text, export_date)
    paint = _chart_painter(spec, plan_frame, header, top_n, plan)
    if kind == "png":
        payload = png_bytes(image_of(paint, target))
    elif kind == "svg":
        payload = svg_of(paint, target, spec.title)
    else:
        payload = pdf_of([paint], target, spec.title)
    write_atomic(target_path, payload)
    return target_path


def copy_chart_to_clipboard(image: QImage) -> None:
    """Put ``image`` on the system clipboard, ready to paste into PowerPoint or Word.

    ``setImage`` lets Qt build the clipboard's mime data in C++; the platform clipboard offers it as PNG
    (X11, Windows, macOS) and as a bitmap. A QMimeData made in Python would be deleted by Qt's clipboard
    after the interpreter has finalised, which crashes the process at exit (seen with PySide6 6.11).
    """
    _ensure_gui()
    QGuiApplication.clipboard().setImage(image)
