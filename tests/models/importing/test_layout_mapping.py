"""Header detection and column mapping on small hand-made tables."""

from __future__ import annotations

import pytest

from models.importing.layout import column_letter, detect_header, distinct_names, layout_for
from models.importing.mapping import (
    DATE,
    NUMBER,
    TEXT,
    FieldSpec,
    auto_map,
    facility_fields,
    layout_signature,
    mapping_from_json,
    mapping_to_json,
    resolve_column,
)

TITLED = [
    ["Detention statistics FY25", "", "", ""],
    ["Published 2025-01-16. Figures subject to change.", "", "", ""],
    ["", "", "", ""],
    ["Site", "State", "Funded beds", "Census"],
    ["North", "TX", 100.0, 90.0],
    ["South", "CA", 50.0, 55.0],
]


def test_title_and_note_rows_are_skipped() -> None:
    layout = detect_header(TITLED)
    assert layout.header_row == 3 and layout.band_row is None
    assert layout.names == ("Site", "State", "Funded beds", "Census")


def test_a_header_below_a_hundred_note_lines_is_found(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from models.importing.pipeline import prepare, read_source

    notes = "".join(f"Methodology note {n}: counts are as of the end of the month\n" for n in range(100))
    path = tmp_path / "deep.csv"
    path.write_text(notes + "Site,State,Funded beds,Census\nNorth,TX,100,90\nSouth,CA,50,55\n")
    prepared = prepare(read_source(path).book.sheets[0])
    assert prepared.header_excel_row == 101
    assert prepared.layout.names == ("Site", "State", "Funded beds", "Census")


def test_two_text_rows_over_data_make_a_band_and_a_header_without_merge_information() -> None:
    rows = [
        ["", "Shelter", "", "Housing", ""],
        ["State", "Beds", "Units", "Beds", "Units"],
        ["AK", 10.0, 3.0, 5.0, 2.0],
        ["AL", 12.0, 4.0, 6.0, 1.0],
    ]
    layout = detect_header(rows)
    assert (layout.header_row, layout.band_row) == (1, 0)
    assert layout.names == ("State", "Shelter / Beds", "Shelter / Units", "Housing / Beds", "Housing / Units")
    assert layout.bottom[1] == "Beds"


def test_merged_band_spans_exactly_its_columns_past_a_note_line() -> None:
    rows = [
        ["Report title", "", "", "", ""],
        ["A long note about the data that is certainly not a group title of any column at all, really", "",
         "Levels", "", "Other"],
        ["Data source: somewhere", "", "", "", ""],
        ["Name", "City", "Level A", "Level B", "Mandatory"],
        ["X", "Y", 1.0, 2.0, 3.0],
    ]
    merged = [((1, 2), (1, 3))]
    layout = detect_header(rows, merged)
    assert layout.header_row == 3 and layout.band_row == 1
    assert layout.bands == ("", "", "Levels", "Levels", "Other")
    assert layout.names[0] == "Name"


def test_clicked_header_row_is_honoured() -> None:
    layout = layout_for(TITLED, 4)
    assert layout.names == ("North", "TX", "100", "90")


def test_duplicate_and_blank_names_become_distinct() -> None:
    assert distinct_names(["Beds", "beds", "", "Beds", "Beds (2)"]) == ["Beds", "beds (2)", "Column C", "Beds (3)", "Beds (2) (2)"]
    assert column_letter(0) == "A" and column_letter(27) == "AB" and column_letter(16383) == "XFD"


def test_synonyms_map_fields_and_a_band_sum_feeds_population() -> None:
    rows = [
        ["", "", "", "FY25 ADP: Levels", "", ""],
        ["Name", "State", "Guaranteed Minimum", "Level A", "Level B", "Last Inspection End Date"],
        ["X", "TX", 10.0, 1.0, 2.0, "2024-01-01"],
    ]
    layout = detect_header(rows, [((0, 3), (0, 4))])
    kinds = [TEXT, TEXT, NUMBER, NUMBER, NUMBER, DATE]
    mapping = auto_map(layout, kinds, facility_fields())
    assert mapping.get("name") == (0,) and mapping.get("state") == (1,)
    assert mapping.get("rated_capacity") == (2,)
    assert mapping.get("population") == (3, 4) and "sum" in mapping.reasons["population"]
    assert "as_of" not in mapping.columns  # 'date' inside a long header is too loose


def test_mapping_works_for_other_fields_too() -> None:
    fields = (FieldSpec("date", "Date", ("week",), DATE), FieldSpec("value", "Population", ("adp",), NUMBER))
    layout = detect_header([["Week", "ADP"], ["2025-01-01", 5.0]])
    mapping = auto_map(layout, [DATE, NUMBER], fields)
    assert mapping.columns == {"date": (0,), "value": (1,)}


def test_resolve_column_by_full_or_bottom_text_or_letter() -> None:
    layout = detect_header([["", "Shelter", "", "Housing", ""], ["State", "Beds", "Units", "Beds", "Units"], ["AK", 1.0, 2.0, 3.0, 4.0]])
    assert resolve_column("shelter / beds", layout) == 1
    assert resolve_column("STATE", layout) == 0
    with pytest.raises(ValueError, match="ambiguous"):
        resolve_column("Beds", layout)
    with pytest.raises(ValueError, match="no column named"):
        resolve_column("Nope", layout)


def test_remembered_mapping_round_trip_and_mismatch() -> None:
    layout = detect_header(TITLED)
    mapping = auto_map(layout, [TEXT, TEXT, NUMBER, NUMBER], facility_fields())
    text = mapping_to_json(mapping, layout)
    again = mapping_from_json(text, layout, facility_fields())
    assert again is not None and again.columns == mapping.columns
    other = layout_for([["A", "B"], ["x", "y"]], 0)
    assert layout_signature(other) != layout_signature(layout)
    assert mapping_from_json(text, other, facility_fields()) is None
