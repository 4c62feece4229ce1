"""The project and history subcommands: output, JSON, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from main import main
from models.demo import build_demo_plan
from models.scenario_data import project_plan


def test_project_text_matches_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "demo", "--scenario", "Tent site on schedule"]) == 0
    out = capsys.readouterr().out
    expected = project_plan(build_demo_plan(), ["Tent site on schedule"])[0].results["operational"]
    assert "Scenario: Tent site on schedule — 2025-02-03 to 2025-08-04 (182 days)" in out
    assert expected.back_under is not None
    assert f"{expected.peak_shortfall:,.0f}" in out and expected.back_under.isoformat() in out


def test_project_json_all_scenarios_and_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "demo", "--days", "30", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    names = [s["scenario"] for s in payload["scenarios"]]
    assert names == ["Status quo", "Tent site on schedule", "Tent site delayed four weeks"]
    assert all(s["horizon_days"] == 30 and s["end"] == "2025-03-05" for s in payload["scenarios"])
    quo = payload["scenarios"][0]["results"]["operational"]
    assert quo["first_over"] == "2025-02-03" and quo["back_under"] is None and quo["days_over"] == 31


def _exit_code(argv: list[str]) -> int:
    """main()'s return value, or argparse's exit code for a usage error."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["project", "demo", "--scenario", "Nope"], "There is no scenario called 'Nope'"),
        (["project", "demo", "--days", "400"], "--days must be 0 to 366"),
        (["project", "demo", "--days", "x"], "invalid int value"),
        (["project", "missing.xlsx"], "no such file"),
        (["project"], "the following arguments are required"),
        (["history", "demo", "missing.csv", "--out", "x.xlsx"], "No such file"),
        (["history", "demo", "a.csv", "--out", "x.csv"], "--out must be an .xlsx"),
    ],
)
def test_bad_arguments_one_line_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_history_refuses_bad_source_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "history.csv"
    pd.DataFrame({"Date": ["2025-01-01", "2025-01-02"], "Population": ["100", "many"]}).to_csv(source, index=False)
    assert main(["history", "demo", str(source), "--out", str(tmp_path / "plan.xlsx")]) == 2
    assert "Row 3, column Population: 'many' is not a population" in capsys.readouterr().err
    assert not (tmp_path / "plan.xlsx").exists()


def test_history_writes_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "wide.csv"
    pd.DataFrame({"Facility ID": ["DEMO-001", "DEMO-002"], "2025-02-10": [10, 20], "2025-02-17": [11, 21]}).to_csv(source, index=False)
    out = tmp_path / "plan.xlsx"
    assert main(["history", "demo", str(source), "--out", str(out)]) == 0
    assert "Imported 4 figures for 2 facilities, 2025-02-10 to 2025-02-17 (wide layout)" in capsys.readouterr().out
    assert out.exists()


def test_history_round_trips_into_plan(tmp_path: Path) -> None:
    from models.occupancy_history import network_series
    from models.workbook_io import read_plan

    source = tmp_path / "long.csv"
    pd.DataFrame({"Date": ["2025-02-04", "2025-02-05"], "Population": ["42,100", "42,180.5"]}).to_csv(source, index=False)
    out = tmp_path / "plan.xlsx"
    assert main(["history", "demo", str(source), "--out", str(out)]) == 0
    history = read_plan(out).extras["Occupancy history"]
    assert len(history) == 92
    series = network_series(history)
    assert series[pd.Timestamp("2025-02-05")] == 42_180.5 and series.index.min() == pd.Timestamp("2024-11-06")
    replaced = tmp_path / "replaced.xlsx"
    assert main(["history", str(out), str(source), "--out", str(replaced), "--replace"]) == 0
    assert len(read_plan(replaced).extras["Occupancy history"]) == 2
