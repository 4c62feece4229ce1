"""The column declaration and the layering rule (models/ never loads Qt)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from models.schema import COLUMNS, FIELD_KEYS, TABLE_KEYS, Status

ROOT = Path(__file__).resolve().parents[2]


def test_field_keys_are_exactly_the_documented_ones() -> None:
    assert FIELD_KEYS == (
        "id", "name", "type", "status", "city", "state", "country", "latitude", "longitude",
        "rated_capacity", "operational_capacity", "surge_capacity", "population", "as_of", "notes",
    )


def test_table_keys_put_derived_figures_beside_population() -> None:
    position = TABLE_KEYS.index("population")
    assert TABLE_KEYS[position + 1 : position + 4] == ("utilization", "available", "band")
    assert set(TABLE_KEYS) == set(FIELD_KEYS) | {"utilization", "available", "band"}


def test_every_column_has_header_and_excel_format() -> None:
    headers = [column.header for column in COLUMNS]
    assert len(set(headers)) == len(headers)
    assert all(column.number_format for column in COLUMNS)


def test_status_parse_accepts_labels_and_aliases() -> None:
    assert Status.parse("Under Construction") is Status.UNDER_CONSTRUCTION
    assert Status.parse("under_construction") is Status.UNDER_CONSTRUCTION
    assert Status.parse(" OPEN ") is Status.OPERATIONAL
    assert Status.parse("proposed") is Status.PLANNED


def test_importing_models_loads_no_qt() -> None:
    code = (
        "import sys, models, models.schema, models.facility_plan, models.summary, models.values, "
        "models.tsv, models.filtering, models.demo, models.workbook_io\n"
        "import pkgutil, importlib\n"
        "for info in pkgutil.walk_packages(models.__path__, 'models.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'ui', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"models imported Qt modules: {result.stdout}"
