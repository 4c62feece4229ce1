"""Projection arithmetic: hand-computed cases and hypothesis properties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.capacity_changes import CapacityChange
from models.facility_plan import FacilityPlan
from models.projection import (
    ScenarioContext,
    daily_flows,
    project,
    project_population,
    releases_to_stay_under,
)
from models.scenarios import FlowStep, Scenario, ScenarioError

START = dt.date(2025, 1, 1)


def one_site_plan(rated: int = 100, population: float = 100.0, status: str = "operational") -> pd.DataFrame:
    return FacilityPlan(
        pd.DataFrame(
            {
                "id": ["A", "T"],
                "name": ["Existing", "Tent"],
                "status": [status, "under construction"],
                "rated_capacity": [rated, 500],
                "population": [population, None],
            }
        )
    ).frame


def test_constant_flows_by_hand() -> None:
    context = ScenarioContext(one_site_plan(rated=100), [])
    scenario = Scenario("s", START, horizon_days=10, start_population=90, inflow=5, removals=2, releases=1)
    result = project(context, scenario)
    # +2 a day from 90: 90, 92, ..., 110 on day 10; over 100 from day 6 (102).
    assert result.population.tolist() == [90 + 2 * day for day in range(11)]
    operational = result.results["operational"]
    assert operational.first_over == dt.date(2025, 1, 7)
    assert operational.back_under is None
    assert operational.peak_shortfall == 10
    assert operational.peak_date == dt.date(2025, 1, 11)
    assert operational.bed_days_over == 2 + 4 + 6 + 8 + 10
    assert operational.days_over == 5
    # Releasing 2 a day from day 6 (the first day it would pass 100) keeps it at 100: 5 days × 2.
    assert operational.releases_required == 10


def test_single_capacity_step_by_hand() -> None:
    changes = [CapacityChange("C1", "T", dt.date(2025, 1, 5), "open", 500)]
    context = ScenarioContext(one_site_plan(rated=100), changes)
    scenario = Scenario("s", START, horizon_days=8, start_population=150)
    result = project(context, scenario)
    assert result.capacity["rated"].tolist() == [100] * 4 + [600] * 5
    line = result.results["rated"]
    assert (line.first_over, line.back_under) == (START, dt.date(2025, 1, 5))
    assert line.peak_shortfall == 50 and line.peak_date == START
    assert line.bed_days_over == 200
    assert line.releases_required == 50


def test_back_under_means_under_to_the_end_of_the_horizon() -> None:
    # 150 people, 100 beds: over. On 5 January 120 beds open (220) and 30 people a day start to
    # arrive: 180, 210 are under, 240 on 7 January is over again. On 10 January the new site goes
    # to 320 beds (420 in all), which hold the rest: 330 ... 420, never above the line.
    changes = [CapacityChange("C1", "T", dt.date(2025, 1, 5), "open", 120),
               CapacityChange("C2", "T", dt.date(2025, 1, 10), "open", 320)]
    context = ScenarioContext(one_site_plan(rated=100), changes)
    scenario = Scenario("s", START, horizon_days=12, start_population=150,
                        schedule=(FlowStep(dt.date(2025, 1, 5), inflow=30),))
    result = project(context, scenario)
    line = result.results["rated"]
    over = (result.population > result.capacity["rated"]).tolist()
    assert over == [True] * 4 + [False] * 2 + [True] * 3 + [False] * 4
    assert line.first_over == START and line.periods_over == 2
    assert line.back_under == dt.date(2025, 1, 10)  # not 5 January, when it dipped under for two days
    assert line.days_over == 7


def test_zero_horizon() -> None:
    context = ScenarioContext(one_site_plan(rated=100), [])
    result = project(context, Scenario("s", START, horizon_days=0, start_population=130, inflow=1000))
    assert result.population.tolist() == [130]
    line = result.results["rated"]
    assert line.first_over == START and line.back_under is None
    assert line.bed_days_over == 30 and line.releases_required == 30 and line.days_over == 1


def test_capacity_never_catches_up() -> None:
    changes = [CapacityChange("C1", "T", dt.date(2025, 1, 3), "open", 500, phase_beds=100, phase_days=7)]
    context = ScenarioContext(one_site_plan(rated=100), changes)
    result = project(context, Scenario("s", START, horizon_days=60, start_population=200, inflow=30, removals=10))
    rated = result.capacity["rated"]
    # Ramp: 100 beds from day 2, +100 a week, full 500 from day 30.
    assert rated[1] == 100 and rated[2] == 200 and rated[9] == 300 and rated[30] == 600 and rated[-1] == 600
    line = result.results["rated"]
    assert line.first_over == START and line.back_under is None
    assert line.peak_date == dt.date(2025, 3, 2)  # the last date: population grows 20 a day, beds stop at 600
    assert line.peak_shortfall == 200 + 20 * 60 - 600


def test_population_never_negative_by_hand() -> None:
    inflow = np.array([0.0, 0, 0, 10, 0])
    outflow = np.array([0.0, 30, 30, 0, 5])
    assert project_population(40, inflow, outflow).tolist() == [40, 10, 0, 10, 5]


def test_weekly_schedule_and_growth() -> None:
    schedule = (FlowStep(dt.date(2025, 1, 8), inflow=20), FlowStep(dt.date(2025, 1, 15), removals=7))
    scenario = Scenario("s", START, horizon_days=20, inflow=10, removals=3, schedule=schedule)
    inflow, outflow = daily_flows(scenario)
    assert inflow[0] == 0 and inflow[1:7].tolist() == [10] * 6 and inflow[7:].tolist() == [20] * 14
    assert outflow[1:14].tolist() == [3] * 13 and outflow[14:].tolist() == [7] * 7
    grown, _ = daily_flows(Scenario("g", START, horizon_days=14, inflow=100, inflow_growth=10))
    assert grown[7] == pytest.approx(110) and grown[14] == pytest.approx(121)


def test_start_population_from_history_then_plan() -> None:
    history = pd.Series([500.0, 520.0], index=pd.to_datetime(["2024-12-20", "2024-12-30"]))
    context = ScenarioContext(one_site_plan(population=77), [], history)
    assert context.start_population(Scenario("s", START)) == 520
    assert context.start_population(Scenario("s", dt.date(2024, 12, 1))) == 77
    assert context.start_population(Scenario("s", START, start_population=3)) == 3


def test_delay_and_unknown_inclusion() -> None:
    changes = [CapacityChange("C1", "T", dt.date(2025, 1, 3), "open", 500)]
    context = ScenarioContext(one_site_plan(), changes)
    late = project(context, Scenario("s", START, horizon_days=40, capacity_changes="T +4w"))
    assert late.capacity["rated"][2 + 28 - 1] == 100 and late.capacity["rated"][30] == 600
    none = project(context, Scenario("s", START, horizon_days=40, capacity_changes="none"))
    assert none.capacity["rated"].max() == 100
    with pytest.raises(ScenarioError, match="'Z9' is neither a change ID nor a facility"):
        project(context, Scenario("s", START, capacity_changes="Z9"))


def test_releases_exact_when_population_hits_zero() -> None:
    population = np.array([50.0, 0.0, 40.0])
    capacity = np.array([10.0, 10.0, 10.0])
    net = np.array([0.0, -60.0, 40.0])
    # Day 0 releases 40 (held 10); day 1 drops to 0; day 2 reaches 40 → 30 more.
    assert releases_to_stay_under(population, capacity, net) == 70


flows = st.floats(min_value=0, max_value=5_000, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e5), flows, flows, flows, st.integers(0, 366), st.floats(-50, 50))
def test_population_never_negative(start: float, inflow: float, removals: float, releases: float, days: int, growth: float) -> None:
    scenario = Scenario("p", START, days, start, inflow, removals, releases, growth, -growth / 2)
    result = project(ScenarioContext(one_site_plan(), []), scenario)
    assert len(result.population) == days + 1
    assert (result.population >= 0).all()


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e5), flows, st.floats(0, 1), st.integers(0, 366))
def test_balanced_flows_keep_population_constant(start: float, inflow: float, share: float, days: int) -> None:
    removals = inflow * share
    scenario = Scenario("b", START, days, start, inflow, removals, inflow - removals)
    result = project(ScenarioContext(one_site_plan(), []), scenario)
    np.testing.assert_allclose(result.population, start, rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0, 2_000), flows, flows, st.integers(0, 200),
    st.lists(st.tuples(st.integers(-10, 200), st.integers(0, 2_000)), min_size=1, max_size=5),
)
def test_adding_capacity_never_increases_shortfall(start: float, inflow: float, outflow: float, days: int, extra: list[tuple[int, int]]) -> None:
    base = [CapacityChange("C1", "T", dt.date(2025, 1, 20), "open", 300)]
    more = base + [
        CapacityChange(f"X{n}", "A", START + dt.timedelta(days=offset), "add", beds) for n, (offset, beds) in enumerate(extra)
    ]
    scenario = Scenario("c", START, days, start, inflow, outflow)
    before = project(ScenarioContext(one_site_plan(), base), scenario).results
    after = project(ScenarioContext(one_site_plan(), more), scenario).results
    for line in before:
        assert after[line].peak_shortfall <= before[line].peak_shortfall + 1e-6
        assert after[line].bed_days_over <= before[line].bed_days_over + 1e-6
        assert after[line].releases_required <= before[line].releases_required + 1e-6
    # Back under means under from that date to the end of the horizon.
    result = project(ScenarioContext(one_site_plan(), more), scenario)
    for line, outcome in result.results.items():
        over = result.population - result.capacity[line] > 1e-9
        if outcome.back_under is None:
            assert not over.any() or over[-1]
        else:
            since = int((np.datetime64(outcome.back_under) - result.dates[0]).astype(int))
            assert over[since - 1] and not over[since:].any()


def test_held_up_compares_with_actuals() -> None:
    from models.projection import held_up

    history = pd.Series([100.0, 104.0, 111.0], index=pd.to_datetime(["2025-01-01", "2025-01-03", "2025-01-05"]))
    context = ScenarioContext(one_site_plan(), [], history)
    result = project(context, Scenario("s", START, horizon_days=10, inflow=5))  # starts from the 100 recorded
    check = held_up(result, history)
    assert check is not None
    assert (check.date, check.projected, check.actual) == (dt.date(2025, 1, 5), 120.0, 111.0)
    assert check.difference == 9.0 and check.dates_compared == 3
    assert check.mean_absolute_error == pytest.approx((0 + 6 + 9) / 3)
    later = project(context, Scenario("s", dt.date(2025, 2, 1), horizon_days=10, start_population=5))
    assert held_up(later, history) is None
