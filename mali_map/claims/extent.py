"""The extent model: how far a place reaches, so a distance becomes a range.

A town is not a point. "Less than 10 miles from Bamako" can be measured from
Bamako's centre or from its edge, and the two readings can disagree. For each
place we know three things (see ``docs/claims.md``):

- ``radius_km``: how far the place reaches from its point
  (:func:`mali_map.places.radius_km_for`: from feature class and population,
  or from the area of a region or country);
- ``spread_km``: how far apart the sources put its point (0 with one source);
- an outline polygon, for countries, when the embedded data has one
  (:func:`mali_map.geodata.country_outline`).

:func:`distance_range_km` turns two places and their centre-to-centre distance
into ``(lo, hi)``: ``lo`` from edge to edge (or to a country's border), ``hi``
from centre to centre plus the sources' spread. Nobody measures from the far
side of a town, so far edges are not part of the range.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..geodesy import distance_km
from ..places import Place


@dataclass(frozen=True)
class Extent:
    """How big a place is for distance claims: its reach, its sources' spread, and an outline if known."""

    radius_km: float
    spread_km: float = 0.0
    outline_iso2: str | None = None

    @property
    def reach_km(self) -> float:
        """How far from the stated point the place may begin: radius plus spread."""
        return self.radius_km + self.spread_km


def extent_of(place: Place) -> Extent:
    """The :class:`Extent` of a resolved place."""
    spread = float(getattr(place, "spread_km", 0.0) or 0.0)
    outline = place.country_code if place.feature == "country" and _has_outline(place.country_code) else None
    return Extent(max(0.0, place.radius_km), spread, outline)


def distance_range_km(subject: Place, anchor: Place, centre_km: float) -> tuple[float, float]:
    """``(lo, hi)``: nearest edges (or a country's border) to centres plus source spread."""
    s, a = extent_of(subject), extent_of(anchor)
    hi = centre_km + s.spread_km + a.spread_km
    if a.outline_iso2 and not s.outline_iso2:
        lo = km_to_outline(subject.point, a.outline_iso2) - s.reach_km
    elif s.outline_iso2 and not a.outline_iso2:
        lo = km_to_outline(anchor.point, s.outline_iso2) - a.reach_km
    else:
        lo = centre_km - s.reach_km - a.reach_km
    lo = max(0.0, lo)
    return lo, max(lo, hi)


def km_to_outline(point: tuple[float, float], iso2: str) -> float:
    """Distance from ``(lat, lon)`` to a country's outline: 0 inside, else to the nearest border point.

    The nearest point is found in degrees (shapely) and measured on the
    ellipsoid; for the distances of news claims the difference from the true
    geodesic nearest point is well under a kilometre.
    """
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    outline = _outline(iso2)
    here = Point(point[1], point[0])
    if outline.covers(here):
        return 0.0
    nearest = nearest_points(outline.boundary, here)[0]
    return distance_km(point, (nearest.y, nearest.x))


@functools.lru_cache(maxsize=256)
def km_between_outlines(iso2_a: str, iso2_b: str) -> float:
    """Border to border: the distance between two countries' outlines (0 when they touch).

    What "Cyprus is about 110 km from Syria" means: the nearest coasts (103 km
    with the embedded outlines), not the centres (474 km). The nearest pair is
    found in degrees (shapely) and measured on the ellipsoid.
    """
    from shapely.ops import nearest_points

    a, b = _outline(iso2_a), _outline(iso2_b)
    if a.intersects(b):
        return 0.0
    here, there = nearest_points(a, b)
    return distance_km((here.y, here.x), (there.y, there.x))


@functools.lru_cache(maxsize=64)
def _outline(iso2: str) -> Any:
    from .. import geodata

    return geodata.country_outline(iso2)


def _has_outline(iso2: str | None) -> bool:
    if not iso2:
        return False
    try:
        return _outline(iso2) is not None
    except (ImportError, AttributeError, OSError, ValueError):
        return False
