"""The Python API as a script calls it: the shapes the README promises."""

from __future__ import annotations

import pytest

import mali_map
from mali_map.errors import NoClaimFound

KATI_CLAIM = "Kati is less than 10 miles from Bamako."
TWO_CLAIMS = "Kidal lies north-east of Gao. Kidal lies south of Gao."


# --- check_claims: one entry per input text ------------------------------------------------------


def test_check_claims_gives_one_entry_per_text_in_order():
    texts = [KATI_CLAIM, "Nothing here.", TWO_CLAIMS]
    entries = mali_map.check_claims(texts)
    assert [entry.text for entry in entries] == texts
    kati, nothing, kidal = entries
    assert [r.verdict for r in kati.claims] == ["depends"] and kati.error is None and kati.ok
    assert nothing.claims == () and isinstance(nothing.error, NoClaimFound) and not nothing.ok
    assert [r.verdict for r in kidal.claims] == ["supported", "contradicted"]


def test_iter_claims_is_the_flat_sequence():
    flat = list(mali_map.iter_claims([KATI_CLAIM, "Nothing here.", TWO_CLAIMS]))
    assert [r.verdict for r in flat] == ["depends", "supported", "contradicted"]


# --- ClaimResult reads like the check JSON -------------------------------------------------------


def test_claim_result_places_read_like_the_json():
    result = mali_map.check_claim(KATI_CLAIM)
    data = result.to_dict()
    for role in ("subject", "anchor"):
        mention = getattr(result, role)
        for key, value in data[role].items():
            if key == "alternatives":
                assert len(mention.alternatives) == len(value)
            elif isinstance(value, float):
                assert getattr(mention, key) == pytest.approx(value, abs=1e-3), key
            else:
                assert getattr(mention, key) == value, key
    assert result.subject.name == "Kati" and result.anchor.name == "Bamako"


def test_unresolved_place_reads_as_none_like_the_json():
    result = mali_map.check_claim("Zzyzxqville is less than 10 km from Bamako.")
    assert result.verdict == "unresolved"
    assert result.subject.name is None and result.subject.lat is None
    assert set(result.to_dict()["subject"]) >= set(result.to_dict()["anchor"]) - {"suggestions"}


# --- country=None means the default focus everywhere ---------------------------------------------


def test_country_none_is_the_default_focus_everywhere():
    from mali_map.claims import ClaimChecker
    from mali_map.countries import DEFAULT_COUNTRY
    from mali_map.gazetteer import Gazetteer

    assert DEFAULT_COUNTRY == "ML"
    assert Gazetteer(country=None, include_saved=False).default_country == "ML"
    assert Gazetteer(country="", include_saved=False).default_country is None
    assert ClaimChecker(country=None).resolver.focus == "ML"
    assert ClaimChecker(country="").resolver.focus is None
    congo = Gazetteer(country="CG", include_saved=False)
    assert congo.lookup("Kayes").country_code == "CG"  # left out: the gazetteer's own focus
    assert congo.lookup("Kayes", country=None).country_code == "ML"  # None: the default focus
    # "the capital" follows the focus: Bamako by default, nothing without a focus
    text = "Kati is less than 20 km from the capital."
    assert mali_map.check_claim(text, country=None).anchor.name == "Bamako"
    assert mali_map.check_claim(text, country="").verdict == "unresolved"


# --- build_map takes texts and results, refuses the rest -----------------------------------------


@pytest.fixture(scope="module")
def incidents():
    return mali_map.load_incidents("examples/kati-incidents.csv")


def test_build_map_draws_text_claims_like_results(incidents):
    from mali_map.render import map_html

    from_text = map_html(mali_map.build_map(incidents, claims=["Kati is less than 10 miles from Bamako"]))
    from_result = map_html(
        mali_map.build_map(incidents, claims=[mali_map.check_claim("Kati is less than 10 miles from Bamako")])
    )
    assert "Kati is less than 10 miles from Bamako" in from_text
    assert from_text == from_result
    assert "Kati is less than 10 miles from Bamako" not in map_html(mali_map.build_map(incidents))


@pytest.mark.parametrize("bad", [[42], [{"text": "Kati is 18 km from Bamako"}], [None]])
def test_build_map_refuses_what_is_not_a_claim(incidents, bad):
    with pytest.raises(TypeError, match="a claim is a text, a Claim or a ClaimResult"):
        mali_map.build_map(incidents, claims=bad)


def test_build_map_refuses_a_text_without_a_claim(incidents):
    with pytest.raises(NoClaimFound):
        mali_map.build_map(incidents, claims=["Nothing here."])


# --- load_incidents_with_rejects unpacks as a pair ----------------------------------------------


def test_load_incidents_with_rejects_unpacks(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("latitude,longitude,event_type\n12.74,-8.07,Riots\n95,-8.0,Riots\n", encoding="utf-8")
    incidents, rejects = mali_map.load_incidents_with_rejects(path)
    assert len(incidents) == 1 and len(rejects) == 1
    loaded = mali_map.load_incidents_with_rejects(path)
    assert loaded.incidents is not None and "latitude" in loaded.rejects["reason"].iloc[0]


# --- a Place is a geopy point ---------------------------------------------------------------------


def test_place_is_a_geopy_point():
    from geopy.distance import geodesic
    from geopy.point import Point

    kati, bamako = mali_map.geocode("Kati"), mali_map.geocode("Bamako")
    assert geodesic(kati, bamako).km == pytest.approx(mali_map.distance(kati, bamako), abs=1e-6)
    assert Point(kati).latitude == kati.lat and Point(kati).longitude == kati.lon
    lat, lon = kati
    assert (lat, lon) == kati.point


# --- output text echoes what the user wrote -------------------------------------------------------


@pytest.mark.parametrize("query", ["12 miles north-east of Mopti", "à 30 km au sud de Mopti", "Gao 50km W"])
def test_offset_place_is_named_as_written(query):
    place = mali_map.geocode(query)
    assert place.name == query and place.feature == "offset"


def test_offset_name_uses_the_found_place_not_the_context():
    assert mali_map.geocode("50 km west of gao, Mali").name == "50 km west of Gao"


def run_cli(capsys, *argv):
    from mali_map.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_place_without_country_prints_without_empty_brackets(capsys, tmp_path):
    places = tmp_path / "places.csv"
    places.write_text("name,latitude,longitude\nMamassita,13.1,-5.2\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "geocode", "Mamassita", "--gazetteer", str(places))
    assert code == 0
    assert out.startswith("Mamassita: Mamassita 13.10000, -5.20000") and "()" not in out


def test_stated_claim_without_unit_is_refused_with_the_units_to_choose(capsys):
    code, out, err = run_cli(capsys, "check", "--from", "Kati", "--to", "Bamako", "--less-than", "10")
    assert code == 2 and out == ""
    assert err.strip() == "mali-map: error: --less-than: no unit in '10': say '10 km' or '10 mi'"


def test_stated_claim_echoes_the_words_given(capsys):
    code, out, _ = run_cli(
        capsys,
        "check",
        "--from",
        "Kati",
        "--to",
        "Bamako",
        "--less-than",
        "10 miles",
        "--direction",
        "north-west",
        "--json",
    )
    import json

    result = json.loads(out)
    assert result["text"] == "Kati is less than 10 miles north-west of Bamako"
    assert (result["value"], result["unit"], result["direction"]) == (10.0, "mi", "NW")


def test_stated_claim_from_python():
    from mali_map.claims import ClaimChecker
    from mali_map.claims.stated import stated_claim

    claim = stated_claim("Kati", "Bamako", "<", "10 mi")
    assert ClaimChecker().check(claim).verdict == "depends"
    with pytest.raises(mali_map.BadInput, match="no unit"):
        stated_claim("Kati", "Bamako", "<", "10")


# --- one text-file reader: --file reads what --gazetteer and map inputs read ----------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_geocode_file_reads_every_encoding_the_other_readers_read(capsys, tmp_path, encoding):
    queries = tmp_path / "queries.txt"
    queries.write_bytes("Ségou\nKati\n".encode(encoding))
    code, out, err = run_cli(capsys, "geocode", "--file", str(queries), "--json")
    assert code == 0
    import json

    assert [json.loads(line)["name"] for line in out.splitlines()] == ["Ségou", "Kati"]
    assert ("Windows-1252" in err) == (encoding == "cp1252")


def test_the_same_utf16_file_is_read_as_gazetteer_and_as_queries(capsys, tmp_path):
    places = tmp_path / "places.txt"
    places.write_bytes("name\tlatitude\tlongitude\r\nMamassita\t13,1\t-5,2\r\n".encode("utf-16"))
    queries = tmp_path / "queries.txt"
    queries.write_bytes("Mamassita\r\n".encode("utf-16"))
    code, out, _ = run_cli(capsys, "geocode", "--file", str(queries), "--gazetteer", str(places), "--json")
    assert code == 0 and '"lat": 13.1' in out


def test_check_file_reads_utf16(capsys, tmp_path):
    claims = tmp_path / "claims.txt"
    claims.write_bytes("Kati is less than 10 miles from Bamako.\n".encode("utf-16"))
    code, out, _ = run_cli(capsys, "check", "--file", str(claims))
    assert code == 3 and out.startswith("depends: Kati is less than 10 miles from Bamako.")


# --- an online geocoder is passed in --------------------------------------------------------------


class ListGeocoder:
    """An online geocoder as a user might write one: answers from a dict, records what it was asked."""

    def __init__(self, answers):
        self.answers, self.asked = answers, []

    def lookup(self, query, *, country_code=None, limit=5):
        self.asked.append(query)
        return list(self.answers.get(query, []))[:limit]


def test_gazetteer_takes_an_online_geocoder():
    from mali_map.gazetteer import Gazetteer
    from mali_map.geocoders.base import OnlineGeocoder

    village = mali_map.Place("Xqzwbougou", 13.1, -5.2, "ML", feature="village", source="mygeocoder")
    geocoder = ListGeocoder({"Xqzwbougou": [village]})
    assert isinstance(geocoder, OnlineGeocoder)
    gazetteer = Gazetteer(online=geocoder, include_saved=False)
    found = gazetteer.lookup("Xqzwbougou")
    assert (found.name, found.point, found.source) == ("Xqzwbougou", (13.1, -5.2), "mygeocoder")
    assert geocoder.asked == ["Xqzwbougou"]
    with pytest.raises(mali_map.PlaceNotFound):
        Gazetteer(include_saved=False).lookup("Xqzwbougou")


def test_render_counts_the_incident_layers(incidents):
    from mali_map.render import incident_layer_count

    by_year = mali_map.build_map(incidents, layer_by="year")
    assert incident_layer_count(by_year) == incidents["year"].nunique() == 2


class DownGeocoder:
    """An online geocoder that is never available (unhashable, as a plain dataclass would be)."""

    __hash__ = None

    def lookup(self, query, *, country_code=None, limit=5):
        raise mali_map.GeocoderUnavailable("my service is down")


def test_an_unavailable_geocoder_leaves_the_offline_answer_with_a_warning():
    from mali_map.gazetteer import Gazetteer

    warnings = []
    gazetteer = Gazetteer(online=DownGeocoder(), include_saved=False, warn=warnings.append)
    assert gazetteer.lookup("Kati").source == "geonames"
    assert warnings == ["my service is down; using offline answers only"]


# --- the README's Python section runs as written ---------------------------------------------------


def test_readme_python_example_runs_and_says_what_it_shows(tmp_path, monkeypatch, capsys):
    import re
    import shutil
    from pathlib import Path

    repo = Path(__file__).parents[1]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "examples").mkdir()
    shutil.copy(repo / "examples" / "kati-incidents.csv", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(code, "README.md", "exec"), names)
    assert names["result"].subject.name == "Kati" and names["result"].anchor.population == 4227569
    assert (tmp_path / "kati.html").stat().st_size > 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].endswith("['depends'] None") and "[] no distance or direction claim" in printed[1]
