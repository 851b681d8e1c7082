"""The geocode and distance commands, run in-process: output, JSON fields, exit codes."""

import json

import pytest

from mali_map.cli import main

PLACE_FIELDS = {
    "name",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "feature",
    "population",
    "source",
    "confidence",
    "alternatives",
}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def json_lines(out):
    return [json.loads(line) for line in out.splitlines()]


def test_geocode_kati_bamako_offline(capsys):
    code, out, _ = run(capsys, "geocode", "Kati", "Bamako", "--json")
    assert code == 0
    kati, bamako = json_lines(out)
    assert {"query", "status"} | PLACE_FIELDS <= set(kati)
    assert (kati["status"], kati["lat"], kati["lon"]) == ("ok", 12.74409, -8.07257)
    assert (bamako["lat"], bamako["lon"], bamako["country_code"]) == (12.60915, -7.97522, "ML")


def test_common_options_before_or_after_the_command(capsys):
    before = run(capsys, "--json", "--country", "CG", "geocode", "Kayes")
    after = run(capsys, "geocode", "Kayes", "--country", "CG", "--json")
    assert before == after
    assert json_lines(before[1])[0]["country_code"] == "CG"


def test_no_country_focus(capsys):
    code, out, _ = run(capsys, "geocode", "Paris", "--country", "", "--json")
    assert json_lines(out)[0]["country_code"] == "FR"


def test_human_output_names_the_place_and_confidence(capsys):
    code, out, _ = run(capsys, "geocode", "Kati")
    assert code == 0
    assert "Kati (Koulikoro, ML) 12.74409, -8.07257" in out and "confidence" in out


def test_not_found_exits_3_and_says_did_you_mean(capsys):
    code, out, err = run(capsys, "geocode", "Kati", "Bmkoo", "--json")
    assert code == 3
    kati, missing = json_lines(out)
    assert kati["status"] == "ok"
    assert missing["status"] == "not_found" and missing["lat"] is None
    assert any("Bamako" in s for s in missing["suggestions"])
    assert "did you mean" in err and len(err.strip().splitlines()) == 1


def test_queries_from_a_file(capsys, tmp_path):
    file = tmp_path / "places.txt"
    file.write_text("# places from a report\nKati\n\nGao 50km W\nTombouctou\n", encoding="utf-8")
    code, out, _ = run(capsys, "geocode", "--file", str(file), "--json")
    assert code == 0
    assert [r["name"] for r in json_lines(out)] == ["Kati", "Gao 50km W", "Timbuktu"]  # offsets as written


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"", "empty input"), (b"\x00\x01\x02binary", "binary"), (b"\xff\xfeK\x00a", "UTF-16")],
)
def test_bad_query_files_exit_2_with_one_line(capsys, tmp_path, content, message):
    file = tmp_path / "queries.txt"
    if content is not None:
        file.write_bytes(content)
    code, out, err = run(capsys, "geocode", "--file", str(file))
    assert code == 2 and out == ""
    assert message in err and str(file) in err
    assert len(err.strip().splitlines()) == 1


def test_no_query_is_a_usage_error(capsys):
    code, _, err = run(capsys, "geocode")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_unknown_option_is_one_line_exit_2(capsys):
    code, _, err = run(capsys, "geocode", "Kati", "--frobnicate")
    assert code == 2 and "frobnicate" in err and len(err.strip().splitlines()) == 1


def test_distance_json(capsys):
    code, out, _ = run(capsys, "distance", "Kati", "Bamako", "--json")
    assert code == 0
    result = json_lines(out)[0]
    assert result["distance_km"] == pytest.approx(18.29, abs=0.005)
    assert result["distance_mi"] == pytest.approx(11.37, abs=0.005)
    assert result["from"]["name"] == "Kati" and result["to"]["name"] == "Bamako"
    assert result["bearing_deg"] == pytest.approx(144.7, abs=0.1) and result["compass"] == "SE"


@pytest.mark.parametrize(
    "unit, value", [("mi", "11.37 mi"), ("nmi", "9.88 nmi"), ("m", "18,293.95 m"), ("km", "18.29 km")]
)
def test_distance_units(capsys, unit, value):
    code, out, _ = run(capsys, "distance", "Kati", "Bamako", "--unit", unit)
    assert code == 0 and value in out


def test_distance_accepts_coordinates(capsys):
    code, out, _ = run(capsys, "distance", "12.60915, -7.97522", "Kati", "--json")
    result = json_lines(out)[0]
    assert result["from"]["feature"] == "coordinates"
    assert result["distance_km"] == pytest.approx(18.29, abs=0.005)
    assert result["compass"] == "NW"


def test_distance_to_an_unknown_place_exits_3(capsys):
    code, out, err = run(capsys, "distance", "Kati", "Qqxzyvw")
    assert code == 3 and out == "" and "Qqxzyvw" in err


def test_distance_bad_unit_exits_2(capsys):
    code, _, err = run(capsys, "distance", "Kati", "Bamako", "--unit", "furlong")
    assert code == 2 and "furlong" in err


def test_bad_coordinates_exit_2(capsys):
    code, _, err = run(capsys, "distance", "95.0, 10.0", "Kati")
    assert code == 2 and "latitude" in err
