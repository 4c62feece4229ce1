"""Fixtures for briefing tests: the demo plan and pixel access to rendered images."""

from __future__ import annotations

import numpy as np
import pytest

from models.demo import build_demo_plan
from models.facility_plan import FacilityPlan


@pytest.fixture(scope="session")
def demo_plan() -> FacilityPlan:
    return build_demo_plan()


def pixels(image: object) -> np.ndarray:
    """An (height, width, 3) uint8 RGB array of a QImage."""
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return raw[:, : width * 3].reshape(height, width, 3).copy()


def colour_count(array: np.ndarray, hex_code: str) -> int:
    """Pixels exactly of ``hex_code`` (bar interiors are solid, so exact matches are many)."""
    value = [int(hex_code.lstrip("#")[index : index + 2], 16) for index in (0, 2, 4)]
    return int(np.all(array == np.array(value, dtype=np.uint8), axis=-1).sum())


def dark_count(array: np.ndarray) -> int:
    """Pixels dark enough to be text ink."""
    return int((array.max(axis=-1) < 90).sum())
