"""The weekly schedule of the selected scenario: from a week's first day on, its daily rates apply."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.scenarios import FlowStep, Scenario, ScenarioError
from models.values import parse_date, parse_number
from ui.scenarios.state import ScenarioState

HEADERS = ("Week of", "Book-ins", "Removals", "Releases")
_KEYS = ("start", "inflow", "removals", "releases")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"{value:,.0f}" if float(value) == int(float(value)) else f"{value:,}"  # type: ignore[arg-type]


class ScheduleEditor(QWidget):
    """Rows of ``FlowStep``; a blank rate keeps the rate in force before. Each edit is one undo step."""

    message = Signal(str)

    def __init__(self, state: ScenarioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._name = ""
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Weekly schedule, people a day", self)
        title.setToolTip("From each week's first day on, its daily rates apply; a blank keeps the rate in force before")
        layout.addWidget(title)
        top = QHBoxLayout()
        self.add_button = QPushButton("Add week", self)
        self.remove_button = QPushButton("Remove", self)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("scheduleTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add_week)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._on_item_changed)
        state.data_changed.connect(self._load)

    @property
    def scenario(self) -> Scenario | None:
        return next((s for s in self._state.data.scenarios if s.name == self._name), None)

    def show_scenario(self, name: str) -> None:
        self._name = name
        self._load()

    def _load(self) -> None:
        scenario = self.scenario
        steps = scenario.schedule if scenario else ()
        self._loading = True
        try:
            self.table.setRowCount(len(steps))
            for row, step in enumerate(steps):
                for column, key in enumerate(_KEYS):
                    item = QTableWidgetItem(_text(getattr(step, key)))
                    if column:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, column, item)
        finally:
            self._loading = False
        self.setEnabled(scenario is not None)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        scenario = self.scenario
        if self._loading or scenario is None:
            return
        row, column = item.row(), item.column()
        step = scenario.schedule[row]
        key = _KEYS[column]
        text = item.text().strip()
        try:
            if key == "start":
                stamp = parse_date(text)
                if stamp is None:
                    raise ValueError("a week needs its first day, such as 2025-03-03")
                value: object = stamp.date()
            else:
                value = parse_number(text) if text else None
            changed = dataclasses.replace(step, **{key: value})  # type: ignore[arg-type]
            schedule = sorted([*scenario.schedule[:row], changed, *scenario.schedule[row + 1 :]], key=lambda s: s.start)
            updated = scenario.with_changes(schedule=tuple(schedule))
        except (ValueError, ScenarioError) as error:
            self.message.emit(f"Weekly schedule of {scenario.name}, row {row + 1}, {HEADERS[column]}: {error}")
            self._load()
            return
        self._replace(scenario, updated, f"Change weekly schedule of {scenario.name}")

    def _replace(self, old: Scenario, new: Scenario, text: str) -> None:
        scenarios = [new if s is old else s for s in self._state.data.scenarios]
        self._state.edit(dataclasses.replace(self._state.data, scenarios=scenarios), text)

    def add_week(self) -> None:
        scenario = self.scenario
        if scenario is None:
            return
        last = scenario.schedule[-1].start if scenario.schedule else scenario.start
        start = last + dt.timedelta(days=7)
        step = FlowStep(start, scenario.inflow, scenario.removals, scenario.releases)
        self._replace(scenario, scenario.with_changes(schedule=(*scenario.schedule, step)),
                      f"Add week {start.isoformat()} to {scenario.name}")

    def remove_selected(self) -> None:
        scenario = self.scenario
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if scenario is None or not rows:
            return
        kept = tuple(step for row, step in enumerate(scenario.schedule) if row not in rows)
        self._replace(scenario, scenario.with_changes(schedule=kept), f"Remove weeks from {scenario.name}")
