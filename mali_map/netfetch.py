"""Bounded HTTP: every network wait of mali-map ends at a wall-clock deadline, every body has a cap.

Socket timeouts bound each read, not the exchange: a server that sends one byte every half second
never trips them, and kept ``gazetteer download`` running for over 8 minutes (the online geocoder
had the same flaw, fixed in round one). An endless body filled a 300 MB disk in under a second.
So both the geocoders (:mod:`mali_map.geocoders.http`) and the GeoNames download
(:mod:`mali_map.gazetteer.download`) go through the pieces here:

- :class:`Watchdog`: when the deadline passes it shuts the exchange's socket down, whatever the
  server trickles (connect, headers or body); a blocked read then returns at once;
- :func:`build_opener`: urllib (so proxies and TLS behave as usual) with only HTTP(S) handlers,
  every connection watched, and :class:`SameHostRedirects`: a redirect to another host is not
  followed (its answer would be cached, or imported, as if the server asked had sent it);
- :func:`download`: a body streamed to a file under the deadline, a byte cap and a free-space
  check (the folder keeps at least :data:`MIN_FREE_BYTES` free).
"""

from __future__ import annotations

import functools
import http.client
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

#: the free space a download leaves in its folder (the import after it needs room too)
MIN_FREE_BYTES = 64 * 1024 * 1024
_CHUNK_BYTES = 1 << 16
_FREE_CHECK_EVERY = 4 * 1024 * 1024


class FetchFailed(Exception):
    """A bounded fetch that did not complete: ``str()`` is one line saying why (callers add the URL)."""


class CrossHostRedirect(URLError):
    """A redirect to another host (or from HTTPS to HTTP), refused."""


class Watchdog:
    """Shuts the exchange's socket down when its time is up (a blocked read then returns at once)."""

    def __init__(self, seconds: float):
        self.expired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                self._shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._socket is not None:
                self._shut(self._socket)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _watched(connection_class: type, watchdog_of: Callable[[], Watchdog | None]) -> Any:
    """``connection_class`` whose socket, once connected, is handed to the current watchdog."""

    class Watched(connection_class):
        def connect(self) -> None:
            super().connect()
            watchdog = watchdog_of()
            if watchdog is not None and self.sock is not None:
                watchdog.watch(self.sock)

    return Watched


class SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same host (and never from HTTPS down to HTTP)."""

    def redirect_request(  # type: ignore[no-untyped-def]  # the stdlib's own signature
        self, req, fp, code, msg, headers, newurl
    ):
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        downgrade = old.scheme == "https" and new.scheme != "https"
        if new.hostname != old.hostname or downgrade:
            raise CrossHostRedirect(f"redirected to another host ({new.scheme}://{new.netloc}), not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def build_opener(
    watchdog_of: Callable[[], Watchdog | None], *, proxies: Any = None, ssl_context: Any = None
) -> urllib.request.OpenerDirector:
    """An opener for HTTP(S) only whose connections are handed to ``watchdog_of()``; same-host redirects."""
    http_handler = urllib.request.HTTPHandler()
    http_handler.http_open = lambda req: http_handler.do_open(  # type: ignore[method-assign]
        _watched(http.client.HTTPConnection, watchdog_of), req
    )
    https_handler = urllib.request.HTTPSHandler(context=ssl_context)
    https_handler.https_open = lambda req: https_handler.do_open(  # type: ignore[method-assign]
        _watched(http.client.HTTPSConnection, watchdog_of), req, context=ssl_context
    )
    # only HTTP(S): a redirect to ftp:// or file:// finds no handler (urllib's build_opener would add them)
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(proxies or {}),
        urllib.request.UnknownHandler(),
        http_handler,
        https_handler,
        urllib.request.HTTPDefaultErrorHandler(),
        SameHostRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def free_bytes(folder: Path) -> int:
    """The bytes free for us in ``folder``'s file system."""
    return shutil.disk_usage(folder).free


def download(
    url: str,
    target: Path,
    *,
    deadline_s: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    min_free_bytes: int = MIN_FREE_BYTES,
) -> int:
    """Stream ``url``'s body into ``target``; the number of bytes. Raises :class:`FetchFailed` (one line) when:

    the whole exchange takes longer than ``deadline_s`` (connect, headers and body: a dripping
    server is cut at the deadline); the body is, or announces, more than ``max_bytes``; it would
    leave less than ``min_free_bytes`` free beside ``target``; an HTTP error; a redirect to another
    host; fewer bytes than announced. ``progress(done, expected)`` is called after each chunk.
    """
    local = threading.local()
    opener = build_opener(functools.partial(getattr, local, "watchdog", None))
    watchdog = local.watchdog = Watchdog(deadline_s)
    ends_at = time.monotonic() + deadline_s
    done = 0
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with opener.open(request, timeout=deadline_s) as response, open(target, "wb") as out:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            room = _room(target, expected, max_bytes, min_free_bytes)  # what may be written before a new look
            checked_at = 0
            while chunk := response.read(_CHUNK_BYTES):
                if time.monotonic() > ends_at:
                    raise FetchFailed(f"still arriving after {deadline_s:g} s, the deadline; stopped")
                done += len(chunk)
                if done > max_bytes:
                    raise FetchFailed(f"larger than {max_bytes:,} bytes, the limit; stopped")
                if done - checked_at >= _FREE_CHECK_EVERY or done > checked_at + room:
                    room = _room(target, None, max_bytes, min_free_bytes, needed=len(chunk))
                    checked_at = done - len(chunk)
                out.write(chunk)
                if progress:
                    progress(done, expected)
    except HTTPError as error:
        raise FetchFailed(f"HTTP {error.code} {error.reason}") from None
    except (URLError, OSError, http.client.HTTPException) as error:  # refused, reset, timed out, cut
        if watchdog.expired or time.monotonic() > ends_at:
            raise FetchFailed(f"not complete after {deadline_s:g} s, the deadline; stopped") from None
        reason = getattr(error, "reason", None) or error
        raise FetchFailed(f"download failed ({reason})") from None
    finally:
        watchdog.cancel()
    if expected is not None and done != expected:
        raise FetchFailed(f"download interrupted ({done:,} of {expected:,} bytes)")
    return done


def _room(target: Path, expected: int | None, max_bytes: int, min_free_bytes: int, needed: int = 0) -> int:
    """How many more bytes may be written beside ``target`` while leaving ``min_free_bytes`` free.

    Raises :class:`FetchFailed` when an announced length is over ``max_bytes``, or when there is not
    room for the announced length (or for the ``needed`` bytes about to be written).
    """
    if expected is not None and expected > max_bytes:
        raise FetchFailed(f"announces {expected:,} bytes, more than the limit of {max_bytes:,}; not downloaded")
    try:
        free = free_bytes(target.parent)
    except OSError:
        return max_bytes
    room = free - min_free_bytes
    if room < max(expected or 0, needed):
        raise FetchFailed(
            f"not enough free space in {target.parent} ({free:,} bytes free, "
            f"{max(expected or 0, needed) + min_free_bytes:,} needed); free some space"
        )
    return room
