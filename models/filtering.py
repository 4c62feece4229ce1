"""Which facilities are in view: a search text and filters by status, type and state."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.schema import Status

_SEARCHED = ("id", "name", "type", "city", "state", "country", "notes")


@dataclass(frozen=True)
class FilterSpec:
    """An empty field means "any"; statuses hold Status values."""

    search: str = ""
    statuses: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.search.strip() or self.statuses or self.types or self.states)

    def mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Boolean array, True for rows that pass every filter (vectorised)."""
        keep = np.ones(len(frame), dtype=bool)
        if self.statuses:
            keep &= frame["status"].isin(self.statuses).to_numpy()
        if self.types:
            keep &= frame["type"].isin(self.types).to_numpy()
        if self.states:
            keep &= frame["state"].isin(self.states).to_numpy()
        needle = self.search.strip().lower()
        if needle:
            hit = np.zeros(len(frame), dtype=bool)
            for key in _SEARCHED:
                text = frame[key].astype("string").str.lower()
                hit |= text.str.contains(needle, regex=False).fillna(False).to_numpy(dtype=bool)
            keep &= hit
        return keep

    def describe(self) -> str:
        """The filter in words: 'status = operational; state = TX, FL; search "north"'."""
        parts = []
        if self.statuses:
            parts.append("status = " + ", ".join(sorted(self.statuses, key=_status_order)))
        if self.types:
            parts.append("type = " + ", ".join(sorted(self.types)))
        if self.states:
            parts.append("state = " + ", ".join(sorted(self.states)))
        if self.search.strip():
            parts.append(f'search "{self.search.strip()}"')
        return "; ".join(parts)


def subset_title(shown: int, total: int, spec: FilterSpec) -> str:
    """'42 of 120 facilities: status = operational', or '120 facilities' when nothing is filtered."""
    if not spec.active:
        return f"{total:,} facilities"
    return f"{shown:,} of {total:,} facilities: {spec.describe()}"


def _status_order(value: str) -> int:
    values = [status.value for status in Status]
    return values.index(value) if value in values else len(values)
