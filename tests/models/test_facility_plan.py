"""Validated edits on the plan: cells, blocks, rows, and their messages."""

from __future__ import annotations

import pandas as pd
import pytest

from models.facility_plan import FacilityPlan, PlanError
from tests.conftest import small_frame


def test_dtypes_follow_schema(small_plan: FacilityPlan) -> None:
    dtypes = small_plan.frame.dtypes.astype(str).to_dict()
    assert dtypes["rated_capacity"] == "Int64"
    assert dtypes["population"] == "Float64"
    assert dtypes["id"] == "object"
    assert dtypes["as_of"] == "datetime64[ns]"


def test_validation_message_has_row_and_facility_name() -> None:
    frame = pd.concat([small_frame()] * 3, ignore_index=True)
    frame["id"] = [f"X{i}" for i in range(len(frame))]
    plan = FacilityPlan(frame)
    with pytest.raises(PlanError) as error:
        plan.set_cell(13, "population", "abc")
    assert str(error.value) == "Population must be a number ≥ 0; got 'abc' in row 14 (Pine Ridge)"
    assert plan.value(13, "population") == 0.0


def test_set_cell_returns_previous_value(small_plan: FacilityPlan) -> None:
    assert small_plan.set_cell(0, "population", "120") == 99.5
    assert small_plan.value(0, "population") == 120.0


def test_duplicate_id_refused(small_plan: FacilityPlan) -> None:
    with pytest.raises(PlanError, match=r"ID must be unique; 'B2' in row 1 .* already used by row 2"):
        small_plan.set_cell(0, "id", "B2")


def test_block_is_all_or_nothing(small_plan: FacilityPlan) -> None:
    before = small_plan.frame.copy()
    with pytest.raises(PlanError, match="Rated capacity must be a whole number"):
        small_plan.set_block([(0, "population", "10"), (1, "rated_capacity", "-4")])
    pd.testing.assert_frame_equal(small_plan.frame, before)


def test_block_swapping_ids_is_allowed(small_plan: FacilityPlan) -> None:
    small_plan.set_block([(0, "id", "B2"), (1, "id", "A1")])
    assert small_plan.value(0, "id") == "B2"
    assert small_plan.value(1, "id") == "A1"


def test_block_duplicate_ids_within_block_refused(small_plan: FacilityPlan) -> None:
    _parsed, problems = small_plan.validate_block([(0, "id", "Z"), (1, "id", "Z")])
    assert len(problems) == 1
    assert "appears twice" in problems[0].reason


def test_insert_remove_restore_round_trip(small_plan: FacilityPlan) -> None:
    original = small_plan.frame.copy()
    small_plan.insert_rows(2, [{"id": "N1", "name": "New", "population": 3.25}])
    assert small_plan.row_count == 6
    assert small_plan.value(2, "population") == 3.25
    assert small_plan.value(3, "id") == "C3"
    removed = small_plan.remove_rows([2, 4])
    assert [row for row, _ in removed] == [2, 4]
    small_plan.restore_rows(removed)
    small_plan.remove_rows([2])
    pd.testing.assert_frame_equal(small_plan.frame, original)


def test_new_id_is_unused(small_plan: FacilityPlan) -> None:
    assert small_plan.new_id() not in set(small_plan.frame["id"])
