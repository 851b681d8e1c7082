"""`--online` end to end: the CLI against a fake Nominatim on 127.0.0.1 (never the internet)."""

import json
import time

import pytest

from fake_nominatim import FakeNominatim, Reply, place
from mali_map.cli import main
from mali_map.geocoders import online


@pytest.fixture
def server(monkeypatch, tmp_path):
    with FakeNominatim() as fake:
        monkeypatch.setenv("MALI_MAP_NOMINATIM_URL", fake.url)
        monkeypatch.setattr(online, "_shared", {})
        monkeypatch.setattr("mali_map.geocoders.cache.default_cache_path", lambda: tmp_path / "answers.sqlite3")
        yield fake


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_offline_by_default_nothing_is_asked(server, capsys):
    code, (kati,), _ = run(capsys, "geocode", "Kati", "--json")
    assert code == 0 and kati["source"] == "geonames"
    assert server.requests == []


def test_online_finds_what_the_embedded_data_lacks(server, capsys):
    server.script("Sévaré", Reply.hit(place("Sévaré", 14.5333, -4.0963, state="Mopti")))
    code, (sevare,), _ = run(capsys, "geocode", "Sévaré", "--online", "--json")
    assert code == 0
    assert (sevare["source"], sevare["lat"], sevare["lon"]) == ("nominatim", 14.5333, -4.0963)
    assert server.requests[0].headers["User-Agent"].startswith("mali-map/")


def test_online_agreement_records_the_spread_between_sources(server, capsys):
    server.script("Kati", Reply.hit(place("Kati", 12.7447, -8.0600)))
    code, (kati,), _ = run(capsys, "--online", "geocode", "Kati", "--json")
    assert code == 0
    assert (kati["lat"], kati["lon"]) == (12.74409, -8.07257)
    assert kati["spread_km"] == pytest.approx(1.37, abs=0.05)


@pytest.mark.parametrize("reply", [Reply.error(503), Reply.error(429, retry_after_s=600)])
def test_failure_falls_back_to_the_offline_answer_with_one_warning(server, capsys, reply):
    server.script("Kati", reply)
    start = time.monotonic()
    code, (kati,), err = run(capsys, "geocode", "Kati", "--online", "--json")
    assert time.monotonic() - start < 10
    assert code == 0 and kati["source"] == "geonames" and kati["lat"] == 12.74409
    assert len(err.strip().splitlines()) == 1 and "warning" in err and "Traceback" not in err


def test_an_online_answer_abroad_never_answers_a_query_naming_its_country(server, capsys):
    server.script("Pepa, Mopti, Mali", Reply.hit(place("Pepa", -7.698, 29.777, country_code="cd")))
    server.script("Pepa", Reply.hit(place("Pepa", -7.698, 29.777, country_code="cd")))
    code, (pepa,), _ = run(capsys, "geocode", "Pepa, Mopti, Mali", "--online", "--json")
    assert server.requests, "Nominatim was asked"
    assert code == 3 and pepa["status"] == "not_found"
