"""The strip of headline figures under the table; it follows every edit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from models.summary import NetworkTotals, network_totals
from ui.flow_layout import FlowLayout
from ui.table_model import FacilityTableModel


class SummaryStrip(QFrame):
    """Facilities, capacity, population, utilization and facilities over capacity for the rows in view."""

    def __init__(self, model: FacilityTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("summaryStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Wraps to a second line when chart docks leave the table narrow.
        layout = FlowLayout(self, spacing=22)
        layout.setContentsMargins(10, 4, 10, 4)
        self._labels: dict[str, QLabel] = {}
        for key in ("scope", "capacity", "population", "utilization", "available", "over"):
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setObjectName(f"summary_{key}")
            layout.addWidget(label)
            self._labels[key] = label
        model.plan_changed.connect(self.refresh)
        model.view_changed.connect(self.refresh)
        model.modelReset.connect(self.refresh)
        self.totals: NetworkTotals | None = None
        self._source: Callable[[], NetworkTotals] | None = None
        self.refresh()

    def set_totals_source(self, source: Callable[[], NetworkTotals]) -> None:
        """Take the totals from ``source`` (the charts' shared arrays) instead of the frame."""
        self._source = source
        self.refresh()

    def refresh(self) -> None:
        if self._source is not None:
            totals = self._source()
        else:
            frame = self._model.plan.frame
            rows = self._model.visible_plan_rows()
            subset = frame if len(rows) == len(frame) else frame.iloc[rows]
            totals = network_totals(subset)
        self.totals = totals
        scope = "in view" if self._model.filter_spec.active else "in plan"
        self._set("scope", "Facilities", f"{totals.facilities:,} {scope}")
        self._set(
            "capacity",
            f"Capacity ({totals.capacity_basis})",
            f"{totals.operational_capacity:,} beds",
        )
        self._set("population", "Population", f"{totals.population:,.0f}")
        utilization = "–" if totals.utilization is None else f"{totals.utilization:.1%}"
        colour = "#b03a00" if (totals.utilization or 0) >= 1 else "#202020"
        self._set("utilization", "Utilization", utilization, colour)
        short = totals.available < 0
        self._set(
            "available",
            "Beds short" if short else "Beds available",
            f"{abs(totals.available):,.0f}",
            "#b03a00" if short else "#202020",
        )
        self._set("over", "Over capacity", f"{totals.over_capacity_facilities:,} facilities")

    def _set(self, key: str, caption: str, value: str, colour: str = "#202020") -> None:
        self._labels[key].setText(
            f"<span style='color:#555'>{caption}:</span> <b style='color:{colour}'>{value}</b>"
        )

    def text(self) -> str:
        """Plain text of the strip (for tests and accessibility)."""
        return "  ".join(label.text() for label in self._labels.values())
