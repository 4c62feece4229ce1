"""Scenarios: validation, the inclusion syntax, and the two sheets' converters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from models.scenarios import (
    COLUMNS,
    FLOW_COLUMNS,
    FlowStep,
    Scenario,
    ScenarioError,
    parse_inclusion,
    scenarios_from_frames,
    scenarios_to_frames,
)

SCENARIOS = [
    Scenario("Status quo", dt.date(2025, 2, 3), 182, None, 1500, 700, 650, description="as today"),
    Scenario(
        "Weekly", dt.date(2025, 2, 3), 90, 42000.5, 1500, 700, 650, 2.5, 0.0, "C01 +4w; DEMO-902",
        schedule=(FlowStep(dt.date(2025, 2, 10), 1600, None, 700), FlowStep(dt.date(2025, 3, 3), None, 900, None)),
    ),
]


def test_round_trip_through_frames() -> None:
    main, flows = scenarios_to_frames(SCENARIOS)
    assert {k: str(v) for k, v in main.dtypes.items()} == COLUMNS
    assert {k: str(v) for k, v in flows.dtypes.items()} == FLOW_COLUMNS
    assert len(flows) == 2
    assert scenarios_from_frames(main, flows) == SCENARIOS


def test_inclusion_syntax() -> None:
    assert parse_inclusion("all").everything and parse_inclusion("").everything
    assert parse_inclusion("none").names == () and not parse_inclusion("none").everything
    assert parse_inclusion("C01 +4w; DEMO-902, C7+10d\nC8 + 3").names == (("C01", 28), ("DEMO-902", 0), ("C7", 10), ("C8", 3))
    with pytest.raises(ScenarioError, match="cannot read"):
        parse_inclusion("C01 +soon")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"horizon_days": 400}, "horizon must be 0 to 366 days; got 400"),
        ({"inflow": -5.0}, "book-ins per day must be 0"),
        ({"inflow_growth": -100.0}, "book-in growth must be above -100%"),
        ({"name": " "}, "needs a name"),
    ],
)
def test_bad_values(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        SCENARIOS[0].with_changes(**changes)


def test_bad_sheet_rows_named() -> None:
    main, flows = scenarios_to_frames(SCENARIOS)
    main["Book-ins per day"] = main["Book-ins per day"].astype(object)
    main.loc[1, "Book-ins per day"] = "lots"
    with pytest.raises(ScenarioError, match="sheet 'Scenarios', row 3, column Book-ins per day: 'lots' is not a number"):
        scenarios_from_frames(main, flows)
    main, flows = scenarios_to_frames(SCENARIOS)
    flows.loc[0, "Scenario"] = "Ghost"
    with pytest.raises(ScenarioError, match="weeks for 'Ghost', which is not a scenario"):
        scenarios_from_frames(main, flows)
    duplicate = pd.concat([main, main.iloc[:1]], ignore_index=True)
    with pytest.raises(ScenarioError, match="row 4, column Scenario: 'Status quo' is already the name of row 2"):
        scenarios_from_frames(duplicate, None)
