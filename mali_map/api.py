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
from typing import TYPE_CHECKING

from .errors import BadInput
from .geodesy import check_unit, distance_km, from_km
from .places import Place, as_latlon

if TYPE_CHECKING:
    from .gazetteer import Gazetteer
    from .session import Session

PlaceLike = str | Place | Sequence[float]
# anything that reads as two numbers, "nan", "inf" and "1e308" included, is a coordinate pair, then
# validated (so "nan, nan" is bad input, not the town of Nan)
_NUMBER_TEXT = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?i:nan|inf(?:inity)?)"
_COORDINATES = re.compile(rf"^\s*(?:{_NUMBER_TEXT})\s*[,;]\s*(?:{_NUMBER_TEXT})\s*$")


def _session(country: str | None, only: Sequence[str] | str | None = None) -> Session:
    from .session import default_session

    return default_session(country, only)


def geocode(
    query: str, *, country: str | None = None, only: Sequence[str] | str | None = None, session: Session | None = None
) -> Place:
    """The best place for ``query``; raises :class:`~mali_map.errors.PlaceNotFound` (a ``LookupError``).

    ``only``: country codes; no answer comes from any other country (as ``--only``).
    A ``"lat, lon"`` pair is answered as itself (feature ``coordinates``), an impossible
    one (``"95, 10"``, ``"nan, nan"``) raises :class:`~mali_map.errors.BadInput`, as does a
    country code that names no country (``only="XX"``, ``country="Mali"``).
    ``session``: the :class:`~mali_map.session.Session` to ask (its focus and ``only``
    then apply); by default the default session of ``country`` and ``only``.
    """
    return geocode_with((session or _session(country, only)).gazetteer, query)


def geocode_with(gazetteer: Gazetteer, query: str) -> Place:
    """:func:`geocode` in ``gazetteer``."""
    if not isinstance(query, str):
        raise BadInput(f"a query is a text, not {type(query).__name__}", where="query")
    if is_coordinate_text(query):
        return as_place(query).with_(query=query)
    return gazetteer.lookup(query)


def geocode_many(
    queries: Sequence[str],
    *,
    country: str | None = None,
    only: Sequence[str] | str | None = None,
    gazetteer: Gazetteer | None = None,
    session: Session | None = None,
) -> list[Place | None]:
    """:func:`geocode` for many queries, same order, ``None`` where nothing matched
    (an impossible ``"lat, lon"`` pair included).

    ``gazetteer``: the gazetteer to search (default: the session's); ``session``: as for
    :func:`geocode`.
    """
    if gazetteer is None:
        gazetteer = (session or _session(country, only)).gazetteer
    return geocode_many_with(gazetteer, queries)


def geocode_many_with(gazetteer: Gazetteer, queries: Sequence[str]) -> list[Place | None]:
    """:func:`geocode_many` in ``gazetteer``: ``"lat, lon"`` pairs answered as themselves, the names
    looked up in one batch."""
    if isinstance(queries, str):
        raise BadInput("queries is a list of texts, not one text (use geocode)", where="queries")
    points = {q: point_or_none(q) for q in queries if is_coordinate_text(q)}
    names = [q for q in queries if q not in points]
    found = dict(zip(names, gazetteer.lookup_many(names))) if names else {}
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


def as_place(value: PlaceLike, *, country: str | None = None, gazetteer: Gazetteer | None = None) -> Place:
    """A :class:`Place` from a name, a ``(lat, lon)`` pair, a ``"lat, lon"`` string or a Place.

    Names are looked up in ``gazetteer`` (default: the shared one for ``country``).
    """
    if isinstance(value, Place):
        return value
    if isinstance(value, str) and not is_coordinate_text(value):
        return (gazetteer or _session(country).gazetteer).lookup(value)
    lat, lon = as_latlon(value)
    return Place(
        name=f"{lat:.5f}, {lon:.5f}", lat=lat, lon=lon, feature="coordinates", source="coordinates", radius_km=0.0
    )


def distance(
    a: PlaceLike, b: PlaceLike, unit: str = "km", *, country: str | None = None, session: Session | None = None
) -> float:
    """Geodesic distance on WGS84 between two places, in ``unit`` (km, mi, nmi, m);
    an unknown unit raises :class:`~mali_map.errors.BadInput`."""
    check_unit(unit)
    return distance_with((session or _session(country)).gazetteer, a, b, unit)


def distance_with(gazetteer: Gazetteer, a: PlaceLike, b: PlaceLike, unit: str = "km") -> float:
    """:func:`distance` with names looked up in ``gazetteer``."""
    check_unit(unit)
    return from_km(distance_km(as_place(a, gazetteer=gazetteer).point, as_place(b, gazetteer=gazetteer).point), unit)
