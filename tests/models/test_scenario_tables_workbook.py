"""Capacity changes, occupancy history and scenarios round-trip exactly through the plan workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from models.capacity_changes import CapacityChange
from models.demo import build_demo_plan
from models.scenario_data import SHEETS, ScenarioData, load, project_plan, store
from models.scenarios import FlowStep, Scenario
from models.workbook_io import plans_equal, read_plan, write_plan
from resources import resource_path


def assert_same(left: ScenarioData, right: ScenarioData) -> None:
    assert left.changes == right.changes and left.scenarios == right.scenarios
    pd.testing.assert_frame_equal(left.history, right.history, check_exact=True)


def test_demo_tables_round_trip(tmp_path: Path) -> None:
    plan = build_demo_plan()
    path = tmp_path / "plan.xlsx"
    write_plan(plan, path)
    again = read_plan(path)
    assert plans_equal(plan, again) is None
    for sheet in ("Capacity changes", "Occupancy history", "Scenarios"):
        pd.testing.assert_frame_equal(again.extras[sheet], plan.extras[sheet], check_exact=True)
    assert_same(load(again), load(plan))


def test_awkward_values_round_trip(tmp_path: Path) -> None:
    plan = build_demo_plan()
    data = load(plan)
    data = ScenarioData(
        changes=[*data.changes, CapacityChange("=C99", "DEMO-001", dt.date(2025, 12, 31), "add", -40, note="=SUM(A1)")],
        history=data.history,
        scenarios=[
            *data.scenarios,
            Scenario("+Weekly, growth", dt.date(2025, 2, 3), 0, 41_999.75, 1_400.5, 0, 0, -2.25, 1.5, "none",
                     "@note", (FlowStep(dt.date(2025, 2, 10), 1_500.0, None, 3.0),)),
        ],
    )
    store(plan, data)
    assert list(plan.extras)[-1] == "Scenario flows" and set(SHEETS) <= set(plan.extras)
    path = tmp_path / "plan.xlsx"
    write_plan(plan, path)
    again = read_plan(path)
    assert plans_equal(plan, again) is None
    assert_same(load(again), data)
    assert [p.results["rated"] for p in project_plan(again)] == [p.results["rated"] for p in project_plan(plan)]


def test_shipped_demo_carries_the_story() -> None:
    shipped = read_plan(resource_path("demo_plan.xlsx"))
    assert plans_equal(shipped, build_demo_plan()) is None
    projections = {p.scenario.name: p for p in project_plan(shipped)}
    quo, on_time, late = (projections[name].results["operational"] for name in
                          ("Status quo", "Tent site on schedule", "Tent site delayed four weeks"))
    assert quo.back_under is None and quo.peak_shortfall > 20_000
    assert on_time.back_under == dt.date(2025, 3, 3)
    # Delayed four weeks, it dips under on 31 March as the first phase opens, goes back over on
    # 4-6 April, and is under for good from 7 April: two separate periods over.
    assert late.back_under == dt.date(2025, 4, 7) and late.periods_over == 2
    assert on_time.periods_over == 1 and quo.periods_over == 1
    assert late.bed_days_over > 2 * on_time.bed_days_over


def test_facility_timeline_follows_its_changes() -> None:
    from models.scenario_data import facility_timeline

    plan = build_demo_plan()
    data = load(plan)
    dates, lines, history = facility_timeline(plan, data, "DEMO-901")
    start = dates[0]
    rated = dict(zip((dates - start).astype(int).tolist(), lines["rated"].tolist(), strict=True))
    day = (np.datetime64("2025-03-03") - start).astype(int)
    assert rated[int(day) - 1] == 0 and rated[int(day)] == 5_000 and rated[int(day) + 35] == 30_000
    assert lines["surge"][-1] == 32_000 and len(history) == 0
    # A facility without changes keeps its beds; history rows of that facility come along.
    data.history = pd.concat([data.history, pd.DataFrame({"Date": [pd.Timestamp("2025-01-10")], "Facility ID": ["DEMO-002"],
                                                          "Population": [80.0]}).astype(data.history.dtypes)])
    _, lines, history = facility_timeline(plan, data, "DEMO-002")
    assert set(lines["rated"].tolist()) == {68.0} and history.tolist() == [80.0]
