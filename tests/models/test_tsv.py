"""Clipboard text as Excel and LibreOffice write it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from models.tsv import format_tsv, parse_tsv


def test_excel_trailing_newline_is_not_an_extra_row() -> None:
    assert parse_tsv("a\tb\r\nc\td\r\n") == [["a", "b"], ["c", "d"]]


def test_quoted_cells_with_tabs_newlines_and_quotes() -> None:
    text = 'x\t"has\ttab"\r\n"two\nlines"\t"say ""hi"""\r\n'
    assert parse_tsv(text) == [["x", "has\ttab"], ["two\nlines", 'say "hi"']]


def test_ragged_rows_and_empty_cells() -> None:
    assert parse_tsv("1\n2\t3\n\t\n") == [["1"], ["2", "3"], ["", ""]]


def test_quote_inside_unquoted_cell_is_literal() -> None:
    assert parse_tsv('5" pipe\tx') == [['5" pipe', "x"]]


cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5))
def test_format_then_parse_round_trips(rows: list[list[str]]) -> None:
    # An all-empty last row is indistinguishable from the trailing newline; Excel behaves alike.
    if all(cell == "" for cell in rows[-1]) and len(rows[-1]) == 1:
        rows = [*rows, ["x"]]
    assert parse_tsv(format_tsv(rows)) == rows
