"""The JSON API of ``mali-map serve`` through an HTTP client: the answers carry the fields of the CLI's
``--json`` (compared with the CLI's own output), errors its words and exit codes (HTTP 400 and 422),
and one test runs against a real uvicorn on a free loopback port."""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from mali_map.cli import cli  # noqa: E402
from mali_map.web import create_app  # noqa: E402
from mali_map.web.desk import _session  # noqa: E402
from serve_support import RunningServer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPORT = (ROOT / "examples" / "kati-mutiny-2020.txt").read_text(encoding="utf-8")
INCIDENTS = ROOT / "examples" / "kati-incidents.csv"
CLAIM = "Kati is less than 10 miles from Bamako"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        yield client


def cli_json(*args: str) -> list[dict]:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--json", *args])
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_geocode_answers_as_the_cli_json(client):
    answer = client.post("/api/geocode", json={"query": "Kati"})
    assert answer.status_code == 200
    assert answer.json() == cli_json("geocode", "Kati")[0]


def test_geocode_many_keeps_order_and_says_not_found(client):
    answer = client.post("/api/geocode", json={"queries": ["Bamako", "Qxqxzzyy", "12.6, -8.0"]}).json()
    assert [r["status"] for r in answer["results"]] == ["ok", "not_found", "ok"]
    assert answer["results"][0]["name"] == "Bamako"
    assert answer["results"][2]["feature"] == "coordinates"


def test_distance_answers_as_the_cli_json(client):
    answer = client.post("/api/distance", json={"a": "Kati", "b": "Bamako", "unit": "mi"})
    assert answer.status_code == 200
    assert answer.json() == cli_json("distance", "Kati", "Bamako", "--unit", "mi")[0]


def test_a_place_not_found_is_422_with_exit_code_3(client):
    answer = client.post("/api/distance", json={"a": "Kati", "b": "Qxqxzzyy"})
    assert answer.status_code == 422
    assert answer.json()["exit_code"] == 3
    assert answer.json()["error"].startswith("place not found: 'Qxqxzzyy'")


def test_check_answers_as_the_cli_json_with_the_exit_code(client):
    answer = client.post("/api/check", json={"text": CLAIM}).json()
    (claim,) = answer["claims"]
    line = claim.pop("line")
    assert claim == cli_json("check", CLAIM)[0]
    assert claim["verdict"] == "depends" and answer["exit_code"] == 3
    assert line.startswith("depends: Kati is less than 10 miles from Bamako — Centre to centre 18.3 km")


def test_check_takes_a_list_of_texts_and_names_those_without_a_claim(client):
    texts = [CLAIM, "no claim here", "Gao is more than 100 km from Bamako"]
    answer = client.post("/api/check", json={"texts": texts}).json()
    assert [c["verdict"] for c in answer["claims"]] == ["depends", "supported"]
    assert answer["unread"] == [
        {"text": "no claim here", "error": "no distance or direction claim found in 'no claim here'"}
    ]
    assert answer["exit_code"] == 3


def test_bad_input_is_400_with_the_cli_words(client):
    for body, words in (
        ({"text": "hello"}, "no distance or direction claim found in 'hello'"),
        ({}, 'give "text" (one) or "texts" (a list), not both or neither'),
        ({"text": 5}, "text: Input should be a valid string"),
    ):
        answer = client.post("/api/check", json=body)
        assert answer.status_code == 400
        assert answer.json() == {"error": words, "exit_code": 2}
    bad_unit = client.post("/api/distance", json={"a": "Kati", "b": "Bamako", "unit": "parsec"})
    assert bad_unit.status_code == 400 and "parsec" in bad_unit.json()["error"]
    not_json = client.post("/api/geocode", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["exit_code"] == 2


def test_article_reads_the_report_and_a_correction_rejudges_the_claim(client):
    answer = client.post("/api/article", json={"text": REPORT}).json()
    assert answer["title"] == "Mutiny in Kati, 18 August 2020"
    assert answer["verdicts"] == ["depends"] and answer["exit_code"] == 3
    kati = next(m for m in answer["mentions"] if m["text"] == "Kati")
    assert kati["name"] == "Kati" and kati["country_code"] == "ML" and kati["alternatives"]
    elsewhere = kati["alternatives"][0]
    corrected = client.post("/api/article", json={"text": REPORT, "corrections": [{"text": "Kati", "alternative": 0}]})
    corrected = corrected.json()
    moved = next(m for m in corrected["mentions"] if m["text"] == "Kati")
    assert (moved["name"], moved["country_code"], moved["source"]) == (
        elsewhere["name"],
        elsewhere["country_code"],
        "reader",
    )
    assert corrected["verdicts"] == ["contradicted"] and corrected["exit_code"] == 1
    assert corrected["claims"][0]["subject"]["name"] == elsewhere["name"]
    kati_incidents = [
        f for f in corrected["incidents_geojson"]["features"] if f["properties"]["place"] == moved["name"]
    ]
    assert kati_incidents and kati_incidents[0]["geometry"]["coordinates"] == [
        round(elsewhere["lon"], 6),
        round(elsewhere["lat"], 6),
    ]


def test_article_corrections_that_name_nothing_are_bad_input(client):
    for correction, words in (
        ({"text": "Timbuktu", "alternative": 0}, "no place named 'Timbuktu' in the text to correct"),
        ({"text": "Kati", "alternative": 99}, "'Kati' has no alternative number 99"),
    ):
        answer = client.post("/api/article", json={"text": REPORT, "corrections": [correction]})
        assert answer.status_code == 400
        assert answer.json()["error"].startswith(words)


def test_article_zip_holds_the_four_outputs_of_the_cli(client, tmp_path):
    from mali_map.cli import main

    answer = client.post("/api/article", json={"text": REPORT}).json()
    download = client.get(answer["zip"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert download.headers["content-disposition"] == 'attachment; filename="article.zip"'
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert sorted(archive.namelist()) == ["claims.json", "incidents.geojson", "map.html", "report.md"]
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["article", str(report), "-o", str(tmp_path / "out")]) == 3
    for name in ("claims.json", "incidents.geojson", "report.md"):
        assert archive.read(name).decode("utf-8") == (tmp_path / "out" / name).read_text(encoding="utf-8"), name


def test_map_of_an_uploaded_table_with_its_columns_and_rows(client):
    with INCIDENTS.open("rb") as table:
        answer = client.post("/api/map", files={"file": ("kati.csv", table, "text/csv")}, data={"layer_by": "year"})
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert summary["incidents"] == 11 and summary["layers"] == 2 and summary["rejected"] == 0
    assert summary["rejects_path"] is None
    assert {"event_date", "location", "year", "actor1"} <= set(summary["columns"])
    assert {row["input_file"] for row in summary["rows"]} == {"kati.csv"}  # never the server's temporary path
    page = client.get(summary["output"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'sha256-" in page.headers["content-security-policy"]
    assert "/tmp/" not in page.text
    archive = zipfile.ZipFile(io.BytesIO(client.get(summary["zip"]).content))
    assert archive.namelist() == ["map.html"]


def test_map_with_rejected_rows_gives_the_rejects_file(client):
    rows = (
        "event_date,location,latitude,longitude,notes\n2020-08-18,Kati,12.74,-8.07,ok\n2020-08-18,Nowhere,95,10,bad\n"
    )
    answer = client.post("/api/map", files={"file": ("two.csv", rows.encode(), "text/csv")}).json()
    assert answer["incidents"] == 1 and answer["rejected"] == 1
    rejects = client.get(answer["rejects_path"])
    assert rejects.status_code == 200 and "attachment" in rejects.headers["content-disposition"]
    assert "Nowhere" in rejects.text and "two.csv" in rejects.text
    archive = zipfile.ZipFile(io.BytesIO(client.get(answer["zip"]).content))
    assert sorted(archive.namelist()) == ["map.html", "map.rejects.csv"]


def test_docs_page_and_openapi_schema_list_every_route(client):
    schema = client.get("/openapi.json").json()
    routes = {"/api/geocode", "/api/distance", "/api/check", "/api/article", "/api/map"}
    assert routes <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200
    for route in routes:
        assert f"POST {route}" in docs.text
    assert "cdn" not in docs.text.lower() and "<script" not in docs.text


def test_every_response_carries_a_strict_content_security_policy(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in page.text and f'<style nonce="{nonce}">' in page.text
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
    assert client.get("/").headers["content-security-policy"] != policy  # a new nonce each time
    api = client.post("/api/geocode", json={"query": "Kati"})
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    assert api.headers["x-content-type-options"] == "nosniff"


def test_an_unknown_result_is_404_and_no_path_can_be_named(client):
    assert client.get("/results/nope/map.html").status_code == 404
    answer = client.post("/api/article", json={"text": REPORT}).json()
    key = answer["zip"].split("/")[2]
    for name in ("../../etc/passwd", "%2e%2e%2fetc%2fpasswd", "upload.csv", "/etc/passwd", "map.rejects.csv"):
        assert client.get(f"/results/{key}/{name}").status_code == 404


def test_a_slow_request_does_not_block_the_others():
    """An article that takes 1.5 s while a geocode comes in: the geocode is answered at once."""

    class SlowDesk(type(_session())):
        def article(self, *args, **kwargs):
            time.sleep(1.5)
            return super().article(*args, **kwargs)

    shared = _session()
    slow = SlowDesk(shared.gazetteer, country=shared.country)
    import httpx

    with RunningServer(create_app(session=lambda: slow)) as server:
        httpx.post(server.url + "/api/geocode", json={"query": "Kati"}, timeout=30)  # the desk is made
        finished: dict[str, float] = {}

        def article() -> None:
            httpx.post(server.url + "/api/article", json={"text": REPORT}, timeout=30)
            finished["article"] = time.monotonic()

        thread = threading.Thread(target=article)
        start = time.monotonic()
        thread.start()
        time.sleep(0.2)
        answer = httpx.post(server.url + "/api/geocode", json={"query": "Gao"}, timeout=30)
        finished["geocode"] = time.monotonic()
        thread.join()
    assert answer.json()["name"] == "Gao"
    assert finished["geocode"] < finished["article"]
    assert finished["geocode"] - start < 1.4


def test_real_uvicorn_on_loopback_answers_the_api():
    import httpx

    with RunningServer(create_app()) as server:
        answer = httpx.post(server.url + "/api/check", json={"text": CLAIM}, timeout=30)
        page = httpx.get(server.url + "/", timeout=30)
    assert answer.status_code == 200 and answer.json()["claims"][0]["verdict"] == "depends"
    assert page.status_code == 200 and "mali-map desk" in page.text


def test_article_files_are_links_to_each_output(client):
    answer = client.post("/api/article", json={"text": REPORT}).json()
    assert sorted(answer["files"]) == ["claims.json", "incidents.geojson", "map.html", "report.md"]
    claims = client.get(answer["files"]["claims.json"])
    assert claims.status_code == 200 and json.loads(claims.text)[0]["verdict"] == "depends"
    geojson = client.get(answer["files"]["incidents.geojson"]).json()
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == answer["incidents"]
    assert client.get(answer["files"]["report.md"]).text.startswith("# Mutiny in Kati, 18 August 2020")


def test_map_draws_the_claims_it_is_given_as_map_does(client):
    with INCIDENTS.open("rb") as table:
        answer = client.post(
            "/api/map", files={"file": ("kati.csv", table, "text/csv")}, data={"claim": [CLAIM], "title": "Kati"}
        )
    claims = answer.json()["claims"]
    assert [c["verdict"] for c in claims] == ["depends"] and claims[0] == cli_json("check", CLAIM)[0]
    with INCIDENTS.open("rb") as table:
        no_claim = client.post("/api/map", files={"file": ("kati.csv", table, "text/csv")}, data={"claim": ["hello"]})
    assert no_claim.status_code == 400 and no_claim.json()["error"].startswith("no distance or direction claim")


def test_the_output_link_lists_the_results_files(client):
    answer = client.post("/api/article", json={"text": REPORT}).json()
    listing = client.get(answer["output"]).json()["files"]
    assert listing == {**answer["files"], "article.zip": answer["zip"]}
    assert client.get("/results/unknown/").status_code == 404
