"""--online against hostile servers (all on 127.0.0.1): slow, malformed, huge, compressed bombs.

Before: a server sending one byte every 0.5 s held a lookup for 63 s (the promise: 3 s a request,
7 s in all); `{}` or `null` was cached for 30 days as "not found"; a 300 MB answer was kept whole
in memory and a gzip bomb reached 4.2 GB; 1.3 million items were cached when five were asked for.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
import tracemalloc
import zlib

import pytest

from fake_nominatim import FakeNominatim, Reply, place
from mali_map.errors import GeocoderUnavailable
from mali_map.geocoders.cache import AnswerCache
from mali_map.geocoders.online import NominatimGeocoder

KATI = place("Kati", 12.74409, -8.07257)


class RawServer:
    """A TCP server on 127.0.0.1 whose handler writes whatever ``respond(write)`` writes."""

    def __init__(self, respond):
        stopping = self.stopping = threading.Event()

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)  # the request line and headers: one small packet
                try:
                    respond(self.request.sendall, stopping)
                except OSError:
                    pass  # the client hung up: what a bounded client does

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def raw_server():
    servers = []

    def start(respond):
        servers.append(RawServer(respond))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _trickle(data: bytes, every_s: float = 0.5):
    def respond(write, stopping):
        for byte in data:
            write(bytes([byte]))
            if stopping.wait(every_s):
                return

    return respond


def _answer(body: bytes, *extra_headers: str) -> bytes:
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", f"Content-Length: {len(body)}", *extra_headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _geocoder(url, **settings):
    settings = {"cache": False, "timeout_s": 1.0, "deadline_s": 2.0, "min_delay_s": 0.0, **settings}
    return NominatimGeocoder(url, **settings)


@pytest.mark.parametrize("what", ["headers", "body"])
def test_a_server_trickling_one_byte_per_half_second_is_cut_at_the_deadline(raw_server, what):
    body = json.dumps([KATI]).encode()
    whole = _answer(body)
    if what == "headers":
        respond = _trickle(whole)
    else:
        head_end = whole.index(b"\r\n\r\n") + 4

        def respond(write, stopping):
            write(whole[:head_end])
            _trickle(whole[head_end:])(write, stopping)

    server = raw_server(respond)  # the whole answer would take over a minute
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="timed out"):
        _geocoder(server.url).lookup("Kati")
    assert time.monotonic() - started < 3.0  # a 2 s deadline, plus scheduling slack


def test_default_budget_holds_against_a_trickle(raw_server):
    server = raw_server(_trickle(_answer(json.dumps([KATI]).encode())))
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable):
        NominatimGeocoder(server.url, cache=False).lookup("Kati")
    assert time.monotonic() - started < 8.5  # the promise: 7 s in all


@pytest.mark.parametrize("body", [{}, None, {"error": "x"}, [1, 2], "text"])
def test_malformed_answers_are_never_cached_as_not_found(tmp_path, body):
    cache = AnswerCache(tmp_path / "answers.sqlite3")
    with FakeNominatim() as server:
        server.script("Kati", Reply(body=body))
        with pytest.raises(GeocoderUnavailable):
            _geocoder(server.url, cache=cache, max_retries=0).lookup("Kati")
        server.script("Kati", Reply.hit(KATI))
        places = _geocoder(server.url, cache=cache).lookup("Kati")
    assert [p.name for p in places] == ["Kati"]


def test_only_the_asked_number_of_answers_is_kept(tmp_path):
    cache = AnswerCache(tmp_path / "answers.sqlite3")
    many = [place(f"Kati {n}", 12.7, -8.0, place_id=n) for n in range(200)]
    with FakeNominatim() as server:
        server.script("Kati", Reply(body=many))
        places = _geocoder(server.url, cache=cache).lookup("Kati", limit=5)
        assert len(places) == 5
        assert len(cache.get(server.url, "Kati", None, 5)) == 5


def _peak_bytes(action) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_huge_answer_is_refused_with_bounded_memory(raw_server):
    size = 40 * 1024 * 1024
    item = json.dumps(KATI).encode()

    def respond(write, stopping):
        write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n[" % (size + 2))
        sent = 0
        chunk = b",".join([item] * 1000) + b","
        while sent < size and not stopping.is_set():
            write(chunk)
            sent += len(chunk)

    server = raw_server(respond)

    def lookup():
        with pytest.raises(GeocoderUnavailable, match="larger than"):
            _geocoder(server.url, deadline_s=20.0, timeout_s=10.0, max_retries=0).lookup("Kati")

    assert _peak_bytes(lookup) < 8 * 1024 * 1024


def test_a_gzip_bomb_is_defused(raw_server):
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip
    block = b"[" + b" " * (1024 * 1024 - 1)
    bomb = squeeze.compress(block) + b"".join(squeeze.compress(b" " * (1024 * 1024)) for _ in range(99))
    bomb += squeeze.flush()  # 100 MB of JSON whitespace in about 100 KB
    server = raw_server(lambda write, stopping: write(_answer(bomb, "Content-Encoding: gzip")))

    def lookup():
        with pytest.raises(GeocoderUnavailable, match="larger than"):
            _geocoder(server.url, deadline_s=20.0, timeout_s=10.0, max_retries=0).lookup("Kati")

    assert _peak_bytes(lookup) < 8 * 1024 * 1024


def test_a_gzip_answer_within_bounds_is_read(raw_server):
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = squeeze.compress(json.dumps([KATI]).encode()) + squeeze.flush()
    server = raw_server(lambda write, stopping: write(_answer(body, "Content-Encoding: gzip")))
    assert [p.name for p in _geocoder(server.url).lookup("Kati")] == ["Kati"]


def test_connection_closed_mid_answer_is_unavailable_not_a_crash(raw_server):
    whole = _answer(json.dumps([KATI]).encode())
    server = raw_server(lambda write, stopping: write(whole[: len(whole) // 2]))
    with pytest.raises(GeocoderUnavailable):
        _geocoder(server.url, max_retries=0).lookup("Kati")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    real_connect = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise ConnectionRefusedError(f"tests may not connect to {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def test_a_damaged_answer_cache_is_started_afresh(tmp_path):
    damaged = tmp_path / "answers.sqlite3"
    damaged.write_bytes(b"not a database at all" * 500)
    cache = AnswerCache(damaged)
    with FakeNominatim() as server:
        server.script("Kati", Reply.hit(KATI))
        assert [p.name for p in _geocoder(server.url, cache=cache).lookup("Kati")] == ["Kati"]
        assert len(cache.get(server.url, "Kati", None, 5)) == 1  # cached again, in a sound file


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:9/x", "file:///etc/passwd"])
def test_a_redirect_away_from_http_is_not_followed(raw_server, target):
    redirect = f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode()
    server = raw_server(lambda write, stopping: write(redirect))
    with pytest.raises(GeocoderUnavailable):
        _geocoder(server.url, max_retries=0).lookup("Kati")
