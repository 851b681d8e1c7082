"""A scripted stand-in for Nominatim, served on 127.0.0.1 for the tests.

Tests never reach the internet: they start :class:`FakeNominatim` (a real
``http.server.ThreadingHTTPServer`` on a free local port, in a thread), tell it
what to answer for each query, point ``MALI_MAP_NOMINATIM_URL`` at it and look
at :attr:`FakeNominatim.requests` afterwards (user agent, spacing, count).

    with FakeNominatim() as server:
        server.script("Kati", Reply.hit(place("Kati", 12.744, -8.073)))
        server.script("Gao", Reply.error(429, retry_after_s=1), Reply.hit(...))
        ... geocode against server.url ...
        assert len(server.requests) == 1

Replies for a query are used in order; the last one repeats. A query with no
script gets an empty list (a miss), as Nominatim answers for unknown names.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One scripted answer: an HTTP status, a JSON body, headers, and a delay before answering."""

    status: int = 200
    body: Any = field(default_factory=list)
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0

    @classmethod
    def hit(cls, *places: dict[str, Any]) -> Reply:
        """A 200 answer listing ``places`` (made with :func:`place`)."""
        return cls(body=list(places))

    @classmethod
    def miss(cls) -> Reply:
        """A 200 answer with no results."""
        return cls(body=[])

    @classmethod
    def slow(cls, delay_s: float) -> Reply:
        """An answer that only starts after ``delay_s`` seconds (to outlast client timeouts)."""
        return cls(body=[], delay_s=delay_s)

    @classmethod
    def error(cls, status: int, *, retry_after_s: int | None = None) -> Reply:
        """An HTTP error (429, 500, 503 ...), with ``Retry-After`` when given."""
        headers = (("Retry-After", str(retry_after_s)),) if retry_after_s is not None else ()
        return cls(status=status, body={"error": f"fake error {status}"}, headers=headers)


def place(
    name: str,
    lat: float,
    lon: float,
    *,
    country_code: str = "ml",
    state: str | None = None,
    osm_class: str = "place",
    osm_type: str = "town",
    importance: float = 0.4,
    boundingbox: tuple[float, float, float, float] | None = None,
    osm_element: str = "node",
    place_id: int = 1000,
) -> dict[str, Any]:
    """A result shaped like Nominatim's ``/search?format=json`` items.

    Coordinates and the bounding box (south, north, west, east) are strings, as
    Nominatim sends them; ``address`` is dropped by the server unless the request
    asked for ``addressdetails=1``.
    """
    if boundingbox is None:
        boundingbox = (lat - 0.01, lat + 0.01, lon - 0.01, lon + 0.01)
    address = {osm_type if osm_class == "place" else "city": name, "country": "Mali", "country_code": country_code}
    if state:
        address["state"] = state
    return {
        "place_id": place_id,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. (fake, written for tests)",
        "osm_type": osm_element,
        "osm_id": place_id * 10,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": osm_class,
        "type": osm_type,
        "place_rank": 16,
        "importance": importance,
        "addresstype": osm_type,
        "name": name,
        "display_name": ", ".join(part for part in (name, state, "Mali") if part),
        "address": address,
        "boundingbox": [f"{v:.7f}" for v in boundingbox],
    }


@dataclass(frozen=True)
class Received:
    """A request the server saw: when (``time.monotonic()``), path, query parameters, headers."""

    at_s: float
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def query(self) -> str | None:
        return self.params.get("q")


class FakeNominatim:
    """The fake server; use as a context manager or call :meth:`start` and :meth:`stop`."""

    def __init__(self, *, path_prefix: str = "") -> None:
        self.path_prefix = path_prefix.rstrip("/")
        self.requests: list[Received] = []
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------
    def script(self, query: str, *replies: Reply) -> None:
        """Answer ``query`` (the ``q`` parameter, exactly) with ``replies`` in turn; the last repeats."""
        with self._lock:
            self._scripts[query] = list(replies)

    def next_reply(self, query: str | None) -> Reply:
        with self._lock:
            replies = self._scripts.get(query or "")
            if not replies:
                return Reply.miss()
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)

    def requests_for(self, query: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.query == query]

    # -- lifecycle -------------------------------------------------------
    @property
    def url(self) -> str:
        """The base URL to give the geocoder, e.g. ``http://127.0.0.1:40123``."""
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.path_prefix}"

    def start(self) -> FakeNominatim:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-nominatim", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases slow replies still waiting
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def wait_or_stop(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the server stops first; True when stopping."""
        return self._stopping.wait(seconds)

    def __enter__(self) -> FakeNominatim:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _handler_for(fake: FakeNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the http.server naming
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            fake.record(Received(time.monotonic(), parts.path, params, dict(self.headers.items())))
            if parts.path != f"{fake.path_prefix}/search":
                self._send(404, {"error": "not found"}, ())
                return
            reply = fake.next_reply(params.get("q"))
            if reply.delay_s and fake.wait_or_stop(reply.delay_s):
                return
            body = reply.body
            if isinstance(body, list) and params.get("addressdetails") != "1":
                body = [{k: v for k, v in item.items() if k != "address"} for item in body]
            self._send(reply.status, body, reply.headers)

        def _send(self, status: int, body: Any, headers: tuple[tuple[str, str], ...]) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test); nothing to tell

        def log_message(self, format: str, *args: Any) -> None:  # silence stderr
            pass

    return Handler
