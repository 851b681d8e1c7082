"""Parts of a country named by a compass word: "the north" of Mali.

A story about Mali that says "attacks in the north" points at its northern
regions, not at a town. The part is the centre of the country's first-level
regions that lie in the named third of the country (by latitude for north and
south, longitude for east and west), with a radius that covers them.
"""

from __future__ import annotations

import functools

from ..geodesy import distance_km
from ..places import Place
from ..vocabulary import Compass, Feature


@functools.lru_cache(maxsize=256)
def country_part(iso2: str, compass: str) -> Place | None:
    """The ``compass`` part (``"N"``, ``"SE"`` ...) of country ``iso2``, or ``None`` without regions."""
    from .. import geodata

    regions = [
        r
        for r in geodata.admin1_regions()
        if r["country_code"] == iso2 and r.get("lat") is not None and r.get("lon") is not None
    ]
    country = next((c for c in geodata.countries() if c["iso2"] == iso2), None)
    if len(regions) < 3 or country is None:
        return None
    chosen = regions
    for letter in compass:
        axis = "lat" if Compass(letter) in (Compass.N, Compass.S) else "lon"
        values = sorted(r[axis] for r in chosen)
        if Compass(letter) in (Compass.N, Compass.E):
            cut = values[len(values) * 2 // 3 - (1 if len(values) % 3 == 0 else 0)]
            chosen = [r for r in chosen if r[axis] >= cut] or chosen
        else:
            cut = values[(len(values) - 1) // 3]
            chosen = [r for r in chosen if r[axis] <= cut] or chosen
    lat = sum(r["lat"] for r in chosen) / len(chosen)
    lon = sum(r["lon"] for r in chosen) / len(chosen)
    radius = max(50.0, max(distance_km((lat, lon), (r["lat"], r["lon"])) for r in chosen))
    names = ", ".join(sorted(r["name"] for r in chosen))
    return Place(
        name=f"the {Compass(compass).words} of {country['name']} ({names})",
        lat=lat,
        lon=lon,
        country_code=iso2,
        feature=Feature.AREA,
        source="geodata",
        confidence=0.6,
        radius_km=radius,
    )
