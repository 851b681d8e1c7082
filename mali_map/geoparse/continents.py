"""Continents as places: news names them ("aid from Europe", "across Africa") and the
gazetteer lists only towns and villages that share their names (a village called África).

The points are the continents' conventional centres as GeoNames gives them (its
continent features), the areas and populations round figures; a continent's extent
is the radius of a disc of its area, so a claim measured to it is honestly vague.
"""

from __future__ import annotations

import functools

from ..places import Place, radius_km_for
from ..textnorm import name_key

#: name -> (lat, lon, area in km², people)
_CONTINENTS: dict[str, tuple[float, float, float, int]] = {
    "Africa": (7.1881, 21.0938, 30_370_000, 1_400_000_000),
    "Asia": (29.8406, 89.2969, 44_580_000, 4_700_000_000),
    "Europe": (48.6909, 9.1406, 10_180_000, 745_000_000),
    "North America": (46.0731, -100.5469, 24_710_000, 590_000_000),
    "South America": (-14.6048, -57.6563, 17_840_000, 430_000_000),
    "Oceania": (-18.3128, 138.5156, 8_530_000, 44_000_000),
    "Antarctica": (-78.1586, 16.4063, 14_200_000, 0),
}


@functools.lru_cache(maxsize=1)
def _by_key() -> dict[str, Place]:
    return {
        name_key(name): Place(
            name=name,
            lat=lat,
            lon=lon,
            feature="place",  # the interface's feature words have no "continent"; the name says it
            population=people or None,
            source="continent",
            radius_km=radius_km_for("place", area_km2=area_km2),
        )
        for name, (lat, lon, area_km2, people) in _CONTINENTS.items()
    }


def continent(name: str) -> Place | None:
    """The continent called ``name`` ("Africa", "south america"), else ``None``."""
    return _by_key().get(name_key(name))
