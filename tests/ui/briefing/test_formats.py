"""Number formats and axis ticks of briefing text."""

from __future__ import annotations

import math

import pytest

from ui.briefing.formats import (
    MINUS,
    bucket_label,
    format_count,
    format_percent,
    format_utilization,
    nice_ticks,
)


def test_counts_have_thousands_separators_and_a_true_minus() -> None:
    assert format_count(41_870.4) == "41,870"
    assert format_count(-3_112.0) == f"{MINUS}3,112"
    assert format_count(0.4) == "0"
    assert format_count(None) == "–"
    assert format_count(math.nan) == "–"


def test_percents_round_and_group() -> None:
    assert format_percent(1.082) == "108%"
    assert format_percent(1.0823, 1) == "108.2%"
    assert format_percent(12.5) == "1,250%"
    assert format_percent(-0.0001) == "0%"
    assert format_percent(-0.25) == f"{MINUS}25%"
    assert format_percent(None) == "–"


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.9996, "99.9%"), (0.995, "99.5%"), (1.0, "100%"), (1.0004, "100%"), (1.0049, "100.5%"), (0.994, "99%"), (1.2, "120%")],
)
def test_utilization_never_rounds_across_the_100_percent_line(ratio: float, text: str) -> None:
    assert format_utilization(ratio) == text


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    ticks = nice_ticks(8_540, 6)
    assert ticks[0] == 0 and ticks[-1] >= 8_540
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in (1000, 2000, 2500, 5000)
    assert len(ticks) <= 6
    assert nice_ticks(4, 6) == [0, 1, 2, 3, 4]
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(1.75, 5)[-1] >= 1.75


def test_bucket_labels() -> None:
    assert bucket_label(0.9, 1.0) == "90–100%"
    assert bucket_label(1.5, None) == "≥150%"
