"""Every network wait ends at a wall-clock deadline, every body has a cap, no redirect leaves the host.

Before (issue 17): `gazetteer download` against a server sending one byte every 0.5 s (in the headers
or the body) ran for over 8 minutes; an endless body filled a 300 MB disk in under a second; a
redirect to another host was followed by the geocoders, and its answer cached under the first server.
All servers here are real, on 127.0.0.1 (and ``localhost`` as "another host").
"""

from __future__ import annotations

import tempfile
import time

import pytest

from fake_nominatim import FakeNominatim, Reply, place
from mali_map.cli import main
from mali_map.errors import BadInput, GeocoderUnavailable
from mali_map.gazetteer import download
from mali_map.gazetteer.userstore import list_gazetteers
from mali_map.geocoders.cache import AnswerCache
from mali_map.geocoders.online import NominatimGeocoder
from test_gazetteer_download import dump_zip
from test_online_hostile import _trickle, raw_server  # noqa: F401 - a fixture

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\n"


def _zip_answer(body: bytes) -> bytes:
    return HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("mali-map: error:") and "Traceback" not in err


@pytest.fixture
def geonames(monkeypatch, raw_server):  # noqa: F811
    def start(respond):
        server = raw_server(respond)
        monkeypatch.setenv("MALI_MAP_GEONAMES_URL", server.url + "/dump")
        return server

    return start


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_dripping_server_is_cut_at_the_download_deadline(geonames, monkeypatch, capsys, where):
    whole = _zip_answer(dump_zip("ML"))
    if where == "headers":
        geonames(_trickle(whole))
    else:
        head_end = whole.index(b"\r\n\r\n") + 4

        def respond(write, stopping):
            write(whole[:head_end])
            _trickle(whole[head_end:])(write, stopping)

        geonames(respond)
    monkeypatch.setenv("MALI_MAP_DOWNLOAD_DEADLINE", "2")
    started = time.monotonic()
    code, _, err = run(capsys, "gazetteer", "download", "ML")
    assert time.monotonic() - started < 3.5  # 2 s, plus slack (was over 8 minutes)
    assert code == 2 and one_line_error(err) and "deadline" in err
    assert list_gazetteers() == []


def test_the_default_deadline_is_at_most_a_minute(monkeypatch):
    monkeypatch.delenv("MALI_MAP_DOWNLOAD_DEADLINE", raising=False)
    assert download.deadline_s() == 60.0
    for bad in ("0", "-1", "soon", "inf", "nan"):
        monkeypatch.setenv("MALI_MAP_DOWNLOAD_DEADLINE", bad)
        with pytest.raises(BadInput, match="MALI_MAP_DOWNLOAD_DEADLINE"):
            download.deadline_s()


def _endless(write, stopping):
    write(HEAD + b"\r\n")  # no length: the body runs until the connection closes, which it never does
    chunk = b"\0" * 65536
    while not stopping.is_set():
        write(chunk)


def test_an_endless_body_stops_at_the_cap(geonames, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(download, "MAX_DOWNLOAD_BYTES", 3 * 1024 * 1024)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    geonames(_endless)
    started = time.monotonic()
    code, _, err = run(capsys, "gazetteer", "download", "ML")
    assert code == 2 and one_line_error(err) and "larger than 3,145,728 bytes" in err
    assert time.monotonic() - started < 5
    assert list(tmp_path.iterdir()) == []  # the partial download is gone


def test_a_body_announced_too_large_is_not_downloaded(geonames, monkeypatch, capsys):
    monkeypatch.setattr(download, "MAX_DOWNLOAD_BYTES", 1024 * 1024)
    geonames(lambda write, stopping: write(HEAD + b"Content-Length: 50000000000\r\n\r\n" + b"\0" * 1000))
    code, _, err = run(capsys, "gazetteer", "download", "ML")
    assert code == 2 and one_line_error(err) and "announces 50,000,000,000 bytes" in err


def test_a_download_stops_before_the_disk_is_full(geonames, monkeypatch, capsys, tmp_path):
    from mali_map import netfetch

    written = []
    disk_free = 100 * 1024 * 1024  # the folder's free space, shrinking as the download writes

    def free_bytes(folder):
        written.append(sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()))
        return disk_free - written[-1]

    monkeypatch.setattr(netfetch, "free_bytes", free_bytes)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    geonames(_endless)
    code, _, err = run(capsys, "gazetteer", "download", "ML")
    assert code == 2 and one_line_error(err) and "not enough free space" in err
    assert max(written) <= disk_free - netfetch.MIN_FREE_BYTES  # stopped with the reserve still free
    assert list(tmp_path.iterdir()) == []


# -- redirects ---------------------------------------------------------------------------------------------


def _redirect_to(url: str):
    answer = f"HTTP/1.1 302 Found\r\nLocation: {url}\r\nContent-Length: 0\r\n\r\n".encode()
    return lambda write, stopping: write(answer)


def test_a_download_follows_no_redirect_to_another_host(geonames, raw_server, capsys):  # noqa: F811
    asked = []

    def elsewhere_respond(write, stopping):
        asked.append(1)
        write(_zip_answer(dump_zip("ML")))

    elsewhere = raw_server(elsewhere_respond)
    geonames(_redirect_to(elsewhere.url.replace("127.0.0.1", "localhost") + "/dump/ML.zip"))
    code, _, err = run(capsys, "gazetteer", "download", "ML")
    assert code == 2 and one_line_error(err) and "redirected to another host" in err
    assert asked == [] and list_gazetteers() == []


def test_a_download_follows_a_redirect_on_the_same_host(geonames, capsys):
    answers = []  # the first request is sent to a mirror path on the same server, the second is served

    def respond(write, stopping):
        answers.append(1)
        if len(answers) == 1:
            _redirect_to(server.url + "/mirror/ML.zip")(write, stopping)
        else:
            write(_zip_answer(dump_zip("ML")))

    server = geonames(respond)
    code, _, _ = run(capsys, "gazetteer", "download", "ML")
    assert code == 0 and len(answers) == 2 and [g.name for g in list_gazetteers()] == ["geonames-ml"]


def test_an_online_answer_from_another_host_is_neither_used_nor_cached(raw_server, tmp_path):  # noqa: F811
    cache = AnswerCache(tmp_path / "answers.sqlite3")
    with FakeNominatim() as elsewhere:
        elsewhere.script("Kati", Reply.hit(place("Kati", 1.0, 1.0)))
        server = raw_server(_redirect_to(elsewhere.url.replace("127.0.0.1", "localhost") + "/search?q=Kati"))
        geocoder = NominatimGeocoder(server.url, cache=cache, min_delay_s=0.0, max_retries=0)
        with pytest.raises(GeocoderUnavailable, match="another host"):
            geocoder.lookup("Kati")
        assert elsewhere.requests == []
    assert cache.get(server.url, "Kati", None, 5) is None


def test_an_online_answer_off_the_globe_prints_no_geopy_warning(capsys, recwarn, monkeypatch):
    with FakeNominatim() as server:
        server.script("Zzkati", Reply.hit(place("Kati", 123.0, -800.0)))
        monkeypatch.setenv("MALI_MAP_NOMINATIM_URL", server.url)

        code, out, err = run(capsys, "--online", "geocode", "Zzkati")
    assert code == 3 and "Zzkati: not found" in out
    assert "normalization" not in err and "UserWarning" not in err and "geopy" not in err
    assert "off the globe" in err and not [w for w in recwarn if "geopy" in str(w.filename)]
