"""Number formats and axis ticks for briefing text: thousands separators, percents, true minus."""

from __future__ import annotations

import math

MINUS = "\u2212"


def format_count(value: float | None) -> str:
    """Whole number with thousands separators and a true minus sign: −1,234."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(round(value)):,}"
    return f"{MINUS}{text}" if round(value) < 0 else text


def format_percent(ratio: float | None, decimals: int = 0) -> str:
    """A ratio as a percent with thousands separators: 1.082 → '108%'."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "–"
    shown = round(abs(ratio) * 100, decimals)
    text = f"{shown:,.{decimals}f}%"
    return f"{MINUS}{text}" if ratio < 0 and shown != 0 else text


def nice_ticks(high: float, max_ticks: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``high`` (1, 2, 2.5, 5 × 10ⁿ steps)."""
    if not math.isfinite(high) or high <= 0:
        return [0.0, 1.0]
    raw_step = high / max(1, max_ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if high / step <= max_ticks - 1:
            break
    count = math.ceil(high / step - 1e-9)
    return [round(step * index, 10) for index in range(count + 1)]


def format_utilization(ratio: float | None) -> str:
    """A utilization as a percent that never rounds across the 100% line: 0.9996 → '99.9%'."""
    if ratio is not None and 0.995 <= ratio < 1.0:
        return f"{math.floor(ratio * 1000) / 10:.1f}%"
    if ratio is not None and 1.0 <= ratio < 1.005:
        shown = format_percent(ratio, 1)
        return "100%" if shown == "100.0%" else shown
    return format_percent(ratio)


def bucket_label(low: float, high: float | None) -> str:
    """Short label of a utilization range: '90–100%', '≥150%'."""
    if high is None or not math.isfinite(high):
        return f"≥{low * 100:,.0f}%"
    return f"{low * 100:,.0f}–{high * 100:,.0f}%"
