"""Derived figures and totals, checked against hand-computed values on the small plan."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.facility_plan import FacilityPlan
from models.summary import derive, derive_row, network_totals, over_capacity, totals_by, utilization_histogram


def test_derive_uses_operational_capacity_when_known(small_plan: FacilityPlan) -> None:
    derived = derive(small_plan.frame)
    assert derived["utilization"][0] == pytest.approx(99.5 / 90)
    assert derived["utilization"][1] == pytest.approx(150 / 200)
    assert derived["utilization"][2] == pytest.approx(46 / 50)
    assert math.isnan(derived["utilization"][4])
    assert list(derived["band"]) == ["Over", "OK", "Near", "OK", ""]
    assert derived["available"][0] == pytest.approx(-9.5)


def test_derive_row_matches_vectorised(small_plan: FacilityPlan) -> None:
    derived = derive(small_plan.frame)
    for row in range(small_plan.row_count):
        one = derive_row(small_plan.record(row))
        expected = derived["utilization"][row]
        if math.isnan(expected):
            assert one["utilization"] is None
        else:
            assert one["utilization"] == pytest.approx(expected)
        assert one["band"] == derived["band"][row]


def test_network_totals(small_plan: FacilityPlan) -> None:
    totals = network_totals(small_plan.frame)
    assert totals.facilities == 5
    assert totals.operational_facilities == 3
    assert totals.rated_capacity == 350
    assert totals.operational_capacity == 340
    assert totals.population == pytest.approx(295.5)
    assert totals.utilization == pytest.approx(295.5 / 340)
    assert totals.over_capacity_facilities == 1
    assert totals.near_capacity_facilities == 1
    assert totals.future_capacity == 1000
    assert totals.capacity_basis == "operational"


def test_totals_by_state(small_plan: FacilityPlan) -> None:
    by_state = totals_by(small_plan.frame, "state")
    assert list(by_state.index) == ["CO", "FL", "TX"]
    assert by_state.loc["TX", "facilities"] == 2
    assert by_state.loc["TX", "capacity"] == 290
    assert by_state.loc["TX", "population"] == pytest.approx(249.5)
    assert by_state.loc["FL", "over_capacity_facilities"] == 0
    with pytest.raises(ValueError, match="Totals are by state, type, status"):
        totals_by(small_plan.frame, "city")


def test_over_capacity_list(small_plan: FacilityPlan) -> None:
    over = over_capacity(small_plan.frame)
    assert list(over["id"]) == ["A1"]
    assert over["short"].iloc[0] == pytest.approx(9.5)


def test_histogram_counts_every_known_value() -> None:
    labels, counts = utilization_histogram(np.array([0.1, 0.95, 1.0, 1.6, np.nan]))
    assert sum(counts) == 4
    assert counts[labels.index("90%–100%")] == 1
    assert counts[-1] == 1
