"""What a gazetteer holds, independent of where it came from.

Readers of every format (GeoNames JSON, CSV, GeoJSON, GeoNames dumps) yield
:class:`PlaceRecord`; rows they cannot use become :class:`RowError` with the
file and line, so an import can report them and carry on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class PlaceRecord(NamedTuple):
    """One place as read from a source, before it is indexed.

    A named tuple rather than a dataclass: imports make hundreds of thousands
    of these, and a tuple is built five times faster.
    """

    name: str
    lat: float
    lon: float
    feature: str = "place"
    population: int | None = None
    country_code: str | None = None
    admin1: str | None = None
    alternatenames: tuple[str, ...] = ()
    geonameid: int | None = None
    area_km2: float | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that was skipped: where it is (``file:line``) and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class RowErrors(list):
    """The bad rows of an import: the first :data:`KEPT_ROW_ERRORS` kept, every one counted.

    A file of a million bad lines must not keep a million errors in memory (a 261 KB zip of junk
    lines drove an import past 8 GB). Appending past the cap only counts; ``len()`` is the count of
    all bad rows, so messages ("skipped 1,000,000 bad rows") stay true, while iterating, indexing
    and slicing see the kept ones.
    """

    def __init__(self, keep: int | None = None):
        super().__init__()
        self.keep = KEPT_ROW_ERRORS if keep is None else keep
        self.total = 0

    def append(self, error: RowError) -> None:
        self.total += 1
        if list.__len__(self) < self.keep:
            super().append(error)

    def __len__(self) -> int:
        return self.total


#: how many bad rows an import keeps to show (the rest are counted)
KEPT_ROW_ERRORS = 1000
