"""Plans imported from the public agency spreadsheets save and reopen exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.facility_plan import FacilityPlan, PlanMeta
from models.importing.pipeline import best_sheet, prepare, read_source, run
from models.workbook_io import plans_equal, read_plan, save_plan

FILES = [
    "ice_FY25_detentionStats01162025.xlsx",
    "hud_2007-2024-HIC-Counts-by-State.xlsx",
    "hhs_hospital_capacity_by_facility_sample.csv",
]


@pytest.mark.parametrize("name", FILES)
def test_imported_agency_plan_round_trips(realdata: Path, tmp_path: Path, name: str) -> None:
    source = read_source(realdata / name)
    sheet = next(s for s in source.book.sheets if s.name == best_sheet(source.book))
    result = run(prepare(sheet))
    plan = FacilityPlan(result.frame, PlanMeta(title=f"Imported from {name}", source=name))
    assert plan.row_count > 10
    path = tmp_path / "imported.xlsx"
    save_plan(plan, path)
    back = read_plan(path)
    assert plans_equal(back, plan) is None
    # IDs with leading zeros (ZIP-like codes, CCNs) survive as text.
    ids = back.frame["id"].dropna()
    assert ids.map(lambda value: isinstance(value, str)).all()
