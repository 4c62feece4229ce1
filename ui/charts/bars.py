"""Bar items that paint only the bars inside the visible category range."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import compat
from PySide6.QtCore import QRectF


class VisibleBars(pg.BarGraphItem):
    """A ``BarGraphItem`` whose bars sit at ascending positions along one axis (``axis`` 0: x,
    1: y). When scrolled into a long list, it draws the slice of bars in view instead of all of
    them (Qt would otherwise transform and clip every rectangle of 10,000 facilities)."""

    def __init__(self, axis: int, **opts: Any) -> None:
        self._category_axis = axis
        super().__init__(**opts)

    def paint(self, p: Any, *args: Any) -> None:
        rects = self._rectarray
        if not self._singleColor or not getattr(rects, "use_ptr_to_array", False):
            super().paint(p, *args)
            return
        array = rects.ndarray()
        if len(array) == 0:
            return
        view = self.getViewBox()
        if view is None:
            super().paint(p, *args)
            return
        low, high = sorted(view.viewRange()[self._category_axis])
        starts = array[:, self._category_axis]  # x0 or y0 per bar, ascending
        first = int(np.searchsorted(starts, low - 1.0, side="left"))
        last = int(np.searchsorted(starts, high + 1.0, side="right"))
        if last <= first:
            return
        pointer = compat.wrapinstance(array.ctypes.data + first * array.strides[0], QRectF)
        p.setPen(self._sharedPen)
        p.setBrush(self._sharedBrush)
        p.drawRects(pointer, last - first)


def update_bars(item: pg.BarGraphItem, **arrays: Any) -> bool:
    """``item.setOpts(**arrays)`` unless every array equals what the item holds already; an
    unchanged item then neither re-prepares its rectangles nor asks its plot to repaint."""
    opts = item.opts
    if all(
        isinstance(opts.get(key), np.ndarray) and np.array_equal(opts[key], value)
        for key, value in arrays.items()
    ):
        return False
    item.setOpts(**arrays)
    return True
