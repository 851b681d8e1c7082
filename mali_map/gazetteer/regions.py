"""First-level regions of a point: stated, checked and estimated.

A query's region ("Siby, Koulikoro, Mali") can only be checked against a
candidate's region. Gazetteers do not always give one (most CSV and OSM
extracts have none), and some give a wrong one (a GeoNames record in the south
of a country with a northern region code). So:

- :func:`estimate_region` names the region whose centre
  (``geodata/admin1.json``) is nearest to a point of a country, when that
  nearest centre is clearly nearer than the next;
- :func:`region_is_plausible` says whether a stated region is believable for a
  point: its centre is not much farther than the nearest region centre.

Centres are a crude model of regions (no outlines ship with any registry
package we could find), so both answers are conservative: no estimate when
two centres are about as near, and a stated region is only distrusted when it
is far off.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ..textnorm import name_key

#: An estimate needs the nearest centre this many times nearer than the second.
ESTIMATE_MARGIN = 1.3
#: A stated region is distrusted when its centre is this much farther than the nearest
#: centre, and by at least FAR_KM.
IMPLAUSIBLE_RATIO = 2.5
FAR_KM = 250.0


@lru_cache(maxsize=256)
def _centres(country_code: str) -> list[tuple[str, float, float]]:
    """``[(region name, lat, lon)]`` of the country's level-1 regions."""
    return [
        (r["name"], r["lat"], r["lon"])
        for r in _regions_by_country().get(country_code, ())
        if r.get("level") == 1 and r.get("lat") is not None and r.get("lon") is not None
    ]


@lru_cache(maxsize=1)
def _regions_by_country() -> dict[str, list[dict]]:
    from .. import geodata

    by_country: dict[str, list[dict]] = {}
    for region in geodata.admin1_regions():
        by_country.setdefault(region["country_code"], []).append(region)
    return by_country


@lru_cache(maxsize=64)
def _aliases(country_code: str) -> dict[str, str]:
    """Name key of any spelling of a region of the country -> the region's name as the data gives it."""
    aliases: dict[str, str] = {}
    for region in _regions_by_country().get(country_code, ()):
        for spelling in (region["name"], *region.get("names", ())):
            aliases.setdefault(name_key(spelling), region["name"])
    return aliases


def region_named(country_code: str, text: str) -> str | None:
    """The region of ``country_code`` that ``text`` names (``"ML", "segou"`` -> ``"Ségou"``), if any."""
    return _aliases(country_code).get(name_key(text))


def region_names(country_code: str) -> list[str]:
    """The name keys of every spelling of the country's regions."""
    return sorted(_aliases(country_code))


def _rough_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlon = (lon1 - lon2 + 180.0) % 360.0 - 180.0
    return 111.2 * math.hypot(lat1 - lat2, dlon * math.cos(math.radians((lat1 + lat2) / 2)))


def _by_distance(country_code: str, lat: float, lon: float) -> list[tuple[float, str]]:
    return sorted((_rough_km(lat, lon, rlat, rlon), name) for name, rlat, rlon in _centres(country_code))


def estimate_region(country_code: str | None, lat: float, lon: float) -> str | None:
    """The region of ``country_code`` whose centre is clearly nearest to the point, or ``None``."""
    if not country_code:
        return None
    ranked = _by_distance(country_code, lat, lon)
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[1][0] < ESTIMATE_MARGIN * ranked[0][0]:
        return None
    return ranked[0][1]


def region_is_plausible(country_code: str | None, admin1: str, lat: float, lon: float) -> bool:
    """Whether a point can lie in its stated region: ``False`` when that region's centre is far
    farther than the nearest region centre (a record whose region code is wrong)."""
    if not country_code:
        return True
    ranked = _by_distance(country_code, lat, lon)
    stated = next((km for km, name in ranked if name == admin1), None)
    if stated is None or not ranked:
        return True
    nearest = ranked[0][0]
    return not (stated > IMPLAUSIBLE_RATIO * nearest and stated - nearest > FAR_KM)


@lru_cache(maxsize=1)
def _outline_tree() -> tuple[Any, list[Any], list[str]]:
    """An STRtree over the embedded country outlines, and the ISO code of each."""
    import shapely

    from .. import geodata

    codes, shapes = [], []
    for country in geodata.countries():
        outline = geodata.country_outline(country["iso2"])
        if outline is not None:
            codes.append(country["iso2"])
            shapes.append(outline)
    return shapely.STRtree(shapes), shapes, codes


def country_at(lat: float, lon: float) -> str | None:
    """The ISO code of the country whose (simplified) outline holds the point, or ``None``.

    For gazetteer points that name no country (OSM nodes, many CSV lists), so
    that a query's country and region can still be checked.
    """
    import shapely

    tree, _, codes = _outline_tree()
    point = shapely.Point(lon, lat)
    for at in tree.query(point, predicate="intersects"):
        return codes[int(at)]
    return None
