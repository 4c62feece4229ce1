"""Live pyqtgraph charts: scenario projections against capacity steps, and capacity over time.

Plot items are created once per series and updated with ``setData``; the state's zero-delay
timer has already coalesced bursts of edits into one ``projections_changed``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
import PySide6.QtWidgets  # noqa: F401  (PySide6 before pyqtgraph, so pyqtgraph binds to it)
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from models.capacity_changes import LINES
from models.occupancy_history import network_series
from models.scenario_data import capacity_timeline, facility_timeline
from ui.briefing.style import OKABE_ITO
from ui.scenarios.state import ScenarioState

SCENARIO_COLOURS = (OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"],
                    OKABE_ITO["yellow"], OKABE_ITO["sky_blue"])
LINE_STYLES = {
    "rated": (OKABE_ITO["sky_blue"], Qt.PenStyle.DashLine, "Rated capacity"),
    "operational": ("#1A1A1A", Qt.PenStyle.SolidLine, "Operational capacity"),
    "surge": ("#8C8C8C", Qt.PenStyle.DotLine, "Operational + surge capacity"),
}
ACTUALS_COLOUR = OKABE_ITO["reddish_purple"]


def epoch_seconds(dates: np.ndarray | pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(dates, dtype="datetime64[s]").astype("int64").astype("float64")


def step_xy(dates: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x (one more than y, the last date + 1 day) and y for a stepMode='center' curve."""
    x = epoch_seconds(dates)
    return np.append(x, x[-1] + 86_400.0) if len(x) else x, values


class ProjectionChart(pg.PlotWidget):
    """Population of every scenario against the capacity lines of the selected one, with actuals."""

    legend_changed = Signal(str)

    def __init__(self, state: ScenarioState, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w", axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.setObjectName("projectionChart")
        self._state = state
        self.selected = ""
        self.setTitle("Projected population against capacity", color="#1A1A1A", size="11pt")
        self.showGrid(x=True, y=True, alpha=0.15)
        self.setLabel("left", "People / beds")
        self.capacity_items: dict[str, pg.PlotDataItem] = {}
        for line in ("rated", "surge"):
            colour, style, label = LINE_STYLES[line]
            self.capacity_items[line] = self.plot(
                [], [], stepMode="center", pen=pg.mkPen(colour, width=1.5, style=style), name=f"Selected: {label.lower()}"
            )
        self.actuals_item = self.plot([], [], pen=pg.mkPen(ACTUALS_COLOUR, width=2.5), name="Actual population")
        self.population_items: dict[str, pg.PlotDataItem] = {}
        self.scenario_capacity_items: dict[str, pg.PlotDataItem] = {}
        state.projections_changed.connect(self.refresh)
        self.refresh()

    def select(self, name: str) -> None:
        self.selected = name
        self.refresh()

    def refresh(self) -> None:
        projections = self._state.projections
        names = [p.scenario.name for p in projections]
        for name in list(self.population_items):
            if name not in names:
                for item in (self.population_items.pop(name), self.scenario_capacity_items.pop(name)):
                    self.removeItem(item)
        for number, projection in enumerate(projections):
            name = projection.scenario.name
            colour = SCENARIO_COLOURS[number % len(SCENARIO_COLOURS)]
            width = 3 if name == self.selected else 2
            item = self.population_items.get(name)
            if item is None:
                item = self.plot([], [], name=f"{name}: population")
                self.population_items[name] = item
                self.scenario_capacity_items[name] = self.plot([], [], stepMode="center", name=f"{name}: operational beds")
            item.setData(epoch_seconds(projection.dates), projection.population)
            item.setPen(pg.mkPen(colour, width=width))
            x, y = step_xy(projection.dates, projection.capacity["operational"])
            capacity = self.scenario_capacity_items[name]
            capacity.setData(x, y, stepMode="center")
            capacity.setPen(pg.mkPen(colour, width=width, style=Qt.PenStyle.DashLine))
        chosen = next((p for p in projections if p.scenario.name == self.selected), projections[0] if projections else None)
        for line, item in self.capacity_items.items():
            if chosen is None:
                item.setData([], [])
            else:
                x, y = step_xy(chosen.dates, chosen.capacity[line])
                item.setData(x, y, stepMode="center")
        history = network_series(self._state.data.history)
        if len(history) and projections:
            first = min(p.dates[0] for p in projections)
            history = history[history.index >= pd.Timestamp(first) - pd.Timedelta(days=90)]
        self.actuals_item.setData(epoch_seconds(history.index.to_numpy()), history.to_numpy(dtype="float64"))
        self.legend_changed.emit(self.legend_html())

    def legend_html(self) -> str:
        """The key, drawn beside the chart rather than over it (it grows with the scenarios)."""
        def swatch(colour: str, dashed: bool) -> str:
            return f'<span style="color:{colour}; font-weight:bold;">{"╍╍" if dashed else "━━"}</span>'

        parts = [f"{swatch('#1A1A1A', False)} people {swatch('#1A1A1A', True)} operational beds:"]
        for number, name in enumerate(self.population_items):
            colour = SCENARIO_COLOURS[number % len(SCENARIO_COLOURS)]
            weight = "font-weight:600;" if name == self.selected else ""
            parts.append(f'<span style="color:{colour}; font-weight:bold;">━╍</span> <span style="{weight}">{name}</span>')
        parts.append(f'{swatch(LINE_STYLES["rated"][0], True)} rated, {swatch(LINE_STYLES["surge"][0], True)} surge '
                     "(selected)")
        parts.append(f"{swatch(ACTUALS_COLOUR, False)} actual")
        return " &nbsp; ".join(parts)

    def series(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """What is drawn, by legend name (for tests and the briefing export)."""
        out = {f"{name}: population": item.getData() for name, item in self.population_items.items()}
        out.update({f"{name}: operational beds": item.getData() for name, item in self.scenario_capacity_items.items()})
        for line, item in self.capacity_items.items():
            out[f"Selected: {LINE_STYLES[line][2].lower()}"] = item.getData()
        out["Actual population"] = self.actuals_item.getData()
        return out


class CapacityChart(pg.PlotWidget):
    """Network (or one facility's) capacity over time with every planned change, and actual population."""

    NETWORK_TITLE = "Network capacity over time (all planned changes)"

    def __init__(self, state: ScenarioState, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w", axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.setObjectName("capacityChart")
        self._state = state
        self.facility_id: str | None = None
        self.setTitle(self.NETWORK_TITLE, color="#1A1A1A", size="11pt")
        self.showGrid(x=True, y=True, alpha=0.15)
        self.setLabel("left", "People / beds")
        self.addLegend(offset=(10, 10), labelTextColor="#1A1A1A", colCount=2)
        self.items: dict[str, pg.PlotDataItem] = {}
        for line in LINES:
            colour, style, label = LINE_STYLES[line]
            self.items[line] = self.plot([], [], stepMode="center", pen=pg.mkPen(colour, width=2, style=style), name=label)
        self.actuals_item = self.plot([], [], pen=pg.mkPen(ACTUALS_COLOUR, width=2.5), name="Actual population")
        state.projections_changed.connect(self.refresh)
        self.refresh()

    def show_facility(self, facility_id: str | None) -> None:
        """Follow one facility (None: the whole network)."""
        if facility_id != self.facility_id:
            self.facility_id = facility_id
            self.refresh()

    def refresh(self) -> None:
        history = network_series(self._state.data.history)
        dates, lines = capacity_over_time(self._state)
        title = self.NETWORK_TITLE
        if self.facility_id:
            try:
                dates, lines, history = facility_timeline(self._state.plan, self._state.data, self.facility_id)
                title = f"Capacity over time: {self.facility_id} (all planned changes)"
            except ValueError:
                self.facility_id = None
        self.setTitle(title, color="#1A1A1A", size="11pt")
        for line, item in self.items.items():
            if len(dates):
                x, y = step_xy(dates, lines[line])
                item.setData(x, y, stepMode="center")
            else:
                item.setData([], [])
        self.actuals_item.setData(epoch_seconds(history.index.to_numpy()), history.to_numpy(dtype="float64"))


def capacity_over_time(state: ScenarioState) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Dates and rated/operational/surge lines with every change included (see ``capacity_timeline``)."""
    try:
        return capacity_timeline(state.plan, state.data, state.context())
    except ValueError:
        return np.array([], dtype="datetime64[D]"), {}
