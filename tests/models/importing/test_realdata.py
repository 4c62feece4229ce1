"""The public agency files in shared/realdata import to the expected facilities and totals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.importing.convert import CHANGED, EXCLUDED
from models.importing.pipeline import Source, best_sheet, prepare, read_source, run

ICE = "ice_FY25_detentionStats01162025.xlsx"
HUD = "hud_2007-2024-HIC-Counts-by-State.xlsx"
HHS = "hhs_hospital_capacity_by_facility_sample.csv"


@pytest.fixture(scope="module")
def hud_source(request: pytest.FixtureRequest) -> Source:
    from tests.conftest import REALDATA

    if not (REALDATA / HUD).exists():
        pytest.skip(f"real agency spreadsheets not found at {REALDATA}")
    return read_source(REALDATA / HUD)


def test_ice_facilities_sheet_is_found_with_its_header_on_row_7(realdata: Path) -> None:
    source = read_source(realdata / ICE)
    assert best_sheet(source.book) == "Facilities FY25"
    prepared = prepare(source.book.sheet("Facilities FY25"))
    assert prepared.header_excel_row == 7
    assert prepared.layout.band_row == 4  # the merged "FY25 ADP: ..." band on row 5
    assert [prepared.layout.bottom[p] for p in prepared.mapping.get("population")] == ["Level A", "Level B", "Level C", "Level D"]
    assert [prepared.layout.bottom[p] for p in prepared.mapping.get("rated_capacity")] == ["Guaranteed Minimum"]


def test_ice_imports_107_facilities_with_adp_as_the_sum_of_four_levels(realdata: Path) -> None:
    source = read_source(realdata / ICE)
    result = run(prepare(source.book.sheet("Facilities FY25")))
    frame = result.frame
    independent = pd.read_excel(realdata / ICE, sheet_name="Facilities FY25", header=6, engine="calamine")
    levels = independent[["Level A", "Level B", "Level C", "Level D"]].sum(axis=1)
    assert len(frame) == 107 == len(independent)
    assert not result.problems
    np.testing.assert_allclose(frame["population"].to_numpy(dtype=float), levels.to_numpy(dtype=float))
    assert frame["population"].sum() == pytest.approx(38_894, abs=1)
    # Guaranteed minimum is the capacity where the source has one; "N/A" stays missing, never 0.
    minimum = pd.to_numeric(independent["Guaranteed Minimum"], errors="coerce")
    assert frame["rated_capacity"].notna().sum() == minimum.notna().sum() == 48
    np.testing.assert_array_equal(frame["rated_capacity"].dropna().to_numpy(dtype=float), minimum.dropna().to_numpy())
    adams = frame[frame["name"] == "ADAMS COUNTY DET CENTER"].iloc[0]
    assert adams["rated_capacity"] == 1100 and adams["population"] == pytest.approx(2135.02, abs=0.01)
    assert "ClINTON COUNTY CORRECTIONAL" in set(frame["name"])  # names kept exactly as written
    assert frame["id"].is_unique


@pytest.mark.parametrize("year", ["2024", "2020", "2016", "2013", "2012", "2008", "2007"])
def test_hud_year_sheets_exclude_the_total_row_and_match_it(hud_source: Source, year: str) -> None:
    prepared = prepare(hud_source.book.sheet(year))
    assert prepared.header_excel_row == 2
    result = run(prepared)
    frame = result.frame
    excluded = [issue for issue in result.issues if issue.severity == EXCLUDED]
    assert [issue.value for issue in excluded] == ["Total"]
    assert "Total" not in set(frame["state"])
    assert len(frame) in (54, 55) and frame["state"].is_unique
    capacity_column = prepared.layout.names[prepared.mapping.get("rated_capacity")[0]]
    assert "Year-Round" in capacity_column or "Total Beds" in capacity_column
    total_row = next(row for row in hud_source.book.sheet(year).rows(0, 80) if row[0] == "Total")
    stated = total_row[prepared.mapping.get("rated_capacity")[0]]
    assert frame["rated_capacity"].sum() == stated
    assert any("matches the sum" in note for note in result.notes)


def test_hud_2024_year_round_beds_total_509710(hud_source: Source) -> None:
    result = run(prepare(hud_source.book.sheet("2024")))
    assert result.frame["rated_capacity"].sum() == 509_710
    # "." marks n/a in numeric cells: missing, not a problem and not zero.
    assert not result.problems


def test_hhs_csv_imports_20_hospitals_with_suppressed_counts_missing(realdata: Path) -> None:
    source = read_source(realdata / HHS)
    prepared = prepare(source.book.sheets[0])
    result = run(prepared)
    frame = result.frame
    assert len(frame) == 20 and frame["id"].is_unique
    assert {"050022", "060125"} <= set(frame["id"])  # leading zeros kept
    assert "ASCENSION VIA CHRISTI HOSPITALS WICHITA, INC." in set(frame["name"])
    numbers = frame[["rated_capacity", "population", "operational_capacity", "surge_capacity"]].astype("Float64")
    assert not (numbers == -999999).any().any()
    suppressed = frame[frame["population"].isna()]["name"].tolist()
    assert sorted(suppressed) == sorted(
        ["SUMNER COUNTY HOSPITAL DISTRICT NO 1", "FILLMORE COMMUNITY HOSPITAL", "LAWRENCE COUNTY MEMORIAL HOSPITAL"]
    )
    codes = [issue for issue in result.issues if issue.severity == CHANGED and issue.value == -999999.0]
    assert len(codes) >= 3 and all(issue.row > 1 for issue in codes)
    assert frame["as_of"].notna().all()
