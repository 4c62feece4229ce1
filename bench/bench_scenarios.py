"""Scenario projection: 10 scenarios × 365 days × 1,000 facilities (with their capacity changes).

Baseline, measured in the same run: a plain NumPy cumsum over a (10, 1,000, 366) float array.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bench.plans import synthetic_frame
from bench.timing import median_ms, row
from models.capacity_changes import ACTIONS, CapacityChange
from models.projection import ScenarioContext, project
from models.scenarios import Scenario

FACILITIES = 1_000
SCENARIOS = 10
DAYS = 365
START = dt.date(2025, 2, 3)


def workload(seed: int = 11) -> tuple[ScenarioContext, list[Scenario]]:
    """A 1,000-facility plan with two or three dated capacity changes each, and ten scenarios
    that include different changes with different delays."""
    frame = synthetic_frame(FACILITIES, seed)
    frame.loc[frame.index % 10 == 0, "status"] = "planned"
    rng = np.random.default_rng(seed)
    actions = [name for name in ACTIONS if name != "open"]
    changes: list[CapacityChange] = []
    for number, ident in enumerate(frame["id"]):
        if number % 10 == 0:
            changes.append(CapacityChange(f"O{number}", ident, START + dt.timedelta(days=int(rng.integers(0, 200))), "open",
                                          int(rng.integers(500, 5000)), 250, 7))
        for extra in range(int(rng.integers(2, 4))):
            action = actions[int(rng.integers(0, len(actions)))]
            beds = int(rng.integers(0, 300)) if action in {"add", "set", "usable", "surge"} else None
            changes.append(CapacityChange(f"X{number}-{extra}", ident, START + dt.timedelta(days=int(rng.integers(-30, 365))), action, beds))
    context = ScenarioContext(frame, changes)
    ramps = [c.change_id for c in changes if c.action == "open"]
    scenarios = []
    for n in range(SCENARIOS):
        chosen = "all" if n == 0 else "; ".join(f"{ident} +{(n * 3 + i) % 40}d" for i, ident in enumerate(ramps[: 20 + 8 * n]))
        scenarios.append(Scenario(f"S{n}", START, DAYS, 40_000 + 500 * n, 1_400 + 10 * n, 900, 480, 0.5 * n / 10,
                                  0.0, chosen))
    return context, scenarios


def run(quick: bool) -> list[dict[str, object]]:
    repeats = 5 if quick else 25
    context, scenarios = workload()
    same_size = np.random.default_rng(3).random((SCENARIOS, FACILITIES, DAYS + 1))
    baseline = median_ms(lambda: np.cumsum(same_size, axis=2), repeats)
    projected = median_ms(lambda: [project(context, scenario) for scenario in scenarios], repeats)
    changes = context.changes
    frame = synthetic_frame(FACILITIES, 11)
    frame.loc[frame.index % 10 == 0, "status"] = "planned"

    def rebuilt() -> None:
        fresh = ScenarioContext(frame, changes)
        for scenario in scenarios:
            project(fresh, scenario)

    with_context = median_ms(rebuilt, repeats)
    name = f"{SCENARIOS} scenarios × {DAYS} days × {FACILITIES:,} facilities ({len(changes):,} changes)"
    return [
        row(f"project {name}", projected, baseline, "< 50 ms median", projected < 50),
        row("same, rebuilding the plan context first", with_context, baseline, "< 50 ms median", with_context < 50),
    ]
