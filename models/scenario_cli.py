"""Command lines for scenarios: ``project`` prints projection results, ``history`` imports population history."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from models.capacity_changes import LINES, ChangeError
from models.occupancy_history import (
    HistoryError,
    Layout,
    detect_layout,
    merge_history,
    parse_history,
    read_source,
)
from models.projection import Projection
from models.scenario_data import load, project_plan, store
from models.scenarios import MAX_HORIZON, ScenarioError

_LINE_TITLES = {"rated": "Rated", "operational": "Operational", "surge": "Surge"}


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _load(spec: str):  # type: ignore[no-untyped-def]
    """A plan from a path; ``demo`` is the shipped demonstration plan."""
    from models.workbook_io import read_plan

    if spec == "demo":
        from resources import resource_path

        return read_plan(resource_path("demo_plan.xlsx"))

    if not Path(spec).exists():
        raise OSError(f"no such file: {spec}")
    return read_plan(spec)


def _fail(prog: str, message: object) -> int:
    print(f"{prog}: error: {message}".replace("\n", " "), file=sys.stderr)
    return 2


# -- project ------------------------------------------------------------------------------------
def project_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bedplan project", description="Project population against capacity for a plan's scenarios.")
    parser.add_argument("plan", help="plan workbook, or 'demo'")
    parser.add_argument("--scenario", action="append", metavar="NAME", help="only this scenario (repeatable); all by default")
    parser.add_argument("--days", type=int, metavar="N", help=f"horizon in days (0 to {MAX_HORIZON}) instead of each scenario's own")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def run_project(argv: list[str]) -> int:
    parser = project_parser()
    args = parser.parse_args(argv)
    if args.days is not None and not 0 <= args.days <= MAX_HORIZON:
        return _fail(parser.prog, f"--days must be 0 to {MAX_HORIZON}; got {args.days}")
    try:
        plan = _load(args.plan)
        projections = project_plan(plan, args.scenario, args.days)
    except (OSError, ValueError) as error:  # WorkbookError, ScenarioError, ChangeError are ValueErrors or OSErrors
        return _fail(parser.prog, error)
    except Exception as error:
        return _fail(parser.prog, error)
    if not projections:
        return _fail(parser.prog, f"{args.plan} has no scenarios; add them in the Scenarios panel or the 'Scenarios' sheet")
    if args.json:
        print(json.dumps({"plan": plan.meta.title, "scenarios": [projection_json(p) for p in projections]}, indent=2))
    else:
        print(plan.meta.title)
        for projection in projections:
            print()
            print(projection_text(projection))
    return 0


def projection_json(projection: Projection) -> dict[str, object]:
    scenario = projection.scenario
    return {
        "scenario": scenario.name,
        "start": scenario.start.isoformat(),
        "end": scenario.end.isoformat(),
        "horizon_days": scenario.horizon_days,
        "start_population": float(projection.population[0]),
        "capacity_changes": scenario.capacity_changes,
        "results": {line: projection.results[line].as_dict() for line in LINES},
    }


def _count(value: float) -> str:
    return f"{value:,.0f}"


def projection_text(projection: Projection) -> str:
    scenario = projection.scenario
    growth = f" (+{scenario.inflow_growth:g}% a week)" if scenario.inflow_growth else ""
    lines = [
        f"Scenario: {scenario.name} — {scenario.start:%Y-%m-%d} to {scenario.end:%Y-%m-%d} ({scenario.horizon_days} days)",
        f"Start population {_count(projection.population[0])}; book-ins {_count(scenario.inflow)} a day{growth}; "
        f"removals {_count(scenario.removals)} and releases {_count(scenario.releases)} a day",
        f"{'':<28}" + "".join(f"{_LINE_TITLES[line]:>14}" for line in LINES),
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:<28}" + "".join(f"{value:>14}" for value in values))

    results = [projection.results[line] for line in LINES]
    row("First date over capacity", [r.first_over.isoformat() if r.first_over else "never" for r in results])
    row("Back under capacity", [r.back_under.isoformat() if r.back_under else ("—" if not r.first_over else "not within") for r in results])
    row("Peak shortfall (beds)", [_count(r.peak_shortfall) for r in results])
    row("Peak shortfall on", [r.peak_date.isoformat() if r.peak_date else "—" for r in results])
    row("Bed-days over capacity", [_count(r.bed_days_over) for r in results])
    row("Days over capacity", [f"{r.days_over:,}" for r in results])
    row("Separate periods over", [f"{r.periods_over:,}" for r in results])
    row("Releases to stay at cap.", [_count(r.releases_required) for r in results])
    row("Capacity at end", [_count(r.end_capacity) for r in results])
    row("Population at end", [_count(r.end_population) for r in results])
    return "\n".join(lines)


# -- history --------------------------------------------------------------------------------------
def history_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bedplan history",
        description="Import population history (long: date, facility, population; or wide: one column per date) into a plan.",
    )
    parser.add_argument("plan", help="plan workbook, or 'demo'")
    parser.add_argument("source", help="CSV or workbook holding the history")
    parser.add_argument("--out", required=True, metavar="PLAN.xlsx", help="where to write the plan with its history")
    parser.add_argument("--sheet", help="sheet of a workbook source (the first by default)")
    parser.add_argument("--header-row", type=int, metavar="N", help="row holding the headers (detected by default)")
    parser.add_argument("--date-column", help="long layout: the column of dates")
    parser.add_argument("--facility-column", help="the column of facility IDs (none: network figures)")
    parser.add_argument("--population-column", help="long layout: the column of population figures")
    parser.add_argument("--replace", action="store_true", help="drop the plan's existing history first")
    return parser


def run_history(argv: list[str]) -> int:
    parser = history_parser()
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not out.suffix.lower() == ".xlsx":
        return _fail(parser.prog, f"--out must be an .xlsx plan workbook; got {args.out}")
    if Path(args.source).exists() and out.resolve() == Path(args.source).resolve():
        return _fail(parser.prog, "--out must not be the source file: a file you received is never written over")
    try:
        plan = _load(args.plan)
        data = load(plan)
        if args.header_row is not None and args.header_row < 1:
            return _fail(parser.prog, f"--header-row counts from 1; got {args.header_row}")
        frame, header_row = read_source(args.source, args.sheet, args.header_row)
        if args.date_column or args.population_column:
            layout = Layout("long", args.date_column, args.facility_column, args.population_column)
        else:
            layout = detect_layout(frame)
            if args.facility_column:
                layout = replace(layout, facility_column=args.facility_column)
        if layout.kind == "long" and (layout.date_column is None or layout.population_column is None):
            return _fail(parser.prog, "name both --date-column and --population-column for a long-layout source")
        imported = parse_history(frame, layout, header_row)
        data.history = imported.table if args.replace else merge_history(data.history, imported.table)
        store(plan, data)
        from models.workbook_io import write_plan

        write_plan(plan, out)
    except (OSError, HistoryError, ChangeError, ScenarioError) as error:
        return _fail(parser.prog, error)
    except Exception as error:
        return _fail(parser.prog, error)
    print(f"Imported {imported.summary}; wrote {out}")
    return 0
