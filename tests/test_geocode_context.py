"""Context is a constraint: the country a query names, --only, regions, plausible misspellings, stable answers."""

import json

import pytest

from mali_map.cli import main
from mali_map.errors import PlaceNotFound
from mali_map.gazetteer import Gazetteer


def run_json(capsys, *argv):
    code = main(list(argv) + ["--json"])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.mark.parametrize("query", ["Pepa, Mopti, Mali", "Wa, Segou, Mali", "Wani, Segou, Mali", "Wa, ML"])
def test_a_country_named_in_the_query_is_never_contradicted(gazetteer, query):
    """Pepa (DR Congo), Wa (Ghana), Wani (India) exist, but not in Mali: not found, never abroad."""
    with pytest.raises(PlaceNotFound):
        gazetteer.lookup(query)


def test_places_abroad_are_listed_as_outside_alternatives(gazetteer):
    place = gazetteer.lookup("Kayes, Mali", country="CG")
    assert place.country_code == "ML"
    congo = [a for a in place.alternatives if a.country_code == "CG"]
    assert congo and all(a.outside and a.score == 0.0 for a in congo)
    assert not any(a.outside for a in gazetteer.lookup("Kayes").alternatives)


def test_not_found_json_suggests_only_places_of_the_named_country(capsys):
    code, (answer,), _ = run_json(capsys, "geocode", "Adiora, Tombouctou, Mali")
    assert code == 3 and answer["status"] == "not_found"
    assert answer["suggestions"] and all(s.endswith("(ML)") for s in answer["suggestions"])


def test_suggestions_ignore_places_abroad_when_a_country_is_named(capsys):
    """'Ti-n-Taghamagh' once suggested a place in the United States."""
    _, (answer,), _ = run_json(capsys, "geocode", "Ti-n-Taghamagh, Gao, Mali")
    assert answer["status"] == "not_found"
    assert not any("(US)" in s for s in answer["suggestions"])


def test_a_match_in_another_region_costs_confidence_and_is_flagged(capsys):
    _, (north, home), _ = run_json(capsys, "geocode", "Kati, Tombouctou, Mali", "Kati, Koulikoro, Mali")
    assert north["name"] == "Kati" and north["country_code"] == "ML"
    assert north["region_mismatch"] is True and home["region_mismatch"] is False
    assert north["confidence"] < home["confidence"] - 0.5


def test_region_spellings_are_resolved(gazetteer):
    """'Segou' is the region Ségou; 'Timbuktu' the region Tombouctou, through its city."""
    assert not gazetteer.lookup("Markala, Segou, Mali").region_mismatch
    assert not gazetteer.lookup("Niafunke, Timbuktu, Mali").region_mismatch


def test_answers_outside_the_focus_cost_confidence(gazetteer):
    at_home = gazetteer.lookup("Wa", country="GH")
    abroad = gazetteer.lookup("Wa", country="ML")
    assert at_home.country_code == abroad.country_code == "GH"
    assert abroad.confidence < at_home.confidence


def test_only_is_a_hard_filter(capsys):
    code, (kayes, paris), _ = run_json(capsys, "--only", "CG", "geocode", "Kayes", "Paris")
    assert kayes["country_code"] == "CG"
    assert paris["status"] == "not_found" and code == 3
    code, (paris,), _ = run_json(capsys, "geocode", "Paris", "--only", "ML", "--only", "FR")
    assert paris["country_code"] == "FR"


def test_only_rejects_a_bad_code(capsys):
    assert main(["geocode", "Kati", "--only", "Mali"]) == 2
    assert "--only" in capsys.readouterr().err


def test_only_rejects_an_unknown_code_rather_than_answer_not_found(capsys):
    # "XX" would filter out every place and read as "not found": a lie about the data
    assert main(["geocode", "Kati", "--only", "XX"]) == 2
    assert "not a known" in capsys.readouterr().err


def test_only_in_python():
    import mali_map

    assert mali_map.geocode("Kayes", only="CG").country_code == "CG"
    with pytest.raises(PlaceNotFound):
        mali_map.geocode("Paris", only=["ML"])
    assert Gazetteer(include_saved=False, only=["CG"]).lookup("Kayes").country_code == "CG"


@pytest.mark.parametrize("query", ["Diabaly", "Boni", "Adiora, Tombouctou, Mali", "Diabaly, Segou, Mali"])
def test_implausible_misspellings_are_suggestions_not_answers(gazetteer, query):
    """Unknown Malian villages once became Dubai, Bonn and Andorra la Vella."""
    with pytest.raises(PlaceNotFound):
        gazetteer.lookup(query)


def test_a_close_misspelling_in_context_is_answered(gazetteer):
    assert gazetteer.lookup("Tombuctou, Mali").name == "Timbuktu"
    assert gazetteer.lookup("Bamakko").name == "Bamako"


def test_a_misspelling_is_not_answered_from_another_region(tmp_path):
    """A close name in the wrong region is a suggestion, not an answer."""
    places = tmp_path / "p.csv"
    places.write_text("name,latitude,longitude,country_code,admin1\nDougabougou,13.4,-6.0,ML,Ségou\n")
    gazetteer = Gazetteer([places], include_saved=False)
    assert gazetteer.lookup("Dougabougu, Segou, Mali").name == "Dougabougou"
    with pytest.raises(PlaceNotFound) as error:
        gazetteer.lookup("Dougabougu, Kidal, Mali")
    assert any("Dougabougou" in s for s in error.value.suggestions)


def test_a_hamlet_does_not_shake_a_town(tmp_path, gazetteer):
    """A hamlet named Kati near Timbuktu must not make Kati (130,000 people, near Bamako) less certain."""
    hamlets = tmp_path / "hamlets.csv"
    hamlets.write_text("name,latitude,longitude,country_code,feature\nKati,16.70,-3.10,ML,village\n")
    before = gazetteer.lookup("Kati")
    after = Gazetteer([hamlets], include_saved=False).lookup("Kati")
    assert after.point == before.point
    assert after.confidence >= before.confidence - 0.02
    assert after.confidence >= 0.85


def test_an_implausible_stated_region_is_not_trusted(tmp_path):
    """A southern point with a northern region code is no evidence for the north."""
    places = tmp_path / "p.csv"
    places.write_text("name,latitude,longitude,country_code,admin1\nZorokoro,11.2,-7.6,ML,Kidal\n")
    gazetteer = Gazetteer([places], include_saved=False)
    place = gazetteer.lookup("Zorokoro, Kidal, Mali")
    assert place.name == "Zorokoro" and place.confidence < 0.5
    assert not gazetteer.lookup("Zorokoro, Sikasso, Mali").region_mismatch


def test_a_missing_region_is_estimated_from_the_point(tmp_path):
    """No admin1 in the file: the nearest region centre tells Koulikoro from Gao."""
    places = tmp_path / "p.csv"
    places.write_text("name,latitude,longitude,country_code\nDangatene,12.95,-7.45,ML\nDangatene,16.3,-0.5,ML\n")
    gazetteer = Gazetteer([places], include_saved=False)
    assert gazetteer.lookup("Dangatene, Koulikoro, Mali").lat == 12.95
    assert gazetteer.lookup("Dangatene, Gao, Mali").lat == 16.3


# -- maps: rows geocoded by name -------------------------------------------------------------


def test_map_rejects_rows_outside_their_country_and_below_min_confidence(tmp_path, capsys):
    """Pepa exists in DR Congo, not in Mali; Kati in Tombouctou region is the wrong Kati (low confidence)."""
    import pandas as pd

    source = tmp_path / "rows.csv"
    source.write_text(
        "location,admin1,country,event_type\n"
        "Gao,Gao,Mali,Battles\n"
        "Pepa,Mopti,Mali,Battles\n"
        "Kati,Tombouctou,Mali,Battles\n"
        "Xyzzyville,Gao,Mali,Battles\n"
    )
    out = tmp_path / "rows.html"
    assert main(["map", str(source), "-o", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["incidents"] == 1
    assert summary["rejected_by_reason"] == {
        "outside its country": 1,
        "below --min-confidence": 1,
        "place not found": 1,
    }
    reasons = pd.read_csv(tmp_path / "rows.rejects.csv", dtype=str).set_index("location")["reason"]
    assert "CD" in reasons["Pepa"] and "Pepa" in reasons["Pepa"]
    assert reasons["Kati"].startswith("below --min-confidence 0.5") and "Kati (Koulikoro, ML)" in reasons["Kati"]
    # A lower threshold lets the doubtful row through.
    assert main(["map", str(source), "-o", str(out), "--min-confidence", "0.05", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["incidents"] == 2


def test_map_only_rejects_rows_outside_the_allowed_countries(tmp_path, capsys):
    source = tmp_path / "rows.csv"
    source.write_text("location,event_type\nKayes,Battles\nParis,Battles\n")
    out = tmp_path / "rows.html"
    assert main(["map", str(source), "-o", str(out), "--only", "ML", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["incidents"] == 1 and summary["rejected_by_reason"] == {"outside its country": 1}


def test_min_confidence_must_be_a_share(tmp_path, capsys):
    source = tmp_path / "rows.csv"
    source.write_text("location,event_type\nKayes,Battles\n")
    assert main(["map", str(source), "-o", str(tmp_path / "m.html"), "--min-confidence", "2"]) == 2


def test_the_only_namesake_in_another_region_is_flagged_not_certain(tmp_path):
    """With an OSM-like list (no regions), 'Dangatene, Koulikoro, Mali' once found one 680 km away at 1.00."""
    places = tmp_path / "osm.csv"
    places.write_text("name,latitude,longitude,country_code,feature\nDangaténé,16.3,-0.5,ML,village\n")
    place = Gazetteer([places], include_saved=False).lookup("Dangatene, Koulikoro, Mali")
    assert place.region_mismatch and place.confidence < 0.5


def test_text_output_says_when_the_region_differs_and_what_lies_outside(capsys):
    assert main(["geocode", "Kati, Tombouctou, Mali", "Kayes, Mali"]) == 0
    out = capsys.readouterr().out
    assert "in another region than the query names" in out
    assert "same name outside the country asked for: Kayes (CG)" in out


def test_a_list_without_countries_still_answers_a_query_naming_one(tmp_path):
    """A user's CSV with only name and coordinates: its points lie in Mali by the outline."""
    places = tmp_path / "villages.csv"
    places.write_text("name,latitude,longitude\nDangatene,12.95,-7.45\n")
    gazetteer = Gazetteer([places], include_saved=False)
    place = gazetteer.lookup("Dangatene, Koulikoro, Mali")
    assert place.lat == 12.95 and not place.region_mismatch
    with pytest.raises(PlaceNotFound):
        gazetteer.lookup("Dangatene, Niger")
    # Without a country in the query, such a point in the focus country is no foreign answer.
    assert gazetteer.lookup("Dangatene").confidence >= 0.5


def test_map_only_rejects_a_row_of_another_country_as_outside(tmp_path, capsys):
    source = tmp_path / "rows.csv"
    source.write_text("location,country,event_type\nKati,Mali,Battles\nOuahigouya,Burkina Faso,Battles\n")
    assert main(["map", str(source), "-o", str(tmp_path / "m.html"), "--only", "ML", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["incidents"] == 1 and summary["rejected_by_reason"] == {"outside its country": 1}


def test_the_embedded_bamba_with_a_wrong_region_code_is_not_trusted(gazetteer):
    """GeoNames has a 'Bamba' at 10.4 N (far south) with the code of the Gao region (far north)."""
    place = gazetteer.lookup("Bamba, Gao, Mali")
    assert place.lat < 11 and place.region_mismatch and place.confidence < 0.5


def test_a_country_alone_does_not_make_a_misspelling_plausible(tmp_path):
    """Random village names come close to some hamlet or short name: with only the country
    as context, a close name of a village is a suggestion, not an answer (a named region that
    agrees still makes it one)."""
    places = tmp_path / "p.csv"
    places.write_text("name,latitude,longitude,country_code,admin1,feature\nZankelebougou,13.4,-6.0,ML,Ségou,village\n")
    gazetteer = Gazetteer([places], include_saved=False)
    with pytest.raises(PlaceNotFound) as error:
        gazetteer.lookup("Zankelebougu, Mali")
    assert any("Zankelebougou" in s for s in error.value.suggestions)
    assert gazetteer.lookup("Zankelebougu, Segou, Mali").name == "Zankelebougou"


@pytest.mark.parametrize("query", ["Dotumba, Mali", "Gikasso, Mali", "Hikaso, Mali"])
def test_villages_and_changed_first_letters_are_not_answered_by_country_alone(gazetteer, query):
    """'Dotumba' is one letter from the village Doumba, 'Gikasso' and 'Hikaso' from Sikasso but
    with another first letter: random strings of village shape land that close about once in a hundred."""
    with pytest.raises(PlaceNotFound):
        gazetteer.lookup(query)


def test_random_village_names_are_not_answered_and_stay_quick(gazetteer):
    """Hundreds of unknown names of village shape, country Mali: almost none answered, and fast."""
    import random
    import time

    rng = random.Random(3)
    consonants, vowels = "bdfgkklmmnnsstwyzhr", "aaeiioouu"
    names = {
        "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4))).capitalize()
        for _ in range(600)
    }
    unknown = [n for n in sorted(names) if not gazetteer._exact(n.lower())]
    start = time.perf_counter()
    places = gazetteer.lookup_many([f"{n}, Mali" for n in unknown])
    seconds = time.perf_counter() - start
    answered = [(n, p.name) for n, p in zip(unknown, places) if p is not None]
    assert len(answered) <= len(unknown) // 200, answered
    assert seconds < 3.0


def test_a_misspelling_guessed_abroad_is_no_candidate_found_elsewhere(tmp_path, capsys):
    """'Kolikoro' (a row in Burkina Faso) is no place anywhere: the rejects file once named Koulikoro (ML)
    as "the candidate found", a guess at a misspelling made only to explain the refusal."""
    import pandas as pd

    source = tmp_path / "rows.csv"
    source.write_text(
        "location,country,event_type\nKolikoro,Burkina Faso,Battles\nKati,Burkina Faso,Battles\nGao,Mali,Battles\n"
    )
    assert main(["map", str(source), "-o", str(tmp_path / "m.html"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rejected_by_reason"] == {"outside its country": 1, "place not found": 1}
    reasons = pd.read_csv(tmp_path / "m.rejects.csv", dtype=str).set_index("location")["reason"]
    assert reasons["Kolikoro"].startswith("place not found") and "Koulikoro" not in reasons["Kolikoro"]
    assert "Kati (Koulikoro, ML)" in reasons["Kati"]
