"""Nominatim (OpenStreetMap) through geopy, used only with ``--online``: the shared geocoder and the hooks.

The client, :class:`NominatimGeocoder`, is in :mod:`.nominatim` (rate limit
and deadline in :mod:`.ratelimit`, answers read into places in :mod:`.answers`);
merging with the offline answer is :func:`merge_online` in :mod:`.merge`. This
module keeps one geocoder per server for the process (:func:`default_geocoder`,
so all lookups share one rate limit and one cache), :func:`online_place` for
one-line use, and :func:`online_candidates`, the Gazetteer's ``--online`` hook;
it also re-exports the names above, one import for all of them.

Integration (what ``--online`` does): the Gazetteer ranks offline candidates
first, then hands its online geocoder (the one it was given, else
:func:`default_geocoder`) to :func:`online_candidates`, which asks it and merges
the answer with :func:`merge_online`; when the geocoder fails it warns once and
keeps the offline answer. Nothing here imports the gazetteer.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

from ..errors import GeocoderUnavailable
from ..places import Place
from .answers import feature_from_nominatim, place_from_nominatim, places_from_answer, radius_km_from_nominatim
from .base import OnlineGeocoder
from .cache import AnswerCache
from .merge import AGREE_KM, merge_online
from .nominatim import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MIN_DELAY_S,
    DEFAULT_TIMEOUT_S,
    ENV_CONTACT,
    ENV_URL,
    MAX_LIMIT,
    PUBLIC_NOMINATIM_URL,
    NominatimGeocoder,
    default_user_agent,
    parse_endpoint,
    resolve_base_url,
)
from .ratelimit import MIN_REQUEST_S

__all__ = [
    "AGREE_KM",
    "DEFAULT_DEADLINE_S",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MIN_DELAY_S",
    "DEFAULT_TIMEOUT_S",
    "ENV_CONTACT",
    "ENV_URL",
    "MAX_LIMIT",
    "MIN_REQUEST_S",
    "PUBLIC_NOMINATIM_URL",
    "AnswerCache",
    "NominatimGeocoder",
    "default_geocoder",
    "default_user_agent",
    "feature_from_nominatim",
    "merge_online",
    "online_candidates",
    "online_place",
    "parse_endpoint",
    "place_from_nominatim",
    "places_from_answer",
    "radius_km_from_nominatim",
    "resolve_base_url",
]

# -- one geocoder per process --------------------------------------------------
_shared: dict[str, NominatimGeocoder] = {}
_shared_lock = threading.Lock()


def default_geocoder(base_url: str | None = None) -> NominatimGeocoder:
    """The process-wide geocoder for a server, so all lookups share one rate limit and one cache."""
    url = parse_endpoint(resolve_base_url(base_url)).url
    with _shared_lock:
        if url not in _shared:
            _shared[url] = NominatimGeocoder(url)
        return _shared[url]


def online_place(query: str, *, country: str | None = None) -> Place | None:
    """The best online answer for ``query`` (within ``country`` if given), or None; may raise GeocoderUnavailable."""
    places = default_geocoder().lookup(query, country_code=country, limit=5)
    return merge_online(None, places)


# -- the Gazetteer's --online hook ----------------------------------------------
#: geocoders that have already said they are unavailable (one warning each per process)
_WARNED: weakref.WeakSet = weakref.WeakSet()


def online_candidates(
    geocoder: OnlineGeocoder,
    text: str,
    focus: str | None,
    places: list[Place],
    *,
    warn: Callable[[str], None] | None = None,
) -> list[Place]:
    """Offline candidates (ranked, best first) with the online answer for ``text`` merged in; what ``--online`` adds.

    ``text`` is the name and its context (``Siby, Koulikoro, Mali``; the gazetteer
    leaves out an offset such as ``50km W``); ``geocoder`` is asked in every
    country: ``focus`` is a prior, so results in that country only move to the
    front. With offline candidates, the first one is merged with :func:`merge_online`
    (spread, confidence, distant namesakes as alternatives); without, the online
    candidates are returned. When the geocoder cannot answer, ``warn`` gets one
    line (once per geocoder; later lookups fail fast) and ``places`` come back unchanged.
    """
    try:
        online = geocoder.lookup(text, limit=5) if text.strip() else []
    except GeocoderUnavailable as error:
        if _first_failure(geocoder):
            (warn or _default_warn)(f"{error}; using offline answers only")
        return places
    focus = (focus or "").upper() or None
    online = [trusted_online(p, text.split(",")[0], focus) for p in online]
    online = sorted(online, key=lambda p: focus is not None and p.country_code != focus)  # stable
    merged = merge_online(places[0] if places else None, online)
    if merged is None:
        return []
    return [merged] + (list(places[1:]) if places else online[1:])


#: an online answer whose name is not the name asked for is a guess: below the claims' plausible 0.5
UNMATCHED_NAME_CONFIDENCE = 0.3
#: an online answer outside the focus country never reaches 0.9 (as offline answers, see the README)
OUTSIDE_FOCUS_CONFIDENCE = 0.89


def trusted_online(place: Place, name: str, focus: str | None) -> Place:
    """``place`` with a confidence no higher than its name and country allow.

    Nominatim answers a name it does not know with whatever it finds (an address, a
    street, another place whose name contains a word of it), ranked by importance.
    An answer whose name does not match ``name`` is capped at
    :data:`UNMATCHED_NAME_CONFIDENCE`; one outside ``focus`` at :data:`OUTSIDE_FOCUS_CONFIDENCE`.
    """
    confidence = place.confidence
    if not names_match(name, place.name):
        confidence = min(confidence, UNMATCHED_NAME_CONFIDENCE)
    if focus and place.country_code and place.country_code != focus:
        confidence = min(confidence, OUTSIDE_FOCUS_CONFIDENCE)
    return place if confidence == place.confidence else place.with_(confidence=confidence)


def names_match(asked: str, answered: str) -> bool:
    """Whether an answer's name is the name asked for: the same words (accents, case and
    punctuation aside), or the asked words within the answer's ("Gao" in "Cercle de Gao")."""
    from ..textnorm import name_key

    want, got = name_key(asked).split(), name_key(answered).split()
    if not want:
        return False
    return any(got[i : i + len(want)] == want for i in range(len(got) - len(want) + 1))


def _first_failure(geocoder: OnlineGeocoder) -> bool:
    """True the first time ``geocoder`` fails (a geocoder that cannot be remembered counts each time)."""
    try:
        if geocoder in _WARNED:
            return False
        _WARNED.add(geocoder)
    except TypeError:  # unhashable, or no weak references
        pass
    return True


def _default_warn(message: str) -> None:
    """Log the warning; with no logging set up (the CLI), print it as the CLI's one-line warnings look."""
    logger = logging.getLogger("mali_map")
    if logger.hasHandlers():
        logger.warning("%s", message)
    else:
        import sys

        from ..terminal import visible_line

        print(f"mali-map: warning: {visible_line(message)}", file=sys.stderr)
