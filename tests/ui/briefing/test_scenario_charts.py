"""Scenario charts in the briefing: their data, their pictures, and their place in the deck."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pptx import Presentation
from PySide6.QtGui import QImage

from models.facility_plan import FacilityPlan
from models.scenario_data import capacity_timeline, load, project_plan
from tests.ui.briefing.conftest import colour_count, dark_count, pixels
from ui.briefing import export_chart, render_chart, write_deck
from ui.briefing.scenario_charts import ACTUAL_COLOUR, SCENARIO_COLOURS, capacity_data, projection_data


def test_projection_data_is_the_model(demo_plan: FacilityPlan) -> None:
    chart = projection_data(demo_plan)
    expected = project_plan(demo_plan)
    by_label = {series.label: series for series in chart.series}
    for projection in expected:
        name = projection.scenario.name
        np.testing.assert_allclose(by_label[f"{name}: people held"].values, projection.population)
        np.testing.assert_allclose(by_label[f"{name}: operational beds"].values, projection.capacity["operational"])
    assert [name for name, _ in chart.key] == [p.scenario.name for p in expected]
    assert len(by_label["Actual people held"].values) == 90
    assert "Tent site on schedule: 3 March 2025" in chart.notes[0]
    assert "Tent site delayed four weeks: 7 April 2025 (after 2 separate periods over)" in chart.notes[0]
    assert "Status quo: 24,001" in chart.notes[1]


def test_capacity_data_is_the_model(demo_plan: FacilityPlan) -> None:
    chart = capacity_data(demo_plan)
    dates, lines = capacity_timeline(demo_plan, load(demo_plan))
    by_label = {series.label: series for series in chart.series}
    np.testing.assert_allclose(by_label["Operational beds"].values, lines["operational"])
    np.testing.assert_allclose(by_label["Rated beds"].values, lines["rated"])
    assert by_label["Operational beds"].dates[0] == dates[0]
    assert "All 8 planned capacity changes" in chart.notes[0]


def test_pictures_show_scenarios_and_actuals(qapp, demo_plan: FacilityPlan, tmp_path: Path) -> None:
    path = export_chart(tmp_path / "projection.png", "projection", demo_plan.frame, demo_plan.meta, (1600, 900),
                        plan=demo_plan)
    array = pixels(QImage(str(path)))
    assert array.shape[:2] == (900, 1600)
    for shade in (*SCENARIO_COLOURS[:3], ACTUAL_COLOUR):
        assert colour_count(array, shade) > 200, shade


def test_plan_without_tables_gets_a_message_and_no_deck_slides(qapp, small_plan: FacilityPlan, tmp_path: Path) -> None:
    assert "no scenarios" in projection_data(small_plan).message
    assert "no capacity changes" in capacity_data(small_plan).message
    image = render_chart("projection", small_plan.frame, small_plan.meta, (1024, 768), plan=small_plan)
    assert dark_count(pixels(image)) > 500
    result = write_deck(tmp_path / "deck.pptx", None, small_plan.frame, small_plan.meta,
                        ["states", "capacity", "projection"], plan=small_plan)
    assert len(Presentation(str(tmp_path / "deck.pptx")).slides) == result.slides == 4


def test_bad_tables_are_named_not_raised(demo_plan: FacilityPlan) -> None:
    demo_plan.extras["Scenarios"] = demo_plan.extras["Scenarios"].assign(**{"Horizon (days)": 999})
    assert "horizon must be 0 to 366 days" in projection_data(demo_plan).message


def test_scenario_key_goes_to_the_corner_without_data() -> None:
    import numpy as np
    from PySide6.QtCore import QRectF

    from ui.briefing.scenario_charts import place_key

    area = QRectF(0, 0, 1000, 500)
    xs = np.linspace(0, 1000, 400)
    empty = np.zeros((0, 2))
    assert place_key(area, 300, 100, 10, empty).topLeft().toTuple() == (10, 10)
    falling = np.column_stack((xs, 500 * xs / 1000))  # high on the left, low on the right
    box = place_key(area, 300, 100, 10, falling)
    assert box.topLeft().toTuple() == (690, 10)  # top right is clear
    # Data everywhere but the bottom left corner.
    grid = np.array([(x, y) for x in range(0, 1001, 20) for y in range(0, 501, 20) if not (x < 330 and y > 380)], dtype=float)
    assert place_key(area, 300, 100, 10, grid).topLeft().toTuple() == (10, 390)
