"""The briefing deck read back: slides, titles, pictures, table cells; the PDF's pages; cancelling."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pptx import Presentation
from PySide6.QtGui import QImage

from models.facility_plan import FacilityPlan
from tests.ui.briefing.conftest import colour_count, pixels
from ui.briefing import DECK_CHARTS, BriefingCancelled, BriefingError, ExportSize, spec_named, write_deck
from ui.briefing.chart_data import TABLE_HEADERS, headline, over_capacity_rows
from ui.briefing.deck import HEADLINE_TITLE, TABLE_TITLE
from ui.briefing.style import BAND_COLOURS

EXPORTED = dt.date(2025, 2, 4)


def _texts(slide: object) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]  # type: ignore[attr-defined]


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.fixture
def deck(qapp, tmp_path: Path, demo_plan: FacilityPlan) -> tuple[Path, Path]:
    pptx, pdf = tmp_path / "brief.pptx", tmp_path / "brief.pdf"
    result = write_deck(pptx, pdf, demo_plan.frame, demo_plan.meta, DECK_CHARTS, "", export_date=EXPORTED, plan=demo_plan)
    assert result.pptx == pptx and result.pdf == pdf and result.slides == 3 + len(DECK_CHARTS)
    return pptx, pdf


def test_deck_has_title_headline_chart_and_table_slides(deck: tuple[Path, Path], demo_plan: FacilityPlan) -> None:
    presentation = Presentation(str(deck[0]))
    assert abs(presentation.slide_width - 12192000) < 1000  # 16:9, 13.33 inches
    assert presentation.slide_height == 6858000
    titles = [slide.shapes.title.text for slide in presentation.slides]
    expected = [demo_plan.meta.title, HEADLINE_TITLE, *(spec_named(name).title for name in DECK_CHARTS), TABLE_TITLE]
    assert titles == expected
    title_text = " ".join(_texts(presentation.slides[0]))
    assert "as of 3 February 2025" in title_text and "Exported 4 February 2025" in title_text
    assert "fictional" in title_text


def test_headline_slide_has_native_editable_figures(deck: tuple[Path, Path], demo_plan: FacilityPlan) -> None:
    slide = Presentation(str(deck[0])).slides[1]
    text = "\n".join(_texts(slide))
    for figure in headline(demo_plan.frame).figures:
        assert figure.value in text and figure.label in text


def test_chart_slides_hold_one_picture_rendered_at_slide_pixels(deck: tuple[Path, Path]) -> None:
    presentation = Presentation(str(deck[0]))
    for slide, name in zip(list(presentation.slides)[2:2 + len(DECK_CHARTS)], DECK_CHARTS, strict=True):
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.image.content_type == "image/png"
        image = QImage.fromData(picture.image.blob)
        # The picture fills the slide below its 1.1-inch title band at 144 pixels per inch.
        assert (image.width(), image.height()) == (1920, round(1080 * (7.5 - 1.1) / 7.5))
        assert picture.width == presentation.slide_width
        assert abs(picture.width / picture.height - image.width() / image.height()) < 0.01
        assert spec_named(name).title in picture._element.nvPicPr.cNvPr.get("descr")
        speaker = slide.notes_slide.notes_text_frame.text
        assert "Source: Bedplan built-in demonstration data" in speaker
        assert ("Capacity: operational beds" in speaker or "Capacity is operational beds" in speaker
                or "Operational beds are usable beds" in speaker or "Back under operational capacity" in speaker)
    facilities = QImage.fromData(next(s for s in presentation.slides[2].shapes if s.shape_type == 13).image.blob)
    assert colour_count(pixels(facilities), BAND_COLOURS["Over"]) > 5000


def test_table_slide_lists_the_facilities_most_over_capacity(deck: tuple[Path, Path], demo_plan: FacilityPlan) -> None:
    slide = Presentation(str(deck[0])).slides[2 + len(DECK_CHARTS)]
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0]
    rows, over_count = over_capacity_rows(demo_plan.frame, 10)
    assert len(table.rows) == len(rows) + 1
    assert [cell.text for cell in table.rows[0].cells] == list(TABLE_HEADERS)
    assert [cell.text for cell in table.rows[1].cells] == list(rows[0])
    assert f"{over_count:,} of" in " ".join(_texts(slide))


def test_pdf_has_the_same_pages(deck: tuple[Path, Path]) -> None:
    data = deck[1].read_bytes()
    assert data.startswith(b"%PDF")
    assert _page_count(data) == 3 + len(DECK_CHARTS)


def test_chosen_charts_only_and_png_folder(qapp, tmp_path: Path, small_plan: FacilityPlan) -> None:
    result = write_deck(tmp_path / "two.pptx", None, small_plan.frame, small_plan.meta, ["states"],
                        "2 of 5 facilities: state = TX", size=ExportSize(1024, 768), png_dir=tmp_path / "pictures")
    presentation = Presentation(str(tmp_path / "two.pptx"))
    assert len(presentation.slides) == 4
    assert presentation.slide_width == 9144000  # a 4:3 size makes a 10-inch-wide deck
    assert [path.name for path in result.pngs] == ["01_headline.png", "02_states.png"]
    for path in result.pngs:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1024, 768)
    assert not (tmp_path / "two.pdf").exists()


def test_pdf_only_deck(qapp, tmp_path: Path, small_plan: FacilityPlan) -> None:
    result = write_deck(None, tmp_path / "only.pdf", small_plan.frame, small_plan.meta, ["facilities", "utilization"])
    assert result.pptx is None
    assert _page_count((tmp_path / "only.pdf").read_bytes()) == 5


def test_plan_without_over_capacity_says_so(qapp, tmp_path: Path, small_plan: FacilityPlan) -> None:
    calm = small_plan.frame.iloc[[1, 2]]
    write_deck(tmp_path / "calm.pptx", None, calm, small_plan.meta, ["facilities"])
    slide = Presentation(str(tmp_path / "calm.pptx")).slides[-1]
    assert not any(shape.has_table for shape in slide.shapes)
    assert any("No facility is at or above 100% of capacity" in text for text in _texts(slide))


def test_progress_reports_every_step_and_cancel_writes_nothing(qapp, tmp_path: Path, small_plan: FacilityPlan) -> None:
    seen: list[tuple[int, int, str]] = []

    def record(done: int, total: int, label: str) -> bool:
        seen.append((done, total, label))
        return True

    write_deck(tmp_path / "a.pptx", tmp_path / "a.pdf", small_plan.frame, small_plan.meta, progress=record)
    assert [done for done, _, _ in seen] == list(range(len(seen)))
    assert seen[-1][0] == seen[-1][1]

    def cancel_late(done: int, total: int, label: str) -> bool:
        return done < total - 1

    with pytest.raises(BriefingCancelled):
        write_deck(tmp_path / "b.pptx", tmp_path / "b.pdf", small_plan.frame, small_plan.meta,
                   png_dir=tmp_path / "b_pictures", progress=cancel_late)
    assert not (tmp_path / "b.pptx").exists() and not (tmp_path / "b.pdf").exists()
    assert not (tmp_path / "b_pictures").exists()


def test_deck_errors_are_specific(qapp, tmp_path: Path, small_plan: FacilityPlan) -> None:
    with pytest.raises(BriefingError, match="Choose where to write"):
        write_deck(None, None, small_plan.frame, small_plan.meta)
    with pytest.raises(BriefingError, match="no briefing chart called 'map'"):
        write_deck(tmp_path / "x.pptx", None, small_plan.frame, small_plan.meta, ["map"])
    with pytest.raises(BriefingError, match="does not exist"):
        write_deck(tmp_path / "nowhere" / "x.pptx", None, small_plan.frame, small_plan.meta)
