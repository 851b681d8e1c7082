"""Distances, bearings, offsets and units on WGS84."""

import math

import pytest

from mali_map.errors import BadInput
from mali_map.geodesy import (
    angle_diff_deg,
    compass16,
    compass_bearing,
    destination,
    from_km,
    inverse,
    inverse_many,
    parse_amount,
    sector_half_width_deg,
    to_km,
)

KATI = (12.74409, -8.07257)
BAMAKO = (12.60915, -7.97522)


def test_kati_bamako_is_18_29_km_and_11_37_miles():
    km, _ = inverse(KATI, BAMAKO)
    assert km == pytest.approx(18.29, abs=0.005)
    assert from_km(km, "mi") == pytest.approx(11.37, abs=0.005)


def test_bearing_from_bamako_to_kati_is_325_degrees_north_west():
    _, bearing = inverse(BAMAKO, KATI)
    assert bearing == pytest.approx(325, abs=0.5)
    assert compass16(bearing) == "NW"


def test_geographiclib_and_pyproj_agree():
    km, bearing = inverse(BAMAKO, KATI)
    many_km, many_bearing = inverse_many([BAMAKO[0]], [BAMAKO[1]], [KATI[0]], [KATI[1]])
    assert many_km[0] == pytest.approx(km, rel=1e-9)
    assert many_bearing[0] == pytest.approx(bearing, abs=1e-6)


def test_destination_inverts_inverse():
    km, bearing = inverse(BAMAKO, KATI)
    lat, lon = destination(BAMAKO, bearing, km)
    assert (lat, lon) == pytest.approx(KATI, abs=1e-7)


def test_destination_wraps_longitude_across_the_antimeridian():
    lat, lon = destination((0.0, 179.9), 90.0, 50.0)
    assert -180.0 <= lon <= -179.0


@pytest.mark.parametrize(
    "word, bearing",
    [
        ("N", 0),
        ("north", 0),
        ("NE", 45),
        ("north-east", 45),
        ("northeast", 45),
        ("north east", 45),
        ("NNE", 22.5),
        ("north-north-east", 22.5),
        ("W", 270),
        ("ouest", 270),
        ("sud-est", 135),
        ("SSW", 202.5),
    ],
)
def test_compass_words(word, bearing):
    assert compass_bearing(word) == bearing


@pytest.mark.parametrize("word, half_width", [("north", 45), ("NE", 22.5), ("north-north-west", 11.25)])
def test_sector_width_follows_precision_of_the_word(word, half_width):
    assert sector_half_width_deg(word) == half_width


def test_unknown_compass_word_is_bad_input():
    with pytest.raises(BadInput, match="compass"):
        compass_bearing("upwards")


def test_sixteen_winds_cover_the_circle():
    assert [compass16(b) for b in (0, 11.24, 11.26, 180, 348.76, 359.9)] == ["N", "N", "NNE", "S", "N", "N"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10 mi", (10.0, "mi")),
        ("15km", (15.0, "km")),
        ("2,5 km", (2.5, "km")),
        ("800 m", (800.0, "m")),
        ("3 nmi", (3.0, "nmi")),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["ten miles", "10 parsecs", "", "7"])
def test_parse_amount_refuses_what_it_cannot_read(text):
    with pytest.raises(BadInput):
        parse_amount(text)


def test_units_round_trip():
    for unit in ("km", "mi", "nmi", "m"):
        assert from_km(to_km(12.5, unit), unit) == pytest.approx(12.5)
    assert to_km(1, "nmi") == 1.852
    with pytest.raises(BadInput, match="unknown unit"):
        to_km(1, "furlong")


def test_angle_difference_is_the_short_way_round():
    assert angle_diff_deg(350, 10) == 20
    assert angle_diff_deg(10, 350) == 20
    assert math.isclose(angle_diff_deg(90, 270), 180)


def test_within_km_agrees_with_the_geodesic_on_both_sides_of_the_limit():
    import random

    from mali_map.geodesy import destination, distance_km, within_km

    rng = random.Random(11)
    for _ in range(800):
        start = (rng.uniform(-85.0, 85.0), rng.uniform(-180.0, 180.0))
        limit = rng.choice((10.0, 1500.0, 8000.0))
        # just inside, just outside, and within the sphere's slack, where the geodesic decides
        for share in (0.999, 1.001, 0.995, 1.005, rng.uniform(0.0, 3.0)):
            end = destination(start, rng.uniform(0.0, 360.0), limit * share)
            assert within_km(start, end, limit) == (distance_km(start, end) <= limit), (start, end, limit)
    assert within_km((12.65, -8.0), (12.65, -8.0), 0.0)
