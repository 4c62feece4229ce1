"""Bedplan entry point: the GUI, an offscreen screenshot, and batch subcommands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _load_plan(spec: str):  # type: ignore[no-untyped-def]
    """A plan from a path, or the built-in demonstration plan for the word ``demo``."""
    from models.workbook_io import read_plan

    if spec == "demo":
        from resources import resource_path

        return read_plan(resource_path("demo_plan.xlsx"))
    return read_plan(spec)


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bedplan",
        description="Facility and bed-capacity planning. Subcommands: " + ", ".join(SUBCOMMANDS),
    )
    parser.add_argument("plan", nargs="?", default="demo", help="plan workbook to open, or 'demo' (default)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the main window at 1600×1000 to a PNG and exit")
    return parser


def _run_gui(argv: list[str]) -> int:
    args = _gui_parser().parse_args(argv)
    from models.workbook_io import WorkbookError

    if args.plan != "demo" and not Path(args.plan).exists():
        print(f"bedplan: error: no such file: {args.plan}", file=sys.stderr)
        return 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        plan = _load_plan(args.plan)
    except (WorkbookError, OSError) as error:
        print(f"bedplan: error: {error}", file=sys.stderr)
        return 2
    import PySide6.QtWidgets  # noqa: F401  (import PySide6 before pyqtgraph so pyqtgraph binds to it)

    from ui.app_factory import build_window, ensure_application

    app = ensure_application(sys.argv[:1])
    path = None if args.plan == "demo" else str(Path(args.plan).resolve())
    window = build_window(plan, path)
    if args.screenshot:
        return _screenshot(app, window, args.screenshot)
    window.show()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window.controller.files.offer_recovery)  # autosaves left by a crash
    return app.exec()


def _screenshot(app, window, out: str) -> int:  # type: ignore[no-untyped-def]
    window.resize(1600, 1000)
    window.show()
    for _ in range(3):
        app.processEvents()
    image = window.grab().toImage()
    if image.width() != 1600 or image.height() != 1000:
        image = image.scaled(1600, 1000)
    # Quality 80 is zlib level 1: measured here, two thirds of the default's time, same file size.
    if not image.save(out, "PNG", 80):
        print(f"bedplan: error: could not write screenshot to {out}", file=sys.stderr)
        return 2
    window.controller.undo_stack.setClean()
    window.close()
    return 0


def _summary_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bedplan summary", description="Print the network totals of a plan.")
    parser.add_argument("plan", nargs="?", default="demo", help="plan workbook, or 'demo' (default)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _run_summary(argv: list[str]) -> int:
    args = _summary_parser().parse_args(argv)
    from models.summary import network_totals
    from models.workbook_io import WorkbookError

    try:
        plan = _load_plan(args.plan)
    except (WorkbookError, OSError) as error:
        print(f"bedplan summary: error: {error}", file=sys.stderr)
        return 2
    totals = network_totals(plan.frame)
    if args.json:
        payload = {
            "facilities": totals.facilities,
            "rated_capacity": totals.rated_capacity,
            "operational_capacity": totals.operational_capacity,
            "population": totals.population,
            "utilization": totals.utilization,
            "over_capacity_facilities": totals.over_capacity_facilities,
            "surge_capacity": totals.surge_capacity,
            "available": totals.available,
            "future_capacity": totals.future_capacity,
            "capacity_basis": totals.capacity_basis,
            "title": plan.meta.title,
        }
        print(json.dumps(payload, indent=2))
        return 0
    utilization = "n/a" if totals.utilization is None else f"{totals.utilization:.1%}"
    lines = [
        plan.meta.title,
        f"Facilities:            {totals.facilities:,} ({totals.operational_facilities:,} operational)",
        f"Rated capacity:        {totals.rated_capacity:,}",
        f"Operational capacity:  {totals.operational_capacity:,}",
        f"Surge capacity:        {totals.surge_capacity:,}",
        f"Population:            {totals.population:,.1f}",
        f"Utilization:           {utilization} of {totals.capacity_basis} capacity",
        f"{'Beds short:' if totals.available < 0 else 'Beds available:':<23}{abs(totals.available):,.1f}",
        f"Over capacity:         {totals.over_capacity_facilities:,} facilities",
        f"Future capacity:       {totals.future_capacity:,} beds planned or under construction",
    ]
    print("\n".join(lines))
    return 0


def _export_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bedplan export", description="Write a plan as a formatted Bedplan workbook.")
    parser.add_argument("plan", help="plan workbook, or 'demo'")
    parser.add_argument("--out", required=True, metavar="OUT.xlsx", help="workbook to write")
    return parser


def _run_export(argv: list[str]) -> int:
    args = _export_parser().parse_args(argv)
    from models.file_safety import SaveError
    from models.workbook_io import WorkbookError, export_plan

    if not args.out.lower().endswith(".xlsx"):
        print("bedplan export: error: --out must name an .xlsx file", file=sys.stderr)
        return 2
    try:
        plan = _load_plan(args.plan)
        target = export_plan(plan, args.out)
    except (WorkbookError, SaveError, OSError) as error:
        print(f"bedplan export: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {target} ({plan.row_count:,} facilities)")
    return 0


def _run_briefing(argv: list[str]) -> int:
    """Briefing deck in batch (sets QT_QPA_PLATFORM=offscreen when there is no display)."""
    from ui.briefing.cli import run_cli

    return run_cli(argv)


def _run_project(argv: list[str]) -> int:
    from models.scenario_cli import run_project

    return run_project(argv)


def _run_history(argv: list[str]) -> int:
    from models.scenario_cli import run_history

    return run_history(argv)


def _run_import(argv: list[str]) -> int:
    """Import a received spreadsheet into a new plan workbook, without a window."""
    from models.importing.cli import run_cli

    return run_cli(argv)


SUBCOMMANDS = {
    "summary": _run_summary,
    "briefing": _run_briefing,
    "import": _run_import,
    "export": _run_export,
    "project": _run_project,
    "history": _run_history,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]](argv[1:])
    return _run_gui(argv)


if __name__ == "__main__":
    raise SystemExit(main())
