"""The place value type and the single gate for coordinates.

Everything that leaves a geocoder is a :class:`Place`; everything that enters
as a coordinate pair goes through :func:`as_latlon`, which names the bad value
when it refuses one (the pattern of ``geopy.point.Point``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import BadInput
from .vocabulary import Feature

#: Feature words used in ``Place.feature`` (see :class:`mali_map.vocabulary.Feature`).
FEATURES = tuple(Feature)


@dataclass(frozen=True)
class Alternative:
    """A candidate that ranked below the chosen place, with its score (0..1).

    ``outside``: the candidate lies outside the country the query named (or
    the run's ``--only``), so it could not be the answer (its score is 0); it
    is listed so a reader sees what else bears the name.
    """

    name: str
    lat: float
    lon: float
    country_code: str | None
    score: float
    outside: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country_code": self.country_code,
            "score": self.score,
            "outside": self.outside,
        }


@dataclass(frozen=True)
class Place:
    """A resolved place: a point, what it is, how big it is and how sure we are.

    ``radius_km`` is the place's extent (see :func:`radius_km_for`), used to widen
    distance ranges; ``confidence`` is 0..1; ``alternatives`` are the candidates
    that ranked below this one; ``spread_km`` is how far apart other sources put
    the same place (0 when only one source has it). ``source`` says where the point came from
    (``geonames``, ``user:NAME``, ``nominatim``, ``offset``, ``coordinates``).

    A place iterates as ``(lat, lon)``, the sequence ``geopy.point.Point`` accepts, so
    it goes wherever geopy takes a point: ``geopy.distance.geodesic(kati, bamako).km``.
    ``region_mismatch``: the query named a region and this place lies in another one.
    """

    name: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    feature: str = "place"
    population: int | None = None
    source: str = "geonames"
    confidence: float = 1.0
    radius_km: float = 1.0
    spread_km: float = 0.0
    alternatives: tuple[Alternative, ...] = field(default=(), compare=False)
    query: str | None = field(default=None, compare=False)
    place_id: int | None = field(default=None, compare=False)
    region_mismatch: bool = False

    @property
    def point(self) -> tuple[float, float]:
        """``(lat, lon)``."""
        return (self.lat, self.lon)

    def __iter__(self) -> Iterator[float]:
        """``lat`` then ``lon``: how geopy (``Point(place)``) and ``lat, lon = place`` read a place."""
        return iter((self.lat, self.lon))

    def with_(self, **changes: Any) -> Place:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The place object of the JSON interface."""
        return {
            "name": self.name,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "country_code": self.country_code,
            "admin1": self.admin1,
            "feature": self.feature,
            "population": self.population,
            "source": self.source,
            "confidence": round(self.confidence, 3),
            "radius_km": round(self.radius_km, 3),
            "spread_km": round(self.spread_km, 3),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "region_mismatch": self.region_mismatch,
        }


def as_latlon(value: Any, *, where: str | None = None) -> tuple[float, float]:
    """Validate a coordinate pair and return it as ``(lat, lon)`` floats.

    Accepts a :class:`Place`, a ``(lat, lon)`` sequence or a ``"lat, lon"``
    string. Raises :class:`BadInput` naming the bad value otherwise.

    >>> as_latlon("12.6, -7.98")
    (12.6, -7.98)
    """
    if isinstance(value, Place):
        return value.point
    if isinstance(value, str):
        parts = value.replace(";", ",").split(",")
        if len(parts) != 2:
            raise BadInput(f"not a 'lat, lon' pair: {value!r}", where=where)
        value = parts
    try:
        lat, lon = (float(v) for v in value)
    except (TypeError, ValueError):
        raise BadInput(f"not a coordinate pair: {value!r}", where=where) from None
    check_latlon(lat, lon, where=where)
    return lat, lon


def check_latlon(lat: float, lon: float, *, where: str | None = None) -> None:
    """Raise :class:`BadInput` unless ``lat`` is in [-90, 90] and ``lon`` in [-180, 180]."""
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise BadInput(f"latitude {lat!r} is outside -90..90", where=where)
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise BadInput(f"longitude {lon!r} is outside -180..180", where=where)


def radius_km_for(feature: str, population: int | None = None, area_km2: float | None = None) -> float:
    """The extent model: how far a place reaches from its point, in km.

    - With an area (countries, regions): the radius of a disc of that area.
    - Populated places: ``0.05 * population ** 0.35`` km, clamped to 0.5..30 km.
      Built-up area grows more slowly than population; the curve is fitted so
      that a village of 1,000 spans about 0.6 km, Kati (130,000) about 3 km and
      Bamako (4.2 million, its metropolitan count) about 10 km, which matches
      their built-up areas on imagery.
    - No population: 1 km for a populated place, 0.5 km for a bare coordinate.
    """
    if area_km2:
        return math.sqrt(area_km2 / math.pi)
    if feature == "coordinates":
        return 0.0
    if population and population > 0:
        return min(30.0, max(0.5, 0.05 * population**0.35))
    if feature in ("admin1", "country"):
        return 50.0
    return 1.0


def feature_for_population(population: int | None) -> str:
    """Name a populated place by size: city (>=100,000), town (>=5,000), village."""
    if not population:
        return "place"
    if population >= 100_000:
        return "city"
    if population >= 5_000:
        return "town"
    return "village"
