"""`python main.py briefing …` in a subprocess, headless, as a batch job would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from models.demo import build_demo_plan
from models.workbook_io import write_plan
from ui.briefing.cli import apply_filters

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "main.py", "briefing", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_demo_deck_pdf_and_pngs_without_a_display(tmp_path: Path) -> None:
    deck, pdf, pictures = tmp_path / "deck.pptx", tmp_path / "deck.pdf", tmp_path / "png"
    result = run("demo", "--out", str(deck), "--pdf", str(pdf), "--png-dir", str(pictures), "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    assert f"wrote {deck}" in result.stdout
    assert len(Presentation(str(deck)).slides) == 8  # the demo's scenario charts join the default deck
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 8
    assert sorted(path.name for path in pictures.iterdir()) == [
        "01_headline.png", "02_facilities.png", "03_states.png", "04_utilization.png", "05_capacity.png",
        "06_projection.png",
    ]
    assert (pictures / "02_facilities.png").read_bytes()[16:24] == (1280).to_bytes(4, "big") + (720).to_bytes(4, "big")


def test_workbook_plan_with_filter_and_chosen_charts(tmp_path: Path) -> None:
    workbook = tmp_path / "plan.xlsx"
    write_plan(build_demo_plan(), workbook)
    deck = tmp_path / "texas.pptx"
    result = run(str(workbook), "--out", str(deck), "--charts", "facilities", "--where", "state=TX,CA", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    presentation = Presentation(str(deck))
    assert len(presentation.slides) == 4
    subtitle = " ".join(shape.text_frame.text for shape in presentation.slides[1].shapes if shape.has_text_frame)
    assert "facilities: state = TX, CA" in subtitle


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo"], "Nothing to write"),
        (["demo", "--out", "deck.ppt"], "must end in .pptx"),
        (["demo", "--out", "d.pptx", "--size", "big"], "WIDTHxHEIGHT"),
        (["demo", "--out", "d.pptx", "--charts", "pie"], "unknown chart pie"),
        (["demo", "--out", "d.pptx", "--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_unreadable_plan_exits_1_with_a_message(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "nope.xlsx"), "--out", str(tmp_path / "d.pptx"))
    assert missing.returncode == 1 and "Plan workbook not found" in missing.stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    broken = run(str(fake), "--out", str(tmp_path / "d.pptx"))
    assert broken.returncode == 1 and "fake.xlsx" in broken.stderr
    assert not (tmp_path / "d.pptx").exists()


def test_filters_in_words(small_plan) -> None:  # type: ignore[no-untyped-def]
    subset, words = apply_filters(small_plan.frame, ["state=tx", "status=operational"])
    assert len(subset) == 2
    assert words == "2 of 5 facilities: state = tx; status = operational"
