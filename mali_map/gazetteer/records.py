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
