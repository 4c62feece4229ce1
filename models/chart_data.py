"""What the live charts show, as plain arrays: facility bars, group totals, utilization buckets.

The columns are held as NumPy arrays in plan order (``PlanColumns``) so that a cell edit
updates one element and the figures are recomputed with whole-array operations; no Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.schema import NEAR_THRESHOLD, OVER_THRESHOLD, Band, Status
from models.summary import (
    BLANK_GROUP,
    GROUP_KEYS,
    NetworkTotals,
    blank_filled,
    totals_from_arrays,
    utilization_of,
)

#: Capacity a chart measures against: "operational" uses operational capacity where it is known
#: and rated capacity otherwise (the table's rule); "rated" uses rated capacity only.
BASES: tuple[str, ...] = ("operational", "rated")
BASIS_LABELS: dict[str, str] = {
    "operational": "operational capacity (rated where unknown)",
    "rated": "rated capacity",
}
SORT_KEYS: tuple[str, ...] = ("utilization", "population", "capacity", "name")
SORT_LABELS: dict[str, str] = {
    "utilization": "Utilization",
    "population": "Population",
    "capacity": "Capacity",
    "name": "Name",
}
GROUP_LABELS: dict[str, str] = {"state": "State", "type": "Type", "status": "Status"}

#: Band codes used by the bar arrays; the order is the legend's order.
BAND_OK, BAND_NEAR, BAND_OVER, BAND_UNKNOWN = 0, 1, 2, 3
BAND_VALUES: dict[int, str] = {
    BAND_OK: Band.OK.value,
    BAND_NEAR: Band.NEAR.value,
    BAND_OVER: Band.OVER.value,
    BAND_UNKNOWN: Band.UNKNOWN.value,
}

HISTOGRAM_EDGES: tuple[float, ...] = (0, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5)

_NUMERIC = {
    "population": "population",
    "rated_capacity": "rated",
    "operational_capacity": "operational",
    "surge_capacity": "surge",
}
_TEXT = ("id", "name", "city", "state", "type", "status")


def _floats(series: pd.Series) -> np.ndarray:
    # Always a copy: the arrays are written on edits, and must never alias the plan's frame.
    return np.array(series.to_numpy(dtype="float64", na_value=np.nan), dtype="float64", copy=True)


def _texts(series: pd.Series) -> np.ndarray:
    values = series.astype(object).to_numpy(copy=True)
    values[pd.isna(values)] = None
    return values


def _number(value: Any) -> float:
    if value is None:
        return np.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return np.nan
    return number


@dataclass
class PlanColumns:
    """The columns the charts use, in plan order; numbers as float64 with NaN for unknown."""

    population: np.ndarray
    rated: np.ndarray
    operational: np.ndarray
    surge: np.ndarray
    text: dict[str, np.ndarray]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> PlanColumns:
        return cls(
            population=_floats(frame["population"]),
            rated=_floats(frame["rated_capacity"]),
            operational=_floats(frame["operational_capacity"]),
            surge=_floats(frame["surge_capacity"]),
            text={key: _texts(frame[key]) for key in _TEXT},
        )

    def __len__(self) -> int:
        return len(self.population)

    def set_values(self, changes: Iterable[tuple[int, str, Any]]) -> set[str]:
        """Store changed cells (plan row, key, value); returns the keys that were charted."""
        touched: set[str] = set()
        for row, key, value in changes:
            if key in _NUMERIC:
                getattr(self, _NUMERIC[key])[row] = _number(value)
                touched.add(key)
            elif key in self.text:
                self.text[key][row] = None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
                touched.add(key)
        return touched

    def capacity(self, basis: str) -> np.ndarray:
        """Capacity per row on ``basis`` (see BASES)."""
        if basis not in BASES:
            raise ValueError(f"capacity basis is one of {', '.join(BASES)}; got {basis!r}")
        if basis == "rated":
            return self.rated
        return np.where(np.isnan(self.operational), self.rated, self.operational)

    def labels(self, rows: np.ndarray) -> list[str]:
        """Facility names for bar labels: the name, else the ID, else "(unnamed)"."""
        names = self.text["name"]
        ids = self.text["id"]
        result = []
        for row in rows.tolist():
            name = names[row]
            if isinstance(name, str) and name.strip():
                result.append(name)
            elif isinstance(ids[row], str) and ids[row].strip():
                result.append(ids[row])
            else:
                result.append("(unnamed)")
        return result

    def today_mask(self) -> np.ndarray:
        """Rows counting toward today's capacity: operational or no status (as network_totals)."""
        status = self.text["status"]
        return np.asarray((status == None) | (status == Status.OPERATIONAL.value), dtype=bool)  # noqa: E711

    def future_mask(self) -> np.ndarray:
        status = self.text["status"]
        return np.asarray((status == Status.PLANNED.value) | (status == Status.UNDER_CONSTRUCTION.value), dtype=bool)


def band_codes(utilization: np.ndarray) -> np.ndarray:
    """BAND_* code per utilization ratio (over ≥ 100%, near ≥ 90%, unknown when NaN)."""
    codes = np.full(len(utilization), BAND_OK, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        codes[utilization >= NEAR_THRESHOLD] = BAND_NEAR
        codes[utilization >= OVER_THRESHOLD] = BAND_OVER
    codes[np.isnan(utilization)] = BAND_UNKNOWN
    return codes


@dataclass(frozen=True)
class FacilityFigures:
    """Bars of the facility chart, in chart order: one entry per facility in view."""

    rows: np.ndarray  # plan rows, in bar order
    population: np.ndarray
    capacity: np.ndarray
    utilization: np.ndarray
    bands: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


def facility_order(sort_key: str, rows: np.ndarray, population: np.ndarray, capacity: np.ndarray,
                   utilization: np.ndarray, names: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """``rows`` ordered for the chart: numbers largest first, names A–Z; unknown values last,
    ties in plan order, so an edit moves only the bar it changed.

    ``previous`` may pass the same rows in their last chart order: after an edit that order is
    nearly sorted, and re-sorting it (an adaptive stable sort) is several times faster than
    sorting from scratch; the result is the same (ties are checked, and sorted afresh if the
    edit created one out of plan order)."""
    if sort_key not in SORT_KEYS:
        raise ValueError(f"facility bars sort by {', '.join(SORT_KEYS)}; got {sort_key!r}")
    if len(rows) == 0:
        return np.asarray(rows, dtype=np.int64)
    if sort_key == "name":
        rows = np.sort(rows)
        keys = [(name is None or not str(name).strip(), str(name or "").casefold()) for name in names[rows].tolist()]
        by_name = sorted(range(len(rows)), key=keys.__getitem__)
        return rows[np.asarray(by_name, dtype=np.int64)]
    values = {"utilization": utilization, "population": population, "capacity": capacity}[sort_key]
    if previous is not None and len(previous) == len(rows):
        ordered = _sorted_by_key(previous, values)
        key = _descending_key(values[ordered])
        tied = np.flatnonzero(key[1:] == key[:-1])
        if not np.any(ordered[tied] > ordered[tied + 1]):
            return ordered
    return _sorted_by_key(np.sort(rows), values)


def _descending_key(values: np.ndarray) -> np.ndarray:
    """Largest first, unknown (NaN -> +inf) last, for an ascending sort."""
    key = -values
    key[np.isnan(key)] = np.inf
    return key


def _sorted_by_key(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``rows`` stably sorted by ``values`` (largest first, unknown last)."""
    return rows[np.argsort(_descending_key(values[rows]), kind="stable")]


def facility_figures(columns: PlanColumns, rows: np.ndarray, basis: str, sort_key: str,
                     utilization: np.ndarray | None = None, order: np.ndarray | None = None,
                     previous: np.ndarray | None = None) -> FacilityFigures:
    """Population, capacity, utilization and band of the facilities in ``rows``, sorted.

    ``utilization`` may pass the utilization of every plan row on ``basis`` when the caller has
    it already; ``order`` may pass the bar order when it cannot have changed (sorted by name
    and only numbers were edited); ``previous`` the same rows in their last order (see
    ``facility_order``)."""
    capacity = columns.capacity(basis)
    if utilization is None:
        utilization = utilization_of(columns.population, capacity)
    if order is None:
        order = facility_order(sort_key, np.asarray(rows, dtype=np.int64), columns.population, capacity,
                               utilization, columns.text["name"], previous)
    return FacilityFigures(
        rows=order,
        population=columns.population[order],
        capacity=capacity[order],
        utilization=utilization[order],
        bands=band_codes(utilization[order]),
    )


@dataclass(frozen=True)
class GroupFigures:
    """Capacity and population per group (state, type or status), in label order."""

    key: str
    labels: tuple[str, ...]
    capacity: np.ndarray
    population: np.ndarray
    facilities: np.ndarray
    today_only: bool

    @property
    def utilization(self) -> np.ndarray:
        return utilization_of(self.population, np.where(self.capacity > 0, self.capacity, np.nan))


def group_codes(values: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """Sorted distinct labels ("(blank)" last) and each row's index into them."""
    text = blank_filled(pd.Series(values, dtype=object))
    labels, codes = np.unique(text, return_inverse=True)
    ordered = sorted(labels.tolist(), key=lambda label: (label == BLANK_GROUP, _group_sort_key(label)))
    remap = np.array([ordered.index(label) for label in labels.tolist()], dtype=np.int64)
    return tuple(ordered), remap[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def _group_sort_key(label: str) -> tuple[int, str]:
    statuses = [status.value for status in Status]
    return (statuses.index(label), "") if label in statuses else (len(statuses), label.casefold())


def group_figures(columns: PlanColumns, key: str, rows: np.ndarray, basis: str,
                  codes: tuple[tuple[str, ...], np.ndarray] | None = None,
                  today: np.ndarray | None = None) -> GroupFigures:
    """Totals per value of ``key`` over ``rows``. By state and type, capacity counts today's
    facilities only (as the headline does); by status every status shows its own capacity.
    ``codes`` may pass precomputed ``group_codes`` of the whole column (they change rarely)."""
    if key not in GROUP_KEYS:
        raise ValueError(f"Totals are by {', '.join(GROUP_KEYS)}; got {key!r}")
    labels, all_codes = codes if codes is not None else group_codes(columns.text[key])
    rows = np.asarray(rows, dtype=np.int64)
    subset = all_codes[rows]
    capacity = columns.capacity(basis)[rows]
    today_only = key != "status"
    if today_only:
        today = columns.today_mask() if today is None else today
        capacity = np.where(today[rows], capacity, np.nan)
    population = columns.population[rows]
    size = len(labels)
    cap_total = np.bincount(subset, weights=np.nan_to_num(capacity), minlength=size)
    pop_total = np.bincount(subset, weights=np.nan_to_num(population), minlength=size)
    count = np.bincount(subset, minlength=size)
    present = np.flatnonzero(count)
    return GroupFigures(
        key=key,
        labels=tuple(labels[i] for i in present.tolist()),
        capacity=cap_total[present],
        population=pop_total[present],
        facilities=count[present],
        today_only=today_only,
    )


@dataclass(frozen=True)
class HistogramFigures:
    labels: tuple[str, ...]
    counts: np.ndarray
    bands: tuple[int, ...]
    known: int
    facilities: int


def bucket_bands(edges: tuple[float, ...] = HISTOGRAM_EDGES) -> tuple[int, ...]:
    """Band code of each utilization bucket (its lower edge decides)."""
    return tuple(BAND_OVER if low >= OVER_THRESHOLD else BAND_NEAR if low >= NEAR_THRESHOLD else BAND_OK for low in edges)


def bucket_labels(edges: tuple[float, ...] = HISTOGRAM_EDGES) -> tuple[str, ...]:
    """'0–49%', '50–74%', …, '150%+': whole percents, no overlap between neighbours."""
    labels = []
    for low, high in zip(edges, (*edges[1:], None)):
        if high is None:
            labels.append(f"{low * 100:.0f}%+")
        else:
            labels.append(f"{low * 100:.0f}–{high * 100 - 1:.0f}%")
    return tuple(labels)


def histogram_figures(utilization: np.ndarray, edges: tuple[float, ...] = HISTOGRAM_EDGES) -> HistogramFigures:
    """Facilities per utilization bucket; the last bucket is open-ended, below 0 never happens."""
    known = utilization[~np.isnan(utilization)]
    bounds = np.asarray(edges, dtype="float64")
    index = np.searchsorted(bounds, known, side="right") - 1
    counts = np.bincount(index[index >= 0], minlength=len(edges))
    return HistogramFigures(bucket_labels(edges), counts, bucket_bands(edges), len(known), len(utilization))


def network_figures(columns: PlanColumns, rows: np.ndarray, basis: str,
                    today: np.ndarray | None = None, future: np.ndarray | None = None) -> NetworkTotals:
    """Headline totals over ``rows`` on ``basis``; same rules as ``models.summary.network_totals``."""
    rows = np.asarray(rows, dtype=np.int64)
    today = columns.today_mask() if today is None else today
    future = columns.future_mask() if future is None else future
    return totals_from_arrays(
        rated=columns.rated[rows],
        operational_capacity=columns.operational[rows],
        surge=columns.surge[rows],
        population=columns.population[rows],
        operational=today[rows],
        future=future[rows],
        basis_name=basis,
    )


def facility_tooltip(columns: PlanColumns, row: int, basis: str) -> str:
    """Name, location, status, capacity, population, utilization and available beds of one facility."""
    text = columns.text
    name = columns.labels(np.array([row]))[0]
    place = ", ".join(str(part) for part in (text["city"][row], text["state"][row]) if part)
    capacity = float(columns.capacity(basis)[row])
    population = float(columns.population[row])
    basis_word = "rated" if basis == "rated" or np.isnan(columns.operational[row]) else "operational"
    lines = [name + (f" — {place}" if place else "")]
    lines.append(f"Status: {text['status'][row] or 'not given'}")
    lines.append(f"Capacity ({basis_word}): " + ("unknown" if np.isnan(capacity) else f"{capacity:,.0f} beds"))
    lines.append("Population: " + ("unknown" if np.isnan(population) else _count(population)))
    if np.isnan(capacity) or np.isnan(population) or capacity == 0:
        lines.append("Utilization: unknown")
    else:
        available = capacity - population
        lines.append(f"Utilization: {population / capacity:.1%}")
        lines.append(f"Beds short: {_count(-available)}" if available < 0 else f"Beds available: {_count(available)}")
    return "\n".join(lines)


def _facilities(count: int) -> str:
    return f"{count:,} facilit{'y' if count == 1 else 'ies'}"


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def headline_items(totals: NetworkTotals, surge_known: bool = True) -> list[tuple[str, str, str]]:
    """(label, value, band value) per headline figure of the network view."""
    utilization = totals.utilization
    if utilization is None:
        tone = ""
    elif utilization >= OVER_THRESHOLD:
        tone = Band.OVER.value
    elif utilization >= NEAR_THRESHOLD:
        tone = Band.NEAR.value
    else:
        tone = Band.OK.value
    short = totals.available < 0
    return [
        ("Rated capacity", f"{totals.rated_capacity:,}", ""),
        (f"Capacity used ({totals.capacity_basis})", f"{totals.operational_capacity:,}", ""),
        ("Surge capacity", f"{totals.surge_capacity:,}" if surge_known else "–", ""),
        ("Population", _count(round(totals.population, 1)), ""),
        ("Utilization", "–" if utilization is None else f"{utilization:.1%}", tone),
        ("Beds short" if short else "Beds available", _count(abs(round(totals.available, 1))), Band.OVER.value if short else ""),
        ("Over capacity", _facilities(totals.over_capacity_facilities), Band.OVER.value if totals.over_capacity_facilities else ""),
        ("Near capacity", _facilities(totals.near_capacity_facilities), Band.NEAR.value if totals.near_capacity_facilities else ""),
    ]


def changes_from(touched: Mapping[int, Iterable[str]], value_of: Any) -> list[tuple[int, str, Any]]:
    """(row, key, value) for each touched cell, reading values through ``value_of(row, key)``."""
    return [(row, key, value_of(row, key)) for row, keys in touched.items() for key in keys
            if key in _NUMERIC or key in _TEXT]
