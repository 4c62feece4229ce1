"""``python main.py import``: exit codes 0/1/2, one line on stderr, the plan and the report written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.workbook_io import read_plan
from tests.models.importing import corpus

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "import", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def test_ice_import_writes_a_plan_and_a_report(realdata: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "ice.xlsx", tmp_path / "report.json"
    done = _run(str(realdata / "ice_FY25_detentionStats01162025.xlsx"), "--out", str(out), "--report", str(report))
    assert done.returncode == 0, done.stderr
    plan = read_plan(out)
    assert plan.row_count == 107 and abs(plan.frame["population"].sum() - 38_894) < 1
    data = json.loads(report.read_text())
    assert data["sheet"] == "Facilities FY25" and data["header_row"] == 7 and data["rows_imported"] == 107
    assert data["columns"]["population"][0].endswith("Level A")


def test_overrides_by_bottom_header_text_and_header_row(realdata: Path, tmp_path: Path) -> None:
    out = tmp_path / "hud.xlsx"
    done = _run(str(realdata / "hud_2007-2024-HIC-Counts-by-State.xlsx"), "--out", str(out), "--sheet", "2023",
                "--header-row", "2", "--map", "surge_capacity=Total Seasonal Beds (ES)+Total Overflow Beds (ES)",
                "--map", "name=state")
    assert done.returncode == 0, done.stderr
    plan = read_plan(out)
    assert "Total" not in set(plan.frame["state"]) and plan.frame["surge_capacity"].sum() > 0


def test_map_keeps_a_plus_that_is_part_of_a_header(realdata: Path, tmp_path: Path) -> None:
    # HUD 2007 has "Total Emergency Shelter (ES) Beds (excluding seasonal+O/V)": '+' joins columns
    # only where the parts are columns themselves.
    out = tmp_path / "hud2007.xlsx"
    header = "Total Emergency Shelter (ES) Beds (excluding seasonal+O/V)"
    done = _run(str(realdata / "hud_2007-2024-HIC-Counts-by-State.xlsx"), "--out", str(out), "--sheet", "2007",
                "--map", f"rated_capacity={header}", "--map", f"surge_capacity={header}+Total Transitional Housing (TH) Beds")
    assert done.returncode == 0, done.stderr
    frame = read_plan(out).frame
    assert frame["rated_capacity"].sum() > 0
    assert (frame["surge_capacity"] > frame["rated_capacity"]).all()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--map", "beds=Beds"], "not a plan field"),
        (["--map", "rated_capacity=Nope"], "no column named"),
        (["--sheet", "Missing"], "no sheet named"),
        (["--header-row", "99"], "outside rows"),
        (["--header-row", "0"], "outside rows"),
        (["--map", "rated_capacity"], "FIELD=COLUMN"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    source = corpus.xlsx(tmp_path / "book.xlsx")
    done = _run(str(source), "--out", str(tmp_path / "out.xlsx"), *args)
    assert done.returncode == 2
    assert needle in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "out.xlsx").exists()


def test_unusable_file_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "junk.xlsx"
    source.write_bytes(os.urandom(2000).replace(b"PK", b"pk"))
    done = _run(str(source), "--out", str(tmp_path / "out.xlsx"))
    assert done.returncode == 1 and "not a spreadsheet" in done.stderr and done.stderr.count("\n") == 1
    headers_only = corpus.xlsx(tmp_path / "headers.xlsx", rows=[corpus.HEADER])
    done = _run(str(headers_only), "--out", str(tmp_path / "out.xlsx"))
    assert done.returncode == 1 and "no sheet with a table" in done.stderr
    unusable = corpus.xlsx(tmp_path / "bad.xlsx", rows=[corpus.HEADER, ["", "", "TX", -5, 1], ["", "", "CA", -1, 1]])
    done = _run(str(unusable), "--out", str(tmp_path / "out.xlsx"), "--report", str(tmp_path / "r.json"))
    assert done.returncode == 1 and "no usable rows" in done.stderr
    assert json.loads((tmp_path / "r.json").read_text())["issues"]
    assert not (tmp_path / "out.xlsx").exists()


def test_a_sheet_without_beds_or_people_exits_1_unless_mapped(tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("ID,Name,City\nA1,North,Elm\nA2,South,Oak\n")
    done = _run(str(names), "--out", str(tmp_path / "out.xlsx"))
    assert done.returncode == 1 and "no capacity or population column" in done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "out.xlsx").exists()
    # Saying what the columns are is the analyst's decision: a roster of sites then imports.
    done = _run(str(names), "--out", str(tmp_path / "out.xlsx"), "--map", "city=City")
    assert done.returncode == 0, done.stderr
    assert read_plan(tmp_path / "out.xlsx").row_count == 2


def test_missing_source_and_out_equal_to_source(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "o.xlsx")).returncode == 2
    source = corpus.xlsx(tmp_path / "book.xlsx")
    done = _run(str(source), "--out", str(source))
    assert done.returncode == 2 and "never written over" in done.stderr


def test_an_empty_sheet_exits_1(realdata: Path, tmp_path: Path) -> None:
    done = _run(str(realdata / "hud_2007-2024-HIC-Counts-by-State.xlsx"), "--sheet", "Revisions",
                "--out", str(tmp_path / "out.xlsx"))
    assert done.returncode == 1 and "'Revisions' of hud_2007-2024-HIC-Counts-by-State.xlsx is empty" in done.stderr
