"""Putting imported rows into the open plan: replace it, append to it, or update facilities by ID.

Returns the whole new table plus counts; the caller applies it as one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from models.facility_plan import coerce_frame
from models.schema import FIELD_KEYS

REPLACE, APPEND, UPSERT = "replace", "append", "upsert"
MODES = (REPLACE, APPEND, UPSERT)
MODE_LABELS = {REPLACE: "Replace the plan", APPEND: "Add to the plan", UPSERT: "Update facilities by ID"}


@dataclass
class MergeOutcome:
    """The new table and what happened to each imported row."""

    frame: pd.DataFrame
    mode: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [f"{self.added:,} added", f"{self.updated:,} updated", f"{self.unchanged:,} unchanged"]
        if self.removed:
            parts.append(f"{self.removed:,} previous facilities replaced")
        return ", ".join(parts)


def merge(existing: pd.DataFrame, incoming: pd.DataFrame, mode: str, fields: Iterable[str] = FIELD_KEYS) -> MergeOutcome:
    """The plan table after importing ``incoming`` in ``mode``.

    ``fields`` are the fields the import mapped: an update by ID changes only those, and a blank
    imported value never erases a value the plan has.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    incoming = coerce_frame(incoming)
    if mode == REPLACE:
        return MergeOutcome(incoming, mode, added=len(incoming), removed=len(existing))
    existing = coerce_frame(existing)
    if mode == APPEND:
        return _append(existing, incoming)
    return _upsert(existing, incoming, [key for key in fields if key != "id" and key in FIELD_KEYS])


def _append(existing: pd.DataFrame, incoming: pd.DataFrame) -> MergeOutcome:
    used = set(existing["id"].dropna())
    ids = incoming["id"].to_numpy(dtype=object).copy()
    renamed = []
    for position, value in enumerate(ids):
        if value in used:
            candidate, number = f"{value} (2)", 3
            while candidate in used:
                candidate, number = f"{value} ({number})", number + 1
            renamed.append(f"{value} → {candidate}")
            ids[position] = candidate
        used.add(ids[position])
    incoming = incoming.copy()
    incoming["id"] = ids
    outcome = MergeOutcome(coerce_frame(pd.concat([existing, incoming], ignore_index=True)), APPEND, added=len(incoming))
    if renamed:
        outcome.notes.append(
            f"{len(renamed):,} imported IDs were already in the plan and got a suffix: {', '.join(renamed[:5])}"
            + (" ..." if len(renamed) > 5 else "")
        )
    return outcome


_MISSING = object()


def _same(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Element-wise equality where missing equals missing (pd.NA has no truth value)."""
    a = left.astype(object).where(left.notna(), _MISSING).to_numpy()
    b = right.astype(object).where(right.notna(), _MISSING).to_numpy()
    return np.array([x is y or (x is not _MISSING and y is not _MISSING and x == y) for x, y in zip(a, b)], dtype=bool)


def _upsert(existing: pd.DataFrame, incoming: pd.DataFrame, fields: list[str]) -> MergeOutcome:
    index_of = {value: position for position, value in enumerate(existing["id"].tolist()) if value is not None}
    targets = np.array([index_of.get(value, -1) for value in incoming["id"].tolist()], dtype=np.int64)
    matched = targets >= 0
    result = existing.copy()
    changed = np.zeros(len(incoming), dtype=bool)
    rows = targets[matched]
    for key in fields:
        new = incoming[key][matched].reset_index(drop=True)
        old = existing[key].iloc[rows].reset_index(drop=True)
        take = new.notna().to_numpy() & ~_same(new, old)
        if take.any():
            column = result.columns.get_loc(key)
            result.iloc[rows[take], column] = new[take].to_numpy()
            changed[np.flatnonzero(matched)[take]] = True
    added = incoming[~matched]
    if len(added):
        result = pd.concat([result, added], ignore_index=True)
    updated = int(changed.sum())
    return MergeOutcome(coerce_frame(result), UPSERT, added=len(added), updated=updated,
                        unchanged=int(matched.sum()) - updated)
