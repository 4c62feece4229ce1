"""Run every benchmark module (or those named) and print a table of ratios against baselines.

Usage: python -m bench [--quick] [topic ...]   (topics: the part after ``bench_``)
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (smoke run)")
    parser.add_argument("topics", nargs="*", help="only these benchmark modules")
    args = parser.parse_args(argv)
    folder = Path(__file__).resolve().parent
    names = sorted(info.name for info in pkgutil.iter_modules([str(folder)]) if info.name.startswith("bench_"))
    if args.topics:
        names = [name for name in names if name.removeprefix("bench_") in args.topics]
    rows: list[dict[str, object]] = []
    failed = False
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"== {name} ...", flush=True)
        try:
            results = module.run(quick=args.quick)
        except Exception as error:  # one broken benchmark must not hide the others' numbers
            print(f"   {name} failed: {error!r}", flush=True)
            failed = True
            continue
        for row in results:
            row["module"] = name
            rows.append(row)
            _print_row(row)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    out = folder / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=2, default=str))
    misses = [row for row in rows if row.get("ok") is False]
    print(f"\n{len(rows)} measurements, {len(misses)} missed their target" + (" (see above)" if misses else ""))
    return 1 if failed else 0


def _print_row(row: dict[str, object]) -> None:
    value = row.get("value")
    baseline = row.get("baseline")
    ratio = row.get("ratio")
    unit = row.get("unit", "ms")
    parts = [f"   {row['name']:<58}", f"{value:>10.2f} {unit}" if isinstance(value, float) else f"{value!s:>13}"]
    if isinstance(baseline, float):
        parts.append(f"baseline {baseline:>9.2f} {unit}")
    if isinstance(ratio, float):
        parts.append(f"ratio {ratio:>5.2f}x")
    if row.get("target"):
        parts.append(f"target {row['target']}")
        parts.append("OK" if row.get("ok") else "MISS")
    print("  ".join(parts), flush=True)


if __name__ == "__main__":
    sys.exit(main())
