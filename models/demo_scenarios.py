"""The demonstration plan's capacity changes, 90 days of occupancy history and three scenarios.

They tell the story of PRODUCT.md: a network at about 108% of its beds, arrivals rising while
removals keep their pace, and a 30,000-bed tent site opening in phases of 5,000 beds a week, on
schedule or four weeks late. Deterministic, like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd

from models.capacity_changes import CapacityChange
from models.occupancy_history import typed_table
from models.scenario_data import ScenarioData
from models.scenarios import Scenario

HISTORY_DAYS = 90
HORIZON_DAYS = 182
TENT = "DEMO-901"

#: Daily flows at the as-of date: book-ins rise 0.5% a week; removal flights keep their pace.
BOOK_INS = 1_400.0
REMOVALS = 900.0
RELEASES = 480.0
BOOK_IN_GROWTH = 0.5


def demo_changes(as_of: dt.date) -> list[CapacityChange]:
    week = dt.timedelta(days=7)
    return [
        CapacityChange("C01", TENT, dt.date(2025, 3, 3), "open", 30_000, 5_000, 7,
                       "Tent site opens in six phases of 5,000 beds a week"),
        CapacityChange("C02", TENT, dt.date(2025, 3, 3), "surge", 2_000, note="Overflow tents once the site is open"),
        CapacityChange("C03", "DEMO-902", dt.date(2025, 2, 24), "open", 1_000, note="Staging area on a military base"),
        CapacityChange("C04", "DEMO-903", dt.date(2025, 4, 14), "open", 2_500, 1_250, 14, "Proposed; only if funded"),
        CapacityChange("C05", "DEMO-904", dt.date(2025, 5, 5), "open", 1_500, note="Proposed; only if funded"),
        CapacityChange("C06", "DEMO-905", dt.date(2025, 6, 2), "open", 5_000, 2_500, 14, "Proposed; only if funded"),
        CapacityChange("C07", "DEMO-007", as_of + 2 * week, "standby", note="County contract ends; detainees moved"),
        CapacityChange("C08", "DEMO-012", as_of + 3 * week, "add", 150, note="Modular housing unit delivered"),
    ]


def demo_history(as_of: dt.date, population_today: float) -> pd.DataFrame:
    """Network population for the 90 days before ``as_of``, ending at today's total."""
    rng = random.Random(90210)
    days = np.arange(-HISTORY_DAYS + 1, 1)
    trend = population_today + 42.0 * days  # about +42 people a day over the quarter
    weekly = 90.0 * np.sin(2 * np.pi * days / 7)
    noise = np.array([rng.gauss(0, 60) for _ in days])
    values = np.round(trend + weekly + noise)
    values[-1] = round(population_today)
    dates = [as_of + dt.timedelta(days=int(day)) for day in days]
    return typed_table(dates, [None] * len(dates), values.tolist())


def demo_scenarios(as_of: dt.date) -> list[Scenario]:
    base = Scenario(
        "Status quo", as_of, HORIZON_DAYS, inflow=BOOK_INS, removals=REMOVALS, releases=RELEASES,
        inflow_growth=BOOK_IN_GROWTH,
    )
    return [
        base.with_changes(
            capacity_changes="C07; C08",
            description="No new sites: arrivals keep rising 0.5% a week while removals keep their pace",
        ),
        base.with_changes(
            name="Tent site on schedule",
            capacity_changes="C01; C02; C03; C07; C08",
            description="The tent site opens 3 March and adds 5,000 beds a week; the staging area opens 24 February",
        ),
        base.with_changes(
            name="Tent site delayed four weeks",
            capacity_changes="C01 +4w; C02 +4w; C03; C07; C08",
            description="As on schedule, but every phase of the tent site is four weeks late",
        ),
    ]


def demo_scenario_data(as_of: dt.date, population_today: float) -> ScenarioData:
    return ScenarioData(demo_changes(as_of), demo_history(as_of, population_today), demo_scenarios(as_of))
