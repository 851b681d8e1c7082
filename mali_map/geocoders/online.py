"""Nominatim (OpenStreetMap) through geopy, used only with ``--online``.

:class:`NominatimGeocoder` asks a Nominatim server for a name and returns
:class:`~mali_map.places.Place` candidates (``source="nominatim"``). It is a
polite and bounded client:

- it identifies itself (``mali-map/<version>``, plus ``MALI_MAP_CONTACT`` when
  set), never with geopy's default user agent;
- it sends at most one request per ``min_delay_s`` (1 s: Nominatim's usage
  policy), through geopy's ``RateLimiter``, shared by every lookup of the object;
- it retries timeouts, refused connections, 429 (honouring ``Retry-After``)
  and 5xx answers, but one lookup never takes longer than ``deadline_s`` (7 s)
  in total, whatever the server does; then it raises
  :class:`~mali_map.errors.GeocoderUnavailable`, and later lookups on the same
  object fail at once instead of waiting again;
- it keeps every answer (misses too) in the on-disk :class:`AnswerCache`, so
  a name is asked once a month at most.

The server is ``base_url``, else ``$MALI_MAP_NOMINATIM_URL``, else the public
``https://nominatim.openstreetmap.org``. A path prefix is kept
(``http://host:8080/nominatim`` asks ``/nominatim/search``).

Integration (what ``--online`` does): the Gazetteer ranks offline candidates
first, then :func:`online_candidates` asks Nominatim and merges its answer with
:func:`merge_online`; when Nominatim fails it warns once and keeps the offline
answer.

Clock and sleep are injectable so tests never wait for real.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from ..errors import BadInput, GeocoderUnavailable
from ..places import Alternative, Place, check_latlon, radius_km_for
from .cache import AnswerCache

log = logging.getLogger(__name__)

PUBLIC_NOMINATIM_URL = "https://nominatim.openstreetmap.org"
ENV_URL = "MALI_MAP_NOMINATIM_URL"
ENV_CONTACT = "MALI_MAP_CONTACT"

DEFAULT_TIMEOUT_S = 3.0  # one HTTP request
DEFAULT_DEADLINE_S = 7.0  # one lookup, retries and waits included
DEFAULT_MAX_RETRIES = 2
DEFAULT_MIN_DELAY_S = 1.0  # Nominatim usage policy: at most 1 request/s
#: Don't start a request (or a wait before one) with less time than this left.
MIN_REQUEST_S = 0.2
MAX_LIMIT = 40  # Nominatim's own ceiling

_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def resolve_base_url(base_url: str | None = None) -> str:
    """The Nominatim URL to use: the argument, else ``$MALI_MAP_NOMINATIM_URL``, else the public server."""
    return (base_url or os.environ.get(ENV_URL) or PUBLIC_NOMINATIM_URL).strip()


def default_user_agent() -> str:
    """``mali-map/<version>`` and, if ``MALI_MAP_CONTACT`` is set, ``(+contact)`` as Nominatim asks."""
    from .. import __version__

    contact = os.environ.get(ENV_CONTACT, "").strip()
    return f"mali-map/{__version__}" + (f" (+{contact})" if contact else "")


@dataclass(frozen=True)
class _Endpoint:
    """A parsed server URL: what geopy's ``Nominatim(scheme=, domain=)`` wants, and a canonical form."""

    scheme: str
    domain: str  # host[:port][/path prefix]

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.domain}"

    @property
    def is_loopback(self) -> bool:
        host = urlsplit(self.url).hostname or ""
        return host in _LOOPBACK_HOSTS


def parse_endpoint(base_url: str) -> _Endpoint:
    """Split ``http(s)://host[:port][/prefix]`` (a trailing ``/search`` is dropped); BadInput otherwise."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"not an http(s) URL for Nominatim: {base_url!r}", where=ENV_URL)
    path = parts.path.rstrip("/")
    if path.endswith("/search"):
        path = path[: -len("/search")]
    return _Endpoint(parts.scheme, parts.netloc + path)


class _OutOfTime(Exception):
    """The lookup's deadline would pass before the next request could finish."""


class _NotRetryable(Exception):
    """An answer that asking again will not change (400, 401, 403...)."""


class _Attempt(threading.local):
    """Per-thread state of the lookup in progress, shared by the request function and the limiter."""

    deadline: float | None = None
    retry_after_s: float = 0.0
    last_error: str = ""
    requests: int = 0


def _rate_limiter(func: Callable, attempt: _Attempt, *, clock: Callable[[], float],
                  sleep: Callable[[float], None], min_delay_s: float, max_retries: int,
                  error_wait_s: float):
    """geopy's RateLimiter with our clock and sleep, and waits that respect the lookup's deadline."""
    from geopy.exc import GeocoderServiceError
    from geopy.extra.rate_limiter import RateLimiter

    class DeadlineRateLimiter(RateLimiter):
        _retry_exceptions = (GeocoderServiceError,)

        def _clock(self) -> float:
            return clock()

        def _sleep(self, seconds: float) -> None:
            # Called both to wait for a request slot and to wait after an error; a 429's
            # Retry-After (noted by the request function) lengthens the wait after it.
            seconds = max(seconds, attempt.retry_after_s)
            attempt.retry_after_s = 0.0
            if attempt.deadline is not None and clock() + seconds + MIN_REQUEST_S > attempt.deadline:
                raise _OutOfTime(f"would wait {seconds:.1f} s past the deadline")
            sleep(seconds)

    return DeadlineRateLimiter(func, min_delay_seconds=min_delay_s, max_retries=max_retries,
                               error_wait_seconds=error_wait_s, swallow_exceptions=False)


def _adapter_factory(proxies: Any, ssl_context: Any):
    """geopy's HTTP adapter without its own retries: the rate limiter does all retrying, within the deadline."""
    from geopy.adapters import RequestsAdapter, URLLibAdapter

    if RequestsAdapter.is_available:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)


def _quiet_geopy_logger() -> None:
    """geopy logs retries as warnings with tracebacks; with no handler Python would print them to stderr."""
    geopy_log = logging.getLogger("geopy")
    if not any(isinstance(h, logging.NullHandler) for h in geopy_log.handlers):
        geopy_log.addHandler(logging.NullHandler())


class NominatimGeocoder:
    """A rate-limited, cached, deadline-bounded Nominatim client returning :class:`Place` lists.

    Parameters: ``base_url`` (see :func:`resolve_base_url`); ``user_agent``
    (default :func:`default_user_agent`); ``timeout_s`` per HTTP request;
    ``deadline_s`` for a whole lookup; ``max_retries`` after the first request;
    ``min_delay_s`` between requests; ``error_wait_s`` before a retry (at least
    ``min_delay_s``; a longer ``Retry-After`` wins); ``cache``: an
    :class:`AnswerCache`, ``True`` for the default file, ``False`` for none;
    ``clock`` (monotonic seconds) and ``sleep`` for tests.

    Nothing touches the network until the first uncached :meth:`lookup`.
    """

    def __init__(self, base_url: str | None = None, *, user_agent: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, deadline_s: float = DEFAULT_DEADLINE_S,
                 max_retries: int = DEFAULT_MAX_RETRIES, min_delay_s: float = DEFAULT_MIN_DELAY_S,
                 error_wait_s: float | None = None, cache: AnswerCache | bool = True,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if timeout_s <= 0 or deadline_s <= 0 or min_delay_s < 0 or max_retries < 0:
            raise BadInput("Nominatim timeout and deadline must be > 0, delays and retries >= 0")
        self.endpoint = parse_endpoint(resolve_base_url(base_url))
        self.user_agent = user_agent or default_user_agent()
        self.timeout_s = float(timeout_s)
        self.deadline_s = float(deadline_s)
        self.max_retries = int(max_retries)
        self.min_delay_s = float(min_delay_s)
        self.error_wait_s = max(self.min_delay_s, 1.0 if error_wait_s is None else float(error_wait_s))
        self.cache: AnswerCache | None = AnswerCache() if cache is True else (cache or None)
        self._clock = clock
        self._sleep = sleep
        self._attempt = _Attempt()
        self._limited: Callable | None = None  # geopy objects, built on first request
        self._build_lock = threading.Lock()
        self._unavailable: str | None = None  # set once the service has failed us

    @property
    def base_url(self) -> str:
        """The server asked, canonical (``scheme://host[:port][/prefix]``)."""
        return self.endpoint.url

    def lookup(self, query: str, *, country_code: str | None = None, limit: int = 5) -> list[Place]:
        """Candidates for ``query``, best first (Nominatim's order); ``[]`` when it knows none.

        ``country_code`` becomes Nominatim's ``countrycodes`` parameter, which is
        a filter, not a preference: pass the country focus only when results
        elsewhere are unwanted. Raises :class:`GeocoderUnavailable` when the
        server cannot answer within the deadline (timeouts, 429, 5xx, refused).
        """
        query = (query or "").strip()
        if not query:
            raise BadInput("empty query for Nominatim")
        if not 1 <= int(limit) <= MAX_LIMIT:
            raise BadInput(f"limit must be 1..{MAX_LIMIT}, not {limit!r}")
        country_code = (country_code or "").strip().upper() or None
        raw = self.cache.get(self.base_url, query, country_code, limit) if self.cache else None
        if raw is None:
            raw = self._fetch(query, country_code, int(limit))
            if self.cache:
                self.cache.put(self.base_url, query, country_code, limit, raw)
        return places_from_answer(raw, query=query)

    # -- network -----------------------------------------------------------
    def _fetch(self, query: str, country_code: str | None, limit: int) -> list[dict[str, Any]]:
        """One rate-limited, retried, deadline-bounded search; the raw JSON items."""
        if self._unavailable:
            raise GeocoderUnavailable(self._unavailable)
        attempt = self._attempt
        started = self._clock()
        attempt.deadline = started + self.deadline_s
        attempt.retry_after_s, attempt.last_error, attempt.requests = 0.0, "", 0
        try:
            locations = self._limiter()(query, country_code=country_code, limit=limit)
        except _NotRetryable as error:
            raise GeocoderUnavailable(f"Nominatim at {self.base_url} refused {query!r}: {error}") from None
        except Exception as error:  # _OutOfTime, geopy errors after the last retry, a broken geopy
            reason = attempt.last_error or str(error) or type(error).__name__
            self._unavailable = (
                f"Nominatim at {self.base_url} unavailable: {reason} "
                f"({attempt.requests} request(s), {self._clock() - started:.1f} s)")
            raise GeocoderUnavailable(self._unavailable) from None
        finally:
            attempt.deadline = None
        return [location.raw for location in locations or ()]

    def _limiter(self) -> Callable:
        """Build geopy's Nominatim and our rate limiter around it, once."""
        with self._build_lock:
            if self._limited is None:
                from geopy.geocoders import Nominatim

                _quiet_geopy_logger()
                extra = {"proxies": {}} if self.endpoint.is_loopback else {}
                nominatim = Nominatim(scheme=self.endpoint.scheme, domain=self.endpoint.domain,
                                      user_agent=self.user_agent, timeout=self.timeout_s,
                                      adapter_factory=_adapter_factory, **extra)
                self._limited = _rate_limiter(
                    lambda q, **kw: self._request(nominatim, q, **kw), self._attempt,
                    clock=self._clock, sleep=self._sleep, min_delay_s=self.min_delay_s,
                    max_retries=self.max_retries, error_wait_s=self.error_wait_s)
        return self._limited

    def _request(self, nominatim: Any, query: str, *, country_code: str | None, limit: int):
        """One HTTP request, its timeout cut to what is left of the deadline."""
        from geopy.exc import (GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges,
                               GeocoderQueryError, GeocoderQuotaExceeded, GeocoderRateLimited)

        attempt = self._attempt
        left_s = attempt.deadline - self._clock() if attempt.deadline is not None else self.timeout_s
        if left_s < MIN_REQUEST_S:
            raise _OutOfTime("no time left for another request")
        attempt.requests += 1
        try:
            return nominatim.geocode(query, exactly_one=False, limit=limit, addressdetails=True,
                                     country_codes=country_code.lower() if country_code else None,
                                     timeout=min(self.timeout_s, left_s))
        except GeocoderRateLimited as error:
            attempt.retry_after_s = float(error.retry_after or 0.0)
            attempt.last_error = "rate limited (HTTP 429)"
            raise
        except (GeocoderQueryError, GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges,
                GeocoderQuotaExceeded) as error:
            raise _NotRetryable(str(error).splitlines()[0] if str(error) else type(error).__name__) from None
        except Exception as error:
            attempt.last_error = _describe(error)
            raise


def _describe(error: BaseException) -> str:
    """A short reason for a failed request, for the one-line warning: ``HTTP 503``, ``timed out``..."""
    from geopy.exc import GeocoderTimedOut, GeocoderUnavailable as GeopyUnavailable

    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    status = re.search(r"status code (\d{3})", text)
    if status:
        return f"HTTP {status.group(1)}"
    if isinstance(error, GeocoderTimedOut):
        return "timed out"
    if isinstance(error, GeopyUnavailable):
        return "connection failed"
    return text[:200]


# -- answers -> places ---------------------------------------------------------
_PLACE_FEATURES = {
    "city": "city", "town": "town", "village": "village", "hamlet": "village",
    "isolated_dwelling": "village", "country": "country", "state": "admin1",
    "region": "admin1", "province": "admin1",
}
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
    address = item.get("address") if isinstance(item.get("address"), dict) else {}
    display = str(item.get("display_name") or "")
    name = str(item.get("name") or display.split(",")[0].strip() or query or "?")
    feature = feature_from_nominatim(item)
    country_code = str(address.get("country_code") or "").upper() or None
    importance = _as_float(item.get("importance"))
    return Place(
        name=name, lat=lat, lon=lon, country_code=country_code,
        admin1=address.get("state") or address.get("region") or address.get("province"),
        feature=feature, population=None, source="nominatim",
        confidence=min(0.95, max(0.05, importance)) if importance is not None else 0.3,
        radius_km=radius_km_from_nominatim(item, feature),
        query=query, place_id=_as_int(item.get("place_id")),
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


# -- combining with the offline answer -----------------------------------------
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
    return offline.with_(spread_km=round(spread_km, 3), confidence=confidence,
                         alternatives=offline.alternatives + tuple(others[:max_alternatives]))


def _alternative(place: Place) -> Alternative:
    return Alternative(place.name, place.lat, place.lon, place.country_code, round(place.confidence, 3))


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
def online_candidates(gazetteer: Any, query: str, focus: str | None, places: list[Place], *,
                      warn: Callable[[str], None] | None = None) -> list[Place]:
    """Offline candidates (ranked, best first) with Nominatim's answer merged in; what ``--online`` adds.

    Nominatim is asked for the name and its context (``Siby, Koulikoro, Mali``;
    an offset such as ``50km W`` is left to the caller), in every country:
    ``focus`` is a prior, so results in that country only move to the front.
    With offline candidates, the first one is merged with :func:`merge_online`
    (spread, confidence, distant namesakes as alternatives); without, the online
    candidates are returned. When Nominatim cannot answer, ``warn`` gets one line
    (once per geocoder; later lookups fail fast) and ``places`` come back unchanged.

    The geocoder is ``gazetteer._online_geocoder`` when set (tests put a fake-clock
    one there), else :func:`default_geocoder`, remembered on the gazetteer.
    """
    from ..gazetteer.query import parse_query

    try:
        parsed = parse_query(query)
        text = ", ".join(part for part in (parsed.name, *parsed.context) if part)
    except BadInput:
        return places
    geocoder = getattr(gazetteer, "_online_geocoder", None) or default_geocoder()
    try:
        gazetteer._online_geocoder = geocoder
    except AttributeError:
        pass
    try:
        online = geocoder.lookup(text, limit=5) if text else []
    except GeocoderUnavailable as error:
        if not getattr(geocoder, "_warned", False):
            geocoder._warned = True
            (warn or _default_warn)(f"{error}; using offline answers only")
        return places
    focus = (focus or "").upper() or None
    online = sorted(online, key=lambda p: focus is not None and p.country_code != focus)  # stable
    if places:
        return [merge_online(places[0], online)] + list(places[1:])
    if online:
        return [merge_online(None, online)] + online[1:]
    return []


def _default_warn(message: str) -> None:
    """Log the warning; with no logging set up (the CLI), print it as the CLI's one-line warnings look."""
    logger = logging.getLogger("mali_map")
    if logger.hasHandlers():
        logger.warning("%s", message)
    else:
        import sys

        print(f"mali-map: warning: {message}", file=sys.stderr)
