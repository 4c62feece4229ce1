"""Hypothesis properties of the column value parser (built on models.values.parse_number and NA_TOKENS)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from models.importing.columns import to_numbers, to_text
from models.importing.sandbox import RawSheet
from models.values import NA_TOKENS


def _sheet(values: list[object], typed: bool = False) -> RawSheet:
    """One column: the header, then ``values`` raw (head) or as a typed body column."""
    if typed:
        return RawSheet("S", (0, 0), [["Value"]], [values], len(values), 1)
    return RawSheet("S", (0, 0), [["Value"], *([v] for v in values)], [], 0, 1)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_thousands_separators_parse_to_the_number(number: int) -> None:
    values, problems = to_numbers(_sheet([f"{number:,}"], typed=True), 0, 1)
    assert not problems and values[0] == number


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_numbers_stored_as_text_round_trip(number: float) -> None:
    values, problems = to_numbers(_sheet([repr(number)]), 0, 1)
    assert not problems and values[0] == number


@given(st.lists(st.one_of(
    st.sampled_from(sorted(NA_TOKENS)), st.sampled_from([" N/A ", "NULL", "n/a"]),
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**9, 10**9).map(str),
    st.text(max_size=8), st.booleans(),
), max_size=40), st.booleans())
@settings(max_examples=200, deadline=None)
def test_every_cell_is_a_number_missing_or_reported(cells: list[object], typed: bool) -> None:
    values, problems = to_numbers(_sheet(cells, typed=typed), 0, 1)
    assert len(values) == len(cells)
    reported = {row for row, _, _ in problems}
    for row, raw in enumerate(cells):
        if row in reported:
            assert math.isnan(values[row])
            assert not (isinstance(raw, str) and raw.strip().lower() in NA_TOKENS)
        elif isinstance(raw, str) and raw.strip().lower() in NA_TOKENS:
            assert math.isnan(values[row])
        elif isinstance(raw, bool):
            raise AssertionError("TRUE/FALSE must be reported, never read as 1/0")
        else:
            assert not math.isnan(values[row]) or (isinstance(raw, float) and math.isnan(raw))


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_ids_and_zip_codes_keep_leading_zeros(digits: str) -> None:
    assert to_text(_sheet([digits], typed=True), 0, 1)[0] == digits
    assert to_text(_sheet([digits]), 0, 1)[0] == digits


@given(st.integers(0, 10**9))
def test_whole_numbers_from_a_workbook_print_without_decimals(number: int) -> None:
    assert to_text(_sheet([np.array([float(number)])[0]], typed=False), 0, 1)[0] == str(number)
