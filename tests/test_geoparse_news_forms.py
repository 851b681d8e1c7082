"""Recognition of forms common in news prose: institutions of a state, hyphenated compounds,
a capital speaking for its government. Every text here is written for these tests."""

from __future__ import annotations

import pytest

from mali_map.geoparse import Geoparser


@pytest.fixture(scope="module")
def parser():
    from mali_map.gazetteer import Gazetteer

    return Geoparser(Gazetteer(include_saved=False), country="ML")


def found(parser, text):
    return {
        m.text: (m.place.name if m.place else None, m.place.country_code if m.place else None)
        for m in parser.parse(text)
        if m.kind != "descriptor"
    }


def test_an_institution_of_a_country_or_state_names_it(parser):
    got = found(parser, "A U.S. Attorney and the Nebraska House both asked Bamako for the file.")
    assert got["U.S."] == ("United States", "US")
    assert got["Nebraska"][1] == "US"


def test_a_person_who_shares_a_state_name_is_still_a_person(parser):
    got = found(parser, "The novelist Virginia Woolf wrote about London.")
    assert "Virginia" not in got and "Virginia Woolf" not in got


def test_hyphenated_compounds_with_a_place(parser):
    got = found(parser, "A Bamako-based charity studied Mali-Niger trade and Senegalese-Malian ties.")
    assert got["Bamako"] == ("Bamako", "ML")
    assert got["Mali"][1] == "ML" and got["Niger"][1] == "NE"
    assert "Senegalese" in got and "Malian" in got


def test_a_hyphenated_name_the_gazetteer_knows_stays_whole(parser):
    got = found(parser, "Aid reached Guinea-Bissau on Monday.")
    assert got == {"Guinea-Bissau": ("Guinea-Bissau", "GW")}


def test_a_capital_speaking_for_its_government(parser):
    got = found(parser, "Officials met in Niamey. Dakar says the border stays open.")
    assert got["Dakar"] == ("Dakar", "SN")


def test_the_state_is_not_a_place_name(parser):
    assert found(parser, "The state will pay for the new bridge, officials said.") == {}


def test_a_place_word_inside_a_longer_name_is_not_the_place(parser):
    got = found(parser, "The case went to Pickett County Superior Court. Charities of Greater Dakar agreed.")
    assert "Superior" not in got
    assert got["Dakar"] == ("Dakar", "SN")


def test_america_alone_is_the_united_states_but_not_inside_a_continent(parser):
    got = found(parser, "Voters across America were asked about aid to Latin America and South America.")
    assert got == {"America": ("United States", "US"), "South America": ("South America", None)}
    got = found(parser, "Aid to South America. Voters across America.")
    assert got["America"] == ("United States", "US") and got["South America"][0] == "South America"


def test_us_in_capitals_is_the_country_but_not_in_a_shouted_line(parser):
    got = found(parser, "Aid from the US reached Gao. Give us time, she said.")
    assert got["US"] == ("United States", "US")
    assert "us" not in {name.lower() for name in got if name != "US"}
    assert "US" not in found(parser, "LET US PRAY FOR PEACE")


def test_a_lawmakers_party_and_home_town(parser):
    got = found(parser, "Sen. Ann Brooks, D-Nashville, and Rep. Tom Hale, R-Tenn., voted for the bill.")
    assert got["Nashville"][1] == "US"
    assert got["Tenn."] == ("Tennessee", "US")


def test_residents_of_a_place_make_it_a_place_whatever_else_the_text_says(parser):
    mentions = [m for m in parser.parse("Kidal says the road is shut. Kidal residents told reporters.") if m.place]
    assert [m.text for m in mentions] == ["Kidal", "Kidal"]
    assert all(m.place.country_code == "ML" for m in mentions)  # "Kidal says" is the town speaking


def test_a_town_the_text_places_is_not_a_person_for_a_reporting_verb(parser):
    text = (
        "Ardmore residents marched on Friday. Ardmore says no to the new tax, and the vote in Ardmore is set for June."
    )
    got = [m.text for m in parser.parse(text) if m.kind != "descriptor"]
    assert got.count("Ardmore") == 3


def test_a_person_with_a_reporting_verb_stays_a_person_without_place_evidence(parser):
    got = found(parser, "Kenner said the plan would fail.")
    assert "Kenner" not in got


def test_an_institution_of_government_is_not_the_town_of_its_name(parser):
    got = found(parser, "A White House aide and Congress met. The fair opened in White House, Tenn.")
    assert "Congress" not in got and got["White House"] == ("White House", "US")
    assert [m.text for m in parser.parse("The White House's decision came late.")] == []


def test_a_compound_compass_word_is_not_a_place_without_a_cue(parser):
    got = found(parser, "They marched along Northwest Eighth Avenue and Northwest 34th Street.")
    assert "Northwest" not in got


def test_of_before_a_name_does_not_make_a_speaker_a_place(parser):
    text = "Kenner said the plan would fail. The wife of Kenner agreed, and Kenner's office said so."
    assert [m.text for m in parser.parse(text)].count("Kenner") <= 1  # at most the one after "of"


def test_a_name_after_a_middle_initial_is_a_surname(parser):
    got = found(parser, "The board named Ann J. Kenner and David W. Tucson; Kenner thanked Tucson.")
    assert "Kenner" not in got and "Tucson" not in got
    assert found(parser, "Rain fell on Tucson.")["Tucson"][1] == "US"


def test_a_continent_is_the_continent(parser):
    got = {m.text: m.place for m in parser.parse("Grain from Europe reached West Africa and South America.") if m.place}
    assert got["Europe"].name == "Europe" and 40 < got["Europe"].lat < 60 and got["Europe"].radius_km > 1000
    africa = next(p for text, p in got.items() if text.endswith("Africa"))
    assert -35 < africa.lat < 37 and -18 < africa.lon < 52
    assert got["South America"].lat < 0


def test_a_state_whose_name_the_gazetteer_gives_a_town_is_found_without_a_cue(parser):
    # the gazetteer answers "Minnesota" with the town Minneota, which lists it as another name
    got = found(parser, "The census is critical for Minnesota, officials said.")
    assert got["Minnesota"] == ("Minnesota", "US")


def test_way_ends_a_street_only_with_an_address(parser):
    assert found(parser, "The Harmony Way charity and Charity Way volunteers raised funds.") == {}
    got = found(parser, "The crash was on Kelloway Way, and a fire hit 120 Brindle Way.")
    assert "Kelloway Way" in got and "Brindle Way" in got


def test_a_country_before_a_plural_title_is_the_country(parser):
    got = found(parser, "U.S. Sens. Ann Brooks and Tom Hale voted, as did U.S. Reps. Lee Park and Al Moss.")
    assert got["U.S."] == ("United States", "US")
