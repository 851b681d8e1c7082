"""geopy's geocoder protocol, so a :class:`~.search.Gazetteer` can stand in for a geopy geocoder.

geopy's protocol is one method, ``geocode(query, exactly_one=True)``, that
returns a ``Location`` (or a list of them) or ``None``; geopandas calls it
through ``geopandas.tools.geocode(names, provider=...)``. geopy is imported
only here, when a ``Location`` is actually built.
"""

from __future__ import annotations

from typing import Any, Protocol, Self

from ..errors import PlaceNotFound
from ..places import Place


class _LooksUp(Protocol):
    def lookup(self, query: str) -> Place: ...


class GeopyGeocoder:
    """geopy's protocol over a ``lookup(query) -> Place`` that raises :class:`PlaceNotFound`."""

    def geocode(self: _LooksUp, query: str, exactly_one: bool = True, **_ignored: Any) -> Any:
        """geopy's geocoder protocol: a ``geopy.location.Location`` (or a list), ``None`` if not found."""
        try:
            place = self.lookup(query)
        except PlaceNotFound:
            return None
        return to_locations(place, exactly_one=exactly_one)

    def __call__(self, **_settings: Any) -> Self:
        """Return this geocoder: geopandas calls its ``provider`` to make a geocoder,
        so ``geopandas.tools.geocode(names, provider=gazetteer)`` works with an instance too."""
        return self


def to_locations(place: Place, *, exactly_one: bool) -> Any:
    """``place`` as a ``geopy.location.Location``; with ``exactly_one=False``, a list of it and its alternatives."""
    from geopy.location import Location

    found = [place] + [Place(a.name, a.lat, a.lon, a.country_code, confidence=a.score) for a in place.alternatives]
    locations = [Location(address(p), (p.lat, p.lon), p.to_dict()) for p in found]
    return locations[0] if exactly_one else locations


def address(place: Place) -> str:
    """The address a ``Location`` shows: name, region, country code."""
    return ", ".join(part for part in (place.name, place.admin1, place.country_code) if part)
