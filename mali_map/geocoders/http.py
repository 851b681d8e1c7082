"""HTTP for the Nominatim client: one wall-clock deadline per exchange, bounded answers.

geopy's own adapters apply their timeout to each socket read, so a server that sends one byte
every half second kept a lookup waiting for a minute (the promise is 3 s a request, 7 s in all),
and they read an answer whole, however large (a 300 MB answer took 2.4 GB; a gzip bomb 4.2 GB).
:class:`BoundedAdapter` is a geopy adapter (urllib underneath, so proxies and TLS behave as
before) that:

- ends the whole exchange (connect, headers, body) when its ``timeout`` has passed: a watchdog
  shuts the socket down, whatever the server trickles (:mod:`mali_map.netfetch`, shared with
  ``gazetteer download``);
- follows no redirect to another host: its answer would be cached under the server asked;
- reads at most :data:`MAX_ANSWER_BYTES` of body, decompressed (``gzip``/``deflate`` are
  inflated step by step with a cap, never whole), and fails beyond that;
- accepts from ``/search`` only a JSON list of objects with coordinates on the globe: ``{}``,
  ``null`` or a latitude of 123 is a broken answer (retried, never cached as "not found", and
  no geopy warning printed).
"""

from __future__ import annotations

import functools
import http.client
import json
import socket
import threading
import time
import urllib.request
import zlib
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlsplit

from ..netfetch import CrossHostRedirect, Watchdog, build_opener

#: the largest answer body read (after decompression); Nominatim's answers for 40 places are ~100 KB
MAX_ANSWER_BYTES = 1024 * 1024
#: the most items kept from a ``/search`` answer when the request names no ``limit`` (Nominatim's ceiling)
_MAX_ITEMS = 40
_CHUNK_BYTES = 64 * 1024
_ERROR_BODY_BYTES = 16 * 1024


class _AnswerTooLarge(Exception):
    pass


class BoundedAdapter:
    """A geopy sync adapter with a wall-clock deadline per exchange and a cap on the answer size.

    Built by geopy with ``proxies`` and ``ssl_context``; ``timeout`` of each call is the time the
    whole exchange may take (the client already cuts it to what is left of the lookup's deadline).
    """

    is_available = True

    def __init__(self, *, proxies: Any, ssl_context: Any, max_answer_bytes: int = MAX_ANSWER_BYTES):
        self.max_answer_bytes = max_answer_bytes
        self._local = threading.local()
        watchdog_of = functools.partial(getattr, self._local, "watchdog", None)
        self._opener = build_opener(watchdog_of, proxies=proxies, ssl_context=ssl_context)

    def __enter__(self) -> BoundedAdapter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        from geopy.exc import GeocoderParseError

        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            document = json.loads(text)
        except ValueError:
            raise GeocoderParseError("the answer is not JSON") from None
        parts = urlsplit(url)
        if parts.path.endswith("/search"):
            if not (isinstance(document, list) and all(isinstance(item, dict) for item in document)):
                raise GeocoderParseError(f"the answer is not a list of places: {text[:60]!r}")
            document = document[: _asked_limit(parts.query)]  # never more items than asked for
            for item in document:
                if not _on_the_globe(item.get("lat"), item.get("lon")):
                    # geopy would print a three-line warning, then fail; it is a broken answer, never cached
                    raise GeocoderParseError(
                        f"the answer places {str(item.get('display_name', '?'))[:40]!r} off the globe "
                        f"(lat {str(item.get('lat'))[:20]}, lon {str(item.get('lon'))[:20]})"
                    )
            return document
        return document

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        from geopy.adapters import AdapterHTTPError
        from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

        watchdog = self._local.watchdog = Watchdog(timeout)
        started = time.monotonic()
        try:
            try:
                response = self._opener.open(urllib.request.Request(url, headers=headers), timeout=timeout)
            except HTTPError as error:
                body = self._read(error, started + timeout, limit=_ERROR_BODY_BYTES, strict=False)
                lowered = {name.lower(): value for name, value in (error.headers or {}).items()}
                raise AdapterHTTPError(
                    f"Non-successful status code {error.code}", status_code=error.code, headers=lowered, text=body
                ) from None
            with response:
                return self._read(response, started + timeout, limit=self.max_answer_bytes)
        except AdapterHTTPError:
            raise
        except _AnswerTooLarge as error:
            raise GeocoderServiceError(str(error)) from None
        except zlib.error as error:
            raise GeocoderServiceError(f"the answer does not decompress ({error})") from None
        except CrossHostRedirect as error:  # its answer would be cached as this server's
            raise GeocoderServiceError(str(error.reason)) from None
        except TimeoutError as error:
            raise GeocoderTimedOut(f"Service timed out ({error})") from None
        except (URLError, OSError, http.client.HTTPException) as error:
            if watchdog.expired:
                raise GeocoderTimedOut(f"Service timed out: no complete answer within {timeout:.1f} s") from None
            reason = getattr(error, "reason", error)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise GeocoderTimedOut("Service timed out") from None
            raise GeocoderUnavailable(f"Service not available: {reason}") from None
        finally:
            watchdog.cancel()
            self._local.watchdog = None

    def _read(self, response: Any, ends_at: float, *, limit: int, strict: bool = True) -> str:
        """The body as text: at most ``limit`` bytes once inflated, read before ``ends_at``."""
        from geopy.exc import GeocoderTimedOut

        encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
        inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(_CHUNK_BYTES)
            if time.monotonic() > ends_at:
                raise GeocoderTimedOut("Service timed out: the answer was still arriving at the deadline")
            if not chunk:
                break
            pieces = [chunk] if inflate is None else _inflate(inflate, chunk, limit - size + 1)
            for piece in pieces:
                size += len(piece)
                if size > limit:
                    if not strict:
                        return b"".join(parts).decode("utf-8", errors="replace")
                    raise _AnswerTooLarge(f"answer larger than {limit:,} bytes")
                parts.append(piece)
        return b"".join(parts).decode("utf-8", errors="replace")


def _on_the_globe(lat: Any, lon: Any) -> bool:
    """Whether ``lat``, ``lon`` (numbers or their text, as Nominatim sends them) are a point on Earth.

    Missing or unreadable coordinates pass: the client skips such items on its own."""
    try:
        y, x = float(lat), float(lon)
    except (TypeError, ValueError):
        return True
    return -90.0 <= y <= 90.0 and -180.0 <= x <= 180.0


def _asked_limit(query: str) -> int:
    try:
        return max(1, min(_MAX_ITEMS, int(parse_qs(query).get("limit", [_MAX_ITEMS])[0])))
    except ValueError:
        return _MAX_ITEMS


def _inflate(inflate: Any, chunk: bytes, room: int) -> list[bytes]:
    """Decompress ``chunk`` in steps of at most ``room`` bytes; stops early once past ``room``."""
    pieces, total = [], 0
    data = chunk
    while data:
        piece = inflate.decompress(data, max(room - total, 1))
        pieces.append(piece)
        total += len(piece)
        if total >= room:
            break
        data = inflate.unconsumed_tail
    return pieces
