"""Distances, bearings and offsets on the WGS84 ellipsoid; units at the edges.

Distances are kept in kilometres inside mali-map and converted here only.
Single pairs use GeographicLib directly (fast to import, exact); arrays use
``pyproj.Geod`` (the same algorithm, vectorised in C), imported only when asked.

>>> round(distance_km((12.74409, -8.07257), (12.60915, -7.97522)), 2)
18.29
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any

from geographiclib.geodesic import Geodesic

from .errors import BadInput
from .vocabulary import Compass

_WGS84 = Geodesic.WGS84

#: Kilometres per unit.
KM_PER_UNIT = {"km": 1.0, "m": 0.001, "mi": 1.609344, "nmi": 1.852}
#: the longest distance between two points on the WGS84 ellipsoid (half a meridian), km
HALF_CIRCUMFERENCE_KM = 20003.93
#: unit code -> the words that name it, as running text writes them (case counts there: "NM" is
#: nautical miles, "nm" is not); the one home of unit words (claims, amounts)
UNIT_WORDS = {
    "nmi": ("nautical miles", "nautical mile", "nmi", "NM"),
    "km": ("kilometres", "kilometre", "kilometers", "kilometer", "kilomètres", "kilomètre", "kms", "km", "KM", "Km"),
    "mi": ("miles", "mile", "mi"),
    "m": ("metres", "metre", "meters", "meter", "mètres", "mètre", "m"),
}
#: unit word (lower case, single spaces) -> unit code
UNIT_CODES = {word.lower(): code for code, words in UNIT_WORDS.items() for word in words}

#: the 16 winds, clockwise from north (see :class:`mali_map.vocabulary.Compass`)
COMPASS_16 = tuple(Compass)
#: a number as reporters write it: "1,000", "1.000" and "1 000" (thousands), "1,5" and "1.5" (decimals)
DECIMAL = r"-?(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_AMOUNT = re.compile(rf"^\s*({DECIMAL})\s*([^\W\d_]+(?:\s+[^\W\d_]+)?)?\s*$")
_GROUPED = re.compile(r"^(\d{1,3})((?:([,.\u00a0\u202f ])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?$")


def read_decimal(text: str) -> float:
    """A number as English, French or German write it; ``ValueError`` if ``text`` is none.

    A separator followed by exactly three digits groups thousands ("1,000", "1.000", "1 000"),
    unless a different separator then gives decimals ("1,000.5", "1.000,5"); any other single
    comma or dot is a decimal point ("1,5", "1.5", "12,75").

    >>> [read_decimal(t) for t in ("1,000", "1.000", "1 000", "1,5", "2.5", "1.000,5", "1,300")]
    [1000.0, 1000.0, 1000.0, 1.5, 2.5, 1000.5, 1300.0]
    """
    raw = text.strip().replace("\u2212", "-")
    sign = -1.0 if raw.startswith("-") else 1.0
    raw = raw.lstrip("-")
    grouped = _GROUPED.match(raw)
    if grouped and (grouped.group(4) is None or grouped.group(4) != grouped.group(3)):
        whole = grouped.group(1) + re.sub(r"\D", "", grouped.group(2))
        return sign * float(f"{whole}.{grouped.group(5) or 0}")
    if not re.fullmatch(r"\d+(?:[.,]\d+)?", raw):
        raise ValueError(f"not a number: {text!r}")
    return sign * float(raw.replace(",", "."))


@functools.lru_cache(maxsize=256)
def unit_code(word: str) -> str:
    """'kilometres' -> 'km', 'NM' -> 'nmi'; ``KeyError`` for a word that names no unit."""
    return UNIT_CODES[" ".join(word.lower().split())]


def check_unit(unit: str) -> str:
    """Return ``unit`` if it is one of km, mi, nmi, m; raise :class:`BadInput` otherwise."""
    if unit not in KM_PER_UNIT:
        raise BadInput(f"unknown unit {unit!r}; use one of km, mi, nmi, m")
    return unit


def to_km(value: float, unit: str) -> float:
    """Convert ``value`` in ``unit`` to kilometres."""
    return value * KM_PER_UNIT[check_unit(unit)]


def from_km(km: float, unit: str) -> float:
    """Convert kilometres to ``unit``."""
    return km / KM_PER_UNIT[check_unit(unit)]


def parse_amount(text: str) -> tuple[float, str]:
    """Read an amount such as ``"10 mi"`` or ``"15km"`` as ``(value, unit)``.

    The unit is required: a bare ``"10"`` could be miles or kilometres, and
    guessing would judge a claim nobody made.
    """
    match = _AMOUNT.match(text)
    if match and not match.group(2):
        raise BadInput(f"no unit in {text!r}: say '{match.group(1)} km' or '{match.group(1)} mi'")
    unit = UNIT_CODES.get(" ".join(match.group(2).lower().split())) if match else None
    if not match or unit is None:
        raise BadInput(f"not a distance: {text!r} (try '10 mi' or '15 km')")
    return read_decimal(match.group(1)), unit


def inverse(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Geodesic from ``a`` to ``b`` (``(lat, lon)`` each): ``(distance_km, initial_bearing_deg)``.

    The bearing is in 0..360, clockwise from true north, as seen from ``a``.
    """
    g = _WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE | Geodesic.AZIMUTH)
    return g["s12"] / 1000.0, g["azi1"] % 360.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two ``(lat, lon)`` points."""
    return inverse(a, b)[0]


#: The Earth's radius (km) of :func:`great_circle_km`'s sphere.
SPHERE_RADIUS_KM = 6371.0
#: How far a great-circle distance may stray from the WGS84 geodesic (under 0.6 %; 1 % kept).
_SPHERE_SLACK = 0.01


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km between two ``(lat, lon)`` points on a sphere of :data:`SPHERE_RADIUS_KM`:
    within 0.6 % of :func:`distance_km`, and a hundred times quicker in pure Python (enough to tell
    neighbours from strangers, or to settle most comparisons with a limit: :func:`within_km`)."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * SPHERE_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def within_km(a: tuple[float, float], b: tuple[float, float], km: float) -> bool:
    """Whether the geodesic distance from ``a`` to ``b`` is at most ``km``, as :func:`distance_km` says.

    The great circle is within 1 % of the geodesic: only a pair within 1 % of ``km`` needs
    the geodesic itself.
    """
    sphere = great_circle_km(a, b)
    if sphere <= km * (1 - _SPHERE_SLACK):
        return True
    if sphere >= km * (1 + _SPHERE_SLACK):
        return False
    return distance_km(a, b) <= km


def destination(start: tuple[float, float], bearing: float, km: float) -> tuple[float, float]:
    """The point reached going ``km`` from ``start`` on initial bearing ``bearing`` (geodesic forward)."""
    g = _WGS84.Direct(start[0], start[1], bearing, km * 1000.0)
    return g["lat2"], (g["lon2"] + 180.0) % 360.0 - 180.0


def compass16(bearing: float) -> Compass:
    """The 16-wind compass point of a bearing: 325 -> 'NW'."""
    return Compass.from_bearing(bearing)


def compass_bearing(point: str) -> float:
    """The bearing of a compass point: 'NE' -> 45, 'north-north-west' -> 337.5.

    Accepts abbreviations (N, NNE, ...), English and French words, with or
    without hyphens or spaces. Raises :class:`BadInput` for anything else.
    """
    return Compass.parse(point).bearing_deg


def sector_half_width_deg(point: str) -> float:
    """How wide a direction word is: cardinal ±45°, intercardinal ±22.5°, 16-wind ±11.25°."""
    return Compass.parse(point).half_width_deg


def angle_diff_deg(a: float, b: float) -> float:
    """The smallest absolute difference between two bearings, 0..180."""
    d = abs((a - b) % 360.0)
    return 360.0 - d if d > 180.0 else d


def inverse_many(
    lat1: Sequence[float], lon1: Sequence[float], lat2: Sequence[float], lon2: Sequence[float]
) -> tuple[Any, Any]:
    """Vectorised :func:`inverse` over arrays: ``(distance_km, bearing_deg)`` numpy arrays."""
    import numpy as np
    from pyproj import Geod

    azi, _, metres = Geod(ellps="WGS84").inv(
        np.asarray(lon1, dtype=float),
        np.asarray(lat1, dtype=float),
        np.asarray(lon2, dtype=float),
        np.asarray(lat2, dtype=float),
    )
    return metres / 1000.0, np.mod(azi, 360.0)
