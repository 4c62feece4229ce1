"""The plan's scenario tables as objects: read from and written to ``FacilityPlan.extras``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from models import capacity_changes, occupancy_history, scenarios
from models.capacity_changes import CapacityChange, changes_from_frame, changes_to_frame
from models.facility_plan import FacilityPlan
from models.occupancy_history import network_series
from models.projection import Projection, ScenarioContext, project
from models.scenarios import Scenario, ScenarioError, scenarios_from_frames, scenarios_to_frames

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


def project_plan(plan: FacilityPlan, names: list[str] | None = None, days: int | None = None) -> list[Projection]:
    """Projections of the named scenarios (all when None), optionally over ``days`` instead."""
    data = load(plan)
    chosen = data.scenarios if not names else [data.scenario(name) for name in names]
    context = data.context(plan)
    if days is not None:
        chosen = [scenario.with_changes(horizon_days=days) for scenario in chosen]
    return [project(context, scenario) for scenario in chosen]
