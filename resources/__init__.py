"""Plain resource files (the demo plan, icons), found by name."""

from __future__ import annotations

from pathlib import Path

_FOLDER = Path(__file__).resolve().parent
_KNOWN = {"demo_plan.xlsx"}


def resource_path(name: str) -> Path:
    """Path of a bundled resource; raises KeyError for a name that is not shipped."""
    if name not in _KNOWN and not (_FOLDER / name).is_file():
        raise KeyError(f"no bundled resource named {name!r}")
    path = _FOLDER / name
    if not path.is_file():
        raise KeyError(f"bundled resource {name!r} is missing from {_FOLDER}")
    return path
