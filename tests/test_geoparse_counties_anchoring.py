"""US counties as readings with their own points, abbreviated names, the specific-region feature, and
anchored readings (the text singles them out) with their own confidence table."""

from __future__ import annotations

import math

import pytest

from mali_map.geoparse.recognise import Span
from mali_map.places import Place

# GeoNames points of county seats, for reference
PARIS_TEXAS = (33.66094, -95.55551)  # seat of Lamar County, Texas
FORT_WORTH = (32.72541, -97.32085)  # seat of Tarrant County, Texas


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def parser():
    from mali_map.gazetteer import Gazetteer
    from mali_map.geoparse import Geoparser

    return Geoparser(Gazetteer(include_saved=False), country="")


def test_every_us_county_has_a_point_in_its_state():
    from mali_map import geodata

    counties = geodata.us_counties()
    assert len(counties) > 3000
    lamar = next(c for c in counties if c["name"] == "Lamar County" and c["state"] == "Texas")
    assert _km((lamar["lat"], lamar["lon"]), PARIS_TEXAS) < 30
    # the 50 states and DC, each with its counties
    assert len({c["state_code"] for c in counties}) == 51


def test_a_county_name_has_one_reading_per_state_that_has_it():
    from mali_map.geoparse.counties import county_places

    lamar = county_places("Lamar County")
    assert {p.admin1 for p in lamar} >= {"Texas", "Alabama", "Georgia", "Mississippi"}
    assert all(p.country_code == "US" and p.feature == "area" for p in lamar)
    assert county_places("Lamar") == [] and county_places("Bamako") == []


def test_a_county_among_its_towns_is_placed_at_the_county_not_the_state(parser):
    mentions = parser.parse("Deputies from Paris and Reno, Texas, searched Lamar County on Sunday.")
    county = next(m for m in mentions if m.text == "Lamar County")
    assert county.place is not None and county.place.admin1 == "Texas"
    assert _km(county.place.point, PARIS_TEXAS) < 30  # not Texas's centre, 400 km away


def test_a_county_cut_short_by_recognition_is_read_whole(parser):
    mentions = parser.parse("A Tarrant County Sheriff's deputy said the road was closed.")
    county = next(m for m in mentions if m.text.startswith("Tarrant"))
    assert county.text == "Tarrant County"
    assert county.place is not None and county.place.admin1 == "Texas"
    assert _km(county.place.point, FORT_WORTH) < 40


def test_saint_and_mount_written_short_are_a_places_own_name():
    from mali_map.geoparse.resolve import prior, spelled_out
    from mali_map.textnorm import name_key

    assert spelled_out(name_key("St. Petersburg")) == "saint petersburg"
    assert spelled_out(name_key("Mt. Pleasant")) == "mount pleasant"
    assert spelled_out("st") == "st"  # a lone word is not an abbreviation of anything
    city = Place("Saint Petersburg", 59.94, 30.31, "RU", feature="city", population=5_000_000)
    assert prior(city, name_key("St. Petersburg")) == prior(city, name_key("Saint Petersburg"))


def test_a_name_written_with_an_abbreviation_weighs_the_spelled_out_places(parser):
    short = {(p.name, p.country_code) for p in parser.readings("Mt. Pleasant")}
    assert {(p.name, p.country_code) for p in parser.candidates("Mount Pleasant")} <= short


def test_a_name_whose_readings_lie_in_one_region_speaks_for_it_more_than_a_common_one():
    from mali_map.geoparse.ranker import FEATURES
    from mali_map.geoparse.resolve import candidate_features

    here = Place("Quenby", 40.0, -90.0, "US", admin1="Illinois", feature="town", population=5000)
    there = Place("Quenby", 35.0, -100.0, "US", admin1="Texas", feature="town", population=5000)
    only = Place("Drossel", 40.2, -90.2, "US", admin1="Illinois", feature="town", population=3000)
    spread = [
        Place("Vellor", 30.0 + k, -95.0, "US", admin1=state, feature="town", population=2000)
        for k, state in enumerate(("Texas", "Ohio", "Iowa", "Utah"))
    ]
    spans = [Span(0, 6, "Quenby"), Span(10, 17, "Drossel"), Span(20, 26, "Vellor")]
    rows = candidate_features(
        spans, {"quenby": [here, there], "drossel": [only], "vellor": spread}, country="US", focus=None
    )["quenby"]
    specific = FEATURES.index("specific_regions")
    by_state = {place.admin1: row[specific] for row, place in rows}
    assert by_state["Illinois"] == pytest.approx(1.0)  # Drossel lies only in Illinois
    assert by_state["Texas"] == pytest.approx(0.25)  # Vellor is in four states, Texas one of them


def _capital_and_town() -> tuple[Place, Place, Place]:
    capital = Place("Vellandia", 38.9, -77.0, "US", admin1="District of Columbia", feature="capital")
    town = Place("Vellandia", 41.0, -90.0, "US", admin1="Illinois", feature="town", population=20_000)
    other = Place("Vellandia", 45.0, 10.0, "IT", feature="town", population=20_000)
    return capital, town, other


def _resolve_vellandia(readings: list[Place], context: str | None) -> tuple[Place | None, set[str]]:
    """(the place, the anchored keys) of one "Vellandia" in a US text, with ``context`` after a comma."""
    from mali_map.geoparse.resolve import resolve_names

    anchored: set[str] = set()
    spans = [Span(0, 9, "Vellandia", context=context)]
    place, _ = resolve_names(spans, {"vellandia": readings}, country="US", focus=None, anchored=anchored)["vellandia"]
    return place, anchored


def test_a_reading_singled_out_by_its_region_after_a_comma_is_anchored():
    _, town, other = _capital_and_town()
    place, anchored = _resolve_vellandia([town, other], "Illinois")
    assert place is not None and place.admin1 == "Illinois" and anchored == {"vellandia"}
    _, alone = _resolve_vellandia([town, other], None)
    assert alone == set()  # nothing in the text singles it out


def test_a_capital_of_that_name_elsewhere_in_the_country_keeps_a_reading_from_being_anchored():
    capital, town, _ = _capital_and_town()
    place, anchored = _resolve_vellandia([town, capital], "Illinois")
    assert place is not None and place.admin1 == "Illinois"
    assert anchored == set()  # "Washington, Georgia" or the capital: the comma alone is not enough


def test_anchored_readings_reach_0_9_where_others_of_the_same_share_do_not():
    from mali_map.geoparse.calibration import calibrated

    assert calibrated(0.9, anchored=True) >= 0.9 > calibrated(0.9)
    assert calibrated(0.9, wide=True, convention=True, anchored=True) < 0.9  # a large country stays capped


def test_a_town_placed_by_its_state_after_a_comma_is_reported_with_high_confidence(parser):
    mentions = parser.parse("Police in Lexington, Kentucky, said the fire began downtown.")
    lexington = next(m for m in mentions if m.text == "Lexington")
    assert lexington.place is not None and lexington.place.admin1 == "Kentucky"
    assert lexington.anchored and lexington.confidence >= 0.9


def _county(state: str, lat: float, lon: float) -> Place:
    return Place("Henry County", lat, lon, "US", admin1=state, feature="area", source="geodata", radius_km=20.0)


def test_a_town_and_the_county_named_beside_it_that_holds_it_support_each_other():
    from mali_map.geoparse.ranker import FEATURES
    from mali_map.geoparse.resolve import candidate_features

    tennessee, texas = _county("Tennessee", 36.3, -88.3), _county("Texas", 32.2, -95.9)
    inside = Place("Quenby", 36.35, -88.35, "US", admin1="Tennessee", feature="town", population=10_000)
    elsewhere = Place("Quenby", 33.6, -95.5, "US", admin1="Texas", feature="town", population=25_000)
    spans = [Span(0, 6, "Quenby"), Span(10, 22, "Henry County")]
    found = candidate_features(
        spans, {"quenby": [elsewhere, inside], "henry county": [texas, tennessee]}, country="US", focus=None
    )
    pair = FEATURES.index("county_pair")
    quenby = {place.admin1: row[pair] for row, place in found["quenby"]}
    county = {place.admin1: row[pair] for row, place in found["henry county"]}
    assert quenby == {"Tennessee": 1.0, "Texas": 0.0}  # the Texan Quenby lies 150 km from Henry County, Texas
    assert county == {"Tennessee": 1.0, "Texas": 0.0}


def test_a_us_county_name_is_enough_to_make_a_text_american():
    from mali_map.geoparse.resolve import document_country

    athens = [
        Place("Athens", 37.98, 23.73, "GR", feature="capital", population=660_000, confidence=0.99),
        Place("Athens", 32.2, -95.86, "US", admin1="Texas", feature="town", population=12_000, confidence=0.01),
    ]
    spans = [Span(0, 6, "Athens"), Span(10, 26, "Henderson County")]
    counties = [_county("Texas", 32.2, -95.85), _county("Tennessee", 35.6, -88.4)]
    assert document_country(spans, {"athens": athens, "henderson county": counties}, None) == "US"


def test_a_region_abroad_is_marked_as_such():
    from mali_map.geoparse.ranker import FEATURES
    from mali_map.geoparse.resolve import candidate_features

    parish = Place("Vellport", 18.1, -76.5, "JM", admin1="Vellport", feature="admin1")
    city = Place("Vellport", 45.5, -122.7, "US", admin1="Oregon", feature="city", population=650_000)
    abroad = FEATURES.index("region_abroad")
    for country in ("US", None):
        rows = candidate_features([Span(0, 8, "Vellport")], {"vellport": [parish, city]}, country=country, focus=None)
        assert {place.country_code: row[abroad] for row, place in rows["vellport"]} == {"JM": 1.0, "US": 0.0}
    rows = candidate_features([Span(0, 8, "Vellport")], {"vellport": [parish, city]}, country="JM", focus=None)
    assert {place.country_code: row[abroad] for row, place in rows["vellport"]} == {"JM": 0.0, "US": 0.0}
