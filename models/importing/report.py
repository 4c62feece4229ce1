"""The validation report as plain data, and written to JSON or CSV (the CLI's --report, the wizard's Save report)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

from models.importing.convert import ImportResult
from models.importing.pipeline import Prepared, Source

CSV_COLUMNS = ("sheet", "row", "column", "value", "reason", "severity")


def report(source: Source, prepared: Prepared, result: ImportResult) -> dict[str, Any]:
    """Where the rows came from, how columns were mapped, the counts, notes and every issue."""
    return {
        "source": source.name,
        "sheet": prepared.sheet.name,
        "header_row": prepared.header_excel_row,
        "columns": prepared.mapping.by_names(prepared.layout),
        "how": {key: prepared.mapping.reasons.get(key, "") for key in prepared.mapping.columns},
        "rows_imported": len(result.frame),
        "rows_skipped": result.skipped_rows,
        "rows_flagged": result.flagged_rows,
        "rows_excluded": result.excluded_rows,
        "notes": [*source.notes, *result.notes],
        "issues": [issue.as_dict() for issue in result.issues],
    }


def save_report(path: str | os.PathLike[str], source: Source, prepared: Prepared, result: ImportResult) -> Path:
    """JSON (everything) or, for a .csv name, one line per issue, as a spreadsheet opens it."""
    target = Path(path)
    if target.suffix.lower() == ".csv":
        with open(target, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for issue in result.issues:
                row = issue.as_dict()
                value = row["value"]
                # A value starting with = + - @ must stay text when Excel opens the report.
                if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                    row["value"] = "'" + value
                writer.writerow(row)
    else:
        target.write_text(json.dumps(report(source, prepared, result), indent=2, default=str), encoding="utf-8")
    return target
