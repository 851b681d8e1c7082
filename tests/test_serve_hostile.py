"""Hostile input to ``mali-map serve``: huge uploads, binary files, HTML in texts and in CSV cells, a
missing or wrong token when bound beyond localhost, a forged Host header, and the command's own
refusals (exit 2, one line)."""

from __future__ import annotations

import io
import sys
import zipfile

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
from click.testing import CliRunner  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from mali_map.cli import cli, main  # noqa: E402
from mali_map.web import create_app  # noqa: E402
from serve_support import RunningServer  # noqa: E402

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TOKEN = "s3cret-token-for-the-tests"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        yield client


def test_a_huge_body_is_refused_before_it_is_read(client):
    huge = b"a" * (10 * 1024 * 1024 + 1)
    answer = client.post("/api/check", content=huge, headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json() == {"error": "request too large: at most 10 MB", "exit_code": 2}
    upload = client.post("/api/map", files={"file": ("big.csv", huge, "text/csv")})
    assert upload.status_code == 413


def test_a_huge_body_sent_in_chunks_without_a_length_is_refused():
    import httpx

    def chunks():
        for _ in range(12):
            yield b"x" * (1024 * 1024)

    with RunningServer(create_app()) as server:
        answer = httpx.post(server.url + "/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413


def test_too_many_rows_or_items_or_characters_are_refused(client):
    rows = "event_date,location,latitude,longitude\n" + "2020-01-01,Kati,12.7,-8.0\n" * 50_001
    answer = client.post("/api/map", files={"file": ("many.csv", rows.encode(), "text/csv")})
    assert answer.status_code == 400
    assert answer.json()["error"] == "many.csv: too many rows: 50,001 (at most 50,000 a table)"
    many = client.post("/api/geocode", json={"queries": ["Kati"] * 10_001})
    assert many.status_code == 400 and many.json()["error"].startswith("too many queries: 10,001")
    long = client.post("/api/article", json={"text": "Kati. " * 100_000})
    assert long.status_code == 400 and long.json()["error"].startswith("text too long: 600,000 characters")


def test_binary_uploads_and_texts_are_bad_input_naming_the_clients_file(client):
    binary = bytes(range(256)) * 64
    answer = client.post("/api/map", files={"file": ("photo.csv", binary, "text/csv")})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error.startswith("photo.csv") and "binary" in error and "/tmp" not in error
    png = client.post("/api/map", files={"file": ("photo.png", b"\x89PNG\r\n\x1a\n", "image/png")})
    assert png.status_code == 400 and ".png" in png.json()["error"]
    text = client.post("/api/article", json={"text": "Kati\x00\x01\x02 is near Bamako"})
    assert text.status_code == 400
    assert text.json()["error"] == "text:1: binary data (a NUL byte), expected a text"


def test_html_in_a_report_is_data_in_the_json_and_text_in_the_outputs(client):
    report = f"date 2020-08-18\nBAMAKO - {PAYLOAD} Soldiers mutinied in Kati. Kati lies less than 10 miles from Bamako."
    answer = client.post("/api/article", json={"text": report})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    descriptions = [f["properties"]["description"] for f in answer.json()["incidents_geojson"]["features"]]
    assert any(PAYLOAD in d for d in descriptions)  # the data as given, in JSON, for the client to show as text
    assert "<script>alert" not in answer.json()["report"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(answer.json()["zip"]).content))
    assert "<script>alert" not in archive.read("report.md").decode("utf-8")
    page = client.get(answer.json()["map"]).text
    assert "<script>alert" not in page and "<img src=x" not in page


def test_html_in_csv_cells_never_reaches_the_map_as_markup(client):
    cell = PAYLOAD.replace('"', '""')
    rows = f'event_date,location,latitude,longitude,notes,actor1\n2020-08-18,Kati,12.74,-8.07,"{cell}","{cell}"\n'
    answer = client.post("/api/map", files={"file": (f"{PAYLOAD}.csv", rows.encode(), "text/csv")})
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert summary["rows"][0]["notes"] == PAYLOAD  # data in JSON; the page shows it with textContent
    page = client.get(summary["output"]).text
    assert "<script>alert" not in page and "<img src=x" not in page


def test_without_a_token_only_loopback_host_names_are_answered(client):
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    rebound = client.get("/", headers={"host": "evil.example:8000"})
    assert rebound.status_code == 403 and "127.0.0.1" in rebound.json()["error"]


def test_a_post_from_another_site_is_refused(client):
    body = {"query": "Kati"}
    evil = client.post("/api/geocode", json=body, headers={"origin": "https://evil.example"})
    assert evil.status_code == 403 and "another site" in evil.json()["error"]
    own = client.post("/api/geocode", json=body, headers={"origin": "http://127.0.0.1", "host": "127.0.0.1"})
    assert own.status_code == 200


def test_with_a_token_every_request_must_carry_it():
    with TestClient(create_app(token=TOKEN), base_url="http://192.0.2.10:8000") as client:
        for path, method in (("/", "get"), ("/docs", "get"), ("/openapi.json", "get"), ("/api/geocode", "post")):
            missing = getattr(client, method)(path, **({"json": {"query": "Kati"}} if method == "post" else {}))
            assert missing.status_code == 401, path
            assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = client.post("/api/geocode", json={"query": "Kati"}, headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.json()["exit_code"] == 2
        right = client.post("/api/geocode", json={"query": "Kati"}, headers={"authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200 and right.json()["name"] == "Kati"


def test_a_browser_opens_the_page_with_the_token_once_then_uses_its_cookie():
    with TestClient(create_app(token=TOKEN), base_url="http://192.0.2.10:8000") as client:
        assert client.get("/?token=wrong").status_code == 401
        opened = client.get(f"/?token={TOKEN}")
        assert opened.status_code == 200
        assert "HttpOnly" in opened.headers["set-cookie"] and "SameSite=Strict" in opened.headers["set-cookie"]
        assert client.post("/api/geocode", json={"query": "Kati"}).status_code == 200  # the cookie
        client.cookies.clear()
        assert client.post("/api/geocode", json={"query": "Kati"}).status_code == 401


def test_serve_refuses_another_host_without_a_token(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--host: listening on 0.0.0.0 opens the server to other machines: give --token T" in err


def test_serve_refuses_a_bad_gazetteer_before_it_listens(monkeypatch, capsys, tmp_path):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("listened despite a bad --gazetteer"))
    assert main(["serve", "--gazetteer", str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.csv" in err


def test_serve_refuses_a_short_token(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--token", "abc"]) == 2
    assert "--token: at least 16 characters" in capsys.readouterr().err


def test_serve_without_its_extra_names_the_install_command(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if uvicorn were not installed
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'mali-map[serve]'" in err and "Traceback" not in err


def test_serve_is_listed_and_documented():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--token"):
        assert option in result.output


def test_serve_with_a_token_prints_where_it_listens(monkeypatch, capsys):
    import uvicorn

    ran = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options))
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--token", TOKEN]) == 0
    err = capsys.readouterr().err
    assert "http://0.0.0.0:8123/" in err and "Authorization: Bearer" in err and TOKEN not in err
    assert (ran["host"], ran["port"]) == ("0.0.0.0", 8123)


def test_no_temporary_file_outlives_its_request(client):
    import tempfile
    from pathlib import Path

    def ours() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("mali-map-serve-*")}

    before = ours()
    with open(Path(__file__).resolve().parent.parent / "examples" / "kati-incidents.csv", "rb") as table:
        assert client.post("/api/map", files={"file": ("kati.csv", table, "text/csv")}).status_code == 200
    assert client.post("/api/map", files={"file": ("bad.csv", bytes(range(256)), "text/csv")}).status_code == 400
    assert ours() == before
