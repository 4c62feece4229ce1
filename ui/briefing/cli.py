"""``python main.py briefing PLAN --out DECK.pptx``: the briefing deck in batch, without a display."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from models.facility_plan import FacilityPlan
from ui.briefing.specs import DEFAULT_TOP_N, SPEC_NAMES, BriefingError

FILTER_KEYS = ("state", "type", "status")


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit code 2, like the other subcommands."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py briefing",
        description="Write a briefing deck (PowerPoint, PDF, PNG charts) from a Bedplan plan workbook.",
    )
    parser.add_argument("plan", metavar="PLAN", help="a Bedplan plan workbook (.xlsx), or 'demo' for the built-in plan")
    parser.add_argument("--out", metavar="DECK.pptx", help="PowerPoint file to write")
    parser.add_argument("--pdf", metavar="DECK.pdf", help="also write the deck as a multi-page PDF")
    parser.add_argument("--png-dir", metavar="DIR", help="also write each chart as a PNG into DIR (created if missing)")
    parser.add_argument("--size", default="1920x1080", help="picture size in pixels, WIDTHxHEIGHT (default 1920x1080)")
    parser.add_argument("--dpi", type=int, default=144, help="resolution written into pictures (default 144)")
    parser.add_argument("--charts", default="facilities,states,utilization,capacity,projection",
                        help=f"comma-separated charts, from: {', '.join(SPEC_NAMES)}")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP_N,
                        help=f"most facilities in the facilities chart (default {DEFAULT_TOP_N}; 0 for as many as fit)")
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE[,VALUE]",
                        help=f"keep only facilities whose {', '.join(FILTER_KEYS)} is one of the values (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def load_plan(text: str) -> FacilityPlan:
    """The plan named on the command line; BriefingError if it cannot be opened."""
    if text.lower() == "demo":
        from models.demo import build_demo_plan

        return build_demo_plan()
    path = Path(text)
    if not path.is_file():
        raise BriefingError(f"Plan workbook not found: {path}. Give a .xlsx path, or 'demo' for the built-in plan")
    from models.workbook_io import WorkbookError, read_plan

    try:
        return read_plan(path)
    except WorkbookError as error:
        raise BriefingError(str(error)) from None


def apply_filters(frame: pd.DataFrame, clauses: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """Rows matching every KEY=VALUE[,VALUE] clause, and the words for the subtitle."""
    if not clauses:
        return frame, ""
    mask = pd.Series(True, index=frame.index)
    words = []
    for clause in clauses:
        key, sep, values = clause.partition("=")
        key = key.strip().lower()
        if not sep or key not in FILTER_KEYS or not values.strip():
            raise BriefingError(f"--where {clause!r}: write KEY=VALUE with KEY one of {', '.join(FILTER_KEYS)}, "
                                "such as --where state=TX,CA")
        wanted = [value.strip().lower() for value in values.split(",") if value.strip()]
        mask &= frame[key].fillna("").astype(str).str.lower().isin(wanted)
        words.append(f"{key} = {', '.join(value.strip() for value in values.split(',') if value.strip())}")
    subset = frame.loc[mask]
    if subset.empty:
        raise BriefingError(f"No facility matches {' and '.join(words)}; nothing to brief")
    return subset, f"{len(subset):,} of {len(frame):,} facilities: {'; '.join(words)}"


def _check_suffix(path: str | None, suffix: str, option: str) -> Path | None:
    if path is None:
        return None
    if Path(path).suffix.lower() != suffix:
        raise BriefingError(f"{option} {path}: the file name must end in {suffix}")
    return Path(path)


def _ensure_qt() -> object:
    """A QGuiApplication, headless where there is no display (CI, servers, cron)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["bedplan-briefing"])


def run_cli(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the briefing command; 0 on success, 1 when the export fails, 2 on a usage error."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    try:
        pptx = _check_suffix(args.out, ".pptx", "--out")
        pdf = _check_suffix(args.pdf, ".pdf", "--pdf")
        if pptx is None and pdf is None and args.png_dir is None:
            raise BriefingError("Nothing to write: give --out DECK.pptx, --pdf DECK.pdf or --png-dir DIR")
        from ui.briefing.render import parse_size

        size = parse_size(args.size, args.dpi)
        charts = [name.strip() for name in args.charts.split(",") if name.strip()]
        unknown = [name for name in charts if name not in SPEC_NAMES]
        if unknown:
            raise BriefingError(f"--charts: unknown chart {', '.join(unknown)}; choose from {', '.join(SPEC_NAMES)}")
        if args.top < 0:
            raise BriefingError(f"--top must be 0 or more; got {args.top}")
    except BriefingError as error:
        print(f"briefing: {error}", file=err)
        return 2
    try:
        plan = load_plan(args.plan)
        frame, filter_text = apply_filters(plan.frame, args.where)
        _app = _ensure_qt()  # kept alive until the deck is written
        from ui.briefing.deck import write_deck

        result = write_deck(pptx, pdf, frame, plan.meta, charts, filter_text, size=size, png_dir=args.png_dir,
                            top_n=args.top or None, plan=plan)
    except BriefingError as error:
        print(f"briefing: {error}", file=err)
        return 1
    if not args.quiet:
        for path in [result.pptx, result.pdf, *result.pngs]:
            if path is not None:
                print(f"wrote {path}", file=out)
    return 0
