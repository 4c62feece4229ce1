"""Preferences (geometry, recent files, dock layout, remembered import mappings) in one typed place.

Storage is an INI file under the config folder; ``BEDPLAN_CONFIG_DIR`` redirects it (tests do).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 10


def config_dir() -> Path:
    """Folder for settings and recovery data."""
    override = os.environ.get("BEDPLAN_CONFIG_DIR")
    if override:
        return Path(override)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    return Path(base or Path.home() / ".config") / "Bedplan"


class Settings:
    """Typed access to the preferences file."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder if folder is not None else config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._store = QSettings(str(folder / "bedplan.ini"), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    def recent_files(self) -> list[str]:
        value = self._store.value("files/recent", [])
        items: list[object] = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else []
        return [str(item) for item in items if item]

    def add_recent_file(self, path: str) -> list[str]:
        normalized = str(Path(path).resolve())
        recent = [normalized] + [item for item in self.recent_files() if item != normalized]
        recent = recent[:MAX_RECENT]
        self._store.setValue("files/recent", recent)
        return recent

    def remove_recent_file(self, path: str) -> None:
        self._store.setValue("files/recent", [item for item in self.recent_files() if item != path])

    def value(self, key: str, default: Any = None) -> Any:
        return self._store.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()
