"""The plan's scenario tables as one observable value, replaced whole by undo commands."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.facility_plan import FacilityPlan
from models.projection import Projection, ScenarioContext, project
from models.scenario_data import ScenarioData, load, store

#: How long after the window is built the first projection runs (ms): after the first paint.
LAUNCH_DELAY_MS = 300


class ScenarioState(QObject):
    """Owns the ``ScenarioData`` of the current plan and the projections of its scenarios.

    Edits arrive as ``ReplaceScenarioDataCommand``s on the window's undo stack. Bursts of edits
    (a spin box held down, a paste into the facility table) coalesce into one recomputation through
    a zero-delay single-shot timer; ``projections_changed`` then tells the chart and the results.
    """

    data_changed = Signal()
    projections_changed = Signal()

    def __init__(self, plan_getter: Callable[[], FacilityPlan], undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan = plan_getter
        self.undo_stack = undo_stack
        self.data = ScenarioData()
        self.error = ""
        self.projections: list[Projection] = []
        self.projection_errors: dict[str, str] = {}
        self._context: ScenarioContext | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.recompute)
        # At launch the scenario docks sit behind another tab: the first projection waits until the
        # window has painted. Any edit or reload before then projects at once instead.
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.setInterval(LAUNCH_DELAY_MS)
        self._first.timeout.connect(self.recompute)
        self.reload()
        self._timer.stop()
        self._first.start()

    @property
    def plan(self) -> FacilityPlan:
        return self._plan()

    def reload(self) -> None:
        """Read the tables from the plan (a newly opened plan); a bad table leaves an empty set and a message."""
        try:
            self.data = load(self.plan)
            self.error = ""
        except ValueError as error:
            self.data = ScenarioData()
            self.error = f"The plan's scenario tables could not be used: {error}"
        self._context = None
        self.data_changed.emit()
        self.schedule()

    def set_data(self, data: ScenarioData) -> None:
        """Store ``data`` in the plan (the undo/redo path) and schedule a projection."""
        self.data = data
        store(self.plan, data)
        self._context = None
        self.data_changed.emit()
        self.schedule()

    def plan_edited(self) -> None:
        """Facility values feed the capacity lines: rebuild the context on the next turn."""
        self._context = None
        self.schedule()

    def schedule(self) -> None:
        self._first.stop()
        self._timer.start()

    def context(self) -> ScenarioContext:
        if self._context is None:
            self._context = self.data.context(self.plan)
        return self._context

    def recompute(self) -> None:
        self._timer.stop()
        self._first.stop()
        projections: list[Projection] = []
        errors: dict[str, str] = {}
        try:
            context = self.context()
        except ValueError as error:
            self.projections, self.projection_errors = [], {"": str(error)}
            self.projections_changed.emit()
            return
        for scenario in self.data.scenarios:
            try:
                projections.append(project(context, scenario))
            except ValueError as error:
                errors[scenario.name] = str(error)
        self.projections, self.projection_errors = projections, errors
        self.projections_changed.emit()

    def edit(self, data: ScenarioData, text: str, merge_key: str = "") -> None:
        """One undoable step from the current tables to ``data``."""
        self.undo_stack.push(ReplaceScenarioDataCommand(self, self.data, data, text, merge_key))


_MERGE_ID = 7007


class ReplaceScenarioDataCommand(QUndoCommand):
    """Swap the scenario tables; consecutive edits of the same field (a spin box being held) merge
    into one undo step. Holds the state weakly, as the plan commands hold their adapter."""

    def __init__(self, state: ScenarioState, old: ScenarioData, new: ScenarioData, text: str, merge_key: str = "") -> None:
        super().__init__(text)
        self._state_ref = weakref.ref(state)
        self._old = old
        self._new = new
        self._merge_key = merge_key

    def _state(self) -> ScenarioState:
        state = self._state_ref()
        if state is None:
            raise RuntimeError("the scenarios this command edited no longer exist")
        return state

    def redo(self) -> None:
        self._state().set_data(self._new)

    def undo(self) -> None:
        self._state().set_data(self._old)

    def id(self) -> int:
        return _MERGE_ID if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReplaceScenarioDataCommand) or other._merge_key != self._merge_key:
            return False
        self._new = other._new
        return True
