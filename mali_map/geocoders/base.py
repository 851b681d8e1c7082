"""What an online geocoder is to the gazetteer: one method, so any of them can be passed in.

:class:`~mali_map.geocoders.nominatim.NominatimGeocoder` is one; a test's fake,
or a client for another service, is another::

    gazetteer = Gazetteer(online=MyGeocoder())

The gazetteer asks it for a name and its context ("Siby, Koulikoro, Mali") and
merges the answers with its own (see :func:`mali_map.geocoders.online.online_candidates`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..places import Place


@runtime_checkable
class OnlineGeocoder(Protocol):
    """Anything that answers a place query with candidate places, best first."""

    def lookup(self, query: str, *, country_code: str | None = None, limit: int = 5) -> list[Place]:
        """Candidates for ``query`` (``[]`` when none); ``country_code`` filters when given.

        Raises :class:`~mali_map.errors.GeocoderUnavailable` when the service cannot
        answer; the gazetteer then warns once and keeps its offline answer.
        """
        ...
