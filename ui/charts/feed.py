"""One source of chart figures per window: follows the table model, coalesces bursts, shares arrays.

Every chart reads the same ``PlanColumns`` (the charted columns as NumPy arrays in plan order).
A cell edit updates the touched elements only; row inserts, deletes and plan replacement re-read
the frame. Signals arriving in one burst (a 5,000-cell paste, an import) are gathered by a
zero-delay single-shot timer into one ``updated`` emission, so charts redraw once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from models.chart_data import BASES, PlanColumns, group_codes, network_figures
from models.summary import GROUP_KEYS, NetworkTotals, utilization_of
from ui.table_model import FacilityTableModel

#: What changed since the last ``updated``: numbers only, text (groups, labels) too, the rows in
#: view (filter), or everything (rows inserted or removed, plan replaced).
NUMBERS, TEXT, VIEW, ALL = "numbers", "text", "view", "all"


class ChartFeed(QObject):
    """Holds the charted columns of the model's plan and tells charts when to redraw."""

    updated = Signal(object)  # frozenset of NUMBERS / TEXT / VIEW / ALL
    basis_changed = Signal(str)

    def __init__(self, model: FacilityTableModel, basis: str = "operational", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._basis = basis if basis in BASES else "operational"
        self._frame = model.plan.frame
        self.columns = PlanColumns.from_frame(self._frame)
        self.visible_rows = model.visible_plan_rows()
        self._today = self.columns.today_mask()
        self._future = self.columns.future_mask()
        self._codes: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
        self._utilization: np.ndarray | None = None
        self._pending: set[str] = set()
        self._values_seen = False
        #: How many coalesced updates were emitted (tests count redraws with it).
        self.update_count = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)
        model.values_changed.connect(self._on_model_values_changed)
        model.plan_changed.connect(self._on_model_plan_changed)
        model.view_changed.connect(lambda: self._schedule(VIEW))
        model.modelReset.connect(lambda: self._schedule(ALL))

    # -- what charts read --------------------------------------------------------------------------
    @property
    def model(self) -> FacilityTableModel:
        return self._model

    @property
    def basis(self) -> str:
        return self._basis

    def set_basis(self, basis: str) -> None:
        if basis not in BASES:
            raise ValueError(f"capacity basis is one of {', '.join(BASES)}; got {basis!r}")
        if basis == self._basis:
            return
        self._basis = basis
        self._utilization = None
        self.basis_changed.emit(basis)
        self._schedule(NUMBERS)

    @property
    def today(self) -> np.ndarray:
        return self._today

    @property
    def future(self) -> np.ndarray:
        return self._future

    def capacity(self) -> np.ndarray:
        return self.columns.capacity(self._basis)

    def utilization(self) -> np.ndarray:
        """Utilization of every plan row on the current basis (cached until the next change)."""
        if self._utilization is None:
            self._utilization = utilization_of(self.columns.population, self.capacity())
        return self._utilization

    def group_codes(self, key: str) -> tuple[tuple[str, ...], np.ndarray]:
        """Distinct labels of ``key`` and each plan row's code; recomputed only after text changes."""
        if key not in GROUP_KEYS:
            raise ValueError(key)
        if key not in self._codes:
            self._codes[key] = group_codes(self.columns.text[key])
        return self._codes[key]

    def network_totals(self) -> NetworkTotals:
        """Headline totals of the rows in view by the table's rule (operational capacity where
        known), from the shared arrays; current at once, for the summary strip."""
        self._ensure_current()
        return network_figures(self.columns, self._model.visible_plan_rows(), "operational", self._today, self._future)

    def _ensure_current(self) -> bool:
        """Re-read the columns if the plan's frame was replaced (rows inserted or removed, another
        plan); True when it did. Cell edits write into the same frame and arrive as values."""
        frame = self._model.plan.frame
        if frame is self._frame:
            return False
        self._frame = frame
        self.columns = PlanColumns.from_frame(frame)
        self._today = self.columns.today_mask()
        self._future = self.columns.future_mask()
        self._codes.clear()
        self._utilization = None
        self._schedule(ALL)
        return True

    def subset_title(self) -> str:
        return self._model.subset_title()

    # -- following the model -----------------------------------------------------------------------
    def _on_model_values_changed(self, touched: dict[int, Any]) -> None:
        self._values_seen = True
        if self._ensure_current():
            return  # re-read from the frame, which already holds these values
        model = self._model
        changes = [(row, key, model.cached_value(row, key)) for row, keys in touched.items() for key in keys]
        keys = self.columns.set_values(changes)
        if keys - {"population", "rated_capacity", "operational_capacity", "surge_capacity"}:
            self._codes.clear()
            self._today = self.columns.today_mask()
            self._future = self.columns.future_mask()
            self._schedule(TEXT)
        if keys:
            self._utilization = None
            self._schedule(NUMBERS)

    def _on_model_plan_changed(self) -> None:
        if self._values_seen:
            self._values_seen = False
            return
        # Rows came or went (possibly hidden by the filter, so no row signal told us): re-read.
        self._schedule(ALL)

    def _schedule(self, what: str) -> None:
        self._pending.add(what)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Bring the arrays up to date and emit ``updated`` once for everything pending."""
        self._timer.stop()
        if not self._pending:
            return
        self._ensure_current()
        self._timer.stop()
        pending = frozenset(self._pending)
        self._pending.clear()
        if ALL in pending or VIEW in pending:
            self.visible_rows = self._model.visible_plan_rows()
        self.update_count += 1
        self.updated.emit(pending)
