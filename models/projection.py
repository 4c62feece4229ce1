"""Projecting population against capacity over a scenario's horizon, and the results analysts need.

Arithmetic (also shown in the app and in docs/scenarios.md): population on the start date is the
scenario's start population; each following day adds that day's book-ins and subtracts its
removals and releases (never below zero people). Capacity on each date is the sum over the
facilities counted on that date (operational status) after the included capacity changes. A date
is over capacity when population exceeds the line. Bed-days over capacity add up the excess of
every date in the horizon; releases required is the smallest number of extra releases, each made
on the date population would pass the line, that keeps it at or under the line on every date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.capacity_changes import (
    LINES,
    Baseline,
    CapacityChange,
    CompiledChanges,
    baseline_of,
    compile_changes,
    epoch_day,
    network_capacity,
    resolve,
)
from models.scenarios import Scenario, ScenarioError, parse_inclusion


@dataclass(frozen=True)
class LineResult:
    """Outcome of one scenario against one capacity line."""

    line: str
    first_over: dt.date | None
    #: The date from which population stays at or under the line to the end of the horizon (the
    #: day after the last day over); None while it is still over on the last day.
    back_under: dt.date | None
    peak_shortfall: float
    peak_date: dt.date | None
    bed_days_over: float
    days_over: int
    releases_required: float
    end_population: float
    end_capacity: float
    #: Separate runs of days over capacity: more than one means it went back over after a dip.
    periods_over: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "first_over": self.first_over.isoformat() if self.first_over else None,
            "back_under": self.back_under.isoformat() if self.back_under else None,
            "peak_shortfall": self.peak_shortfall,
            "peak_date": self.peak_date.isoformat() if self.peak_date else None,
            "bed_days_over": self.bed_days_over,
            "days_over": self.days_over,
            "releases_required": self.releases_required,
            "end_population": self.end_population,
            "end_capacity": self.end_capacity,
            "periods_over": self.periods_over,
        }


@dataclass(frozen=True)
class Projection:
    """A scenario's daily series (horizon + 1 dates) and its result per capacity line."""

    scenario: Scenario
    dates: np.ndarray  # datetime64[D]
    inflow: np.ndarray
    outflow: np.ndarray
    population: np.ndarray
    capacity: dict[str, np.ndarray]
    results: dict[str, LineResult]

    def frame(self) -> pd.DataFrame:
        """The daily series as a table (date, book-ins, outflows, population, each capacity line)."""
        data: dict[str, object] = {
            "date": pd.to_datetime(self.dates).astype("datetime64[ns]"),
            "book_ins": self.inflow,
            "outflows": self.outflow,
            "population": self.population,
        }
        for line in LINES:
            data[f"{line}_capacity"] = self.capacity[line]
        return pd.DataFrame(data)


class ScenarioContext:
    """What every scenario of one plan shares: facilities' baseline, compiled changes, history.

    Build it once per plan state; ``project`` is then cheap enough to run on every keystroke.
    """

    def __init__(self, plan_frame: pd.DataFrame, changes: list[CapacityChange], history_network: pd.Series | None = None) -> None:
        self.baseline: Baseline = baseline_of(plan_frame)
        self.changes = changes
        self.compiled: CompiledChanges = compile_changes(changes, self.baseline)
        population = plan_frame["population"].to_numpy(dtype="float64", na_value=np.nan)
        self.plan_population = float(np.nansum(population))
        self.history = history_network if history_network is not None else pd.Series(dtype="float64")
        ids = {str(i): n for n, i in enumerate(self.compiled.change_ids)}
        self._change_index = ids
        self._facility_changes: dict[str, list[int]] = {}
        for n, facility in enumerate(self.compiled.facility_ids):
            self._facility_changes.setdefault(facility, []).append(n)

    def selection(self, spec: str) -> tuple[np.ndarray, np.ndarray]:
        """(included, delay in days) per change for a scenario's capacity-changes text."""
        inclusion = parse_inclusion(spec)
        n = len(self.compiled.change_ids)
        included = np.full(n, inclusion.everything, dtype=bool)
        delays = np.zeros(n, dtype="int64")
        for name, delay in inclusion.names:
            if name in self._change_index:
                targets = [self._change_index[name]]
            elif name in self._facility_changes:
                targets = self._facility_changes[name]
            else:
                raise ScenarioError(
                    f"Capacity changes: {name!r} is neither a change ID nor a facility with capacity changes"
                )
            included[targets] = True
            delays[targets] = delay
        return included, delays

    def start_population(self, scenario: Scenario) -> float:
        """The scenario's own figure, else the last recorded network population on or before its
        start, else the plan's current population."""
        if scenario.start_population is not None:
            return float(scenario.start_population)
        if len(self.history):
            upto = self.history[self.history.index <= pd.Timestamp(scenario.start)]
            if len(upto):
                return float(upto.iloc[-1])
        return self.plan_population

    def capacity(self, scenario: Scenario) -> dict[str, np.ndarray]:
        included, delays = self.selection(scenario.capacity_changes)
        resolved = resolve(self.compiled, self.baseline, included, delays)
        return network_capacity(self.baseline, resolved, epoch_day(scenario.start), scenario.horizon_days)


def daily_flows(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Book-ins and outflows (removals + releases) per day for days 1..horizon (day 0 has none)."""
    days = scenario.horizon_days
    inflow = np.full(days + 1, scenario.inflow, dtype="float64")
    removals = np.full(days + 1, scenario.removals, dtype="float64")
    releases = np.full(days + 1, scenario.releases, dtype="float64")
    if scenario.schedule:
        offsets = np.array([(step.start - scenario.start).days for step in scenario.schedule])
        day_index = np.arange(days + 1)
        # Which schedule row is in force on each day (-1: none yet, so the constant applies).
        active = np.searchsorted(offsets, day_index, side="right") - 1
        for series, key in ((inflow, "inflow"), (removals, "removals"), (releases, "releases")):
            values = np.array([getattr(step, key) for step in scenario.schedule], dtype="float64")
            # A blank rate in a row keeps the rate in force before it: carry the last given value.
            known = ~np.isnan(values)
            carried_index = np.maximum.accumulate(np.where(known, np.arange(len(values)), -1))
            row_value = np.where(carried_index >= 0, values[np.maximum(carried_index, 0)], np.nan)
            from_schedule = np.where(active >= 0, row_value[np.maximum(active, 0)], np.nan)
            np.copyto(series, from_schedule, where=~np.isnan(from_schedule))
    t = np.arange(days + 1, dtype="float64")
    inflow *= (1 + scenario.inflow_growth / 100.0) ** (t / 7.0)
    outflow = (removals + releases) * (1 + scenario.outflow_growth / 100.0) ** (t / 7.0)
    inflow[0] = 0.0
    outflow[0] = 0.0
    return inflow, outflow


def project_population(start: float, inflow: np.ndarray, outflow: np.ndarray) -> np.ndarray:
    """Population on each date: start plus cumulative net flow, reflected at zero (no negative people).

    The reflected walk is S_t - min(0, min_{s<=t} S_s) with S the unconstrained running total,
    which is what the day-by-day rule max(0, P + in - out) gives, without a Python loop.
    """
    running = start + np.cumsum(inflow - outflow)
    floor = np.minimum(0.0, np.minimum.accumulate(running))
    return np.maximum(running - floor, 0.0)


def releases_to_stay_under(population: np.ndarray, capacity: np.ndarray, net: np.ndarray | None = None) -> float:
    """Fewest extra releases keeping population at or under ``capacity`` on every date.

    Usually the running maximum of the excess (a walk reflected at the capacity line); when that
    would push the controlled population below zero the day-by-day rule decides exactly (``net``
    is each day's book-ins minus outflows; by default the population's own day-to-day change).
    """
    if len(population) == 0:
        return 0.0
    excess = np.maximum.accumulate(np.maximum(population - capacity, 0.0))
    controlled = population - excess
    if controlled.min() >= -1e-9:
        return float(excess[-1])
    released = 0.0
    held = 0.0
    steps = np.diff(population, prepend=0.0) if net is None else net
    for day, step in enumerate(steps):
        held = max(0.0, held + step) if day else float(population[0])
        if held > capacity[day]:
            released += held - capacity[day]
            held = float(capacity[day])
    return released


def line_result(line: str, dates: np.ndarray, population: np.ndarray, capacity: np.ndarray, net: np.ndarray | None = None) -> LineResult:
    shortfall = population - capacity
    over = shortfall > 1e-9
    first_over = back_under = peak_date = None
    peak = 0.0
    starts = over & ~np.concatenate(([False], over[:-1]))  # days over that follow a day not over
    periods = int(np.count_nonzero(starts))
    if over.any():
        first_over = _date(dates[int(np.argmax(over))])
        last = len(over) - 1 - int(np.argmax(over[::-1]))
        if last < len(over) - 1:  # under from the next day to the end of the horizon
            back_under = _date(dates[last + 1])
        top = int(np.argmax(shortfall))
        peak, peak_date = float(shortfall[top]), _date(dates[top])
    return LineResult(
        line=line,
        first_over=first_over,
        back_under=back_under,
        peak_shortfall=peak,
        peak_date=peak_date,
        bed_days_over=float(np.sum(np.where(over, shortfall, 0.0))),
        days_over=int(over.sum()),
        releases_required=releases_to_stay_under(population, capacity, net),
        end_population=float(population[-1]),
        end_capacity=float(capacity[-1]),
        periods_over=periods,
    )


def _date(value: np.datetime64) -> dt.date:
    return pd.Timestamp(value).date()


def project(context: ScenarioContext, scenario: Scenario) -> Projection:
    """The scenario's projection and its results against rated, operational and surge capacity."""
    days = scenario.horizon_days
    dates = np.datetime64(scenario.start, "D") + np.arange(days + 1)
    inflow, outflow = daily_flows(scenario)
    population = project_population(context.start_population(scenario), inflow, outflow)
    capacity = context.capacity(scenario)
    net = inflow - outflow
    results = {line: line_result(line, dates, population, capacity[line], net) for line in LINES}
    return Projection(scenario, dates, inflow, outflow, population, capacity, results)


@dataclass(frozen=True)
class HeldUp:
    """How an earlier projection compares with what happened: on the last date with an actual figure."""

    date: dt.date
    projected: float
    actual: float
    mean_absolute_error: float
    dates_compared: int

    @property
    def difference(self) -> float:
        return self.projected - self.actual


def held_up(projection: Projection, history: pd.Series) -> HeldUp | None:
    """Projected against actual population on the dates both cover; None when they share no date."""
    if not len(history):
        return None
    days = pd.to_datetime(projection.dates).astype("datetime64[ns]")
    actual = history.reindex(days)
    known = actual.notna().to_numpy()
    if not known.any():
        return None
    last = int(np.nonzero(known)[0][-1])
    errors = np.abs(projection.population[known] - actual.to_numpy(dtype="float64")[known])
    return HeldUp(
        date=_date(projection.dates[last]),
        projected=float(projection.population[last]),
        actual=float(actual.iloc[last]),
        mean_absolute_error=float(errors.mean()),
        dates_compared=int(known.sum()),
    )


def project_all(context: ScenarioContext, scenarios: list[Scenario]) -> list[Projection]:
    return [project(context, scenario) for scenario in scenarios]
