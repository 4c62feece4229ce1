"""Exact round trip of extra tables through xlsx cells: values, dtypes, missing values, odd text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.workbook_format import WorkbookError
from models.workbook_tables import read_tables, table_problem, write_tables

#: Text that tempts a writer or reader to turn it into something else.
TRICKY_TEXT = [
    "NA", "null", "1e5", "007", "=SUM(A1:A2)", "+1", "-2", "@cmd", "\tTab", "\rCR", "<r><t>rich</t></r>",
    "_x0041_", " lead", "trail ", "TRUE", "2025-01-16", "a\r\nb", "\x01ctl", "Zürich – 東京 🚀", "",
]

texts = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=40))
floats = st.floats(allow_nan=False, allow_infinity=False)
stamps = st.datetimes(min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2260, 1, 1))


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 12))

    def column(values: st.SearchStrategy, dtype: str) -> pd.Series:
        items = draw(st.lists(st.one_of(st.none(), values), min_size=rows, max_size=rows))
        return pd.Series(pd.array(items, dtype=dtype))

    return pd.DataFrame(
        {
            "Text": column(texts, "string"),
            "Count": column(st.integers(-(2**63) + 1, 2**63 - 1), "Int64"),
            "Value": column(floats, "Float64"),
            "Flag": column(st.booleans(), "boolean"),
            "When": pd.Series(
                pd.array([pd.NaT if v is None else pd.Timestamp(v) for v in draw(st.lists(st.one_of(st.none(), stamps), min_size=rows, max_size=rows))], dtype="datetime64[ns]")
            ),
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=tables())
def test_generated_tables_round_trip_exactly(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "tables.xlsx"
    write_tables(path, {"Capacity changes": frame})
    back = read_tables(path)["Capacity changes"]
    pd.testing.assert_frame_equal(back, frame, check_exact=True)


def test_every_supported_dtype_and_edge_value(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "s": pd.array(["", None, "x", "NA"], dtype="string"),
            "str": pd.Series(["a", None, "", "1e5"], dtype="str"),
            "obj": pd.Series(["a", None, "", "=1+1"], dtype=object),
            "I": pd.array([2**53 + 1, None, -(2**62), 0], dtype="Int64"),
            "F": pd.array([0.1 + 0.2, None, 5e-324, 1e308], dtype="Float64"),
            "i": np.array([1, 2, 3, 2**60], dtype="int64"),
            "f": np.array([np.nan, np.inf, -np.inf, 1 / 3]),
            "b": np.array([True, False, True, False]),
            "B": pd.array([True, None, False, None], dtype="boolean"),
            "d_ns": pd.to_datetime(["2025-01-16", None, "1800-05-01 12:00:00.123456789", "2025-01-16 13:45:07.5"], format="ISO8601").astype("datetime64[ns]"),
            "d_us": pd.to_datetime(["2025-01-16", None, "1600-01-01", "9999-12-31"], format="ISO8601").astype("datetime64[us]"),
            "dup": pd.array([1, 2, 3, 4], dtype="Int64"),
        }
    )
    frame.insert(len(frame.columns), "dup2", frame["dup"])
    frame = frame.rename(columns={"dup2": "dup"})
    path = tmp_path / "t.xlsx"
    write_tables(path, {"Edge": frame, "Empty": pd.DataFrame({"a": pd.array([], dtype="Int64")}), "NoCols": pd.DataFrame()})
    back = read_tables(path)
    pd.testing.assert_frame_equal(back["Edge"], frame, check_exact=True)
    pd.testing.assert_frame_equal(back["Empty"], pd.DataFrame({"a": pd.array([], dtype="Int64")}), check_exact=True)
    assert back["NoCols"].shape == (0, 0)


def test_float64_keeps_nan_apart_from_missing(tmp_path: Path) -> None:
    values = pd.array([1.5, None, 2.0], dtype="Float64")
    values[2] = np.nan  # a NaN that is not NA, as arithmetic 0/0 leaves in a Float64 column
    frame = pd.DataFrame({"x": values})
    write_tables(tmp_path / "n.xlsx", {"N": frame})
    back = read_tables(tmp_path / "n.xlsx")["N"]
    assert back["x"].isna().tolist() == frame["x"].isna().tolist()
    pd.testing.assert_frame_equal(back, frame, check_exact=True)


@pytest.mark.parametrize(
    ("name", "frame", "fragment"),
    [
        ("Bad/name", pd.DataFrame({"a": [1]}), "forbids"),
        ("x" * 32, pd.DataFrame({"a": [1]}), "at most 31"),
        ("Facilities", pd.DataFrame({"a": [1]}), "used by the plan workbook"),
        ("Ok", pd.DataFrame({1: [1]}), "must be text"),
        ("Ok", pd.DataFrame({"a": pd.Categorical(["x"])}), "categorical"),
        ("Ok", pd.DataFrame({"a": pd.Series([1, "x"], dtype=object)}), "only text"),
        ("Ok", pd.DataFrame({"a": pd.to_datetime(["2025-01-01"]).tz_localize("UTC")}), "cannot be saved exactly"),
    ],
)
def test_unsavable_tables_are_named(name: str, frame: pd.DataFrame, fragment: str, tmp_path: Path) -> None:
    problem = table_problem(name, frame)
    assert problem is not None and fragment in problem
    with pytest.raises(WorkbookError, match=r"\w"):
        write_tables(tmp_path / "x.xlsx", {name: frame})


def test_text_longer_than_a_cell_is_refused_not_cut(tmp_path: Path) -> None:
    fits = pd.DataFrame({"t": pd.array(["x" * 32_767, "🚀" * 16_383 + "x"], dtype="string")})
    write_tables(tmp_path / "fits.xlsx", {"T": fits})
    pd.testing.assert_frame_equal(read_tables(tmp_path / "fits.xlsx")["T"], fits)
    too_long = pd.DataFrame({"t": pd.array(["🚀" * 16_384], dtype="string")})  # 32,768 UTF-16 units
    with pytest.raises(WorkbookError, match="32,768 characters long"):
        write_tables(tmp_path / "long.xlsx", {"T": too_long})
