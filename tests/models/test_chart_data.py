"""Chart figures from plain arrays agree with the frame-based summaries and follow edits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.chart_data import (
    BAND_NEAR,
    BAND_OK,
    BAND_OVER,
    BAND_UNKNOWN,
    HISTOGRAM_EDGES,
    PlanColumns,
    band_codes,
    bucket_labels,
    facility_figures,
    facility_tooltip,
    group_codes,
    group_figures,
    histogram_figures,
    network_figures,
)
from models.facility_plan import FacilityPlan
from models.filtering import FilterSpec
from models.summary import derive, network_totals, totals_by, utilization_histogram
from models.workbook_io import read_plan
from resources import resource_path


@pytest.fixture(scope="module")
def demo_plan() -> FacilityPlan:
    return read_plan(resource_path("demo_plan.xlsx"))


def test_facility_bars_sorted_by_utilization_with_unknown_last(small_plan: FacilityPlan) -> None:
    columns = PlanColumns.from_frame(small_plan.frame)
    figures = facility_figures(columns, np.arange(5), "operational", "utilization")
    # Northfield 99.5/90, Lakeside 46/50, Southgate 150/200, Pine Ridge 0/80, Harbor Point unknown.
    assert figures.rows.tolist() == [0, 2, 1, 3, 4]
    assert figures.bands.tolist() == [BAND_OVER, BAND_NEAR, BAND_OK, BAND_OK, BAND_UNKNOWN]
    assert figures.capacity.tolist()[:4] == [90.0, 50.0, 200.0, 80.0]
    expected = derive(small_plan.frame)["utilization"].to_numpy()[figures.rows]
    np.testing.assert_allclose(figures.utilization, expected)


@pytest.mark.parametrize(("key", "order"), [("population", [1, 0, 2, 3, 4]), ("capacity", [4, 1, 0, 3, 2]),
                                            ("name", [4, 2, 0, 3, 1])])
def test_other_sort_keys(small_plan: FacilityPlan, key: str, order: list[int]) -> None:
    columns = PlanColumns.from_frame(small_plan.frame)
    assert facility_figures(columns, np.arange(5), "operational", key).rows.tolist() == order


def test_rated_basis_changes_capacity_and_bands(small_plan: FacilityPlan) -> None:
    columns = PlanColumns.from_frame(small_plan.frame)
    figures = facility_figures(columns, np.array([0]), "rated", "utilization")
    assert figures.capacity.tolist() == [100.0]
    assert figures.bands.tolist() == [BAND_NEAR]  # 99.5 of 100 rated beds, over on 90 operational ones
    with pytest.raises(ValueError, match="capacity basis"):
        columns.capacity("surge")


def test_incremental_edit_matches_a_full_rebuild(small_plan: FacilityPlan) -> None:
    columns = PlanColumns.from_frame(small_plan.frame)
    small_plan.set_values([(1, "population", 250.0), (3, "status", "operational")])
    touched = columns.set_values([(1, "population", 250.0), (3, "status", "operational"), (2, "as_of", None)])
    assert touched == {"population", "status"}
    fresh = PlanColumns.from_frame(small_plan.frame)
    np.testing.assert_array_equal(columns.population, fresh.population)
    assert columns.text["status"].tolist() == fresh.text["status"].tolist()
    assert network_figures(columns, np.arange(5), "operational") == network_totals(small_plan.frame)


def test_network_figures_equal_network_totals_on_demo_and_a_filter(demo_plan: FacilityPlan) -> None:
    frame = demo_plan.frame
    columns = PlanColumns.from_frame(frame)
    assert network_figures(columns, np.arange(len(frame)), "operational") == network_totals(frame)
    spec = FilterSpec(statuses=frozenset({"operational"}), states=frozenset({"TX"}))
    rows = np.flatnonzero(spec.mask(frame))
    assert 0 < len(rows) < len(frame)
    assert network_figures(columns, rows, "operational") == network_totals(frame.iloc[rows])


def test_rated_basis_totals(small_plan: FacilityPlan) -> None:
    columns = PlanColumns.from_frame(small_plan.frame)
    totals = network_figures(columns, np.arange(5), "rated")
    assert totals.capacity_basis == "rated"
    assert totals.operational_capacity == 100 + 200 + 50  # operational statuses only
    assert totals.population == pytest.approx(295.5)


def test_group_figures_match_totals_by(demo_plan: FacilityPlan) -> None:
    frame = demo_plan.frame
    columns = PlanColumns.from_frame(frame)
    figures = group_figures(columns, "status", np.arange(len(frame)), "operational")
    expected = totals_by(frame, "status")
    assert set(figures.labels) == set(expected.index)
    for label, capacity, population in zip(figures.labels, figures.capacity, figures.population, strict=True):
        assert capacity == pytest.approx(np.nan_to_num(expected.loc[label, "capacity"]))
        assert population == pytest.approx(expected.loc[label, "population"])
    by_state = group_figures(columns, "state", np.arange(len(frame)), "operational")
    today = frame["status"].isna() | (frame["status"] == "operational")
    expected_state = totals_by(frame.loc[today], "state")
    for label, capacity in zip(by_state.labels, by_state.capacity, strict=True):
        want = expected_state.loc[label, "capacity"] if label in expected_state.index else 0.0
        assert capacity == pytest.approx(want)


def test_blank_groups_on_a_categorical_status(small_plan: FacilityPlan) -> None:
    frame = small_plan.frame.copy()
    frame.loc[1, "status"] = None
    frame.loc[0, "state"] = None
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    by_status = totals_by(frame, "status")
    assert by_status.loc["(blank)", "facilities"] == 1
    assert by_status.loc["(blank)", "population"] == 150.0
    assert totals_by(frame, "state").loc["(blank)", "facilities"] == 1
    labels, codes = group_codes(PlanColumns.from_frame(frame).text["status"])
    assert labels[-1] == "(blank)" and labels[0] == "operational"
    assert codes[1] == len(labels) - 1


def test_histogram_matches_summary_function(demo_plan: FacilityPlan) -> None:
    utilization = derive(demo_plan.frame)["utilization"].to_numpy(dtype="float64", na_value=np.nan)
    figures = histogram_figures(utilization)
    _, counts = utilization_histogram(utilization, HISTOGRAM_EDGES)
    assert figures.counts.tolist() == counts
    assert figures.known == int(np.sum(~np.isnan(utilization)))
    assert bucket_labels((0, 0.9, 1.0)) == ("0–89%", "90–99%", "100%+")


def test_band_codes_thresholds() -> None:
    codes = band_codes(np.array([0.5, 0.9, 0.999, 1.0, np.nan]))
    assert codes.tolist() == [BAND_OK, BAND_NEAR, BAND_NEAR, BAND_OVER, BAND_UNKNOWN]


def test_tooltip_names_place_status_and_figures(small_plan: FacilityPlan) -> None:
    columns = PlanColumns.from_frame(small_plan.frame)
    text = facility_tooltip(columns, 0, "operational")
    assert "Northfield Centre — Austin, TX" in text
    assert "Status: operational" in text
    assert "Capacity (operational): 90 beds" in text
    assert "Utilization: 110.6%" in text and "Beds short: 9.5" in text
    assert "Utilization: unknown" in facility_tooltip(columns, 4, "operational")


def test_real_hhs_hospitals_as_a_plan(realdata) -> None:  # type: ignore[no-untyped-def]
    """HHS hospital rows (beds and inpatients, -999999 suppressed) through the chart figures."""
    raw = pd.read_csv(realdata / "hhs_hospital_capacity_by_facility_sample.csv", dtype={"ccn": str, "zip": str})
    beds = raw["total_beds_7_day_avg"].where(raw["total_beds_7_day_avg"] >= 0)
    used = raw["inpatient_beds_used_7_day_avg"].where(raw["inpatient_beds_used_7_day_avg"] >= 0)
    frame = pd.DataFrame({
        "id": raw["ccn"], "name": raw["hospital_name"], "type": raw["hospital_subtype"], "status": "operational",
        "city": raw["city"], "state": raw["state"], "rated_capacity": beds.round(), "population": used,
    })
    plan = FacilityPlan(frame)
    columns = PlanColumns.from_frame(plan.frame)
    rows = np.arange(plan.row_count)
    assert network_figures(columns, rows, "operational") == network_totals(plan.frame)
    figures = facility_figures(columns, rows, "operational", "utilization")
    known = figures.utilization[~np.isnan(figures.utilization)]
    assert len(known) > 0 and np.all(np.diff(known) <= 0)
    states = group_figures(columns, "state", rows, "operational")
    assert states.facilities.sum() == plan.row_count
    assert states.population.sum() == pytest.approx(float(np.nansum(plan.frame["population"].astype(float))))


@pytest.mark.parametrize("sort_key", ["utilization", "population", "capacity"])
def test_resorting_from_the_previous_order_equals_a_fresh_sort(sort_key: str) -> None:
    from bench.plans import synthetic_frame

    frame = synthetic_frame(400, seed=11)
    columns = PlanColumns.from_frame(frame)
    rng = np.random.default_rng(5)
    rows = rng.permutation(400)  # the table's view order is not plan order
    previous = facility_figures(columns, rows, "operational", sort_key).rows
    for step in range(60):
        row = int(rng.integers(0, 400))
        # Many edits copy another facility's figures, so ties are common.
        other = int(rng.integers(0, 400))
        columns.set_values([(row, "population", float(columns.population[other]) if step % 2 else float(step)),
                            (row, "rated_capacity", float(columns.rated[other]))])
        incremental = facility_figures(columns, rows, "operational", sort_key, previous=previous).rows
        fresh = facility_figures(columns, rows, "operational", sort_key).rows
        np.testing.assert_array_equal(incremental, fresh)
        previous = incremental


def test_columns_never_alias_the_frame() -> None:
    from bench.plans import synthetic_frame

    frame = synthetic_frame(20)
    columns = PlanColumns.from_frame(frame)
    columns.set_values([(0, "population", 12345.0), (0, "rated_capacity", 1.0)])
    assert frame["population"].iloc[0] != 12345.0 and frame["rated_capacity"].iloc[0] != 1
