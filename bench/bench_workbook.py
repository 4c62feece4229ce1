"""Plan workbook benchmarks: formatted safe save and open of 100,000 facilities, against baselines
measured in the same run (pandas ``to_excel`` with openpyxl, unformatted; a bare python-calamine read)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.timing import median_ms, row


def run(quick: bool) -> list[dict[str, object]]:
    from python_calamine import CalamineWorkbook

    from bench.plans import synthetic_plan
    from models.workbook_io import read_plan, save_plan

    rows = 20_000 if quick else 100_000
    repeats = 1 if quick else 3
    plan = synthetic_plan(rows)
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        ours_path = Path(folder) / "ours.xlsx"
        pandas_path = Path(folder) / "pandas.xlsx"
        baseline = median_ms(lambda: plan.frame.to_excel(pandas_path, engine="openpyxl", index=False), 1, warmup=0)
        save = median_ms(lambda: save_plan(plan, ours_path), repeats)
        results.append(row(
            f"formatted safe save (verified) of {rows:,} facilities", save, baseline,
            "<= 0.5x pandas to_excel(openpyxl), unformatted", save <= 0.5 * baseline,
        ))
        bare = median_ms(lambda: CalamineWorkbook.from_path(str(ours_path)).get_sheet_by_name("Facilities").to_python(), repeats)
        opened = median_ms(lambda: read_plan(ours_path), repeats)
        results.append(row(
            f"open of the {rows:,}-facility workbook", opened, bare, "<= 1.5x bare python-calamine read", opened <= 1.5 * bare,
        ))
    return results
