"""Query forms: names, context, ACLED offsets and offset phrases (no lookup involved)."""

import pytest

from mali_map.errors import BadInput
from mali_map.gazetteer.query import parse_query


def test_plain_name():
    query = parse_query("  Kati ")
    assert (query.name, query.context, query.offset) == ("Kati", (), None)


def test_trailing_parts_are_context():
    query = parse_query("Siby, Koulikoro, Mali")
    assert query.name == "Siby"
    assert query.context == ("Koulikoro", "Mali")


@pytest.mark.parametrize("text, name, km, bearing", [
    ("Gao 50km W", "Gao", 50, 270),
    ("Gao 50 km NNW", "Gao", 50, 337.5),
    ("Kidal 10 km SE", "Kidal", 10, 135),
    ("50 km west of Gao", "Gao", 50, 270),
    ("50km to the north-west of Gao", "Gao", 50, 315),
    ("12 miles north-east of Mopti", "Mopti", 12 * 1.609344, 45),
    ("à 30 km au sud de Mopti", "Mopti", 30, 180),
    ("about 5 km east of Ségou, Mali", "Ségou", 5, 90),
])
def test_offsets(text, name, km, bearing):
    query = parse_query(text)
    assert query.name == name
    assert query.offset.distance_km == pytest.approx(km)
    assert query.offset.bearing_deg == bearing


def test_offset_keeps_the_context_of_its_anchor():
    assert parse_query("about 5 km east of Ségou, Mali").context == ("Mali",)


@pytest.mark.parametrize("text", ["", "   ", ", ,"])
def test_empty_query_is_bad_input(text):
    with pytest.raises(BadInput):
        parse_query(text)
