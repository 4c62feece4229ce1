"""The demonstration plan tells the story and the shipped file matches its generator."""

from __future__ import annotations

import pandas as pd

from models.demo import build_demo_plan
from models.schema import Status
from models.summary import network_totals
from models.workbook_io import read_plan
from resources import resource_path


def test_demo_story_numbers() -> None:
    plan = build_demo_plan()
    totals = network_totals(plan.frame)
    assert 110 <= totals.facilities <= 130
    assert plan.frame["state"].nunique() == 30
    assert abs(totals.rated_capacity - 40_000) <= 500
    assert abs(totals.population - 42_000) <= 500
    assert 1.05 <= totals.utilization <= 1.11
    assert totals.over_capacity_facilities >= 20
    under = (plan.frame["population"] < plan.frame["rated_capacity"] * 0.9).sum()
    assert under >= 20, "many sites must be under capacity too"


def test_demo_future_capacity() -> None:
    frame = build_demo_plan().frame
    tent = frame[frame["rated_capacity"] == 30_000]
    assert list(tent["status"]) == [Status.UNDER_CONSTRUCTION.value]
    planned = frame[frame["status"] == Status.PLANNED.value]
    assert len(planned) == 4
    assert planned["type"].str.contains("Staging").any()
    assert planned["state"].nunique() == 4


def test_demo_says_it_is_fictional() -> None:
    plan = read_plan(resource_path("demo_plan.xlsx"))
    assert plan.meta.demonstration
    assert "fictional" in plan.meta.title.lower()
    assert "fictional" in plan.meta.description.lower()


def test_shipped_file_matches_generator() -> None:
    shipped = read_plan(resource_path("demo_plan.xlsx"))
    pd.testing.assert_frame_equal(shipped.frame, build_demo_plan().frame)
