"""Offline geocoding with the embedded gazetteer: matching, disambiguation, confidence, offsets."""

from bisect import bisect_left, bisect_right

import pytest

from mali_map.errors import BadInput, PlaceNotFound
from mali_map.geodesy import inverse

KATI = (12.74409, -8.07257)
BAMAKO = (12.60915, -7.97522)


def test_kati_and_bamako_are_at_their_geonames_points(gazetteer):
    kati, bamako = gazetteer.lookup("Kati"), gazetteer.lookup("Bamako")
    assert kati.point == KATI and bamako.point == BAMAKO
    assert (kati.country_code, kati.admin1, kati.source) == ("ML", "Koulikoro", "geonames")
    assert bamako.feature == "capital"
    assert kati.confidence >= 0.85 and bamako.confidence > 0.9  # calibrated: see gazetteer/calibration.py


def test_extent_grows_with_population(gazetteer):
    kati, bamako = gazetteer.lookup("Kati"), gazetteer.lookup("Bamako")
    assert 2 < kati.radius_km < 5
    assert 8 < bamako.radius_km < 13


@pytest.mark.parametrize("spelling", ["Ségou", "SEGOU", "segou", " Ségou. ", "Se\u0301gou"])
def test_case_accents_and_punctuation_do_not_matter(gazetteer, spelling):
    place = gazetteer.lookup(spelling)
    assert place.name == "Ségou" and place.country_code == "ML"


@pytest.mark.parametrize("alias", ["Tombouctou", "Timbuktu", "Timbuctoo"])
def test_alternate_names(gazetteer, alias):
    assert gazetteer.lookup(alias).name == "Timbuktu"


def test_main_name_is_more_certain_than_an_alternate_name(gazetteer):
    assert gazetteer.lookup("Tombouctou").confidence < gazetteer.lookup("Timbuktu").confidence


@pytest.mark.parametrize("typo, name", [("Tombuctou", "Timbuktu"), ("Bamakko", "Bamako"), ("Sikkassso", "Sikasso")])
def test_misspellings_fall_back_to_fuzzy_matches_with_lower_confidence(gazetteer, typo, name):
    place = gazetteer.lookup(typo)
    assert place.name == name
    assert place.confidence < gazetteer.lookup(name).confidence


def test_country_focus_is_a_prior(gazetteer):
    assert gazetteer.lookup("Kayes").country_code == "ML"
    assert gazetteer.lookup("Kayes", country="CG").country_code == "CG"


def test_context_in_the_query_overrides_the_focus(gazetteer):
    place = gazetteer.lookup("Kayes, Mali", country="CG")
    assert place.country_code == "ML"
    assert place.confidence > 0.9


def test_homonyms_are_offered_as_alternatives(gazetteer):
    place = gazetteer.lookup("Kayes")
    assert any(a.country_code == "CG" and a.name == "Kayes" for a in place.alternatives)
    congo = next(a for a in place.alternatives if a.country_code == "CG")
    assert congo.score < place.confidence and not congo.outside


def test_region_context_raises_confidence(gazetteer):
    assert gazetteer.lookup("Kati, Koulikoro, Mali").confidence > gazetteer.lookup("Kati").confidence


def test_prominence_decides_without_focus(gazetteer):
    assert gazetteer.lookup("Paris", country=None).country_code == "FR"


def test_ambiguous_name_gets_a_low_confidence(gazetteer):
    place = gazetteer.lookup("Springfield", country=None)
    assert place.confidence < 0.5
    assert len(place.alternatives) >= 3


def test_countries_and_capitals(gazetteer):
    assert gazetteer.lookup("Mali").feature == "country"
    for text in ("Mali", "ML", "Malian", "malienne"):
        assert gazetteer.country(text).country_code == "ML", text
    assert gazetteer.country("Kati") is None
    assert gazetteer.capital("ML").point == BAMAKO


def test_country_and_capital_rows_read_through_the_indexes_are_the_full_querys(gazetteer):
    """A country's or capital's row comes from two indexed reads, not a scan of every name; it is the same row."""
    import sqlite3

    from mali_map import geodata
    from mali_map.gazetteer import index, sql
    from mali_map.gazetteer.search import _main_name_row

    def country(conn, code):
        return _main_name_row(conn, sql.COUNTRY_PLACES, sql.COUNTRY_BY_CODE, code)

    conn = gazetteer._connections[0]
    for code in ("ML", "US", "GE", "CI", "XK"):
        assert country(conn, code) == conn.execute(sql.COUNTRY_BY_CODE, (code,)).fetchone(), code
    capitals = {c["iso2"]: c["capital_geonameid"] for c in geodata.countries() if c.get("capital_geonameid")}
    for code in ("ML", "US", "FR"):
        read = _main_name_row(conn, sql.PLACES_BY_GEONAMEID, sql.PLACE_BY_GEONAMEID, capitals[code])
        assert read == conn.execute(sql.PLACE_BY_GEONAMEID, (capitals[code],)).fetchone(), code
    # the cases the indexed reads leave to the full query: no main name, two places of one code, no names
    made = sqlite3.connect(":memory:")
    made.executescript(index.SCHEMA)
    place = "(?, ?, 0.0, 0.0, ?, NULL, 'country', NULL, NULL, NULL, 'test', 1.0)"
    made.execute(f"INSERT INTO places VALUES {place}", (1, "Atlantis", "AT"))
    made.execute("INSERT INTO names VALUES ('atlantida', 1, 1)")
    made.executemany(f"INSERT INTO places VALUES {place}", [(2, "Lemuria", "LE"), (3, "Lemuria Major", "LE")])
    made.executemany("INSERT INTO names VALUES (?, ?, ?)", [("lemuria", 2, 1), ("lemuria major", 3, 0)])
    made.execute(f"INSERT INTO places VALUES {place}", (4, "Mu", "MU"))
    for code in ("AT", "LE", "MU", "ZZ"):
        assert country(made, code) == made.execute(sql.COUNTRY_BY_CODE, (code,)).fetchone(), code
    assert country(made, "AT")[-1] == index.NAME_ALTERNATE and country(made, "LE")[0] == 3
    assert country(made, "MU") is None


def test_not_found_suggests_near_names(gazetteer):
    with pytest.raises(PlaceNotFound) as error:
        gazetteer.lookup("Bmkoo")
    assert isinstance(error.value, LookupError)
    with pytest.raises(PlaceNotFound):
        gazetteer.lookup("Qqxzyvw")
    assert any("Bamako" in s for s in gazetteer.suggest("Bmkoo"))


def test_empty_query_is_bad_input(gazetteer):
    with pytest.raises(BadInput):
        gazetteer.lookup("  ")


@pytest.mark.parametrize("query", ["Gao 50km W", "50 km west of Gao"])
def test_offsets_project_geodesically(gazetteer, query):
    gao = gazetteer.lookup("Gao")
    place = gazetteer.lookup(query)
    km, bearing = inverse(gao.point, place.point)
    assert km == pytest.approx(50, abs=1e-6)
    assert bearing == pytest.approx(270, abs=0.5)
    assert place.feature == "offset"
    assert place.radius_km > gao.radius_km + 10
    assert place.confidence < gao.confidence


def test_lookup_many_keeps_order_and_marks_misses(gazetteer):
    places = gazetteer.lookup_many(["Kati", "Qqxzyvw", "Bamako", "Kati"])
    assert [p and p.name for p in places] == ["Kati", None, "Bamako", "Kati"]


def test_geopy_protocol(gazetteer):
    from geopy.location import Location

    location = gazetteer.geocode("Kati", exactly_one=True)
    assert isinstance(location, Location)
    assert (location.latitude, location.longitude) == KATI
    assert "Koulikoro" in location.address
    assert gazetteer.geocode("Qqxzyvw") is None
    assert len(gazetteer.geocode("Kayes", exactly_one=False)) >= 2


def test_geopandas_can_use_it_as_a_provider(gazetteer):
    import geopandas.tools

    frame = geopandas.tools.geocode(["Kati", "Bamako"], provider=gazetteer)
    assert frame.crs.to_epsg() == 4326
    assert (frame.geometry.y.round(5).tolist(), frame.geometry.x.round(5).tolist()) == (
        [KATI[0], BAMAKO[0]],
        [KATI[1], BAMAKO[1]],
    )


def test_a_name_with_a_comma_is_still_found_whole(gazetteer):
    """Some gazetteer names hold a comma; when the parts find nothing, the whole text is a name."""
    conn = gazetteer._connections[0]
    (name,) = conn.execute("SELECT name FROM places WHERE name LIKE '%, %' AND feature != 'country' LIMIT 1").fetchone()
    assert gazetteer.lookup(name).name == name


@pytest.mark.parametrize("name, country_code", [("Kita", "ML"), ("Philadelphia", "US"), ("Salem", "IN")])
def test_a_main_name_beats_a_big_citys_alternate_name(gazetteer, name, country_code):
    """Quito is also 'Kita' and Amman 'Philadelphia' in some languages; towns of that name come first."""
    place = gazetteer.lookup(name, country="ML" if country_code == "ML" else None)
    assert (place.name, place.country_code) == (name, country_code)


def test_a_region_and_its_namesake_town_are_one_place_the_town(gazetteer):
    place = gazetteer.lookup("Kayes")
    assert place.feature == "city" and place.admin1 == "Kayes"
    assert not [a for a in place.alternatives if a.country_code == "ML"]


def test_the_length_window_of_fuzzy_search_loses_no_match():
    """Only keys whose length can reach the cutoff are scored: the result is the same as scoring all."""
    import random

    from rapidfuzz import fuzz, process

    from mali_map.gazetteer.fuzzy import length_window

    rng = random.Random(5)
    keys = ["".join(rng.choice("abkmou") for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    for query in keys[:200]:
        for cutoff in (60.0, 80.0, 85.0):
            shortest, longest = length_window(len(query), cutoff)
            every = {k for k, _, _ in process.extract(query, keys, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff)}
            assert all(shortest <= len(k) <= longest for k in every), (query, cutoff)


def test_fuzzy_search_over_its_two_pools_finds_what_one_merged_pool_would():
    # the focus country's keys and the letter's other keys are searched apart; the answer must
    # be the one a single list of both (by length, then text) gives, ties included: two
    # connections (the embedded index and a saved gazetteer) may also hold the same key
    import itertools
    import random
    import sqlite3

    from rapidfuzz import fuzz, process

    from mali_map.gazetteer.fuzzy import FuzzyNames, _by_length, length_window

    rng = random.Random(8)

    def index_of(rows):
        conn = sqlite3.connect(":memory:")
        conn.executescript(
            "CREATE TABLE places (id INTEGER PRIMARY KEY, country_code TEXT);"
            "CREATE TABLE names (place_id INTEGER, key TEXT);"
        )
        for place_id, (country, key) in enumerate(rows):
            conn.execute("INSERT INTO places VALUES (?, ?)", (place_id, country))
            conn.execute("INSERT INTO names VALUES (?, ?)", (place_id, key))
        return conn

    def index(count):
        keys = [
            rng.choice("kkb") + "".join(rng.choice("ai ko") for _ in range(rng.randint(2, 9))) for _ in range(count)
        ]
        return index_of([(rng.choice(("ML", "US", "FR")), key.strip() or "kk") for key in keys])

    connections = [index(900), index(300)]
    fuzzy = FuzzyNames(connections)
    queries = ["kaik", "koko", "kia", "bakok", "kaaaiik", "boik o", "kaikok", "kokaia", "kiakoi"]
    for query, focus, cutoff, limit in itertools.product(queries, ("ML", "US", None), (60.0, 80.0), (1, 3)):
        letter = {k for c in connections for (k,) in c.execute("SELECT key FROM names") if k[0] == query[0]}
        country = set(fuzzy._country_pool(focus)) if focus else set()
        pool, lengths = _by_length(letter | country)
        shortest, longest = length_window(len(query), cutoff)
        window = pool[bisect_left(lengths, shortest) : bisect_right(lengths, longest)]
        expected = process.extract(query, window, scorer=fuzz.ratio, limit=limit + 1, score_cutoff=cutoff)
        expected.sort(key=lambda m: (-m[1], m[0]))
        expected = [(m, s / 100.0) for m, s, _ in expected if m != query][:limit]
        found = fuzzy.similar(query, focus, limit=limit, min_similarity=cutoff)
        assert found == expected, (query, focus, cutoff, limit)
    # a tie across the pools and lengths: "kaik" and "kaio" (the letter's) and "aakaikoka" (the
    # focus country's) all score 80; a single list keeps the two shorter ones as the best two
    tie = FuzzyNames([index_of([("FR", "kaik"), ("FR", "kaio"), ("ML", "aakaikoka")])])
    assert tie.similar("kaikok", "ML", limit=1, min_similarity=60.0) == [("kaik", 0.8)]


def test_known_keys_are_the_name_keys_some_place_has(gazetteer):
    keys = ["kati", "bamako", "zorblatt quenzixo", "kati", "tombouctou"]
    assert gazetteer.known_keys(keys) == {"kati", "bamako", "tombouctou"}
    assert gazetteer.known_keys(keys, chunk=2) == {"kati", "bamako", "tombouctou"}
    assert gazetteer.known_keys([]) == set()
