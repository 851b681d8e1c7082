"""Places as geopy ``Location`` objects, so a :class:`~.search.Gazetteer` can stand in for a geopy geocoder.

geopy's protocol is one method, ``geocode(query, exactly_one=True)``, that
returns a ``Location`` (or a list of them) or ``None``; geopandas calls it
through ``geopandas.tools.geocode(names, provider=...)``. geopy is imported
only here, when a ``Location`` is actually built.
"""

from __future__ import annotations

from typing import Any

from ..places import Place


def to_locations(place: Place, *, exactly_one: bool) -> Any:
    """``place`` as a ``geopy.location.Location``; with ``exactly_one=False``, a list of it and its alternatives."""
    from geopy.location import Location

    found = [place] + [Place(a.name, a.lat, a.lon, a.country_code, confidence=a.score) for a in place.alternatives]
    locations = [Location(address(p), (p.lat, p.lon), p.to_dict()) for p in found]
    return locations[0] if exactly_one else locations


def address(place: Place) -> str:
    """The address a ``Location`` shows: name, region, country code."""
    return ", ".join(part for part in (place.name, place.admin1, place.country_code) if part)
