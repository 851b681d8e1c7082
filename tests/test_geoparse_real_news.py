"""Geoparsing real news (issue 15): what is not a place, metonymy, regions of the world, the ranker,
the text's own country, country points and the two calibration tables."""

from __future__ import annotations

import json

import pytest

from mali_map.geoparse import Geoparser


@pytest.fixture(scope="module")
def parser():
    from mali_map.gazetteer import Gazetteer

    return Geoparser(Gazetteer(include_saved=False), country="")


def mentions(parser, text):
    return {m.text: m for m in parser.parse(text)}


def test_a_currency_is_not_its_country(parser):
    found = mentions(parser, "The ministry rejected a grant of US$10,000 for the school in Bamako.")
    assert "US" not in found and found["Bamako"].place is not None


def test_an_acronym_mid_sentence_is_not_a_town_of_its_letters(parser):
    found = mentions(parser, "The Philippines asked NATO for help after the storm.")
    assert "NATO" not in found and "Philippines" in found


def test_a_brands_casing_is_not_the_place(parser):
    found = mentions(parser, "The union VerDi called a strike in Berlin on Monday.")
    assert "VerDi" not in found and found["Berlin"].place.country_code == "DE"


def test_an_office_is_not_a_place(parser):
    found = mentions(parser, "Maria Lopez, the Head of Mission, visited Gao on Monday.")
    assert "Mission" not in found and found["Gao"].place.country_code == "ML"


def test_a_person_is_not_a_town_of_the_name(parser):
    found = mentions(
        parser, "Conrad Steiner, a spokesman, said the army had left Kidal. Conrad added that talks go on."
    )
    assert "Conrad" not in found and found["Kidal"].place.country_code == "ML"


def test_metonymy_is_reported_as_such(parser):
    found = mentions(parser, "Washington said the strikes in Syria would go on; Moscow has denied it.")
    assert found["Washington"].metonymic and found["Moscow"].metonymic
    assert not found["Syria"].metonymic  # "in Syria": the ground itself
    assert found["Washington"].place is not None  # still the place: its point is right
    literal = mentions(parser, "Officials in Washington said it rained.")
    assert not literal["Washington"].metonymic
    record = found["Moscow"].to_dict()
    assert record["metonymic"] is True and record["name"] == "Moscow"


def test_regions_of_the_world_resolve_to_areas(parser):
    from mali_map.geodesy import distance_km

    found = mentions(parser, "Fighting in Darfur displaced thousands across West Africa and the Sahel.")
    darfur, west, sahel = found["Darfur"].place, found["West Africa"].place, found["Sahel"].place
    assert darfur.feature == "area" and darfur.country_code == "SD"
    assert 11 < darfur.lat < 16 and 22 < darfur.lon < 27  # among Sudan's five Darfur states
    assert west.feature == "area" and west.radius_km > 1000  # honestly vague: it covers its 16 countries
    assert sahel.feature == "area" and sahel.country_code is None  # the belt, not Burkina Faso's Sahel region
    assert distance_km(west.point, (12.6, -8.0)) < 1500  # Bamako lies in West Africa
    # common words ("Middle", "East") and a two-letter acronym ("EU") name regions of the world too
    found = mentions(parser, "Leaders of the EU met to discuss the Middle East.")
    assert found["EU"].place.name == "European Union" and found["Middle East"].place.feature == "area"
    assert not mentions(parser, "The East was quiet in the Middle of the night.")


def test_a_small_place_abroad_stays_unresolved_in_a_text_about_another_country(parser):
    found = mentions(parser, "Fighters attacked Kona and Lere, the Malian army said.")
    # the gazetteer knows only a village Kona in Côte d'Ivoire and a Lere in Nigeria
    assert found["Kona"].place is None
    assert found["Lere"].place is None or found["Lere"].place.country_code == "ML"
    # without the text's country the village is still a (low) guess
    alone = mentions(parser, "Fighters attacked Kona overnight.")
    assert alone["Kona"].place is None or alone["Kona"].confidence < 0.5


def test_country_points_are_geonames_where_gazetteers_disagree(parser):
    from mali_map.geodesy import distance_km

    us = mentions(parser, "The United States sent aid.")["United States"].place
    assert distance_km(us.point, (39.76, -98.5)) < 1  # GeoNames' point, used by news corpora (was 235 km off)


def test_the_ranker_weights_are_the_stored_fit():
    from mali_map.geoparse import ranker

    stored = json.loads(ranker.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert set(stored["weights"]) == set(ranker.FEATURES)
    ranker.ranker_weights.cache_clear()
    assert ranker.ranker_weights() == tuple(stored["weights"][name] for name in ranker.FEATURES)
    assert ranker.ranker_weights() != ranker.HAND_WEIGHTS  # fitted, not the hand-set start


def test_a_ranker_file_that_weighs_other_features_is_refused(tmp_path, monkeypatch):
    from mali_map.geoparse import ranker

    wrong = tmp_path / "ranker.json"
    wrong.write_text(json.dumps({"weights": {"prior": 1.0}}), encoding="utf-8")
    monkeypatch.setattr(ranker, "WEIGHTS_FILE", wrong)
    ranker.ranker_weights.cache_clear()
    try:
        with pytest.raises(ValueError, match="rebuild"):
            ranker.ranker_weights()
    finally:
        monkeypatch.undo()
        ranker.ranker_weights.cache_clear()


def test_coherence_prefers_the_reading_near_the_other_places():
    from mali_map.geoparse.recognise import Span
    from mali_map.geoparse.resolve import resolve_names
    from mali_map.places import Place

    # two equal namesakes; the text's other places lie near the second one
    far = Place("Vellor", 10.0, 10.0, "AA", feature="town", population=5000)
    near = Place("Vellor", 40.0, -80.0, "BB", feature="town", population=5000)
    a = Place("Quenby", 40.5, -80.5, "BB", feature="city", population=200_000)
    b = Place("Drossel", 39.6, -79.4, "BB", feature="city", population=200_000)
    text = "Vellor Quenby Drossel"
    spans = [Span(0, 6, "Vellor", cue=True), Span(7, 13, "Quenby"), Span(14, 21, "Drossel")]
    found = resolve_names(spans, {"vellor": [far, near], "quenby": [a], "drossel": [b]}, country=None, focus=None)
    assert text and found["vellor"][0] is not None and found["vellor"][0].country_code == "BB"


def test_wide_readings_have_their_own_calibration():
    from mali_map.geoparse.calibration import STEPS, WIDE_STEPS, calibrated, is_wide

    assert is_wide("country") and is_wide("town", demonym=True)
    assert not is_wide("admin1") and not is_wide("area") and not is_wide("city")
    assert calibrated(0.99, wide=True) == WIDE_STEPS[-1][1]
    assert calibrated(0.99) == STEPS[-1][1]
    assert calibrated(0.99, wide=True) >= 0.9 > calibrated(0.99)
