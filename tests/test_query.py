"""Query forms: names, context, ACLED offsets and offset phrases (no lookup involved)."""

import pytest

from mali_map.errors import BadInput
from mali_map.gazetteer.query import parse_query
from mali_map.geodesy import UNIT_WORDS, to_km


def test_plain_name():
    query = parse_query("  Kati ")
    assert (query.name, query.context, query.offset) == ("Kati", (), None)


def test_trailing_parts_are_context():
    query = parse_query("Siby, Koulikoro, Mali")
    assert query.name == "Siby"
    assert query.context == ("Koulikoro", "Mali")


@pytest.mark.parametrize(
    "text, name, km, bearing",
    [
        ("Gao 50km W", "Gao", 50, 270),
        ("Gao 50 km NNW", "Gao", 50, 337.5),
        ("Kidal 10 km SE", "Kidal", 10, 135),
        ("50 km west of Gao", "Gao", 50, 270),
        ("50km to the north-west of Gao", "Gao", 50, 315),
        ("12 miles north-east of Mopti", "Mopti", 12 * 1.609344, 45),
        ("à 30 km au sud de Mopti", "Mopti", 30, 180),
        ("about 5 km east of Ségou, Mali", "Ségou", 5, 90),
    ],
)
def test_offsets(text, name, km, bearing):
    query = parse_query(text)
    assert query.name == name
    assert query.offset.distance_km == pytest.approx(km)
    assert query.offset.bearing_deg == bearing


@pytest.mark.parametrize("code, word", [(code, word) for code, words in UNIT_WORDS.items() for word in words])
def test_every_unit_word_reads_in_both_offset_forms(code, word):
    for text in (f"Gao 12 {word} W", f"12 {word} west of Gao"):
        query = parse_query(text)
        assert (query.name, query.offset.bearing_deg) == ("Gao", 270), text
        assert query.offset.distance_km == pytest.approx(to_km(12, code)), text


def test_offset_keeps_the_context_of_its_anchor():
    assert parse_query("about 5 km east of Ségou, Mali").context == ("Mali",)


@pytest.mark.parametrize("text", ["", "   ", ", ,"])
def test_empty_query_is_bad_input(text):
    with pytest.raises(BadInput):
        parse_query(text)


def test_an_acled_offset_keeps_the_context_written_after_it():
    # an incident row's place and country make "Gao 50km W, Mali": the offset is the first part's
    query = parse_query("Gao 50km W, Gao, Mali")
    assert (query.name, query.context) == ("Gao", ("Gao", "Mali"))
    assert query.offset.distance_km == 50 and query.offset.bearing_deg == 270
