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


def _floats(frame: pd.DataFrame, key: str) -> np.ndarray:
    return frame[key].to_numpy(dtype="float64", na_value=np.nan)


def _status_mask(frame: pd.DataFrame, statuses: tuple[Status, ...], include_missing: bool = False) -> np.ndarray:
    status = frame["status"]
    if isinstance(status.dtype, pd.CategoricalDtype):
        codes = status.cat.codes.to_numpy()
        wanted = [status.cat.categories.get_loc(s.value) for s in statuses if s.value in status.cat.categories]
        mask = np.isin(codes, wanted)
        return mask | (codes == -1) if include_missing else mask
    mask = status.isin([s.value for s in statuses]).to_numpy()
    return mask | status.isna().to_numpy() if include_missing else mask


def network_totals(frame: pd.DataFrame) -> NetworkTotals:
    """Totals over ``frame``. Today's capacity counts only operational facilities (and those with
    no status); planned and under-construction sites count as future capacity. Population counts
    every facility. Runs on every edit, so it stays with whole-array NumPy operations."""
    return totals_from_arrays(
        rated=_floats(frame, "rated_capacity"),
        operational_capacity=_floats(frame, "operational_capacity"),
        surge=_floats(frame, "surge_capacity"),
        population=_floats(frame, "population"),
        operational=_status_mask(frame, (Status.OPERATIONAL,), include_missing=True),
        future=_status_mask(frame, (Status.PLANNED, Status.UNDER_CONSTRUCTION)),
    )


def totals_from_arrays(
    rated: np.ndarray,
    operational_capacity: np.ndarray,
    surge: np.ndarray,
    population: np.ndarray,
    operational: np.ndarray,
    future: np.ndarray,
    basis_name: str = "operational",
) -> NetworkTotals:
    """``network_totals`` over plain arrays (NaN for unknown), so live charts that already hold
    the columns as arrays do not rebuild a frame per edit. ``basis_name`` "rated" measures
    utilization against rated capacity only; "operational" uses operational where known."""
    op_known = ~np.isnan(operational_capacity)
    basis = rated if basis_name == "rated" else np.where(op_known, operational_capacity, rated)
    basis_known = ~np.isnan(basis)
    basis_total = float(basis[operational & basis_known].sum())
    population_total = float(population[~np.isnan(population)].sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        utilization = population / basis
    finite = np.isfinite(utilization)
    over = finite & (utilization >= OVER_THRESHOLD)
    near = finite & (utilization >= NEAR_THRESHOLD) & ~over
    if basis_name == "rated":
        basis_label = "rated"
    else:
        basis_label = "operational" if bool(np.any(op_known & operational)) else "rated"
    return NetworkTotals(
        facilities=len(population),
        operational_facilities=int(np.count_nonzero(operational)),
        rated_capacity=int(np.nansum(np.where(operational, rated, 0.0))),
        operational_capacity=int(basis_total),
        surge_capacity=int(np.nansum(np.where(operational, surge, 0.0))),
        population=population_total,
        utilization=population_total / basis_total if basis_total > 0 else None,
        available=basis_total - population_total,
        over_capacity_facilities=int(np.count_nonzero(over)),
        near_capacity_facilities=int(np.count_nonzero(near)),
        future_capacity=int(basis[future & basis_known].sum()),
        capacity_basis=basis_label,
    )


GROUP_KEYS = ("state", "type", "status")
BLANK_GROUP = "(blank)"


def blank_filled(values: pd.Series) -> np.ndarray:
    """Group labels as text, missing ones as "(blank)"; works for categorical columns too
    (``fillna`` on a categorical refuses a value that is not one of its categories)."""
    text = values.astype(object).to_numpy()
    missing = pd.isna(text)
    result = np.where(missing, BLANK_GROUP, text).astype(str)
    # Whitespace-only text is as blank as a missing cell.
    stripped = np.char.strip(result)
    return np.where(stripped == "", BLANK_GROUP, result)


def totals_by(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Facilities, capacity, population and utilization per value of ``key`` (state/type/status).

    Missing group values are shown as "(blank)" rather than dropped.
    """
    if key not in GROUP_KEYS:
        raise ValueError(f"Totals are by {', '.join(GROUP_KEYS)}; got {key!r}")
    basis = capacity_basis(frame)
    work = pd.DataFrame(
        {
            "group": blank_filled(frame[key]),
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
