"""The Nominatim (OpenStreetMap) client, through geopy: :class:`NominatimGeocoder`.

It asks a Nominatim server for a name and returns
:class:`~mali_map.places.Place` candidates (``source="nominatim"``). It is a
polite and bounded client:

- it identifies itself (``mali-map/<version>``, plus ``MALI_MAP_CONTACT`` when
  set), never with geopy's default user agent;
- it sends at most one request per ``min_delay_s`` (1 s: Nominatim's usage
  policy), through geopy's ``RateLimiter`` (:mod:`.ratelimit`), shared by every
  lookup of the object;
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

This module holds settings, HTTP and error translation; reading the answers
is :mod:`.answers`. Clock and sleep are injectable so tests never wait for real.
geopy is imported with the first request, not with this module.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import BadInput, GeocoderUnavailable
from ..places import Place
from .answers import places_from_answer
from .cache import AnswerCache
from .ratelimit import MIN_REQUEST_S, _Attempt, _OutOfTime, _rate_limiter

PUBLIC_NOMINATIM_URL = "https://nominatim.openstreetmap.org"
ENV_URL = "MALI_MAP_NOMINATIM_URL"
ENV_CONTACT = "MALI_MAP_CONTACT"

DEFAULT_TIMEOUT_S = 3.0  # one HTTP request
DEFAULT_DEADLINE_S = 7.0  # one lookup, retries and waits included
DEFAULT_MAX_RETRIES = 2
DEFAULT_MIN_DELAY_S = 1.0  # Nominatim usage policy: at most 1 request/s
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


class _NotRetryable(Exception):
    """An answer that asking again will not change (400, 401, 403...)."""


def _adapter_factory(proxies: Any, ssl_context: Any) -> Any:
    """Our HTTP adapter (:mod:`.http`): no retries of its own (the rate limiter does all retrying, within
    the deadline), a wall-clock limit on each exchange, a cap on the answer's size."""
    from geopy.adapters import BaseSyncAdapter

    from .http import BoundedAdapter

    BaseSyncAdapter.register(BoundedAdapter)
    return BoundedAdapter(proxies=proxies, ssl_context=ssl_context)


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

    def __init__(
        self,
        base_url: str | None = None,
        *,
        user_agent: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        deadline_s: float = DEFAULT_DEADLINE_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        min_delay_s: float = DEFAULT_MIN_DELAY_S,
        error_wait_s: float | None = None,
        cache: AnswerCache | bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
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
            # only what was asked for is kept: a server answering 1.3 million items for 5 fills no cache
            raw = self._fetch(query, country_code, int(limit))[: int(limit)]
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
                f"({attempt.requests} request(s), {self._clock() - started:.1f} s)"
            )
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
                extra: dict[str, Any] = {"proxies": {}} if self.endpoint.is_loopback else {}
                nominatim = Nominatim(
                    scheme=self.endpoint.scheme,
                    domain=self.endpoint.domain,
                    user_agent=self.user_agent,
                    timeout=self.timeout_s,
                    adapter_factory=_adapter_factory,
                    **extra,
                )
                self._limited = _rate_limiter(
                    lambda q, **kw: self._request(nominatim, q, **kw),
                    self._attempt,
                    clock=self._clock,
                    sleep=self._sleep,
                    min_delay_s=self.min_delay_s,
                    max_retries=self.max_retries,
                    error_wait_s=self.error_wait_s,
                )
        return self._limited

    def _request(self, nominatim: Any, query: str, *, country_code: str | None, limit: int) -> Any:
        """One HTTP request, its timeout cut to what is left of the deadline."""
        from geopy.exc import (
            GeocoderAuthenticationFailure,
            GeocoderInsufficientPrivileges,
            GeocoderQueryError,
            GeocoderQuotaExceeded,
            GeocoderRateLimited,
        )

        attempt = self._attempt
        left_s = attempt.deadline - self._clock() if attempt.deadline is not None else self.timeout_s
        if left_s < MIN_REQUEST_S:
            raise _OutOfTime("no time left for another request")
        attempt.requests += 1
        try:
            return nominatim.geocode(
                query,
                exactly_one=False,
                limit=limit,
                addressdetails=True,
                country_codes=country_code.lower() if country_code else None,
                timeout=min(self.timeout_s, left_s),
            )
        except GeocoderRateLimited as error:
            attempt.retry_after_s = float(error.retry_after or 0.0)
            attempt.last_error = "rate limited (HTTP 429)"
            raise
        except (
            GeocoderQueryError,
            GeocoderAuthenticationFailure,
            GeocoderInsufficientPrivileges,
            GeocoderQuotaExceeded,
        ) as error:
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
