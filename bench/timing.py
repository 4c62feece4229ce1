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


def row(name: str, value: float, baseline: float | None = None, target: str = "", ok: bool | None = None, unit: str = "ms") -> dict[str, object]:
    result: dict[str, object] = {"name": name, "value": value, "unit": unit, "target": target}
    if baseline is not None:
        result["baseline"] = baseline
        result["ratio"] = value / baseline if baseline else float("inf")
    if ok is not None:
        result["ok"] = ok
    return result
