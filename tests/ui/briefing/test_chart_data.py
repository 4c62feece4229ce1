"""What each briefing chart shows, checked against the pure summary functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.facility_plan import FacilityPlan
from models.summary import derive, network_totals, over_capacity, totals_by
from ui.briefing import chart_data


def test_facility_bars_are_highest_first_and_cut_to_top_n(small_plan: FacilityPlan) -> None:
    bars = chart_data.facility_bars(small_plan.frame, top_n=2)
    assert [bar.label for bar in bars.bars] == ["Northfield Centre (TX)", "Lakeside Hall (FL)"]
    assert bars.bars[0].utilization == 99.5 / 90
    assert bars.bars[0].capacity == 90 and bars.bars[0].band == "Over"
    assert bars.bars[1].band == "Near"
    # The planned site has no population, so four facilities have a utilization.
    assert bars.known == 4 and bars.facilities == 5
    assert len(chart_data.facility_bars(small_plan.frame).bars) == 4


def test_state_groups_count_only_todays_capacity(small_plan: FacilityPlan) -> None:
    groups = chart_data.state_groups(small_plan.frame)
    operational = small_plan.frame[small_plan.frame["status"] == "operational"]
    expected = totals_by(operational, "state")
    assert {group.label: group.capacity for group in groups.groups} == expected["capacity"].to_dict()
    assert groups.groups[0].label == "TX"  # largest capacity first
    assert groups.excluded_sites == 2  # the standby and the planned site


def test_split_groups_sums_what_is_left_out(demo_plan: FacilityPlan) -> None:
    groups = chart_data.state_groups(demo_plan.frame).groups
    shown, rest = chart_data.split_groups(groups, 10)
    assert len(shown) == 10 and rest is not None
    assert rest.capacity == sum(group.capacity for group in groups[10:])
    assert rest.facilities == sum(group.facilities for group in groups[10:])
    assert chart_data.split_groups(groups, 100) == (groups, None)


def test_histogram_counts_every_known_utilization(demo_plan: FacilityPlan) -> None:
    data = chart_data.histogram(demo_plan.frame)
    known = derive(demo_plan.frame)["utilization"].dropna()
    assert sum(data.counts) == data.known == len(known)
    assert data.counts[-1] == int((known >= 1.5).sum())
    assert data.bands == ("OK", "OK", "OK", "Near", "Over", "Over", "Over", "Over")
    assert data.labels[3] == "90–100%"


def test_headline_matches_network_totals(demo_plan: FacilityPlan) -> None:
    totals = network_totals(demo_plan.frame)
    figures = {figure.label: figure for figure in chart_data.headline(demo_plan.frame).figures}
    assert figures["People held"].value == f"{round(totals.population):,}"
    assert figures["Beds today"].value == f"{totals.operational_capacity:,}"
    assert totals.utilization is not None
    assert figures["Utilization"].value == f"{totals.utilization * 100:.1f}%"
    assert figures["Utilization"].tone == "Over"
    assert figures["Beds short"].value == f"{round(-totals.available):,}"
    assert figures["Facilities over capacity"].value.startswith(f"{totals.over_capacity_facilities:,} of ")
    assert figures["Beds coming"].value == f"{totals.future_capacity:,}"


def test_over_capacity_rows_are_the_most_over_first(demo_plan: FacilityPlan) -> None:
    rows, count = chart_data.over_capacity_rows(demo_plan.frame, 5)
    expected = over_capacity(demo_plan.frame)
    assert count == len(expected)
    assert [row[0] for row in rows] == expected["name"].head(5).tolist()
    assert rows[0][4] == f"{expected['utilization'].iloc[0] * 100:.1f}%"


def test_empty_and_blank_frames_give_empty_data() -> None:
    empty = FacilityPlan().frame
    assert chart_data.facility_bars(empty).bars == ()
    assert chart_data.state_groups(empty).groups == ()
    assert chart_data.histogram(empty).known == 0
    assert chart_data.over_capacity_rows(empty) == ([], 0)
    blank = FacilityPlan(pd.DataFrame({"id": ["X"], "name": [None], "rated_capacity": [10], "population": [12.0]})).frame
    bars = chart_data.facility_bars(blank)
    assert bars.bars[0].label == "X"
    assert np.isclose(bars.bars[0].utilization, 1.2)
