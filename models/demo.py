"""The built-in demonstration plan: fictional facilities that tell the over-capacity story.

Deterministic: the same code always yields the same plan. ``python -m models.demo`` rewrites
``resources/demo_plan.xlsx`` from it.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pandas as pd

from models.facility_plan import FacilityPlan, PlanMeta
from models.schema import Status

DEMO_AS_OF = dt.date(2025, 2, 3)
DEMO_NOTICE = "DEMONSTRATION DATA: every facility in this plan is fictional."

# Thirty states with a rough centre for plausible coordinates.
_STATES: dict[str, tuple[float, float]] = {
    "TX": (31.0, -99.0), "CA": (36.5, -119.5), "AZ": (33.9, -111.9), "LA": (30.9, -92.0),
    "GA": (32.6, -83.4), "FL": (28.1, -81.6), "NM": (34.4, -106.1), "NJ": (40.1, -74.6),
    "NY": (42.9, -75.5), "PA": (40.9, -77.8), "OH": (40.3, -82.8), "MI": (43.3, -84.5),
    "IL": (40.0, -89.2), "WA": (47.4, -120.5), "OR": (44.0, -120.5), "CO": (39.0, -105.5),
    "NV": (39.3, -116.6), "UT": (39.3, -111.7), "MS": (32.7, -89.7), "AL": (32.8, -86.8),
    "TN": (35.9, -86.4), "KY": (37.5, -85.3), "VA": (37.5, -78.9), "NC": (35.5, -79.4),
    "SC": (33.9, -80.9), "MN": (46.3, -94.3), "WI": (44.6, -89.9), "IA": (42.1, -93.5),
    "MO": (38.4, -92.5), "OK": (35.6, -97.5),
}
_PREFIXES = (
    "North", "South", "East", "West", "Cedar", "Pine", "River", "Lake", "Stone", "Mill", "Oak",
    "Maple", "Bridge", "Harbor", "Prairie", "Summit", "Valley", "Red", "Clear", "Fair", "Glen",
    "High", "Willow", "Ash", "Elm", "Iron", "Silver", "Falcon", "Quarry", "Sandy",
)
_SUFFIXES = ("field", "brook", "ford", "ton", "wood", "view", "dale", "port", "crest", "ridge")
_KINDS = (
    ("Processing Centre", "SPC"), ("County Detention Centre", "IGSA"), ("Correctional Facility", "IGSA"),
    ("Contract Detention Facility", "CDF"), ("Regional Holding Facility", "DIGSA"),
    ("Family Residential Centre", "FRC"), ("Federal Holding Unit", "BOP"), ("Justice Centre", "USMS IGA"),
)


def build_demo_plan() -> FacilityPlan:
    """About 120 fictional operational sites over 30 states near 108% of 40,000 beds, plus the
    future capacity the story needs (a 30,000-bed tent site, a staging site, three proposals)."""
    rng = random.Random(20250203)
    states = list(_STATES)
    used_names: set[str] = set()
    rows: list[dict[str, object]] = []
    for number in range(1, 116):
        state = states[(number - 1) % len(states)] if number <= 60 else rng.choice(states[:18])
        town = _town(rng, used_names)
        kind, code = rng.choice(_KINDS)
        rated = int(round(rng.lognormvariate(5.6, 0.75) / 10) * 10)
        rated = max(40, min(rated, 2200))
        out_of_service = rng.random() < 0.3
        operational = int(rated * rng.uniform(0.8, 0.97)) if out_of_service else None
        basis = operational if operational is not None else rated
        load = rng.gauss(1.04, 0.22) if rng.random() < 0.55 else rng.gauss(0.8, 0.12)
        population = basis * min(max(load, 0.35), 1.75)
        # Agencies report an average daily population (fractional) or a head count.
        population = round(population, 1) if rng.random() < 0.6 else float(round(population))
        lat, lon = _STATES[state]
        rows.append(
            {
                "id": f"DEMO-{number:03d}",
                "name": f"{town} {kind}",
                "type": code,
                "status": Status.OPERATIONAL.value,
                "city": town,
                "state": state,
                "country": "US",
                "latitude": round(lat + rng.uniform(-1.5, 1.5), 4),
                "longitude": round(lon + rng.uniform(-2.0, 2.0), 4),
                "rated_capacity": rated,
                "operational_capacity": operational,
                "surge_capacity": int(round(rated * rng.choice((0, 0, 0.05, 0.1, 0.15)))),
                "population": population,
                "as_of": pd.Timestamp(DEMO_AS_OF),
                "notes": "Out-of-service beds under repair" if out_of_service else None,
            }
        )
    frame = pd.DataFrame(rows)
    _scale_to_story(frame)
    future = [
        ("DEMO-901", "Fort Lone Star Temporary Soft-Sided Site", "Tent", Status.UNDER_CONSTRUCTION, "TX",
         "El Paso", 30000, "Tent site for 30,000; opens in phases of 5,000 beds a week from 2025-03-03."),
        ("DEMO-902", "Camp Meridian Staging Area", "Staging", Status.PLANNED, "NJ", "Wrightstown", 1000,
         "Military base staging and short-term holding; expected 2025-02-24."),
        ("DEMO-903", "Bayou Ridge Proposed Holding Site", "Military base", Status.PLANNED, "LA", "Leesville",
         2500, "Proposed; site survey complete, opening 2025-04-14 if funded."),
        ("DEMO-904", "High Plains Proposed Processing Site", "Military base", Status.PLANNED, "CO", "Aurora",
         1500, "Proposed; opening 2025-05-05 if funded."),
        ("DEMO-905", "Gulf Gateway Proposed Centre", "Soft-sided", Status.PLANNED, "FL", "Homestead",
         5000, "Proposed; opening 2025-06-02 if funded."),
    ]
    extra = []
    for ident, name, kind, status, state, city, beds, note in future:
        lat, lon = _STATES[state]
        extra.append(
            {
                "id": ident, "name": name, "type": kind, "status": status.value, "city": city,
                "state": state, "country": "US", "latitude": lat, "longitude": lon,
                "rated_capacity": beds, "operational_capacity": None, "surge_capacity": 0,
                "population": None, "as_of": pd.Timestamp(DEMO_AS_OF), "notes": note,
            }
        )
    frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    meta = PlanMeta(
        title="Demonstration plan: national bed network (fictional)",
        as_of=DEMO_AS_OF,
        source="Bedplan built-in demonstration data (fictional facilities, modelled on public early-2025 figures)",
        demonstration=True,
        description=DEMO_NOTICE,
    )
    plan = FacilityPlan(frame, meta)
    _add_scenarios(plan)
    return plan


def _add_scenarios(plan: FacilityPlan) -> None:
    from models.demo_scenarios import demo_scenario_data
    from models.scenario_data import store

    population = float(plan.frame["population"].astype("float64").sum())
    store(plan, demo_scenario_data(DEMO_AS_OF, population))


def _town(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES)
        if name not in used:
            used.add(name)
            return name


def _scale_to_story(frame: pd.DataFrame) -> None:
    """Scale rated capacity to 40,000 funded beds and population to about 108% of usable beds."""
    factor = 40_000 / frame["rated_capacity"].sum()
    frame["rated_capacity"] = (frame["rated_capacity"] * factor).round().astype(int)
    frame["operational_capacity"] = (frame["operational_capacity"] * factor).round().astype("Int64")
    frame["surge_capacity"] = (frame["surge_capacity"] * factor).round().astype(int)
    basis = frame["operational_capacity"].fillna(frame["rated_capacity"]).astype(float)
    population = frame["population"] * factor
    population = population * (1.08 * basis.sum() / population.sum())
    fractional = frame["population"] % 1 != 0
    frame["population"] = population.where(~fractional, population.round(1)).where(fractional, population.round())


def main(argv: list[str] | None = None) -> int:
    from models.workbook_io import write_plan

    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "resources" / "demo_plan.xlsx"
    write_plan(build_demo_plan(), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
