"""Values, total and footnote rows, the validation report, skip or flag, and the merge modes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from models.facility_plan import FacilityPlan
from models.importing.convert import CHANGED, EXCLUDED, FLAG, PROBLEM, ImportOptions
from models.importing.merge import APPEND, REPLACE, UPSERT, merge
from models.importing.pipeline import apply_overrides, prepare, read_source, run
from tests.conftest import small_frame
from tests.models.importing import corpus

MESSY = (
    "Shelter inventory 2025\n"
    "Prepared by the state office\n"
    "\n"
    "Site ID,Site name,State,Beds,Occupied,Opened\n"
    "00123,North Shelter,TX,\"1,200\",1100,2024-03-01\n"
    "00124,South Shelter,CA,N/A,.,2024-04-01\n"
    "00125,East Shelter,FL,-5,3,not a date\n"
    ",Nameless,NY,10,5,2024-05-01\n"
    "00127,West Shelter,WA,12.5,-999999,2024-06-01\n"
    "\n"
    "00128,Late Shelter,OR,20,10,2024-07-01\n"
    "Total,,,\"1,237.5\",1118,\n"
    "* Beds as reported by operators.\n"
)


@pytest.fixture
def messy(tmp_path: Path):  # type: ignore[no-untyped-def]
    source = read_source(corpus.csv_text(tmp_path / "messy.csv", MESSY))
    prepared = prepare(source.book.sheets[0])
    assert "as_of" not in prepared.mapping.columns
    apply_overrides(prepared, {"as_of": ["opened"]})
    return source, prepared


def test_values_rows_and_report(messy) -> None:  # type: ignore[no-untyped-def]
    _, prepared = messy
    assert prepared.header_excel_row == 4
    result = run(prepared)
    frame = result.frame
    assert frame["id"].tolist() == ["00123", "00124", "00127", "00128"]  # leading zeros kept
    assert frame["rated_capacity"].iloc[0] == 1200 and frame["population"].iloc[0] == 1100  # "1,200" as text
    assert frame["as_of"].iloc[0] == pd.Timestamp("2024-03-01")
    assert pd.isna(frame["rated_capacity"].iloc[1]) and pd.isna(frame["population"].iloc[1])  # N/A and "."
    west = frame[frame["id"] == "00127"].iloc[0]
    assert west["rated_capacity"] == 13 and pd.isna(west["population"])  # rounded (reported), code → missing
    by_row = {}
    for issue in result.issues:
        by_row.setdefault(issue.row, []).append(issue)
    assert {i.severity for i in by_row[7]} == {PROBLEM}  # -5 beds and "not a date"
    assert any("at least 0" in i.reason for i in by_row[7]) and any("not a date" in i.reason for i in by_row[7])
    assert any("required" in i.reason for i in by_row[8])
    assert {i.severity for i in by_row[9]} == {CHANGED}
    assert by_row[12][0].severity == EXCLUDED and by_row[12][0].value == "Total"
    assert by_row[13][0].severity == EXCLUDED and "footnote" in by_row[13][0].reason
    assert result.skipped_rows == 2 and result.excluded_rows == 2
    assert any("1 blank row" in note for note in result.notes)
    issue = by_row[7][0].as_dict()
    assert set(issue) == {"sheet", "row", "column", "value", "reason", "severity"} and issue["sheet"] == "messy"


def test_flagged_rows_are_imported_with_the_reason_in_notes(messy) -> None:  # type: ignore[no-untyped-def]
    _, prepared = messy
    result = run(prepared, ImportOptions(on_problem=FLAG))
    frame = result.frame
    assert len(frame) == 6 and result.flagged_rows == 2
    east = frame[frame["id"] == "00125"].iloc[0]
    assert pd.isna(east["rated_capacity"]) and "Imported with problems" in east["notes"]
    assert frame["id"].str.startswith("ROW").sum() == 1


def test_sentinels_can_be_declared(messy) -> None:  # type: ignore[no-untyped-def]
    _, prepared = messy
    result = run(prepared, ImportOptions(sentinels=(1100.0,)))
    north = result.frame[result.frame["id"] == "00123"].iloc[0]
    assert pd.isna(north["population"])
    assert run(prepared, ImportOptions(sentinels=())).skipped_rows == 3  # -999999 is then out of range


def test_overrides_and_duplicate_ids(tmp_path: Path) -> None:
    text = "Code,Name,Beds A,Beds B\nX1,One,1,2\nX1,Two,3,4\n"
    source = read_source(corpus.csv_text(tmp_path / "dups.csv", text))
    prepared = prepare(source.book.sheets[0])
    apply_overrides(prepared, {"rated_capacity": ["Beds A", "beds b"]})
    result = run(prepared)
    assert result.frame["rated_capacity"].tolist() == [3]
    assert [i.row for i in result.problems] == [3] and "same ID" in result.problems[0].reason
    with pytest.raises(ValueError, match="not a plan field"):
        apply_overrides(prepared, {"beds": ["Beds A"]})


def test_merge_modes_count_and_keep_unmapped_values() -> None:
    plan = FacilityPlan(small_frame())
    incoming = pd.DataFrame({"id": ["A1", "B2", "Z9"], "name": ["Northfield Centre", "Southgate Unit", "New"],
                             "population": [99.5, 170.0, 3.0], "rated_capacity": [None, 200, 10]})
    up = merge(plan.frame, incoming, UPSERT, fields=["id", "name", "population", "rated_capacity"])
    assert (up.added, up.updated, up.unchanged) == (1, 1, 1)
    frame = up.frame.set_index("id")
    assert frame.loc["B2", "population"] == 170.0 and frame.loc["A1", "rated_capacity"] == 100  # blank never erases
    assert frame.loc["C3", "city"] == "Miami" and len(frame) == 6
    appended = merge(plan.frame, incoming, APPEND)
    assert appended.added == 3 and len(appended.frame) == 8 and appended.frame["id"].is_unique
    assert "A1 → A1 (2)" in appended.notes[0]
    replaced = merge(plan.frame, incoming, REPLACE)
    assert (replaced.added, replaced.removed) == (3, 5) and len(replaced.frame) == 3
    with pytest.raises(ValueError):
        merge(plan.frame, incoming, "merge")


def test_report_files_json_and_csv_keep_formulas_as_text(tmp_path: Path) -> None:
    import csv
    import json

    from models.importing.report import save_report

    path = corpus.csv_text(tmp_path / "f.csv", "Site,Beds\nA,=1+2\nB,4\n")
    source = read_source(path)
    prepared = prepare(source.book.sheets[0])
    result = run(prepared)
    saved = save_report(tmp_path / "r.csv", source, prepared, result)
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["value"] == "'=1+2" and rows[0]["row"] == "2" and "number" in rows[0]["reason"]
    data = json.loads(save_report(tmp_path / "r.json", source, prepared, result).read_text())
    assert data["issues"][0]["value"] == "=1+2" and data["rows_imported"] == 1


def test_text_too_long_for_excel_is_counted_in_utf16_units(tmp_path: Path) -> None:
    # 20,000 emoji are 40,000 UTF-16 units: more than a cell holds, so the import must say so
    # rather than let the next save fail (and autosave quietly never succeed).
    emoji = "\U0001F3E5" * 20_000
    fits = "\U0001F3E5" * 16_383
    text = f"ID,Name,Notes\nA1,One,{emoji}\nA2,Two,{fits}\n"
    result = run(prepare(read_source(corpus.csv_text(tmp_path / "long.csv", text)).book.sheets[0]))
    assert result.frame["id"].tolist() == ["A2"] and result.frame["notes"].tolist() == [fits]
    assert [(i.row, i.column) for i in result.problems if "40,000 characters" in i.reason] == [(2, "Notes")]
