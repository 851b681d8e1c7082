"""What a document says beyond its own words: a large country's point as a convention, US county names
as context, New York state's own point, and a country's name that a town abroad shares."""

from __future__ import annotations

import pytest

from mali_map.geoparse.recognise import DEMONYM, Span
from mali_map.geoparse.resolve import _named_regions, resolve_names
from mali_map.places import Place


def test_a_large_countrys_point_is_a_convention_and_never_reaches_0_9():
    from mali_map.geoparse.calibration import calibrated, point_is_convention

    assert point_is_convention("country", "CA") and point_is_convention("town", "US", demonym=True)
    # Luxembourg lies within 161 km of any point of it; a town is not a country
    assert not point_is_convention("country", "LU") and not point_is_convention("town", "CA")
    assert calibrated(0.99, wide=True) >= 0.9 > calibrated(0.99, wide=True, convention=True)


def test_canada_read_from_a_text_is_not_sure_of_its_point():
    from mali_map.geoparse import Geoparser

    mentions = Geoparser(country="").parse("Officials in Canada met Canadians in Ottawa.")
    wide = [m for m in mentions if m.place is not None and m.place.country_code == "CA" and m.text != "Ottawa"]
    assert wide and all(m.confidence < 0.9 for m in wide)


def test_us_county_names_know_their_states():
    from mali_map.geoparse.counties import county_states

    assert county_states("Edgar County") == {"Illinois"}
    assert {"Tennessee", "Kentucky"} <= county_states("Henry County")
    assert county_states("Bamako") == frozenset()


def test_a_county_only_one_state_has_names_that_state():
    spans = [Span(0, 12, "Edgar County"), Span(20, 25, "Paris")]
    regions = _named_regions({"edgar county": spans[:1], "paris": spans[1:]}, {}, None)
    assert regions[("US", "illinois")] == {"edgar county"}
    several = _named_regions({"henry county": [Span(0, 12, "Henry County")]}, {}, None)
    assert not any(code == "US" for code, _ in several)  # ten states have one: none is named


def test_a_county_alone_is_placed_in_its_only_state():
    from mali_map.geoparse import Geoparser

    mentions = Geoparser(country="").parse("The barn burned, the Edgar County sheriff said.")
    county = next(m for m in mentions if m.text == "Edgar County")
    assert county.place is not None and county.place.admin1 == "Illinois" and county.place.country_code == "US"


def test_new_york_state_is_at_its_own_point_not_the_city():
    from mali_map import geodata

    state = next(r for r in geodata.admin1_regions() if r["iso_code"] == "US-NY")
    assert state["lat"] == pytest.approx(43.0, abs=0.1) and state["lon"] == pytest.approx(-75.5, abs=0.1)


def _lebanon(spans: list[Span], country: str) -> float:
    nation = Place("Lebanon", 33.8, 35.8, "LB", feature="country", population=6_800_000)
    town = Place("Lebanon", 40.0, -86.5, "US", feature="town", population=15_000, admin1="Indiana")
    place, share = resolve_names(spans, {"lebanon": [nation, town]}, country=country, focus=None)["lebanon"]
    assert place is not None and place.country_code == "LB"
    return share


def test_a_country_name_a_town_abroad_shares_is_doubted_when_nothing_else_supports_it():
    alone = _lebanon([Span(0, 7, "Lebanon")], "LB")
    supported = _lebanon([Span(0, 7, "Lebanon"), Span(20, 28, "Lebanese", kind=DEMONYM, country="LB")], "LB")
    assert alone < supported
    assert _lebanon([Span(0, 7, "Lebanon")], "") < supported  # the text's country unknown


def test_a_county_of_several_states_is_placed_only_in_one_of_them():
    from mali_map.geoparse import Geoparser

    parser = Geoparser(country="")
    texan = parser.parse("Officials in Dallas, Austin and Houston said the Henry County sheriff left.")
    assert next(m for m in texan if m.text == "Henry County").place is None  # Texas has no Henry County
    tennessee = parser.parse("Officials in Nashville, Knoxville and Memphis said the Henry County sheriff left.")
    county = next(m for m in tennessee if m.text == "Henry County").place
    assert county is not None and county.admin1 == "Tennessee"
