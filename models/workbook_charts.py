"""The Charts sheet: native Excel charts of occupancy against capacity, by facility and by state."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xlsxwriter

from models.facility_plan import FacilityPlan
from models.schema import Status
from models.summary import capacity_basis
from models.workbook_format import CHARTS_SHEET
from models.workbook_tables import add_sheet

#: Facilities shown in the by-facility chart: the most populated operational sites.
TOP_FACILITIES = 25


def chart_tables(plan: FacilityPlan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(by facility, by state): name, capacity (operational, else rated) and population of
    operational sites, which are what today's occupancy is measured against."""
    frame = plan.frame
    status = frame["status"].astype(object)
    today = (status.isna() | (status == Status.OPERATIONAL.value)).to_numpy()
    basis = capacity_basis(frame)
    population = frame["population"].to_numpy(dtype="float64", na_value=np.nan)
    work = pd.DataFrame(
        {
            "name": frame["name"].fillna(frame["id"]).astype(object).to_numpy(),
            "state": frame["state"].fillna("(blank)").astype(object).to_numpy(),
            "capacity": basis,
            "population": population,
        }
    )[today]
    by_facility = (
        work.dropna(subset=["population"])
        .sort_values("population", ascending=False, kind="stable")
        .head(TOP_FACILITIES)[["name", "capacity", "population"]]
        .reset_index(drop=True)
    )
    by_state = (
        work.groupby("state", sort=True)[["capacity", "population"]].sum(min_count=1).reset_index()
        if len(work) else pd.DataFrame(columns=["state", "capacity", "population"])
    )
    return by_facility, by_state


def write_charts_sheet(book: xlsxwriter.Workbook, plan: FacilityPlan) -> None:
    sheet = add_sheet(book, CHARTS_SHEET)
    by_facility, by_state = chart_tables(plan)
    title = book.add_format({"bold": True, "font_size": 14})
    note = book.add_format({"italic": True, "font_color": "#595959"})
    header = book.add_format({"bold": True, "bottom": 1})
    number = book.add_format({"num_format": "#,##0"})
    sheet.write_string(0, 0, "Occupancy against capacity", title)
    sheet.write_string(
        1, 0,
        "Operational sites as saved by Bedplan; capacity is operational capacity where known, otherwise rated. "
        f"By facility: the {TOP_FACILITIES} most populated sites.",
        note,
    )
    blocks = (("Facility", by_facility, "name", 0), ("State", by_state, "state", 4))
    first = 3
    for label, _table, _key, col in blocks:
        sheet.write_string(first, col, label, header)
        sheet.write_string(first, col + 1, "Capacity", header)
        sheet.write_string(first, col + 2, "Population", header)
    for offset in range(max(len(by_facility), len(by_state))):
        row = first + 1 + offset
        for _label, table, key, col in blocks:
            if offset >= len(table):
                continue
            sheet.write_string(row, col, str(table[key].iloc[offset]))
            for shift, field in ((1, "capacity"), (2, "population")):
                value = table[field].iloc[offset]
                if pd.notna(value):
                    sheet.write_number(row, col + shift, float(value), number)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 11)
    sheet.set_column(3, 3, 3)
    sheet.set_column(4, 4, 10)
    sheet.set_column(5, 6, 11)
    for position, (label, table, _key, col) in enumerate(blocks):
        if table.empty:
            continue
        chart = book.add_chart({"type": "bar" if label == "Facility" else "column"})
        last = first + len(table)
        categories = [CHARTS_SHEET, first + 1, col, last, col]
        for shift, _name, color in ((1, "Capacity", "#A6A6A6"), (2, "Population", "#1F4E79")):
            chart.add_series({
                "name": [CHARTS_SHEET, first, col + shift],
                "categories": categories,
                "values": [CHARTS_SHEET, first + 1, col + shift, last, col + shift],
                "fill": {"color": color},
                "gap": 60,
            })
        if label == "Facility":
            chart.set_title({"name": "Population and capacity by facility"})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 900, "height": max(420, 22 * len(table) + 120)})
        else:
            chart.set_title({"name": "Population and capacity by state"})
            chart.set_size({"width": 980, "height": 420})
        chart.set_legend({"position": "bottom"})
        sheet.insert_chart(first if position == 0 else first + 37, 8, chart)
