"""Dated capacity changes per facility (open, ramp in phases, add/set beds, standby, close).

A change row says what happens to one facility on one date. ``compile_changes`` expands ramps
into their phases once; ``resolve`` then turns the included (and possibly delayed) changes into
each facility's state after every event, entirely with NumPy (no per-change Python loop), and
``network_capacity`` sums those states into the rated / operational / surge step series.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.schema import Status
from models.values import is_missing

SHEET = "Capacity changes"

#: What a change does. Beds are required where the action needs a number.
ACTIONS: dict[str, str] = {
    "open": "Operational from this date; with beds, rated capacity becomes that (in phases if given)",
    "add": "Add beds to rated capacity (negative removes them)",
    "set": "Set rated capacity to this many beds (usable beds follow)",
    "usable": "Set operational (usable) beds; the rest of the rated beds are out of service",
    "surge": "Set surge beds (extra beds that can be opened temporarily)",
    "standby": "Goes to standby: counts toward no capacity line until opened again",
    "close": "Closes: counts toward no capacity line",
}
_NEEDS_BEDS = {"add", "set", "usable", "surge"}
_OPEN, _ADD, _SET, _USABLE, _SURGE, _STANDBY, _CLOSE = range(7)
_CODES = {"open": _OPEN, "add": _ADD, "set": _SET, "usable": _USABLE, "surge": _SURGE, "standby": _STANDBY, "close": _CLOSE}

#: Column name → dtype of the "Capacity changes" sheet, in order.
COLUMNS: dict[str, str] = {
    "Change ID": "string",
    "Facility ID": "string",
    "Date": "datetime64[ns]",
    "Action": "string",
    "Beds": "Int64",
    "Phase beds": "Int64",
    "Phase every (days)": "Int64",
    "Note": "string",
}
MAX_BEDS = 10_000_000


class ChangeError(ValueError):
    """A capacity change that cannot be used; ``str()`` names the sheet, row and column."""


@dataclass(frozen=True)
class CapacityChange:
    """One dated change to one facility; ``phase_beds`` every ``phase_days`` ramps an opening."""

    change_id: str
    facility_id: str
    date: dt.date
    action: str
    beds: int | None = None
    phase_beds: int | None = None
    phase_days: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        where = f"change {self.change_id or '(no ID)'}"
        if self.action not in ACTIONS:
            raise ChangeError(f"{where}: action {self.action!r} is not one of {', '.join(ACTIONS)}")
        if not self.change_id.strip():
            raise ChangeError("A capacity change needs a change ID (such as C01) so scenarios can name it")
        if not self.facility_id.strip():
            raise ChangeError(f"{where}: give the facility ID the change applies to")
        if self.action in _NEEDS_BEDS and self.beds is None:
            raise ChangeError(f"{where}: action {self.action!r} needs a number of beds")
        if self.beds is not None and not -MAX_BEDS <= self.beds <= MAX_BEDS:
            raise ChangeError(f"{where}: {self.beds:,} beds is outside ±{MAX_BEDS:,}")
        if self.action in {"set", "usable", "surge"} and self.beds is not None and self.beds < 0:
            raise ChangeError(f"{where}: beds for {self.action!r} cannot be negative ({self.beds:,})")
        if self.phase_beds is not None:
            if self.action != "open" or self.beds is None:
                raise ChangeError(f"{where}: phases apply only to 'open' with a number of beds")
            if not 0 < self.phase_beds <= MAX_BEDS:
                raise ChangeError(f"{where}: phase beds must be a positive number; got {self.phase_beds:,}")
            if self.beds < 0:
                raise ChangeError(f"{where}: beds to open cannot be negative ({self.beds:,})")
        if self.phase_days is not None and not 1 <= self.phase_days <= 366:
            raise ChangeError(f"{where}: a phase must last 1 to 366 days; got {self.phase_days}")

    def phases(self) -> list[tuple[int, int]]:
        """(days after the change date, rated beds from then) for an opening; [] otherwise."""
        if self.action != "open" or self.beds is None:
            return []
        if not self.phase_beds:
            return [(0, self.beds)]
        every = self.phase_days or 7
        count = max(1, -(-self.beds // self.phase_beds))
        return [(i * every, min(self.beds, (i + 1) * self.phase_beds)) for i in range(count)]


# -- tables ---------------------------------------------------------------------------------
def empty_table() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in COLUMNS.items()})


def changes_to_frame(changes: list[CapacityChange]) -> pd.DataFrame:
    """The "Capacity changes" sheet for ``changes``, with the sheet's exact dtypes."""
    data = {
        "Change ID": [c.change_id for c in changes],
        "Facility ID": [c.facility_id for c in changes],
        "Date": [pd.Timestamp(c.date) for c in changes],
        "Action": [c.action for c in changes],
        "Beds": [c.beds for c in changes],
        "Phase beds": [c.phase_beds for c in changes],
        "Phase every (days)": [c.phase_days for c in changes],
        "Note": [c.note or None for c in changes],
    }
    return pd.DataFrame({name: pd.Series(data[name], dtype=dtype) for name, dtype in COLUMNS.items()})


def changes_from_frame(frame: pd.DataFrame | None, facility_ids: Any = None) -> list[CapacityChange]:
    """Changes from the sheet; ChangeError naming sheet, row and column for the first bad value.

    With ``facility_ids`` given, a change for a facility not in the plan is refused too.
    """
    if frame is None or len(frame) == 0:
        return []
    missing = [name for name in ("Change ID", "Facility ID", "Date", "Action") if name not in frame.columns]
    if missing:
        raise ChangeError(f"Sheet {SHEET!r} lacks the columns {', '.join(missing)}")
    known = None if facility_ids is None else {str(i) for i in facility_ids if not is_missing(i)}
    seen: dict[str, int] = {}
    out: list[CapacityChange] = []
    for position, row in enumerate(frame.to_dict("records")):
        where = f"sheet {SHEET!r}, row {position + 2}"
        change_id = _text(row.get("Change ID"))
        if change_id in seen:
            raise ChangeError(f"{where}, column Change ID: {change_id!r} is already used on row {seen[change_id] + 2}")
        seen[change_id] = position
        date = row.get("Date")
        if is_missing(date):
            raise ChangeError(f"{where}, column Date: a change needs a date")
        try:
            day = pd.Timestamp(date).date()
        except (TypeError, ValueError):
            raise ChangeError(f"{where}, column Date: {date!r} is not a date") from None
        action = _text(row.get("Action")).lower()
        facility = _text(row.get("Facility ID"))
        if known is not None and facility and facility not in known:
            raise ChangeError(f"{where}, column Facility ID: {facility!r} is not a facility in this plan")
        try:
            out.append(
                CapacityChange(
                    change_id=change_id,
                    facility_id=facility,
                    date=day,
                    action=action,
                    beds=_int(row.get("Beds"), where, "Beds"),
                    phase_beds=_int(row.get("Phase beds"), where, "Phase beds"),
                    phase_days=_int(row.get("Phase every (days)"), where, "Phase every (days)"),
                    note=_text(row.get("Note")),
                )
            )
        except ChangeError as error:
            raise ChangeError(f"{where}: {error}") from None
    return out


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def _int(value: Any, where: str, column: str) -> int | None:
    if is_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ChangeError(f"{where}, column {column}: {value!r} is not a number") from None
    if number != int(number):
        raise ChangeError(f"{where}, column {column}: beds and days are whole numbers; got {number}")
    return int(number)


# -- compiling and resolving -------------------------------------------------------------------
@dataclass(frozen=True)
class Baseline:
    """Each facility's state before any change: rated, out-of-service and surge beds, and status."""

    ids: np.ndarray
    rated: np.ndarray
    out_of_service: np.ndarray
    surge: np.ndarray
    counts: np.ndarray  # bool: operational (or no status) counts toward capacity lines
    status: np.ndarray  # object: status text


def baseline_of(frame: pd.DataFrame) -> Baseline:
    """Today's state of every facility in a plan frame."""
    rated = frame["rated_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    operational = frame["operational_capacity"].to_numpy(dtype="float64", na_value=np.nan)
    rated = np.where(np.isnan(rated), np.nan_to_num(operational), rated)
    rated = np.nan_to_num(rated)
    out_of_service = np.where(np.isnan(operational), 0.0, rated - operational)
    surge = np.nan_to_num(frame["surge_capacity"].to_numpy(dtype="float64", na_value=np.nan))
    status = frame["status"].astype("object").where(frame["status"].notna(), Status.OPERATIONAL.value)
    status_values = status.to_numpy(dtype="object")
    counts = status_values == Status.OPERATIONAL.value
    ids = frame["id"].astype("object").where(frame["id"].notna(), "").to_numpy(dtype="object")
    return Baseline(ids, rated, out_of_service, surge, counts, status_values)


@dataclass(frozen=True)
class CompiledChanges:
    """Changes expanded into events (one per ramp phase), as arrays; built once per plan."""

    change_ids: tuple[str, ...]
    facility_ids: tuple[str, ...]
    change: np.ndarray  # int: index into change_ids of each event
    facility: np.ndarray  # int: row of the facility in the baseline, -1 if unknown
    day: np.ndarray  # int: days since 1970-01-01 of the event (before any delay)
    code: np.ndarray  # int: action code
    beds: np.ndarray  # float: beds, NaN when none
    order: np.ndarray  # int: position in the table, to order same-day events


def compile_changes(changes: list[CapacityChange], baseline: Baseline) -> CompiledChanges:
    index = {str(ident): row for row, ident in enumerate(baseline.ids.tolist())}
    rows: list[tuple[int, int, int, int, float, int]] = []
    for number, change in enumerate(changes):
        facility = index.get(change.facility_id, -1)
        day = (change.date - dt.date(1970, 1, 1)).days
        code = _CODES[change.action]
        phases = change.phases()
        if not phases:
            rows.append((number, facility, day, code, np.nan if change.beds is None else float(change.beds), number))
        for offset, beds in phases:
            # The first phase opens the site; later phases only raise its rated beds.
            rows.append((number, facility, day + offset, _OPEN if offset == 0 else _SET, float(beds), number))
    table = np.array(rows, dtype="float64").reshape(-1, 6)
    return CompiledChanges(
        change_ids=tuple(c.change_id for c in changes),
        facility_ids=tuple(c.facility_id for c in changes),
        change=table[:, 0].astype("int64"),
        facility=table[:, 1].astype("int64"),
        day=table[:, 2].astype("int64"),
        code=table[:, 3].astype("int64"),
        beds=table[:, 4],
        order=table[:, 5].astype("int64"),
    )


@dataclass(frozen=True)
class Resolved:
    """Each facility's contribution to the three capacity lines after each event, in time order."""

    facility: np.ndarray
    day: np.ndarray
    rated: np.ndarray
    operational: np.ndarray
    surge: np.ndarray
    status: np.ndarray  # object


def resolve(compiled: CompiledChanges, baseline: Baseline, included: np.ndarray | None = None, delays: np.ndarray | None = None) -> Resolved:
    """Facility states after every included event; ``delays`` (days, per change) shift changes."""
    keep = compiled.facility >= 0
    if included is not None:
        keep &= included[compiled.change]
    facility = compiled.facility[keep]
    day = compiled.day[keep] + (delays[compiled.change[keep]] if delays is not None else 0)
    code, beds, order = compiled.code[keep], compiled.beds[keep], compiled.order[keep]
    # A virtual "baseline" event per touched facility at the dawn of time anchors every scan.
    touched = np.unique(facility)
    n_base = len(touched)
    facility = np.concatenate([touched, facility])
    day = np.concatenate([np.full(n_base, np.iinfo("int64").min // 2), day])
    code = np.concatenate([np.full(n_base, -1), code])
    beds = np.concatenate([np.full(n_base, np.nan), beds])
    order = np.concatenate([np.full(n_base, -1), order])
    sort = np.lexsort((order, day, facility))
    facility, day, code, beds = facility[sort], day[sort], code[sort], beds[sort]
    n = len(facility)
    positions = np.arange(n)
    is_base = code == -1

    # Rated beds: the last absolute value (baseline, set, open with beds) plus adds since then.
    absolute = is_base | (code == _SET) | ((code == _OPEN) & ~np.isnan(beds))
    absolute_value = np.where(is_base, baseline.rated[facility], beds)
    adds = np.where(code == _ADD, beds, 0.0)
    cum_adds = np.cumsum(adds)
    last_abs = np.maximum.accumulate(np.where(absolute, positions, 0))
    rated = absolute_value[last_abs] + cum_adds - cum_adds[last_abs]
    rated = np.maximum(rated, 0.0)

    # Out-of-service beds: reset by set/open, fixed by "usable"; baseline from the plan.
    oos_event = absolute | (code == _USABLE)
    oos_value = np.where(is_base, baseline.out_of_service[facility], np.where(code == _USABLE, rated - beds, 0.0))
    oos = oos_value[np.maximum.accumulate(np.where(oos_event, positions, 0))]
    operational = np.clip(rated - oos, 0.0, rated)

    surge_event = is_base | (code == _SURGE)
    surge_value = np.where(is_base, baseline.surge[facility], beds)
    surge = surge_value[np.maximum.accumulate(np.where(surge_event, positions, 0))]

    status_event = is_base | (code == _OPEN) | (code == _STANDBY) | (code == _CLOSE)
    status_code = np.where(is_base, -1, code)[np.maximum.accumulate(np.where(status_event, positions, 0))]
    base_status = baseline.status[facility]
    status = np.where(
        status_code == _OPEN, Status.OPERATIONAL.value,
        np.where(status_code == _STANDBY, Status.STANDBY.value,
                 np.where(status_code == _CLOSE, Status.CLOSED.value, base_status)),
    ).astype("object")
    counts = np.where(status_code == -1, baseline.counts[facility], status_code == _OPEN)
    return Resolved(facility, day, rated * counts, operational * counts, surge * counts, status)


LINES = ("rated", "operational", "surge")


def network_capacity(baseline: Baseline, resolved: Resolved, start_day: int, days: int) -> dict[str, np.ndarray]:
    """Rated, operational and surge (operational + surge beds) network capacity for each of
    ``days + 1`` dates from ``start_day`` (days since 1970-01-01). Events before the start apply
    on the start date; events after the last date are left out."""
    counts = baseline.counts
    base_operational = np.clip(baseline.rated - baseline.out_of_service, 0.0, None)
    totals = {
        "rated": np.nansum(baseline.rated * counts),
        "operational": np.nansum(base_operational * counts),
        "surge": np.nansum(baseline.surge * counts),
    }
    facility = resolved.facility
    same = np.zeros(len(facility), dtype=bool)
    same[1:] = facility[1:] == facility[:-1]
    index = np.clip(resolved.day - start_day, 0, None)
    inside = resolved.day - start_day <= days
    out: dict[str, np.ndarray] = {}
    for line, values in (("rated", resolved.rated), ("operational", resolved.operational), ("surge", resolved.surge)):
        values = np.nan_to_num(values)
        previous = np.concatenate([[0.0], values[:-1]])
        # Each facility's first (baseline) event swaps its plan contribution for the resolved one (equal).
        delta = np.where(same, values - previous, 0.0)
        steps = np.bincount(index[inside], weights=delta[inside], minlength=days + 1)[: days + 1]
        out[line] = totals[line] + np.cumsum(steps)
    out["surge"] = out["operational"] + out["surge"]
    return out


def facility_state_on(baseline: Baseline, resolved: Resolved, day: int) -> pd.DataFrame:
    """Each facility's status and rated / operational / surge beds on ``day`` (days since 1970-01-01)."""
    n = len(baseline.ids)
    status = baseline.status.copy()
    base_operational = np.clip(baseline.rated - baseline.out_of_service, 0.0, None)
    rated = np.where(baseline.counts, baseline.rated, 0.0)
    operational = np.where(baseline.counts, base_operational, 0.0)
    surge = np.where(baseline.counts, baseline.surge, 0.0)
    upto = resolved.day <= day
    if upto.any():
        facility = resolved.facility[upto]
        last = np.full(n, -1, dtype="int64")
        # Events are sorted by facility then time, so the highest index per facility is its latest.
        np.maximum.at(last, facility, np.nonzero(upto)[0])
        has = last >= 0
        status[has] = resolved.status[last[has]]
        rated[has] = resolved.rated[last[has]]
        operational[has] = resolved.operational[last[has]]
        surge[has] = resolved.surge[last[has]]
    return pd.DataFrame(
        {"id": baseline.ids, "status": status, "rated": rated, "operational": operational, "surge": surge}
    )


def epoch_day(day: dt.date | pd.Timestamp) -> int:
    """Days since 1970-01-01."""
    return int((pd.Timestamp(day).normalize() - pd.Timestamp("1970-01-01")).days)


def date_of(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
