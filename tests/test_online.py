"""Nominatim through geopy, against a fake server on 127.0.0.1 (never the internet).

Every test here runs with MALI_MAP_NOMINATIM_URL pointing at the fake server,
the cache in a temporary folder, and sockets refused for any address that is
not loopback, so a mistake cannot reach the public Nominatim.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_nominatim import FakeNominatim, Reply, place
from mali_map import __version__
from mali_map.errors import BadInput, GeocoderUnavailable
from mali_map.geocoders import online
from mali_map.geocoders.cache import AnswerCache
from mali_map.geocoders.online import (
    PUBLIC_NOMINATIM_URL,
    NominatimGeocoder,
    merge_online,
    online_place,
    place_from_nominatim,
)
from mali_map.geodesy import distance_km
from mali_map.places import Alternative, Place

KATI = dict(name="Kati", lat=12.74409, lon=-8.07257, state="Koulikoro", importance=0.45)


# -- fixtures -------------------------------------------------------------------
@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Refuse every socket connection that is not to this machine."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise ConnectionRefusedError(f"tests may not connect to {address[0]}")

    def connect(sock, address):
        check(address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(address)
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def server():
    with FakeNominatim() as fake:
        yield fake


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path, request):
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MALI_MAP_CONTACT", raising=False)
    monkeypatch.setattr(online, "_shared", {})
    if "server" in request.fixturenames:
        monkeypatch.setenv("MALI_MAP_NOMINATIM_URL", request.getfixturevalue("server").url)
    else:
        monkeypatch.setenv("MALI_MAP_NOMINATIM_URL", "http://127.0.0.1:9")  # discard port: refused


class FakeTime:
    """A clock that only moves when slept on; records the sleeps."""

    def __init__(self) -> None:
        self.now_s = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now_s += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def geocoder(server, tmp_path, fake_time):
    """A geocoder on the fake server with a fake clock (no real waiting) and a cache in tmp."""
    return NominatimGeocoder(
        cache=AnswerCache(tmp_path / "answers.sqlite3"), clock=fake_time.clock, sleep=fake_time.sleep
    )


# -- answers ----------------------------------------------------------------------
def test_hit_is_parsed_into_places(server, geocoder):
    server.script("Kati", Reply.hit(place(**KATI), place("Kati", 14.1, -4.2, importance=0.2, place_id=7)))

    places = geocoder.lookup("Kati", country_code="ml", limit=3)

    assert [p.name for p in places] == ["Kati", "Kati"]
    kati = places[0]
    assert (kati.lat, kati.lon) == (12.74409, -8.07257)
    assert (kati.country_code, kati.admin1, kati.feature) == ("ML", "Koulikoro", "town")
    assert kati.source == "nominatim" and kati.confidence == pytest.approx(0.45)
    assert places[1].place_id == 7 and places[1].confidence == pytest.approx(0.2)
    (request,) = server.requests
    assert request.path == "/search"
    assert request.params == {"q": "Kati", "format": "json", "limit": "3", "addressdetails": "1", "countrycodes": "ml"}


def test_miss_is_an_empty_list(server, geocoder):
    assert geocoder.lookup("Nowhere-at-all") == []
    assert len(server.requests) == 1


def test_area_radius_is_half_the_bounding_box_diagonal():
    box = (11.5, 13.9, -9.4, -5.9)  # south, north, west, east
    region = place(
        "Koulikoro",
        12.86,
        -7.56,
        osm_class="boundary",
        osm_type="administrative",
        boundingbox=box,
        osm_element="relation",
    )
    region["addresstype"], region["place_rank"] = "state", 8

    result = place_from_nominatim(region)

    assert result.feature == "admin1"
    assert result.radius_km == pytest.approx(distance_km((11.5, -9.4), (13.9, -5.9)) / 2)


def test_point_radius_ignores_the_synthetic_box_and_country_radius_is_capped():
    village = place("Siby", 12.38, -8.33, osm_type="village", boundingbox=(12.0, 12.8, -8.7, -7.9))
    country = place(
        "Mali",
        17.0,
        -4.0,
        osm_class="boundary",
        osm_type="administrative",
        boundingbox=(-10.0, 25.0, -20.0, 10.0),
        osm_element="relation",
    )
    country["addresstype"], country["place_rank"] = "country", 4

    assert place_from_nominatim(village).feature == "village"
    assert place_from_nominatim(village).radius_km < 2  # not the ~60 km half diagonal of its box
    assert place_from_nominatim(country).feature == "country"
    assert place_from_nominatim(country).radius_km == 1000.0


def test_items_without_coordinates_are_skipped(server, geocoder):
    broken = place(**KATI)
    del broken["lat"]
    server.script("Kati", Reply.hit(broken, place("Kati", 12.7, -8.0)))
    assert [(p.lat, p.lon) for p in geocoder.lookup("Kati")] == [(12.7, -8.0)]


def test_path_prefix_and_search_suffix_are_understood(tmp_path):
    with FakeNominatim(path_prefix="/nominatim") as fake:
        fake.script("Kati", Reply.hit(place(**KATI)))
        geocoder = NominatimGeocoder(fake.url + "/search", cache=False)
        assert geocoder.lookup("Kati")[0].name == "Kati"
        assert [r.path for r in fake.requests] == ["/nominatim/search"]


def test_bad_urls_and_queries_are_bad_input(geocoder):
    with pytest.raises(BadInput):
        NominatimGeocoder("ftp://example.org")
    with pytest.raises(BadInput):
        geocoder.lookup("  ")
    with pytest.raises(BadInput):
        geocoder.lookup("Kati", limit=0)


# -- failures: bounded in time, then GeocoderUnavailable --------------------------
def test_timeout_gives_up_within_ten_seconds_with_default_settings(server, tmp_path):
    server.script("Slow", Reply.slow(30))
    geocoder = NominatimGeocoder(cache=False)  # real clock, real sleep, default timeouts

    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="timed out"):
        geocoder.lookup("Slow")
    elapsed_s = time.monotonic() - started

    assert elapsed_s < 10.0
    assert len(server.requests) >= 2  # it did retry before giving up
    # The service failed us: the next lookup fails at once, without asking again.
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable):
        geocoder.lookup("Kati")
    assert time.monotonic() - started < 0.5
    assert len(server.requests_for("Kati")) == 0


def test_429_is_retried_after_retry_after(server, geocoder, fake_time):
    server.script("Gao", Reply.error(429, retry_after_s=3), Reply.hit(place("Gao", 16.27, -0.04)))

    places = geocoder.lookup("Gao")

    assert places[0].name == "Gao"
    assert len(server.requests_for("Gao")) == 2
    assert max(fake_time.sleeps) >= 3.0


def test_429_asking_to_wait_past_the_deadline_gives_up_at_once(server, geocoder, fake_time):
    server.script("Gao", Reply.error(429, retry_after_s=120), Reply.hit(place("Gao", 16.27, -0.04)))

    with pytest.raises(GeocoderUnavailable, match="429"):
        geocoder.lookup("Gao")
    assert len(server.requests_for("Gao")) == 1
    assert sum(fake_time.sleeps) <= geocoder.deadline_s


def test_persistent_503_is_unavailable_after_the_retries(server, geocoder):
    server.script("Busy", Reply.error(503))
    with pytest.raises(GeocoderUnavailable, match="HTTP 503"):
        geocoder.lookup("Busy")
    assert len(server.requests_for("Busy")) == 1 + geocoder.max_retries


def test_500_then_success_is_retried(server, geocoder):
    server.script("Mopti", Reply.error(500), Reply.hit(place("Mopti", 14.49, -4.2)))
    assert geocoder.lookup("Mopti")[0].name == "Mopti"
    assert len(server.requests_for("Mopti")) == 2


def test_refused_connection_is_unavailable(fake_time, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    geocoder = NominatimGeocoder(f"http://127.0.0.1:{port}", cache=False, clock=fake_time.clock, sleep=fake_time.sleep)
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="connection failed"):
        geocoder.lookup("Kati")
    assert time.monotonic() - started < 10.0


def test_retries_print_no_traceback_in_a_fresh_process(server):
    """geopy logs each retry with a traceback; a process without logging set up must not show it."""
    server.script("Busy", Reply.error(503))
    script = (
        "from mali_map.errors import GeocoderUnavailable\n"
        "from mali_map.geocoders.online import NominatimGeocoder\n"
        "try:\n"
        "    NominatimGeocoder(cache=False, min_delay_s=0, error_wait_s=0).lookup('Busy')\n"
        "except GeocoderUnavailable as error:\n"
        "    print('unavailable:', error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).resolve().parents[1],
        env=os.environ.copy(),
    )
    assert done.stdout.startswith("unavailable: ") and "HTTP 503" in done.stdout
    assert done.stderr == ""
    assert len(server.requests_for("Busy")) == 3


# -- politeness: rate limit, user agent ---------------------------------------------
def test_uncached_queries_wait_for_the_rate_limit(server, geocoder, fake_time):
    geocoder.lookup("Kati")
    geocoder.lookup("Gao")

    assert len(server.requests) == 2
    assert fake_time.sleeps == [pytest.approx(1.0)]  # the fake clock stood still: a full second


def test_requests_are_really_spaced(server, tmp_path):
    geocoder = NominatimGeocoder(min_delay_s=0.2, cache=False)
    for name in ("Kati", "Gao", "Mopti"):
        geocoder.lookup(name)
    times = [r.at_s for r in server.requests]
    assert len(times) == 3
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.19


def test_the_wait_counts_from_the_end_of_a_slow_answer(server):
    # a 0.3 s answer and a 0.2 s spacing: the next request still waits 0.2 s after the answer came,
    # so whatever delays the network adds, the server never sees two requests closer than that
    server.script("Kati", Reply.slow(0.3))
    geocoder = NominatimGeocoder(min_delay_s=0.2, cache=False)
    geocoder.lookup("Kati")
    geocoder.lookup("Gao")
    first, second = (r.at_s for r in server.requests)
    assert second - first >= 0.3 + 0.19


def test_user_agent_is_ours(server, monkeypatch):
    NominatimGeocoder(cache=False).lookup("Kati")
    monkeypatch.setenv("MALI_MAP_CONTACT", "newsroom@example.org")
    NominatimGeocoder(cache=False).lookup("Gao")

    agents = [r.headers["User-Agent"] for r in server.requests]
    assert agents == [f"mali-map/{__version__}", f"mali-map/{__version__} (+newsroom@example.org)"]


# -- cache --------------------------------------------------------------------------
def test_cache_answers_again_without_a_request_even_in_a_new_geocoder(server, tmp_path):
    server.script("Kati", Reply.hit(place(**KATI)))
    first = NominatimGeocoder(cache=AnswerCache(tmp_path / "a.sqlite3")).lookup("Kati")
    again = NominatimGeocoder(cache=AnswerCache(tmp_path / "a.sqlite3")).lookup("  KATI ")

    assert again == first
    assert len(server.requests) == 1


def test_default_cache_file_lives_in_the_cache_folder(server, tmp_path):
    NominatimGeocoder().lookup("Nowhere")
    NominatimGeocoder().lookup("Nowhere")  # a cached miss is not asked again
    assert len(server.requests) == 1
    assert (tmp_path / "cache" / "online-answers.sqlite3").is_file()


def test_cache_keys_keep_countries_and_servers_apart(server, tmp_path):
    cache = AnswerCache(tmp_path / "a.sqlite3")
    geocoder = NominatimGeocoder(cache=cache, min_delay_s=0)
    geocoder.lookup("Kati", country_code="ML")
    geocoder.lookup("Kati", country_code="BF")
    geocoder.lookup("Kati", country_code="ML")
    assert len(server.requests) == 2
    assert cache.get("http://elsewhere:1", "Kati", "ML", 5) is None


def test_cache_entries_expire(server, tmp_path):
    now = [0.0]
    cache = AnswerCache(tmp_path / "a.sqlite3", ttl_days=30, clock=lambda: now[0])
    geocoder = NominatimGeocoder(cache=cache, min_delay_s=0)
    geocoder.lookup("Kati")
    now[0] = 29 * 86400.0
    geocoder.lookup("Kati")
    now[0] = 31 * 86400.0
    geocoder.lookup("Kati")
    assert len(server.requests) == 2


def test_an_unusable_cache_does_not_stop_lookups(server, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    geocoder = NominatimGeocoder(cache=AnswerCache(blocker / "a.sqlite3"), min_delay_s=0)
    server.script("Kati", Reply.hit(place(**KATI)))
    assert geocoder.lookup("Kati")[0].name == "Kati"


# -- where requests go ----------------------------------------------------------------
def test_the_environment_chooses_the_server(server, monkeypatch):
    assert NominatimGeocoder(cache=False).base_url == server.url
    monkeypatch.delenv("MALI_MAP_NOMINATIM_URL")
    assert NominatimGeocoder(cache=False).base_url == PUBLIC_NOMINATIM_URL  # built, never asked


def test_tests_cannot_reach_beyond_loopback():
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: refused by the guard before any packet


def test_online_place_uses_one_shared_geocoder(server):
    server.script("Kati", Reply.hit(place(**KATI), place("Kati", 14.1, -4.2, importance=0.2)))
    best = online_place("Kati", country="ML")
    assert best.name == "Kati" and best.source == "nominatim"
    assert [a.lat for a in best.alternatives] == [14.1]
    assert online.default_geocoder() is online.default_geocoder(server.url)


# -- merging with the offline answer ----------------------------------------------------
OFFLINE_KATI = Place("Kati", 12.74409, -8.07257, "ML", "Koulikoro", "city", 130254, "geonames", 0.9, 3.1)


def test_merge_without_offline_takes_the_first_online_candidate():
    a, b = Place("A", 1.0, 1.0, source="nominatim"), Place("B", 2.0, 2.0, source="nominatim")
    merged = merge_online(None, [a, b])
    assert merged.name == "A" and merged.alternatives == (Alternative("B", 2.0, 2.0, None, 1.0),)
    assert merge_online(None, []) is None


def test_merge_agreeing_sources_records_their_spread():
    nearby = Place("Kati", 12.77, -8.05, "ML", feature="town", source="nominatim", confidence=0.95, radius_km=1.0)
    gap_km = distance_km(OFFLINE_KATI.point, nearby.point)

    merged = merge_online(OFFLINE_KATI, [nearby])

    assert (merged.lat, merged.lon, merged.source) == (12.74409, -8.07257, "geonames")
    assert merged.spread_km == pytest.approx(gap_km, abs=1e-3) and merged.radius_km == OFFLINE_KATI.radius_km
    assert merged.confidence == 0.95 and merged.alternatives == ()


def test_merge_keeps_offline_and_lists_a_distant_namesake():
    namesake = Place("Kati", 14.1, -4.2, "ML", source="nominatim", confidence=0.2)
    merged = merge_online(OFFLINE_KATI, [namesake])
    assert merged.point == OFFLINE_KATI.point and merged.spread_km == 0.0
    assert merged.alternatives == (Alternative("Kati", 14.1, -4.2, "ML", 0.2),)
    offset = OFFLINE_KATI.with_(feature="offset")
    assert merge_online(offset, [namesake]) is offset


# -- the Gazetteer hook ------------------------------------------------------------------
def test_online_candidates_merges_into_the_offline_ranking(server, geocoder):
    server.script("Kati", Reply.hit(place(**KATI)))
    second = Place("Kati", 14.1, -4.2, "ML", source="geonames", confidence=0.1)

    places = online.online_candidates(geocoder, "Kati", "ML", [OFFLINE_KATI, second])

    assert [p.source for p in places] == ["geonames", "geonames"] and places[1] is second
    assert places[0].point == OFFLINE_KATI.point and places[0].spread_km == pytest.approx(0.0, abs=1e-3)


def test_gazetteer_asks_its_geocoder_name_and_context_without_the_offset(server, geocoder):
    from mali_map.gazetteer import Gazetteer

    server.script("Xqzwbougou, Koulikoro, Mali", Reply.hit(place("Xqzwbougou", 12.38, -8.33, osm_type="village")))
    gazetteer = Gazetteer(online=geocoder, include_saved=False)

    found = gazetteer.lookup("Xqzwbougou, Koulikoro, Mali")
    gazetteer.lookup("Gao 50km W")

    assert (found.name, found.source) == ("Xqzwbougou", "nominatim")
    assert [r.query for r in server.requests] == ["Xqzwbougou, Koulikoro, Mali", "Gao"]
    assert "countrycodes" not in server.requests[0].params  # the focus is a prior, not a filter


def test_online_candidates_put_the_focus_country_first(server, geocoder):
    server.script("Kati", Reply.hit(place("Kati", 9.0, 2.0, country_code="bj", importance=0.6), place(**KATI)))
    places = online.online_candidates(geocoder, "Kati", "ML", [])
    assert [p.country_code for p in places] == ["ML", "BJ"]


def test_online_candidates_fall_back_to_offline_with_one_warning(server, geocoder):
    server.script("Kati", Reply.error(503))
    warnings = []

    first = online.online_candidates(geocoder, "Kati", "ML", [OFFLINE_KATI], warn=warnings.append)
    second = online.online_candidates(geocoder, "Gao", "ML", [], warn=warnings.append)

    assert first == [OFFLINE_KATI] and second == []
    assert len(warnings) == 1 and "HTTP 503" in warnings[0] and "\n" not in warnings[0]
    assert server.requests_for("Gao") == []  # failed fast, no new request


def test_online_candidates_default_warning_is_one_stderr_line(monkeypatch, capsys):
    monkeypatch.setattr(logging.getLogger("mali_map"), "hasHandlers", lambda: False)
    places = online.online_candidates(online.default_geocoder(), "Kati", "ML", [OFFLINE_KATI])  # a refused port
    assert places == [OFFLINE_KATI]
    err = capsys.readouterr().err
    assert err.startswith("mali-map: warning: Nominatim at http://127.0.0.1:9 unavailable")
    assert err.count("\n") == 1
