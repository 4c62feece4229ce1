"""The plan's scenario tables as objects: read from and written to ``FacilityPlan.extras``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from models import capacity_changes, occupancy_history, scenarios
from models.capacity_changes import (
    LINES,
    CapacityChange,
    changes_from_frame,
    changes_to_frame,
    epoch_day,
    facility_state_on,
    resolve,
)
from models.facility_plan import FacilityPlan
from models.occupancy_history import network_series
from models.projection import Projection, ScenarioContext, project
from models.scenarios import MAX_HORIZON, Scenario, ScenarioError, scenarios_from_frames, scenarios_to_frames

SHEETS = (capacity_changes.SHEET, occupancy_history.SHEET, scenarios.SHEET, scenarios.FLOWS_SHEET)


@dataclass
class ScenarioData:
    """Capacity changes, occupancy history (sheet layout) and scenarios of one plan."""

    changes: list[CapacityChange] = field(default_factory=list)
    history: pd.DataFrame = field(default_factory=occupancy_history.empty_table)
    scenarios: list[Scenario] = field(default_factory=list)

    def context(self, plan: FacilityPlan) -> ScenarioContext:
        return ScenarioContext(plan.frame, self.changes, network_series(self.history))

    def scenario(self, name: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.name == name:
                return scenario
        known = ", ".join(repr(s.name) for s in self.scenarios) or "none"
        raise ScenarioError(f"There is no scenario called {name!r}; the plan has {known}")


def has_scenario_tables(plan: FacilityPlan) -> bool:
    """True when the plan carries capacity changes, occupancy history or scenarios."""
    return any(len(plan.extras.get(sheet, ())) for sheet in SHEETS)


def load(plan: FacilityPlan) -> ScenarioData:
    """The plan's tables as objects; ChangeError/ScenarioError name the sheet, row and column."""
    extras = plan.extras
    history = extras.get(occupancy_history.SHEET)
    return ScenarioData(
        changes=changes_from_frame(extras.get(capacity_changes.SHEET), plan.frame["id"]),
        history=occupancy_history.empty_table() if history is None else history,
        scenarios=scenarios_from_frames(extras.get(scenarios.SHEET), extras.get(scenarios.FLOWS_SHEET)),
    )


def store(plan: FacilityPlan, data: ScenarioData) -> None:
    """Write the tables into ``plan.extras`` (empty tables are left out of the workbook)."""
    main, flows = scenarios_to_frames(data.scenarios)
    tables = {
        capacity_changes.SHEET: changes_to_frame(data.changes),
        occupancy_history.SHEET: data.history.reset_index(drop=True),
        scenarios.SHEET: main,
        scenarios.FLOWS_SHEET: flows,
    }
    for sheet, table in tables.items():
        if len(table):
            plan.extras[sheet] = table
        else:
            plan.extras.pop(sheet, None)


def capacity_timeline(plan: FacilityPlan, data: ScenarioData, context: ScenarioContext | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Dates and network rated / operational / surge capacity with every change included, from the
    first history date (or plan date) to six weeks after the last change (two years at most)."""
    context = context or data.context(plan)
    history = network_series(data.history)
    starts = [pd.Timestamp(plan.meta.as_of)] if plan.meta.as_of else []
    if len(history):
        starts.append(pd.Timestamp(history.index.min()))
    change_dates = [pd.Timestamp(c.date) for c in data.changes]
    if not starts and not change_dates:
        starts = [pd.Timestamp.today().normalize()]
    start = min(starts + change_dates)
    end = max(starts + change_dates) + pd.Timedelta(days=42)
    days = min(int((end - start).days), 2 * MAX_HORIZON)
    parts: list[dict[str, np.ndarray]] = []
    # A scenario's horizon stops at a year; a longer timeline joins two of them.
    first = start
    remaining = days
    while True:
        span = min(remaining, MAX_HORIZON)
        parts.append(context.capacity(Scenario("capacity", first.date(), span, capacity_changes="all")))
        remaining -= span
        if remaining <= 0:
            break
        first = first + pd.Timedelta(days=span + 1)
        remaining -= 1
    lines = {line: np.concatenate([part[line] for part in parts]) for line in LINES}
    dates = np.datetime64(start.date(), "D") + np.arange(len(lines["rated"]))
    return dates, lines


def facility_timeline(plan: FacilityPlan, data: ScenarioData, facility_id: str) -> tuple[np.ndarray, dict[str, np.ndarray], pd.Series]:
    """One facility's capacity lines over time (every change included) and its recorded population."""
    rows = plan.frame.index[plan.frame["id"] == facility_id]
    if not len(rows):
        raise ScenarioError(f"There is no facility with ID {facility_id!r} in this plan")
    single = FacilityPlan(plan.frame.loc[rows[:1]].reset_index(drop=True), plan.meta)
    history = data.history[data.history["Facility ID"] == facility_id].reset_index(drop=True)
    own = ScenarioData([c for c in data.changes if c.facility_id == facility_id], history, [])
    dates, lines = capacity_timeline(single, own)
    return dates, lines, network_series(history)


def status_on(plan: FacilityPlan, data: ScenarioData, day: dt.date, context: ScenarioContext | None = None) -> pd.DataFrame:
    """Each facility's status and rated / operational / surge beds on ``day``, every change included."""
    context = context or data.context(plan)
    resolved = resolve(context.compiled, context.baseline)
    return facility_state_on(context.baseline, resolved, epoch_day(day))


def project_plan(plan: FacilityPlan, names: list[str] | None = None, days: int | None = None) -> list[Projection]:
    """Projections of the named scenarios (all when None), optionally over ``days`` instead."""
    data = load(plan)
    chosen = data.scenarios if not names else [data.scenario(name) for name in names]
    context = data.context(plan)
    if days is not None:
        chosen = [scenario.with_changes(horizon_days=days) for scenario in chosen]
    return [project(context, scenario) for scenario in chosen]
