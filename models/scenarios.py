"""Named what-if scenarios: start, population, daily flows (constant or weekly), growth, capacity changes.

Kept in the plan as two sheets: "Scenarios" (one row per scenario) and "Scenario flows" (weekly
schedules: from a week's first day on, that week's daily rates apply until the next row).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from models.values import is_missing

SHEET = "Scenarios"
FLOWS_SHEET = "Scenario flows"
MAX_HORIZON = 366
MAX_FLOW = 1_000_000.0
MAX_GROWTH = 100.0

COLUMNS: dict[str, str] = {
    "Scenario": "string",
    "Start date": "datetime64[ns]",
    "Horizon (days)": "Int64",
    "Start population": "Float64",
    "Book-ins per day": "Float64",
    "Removals per day": "Float64",
    "Releases per day": "Float64",
    "Book-in growth (% per week)": "Float64",
    "Outflow growth (% per week)": "Float64",
    "Capacity changes": "string",
    "Description": "string",
}
FLOW_COLUMNS: dict[str, str] = {
    "Scenario": "string",
    "Week starting": "datetime64[ns]",
    "Book-ins per day": "Float64",
    "Removals per day": "Float64",
    "Releases per day": "Float64",
}


class ScenarioError(ValueError):
    """A scenario that cannot be projected; ``str()`` says which value, where, and what to do."""


@dataclass(frozen=True)
class FlowStep:
    """From ``start`` on, these daily rates (None keeps the rate in force before)."""

    start: dt.date
    inflow: float | None = None
    removals: float | None = None
    releases: float | None = None


@dataclass(frozen=True)
class Scenario:
    """One what-if: flows are people per day; growth compounds weekly (applied daily)."""

    name: str
    start: dt.date
    horizon_days: int = 182
    start_population: float | None = None
    inflow: float = 0.0
    removals: float = 0.0
    releases: float = 0.0
    inflow_growth: float = 0.0
    outflow_growth: float = 0.0
    capacity_changes: str = "all"
    description: str = ""
    schedule: tuple[FlowStep, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        label = f"scenario {self.name!r}"
        if not self.name.strip():
            raise ScenarioError("A scenario needs a name")
        if not 0 <= self.horizon_days <= MAX_HORIZON:
            raise ScenarioError(f"{label}: the horizon must be 0 to {MAX_HORIZON} days; got {self.horizon_days}")
        if self.start_population is not None and not 0 <= self.start_population <= 1e8:
            raise ScenarioError(f"{label}: start population must be 0 or more; got {self.start_population:,}")
        for what, value in (("book-ins", self.inflow), ("removals", self.removals), ("releases", self.releases)):
            _check_flow(label, what, value)
        for what, value in (("book-in growth", self.inflow_growth), ("outflow growth", self.outflow_growth)):
            if not -MAX_GROWTH < value <= MAX_GROWTH:
                raise ScenarioError(f"{label}: {what} must be above -100% and at most {MAX_GROWTH:g}% a week; got {value:g}%")
        for step in self.schedule:
            for what, rate in (("book-ins", step.inflow), ("removals", step.removals), ("releases", step.releases)):
                if rate is not None:
                    _check_flow(f"{label}, week starting {step.start.isoformat()}", what, rate)
        parse_inclusion(self.capacity_changes)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.horizon_days)

    def with_changes(self, **changes: Any) -> Scenario:
        return replace(self, **changes)


def _check_flow(label: str, what: str, value: float) -> None:
    if not 0 <= value <= MAX_FLOW or value != value:
        raise ScenarioError(f"{label}: {what} per day must be 0 to {MAX_FLOW:,.0f}; got {value:,}")


# -- which capacity changes a scenario includes ---------------------------------------------------
_TOKEN = re.compile(r"^(?P<name>[^+]+?)\s*(?:\+\s*(?P<amount>\d+)\s*(?P<unit>[dw]?)\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Inclusion:
    """"all", "none", or named changes / facilities each with an optional delay in days."""

    everything: bool
    names: tuple[tuple[str, int], ...] = ()


def parse_inclusion(text: str) -> Inclusion:
    """'all' | 'none' | 'C01; DEMO-901 +4w; C07 +10d' (change IDs or facility IDs, optional delay)."""
    cleaned = (text or "").strip()
    if cleaned.lower() in {"", "all"}:
        return Inclusion(True)
    if cleaned.lower() == "none":
        return Inclusion(False)
    names: list[tuple[str, int]] = []
    for part in re.split(r"[;,\n]", cleaned):
        part = part.strip()
        if not part:
            continue
        match = _TOKEN.match(part)
        if match is None:
            raise ScenarioError(
                f"Capacity changes: cannot read {part!r}; write change or facility IDs separated by ';', "
                "each optionally delayed such as 'DEMO-901 +4w' or 'C03 +10d'"
            )
        amount = int(match["amount"] or 0)
        delay = amount * 7 if (match["unit"] or "d").lower() == "w" else amount
        if delay > MAX_HORIZON * 2:
            raise ScenarioError(f"Capacity changes: a delay of {delay} days in {part!r} is longer than two years")
        names.append((match["name"].strip(), delay))
    return Inclusion(False, tuple(names))


# -- tables -------------------------------------------------------------------------------------------
def _typed(data: dict[str, list[Any]], columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(data[name], dtype=dtype) for name, dtype in columns.items()})


def scenarios_to_frames(scenarios: list[Scenario]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The "Scenarios" and "Scenario flows" sheets for ``scenarios``, with exact dtypes."""
    main = {
        "Scenario": [s.name for s in scenarios],
        "Start date": [pd.Timestamp(s.start) for s in scenarios],
        "Horizon (days)": [s.horizon_days for s in scenarios],
        "Start population": [s.start_population for s in scenarios],
        "Book-ins per day": [s.inflow for s in scenarios],
        "Removals per day": [s.removals for s in scenarios],
        "Releases per day": [s.releases for s in scenarios],
        "Book-in growth (% per week)": [s.inflow_growth for s in scenarios],
        "Outflow growth (% per week)": [s.outflow_growth for s in scenarios],
        "Capacity changes": [s.capacity_changes for s in scenarios],
        "Description": [s.description or None for s in scenarios],
    }
    steps = [(s.name, step) for s in scenarios for step in s.schedule]
    flows = {
        "Scenario": [name for name, _ in steps],
        "Week starting": [pd.Timestamp(step.start) for _, step in steps],
        "Book-ins per day": [step.inflow for _, step in steps],
        "Removals per day": [step.removals for _, step in steps],
        "Releases per day": [step.releases for _, step in steps],
    }
    return _typed(main, COLUMNS), _typed(flows, FLOW_COLUMNS)


def scenarios_from_frames(frame: pd.DataFrame | None, flows: pd.DataFrame | None = None) -> list[Scenario]:
    """Scenarios from the two sheets; ScenarioError naming the sheet, row and column of a bad value."""
    if frame is None or len(frame) == 0:
        return []
    missing = [name for name in ("Scenario", "Start date") if name not in frame.columns]
    if missing:
        raise ScenarioError(f"Sheet {SHEET!r} lacks the columns {', '.join(missing)}")
    schedules: dict[str, list[FlowStep]] = {}
    if flows is not None and len(flows):
        for position, row in enumerate(flows.to_dict("records")):
            where = f"sheet {FLOWS_SHEET!r}, row {position + 2}"
            name = _text(row.get("Scenario"))
            step = FlowStep(
                _date(row.get("Week starting"), where, "Week starting"),
                _number(row.get("Book-ins per day"), where, "Book-ins per day"),
                _number(row.get("Removals per day"), where, "Removals per day"),
                _number(row.get("Releases per day"), where, "Releases per day"),
            )
            schedules.setdefault(name, []).append(step)
    out: list[Scenario] = []
    names: dict[str, int] = {}
    for position, row in enumerate(frame.to_dict("records")):
        where = f"sheet {SHEET!r}, row {position + 2}"
        name = _text(row.get("Scenario"))
        if name in names:
            raise ScenarioError(f"{where}, column Scenario: {name!r} is already the name of row {names[name] + 2}")
        names[name] = position
        horizon = _number(row.get("Horizon (days)"), where, "Horizon (days)")
        try:
            out.append(
                Scenario(
                    name=name,
                    start=_date(row.get("Start date"), where, "Start date"),
                    horizon_days=182 if horizon is None else int(horizon),
                    start_population=_number(row.get("Start population"), where, "Start population"),
                    inflow=_number(row.get("Book-ins per day"), where, "Book-ins per day") or 0.0,
                    removals=_number(row.get("Removals per day"), where, "Removals per day") or 0.0,
                    releases=_number(row.get("Releases per day"), where, "Releases per day") or 0.0,
                    inflow_growth=_number(row.get("Book-in growth (% per week)"), where, "Book-in growth") or 0.0,
                    outflow_growth=_number(row.get("Outflow growth (% per week)"), where, "Outflow growth") or 0.0,
                    capacity_changes=_text(row.get("Capacity changes")) or "all",
                    description=_text(row.get("Description")),
                    schedule=tuple(sorted(schedules.pop(name, []), key=lambda step: step.start)),
                )
            )
        except ScenarioError as error:
            raise ScenarioError(f"{where}: {error}") from None
    if schedules:
        orphan = next(iter(schedules))
        raise ScenarioError(f"Sheet {FLOWS_SHEET!r} has weeks for {orphan!r}, which is not a scenario in sheet {SHEET!r}")
    return out


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def _number(value: Any, where: str, column: str) -> float | None:
    if is_missing(value):
        return None
    try:
        number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}, column {column}: {value!r} is not a number") from None
    if number != number:
        return None
    return number


def _date(value: Any, where: str, column: str) -> dt.date:
    if is_missing(value):
        raise ScenarioError(f"{where}, column {column}: a date is needed")
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}, column {column}: {value!r} is not a date (write it as 2025-03-03)") from None
