"""Parsing typed and pasted values, and the messages for refused ones."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.schema import COLUMN_BY_KEY, MAX_TEXT_LENGTH
from models.values import CellError, edit_text, format_value, parse_cell, parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234", 1234.0), ("  42 ", 42.0), ("1e3", 1000.0), ("-5.5", -5.5), ("N/A", None), (".", None),
     ("-", None), ("null", None), ("", None), (7, 7.0), (2.5, 2.5), ("12,345.75", 12345.75)],
)
def test_parse_number(raw: object, expected: float | None) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,23", "12%x", "1.2.3", "inf", True])
def test_parse_number_refuses(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


def test_population_message_names_column_rule_and_value() -> None:
    with pytest.raises(CellError) as error:
        parse_cell(COLUMN_BY_KEY["population"], "abc")
    assert str(error.value) == "Population must be a number ≥ 0; got 'abc'"


@pytest.mark.parametrize("raw", ["12.5", "-3", 2.5, "lots"])
def test_capacity_must_be_whole_non_negative(raw: object) -> None:
    with pytest.raises(CellError, match="Rated capacity must be a whole number of beds ≥ 0"):
        parse_cell(COLUMN_BY_KEY["rated_capacity"], raw)


def test_capacity_accepts_thousands_and_whole_float() -> None:
    assert parse_cell(COLUMN_BY_KEY["rated_capacity"], "30,000") == 30000
    assert parse_cell(COLUMN_BY_KEY["rated_capacity"], 1100.0) == 1100
    assert isinstance(parse_cell(COLUMN_BY_KEY["rated_capacity"], "5"), int)


def test_population_keeps_fractions_exactly() -> None:
    assert parse_cell(COLUMN_BY_KEY["population"], "2135.3") == 2135.3
    assert parse_cell(COLUMN_BY_KEY["population"], 0.1 + 0.2) == 0.1 + 0.2


def test_latitude_bounds() -> None:
    with pytest.raises(CellError, match="from -90 to 90"):
        parse_cell(COLUMN_BY_KEY["latitude"], "91")


def test_text_keeps_leading_zeros_and_formula_like_text() -> None:
    assert parse_cell(COLUMN_BY_KEY["id"], "050022") == "050022"
    assert parse_cell(COLUMN_BY_KEY["notes"], "=SUM(A1)") == "=SUM(A1)"
    assert parse_cell(COLUMN_BY_KEY["notes"], "NA") == "NA"


def test_text_longer_than_excel_cell_is_refused_not_cut() -> None:
    assert parse_cell(COLUMN_BY_KEY["notes"], "x" * MAX_TEXT_LENGTH) == "x" * MAX_TEXT_LENGTH
    with pytest.raises(CellError, match="at most 32,767"):
        parse_cell(COLUMN_BY_KEY["notes"], "x" * (MAX_TEXT_LENGTH + 1))


def test_required_id_and_status_choices() -> None:
    with pytest.raises(CellError, match="ID is required"):
        parse_cell(COLUMN_BY_KEY["id"], "  ")
    with pytest.raises(CellError, match="Status must be one of operational, planned"):
        parse_cell(COLUMN_BY_KEY["status"], "sideways")
    assert parse_cell(COLUMN_BY_KEY["status"], "Standby") == "standby"


def test_dates_from_text_and_refusal() -> None:
    assert parse_cell(COLUMN_BY_KEY["as_of"], "01/16/2025") == pd.Timestamp("2025-01-16")
    assert parse_cell(COLUMN_BY_KEY["as_of"], "2025-01-16") == pd.Timestamp("2025-01-16")
    with pytest.raises(CellError, match="As of must be a date"):
        parse_cell(COLUMN_BY_KEY["as_of"], "soon")


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_population_edit_text_round_trips_exactly(value: float) -> None:
    column = COLUMN_BY_KEY["population"]
    assert parse_cell(column, edit_text(column, value)) == value


@given(st.integers(min_value=0, max_value=10_000_000))
def test_capacity_display_and_edit_round_trip(value: int) -> None:
    column = COLUMN_BY_KEY["rated_capacity"]
    assert parse_cell(column, format_value(column, value)) == value
    assert parse_cell(column, edit_text(column, value)) == value


def test_nan_is_missing() -> None:
    assert parse_cell(COLUMN_BY_KEY["population"], math.nan) is None
