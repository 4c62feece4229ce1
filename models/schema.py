"""The one ordered declaration of a plan's columns: the single source of truth."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pandas as pd


class Status(str, Enum):
    """Lifecycle of a facility; only operational sites count toward today's capacity."""

    OPERATIONAL = "operational"
    PLANNED = "planned"
    UNDER_CONSTRUCTION = "under construction"
    STANDBY = "standby"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accept the value, the label, or common spellings ("under_construction", "Open")."""
        cleaned = " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())
        aliases = {
            "open": cls.OPERATIONAL,
            "active": cls.OPERATIONAL,
            "in service": cls.OPERATIONAL,
            "proposed": cls.PLANNED,
            "construction": cls.UNDER_CONSTRUCTION,
            "building": cls.UNDER_CONSTRUCTION,
            "inactive": cls.STANDBY,
            "mothballed": cls.STANDBY,
            "closed": cls.CLOSED,
        }
        for member in cls:
            if cleaned == member.value:
                return member
        if cleaned in aliases:
            return aliases[cleaned]
        raise ValueError(text)


class Kind(str, Enum):
    """How a column's values are stored, edited and written."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    STATUS = "status"
    DATE = "date"


#: Status is categorical: comparisons over 100,000 rows cost integer compares, not string ones.
STATUS_DTYPE = pd.CategoricalDtype([status.value for status in Status], ordered=False)

#: pandas dtype for each kind; nullable so a missing value stays missing, never 0 or "nan".
PANDAS_DTYPES: dict[Kind, object] = {
    Kind.TEXT: "object",
    Kind.INTEGER: "Int64",
    Kind.NUMBER: "Float64",
    Kind.STATUS: STATUS_DTYPE,
    Kind.DATE: "datetime64[ns]",
}

#: Excel's limit on characters in one cell; longer text is refused, never cut.
MAX_TEXT_LENGTH = 32_767
#: Upper bound on beds at one site; larger values are typing mistakes, not facilities.
MAX_BEDS = 10_000_000


@dataclass(frozen=True)
class Column:
    """One field of a facility: storage, editing, validation, import and export in one place."""

    key: str
    header: str
    kind: Kind
    synonyms: tuple[str, ...] = ()
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False
    number_format: str = "@"
    width: int = 12
    description: str = ""

    @property
    def dtype(self) -> object:
        return PANDAS_DTYPES[self.kind]

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.INTEGER, Kind.NUMBER)


COLUMNS: tuple[Column, ...] = (
    Column(
        "id", "ID", Kind.TEXT, required=True, width=11,
        synonyms=("facility id", "site id", "code", "facility code", "hospital pk", "ccn", "identifier"),
        description="Stable unique identifier; text so leading zeros survive.",
    ),
    Column(
        "name", "Name", Kind.TEXT, required=True, width=32,
        synonyms=("facility", "facility name", "site", "site name", "hospital name", "hospital", "shelter"),
    ),
    Column(
        "type", "Type", Kind.TEXT, width=14,
        synonyms=("facility type", "type detailed", "kind", "category", "hospital subtype", "subtype"),
    ),
    Column(
        "status", "Status", Kind.STATUS, width=18,
        synonyms=("state of operation", "operating status", "facility status", "phase"),
        description="Operational, planned, under construction, standby or closed.",
    ),
    Column("city", "City", Kind.TEXT, width=16, synonyms=("town", "municipality", "locality")),
    Column(
        "state", "State", Kind.TEXT, width=8,
        synonyms=("state/region", "region", "province", "st", "state code", "aor"),
    ),
    Column("country", "Country", Kind.TEXT, width=7, synonyms=("nation", "country code")),
    Column(
        "latitude", "Latitude", Kind.NUMBER, minimum=-90, maximum=90, number_format="0.0000",
        width=8, synonyms=("lat", "y"),
    ),
    Column(
        "longitude", "Longitude", Kind.NUMBER, minimum=-180, maximum=180, number_format="0.0000",
        width=9, synonyms=("lon", "lng", "long", "x"),
    ),
    Column(
        "rated_capacity", "Rated capacity", Kind.INTEGER, minimum=0, maximum=MAX_BEDS, whole=True,
        number_format="#,##0", width=14,
        synonyms=(
            "capacity", "beds", "bed capacity", "rated beds", "funded beds", "funded capacity",
            "guaranteed minimum", "total beds", "licensed beds", "certified capacity",
            "total year-round beds", "inpatient beds", "inpatient beds 7 day avg",
        ),
        description="Beds the facility is funded or certified for.",
    ),
    Column(
        "operational_capacity", "Operational capacity", Kind.INTEGER, minimum=0, maximum=MAX_BEDS,
        whole=True, number_format="#,##0", width=14,
        synonyms=("operational beds", "available beds", "usable beds", "staffed beds", "beds in service"),
        description="Beds usable now; utilization uses it when known.",
    ),
    Column(
        "surge_capacity", "Surge capacity", Kind.INTEGER, minimum=0, maximum=MAX_BEDS, whole=True,
        number_format="#,##0", width=12,
        synonyms=("surge", "surge beds", "overflow beds", "emergency beds", "seasonal beds"),
        description="Extra beds that can be opened temporarily.",
    ),
    Column(
        "population", "Population", Kind.NUMBER, minimum=0, maximum=MAX_BEDS,
        number_format="#,##0.##", width=12,
        synonyms=(
            "adp", "average daily population", "census", "in custody", "occupied", "occupied beds",
            "detained", "headcount", "head count", "population", "beds used", "inpatient beds used",
            "inpatient beds used 7 day avg", "occupancy",
        ),
        description="People held; may be a fractional average daily population.",
    ),
    Column(
        "as_of", "As of", Kind.DATE, number_format="yyyy-mm-dd", width=13,
        synonyms=("date", "as of date", "report date", "collection week", "reporting date"),
    ),
    Column("notes", "Notes", Kind.TEXT, width=40, synonyms=("note", "comments", "comment", "remarks")),
)

FIELD_KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
CAPACITY_KEYS: tuple[str, ...] = ("rated_capacity", "operational_capacity", "surge_capacity")


@dataclass(frozen=True)
class DerivedColumn:
    """A read-only column computed from the fields (see ``models.summary.derive``)."""

    key: str
    header: str
    number_format: str
    width: int
    description: str


DERIVED_COLUMNS: tuple[DerivedColumn, ...] = (
    DerivedColumn(
        "utilization", "Utilization", "0.0%", 11,
        "Population / operational capacity (rated capacity when operational is missing).",
    ),
    DerivedColumn("available", "Available", "#,##0.##;[Red]-#,##0.##", 11, "Capacity − population; negative means short."),
    DerivedColumn("band", "Band", "@", 8, "Over (≥ 100%), Near (≥ 90%) or OK."),
)
DERIVED_KEYS: tuple[str, ...] = tuple(column.key for column in DERIVED_COLUMNS)

#: Order of the columns in the table and the exported Facilities sheet: what an analyst reads
#: first (name, status, place, beds, population, utilization), then location detail and notes.
TABLE_KEYS: tuple[str, ...] = (
    "id", "name", "type", "status", "city", "state",
    "rated_capacity", "operational_capacity", "surge_capacity", "population",
    *DERIVED_KEYS,
    "as_of", "country", "latitude", "longitude", "notes",
)
assert set(TABLE_KEYS) == set(FIELD_KEYS) | set(DERIVED_KEYS) and len(TABLE_KEYS) == len(FIELD_KEYS) + len(DERIVED_KEYS)

OVER_THRESHOLD = 1.0
NEAR_THRESHOLD = 0.9


class Band(str, Enum):
    """Utilization band of a facility."""

    OVER = "Over"
    NEAR = "Near"
    OK = "OK"
    UNKNOWN = ""


def header_for(key: str) -> str:
    """Header text of a field or derived column."""
    if key in COLUMN_BY_KEY:
        return COLUMN_BY_KEY[key].header
    for derived in DERIVED_COLUMNS:
        if derived.key == key:
            return derived.header
    raise KeyError(key)
