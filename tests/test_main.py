"""The command line: summary, screenshot, bad arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import main as bedplan_main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def test_summary_json_keys_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert bedplan_main.main(["summary", "demo", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    for key in ("facilities", "rated_capacity", "operational_capacity", "population", "utilization", "over_capacity_facilities"):
        assert key in payload
    assert payload["facilities"] == 120
    assert payload["rated_capacity"] == 40_000
    assert 1.05 < payload["utilization"] < 1.11


def test_summary_text_defaults_to_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert bedplan_main.main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "Utilization:" in out and "fictional" in out


def test_summary_of_missing_file_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert bedplan_main.main(["summary", str(tmp_path / "nope.xlsx")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_bad_arguments_exit_2_with_one_line() -> None:
    result = run("--no-such-option")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    result = run("summary", "demo", "--bogus")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


def test_screenshot_writes_non_blank_png_of_requested_size(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "shot.png"
    result = run("--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)
    colours = {image.pixel(x, y) for x in range(0, 1600, 37) for y in range(0, 1000, 23)}
    assert len(colours) > 8, "screenshot looks blank"
