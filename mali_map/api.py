"""The top-level functions of ``import mali_map``: geocode, geocode_many, distance.

They use one shared offline :class:`~mali_map.gazetteer.Gazetteer` per
country focus. As everywhere in mali-map, ``country=None`` means the
default focus (``ML``, :data:`mali_map.countries.DEFAULT_COUNTRY`) and
``country=""`` no focus at all.

>>> import mali_map
>>> round(mali_map.distance("Kati", "Bamako", unit="mi"), 2)
11.37
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import BadInput
from .gazetteer import open_gazetteer
from .geodesy import check_unit, distance_km, from_km
from .places import Place, as_latlon

PlaceLike = str | Place | Sequence[float]
# anything that reads as two numbers, "nan", "inf" and "1e308" included, is a coordinate pair, then
# validated (so "nan, nan" is bad input, not the town of Nan)
_NUMBER_TEXT = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?i:nan|inf(?:inity)?)"
_COORDINATES = re.compile(rf"^\s*(?:{_NUMBER_TEXT})\s*[,;]\s*(?:{_NUMBER_TEXT})\s*$")


def _gazetteer(country: str | None, only: Sequence[str] | str | None = None):
    if isinstance(only, str):
        only = (only,)
    return open_gazetteer(country=country, only=only)


def geocode(query: str, *, country: str | None = None, only: Sequence[str] | str | None = None) -> Place:
    """The best place for ``query``; raises :class:`~mali_map.errors.PlaceNotFound` (a ``LookupError``).

    ``only``: country codes; no answer comes from any other country (as ``--only``).
    A ``"lat, lon"`` pair is answered as itself (feature ``coordinates``), an impossible
    one (``"95, 10"``, ``"nan, nan"``) raises :class:`~mali_map.errors.BadInput`.
    """
    if is_coordinate_text(query):
        return as_place(query).with_(query=query)
    return _gazetteer(country, only).lookup(query)


def geocode_many(
    queries: Sequence[str], *, country: str | None = None, only: Sequence[str] | str | None = None
) -> list[Place | None]:
    """:func:`geocode` for many queries, same order, ``None`` where nothing matched
    (an impossible ``"lat, lon"`` pair included)."""
    points = {q: point_or_none(q) for q in queries if is_coordinate_text(q)}
    names = [q for q in queries if q not in points]
    found = dict(zip(names, _gazetteer(country, only).lookup_many(names))) if names else {}
    return [points[q] if q in points else found[q] for q in queries]


def point_or_none(text: str) -> Place | None:
    """The place of a ``"lat, lon"`` text, or ``None`` when the numbers are no point on Earth."""
    try:
        return as_place(text).with_(query=text)
    except BadInput:
        return None


def is_coordinate_text(text: str) -> bool:
    """Whether ``text`` reads as a ``"lat, lon"`` pair rather than a place name."""
    return bool(_COORDINATES.match(text))


def as_place(value: PlaceLike, *, country: str | None = None, gazetteer=None) -> Place:
    """A :class:`Place` from a name, a ``(lat, lon)`` pair, a ``"lat, lon"`` string or a Place.

    Names are looked up in ``gazetteer`` (default: the shared one for ``country``).
    """
    if isinstance(value, Place):
        return value
    if isinstance(value, str) and not is_coordinate_text(value):
        return (gazetteer or _gazetteer(country)).lookup(value)
    lat, lon = as_latlon(value)
    return Place(
        name=f"{lat:.5f}, {lon:.5f}", lat=lat, lon=lon, feature="coordinates", source="coordinates", radius_km=0.0
    )


def distance(a: PlaceLike, b: PlaceLike, unit: str = "km", *, country: str | None = None) -> float:
    """Geodesic distance on WGS84 between two places, in ``unit`` (km, mi, nmi, m)."""
    check_unit(unit)
    return from_km(distance_km(as_place(a, country=country).point, as_place(b, country=country).point), unit)
