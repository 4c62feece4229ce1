"""The plan workbook: exact round trip of generated plans, layout, formats, and refusals."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from models.facility_plan import FacilityPlan, PlanMeta
from models.schema import MAX_BEDS, TABLE_KEYS, Status, header_for
from models.workbook_format import FORMAT_VERSION, MANIFEST_SHEET, WorkbookError
from models.workbook_io import is_bedplan_workbook, plans_equal, read_plan, save_plan, write_plan
from tests.models.test_workbook_tables import TRICKY_TEXT, tables

texts = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=30))


@st.composite
def plans(draw: st.DrawFn) -> FacilityPlan:
    rows = draw(st.integers(0, 10))

    def column(values: st.SearchStrategy, required: bool = False) -> list[object]:
        inner = values if required else st.one_of(st.none(), values)
        return draw(st.lists(inner, min_size=rows, max_size=rows))

    ids = draw(st.lists(st.one_of(st.sampled_from(["007", "00123", "1e5", "NA", "=1"]), st.text(min_size=1, max_size=8)),
                        min_size=rows, max_size=rows, unique=True))
    frame = pd.DataFrame(
        {
            "id": ids,
            "name": column(texts),
            "type": column(texts),
            "status": column(st.sampled_from([s.value for s in Status])),
            "city": column(texts),
            "state": column(texts),
            "country": column(texts),
            "latitude": column(st.floats(-90, 90)),
            "longitude": column(st.floats(-180, 180)),
            "rated_capacity": pd.array(column(st.integers(0, MAX_BEDS)), dtype="Int64"),
            "operational_capacity": pd.array(column(st.integers(0, MAX_BEDS)), dtype="Int64"),
            "surge_capacity": pd.array(column(st.integers(0, MAX_BEDS)), dtype="Int64"),
            "population": pd.array(column(st.floats(0, MAX_BEDS)), dtype="Float64"),
            "as_of": pd.array(
                [pd.NaT if v is None else pd.Timestamp(v) for v in column(st.datetimes(dt.datetime(1700, 1, 1), dt.datetime(2260, 1, 1)))],
                dtype="datetime64[ns]",
            ),
            "notes": column(st.one_of(texts, st.text(min_size=100, max_size=400))),
        }
    )
    meta = PlanMeta(
        title=draw(texts), as_of=draw(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)))),
        source=draw(texts), demonstration=draw(st.booleans()), description=draw(texts),
    )
    extras = {"Capacity changes": draw(tables())} if draw(st.booleans()) else {}
    return FacilityPlan(frame, meta, extras)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=plans())
def test_generated_plans_round_trip_exactly(tmp_path: Path, plan: FacilityPlan) -> None:
    path = tmp_path / "plan.xlsx"
    save_plan(plan, path)
    back = read_plan(path)
    pd.testing.assert_frame_equal(back.frame, plan.frame, check_exact=True)
    assert back.meta == plan.meta
    assert list(back.extras) == list(plan.extras)
    for name, table in plan.extras.items():
        pd.testing.assert_frame_equal(back.extras[name], table, check_exact=True)
    assert plans_equal(back, plan) is None


def test_small_plan_round_trip_and_layout(small_plan: FacilityPlan, tmp_path: Path) -> None:
    path = tmp_path / "small.xlsx"
    small_plan.extras["Occupancy history"] = pd.DataFrame(
        {"Facility": pd.array(["A1", "B2"], dtype="string"), "Date": pd.to_datetime(["2025-01-01", "2025-01-08"]).astype("datetime64[ns]"),
         "Population": pd.array([98.5, None], dtype="Float64")}
    )
    save_plan(small_plan, path)
    assert plans_equal(read_plan(path), small_plan) is None
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Facilities", "Occupancy history", "Charts", "About", MANIFEST_SHEET]
    rows = book.get_sheet_by_name("Facilities").to_python(skip_empty_area=False)
    assert rows[0][0] == "Totals"
    assert rows[1] == [header_for(key) for key in TABLE_KEYS]
    assert rows[2][:4] == ["A1", "Northfield Centre", "IGSA", "Operational"]
    utilization = rows[2][TABLE_KEYS.index("utilization")]
    assert utilization == pytest.approx(99.5 / 90)
    assert rows[2][TABLE_KEYS.index("band")] == "Over"
    assert rows[0][TABLE_KEYS.index("rated_capacity")] == 1430
    about = {row[0]: row[1] for row in book.get_sheet_by_name("About").to_python()}
    assert about["Format version"] == FORMAT_VERSION and about["Title"] == "Small test plan"
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        assert '<pane xSplit="2" ySplit="2"' in sheet
        assert '<autoFilter ref="A2:' in sheet
        assert "conditionalFormatting" in sheet and "SUBTOTAL(109," in sheet
        history = archive.read("xl/worksheets/sheet2.xml").decode()  # Occupancy history
        assert '<autoFilter ref="A1:C3"' in history and 'ySplit="1"' in history
        assert archive.read("xl/charts/chart1.xml") and archive.read("xl/charts/chart2.xml")
        styles = archive.read("xl/styles.xml").decode()
        assert 'formatCode="0.0%"' in styles and 'formatCode="#,##0"' in styles
    assert is_bedplan_workbook(path)


def test_write_plan_refuses_text_longer_than_a_cell(small_plan: FacilityPlan, tmp_path: Path) -> None:
    small_plan.frame.loc[0, "notes"] = "x" * 32_768
    target = tmp_path / "long.xlsx"
    with pytest.raises(Exception, match="32,768 characters long"):
        write_plan(small_plan, target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_version_1_workbook_still_opens(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "v1.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Facilities")
    from models.schema import COLUMNS

    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header)
    sheet.write_string(1, 0, "007")
    sheet.write_string(1, 1, "Old site")
    sheet.write_number(1, COLUMNS.index(next(c for c in COLUMNS if c.key == "rated_capacity")), 50)
    about = book.add_worksheet("About")
    for row, (key, value) in enumerate([("Format", "Bedplan plan"), ("Format version", 1), ("Title", "Old plan")]):
        about.write(row, 0, key)
        about.write(row, 1, value)
    book.close()
    plan = read_plan(path)
    assert plan.meta.title == "Old plan" and plan.value(0, "id") == "007" and plan.value(0, "rated_capacity") == 50
    assert is_bedplan_workbook(path)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"id,name\n1,x\n", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "encrypted workbook or an old .xls"),
        (b"PK\x03\x04truncated", "damaged or truncated"),
    ],
)
def test_files_that_are_not_plans_are_refused_clearly(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=fragment):
        read_plan(path)


def test_a_sheet_claiming_the_whole_grid_is_refused_before_reading(tmp_path: Path, small_plan: FacilityPlan) -> None:
    path = tmp_path / "huge.xlsx"
    write_plan(small_plan, path)
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:', b'<dimension ref="A1:XFD1048576" x="', 1)
            out.writestr(info, data)
    with pytest.raises(WorkbookError, match="1,048,576 rows"):
        read_plan(patched)


def test_plain_spreadsheet_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, index=False)
    with pytest.raises(WorkbookError, match="File → Import"):
        read_plan(path)
    assert not is_bedplan_workbook(path)


def test_out_of_range_value_edited_in_excel_is_reported_with_its_place(tmp_path: Path, small_plan: FacilityPlan) -> None:
    import openpyxl

    path = tmp_path / "edited.xlsx"
    write_plan(small_plan, path)
    book = openpyxl.load_workbook(path)
    book["Facilities"].cell(row=4, column=TABLE_KEYS.index("rated_capacity") + 1).value = -5
    book.save(path)
    with pytest.raises(WorkbookError, match="row 4, column Rated capacity: -5 is outside"):
        read_plan(path)


def test_chart_tables_add_up_to_the_network_totals() -> None:
    from models.demo import build_demo_plan
    from models.summary import network_totals
    from models.workbook_charts import TOP_FACILITIES, chart_tables

    plan = build_demo_plan()
    by_facility, by_state = chart_tables(plan)
    totals = network_totals(plan.frame)
    assert by_state["capacity"].sum() == pytest.approx(totals.operational_capacity)
    assert len(by_facility) == TOP_FACILITIES
    assert by_facility["population"].is_monotonic_decreasing
    assert by_facility["population"].iloc[0] == plan.frame["population"].max()


def test_charts_are_native_excel_charts_over_the_charts_sheet(tmp_path: Path, small_plan: FacilityPlan) -> None:
    path = tmp_path / "charts.xlsx"
    write_plan(small_plan, path)
    with zipfile.ZipFile(path) as archive:
        by_facility = archive.read("xl/charts/chart1.xml").decode()
        by_state = archive.read("xl/charts/chart2.xml").decode()
    assert "<c:barChart>" in by_facility and '<c:barDir val="bar"/>' in by_facility
    assert '<c:barDir val="col"/>' in by_state
    assert "Charts!$B$5:$B$" in by_facility and "Charts!$C$5:$C$" in by_facility
    assert "Charts!$E$5:$E$" in by_state and "Population and capacity by state" in by_state


def test_a_sheet_added_in_excel_is_kept(tmp_path: Path, small_plan: FacilityPlan) -> None:
    import openpyxl

    path = tmp_path / "plan.xlsx"
    write_plan(small_plan, path)
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Analyst notes")
    sheet.append(["Topic", "Beds", "When", "Done"])
    sheet.append(["Tent site", 5000, dt.datetime(2025, 3, 3), True])
    sheet.append(["007", None, None, False])
    book.save(path)
    plan = read_plan(path)
    notes = plan.extras["Analyst notes"]
    assert notes["Topic"].tolist() == ["Tent site", "007"]
    assert notes["Beds"].iloc[0] == 5000 and pd.isna(notes["Beds"].iloc[1])
    again = tmp_path / "again.xlsx"
    write_plan(plan, again)
    assert plans_equal(read_plan(again), plan) is None


def test_longest_cell_text_round_trips_in_the_facilities(tmp_path: Path, small_plan: FacilityPlan) -> None:
    small_plan.set_cell(0, "notes", "🚀" * 16_383 + "x")  # 32,767 UTF-16 units, as Excel counts
    small_plan.set_cell(1, "notes", "=" + "y" * 32_766)
    path = tmp_path / "long.xlsx"
    save_plan(small_plan, path)
    assert plans_equal(read_plan(path), small_plan) is None


def test_a_zip_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    with pytest.raises(WorkbookError, match="zip bomb"):
        read_plan(path)


def test_tables_whose_names_differ_only_in_case_are_refused(tmp_path: Path, small_plan: FacilityPlan) -> None:
    from models.file_safety import SaveError

    small_plan.extras["Notes"] = pd.DataFrame({"a": pd.array([1], dtype="Int64")})
    small_plan.extras["NOTES"] = pd.DataFrame({"a": pd.array([2], dtype="Int64")})
    with pytest.raises(SaveError, match="differ only in case"):
        save_plan(small_plan, tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_save_progress_rises_steadily_through_writing_and_checking(tmp_path: Path) -> None:
    from bench.plans import synthetic_plan

    seen: list[tuple[int, int]] = []
    save_plan(synthetic_plan(12_000), tmp_path / "p.xlsx", lambda done, total: seen.append((done, total)))
    values = [done for done, _ in seen]
    assert {total for _, total in seen} == {1000}
    assert values == sorted(values) and values[0] == 0 and values[-1] == 1000
    assert len(set(values)) >= 15  # the bar moves while cells are built, rows written and the file checked
    assert any(700 < value < 1000 for value in values)
