"""Shared fixtures: offscreen Qt, a small plan, the adapter, windows, and no modal dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from models.facility_plan import FacilityPlan, PlanMeta


def _find_realdata() -> Path:
    """``BEDPLAN_REALDATA``, else ``shared/realdata`` beside the checkout or beside any folder above it
    (a worktree in /work/wt/<name> finds /work/shared/realdata)."""
    override = os.environ.get("BEDPLAN_REALDATA")
    if override:
        return Path(override)
    root = Path(__file__).resolve().parent.parent
    for folder in [root, *root.parents]:
        candidate = folder / "shared" / "realdata"
        if candidate.is_dir():
            return candidate
    return root.parent / "shared" / "realdata"


REALDATA = _find_realdata()


def small_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["A1", "B2", "C3", "D4", "E5"],
            "name": ["Northfield Centre", "Southgate Unit", "Lakeside Hall", "Pine Ridge", "Harbor Point"],
            "type": ["IGSA", "CDF", "IGSA", "SPC", "Tent"],
            "status": ["operational", "operational", "operational", "standby", "planned"],
            "city": ["Austin", "Dallas", "Miami", "Denver", "Tampa"],
            "state": ["TX", "TX", "FL", "CO", "FL"],
            "country": ["US"] * 5,
            "latitude": [30.27, 32.78, 25.76, 39.74, 27.95],
            "longitude": [-97.74, -96.80, -80.19, -104.99, -82.46],
            "rated_capacity": [100, 200, 50, 80, 1000],
            "operational_capacity": [90, None, 50, None, None],
            "surge_capacity": [10, 0, 5, 0, 0],
            "population": [99.5, 150.0, 46.0, 0.0, None],
            "as_of": pd.to_datetime(["2025-01-16"] * 5),
            "notes": [None, "Wing B closed", None, None, "Opens March"],
        }
    )


@pytest.fixture
def small_plan() -> FacilityPlan:
    """Five facilities: one over (110.6%), one ok, one near (92%), a standby and a planned site."""
    return FacilityPlan(small_frame(), PlanMeta(title="Small test plan", source="tests"))


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real agency spreadsheets not found at {REALDATA} (shared/realdata is absent)")
    return REALDATA


@pytest.fixture(autouse=True)
def _block_modal_dialogs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any un-mocked modal dialog fails the test instead of hanging CI."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an un-mocked modal dialog was opened: {args[:2]!r}")

    for name in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    monkeypatch.setattr(QDialog, "exec", refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refuse)
    yield


@pytest.fixture(autouse=True)
def _private_config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, recent files and recovery data of every test live in a temporary folder."""
    monkeypatch.setenv("BEDPLAN_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Redirect QSettings and the recovery store to a temporary folder."""
    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("BEDPLAN_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def make_window(qtbot, settings_dir: Path) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """Factory for a MainWindow on a plan (the small plan by default), registered with qtbot."""
    from ui.app_factory import build_window

    def factory(plan: FacilityPlan | None = None) -> object:
        window = build_window(plan if plan is not None else FacilityPlan(small_frame(), PlanMeta(title="Small test plan")))
        # Edits made by a test are not a question for the analyst at teardown.
        qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
        return window

    return factory
