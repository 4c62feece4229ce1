"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def elapsed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def paired_ms(baseline: Callable[[], object], ours: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """(baseline median, our median, median of the pairs' ratios), each of ours timed right after
    its baseline so a pair shares the machine's load; the ratio is what targets are judged on.
    Call both once first to warm caches."""
    pairs = [(elapsed_ms(baseline), elapsed_ms(ours)) for _ in range(repeats)]
    return (statistics.median(b for b, _ in pairs), statistics.median(o for _, o in pairs),
            statistics.median(o / b for b, o in pairs))


def row(name: str, value: float, baseline: float | None = None, target: str = "", ok: bool | None = None, unit: str = "ms") -> dict[str, object]:
    result: dict[str, object] = {"name": name, "value": value, "unit": unit, "target": target}
    if baseline is not None:
        result["baseline"] = baseline
        result["ratio"] = value / baseline if baseline else float("inf")
    if ok is not None:
        result["ok"] = ok
    return result
