"""Geocoders beyond the offline gazetteer; today, Nominatim for ``--online``.

- :mod:`.online`: :func:`online_candidates` (the Gazetteer's ``--online`` hook),
  :func:`online_place` and :func:`default_geocoder` for one-line use; it
  re-exports the names of the modules below.
- :mod:`.nominatim`: :class:`NominatimGeocoder` (rate-limited, cached, bounded
  in time); :mod:`.ratelimit`: its request pacing within a deadline.
- :mod:`.answers`: Nominatim's JSON items as places
  (:func:`place_from_nominatim`).
- :mod:`.merge`: :func:`merge_online` to combine the online answer with the
  offline one.
- :mod:`.cache`: :class:`AnswerCache`, the on-disk store of raw answers.

Names load on first use so that importing this package costs nothing when the
run stays offline (geopy itself loads only with the first request).
"""

from __future__ import annotations

from .._lazy import lazy_exports

_EXPORTS = {
    "NominatimGeocoder": "mali_map.geocoders.online",
    "merge_online": "mali_map.geocoders.online",
    "online_candidates": "mali_map.geocoders.online",
    "online_place": "mali_map.geocoders.online",
    "default_geocoder": "mali_map.geocoders.online",
    "place_from_nominatim": "mali_map.geocoders.online",
    "AnswerCache": "mali_map.geocoders.cache",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
