"""Synthetic plans of any size for benchmarks (deterministic)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.facility_plan import FacilityPlan, PlanMeta

_STATES = np.array(["TX", "CA", "AZ", "LA", "GA", "FL", "NM", "NJ", "NY", "PA", "OH", "MI", "IL", "WA", "CO"])
_TYPES = np.array(["IGSA", "CDF", "SPC", "DIGSA", "BOP", "USMS IGA"])


def synthetic_frame(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rated = rng.integers(40, 2000, rows)
    population = np.round(rated * rng.uniform(0.4, 1.6, rows), 1)
    return pd.DataFrame(
        {
            "id": [f"S{i:06d}" for i in range(rows)],
            "name": [f"Synthetic Facility {i}" for i in range(rows)],
            "type": _TYPES[rng.integers(0, len(_TYPES), rows)],
            "status": "operational",
            "city": [f"Town {i % 997}" for i in range(rows)],
            "state": _STATES[rng.integers(0, len(_STATES), rows)],
            "country": "US",
            "latitude": np.round(rng.uniform(25, 48, rows), 4),
            "longitude": np.round(rng.uniform(-123, -70, rows), 4),
            "rated_capacity": rated,
            "operational_capacity": pd.array(np.where(rng.random(rows) < 0.3, np.floor(rated * 0.9), np.nan), dtype="Int64"),
            "surge_capacity": (rated * 0.1).astype(int),
            "population": population,
            "as_of": pd.Timestamp("2025-01-16"),
            "notes": None,
        }
    )


def synthetic_plan(rows: int, seed: int = 7) -> FacilityPlan:
    return FacilityPlan(synthetic_frame(rows, seed), PlanMeta(title=f"Synthetic plan of {rows:,} facilities"))
