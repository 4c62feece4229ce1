"""`python main.py export` writes the formatted workbook; `summary` reads any Bedplan workbook."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import main as bedplan_main
from models.workbook_io import is_bedplan_workbook, read_plan

ROOT = Path(__file__).resolve().parents[1]


def test_export_demo_then_summary_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo copy.xlsx"
    assert bedplan_main.main(["export", "demo", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert is_bedplan_workbook(out)
    plan = read_plan(out)
    assert plan.meta.demonstration and plan.row_count == 120
    assert bedplan_main.main(["summary", str(out), "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)
    assert totals["facilities"] == 120 and totals["rated_capacity"] == 40_000


def test_export_round_trips_a_plan_file(tmp_path: Path, small_plan) -> None:  # type: ignore[no-untyped-def]
    from models.workbook_io import plans_equal, write_plan

    source = tmp_path / "source.xlsx"
    write_plan(small_plan, source)
    out = tmp_path / "out.xlsx"
    result = subprocess.run([sys.executable, "main.py", "export", str(source), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert plans_equal(read_plan(out), small_plan) is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["export", "demo"], "--out"),
        (["export", "demo", "--out", "x.csv"], "must name an .xlsx"),
        (["export", "missing.xlsx", "--out", "x.xlsx"], "missing.xlsx"),
    ],
)
def test_export_errors_are_one_line_with_code_2(args: list[str], fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        code = bedplan_main.main(args)
    except SystemExit as exit_:  # argparse exits for a missing option
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


def test_export_refuses_to_overwrite_a_foreign_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "theirs.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(foreign, index=False)
    before = foreign.read_bytes()
    assert bedplan_main.main(["export", "demo", "--out", str(foreign)]) == 2
    assert "not written by Bedplan" in capsys.readouterr().err
    assert foreign.read_bytes() == before
