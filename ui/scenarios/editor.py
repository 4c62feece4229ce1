"""The scenario editor: pick a scenario, change its dates, flows, growth and capacity changes.

Every change is one undo command (a spin box held down merges into one step) and reaches the
chart through the state's zero-delay timer, so the projection follows the analyst's hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.scenarios import MAX_HORIZON, Scenario, ScenarioError
from ui.scenarios.schedule import ScheduleEditor
from ui.scenarios.state import ScenarioState


def _spin(maximum: float, suffix: str = "", decimals: int = 0, minimum: float = 0.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(minimum, maximum)
    box.setDecimals(decimals)
    box.setGroupSeparatorShown(True)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)
    # Long suffixes and "From history / plan" must not force the panel wide: the form gives the width.
    box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    box.setMinimumWidth(110)
    return box


class ScenarioEditor(QWidget):
    """Form over one scenario of ``ScenarioState``; emits ``selected`` with the scenario's name."""

    selected = Signal(str)
    message = Signal(str)

    def __init__(self, state: ScenarioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("scenarioChooser")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(12)
        layout.addWidget(self.chooser)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("New", self)
        self.duplicate_button = QPushButton("Duplicate", self)
        self.delete_button = QPushButton("Delete", self)
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.start = QDateEdit(self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.horizon = QSpinBox(self)
        self.horizon.setRange(0, MAX_HORIZON)
        self.horizon.setSuffix(" days")
        self.horizon.setKeyboardTracking(False)
        self.start_population = _spin(1e8, " people", 0)
        self.start_population.setSpecialValueText("From history / plan")
        self.inflow = _spin(1e6, " a day")
        self.removals = _spin(1e6, " a day")
        self.releases = _spin(1e6, " a day")
        self.inflow_growth = _spin(100, " % a week", 2, -99.0)
        self.outflow_growth = _spin(100, " % a week", 2, -99.0)
        self.changes = QLineEdit(self)
        self.changes.setPlaceholderText("all | none | C01; DEMO-901 +4w; C03 +10d")
        self.changes.setToolTip(
            "Which planned capacity changes this scenario includes: all, none, or change / facility IDs "
            "separated by ';', each optionally delayed (+4w = four weeks, +10d = ten days)"
        )
        form.addRow("Name", self.name)
        form.addRow("Start date", self.start)
        form.addRow("Horizon", self.horizon)
        form.addRow("Start population", self.start_population)
        form.addRow("Book-ins", self.inflow)
        form.addRow("Removals", self.removals)
        form.addRow("Releases", self.releases)
        form.addRow("Book-in growth", self.inflow_growth)
        form.addRow("Outflow growth", self.outflow_growth)
        form.addRow("Capacity changes", self.changes)
        layout.addLayout(form)
        self.schedule = ScheduleEditor(state, self)
        self.schedule.message.connect(self.message)
        self.selected.connect(self.schedule.show_scenario)
        layout.addWidget(self.schedule, 1)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B00020;")
        layout.addWidget(self.problem)

        self.chooser.currentIndexChanged.connect(self._on_chooser_changed)
        self.add_button.clicked.connect(self.add_scenario)
        self.duplicate_button.clicked.connect(self.duplicate_scenario)
        self.delete_button.clicked.connect(self.delete_scenario)
        self.name.editingFinished.connect(lambda: self._commit("name", self.name.text().strip()))
        self.start.dateChanged.connect(lambda d: self._commit("start", d.toPython()))
        self.horizon.valueChanged.connect(lambda v: self._commit("horizon_days", int(v)))
        self.start_population.valueChanged.connect(
            lambda v: self._commit("start_population", None if v == self.start_population.minimum() else float(v))
        )
        for key, box in (("inflow", self.inflow), ("removals", self.removals), ("releases", self.releases),
                         ("inflow_growth", self.inflow_growth), ("outflow_growth", self.outflow_growth)):
            box.valueChanged.connect(lambda v, k=key: self._commit(k, float(v)))
        self.changes.editingFinished.connect(lambda: self._commit("capacity_changes", self.changes.text().strip() or "all"))
        state.data_changed.connect(self._load)
        state.projections_changed.connect(self._show_problem)
        self._load()

    # -- reading the state into the form -------------------------------------------------------
    @property
    def current(self) -> Scenario | None:
        index = self.chooser.currentIndex()
        scenarios = self._state.data.scenarios
        return scenarios[index] if 0 <= index < len(scenarios) else None

    def _load(self) -> None:
        self._loading = True
        try:
            names = [s.name for s in self._state.data.scenarios]
            previous = self.chooser.currentText()
            if [self.chooser.itemText(i) for i in range(self.chooser.count())] != names:
                self.chooser.clear()
                self.chooser.addItems(names)
                if previous in names:
                    self.chooser.setCurrentIndex(names.index(previous))
            scenario = self.current
            for widget in self._fields():
                widget.setEnabled(scenario is not None)
            self.duplicate_button.setEnabled(scenario is not None)
            self.delete_button.setEnabled(scenario is not None)
            if scenario is not None:
                self.name.setText(scenario.name)
                self.start.setDate(QDate(scenario.start.year, scenario.start.month, scenario.start.day))
                self.horizon.setValue(scenario.horizon_days)
                self.start_population.setValue(
                    self.start_population.minimum() if scenario.start_population is None else scenario.start_population
                )
                self.inflow.setValue(scenario.inflow)
                self.removals.setValue(scenario.removals)
                self.releases.setValue(scenario.releases)
                self.inflow_growth.setValue(scenario.inflow_growth)
                self.outflow_growth.setValue(scenario.outflow_growth)
                self.changes.setText(scenario.capacity_changes)
        finally:
            self._loading = False
        self.selected.emit(self.current.name if self.current else "")
        self._show_problem()

    def _fields(self) -> list[QWidget]:
        return [self.name, self.start, self.horizon, self.start_population, self.inflow, self.removals,
                self.releases, self.inflow_growth, self.outflow_growth, self.changes]

    def _on_chooser_changed(self, _index: int) -> None:
        if not self._loading:
            self._load()

    def _show_problem(self) -> None:
        scenario = self.current
        errors = self._state.projection_errors
        text = self._state.error or errors.get("", "") or (errors.get(scenario.name, "") if scenario else "")
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    # -- writing the form into the state ----------------------------------------------------------
    def _commit(self, key: str, value: Any) -> None:
        scenario = self.current
        if self._loading or scenario is None or getattr(scenario, key) == value:
            return
        try:
            if key == "name" and value in {s.name for s in self._state.data.scenarios}:
                raise ScenarioError(f"There is already a scenario called {value!r}; choose another name")
            changed = scenario.with_changes(**{key: value})
            if key == "capacity_changes":
                self._state.context().selection(value)
        except ScenarioError as error:
            self.message.emit(str(error))
            self.problem.setText(str(error))
            self.problem.setVisible(True)
            if key != "capacity_changes":
                self._load()
            return
        scenarios = list(self._state.data.scenarios)
        position = scenarios.index(scenario)
        scenarios[position] = changed
        if key == "name":
            self.chooser.setItemText(position, value)
        label = {"start": "start date", "horizon_days": "horizon", "capacity_changes": "capacity changes"}.get(key, key.replace("_", " "))
        self._state.edit(dataclasses.replace(self._state.data, scenarios=scenarios),
                         f"Change {label} of {changed.name}", merge_key=f"{changed.name}:{key}")

    def _unique(self, base: str) -> str:
        names = {s.name for s in self._state.data.scenarios}
        name, number = base, 2
        while name in names:
            name, number = f"{base} ({number})", number + 1
        return name

    def add_scenario(self) -> None:
        as_of = self._state.plan.meta.as_of or dt.date.today()
        scenario = Scenario(self._unique("New scenario"), as_of)
        self._append(scenario, f"Add scenario {scenario.name}")

    def duplicate_scenario(self) -> None:
        if self.current is not None:
            scenario = self.current.with_changes(name=self._unique(f"{self.current.name} copy"))
            self._append(scenario, f"Duplicate scenario {self.current.name}")

    def _append(self, scenario: Scenario, text: str) -> None:
        scenarios = [*self._state.data.scenarios, scenario]
        self._state.edit(dataclasses.replace(self._state.data, scenarios=scenarios), text)
        self.chooser.setCurrentIndex(len(scenarios) - 1)

    def delete_scenario(self) -> None:
        scenario = self.current
        if scenario is None:
            return
        scenarios = [s for s in self._state.data.scenarios if s is not scenario]
        self._state.edit(dataclasses.replace(self._state.data, scenarios=scenarios), f"Delete scenario {scenario.name}")


