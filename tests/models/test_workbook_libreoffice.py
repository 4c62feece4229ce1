"""Our workbooks read back by LibreOffice headless: values, live totals formulas, no injected formulas."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from models.demo import build_demo_plan
from models.facility_plan import FacilityPlan
from models.schema import TABLE_KEYS
from models.workbook_io import plans_equal, read_plan, write_plan
from tests.models.test_workbook_tables import TRICKY_TEXT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; install libreoffice-calc-nogui"),
]

INJECTIONS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=tab", "\r=cr", "=HYPERLINK(\"http://x\")", "==", "+", "-", "@"]
#: Make LibreOffice recalculate every formula on load, so the totals it reports are its own.
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _through_libreoffice(source: Path, folder: Path) -> Path:
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
    out = folder / "out"
    result = subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    converted = out / source.name
    assert converted.exists(), result.stderr
    return converted


def _poison_cached_totals(path: Path) -> None:
    """Replace the cached results of the totals row so only a recalculation can restore them."""
    patched = path.with_name("poisoned.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(SUBTOTAL\(10[39],[A-Z]+3:[A-Z]+\d+\)</f><v>)[^<]*", rb"\g<1>-1", data)
            out.writestr(info, data)
    patched.replace(path)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[FacilityPlan, Path]:
    folder = tmp_path_factory.mktemp("libreoffice")
    plan = build_demo_plan()
    # LibreOffice's own xlsx writer turns a CR LF pair inside text into LF, so that one is left out.
    texts = INJECTIONS + [t for t in TRICKY_TEXT if t and "\r\n" not in t]
    for row, text in enumerate(texts):
        plan.set_cell(row, "notes", text)
        plan.set_cell(row, "city", text)
    plan.set_cell(0, "name", "=1+1")
    plan.set_cell(1, "id", "00042")
    plan.extras["Capacity changes"] = pd.DataFrame({"Note": pd.array(INJECTIONS, dtype="string"), "Beds": pd.array(range(len(INJECTIONS)), dtype="Int64")})
    source = folder / "plan.xlsx"
    write_plan(plan, source)
    _poison_cached_totals(source)
    return plan, _through_libreoffice(source, folder)


def test_libreoffice_keeps_every_value(round_trip: tuple[FacilityPlan, Path]) -> None:
    plan, converted = round_trip
    assert plans_equal(read_plan(converted), plan) is None


def test_only_our_formulas_are_formulas(round_trip: tuple[FacilityPlan, Path]) -> None:
    _plan, converted = round_trip
    book = openpyxl.load_workbook(converted)
    derived = {TABLE_KEYS.index(key) + 1 for key in ("utilization", "available", "band")}
    formulas = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append((sheet.title, cell.row, cell.column))
                    assert sheet.title == "Facilities" and (cell.row == 1 or cell.column in derived), (sheet.title, cell.coordinate, cell.value)
    assert len(formulas) > 100
    facilities = book["Facilities"]
    notes = TABLE_KEYS.index("notes") + 1
    for row, text in enumerate(INJECTIONS, start=3):
        cell = facilities.cell(row=row, column=notes)
        assert cell.data_type == "s" and cell.value == text


def test_libreoffice_calculates_the_totals_row_itself(round_trip: tuple[FacilityPlan, Path]) -> None:
    plan, converted = round_trip
    values = openpyxl.load_workbook(converted, data_only=True)["Facilities"]
    formulas = openpyxl.load_workbook(converted)["Facilities"]
    column = {key: TABLE_KEYS.index(key) + 1 for key in TABLE_KEYS}
    assert formulas.cell(row=1, column=column["rated_capacity"]).value.startswith("=SUBTOTAL(109,")
    assert values.cell(row=1, column=column["name"]).value == plan.row_count
    for key in ("rated_capacity", "operational_capacity", "surge_capacity", "population"):
        expected = float(plan.frame[key].sum())
        assert values.cell(row=1, column=column[key]).value == pytest.approx(expected), key
    population = float(plan.frame["population"].sum())
    available = values.cell(row=1, column=column["available"]).value
    assert values.cell(row=1, column=column["utilization"]).value == pytest.approx(population / (population + available))
