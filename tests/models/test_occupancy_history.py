"""Occupancy history: long and wide sources, network series, merging, and a real agency file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from models.occupancy_history import (
    COLUMNS,
    HistoryError,
    detect_layout,
    merge_history,
    network_series,
    parse_history,
    read_source,
)


def test_long_layout_with_quirks() -> None:
    source = pd.DataFrame(
        {
            "Facility": ["A1", "B2", "A1", "B2", "A1"],
            "As of": ["2025-01-01", "2025-01-01", "01/02/2025", "2025-01-02", "2025-01-03"],
            "ADP": ["1,200", 300.5, "N/A", -999999, "150"],
        }
    )
    layout = detect_layout(source)
    assert (layout.kind, layout.date_column, layout.facility_column, layout.population_column) == ("long", "As of", "Facility", "ADP")
    result = parse_history(source)
    assert {k: str(v) for k, v in result.table.dtypes.items()} == COLUMNS
    assert result.table["Population"].tolist() == [1200.0, 300.5, 150.0]
    assert len(result.skipped) == 2 and "2 cells without a figure skipped" in result.summary
    series = network_series(result.table)
    assert series.to_dict() == {pd.Timestamp("2025-01-01"): 1500.5, pd.Timestamp("2025-01-03"): 150.0}


def test_wide_layout_with_total_row() -> None:
    source = pd.DataFrame(
        {"Facility ID": ["A1", "B2", "Total"], "2025-01-01": [10, 20, 31], "2025-01-08": [12, None, 40]}
    )
    result = parse_history(source)
    assert result.layout.kind == "wide"
    table = result.table
    assert table["Facility ID"].isna().sum() == 2  # the total row became network-wide figures
    # Network-wide figures win over the facilities' sum on the same date.
    assert network_series(table).tolist() == [31.0, 40.0]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (pd.DataFrame({"Date": ["2025-01-01"], "Population": ["lots"]}), "Row 2, column Population: 'lots' is not a population"),
        (pd.DataFrame({"Date": ["soon"], "Population": [1]}), "Row 2, column Date: 'soon' is not a date"),
        (pd.DataFrame({"Date": ["2025-01-01"], "Population": [-4]}), "cannot be negative"),
        (pd.DataFrame({"Name": ["x"], "Beds": [1]}), "Cannot tell the layout"),
        (
            pd.DataFrame({"Date": ["2025-01-01", "2025-01-01"], "Facility ID": ["A", "A"], "Population": [1, 2]}),
            "Two population figures for A on 2025-01-01",
        ),
    ],
)
def test_bad_sources_named(source: pd.DataFrame, message: str) -> None:
    with pytest.raises(HistoryError, match=message):
        parse_history(source)


def test_merge_replaces_same_date_and_facility() -> None:
    old = parse_history(pd.DataFrame({"Date": ["2025-01-01", "2025-01-02"], "Population": [5, 6]})).table
    new = parse_history(pd.DataFrame({"Date": ["2025-01-02", "2025-01-03"], "Population": [7, 8]})).table
    merged = merge_history(old, new)
    assert merged["Population"].tolist() == [5, 7, 8]
    assert {k: str(v) for k, v in merged.dtypes.items()} == COLUMNS


def test_real_hhs_hospital_file_long_layout(realdata: Path) -> None:
    frame, header_row = read_source(str(realdata / "hhs_hospital_capacity_by_facility_sample.csv"))
    assert header_row == 1
    result = parse_history(frame, header_row=header_row)
    assert result.layout.date_column == "collection_week"
    assert result.layout.facility_column == "hospital_pk"
    assert result.layout.population_column == "inpatient_beds_used_7_day_avg"
    table = result.table
    assert len(table) + len(result.skipped) == len(frame)
    assert (table["Population"] >= 0).all()
    assert table["Date"].min() == pd.Timestamp("2020-08-07")
    assert network_series(table).notna().all()


def test_missing_file_message(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="No such file"):
        read_source(str(tmp_path / "nope.csv"))


def test_sources_are_read_in_the_import_sandbox(tmp_path: Path) -> None:
    fake = tmp_path / "history.xlsx"
    fake.write_text("Date,Population\n2025-01-01,5\n")  # a CSV renamed to .xlsx
    source = read_source(str(fake))[0]
    assert list(source.columns) == ["Date", "Population"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # a truncated zip
    with pytest.raises(HistoryError, match=r"broken\.xlsx"):
        read_source(str(broken))


def test_row_numbers_are_the_spreadsheets_own(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("Weekly census report\n\nDate,Facility ID,Population\n2025-01-01,A1,10\n\n2025-01-08,A1,ten\n")
    frame, header_row = read_source(str(path))
    assert header_row == 3
    with pytest.raises(HistoryError, match="Row 6, column Population: 'ten' is not a population"):
        parse_history(frame, header_row=header_row)
