"""Capacity changes: validation, the sheet converters, status on a date, network step series."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from models.capacity_changes import (
    COLUMNS,
    CapacityChange,
    ChangeError,
    baseline_of,
    changes_from_frame,
    changes_to_frame,
    compile_changes,
    epoch_day,
    facility_state_on,
    network_capacity,
    resolve,
)
from models.facility_plan import FacilityPlan

CHANGES = [
    CapacityChange("C1", "E5", dt.date(2025, 3, 3), "open", 1000, phase_beds=250, phase_days=7, note="tent"),
    CapacityChange("C2", "A1", dt.date(2025, 2, 1), "usable", 60),
    CapacityChange("C3", "B2", dt.date(2025, 2, 10), "standby"),
    CapacityChange("C4", "B2", dt.date(2025, 4, 1), "open"),
    CapacityChange("C5", "C3", dt.date(2025, 2, 15), "add", 25),
    CapacityChange("C6", "C3", dt.date(2025, 2, 20), "surge", 40),
    CapacityChange("C7", "D4", dt.date(2025, 3, 1), "close"),
]


def test_round_trip_through_frame(small_plan: FacilityPlan) -> None:
    frame = changes_to_frame(CHANGES)
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == COLUMNS
    assert changes_from_frame(frame, small_plan.frame["id"]) == CHANGES
    assert changes_from_frame(changes_to_frame([])) == []


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Action", "explode", "row 3: change C2: action 'explode' is not one of open"),
        ("Facility ID", "ZZ", "row 3, column Facility ID: 'ZZ' is not a facility in this plan"),
        ("Date", None, "row 3, column Date: a change needs a date"),
        ("Change ID", "C1", "row 3, column Change ID: 'C1' is already used on row 2"),
        ("Beds", pd.NA, "row 3: change C2: action 'usable' needs a number of beds"),
    ],
)
def test_bad_rows_are_named(small_plan: FacilityPlan, column: str, value: object, message: str) -> None:
    frame = changes_to_frame(CHANGES)
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = value
    with pytest.raises(ChangeError, match=message):
        changes_from_frame(frame, small_plan.frame["id"])


def test_phases() -> None:
    assert CHANGES[0].phases() == [(0, 250), (7, 500), (14, 750), (21, 1000)]
    assert CapacityChange("x", "A", dt.date(2025, 1, 1), "open", 30000, 7000, 7).phases()[-1] == (28, 30000)
    with pytest.raises(ChangeError, match="phases apply only to 'open'"):
        CapacityChange("x", "A", dt.date(2025, 1, 1), "add", 10, phase_beds=5)


def test_status_on_dates_follows_changes(small_plan: FacilityPlan) -> None:
    baseline = baseline_of(small_plan.frame)
    resolved = resolve(compile_changes(CHANGES, baseline), baseline)

    def state(day: str) -> pd.DataFrame:
        return facility_state_on(baseline, resolved, epoch_day(dt.date.fromisoformat(day))).set_index("id")

    early = state("2025-01-20")
    assert early.loc["B2", "status"] == "operational" and early.loc["E5", "status"] == "planned"
    assert early.loc["A1", "operational"] == 90 and early.loc["E5", "rated"] == 0
    mid = state("2025-03-12")
    assert mid.loc["B2", "status"] == "standby" and mid.loc["B2", "rated"] == 0
    assert mid.loc["D4", "status"] == "closed"
    assert mid.loc["E5", "status"] == "operational" and mid.loc["E5", "rated"] == 500
    assert mid.loc["A1", "operational"] == 60 and mid.loc["A1", "rated"] == 100
    assert mid.loc["C3", "rated"] == 75 and mid.loc["C3", "surge"] == 40
    late = state("2025-04-02")
    assert late.loc["B2", "status"] == "operational" and late.loc["B2", "rated"] == 200
    assert late.loc["E5", "rated"] == 1000


def test_network_capacity_steps(small_plan: FacilityPlan) -> None:
    baseline = baseline_of(small_plan.frame)
    resolved = resolve(compile_changes(CHANGES, baseline), baseline)
    start = dt.date(2025, 1, 31)
    lines = network_capacity(baseline, resolved, epoch_day(start), 70)
    rated, operational, surge = lines["rated"], lines["operational"], lines["surge"]
    # Today: A1 100 (90 usable, 10 surge), B2 200, C3 50 (5 surge); D4 standby, E5 planned.
    assert (rated[0], operational[0], surge[0]) == (350, 340, 355)
    assert operational[1] == 310  # 1 Feb: A1 down to 60 usable
    assert rated[10] == 150  # 10 Feb: B2 to standby
    assert rated[15] == 175  # 15 Feb: C3 +25
    assert surge[20] - operational[20] == 50  # 20 Feb: C3 surge 5 → 40 (A1 keeps 10)
    assert rated[31] == 425  # 3 Mar: first tent phase of 250
    assert rated[51] == 925 and rated[52] == 1175  # 24 Mar: the fourth phase, 1,000 tent beds
    assert rated[60] == 1375  # 1 Apr: B2 reopens with its 200 beds
    facility_totals = [
        facility_state_on(baseline, resolved, epoch_day(start) + day)["rated"].sum() for day in range(0, 71, 5)
    ]
    assert facility_totals == rated[::5].tolist()


def test_delays_and_exclusion(small_plan: FacilityPlan) -> None:
    baseline = baseline_of(small_plan.frame)
    compiled = compile_changes(CHANGES, baseline)
    included = pd.Series([True, False, False, False, False, False, False]).to_numpy()
    delays = pd.Series([28, 0, 0, 0, 0, 0, 0]).to_numpy()
    lines = network_capacity(baseline, resolve(compiled, baseline, included, delays), epoch_day(dt.date(2025, 3, 1)), 40)
    assert lines["rated"][29] == 350 and lines["rated"][30] == 600
