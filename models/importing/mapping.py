"""Which source columns feed which fields: matching header names to synonyms, sums of columns, and
remembering a confirmed mapping for the next file with the same layout.

Fields are described by ``FieldSpec`` so another importer (occupancy history: date, facility,
population) can reuse the matcher with its own fields; ``facility_fields()`` gives the plan's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from models.importing.layout import HeaderLayout
from models.schema import COLUMNS, Kind

#: A column's data, judged from its values: what it can feed.
TEXT, NUMBER, DATE, EMPTY = "text", "number", "date", "empty"


@dataclass(frozen=True)
class FieldSpec:
    """A field an importer fills: its key, label, names it goes by, and what data it takes."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    kind: str = TEXT  # TEXT, NUMBER or DATE
    required: bool = False
    #: A text field that may take a column of numbers (IDs, zip codes); names and places may not.
    takes_numbers: bool = False

    @property
    def summable(self) -> bool:
        return self.kind == NUMBER


def facility_fields() -> tuple[FieldSpec, ...]:
    """The plan's fields, from the one column declaration in ``models.schema``."""
    kinds = {Kind.INTEGER: NUMBER, Kind.NUMBER: NUMBER, Kind.DATE: DATE}
    return tuple(
        FieldSpec(column.key, column.header, column.synonyms, kinds.get(column.kind, TEXT), column.required,
                  takes_numbers=column.key in ("id", "notes"))
        for column in COLUMNS
    )


def normalize(text: str) -> str:
    """Lower case words: 'Total Year-Round Beds (ES)' → 'total year round beds es'."""
    text = text.lower().replace("&", " and ").replace("#", " number ")
    return " ".join(re.split(r"[^0-9a-z%]+", text)).strip()


@dataclass
class ColumnMapping:
    """Field key → source column positions (one column, or several summed), with the reason shown."""

    columns: dict[str, tuple[int, ...]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> tuple[int, ...]:
        return self.columns.get(key, ())

    def set(self, key: str, positions: Sequence[int], reason: str = "chosen") -> None:
        if positions:
            self.columns[key] = tuple(positions)
            self.reasons[key] = reason
        else:
            self.columns.pop(key, None)
            self.reasons.pop(key, None)

    def by_names(self, layout: HeaderLayout) -> dict[str, list[str]]:
        return {key: [layout.names[p] for p in positions if p < layout.width] for key, positions in self.columns.items()}

    def describe(self, layout: HeaderLayout, fields: Sequence[FieldSpec]) -> list[str]:
        """'Population ← Level A + Level B + ... (sum; band "FY25 ADP: ...")' lines, in field order."""
        lines = []
        for spec in fields:
            positions = self.columns.get(spec.key)
            if positions:
                names = " + ".join(layout.names[p] for p in positions)
                lines.append(f"{spec.label} ← {names} ({self.reasons.get(spec.key, 'chosen')})")
        return lines


def _score(names: Sequence[str], spec: FieldSpec) -> int:
    """How well a header matches a field: 100 for an exact name, less for a synonym inside it."""
    best = 0
    targets = [normalize(spec.key), normalize(spec.label), *(normalize(s) for s in spec.synonyms)]
    for name in names:
        norm = normalize(name)
        if not norm:
            continue
        padded = f" {norm} "
        for target in targets:
            if not target:
                continue
            if norm == target:
                best = max(best, 100)
            elif f" {target} " in padded and (" " in target or (len(target) >= 4 and len(norm.split()) <= 3)):
                # A one-word synonym inside a long header is too loose ('date' in 'last inspection end date').
                best = max(best, 60 + 5 * len(target.split()))
    return best


def auto_map(layout: HeaderLayout, column_kinds: Sequence[str], fields: Sequence[FieldSpec]) -> ColumnMapping:
    """The best guess: each field to the best-matching column of a suitable kind, each column used once;
    a number field with no column of its own may be the sum of the columns under a matching band."""
    candidates: list[tuple[int, int, int, str]] = []  # (-score, field order, column, reason)
    for order, spec in enumerate(fields):
        for position in range(layout.width):
            if not _fits(spec, column_kinds[position] if position < len(column_kinds) else EMPTY):
                continue
            # The column's own text; band titles only feed sums (see _band_sum).
            names = [layout.bottom[position] or layout.names[position]]
            score = _score(names, spec)
            if score >= 60:
                reason = "same name" if score == 100 else "similar name"
                candidates.append((-score, position, order, reason))
    mapping = ColumnMapping()
    used: set[int] = set()
    for _negative, position, order, reason in sorted(candidates):
        key = fields[order].key
        if key in mapping.columns or position in used:
            continue
        mapping.set(key, (position,), reason)
        used.add(position)
    for spec in fields:
        if spec.key not in mapping.columns and spec.summable:
            band = _band_sum(layout, column_kinds, spec, used)
            if band:
                positions, title = band
                mapping.set(spec.key, positions, f"sum of the columns under “{title}”")
                used.update(positions)
    return mapping


def _fits(spec: FieldSpec, kind: str) -> bool:
    if kind == EMPTY:
        return False
    if spec.kind == NUMBER:
        return kind == NUMBER
    if spec.kind == DATE:
        return kind in (DATE, TEXT)
    return kind == TEXT or spec.takes_numbers


def _band_sum(layout: HeaderLayout, kinds: Sequence[str], spec: FieldSpec, used: set[int]) -> tuple[tuple[int, ...], str] | None:
    groups: dict[str, list[int]] = {}
    for position, band in enumerate(layout.bands):
        if band:
            groups.setdefault(band, []).append(position)
    for title, positions in groups.items():  # dicts keep insertion order: leftmost band first
        if len(positions) < 2 or any(p in used or kinds[p] != NUMBER for p in positions):
            continue
        norm = f" {normalize(title)} "
        targets = [normalize(spec.label), *(normalize(s) for s in spec.synonyms)]
        if any(target and f" {target} " in norm for target in targets):
            return tuple(positions), title
    return None


def fill_required(mapping: ColumnMapping, layout: HeaderLayout, kinds: Sequence[str], id_key: str = "id",
                  name_key: str = "name", fallbacks: Sequence[str] = ("state", "city")) -> None:
    """A plan needs an ID and a name: without an ID column the name serves as ID (stable across
    re-imports, so update-by-ID works); without a name column the ID, or the first text column."""
    if name_key not in mapping.columns:
        if id_key in mapping.columns:
            mapping.set(name_key, mapping.columns[id_key], "same column as the ID (no name column found)")
        else:
            for key in fallbacks:
                if key in mapping.columns:
                    mapping.set(name_key, mapping.columns[key], f"same column as {key} (no name column found)")
                    break
            else:
                text = [p for p, kind in enumerate(kinds) if kind == TEXT]
                if text:
                    mapping.set(name_key, (text[0],), "first text column (no name column found)")
    if id_key not in mapping.columns and name_key in mapping.columns:
        mapping.set(id_key, mapping.columns[name_key], "the name serves as ID (no ID column found)")


def resolve_column(spec: str, layout: HeaderLayout) -> int:
    """The position of a column named ``spec``: the full header text, or the bottom row's text
    alone where the header was combined from several rows; case-insensitive. ValueError if none or
    ambiguous (the message lists what there is)."""
    wanted = " ".join(spec.split()).lower()
    full = [p for p, name in enumerate(layout.names) if name.lower() == wanted]
    if len(full) == 1:
        return full[0]
    bottom = [p for p, name in enumerate(layout.bottom) if name.lower() == wanted]
    if len(bottom) == 1:
        return bottom[0]
    if len(bottom) > 1:
        options = "; ".join(repr(layout.names[p]) for p in bottom[:4])
        raise ValueError(f"column {spec!r} is ambiguous: it matches {options}. Use the full header text")
    if len(wanted) == 1 or (len(wanted) <= 3 and wanted.isalpha()):
        from models.importing.layout import column_letter

        letters = [p for p in range(layout.width) if column_letter(p).lower() == wanted]
        if letters:
            return letters[0]
    shown = ", ".join(repr(name) for name in layout.names[:12]) + (" ..." if layout.width > 12 else "")
    raise ValueError(f"no column named {spec!r}; the columns are {shown}")


#: The fields that make a sheet worth planning beds with: without one of them it is a roster.
BED_FIELDS = ("rated_capacity", "operational_capacity", "surge_capacity", "population")


def maps_beds(mapping: ColumnMapping) -> bool:
    """True when a capacity or population field has a column."""
    return any(mapping.columns.get(key) for key in BED_FIELDS)


def split_columns(spec: str, layout: HeaderLayout) -> list[str]:
    """Split ``COLUMN+COLUMN...`` into column names, keeping a ``+`` that is part of a header
    ("ES beds (excluding seasonal+O/V)"): at each point the longest run of parts that names a
    column wins. A part that names none is returned as it is, for ``resolve_column`` to report."""
    parts = spec.split("+")
    names: list[str] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            candidate = "+".join(parts[start:end]).strip()
            try:
                resolve_column(candidate, layout)
            except ValueError:
                continue
            names.append(candidate)
            start = end
            break
        else:
            names.append(parts[start].strip())
            start += 1
    return [name for name in names if name]


def layout_signature(layout: HeaderLayout) -> str:
    """A key for 'the same layout': the normalized column names in order."""
    text = "\x1f".join(normalize(name) for name in layout.names)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def mapping_to_json(mapping: ColumnMapping, layout: HeaderLayout) -> str:
    return json.dumps({"columns": mapping.by_names(layout)}, sort_keys=True)


def mapping_from_json(text: str, layout: HeaderLayout, fields: Sequence[FieldSpec]) -> ColumnMapping | None:
    """A remembered mapping applied to ``layout``; None when it no longer fits the columns."""
    try:
        stored: Mapping[str, list[str]] = json.loads(text)["columns"]
    except (ValueError, KeyError, TypeError):
        return None
    keys = {spec.key for spec in fields}
    mapping = ColumnMapping()
    lookup = {name.lower(): p for p, name in enumerate(layout.names)}
    for key, names in stored.items():
        if key not in keys:
            continue
        positions = [lookup.get(str(name).lower()) for name in names]
        if any(p is None for p in positions):
            return None
        mapping.set(key, [p for p in positions if p is not None], "remembered from the last file with these columns")
    return mapping
