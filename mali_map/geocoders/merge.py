"""Merging Nominatim's candidates with the offline answer: agreement, spread, alternatives.

The offline answer keeps priority; an online candidate near it confirms it
(and widens its spread), a distant one becomes an alternative.
"""

from __future__ import annotations

from ..places import Alternative, Place

#: Two sources agree on a place if their points are closer than this, or than their radii together.
AGREE_KM = 5.0


def merge_online(offline: Place | None, online: list[Place], *, max_alternatives: int = 5) -> Place | None:
    """Combine the offline answer with online candidates; the offline answer keeps priority.

    - No offline answer: the first online candidate, the others as its ``alternatives``.
    - An online candidate agrees (within ``AGREE_KM`` or the two radii): the
      offline place, with ``spread_km`` set to how far apart the two sources put
      it (claim ranges widen by it) and its confidence raised to the better of the two.
    - Online candidates that do not agree are added to ``alternatives`` (at most
      ``max_alternatives``, score = their confidence), so a caller can see
      another place of that name.

    Offsets and bare coordinates are returned unchanged: there is nothing to merge.
    """
    if offline is None:
        if not online:
            return None
        best, rest = online[0], online[1:]
        return best.with_(alternatives=tuple(_alternative(p) for p in rest[:max_alternatives]))
    if not online or offline.feature in ("offset", "coordinates"):
        return offline
    from ..geodesy import distance_km

    spread_km, confidence, others = offline.spread_km, offline.confidence, []
    for candidate in online:
        gap_km = distance_km(offline.point, candidate.point)
        if gap_km <= max(AGREE_KM, offline.radius_km + candidate.radius_km):
            spread_km = max(spread_km, gap_km)
            confidence = max(confidence, candidate.confidence)
        else:
            others.append(_alternative(candidate))
    return offline.with_(
        spread_km=round(spread_km, 3),
        confidence=confidence,
        alternatives=offline.alternatives + tuple(others[:max_alternatives]),
    )


def _alternative(place: Place) -> Alternative:
    return Alternative(place.name, place.lat, place.lon, place.country_code, round(place.confidence, 3))
