"""Search box and filters by status, type and state above the table."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from models.filtering import FilterSpec
from models.schema import TABLE_KEYS, Status
from ui.table_model import FacilityTableModel


class FilterBar(QWidget):
    """Builds a FilterSpec from its controls and hands it to the model (after a short typing pause)."""

    filter_changed = Signal(object)

    def __init__(self, model: FacilityTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search name, ID, city, notes…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self.status = self._combo("All statuses")
        for status in Status:
            self.status.addItem(status.label, status.value)
        self.type = self._combo("All types")
        self.state = self._combo("All states")
        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.clicked.connect(self.clear)
        self.count = QLabel(self)
        self.count.setObjectName("filterCount")
        # The count may be clipped when chart docks leave little room; its tooltip has it all.
        self.count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Room for at least the count of an unfiltered plan ("99,999 facilities").
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("99,999 facilities") + 4)
        layout.addWidget(self.search, 3)
        for label, combo in (("Status", self.status), ("Type", self.type), ("State", self.state)):
            layout.addWidget(QLabel(label + ":", self))
            layout.addWidget(combo, 1)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.count, 2)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        for combo in (self.status, self.type, self.state):
            combo.currentIndexChanged.connect(lambda _index: self.apply())
        # Choices change only when rows come or go or a type/state cell changes: scanning
        # 100,000 rows on every population edit would cost more than the edit itself.
        model.modelReset.connect(self.refresh_choices)
        model.rowsInserted.connect(self.refresh_choices)
        model.rowsRemoved.connect(self.refresh_choices)
        model.dataChanged.connect(self._on_model_data_changed)
        self.refresh_choices()

    def _combo(self, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(7)
        return combo

    def spec(self) -> FilterSpec:
        def chosen(combo: QComboBox) -> frozenset[str]:
            value = combo.currentData()
            return frozenset() if value is None else frozenset({value})

        return FilterSpec(self.search.text(), chosen(self.status), chosen(self.type), chosen(self.state))

    def apply(self) -> None:
        spec = self.spec()
        self._model.set_filter(spec)
        self._update_count()
        self.filter_changed.emit(spec)

    def clear(self) -> None:
        self.search.clear()
        for combo in (self.status, self.type, self.state):
            combo.setCurrentIndex(0)
        self.apply()

    def refresh_choices(self) -> None:
        """Offer the types and states present in the plan, keeping the current choice."""
        frame = self._model.plan.frame
        for combo, key in ((self.type, "type"), (self.state, "state")):
            values = sorted({str(v) for v in frame[key].dropna().unique()})
            present = [combo.itemData(i) for i in range(1, combo.count())]
            if values == present:
                continue
            current = combo.currentData()
            combo.blockSignals(True)
            try:
                while combo.count() > 1:
                    combo.removeItem(1)
                for value in values:
                    combo.addItem(value, value)
                position = combo.findData(current) if current is not None else 0
                combo.setCurrentIndex(max(position, 0))
            finally:
                combo.blockSignals(False)
        self._update_count()

    def _on_model_data_changed(self, top_left: object, bottom_right: object, roles: object = None) -> None:
        watched = {TABLE_KEYS.index("type"), TABLE_KEYS.index("state")}
        if any(top_left.column() <= column <= bottom_right.column() for column in watched):  # type: ignore[attr-defined]
            self.refresh_choices()

    def _update_count(self) -> None:
        self.count.setText(self._model.subset_title())
        self.count.setToolTip(self.count.text())
