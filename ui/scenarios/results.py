"""The results of every scenario side by side, against one chosen capacity line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.capacity_changes import LINES
from models.occupancy_history import network_series
from models.projection import HeldUp, LineResult, held_up
from ui.scenarios.state import ScenarioState

HEADERS = (
    "Scenario", "First over capacity", "Back under", "Peak shortfall", "Peak on", "Bed-days over",
    "Days over", "Releases to stay at capacity", "Population at end", "Capacity at end",
    "Projected − actual (last actual)",
)
LINE_LABELS = {"rated": "Rated capacity", "operational": "Operational capacity", "surge": "Operational + surge"}

#: The arithmetic in one paragraph (the same words are in docs/scenarios.md).
EXPLANATION = (
    "<b>How the projection is worked out.</b> Population on the start date is the scenario's start "
    "population (or the last recorded figure on or before it, or the plan's total). Each following day "
    "adds that day's book-ins and subtracts its removals and releases, never going below zero; weekly "
    "schedules replace the daily rates from their week on, and growth compounds weekly. Capacity on each "
    "date adds up the facilities that are operational on that date after the included capacity changes "
    "(openings in phases, added beds, standby, closures). A date is over capacity when population is above "
    "the line; <i>bed-days over</i> adds up the excess on every date, the <i>peak shortfall</i> is the "
    "largest excess, and <i>releases to stay at capacity</i> is the fewest extra releases, each made on "
    "the day population would pass the line, that keep it at or below the line throughout. <i>Back under</i> "
    "is the date from which population stays at or below the line to the end of the horizon."
)


def explanation_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(EXPLANATION, parent)
    label.setObjectName("scenarioExplanation")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setStyleSheet("color: #222222; padding: 10px; font-size: 10.5pt;")
    return label


def _date(value: object) -> str:
    return value.isoformat() if value is not None else "—"  # type: ignore[attr-defined]


def held_up_text(check: HeldUp | None) -> str:
    """'+9 on 2025-01-05 (mean error 5 over 3 dates)', or a dash when no actual falls in the horizon."""
    if check is None:
        return "—"
    sign = "+" if check.difference >= 0 else "−"
    return (f"{sign}{abs(check.difference):,.0f} on {check.date.isoformat()} "
            f"(mean error {check.mean_absolute_error:,.0f} over {check.dates_compared:,} "
            f"date{'s' if check.dates_compared != 1 else ''})")


def result_cells(name: str, result: LineResult, check: HeldUp | None = None) -> list[str]:
    back = _date(result.back_under) if result.back_under else ("not within horizon" if result.first_over else "—")
    if result.periods_over > 1:  # it dipped under and went over again before this date
        back += f" (after {result.periods_over} separate periods over)"
    return [
        name,
        _date(result.first_over) if result.first_over else "never",
        back,
        f"{result.peak_shortfall:,.0f}",
        _date(result.peak_date),
        f"{result.bed_days_over:,.0f}",
        f"{result.days_over:,}",
        f"{result.releases_required:,.0f}",
        f"{result.end_population:,.0f}",
        f"{result.end_capacity:,.0f}",
        held_up_text(check),
    ]


class ResultsTable(QWidget):
    """One row per scenario; the capacity line is chosen above the table."""

    def __init__(self, state: ScenarioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Compare against", self))
        self.line = QComboBox(self)
        for line in LINES:
            self.line.addItem(LINE_LABELS[line], line)
        self.line.setCurrentIndex(LINES.index("operational"))
        row.addWidget(self.line)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("scenarioResults")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.line.currentIndexChanged.connect(self.refresh)
        state.projections_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        line = str(self.line.currentData())
        projections = self._state.projections
        history = network_series(self._state.data.history)
        self.table.setRowCount(len(projections))
        for row, projection in enumerate(projections):
            cells = result_cells(projection.scenario.name, projection.results[line], held_up(projection, history))
            for column, text in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    if column:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, column, item)
                item.setText(text)

    def cells(self) -> list[list[str]]:
        rows = []
        for r in range(self.table.rowCount()):
            items = [self.table.item(r, c) for c in range(self.table.columnCount())]
            rows.append([item.text() if item is not None else "" for item in items])
        return rows
