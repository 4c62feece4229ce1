"""``python main.py import SOURCE --out PLAN.xlsx``: the import without a window.

Exit codes: 0 imported, 1 nothing usable found (the file cannot be read, no table, no rows),
2 bad arguments (unknown field, column, sheet or header row). One line on stderr says why.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models.importing.convert import DEFAULT_SENTINELS, FLAG, SKIP, ImportOptions
from models.importing.errors import ImportFailure
from models.importing.mapping import maps_beds, split_columns
from models.importing.pipeline import (
    apply_overrides,
    best_sheet,
    header_index,
    prepare,
    read_source,
    run,
)
from models.importing.report import report
from models.schema import FIELD_KEYS

PROG = "bedplan import"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Import a spreadsheet (.xlsx, .xlsm, .xls, .ods, .csv) into a new Bedplan plan workbook.",
        epilog=f"Fields: {', '.join(FIELD_KEYS)}.",
    )
    parser.add_argument("source", help="the spreadsheet to import")
    parser.add_argument("--out", required=True, metavar="PLAN.xlsx", help="plan workbook to write (never the source)")
    parser.add_argument("--sheet", help="sheet to import (default: the one that looks most like a facility table)")
    parser.add_argument("--header-row", type=int, metavar="N", help="spreadsheet row number of the header (default: detected)")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN[+COLUMN...]",
                        help="map a field to a column, or to the sum of several; an empty COLUMN unmaps the field")
    parser.add_argument("--missing", action="append", default=[], metavar="VALUE", type=float,
                        help=f"a number that means 'no value' (default: {', '.join(f'{v:g}' for v in DEFAULT_SENTINELS)})")
    parser.add_argument("--flag", action="store_true",
                        help="import rows with problems (bad cells left empty, the reason in Notes) instead of skipping them")
    parser.add_argument("--report", metavar="REPORT.json", help="write the validation report as JSON")
    parser.add_argument("--title", help="plan title (default: from the source)")
    return parser


def _overrides(items: list[str]) -> dict[str, str]:
    """``{field: "COLUMN+COLUMN..."}``; split into columns once the sheet's headers are known."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--map {item!r} must look like FIELD=COLUMN or FIELD=COLUMN+COLUMN")
        key, _, columns = item.partition("=")
        out[key.strip()] = columns
    return out


def run_cli(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _import(args)
    except Exception as error:  # a bug must still end in one line, not a traceback over the analyst's terminal
        return _fail(1, f"unexpected problem importing {args.source}: {type(error).__name__}: {error}")


def _import(args: argparse.Namespace) -> int:
    source_path = Path(args.source)
    out = Path(args.out)
    if not source_path.exists():
        return _fail(2, f"no such file: {args.source}")
    if out.exists() and out.resolve() == source_path.resolve():
        return _fail(2, "--out must not be the source file; a received file is never written over")
    if out.suffix.lower() != ".xlsx":
        return _fail(2, f"--out must be an .xlsx plan workbook; got {out.name}")
    try:
        overrides = _overrides(args.map)
    except ValueError as error:
        return _fail(2, str(error))
    unknown = [key for key in overrides if key not in FIELD_KEYS]
    if unknown:
        return _fail(2, f"{unknown[0]!r} is not a plan field; fields are {', '.join(FIELD_KEYS)}")
    try:
        source = read_source(source_path, sheets=[args.sheet] if args.sheet else None)
    except ImportFailure as error:
        return _fail(2 if error.code == "no_sheet" else 1, str(error))
    try:
        sheet_name = args.sheet or best_sheet(source.book)
        sheet = source.book.sheet(sheet_name)
    except ImportFailure as error:
        return _fail(1, str(error))
    try:
        prepared = prepare(sheet, header_index(sheet, args.header_row) if args.header_row is not None else None)
        apply_overrides(prepared, {key: split_columns(spec, prepared.layout) for key, spec in overrides.items()})
    except ValueError as error:
        return _fail(2, str(error))
    except ImportFailure as error:
        return _fail(1, str(error))
    if not overrides and not maps_beds(prepared.mapping):
        # A title page or a list of names holds nothing to plan beds with; --map says otherwise.
        return _fail(1, f"sheet {sheet.name!r} of {source.name} has no capacity or population column (header "
                        f"row {prepared.header_excel_row}: {', '.join(prepared.layout.names[:6])}); choose the sheet "
                        "with --sheet or name the columns with --map rated_capacity=COLUMN --map population=COLUMN")
    options = ImportOptions(
        sentinels=tuple(DEFAULT_SENTINELS) + tuple(args.missing), on_problem=FLAG if args.flag else SKIP,
    )
    try:
        result = run(prepared, options)
    except ImportFailure as error:
        return _fail(1, str(error))
    if args.report:
        try:
            Path(args.report).write_text(json.dumps(report(source, prepared, result), indent=2, default=str))
        except OSError as error:
            return _fail(1, f"could not write the report {args.report}: {error.strerror or error}")
    if result.frame.empty:
        return _fail(1, f"no usable rows in sheet {sheet.name!r} of {source.name} (see the report for why)")
    from models.facility_plan import FacilityPlan, PlanMeta
    from models.workbook_io import SaveError, WorkbookError, export_plan

    title = args.title or f"{source_path.stem} — {sheet.name}"
    plan = FacilityPlan(result.frame, PlanMeta(title=title, source=f"{source.name}, sheet {sheet.name}"))
    try:
        export_plan(plan, out)  # verified and atomic; never overwrites a workbook Bedplan did not write
    except (SaveError, WorkbookError) as error:
        return _fail(1, str(error))
    except OSError as error:
        return _fail(1, f"could not write {out}: {error.strerror or error}")
    problems = result.rows_with_problems
    print(
        f"Imported {len(result.frame):,} facilities from {source.name} (sheet {sheet.name!r}, header row "
        f"{prepared.header_excel_row}) to {out}; {result.excluded_rows:,} rows left out, "
        f"{problems:,} rows with problems {'flagged' if args.flag else 'skipped'}."
    )
    return 0


def _fail(code: int, message: str) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return code
