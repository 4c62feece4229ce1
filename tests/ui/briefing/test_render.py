"""Briefing charts render at exactly the requested size, in briefing style, to PNG, SVG and PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from PySide6.QtGui import QGuiApplication, QImage

from models.facility_plan import FacilityPlan, PlanMeta
from tests.ui.briefing.conftest import colour_count, dark_count, pixels
from ui.briefing import (
    SPEC_NAMES,
    BriefingError,
    ExportSize,
    copy_chart_to_clipboard,
    export_chart,
    parse_size,
    render_chart,
    spec_named,
)
from ui.briefing.canvas import layout_page
from ui.briefing.render import chart_header
from ui.briefing.style import BAND_COLOURS, BriefingStyle

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (777, 1333), (2400, 600)]
EXPORTED = dt.date(2025, 2, 4)


def _layout(spec_name: str, width: int, height: int, meta: PlanMeta, filter_text: str = "") -> object:
    style = BriefingStyle.for_size(width, height)
    header = chart_header(spec_named(spec_name).title, meta, filter_text, EXPORTED)
    return style, layout_page(width, height, style, header, spec_named(spec_name).legend, 1)


@pytest.mark.parametrize("spec_name", SPEC_NAMES)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_chart_has_exact_size_title_and_ink(qapp, demo_plan: FacilityPlan, spec_name: str, width: int,
                                                 height: int) -> None:
    image = render_chart(spec_name, demo_plan.frame, demo_plan.meta, (width, height), export_date=EXPORTED,
                         plan=demo_plan)
    assert (image.width(), image.height()) == (width, height)
    array = pixels(image)
    assert (array.min(axis=-1) < 250).mean() > 0.02, "image is (almost) blank"
    assert tuple(array[2, 2]) == (255, 255, 255), "briefing background is white"
    style, layout = _layout(spec_name, width, height, demo_plan.meta)
    title = layout.bands["title"]
    band = array[int(title.top()) : int(title.bottom()), int(title.left()) : int(title.right())]
    assert dark_count(band) > 50 * style.scale, "no title text in the title band"
    # Text begins at the left margin: a regression to a scaled or letter-boxed picture moves it.
    first_ink = int((band.max(axis=-1) < 90).any(axis=0).argmax())
    # A glyph's side bearing depends on the font the system substitutes; letter-boxing moves it far more.
    assert first_ink <= style.margin * 0.25


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_footer_export_date_ends_at_the_right_margin(qapp, demo_plan: FacilityPlan, width: int, height: int) -> None:
    image = render_chart("states", demo_plan.frame, demo_plan.meta, (width, height), export_date=EXPORTED)
    array = pixels(image)
    style = BriefingStyle.for_size(width, height)
    footer = array[int(height * 0.7) :, :]
    inked_columns = (footer.max(axis=-1) < 130).any(axis=0).nonzero()[0]
    assert width - style.margin - style.px(30) <= inked_columns.max() <= width - style.margin + 2


def test_facility_bars_are_coloured_by_band(qapp, small_plan: FacilityPlan) -> None:
    array = pixels(render_chart("facilities", small_plan.frame, small_plan.meta, (1280, 720)))
    for band in ("Over", "Near", "OK"):
        assert colour_count(array, BAND_COLOURS[band]) > 500, band


def test_subset_frame_shows_only_its_facilities(qapp, small_plan: FacilityPlan) -> None:
    over_only = small_plan.frame.iloc[[0]]
    array = pixels(render_chart("facilities", over_only, small_plan.meta, (1280, 720), "1 of 5 facilities: state = TX"))
    legend_free = array[int(720 * 0.25) :]
    assert colour_count(legend_free, BAND_COLOURS["Over"]) > 500
    assert colour_count(legend_free, BAND_COLOURS["Near"]) == 0


def test_filter_text_changes_only_the_subtitle_band(qapp, small_plan: FacilityPlan) -> None:
    plain = pixels(render_chart("headline", small_plan.frame, small_plan.meta, (1280, 720), export_date=EXPORTED))
    filtered = pixels(render_chart("headline", small_plan.frame, small_plan.meta, (1280, 720),
                                   "2 of 5 facilities: state = TX", export_date=EXPORTED))
    _, layout = _layout("headline", 1280, 720, small_plan.meta)
    subtitle = layout.bands["subtitle"]
    rows = (plain != filtered).any(axis=(1, 2)).nonzero()[0]
    assert len(rows) and subtitle.top() - 1 <= rows.min() and rows.max() <= subtitle.bottom() + 1


def test_style_scales_type_with_the_output(qapp, demo_plan: FacilityPlan) -> None:
    large = BriefingStyle.for_size(1920, 1080)
    small = BriefingStyle.for_size(1280, 720)
    assert large.tick_font.pixelSize() == 32
    assert small.tick_font.pixelSize() == round(32 * 720 / 1080)
    assert large.title_font.pixelSize() > large.subtitle_font.pixelSize() > large.footer_font.pixelSize()


def test_empty_plan_renders_every_chart_with_a_message(qapp) -> None:
    empty = FacilityPlan()
    for name in SPEC_NAMES:
        image = render_chart(name, empty.frame, empty.meta, (1024, 768))
        assert image.size().width() == 1024
        assert dark_count(pixels(image)) > 500


def test_dpi_is_written_into_the_image(qapp, small_plan: FacilityPlan) -> None:
    image = render_chart("utilization", small_plan.frame, small_plan.meta, ExportSize(1200, 900, 300))
    assert image.dotsPerMeterX() == round(300 / 0.0254)


def test_png_export_round_trips_at_exact_size(qapp, tmp_path: Path, demo_plan: FacilityPlan) -> None:
    path = export_chart(tmp_path / "chart.png", "facilities", demo_plan.frame, demo_plan.meta, (1280, 720))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 720)
    assert colour_count(pixels(image), BAND_COLOURS["Over"]) > 1000
    assert [item.name for item in tmp_path.iterdir()] == ["chart.png"], "temporary file left behind"


def test_svg_export_parses_with_size_viewbox_and_text(qapp, tmp_path: Path, demo_plan: FacilityPlan) -> None:
    path = export_chart(tmp_path / "chart.svg", "states", demo_plan.frame, demo_plan.meta, ExportSize(1920, 1080, 144))
    root = SafeET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert root.get("viewBox") == "0 0 1920 1080"
    assert float(re.sub(r"[a-z]+$", "", root.get("width", ""))) == pytest.approx(1920 / 144 * 25.4, rel=0.01)
    text = "".join(root.itertext())
    assert spec_named("states").title in text
    assert "Demonstration plan" in text
    # One family a reader can find ("Sans Serif" is only the unused default of the outer group).
    assert set(re.findall(r'font-family="([^"]*)"', path.read_text())) <= {"Arial", "Sans Serif"}


def test_svg_draws_like_the_png(qapp, tmp_path: Path, demo_plan: FacilityPlan) -> None:
    """Qt's own SVG renderer must lay the text out as the PNG does (same font, same positions)."""
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer

    path = export_chart(tmp_path / "chart.svg", "facilities", demo_plan.frame, demo_plan.meta, (1280, 720))
    drawn = QImage(1280, 720, QImage.Format.Format_RGB32)
    drawn.fill(0xFFFFFF)
    painter = QPainter(drawn)
    QSvgRenderer(str(path)).render(painter)
    painter.end()
    svg = pixels(drawn).astype(int)
    png = pixels(render_chart("facilities", demo_plan.frame, demo_plan.meta, (1280, 720))).astype(int)
    differs = (abs(svg - png).max(axis=-1) > 60).mean()
    assert differs < 0.01, f"{differs:.1%} of pixels differ between the SVG and the PNG"


def test_pdf_export_is_one_page_of_the_requested_size(qapp, tmp_path: Path, demo_plan: FacilityPlan) -> None:
    path = export_chart(tmp_path / "chart.pdf", "utilization", demo_plan.frame, demo_plan.meta, ExportSize(1920, 1080, 144))
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", data)
    assert box is not None
    assert float(box.group(3)) == pytest.approx(960, abs=1)  # 1920 px at 144 DPI = 13.33 in = 960 pt
    assert float(box.group(4)) == pytest.approx(540, abs=1)


def test_copy_chart_puts_the_image_on_the_clipboard(qapp, small_plan: FacilityPlan) -> None:
    image = render_chart("facilities", small_plan.frame, small_plan.meta, (1280, 720))
    copy_chart_to_clipboard(image)
    pasted = QGuiApplication.clipboard().image()
    assert (pasted.width(), pasted.height()) == (1280, 720)
    assert pasted.convertToFormat(QImage.Format.Format_ARGB32) == image.convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize("spec_name", SPEC_NAMES)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_legend_and_footer_never_overlap_the_plot(qapp, demo_plan: FacilityPlan, spec_name: str, width: int,
                                                  height: int) -> None:
    _, layout = _layout(spec_name, width, height, demo_plan.meta, "42 of 120 facilities: status = operational")
    plot, bands = layout.plot, layout.bands
    assert plot.height() > height * 0.3, "the plot must keep a fair share of the page"
    assert bands["subtitle"].bottom() <= plot.top()
    if "legend" in bands:
        assert bands["legend"].bottom() <= plot.top()
    assert plot.bottom() < bands["footer"].top() <= bands["footer"].bottom() <= height
    assert plot.left() >= 0 and plot.right() <= width


def test_user_errors_are_specific(qapp, tmp_path: Path, small_plan: FacilityPlan) -> None:
    with pytest.raises(BriefingError, match=r"\.png, \.svg or \.pdf"):
        export_chart(tmp_path / "chart.gif", "facilities", small_plan.frame, small_plan.meta)
    with pytest.raises(BriefingError, match=r"no briefing chart called 'pie'.*facilities"):
        render_chart("pie", small_plan.frame, small_plan.meta)
    with pytest.raises(BriefingError, match="width must be between 200 and 10,000"):
        ExportSize(50, 1080)
    with pytest.raises(BriefingError, match=r"folder .* does not exist"):
        export_chart(tmp_path / "missing" / "chart.png", "facilities", small_plan.frame, small_plan.meta)


def test_parse_size_accepts_common_spellings() -> None:
    assert parse_size("1920x1080") == ExportSize(1920, 1080)
    assert parse_size("1024 × 768", dpi=96) == ExportSize(1024, 768, 96)
    with pytest.raises(BriefingError, match="WIDTHxHEIGHT"):
        parse_size("1920by1080")
