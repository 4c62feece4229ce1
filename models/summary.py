"""Derived figures and totals: utilization, available beds, bands, network and group totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.schema import NEAR_THRESHOLD, OVER_THRESHOLD, Band, Status


def capacity_basis(frame: pd.DataFrame) -> np.ndarray:
    """Capacity used for utilization, per row: operational when known, else rated (NaN if neither)."""
    operational = frame["operational_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    rated = frame["rated_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(operational), rated, operational)


def utilization_of(population: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """population / capacity; NaN where either is unknown or capacity is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = population / capacity
    ratio[~np.isfinite(ratio)] = np.nan
    return ratio


def band_of(utilization: np.ndarray) -> np.ndarray:
    """Band labels for utilization ratios (over ≥ 100%, near ≥ 90%)."""
    return np.select(
        [np.isnan(utilization), utilization >= OVER_THRESHOLD, utilization >= NEAR_THRESHOLD],
        [Band.UNKNOWN.value, Band.OVER.value, Band.NEAR.value],
        default=Band.OK.value,
    )


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Utilization, available beds and band for every row (vectorised)."""
    basis = capacity_basis(frame)
    population = frame["population"].to_numpy(dtype="float64", na_value=np.nan)
    utilization = utilization_of(population, basis)
    available = basis - population
    return pd.DataFrame(
        {"utilization": utilization, "available": available, "band": band_of(utilization)},
        index=frame.index,
    )


def derive_row(record: dict[str, Any]) -> dict[str, Any]:
    """Derived figures for one record, without building a frame (the per-edit path)."""
    basis = record.get("operational_capacity")
    if basis is None:
        basis = record.get("rated_capacity")
    population = record.get("population")
    if basis is None or population is None:
        available = None if basis is None or population is None else basis - population
        return {"utilization": None, "available": available, "band": Band.UNKNOWN.value}
    utilization = population / basis if basis else None
    if utilization is None:
        band = Band.UNKNOWN.value
    elif utilization >= OVER_THRESHOLD:
        band = Band.OVER.value
    elif utilization >= NEAR_THRESHOLD:
        band = Band.NEAR.value
    else:
        band = Band.OK.value
    return {"utilization": utilization, "available": basis - population, "band": band}


@dataclass(frozen=True)
class NetworkTotals:
    """Headline figures of a set of facilities; capacity counts operational sites only."""

    facilities: int
    operational_facilities: int
    rated_capacity: int
    operational_capacity: int
    surge_capacity: int
    population: float
    utilization: float | None
    available: float
    over_capacity_facilities: int
    near_capacity_facilities: int
    future_capacity: int
    capacity_basis: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def network_totals(frame: pd.DataFrame) -> NetworkTotals:
    """Totals over ``frame``. Today's capacity counts only operational facilities; planned and
    under-construction sites count as future capacity. Population counts every facility."""
    status = frame["status"]
    operational = (status == Status.OPERATIONAL.value) | status.isna()
    future = status.isin([Status.PLANNED.value, Status.UNDER_CONSTRUCTION.value])
    rated = frame["rated_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    op_cap = frame["operational_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    surge = frame["surge_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    population = frame["population"].to_numpy(dtype="float64", na_value=np.nan)
    mask = operational.to_numpy()
    basis = np.where(np.isnan(op_cap), rated, op_cap)
    basis_total = float(np.nansum(basis[mask]))
    population_total = float(np.nansum(population))
    derived_band = band_of(utilization_of(population, basis))
    uses_operational = bool(np.any(~np.isnan(op_cap[mask]))) if mask.any() else False
    return NetworkTotals(
        facilities=len(frame),
        operational_facilities=int(mask.sum()),
        rated_capacity=int(np.nansum(rated[mask])),
        operational_capacity=int(basis_total),
        surge_capacity=int(np.nansum(surge[mask])),
        population=population_total,
        utilization=population_total / basis_total if basis_total > 0 else None,
        available=basis_total - population_total,
        over_capacity_facilities=int(np.sum(derived_band == Band.OVER.value)),
        near_capacity_facilities=int(np.sum(derived_band == Band.NEAR.value)),
        future_capacity=int(np.nansum(np.where(np.isnan(op_cap), rated, op_cap)[future.to_numpy()])),
        capacity_basis="operational" if uses_operational else "rated",
    )


GROUP_KEYS = ("state", "type", "status")


def totals_by(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Facilities, capacity, population and utilization per value of ``key`` (state/type/status).

    Missing group values are shown as "(blank)" rather than dropped.
    """
    if key not in GROUP_KEYS:
        raise ValueError(f"Totals are by {', '.join(GROUP_KEYS)}; got {key!r}")
    basis = capacity_basis(frame)
    work = pd.DataFrame(
        {
            "group": frame[key].fillna("(blank)").astype(str).to_numpy(),
            "facilities": 1,
            "rated_capacity": frame["rated_capacity"].to_numpy(dtype="float64", na_value=np.nan),
            "capacity": basis,
            "population": frame["population"].to_numpy(dtype="float64", na_value=np.nan),
            "over": band_of(utilization_of(frame["population"].to_numpy(dtype="float64", na_value=np.nan), basis))
            == Band.OVER.value,
        }
    )
    grouped = work.groupby("group", sort=True).agg(
        facilities=("facilities", "sum"),
        rated_capacity=("rated_capacity", "sum"),
        capacity=("capacity", "sum"),
        population=("population", "sum"),
        over_capacity_facilities=("over", "sum"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        grouped["utilization"] = np.where(grouped["capacity"] > 0, grouped["population"] / grouped["capacity"], np.nan)
    grouped["available"] = grouped["capacity"] - grouped["population"]
    grouped.index.name = key
    return grouped


def over_capacity(frame: pd.DataFrame) -> pd.DataFrame:
    """Facilities at or above 100% utilization, most over first, with the beds they are short."""
    derived = derive(frame)
    over = derived["band"] == Band.OVER.value
    result = frame.loc[over, ["id", "name", "state", "type", "population"]].copy()
    result["capacity"] = capacity_basis(frame)[over.to_numpy()]
    result["utilization"] = derived.loc[over, "utilization"]
    result["short"] = -derived.loc[over, "available"]
    return result.sort_values("utilization", ascending=False, kind="stable")


def utilization_histogram(utilization: np.ndarray, edges: tuple[float, ...] = (0, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5)) -> tuple[list[str], list[int]]:
    """Counts of facilities per utilization bucket; the last bucket is open-ended."""
    known = utilization[~np.isnan(utilization)]
    labels: list[str] = []
    counts: list[int] = []
    bounds = list(edges) + [np.inf]
    for low, high in zip(bounds[:-1], bounds[1:]):
        labels.append(f"≥{low:.0%}" if np.isinf(high) else f"{low:.0%}–{high:.0%}")
        counts.append(int(np.sum((known >= low) & (known < high))))
    return labels, counts
