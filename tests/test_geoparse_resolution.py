"""Resolution choices on made-up candidates: when a name is answered, and with what confidence.

The places here are invented (names, points, sizes), so each test isolates one rule of
:mod:`mali_map.geoparse.resolve` from the gazetteer's contents.
"""

from __future__ import annotations

import pytest

from mali_map.geoparse.recognise import Span
from mali_map.geoparse.resolve import GUESS_FACTOR, resolve_names
from mali_map.places import Place


def village(name: str, lat: float, lon: float, country: str, population: int, query: str | None = None) -> Place:
    return Place(name, lat, lon, country, feature="village", population=population, query=query)


def resolve_one(text: str, candidates: list[Place], *, country: str | None = None):
    spans = [Span(0, len(text), text)]
    return resolve_names(spans, {text.lower(): candidates}, country=country, focus=None)[text.lower()]


def test_a_clear_leader_without_support_is_answered_with_lower_confidence():
    # One village really called Brelloc; two others list it only as an old name.
    leader = village("Brelloc", 47.1, 3.2, "FR", 9000)
    others = [village("Saint-Ouvrane", 45.0, 1.0, "FR", 700), village("Vell Brell", 41.5, 2.0, "ES", 600)]
    place, share = resolve_one("Brelloc", [leader, *others])
    assert place is not None and place.name == "Brelloc"
    # the text supports no reading (no cue, no country, a small place): a guess, and it says so
    supported, _ = resolve_one("Brelloc", [leader, *others], country="FR")
    assert place.confidence < supported.confidence
    assert place.confidence <= GUESS_FACTOR


def test_balanced_namesakes_stay_unresolved():
    twins = [village("Brelloc", 47.1, 3.2, "FR", 9000), village("Brelloc", 50.2, 4.9, "BE", 9000)]
    place, share = resolve_one("Brelloc", twins)
    assert place is None and 0.4 < share < 0.6


def test_a_county_is_placed_among_the_texts_places_in_its_region():
    from mali_map.gazetteer import Gazetteer
    from mali_map.geodesy import distance_km
    from mali_map.geoparse import Geoparser

    parser = Geoparser(Gazetteer(include_saved=False), country="US")

    def county(text):
        mentions = {m.text: m for m in parser.parse(text)}
        return mentions["Pickett County"].place, mentions

    place, mentions = county("Deputies in Pickett County searched the hills near Byrdstown and Jamestown, Tennessee.")
    towns = [mentions["Byrdstown"].place, mentions["Jamestown"].place]
    assert place.feature == "area" and place.admin1 == "Tennessee"
    assert all(distance_km(place.point, town.point) < 30 for town in towns)
    # with one town too, the county is at its own point (geodata/us_counties.json), not the state's
    alone, mentions = county("Deputies in Pickett County searched the hills near Byrdstown, Tennessee.")
    assert alone.point != mentions["Tennessee"].place.point
    assert distance_km(alone.point, mentions["Byrdstown"].place.point) < 30


@pytest.fixture(scope="module")
def us_parser():
    from mali_map.gazetteer import Gazetteer
    from mali_map.geoparse import Geoparser

    return Geoparser(Gazetteer(include_saved=False), country="")


@pytest.mark.parametrize(
    "text, name",
    [
        # the gazetteer answers a bare "Minnesota" with a village listing it as another name
        ("Schools across Minnesota closed for the storm.", "Minnesota"),
        # towns of 20,000 called Oregon exist in other states; the bare name is the state
        ("Wheat farmers in Oregon expect rain.", "Oregon"),
        # an AP abbreviation after a city is a US state, not a town abroad
        ("She moved to Tampa, Fla., last year.", "Fla."),
    ],
)
def test_a_bare_state_name_is_the_state(us_parser, text, name):
    mention = next(m for m in us_parser.parse(text) if m.text == name)
    assert mention.place is not None
    assert (mention.place.feature, mention.place.country_code) == ("admin1", "US")


def test_a_region_does_not_vouch_for_a_town_read_from_the_same_words():
    from mali_map.geoparse.resolve import _named_by_another, _named_regions

    spans = [Span(0, 9, "Minnesota"), Span(14, 21, "Oakdale", context="Minnesota")]
    region = Place("Minnesota", 46.0, -94.6, "US", feature="admin1")
    regions = _named_regions({"minnesota": spans[:1], "oakdale": spans[1:]}, {"minnesota": [region]}, None)
    assert not _named_by_another(regions, ("US", "minnesota"), "minnesota")
    assert _named_by_another(regions, ("US", "minnesota"), "oakdale")
    assert _named_by_another(regions, (None, "minnesota"), "oakdale")


def test_a_region_counts_for_its_share_of_the_country():
    from mali_map.geoparse.resolve import REGION_POPULATION_CAP, region_population

    assert region_population("US") == REGION_POPULATION_CAP  # a US state: millions, capped
    assert 0 < region_population("BM") < 20_000  # a parish of Bermuda is no match for a city
    assert region_population("LS") < REGION_POPULATION_CAP  # a district of Lesotho: a fraction of 2 million


def test_a_capital_sharing_its_name_with_a_region_of_its_country_is_the_capital():
    # In a story about its country, a bare name shared by the capital and a region is the capital.
    capital = Place("Vellmark", 38.9, -77.0, "US", feature="capital", population=700_000)
    region = Place("Vellmark", 47.3, -120.2, "US", admin1="Vellmark", feature="admin1")
    place, _ = resolve_one("Vellmark", [capital, region], country="US")
    assert place is not None and place.feature == "capital"
    # without such a city, the region keeps its bonus over a town of its name
    town = village("Vellmark", 40.0, -90.0, "US", 30_000)
    place, _ = resolve_one("Vellmark", [town, region], country="US")
    assert place is not None and place.feature == "admin1"


def test_a_countrys_own_name_is_the_country_unless_a_comma_names_the_towns_region():
    nation = Place("Vellandia", 12.0, 40.0, "XV", feature="country", population=100_000)
    town = Place("Vellandia", 40.0, -83.0, "US", admin1="Ohio", feature="town", population=20_000)
    place, _ = resolve_one("Vellandia", [nation, town], country="US")
    assert place is not None and place.feature == "country"
    spans = [Span(0, 9, "Vellandia", context="Ohio")]
    place, _ = resolve_names(spans, {"vellandia": [nation, town]}, country="US", focus=None)["vellandia"]
    assert place is not None and place.feature == "town"


def test_names_with_many_namesakes_in_one_country_vote_for_it():
    from mali_map.geoparse.resolve import document_country

    candidates, spans = {}, []
    for k, name in enumerate(("Brellow", "Quandry", "Morlake")):
        city = Place(name, 30.0 + k, 31.0, "EG", feature="city", population=900_000, confidence=0.35)
        towns = [village(name, 35.0 + k, -90.0 - j, "US", 3000).with_(confidence=0.2) for j in range(3)]
        candidates[name.lower()] = [city, *towns]  # no reading leads, but most of the weight is American
        spans.append(Span(20 * k, 20 * k + len(name), name))
    assert document_country(spans, candidates, None) == "US"
