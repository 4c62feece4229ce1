"""The briefing charts by name: what each shows, its legend, how it is computed and painted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from models.facility_plan import FacilityPlan
from models.schema import Band
from ui.briefing import chart_data, charts, scenario_charts
from ui.briefing.canvas import LegendItem
from ui.briefing.style import (
    BAND_COLOURS,
    BAND_LABELS,
    CAPACITY_COLOUR,
    INK,
    OKABE_ITO,
    POPULATION_COLOUR,
    BriefingStyle,
)

#: Facilities shown in the facilities chart unless the caller asks otherwise.
DEFAULT_TOP_N = 15


class BriefingError(Exception):
    """A briefing export that cannot be done; ``str()`` says what and what to do."""


@dataclass(frozen=True)
class ChartSpec:
    """One briefing chart: a name for code and the command line, words for people, and its parts."""

    name: str
    title: str
    description: str
    legend: tuple[LegendItem, ...]
    build: Callable[[pd.DataFrame, int | None], Any]
    notes: Callable[[BriefingStyle, QRectF, Any], list[str]]
    paint: Callable[[QPainter, BriefingStyle, QRectF, Any], None]
    #: Charts drawn from the whole plan's tables (scenarios) rather than a frame of facilities.
    build_plan: Callable[[FacilityPlan], Any] | None = None


_BANDS = tuple(LegendItem(BAND_LABELS[band.value], BAND_COLOURS[band.value]) for band in (Band.OVER, Band.NEAR, Band.OK))

SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "headline",
        "Headline figures",
        "People held, beds today, utilization, beds short, sites over capacity, beds coming",
        (),
        lambda frame, top_n: chart_data.headline(frame),
        charts.headline_notes,
        charts.paint_headline,
    ),
    ChartSpec(
        "facilities",
        "Facility utilization, highest first",
        "Facilities by people held as a share of capacity, coloured over / near / below, with the 100% line",
        (*_BANDS, LegendItem("100% of capacity", INK, "line")),
        lambda frame, top_n: chart_data.facility_bars(frame, top_n),
        charts.facilities_notes,
        charts.paint_facilities,
    ),
    ChartSpec(
        "states",
        "Capacity and people held by state",
        "Beds today beside people held, per state, largest capacity first",
        (LegendItem("Beds today (capacity)", CAPACITY_COLOUR), LegendItem("People held (population)", POPULATION_COLOUR)),
        lambda frame, top_n: chart_data.state_groups(frame),
        charts.states_notes,
        charts.paint_states,
    ),
    ChartSpec(
        "utilization",
        "How full facilities are",
        "Number of facilities per utilization range, coloured over / near / below",
        _BANDS,
        lambda frame, top_n: chart_data.histogram(frame),
        charts.histogram_notes,
        charts.paint_histogram,
    ),
    ChartSpec(
        "capacity",
        "Network capacity over time",
        "Rated, operational and surge beds as planned capacity opens, with the actual population",
        (LegendItem("Operational beds", INK, "stroke"), LegendItem("Rated beds", scenario_charts.RATED_COLOUR, "dashed"),
         LegendItem("Operational + surge beds", scenario_charts.SURGE_COLOUR, "dashed"),
         LegendItem("Actual people held", OKABE_ITO["reddish_purple"], "stroke")),
        lambda frame, top_n: None,
        scenario_charts.time_notes,
        scenario_charts.paint_time_chart,
        scenario_charts.capacity_data,
    ),
    ChartSpec(
        "projection",
        "Projected people held against capacity, by scenario",
        "Each scenario's projected population and operational beds over its horizon, with the actual population",
        (LegendItem("Projected people held", INK, "stroke"), LegendItem("Operational beds", INK, "dashed"),
         LegendItem("Actual people held", OKABE_ITO["reddish_purple"], "stroke")),
        lambda frame, top_n: None,
        scenario_charts.time_notes,
        scenario_charts.paint_time_chart,
        scenario_charts.projection_data,
    ),
)
SPEC_BY_NAME: dict[str, ChartSpec] = {spec.name: spec for spec in SPECS}
SPEC_NAMES: tuple[str, ...] = tuple(SPEC_BY_NAME)


def spec_named(name: str) -> ChartSpec:
    """The chart called ``name``; BriefingError listing the known names otherwise."""
    try:
        return SPEC_BY_NAME[name]
    except KeyError:
        raise BriefingError(f"There is no briefing chart called {name!r}; choose one of {', '.join(SPEC_NAMES)}") from None
