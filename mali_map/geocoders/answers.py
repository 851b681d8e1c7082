"""Nominatim answers as places: feature word, extent and confidence of each ``format=json`` item.

Pure functions of the JSON (no network), so the client stays about HTTP and
these rules can be tested on recorded answers.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from typing import Any

from ..errors import BadInput
from ..places import Place, check_latlon, radius_km_for
from ..vocabulary import OSM_PLACE_FEATURES

log = logging.getLogger("mali_map.geocoders.online")  # the name it logged under before the split

_PLACE_FEATURES = OSM_PLACE_FEATURES
_RADIUS_CAP_KM = {"country": 1000.0, "admin1": 500.0}
_DEFAULT_RADIUS_CAP_KM = 30.0


def feature_from_nominatim(item: dict[str, Any]) -> str:
    """Our feature word for a Nominatim item, from ``class``/``type``, ``addresstype`` and ``place_rank``."""
    osm_class, osm_type = item.get("class"), item.get("type")
    if osm_class == "place" and osm_type in _PLACE_FEATURES:
        return _PLACE_FEATURES[osm_type]
    if osm_class == "boundary" and osm_type == "administrative":
        rank = _as_int(item.get("place_rank"))
        if item.get("addresstype") == "country" or (rank is not None and rank <= 4):
            return "country"
        if item.get("addresstype") in ("state", "region", "province") or (rank is not None and rank <= 8):
            return "admin1"
    return _PLACE_FEATURES.get(item.get("addresstype") or "", "place")


def radius_km_from_nominatim(item: dict[str, Any], feature: str) -> float:
    """Extent of an item: half the diagonal of its bounding box for areas, capped; the model for points.

    Nominatim draws a box of a size set by the place type around a mapped
    point (an OSM node), so for nodes the box says nothing and
    :func:`radius_km_for` is used instead.
    """
    box = item.get("boundingbox")
    if item.get("osm_type") != "node" and isinstance(box, (list, tuple)) and len(box) == 4:
        try:
            south, north, west, east = (float(v) for v in box)
            check_latlon(south, west)
            check_latlon(north, east)
        except (TypeError, ValueError):
            pass
        else:
            from ..geodesy import distance_km

            half_diagonal_km = distance_km((south, west), (north, east)) / 2.0
            cap_km = _RADIUS_CAP_KM.get(feature, _DEFAULT_RADIUS_CAP_KM)
            return max(0.1, min(cap_km, half_diagonal_km))
    return radius_km_for(feature)


def place_from_nominatim(item: dict[str, Any], *, query: str | None = None) -> Place:
    """A :class:`Place` from one Nominatim ``format=json`` item; BadInput if it has no usable point.

    ``confidence`` is Nominatim's ``importance`` kept within 0.05..0.95: it
    measures prominence, and an online answer is never certain.
    """
    try:
        lat, lon = float(item["lat"]), float(item["lon"])
    except (KeyError, TypeError, ValueError):
        raise BadInput(f"Nominatim answer without coordinates: {str(item)[:120]}") from None
    check_latlon(lat, lon, where="Nominatim answer")
    address: dict[str, Any] = item["address"] if isinstance(item.get("address"), dict) else {}
    display = str(item.get("display_name") or "")
    name = str(item.get("name") or display.split(",")[0].strip() or query or "?")
    feature = feature_from_nominatim(item)
    country_code = str(address.get("country_code") or "").upper() or None
    importance = _as_float(item.get("importance"))
    return Place(
        name=name,
        lat=lat,
        lon=lon,
        country_code=country_code,
        admin1=address.get("state") or address.get("region") or address.get("province"),
        feature=feature,
        population=None,
        source="nominatim",
        confidence=min(0.95, max(0.05, importance)) if importance is not None else 0.3,
        radius_km=radius_km_from_nominatim(item, feature),
        query=query,
        place_id=_as_int(item.get("place_id")),
    )


def places_from_answer(answer: Iterable[dict[str, Any]], *, query: str | None = None) -> list[Place]:
    """Places for every usable item of an answer, in order; unusable items are logged and skipped."""
    places = []
    for item in answer or ():
        try:
            places.append(place_from_nominatim(item, query=query))
        except BadInput as error:
            log.warning("%s", error)
    return places


def _as_float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
