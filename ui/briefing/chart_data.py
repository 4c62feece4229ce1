"""What each briefing chart shows, computed from a plan frame with the pure summary functions.

No Qt here: the painters in ``ui.briefing.charts`` only lay these values out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.chart_data import BAND_VALUES, HISTOGRAM_EDGES, bucket_bands
from models.schema import NEAR_THRESHOLD, OVER_THRESHOLD, Band, Status
from models.summary import (
    capacity_basis,
    derive,
    network_totals,
    over_capacity,
    totals_by,
    utilization_histogram,
)
from ui.briefing.formats import bucket_label, format_count, format_percent


@dataclass(frozen=True)
class FacilityBar:
    label: str
    utilization: float
    population: float
    capacity: float
    band: str


@dataclass(frozen=True)
class FacilityBars:
    """Facilities with a known utilization, highest first (cut to ``top_n`` when asked)."""

    bars: tuple[FacilityBar, ...]
    known: int
    facilities: int


@dataclass(frozen=True)
class StateGroup:
    label: str
    capacity: float
    population: float
    facilities: int

    @property
    def utilization(self) -> float | None:
        return self.population / self.capacity if self.capacity > 0 else None


@dataclass(frozen=True)
class StateGroups:
    """Today's capacity and population per state, largest capacity first."""

    groups: tuple[StateGroup, ...]
    excluded_sites: int


@dataclass(frozen=True)
class HistogramData:
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    bands: tuple[str, ...]
    known: int
    facilities: int


@dataclass(frozen=True)
class Figure:
    """One headline number: its text, what it is, and its band tone ('' for neutral)."""

    value: str
    label: str
    detail: str
    tone: str


@dataclass(frozen=True)
class Headline:
    figures: tuple[Figure, ...]


def _number(value: object) -> float:
    """A float for a summed or derived cell; missing (NaN, NA, None) counts as 0."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if number != number else number


def _today_mask(frame: pd.DataFrame) -> pd.Series:
    """Rows that count toward today's capacity, as ``network_totals`` counts them."""
    status = frame["status"]
    return (status == Status.OPERATIONAL.value) | status.isna()


def facility_bars(frame: pd.DataFrame, top_n: int | None = None) -> FacilityBars:
    derived = derive(frame)
    known = derived["utilization"].notna()
    work = frame.loc[known, ["id", "name", "state", "population"]].copy()
    work["utilization"] = derived.loc[known, "utilization"]
    work["band"] = derived.loc[known, "band"]
    work["capacity"] = capacity_basis(frame)[known.to_numpy()]
    work = work.sort_values(["utilization", "population"], ascending=[False, False], kind="stable")
    if top_n is not None:
        work = work.head(max(0, top_n))
    bars = tuple(
        FacilityBar(_facility_label(name, ident, state), float(utilization), float(population), float(capacity), str(band))
        for name, ident, state, utilization, population, capacity, band in zip(
            work["name"].tolist(), work["id"].tolist(), work["state"].tolist(), work["utilization"].tolist(),
            work["population"].astype(float).tolist(), work["capacity"].tolist(), work["band"].tolist(), strict=True,
        )
    )
    return FacilityBars(bars, known=int(known.sum()), facilities=len(frame))


def _facility_label(name: object, ident: object, state: object) -> str:
    text = str(name) if isinstance(name, str) and name.strip() else str(ident) if isinstance(ident, str) else "(unnamed)"
    return f"{text} ({state})" if isinstance(state, str) and state.strip() else text


def state_groups(frame: pd.DataFrame) -> StateGroups:
    today = _today_mask(frame)
    totals = totals_by(frame.loc[today], "state")
    totals = totals.sort_values(["capacity", "population"], ascending=False, kind="stable")
    groups = tuple(
        StateGroup(str(label), _number(capacity), _number(population), int(facilities))
        for label, capacity, population, facilities in zip(
            totals.index.tolist(), totals["capacity"].tolist(), totals["population"].tolist(),
            totals["facilities"].tolist(), strict=True,
        )
    )
    return StateGroups(groups, excluded_sites=int((~today).sum()))


def split_groups(groups: tuple[StateGroup, ...], keep: int) -> tuple[tuple[StateGroup, ...], StateGroup | None]:
    """The first ``keep`` groups, and the rest summed into one group (None when nothing is left)."""
    if len(groups) <= keep:
        return groups, None
    head, tail = groups[: max(1, keep)], groups[max(1, keep) :]
    rest = StateGroup(
        f"{len(tail)} others",
        sum(group.capacity for group in tail),
        sum(group.population for group in tail),
        sum(group.facilities for group in tail),
    )
    return head, rest


def histogram(frame: pd.DataFrame) -> HistogramData:
    utilization = derive(frame)["utilization"].to_numpy(dtype="float64", na_value=np.nan)
    _, counts = utilization_histogram(utilization, HISTOGRAM_EDGES)
    edges = HISTOGRAM_EDGES
    labels = [bucket_label(low, high) for low, high in zip(edges, (*edges[1:], None), strict=True)]
    bands = tuple(BAND_VALUES[code] for code in bucket_bands(edges))  # the live histogram's rule
    return HistogramData(tuple(labels), tuple(counts), bands, int(np.sum(~np.isnan(utilization))), len(frame))


def headline(frame: pd.DataFrame) -> Headline:
    totals = network_totals(frame)
    known = int(derive(frame)["utilization"].notna().sum())
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
    figures = (
        Figure(format_count(totals.population), "People held", "population across all facilities", ""),
        Figure(
            format_count(totals.operational_capacity),
            "Beds today",
            f"in {totals.operational_facilities:,} operational facilities",
            "",
        ),
        Figure(format_percent(utilization, 1), "Utilization", "people held ÷ beds today", tone),
        Figure(
            format_count(abs(totals.available)),
            "Beds short" if short else "Beds free",
            "people above capacity" if short else "capacity not in use",
            Band.OVER.value if short else "",
        ),
        Figure(
            f"{totals.over_capacity_facilities:,} of {known:,}",
            "Facilities over capacity",
            f"{totals.near_capacity_facilities:,} more at 90–99%",
            Band.OVER.value if totals.over_capacity_facilities else "",
        ),
        Figure(
            format_count(totals.future_capacity),
            "Beds coming",
            "planned or under construction",
            "",
        ),
    )
    return Headline(figures)


TABLE_TITLE = "Facilities most over capacity"
HEADLINE_TITLE = "Headline figures"
TABLE_HEADERS = ("Facility", "State", "Population", "Capacity", "Utilization", "Beds short")


def over_capacity_rows(frame: pd.DataFrame, limit: int = 10) -> tuple[list[tuple[str, ...]], int]:
    """Display rows of the facilities most over capacity, and how many are over in all."""
    over = over_capacity(frame)
    head = over.head(limit)
    rows: list[tuple[str, ...]] = [
        (
            name if isinstance(name, str) else str(ident),
            state if isinstance(state, str) else "",
            format_count(_number(population)),
            format_count(_number(capacity)),
            format_percent(_number(utilization), 1),
            format_count(_number(short)),
        )
        for name, ident, state, population, capacity, utilization, short in zip(
            head["name"].tolist(), head["id"].tolist(), head["state"].tolist(), head["population"].tolist(),
            head["capacity"].tolist(), head["utilization"].tolist(), head["short"].tolist(), strict=True,
        )
    ]
    return rows, len(over)
