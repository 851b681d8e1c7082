"""The Python API of ``import mali_map``."""

import pytest

import mali_map


def test_geocode_and_distance():
    kati = mali_map.geocode("Kati")
    assert isinstance(kati, mali_map.Place)
    assert mali_map.distance("Kati", "Bamako") == pytest.approx(18.29, abs=0.005)
    assert mali_map.distance(kati, (12.60915, -7.97522), unit="mi") == pytest.approx(11.37, abs=0.005)


def test_geocode_raises_place_not_found_a_lookup_error():
    with pytest.raises(LookupError):
        mali_map.geocode("Qqxzyvw")
    with pytest.raises(mali_map.PlaceNotFound):
        mali_map.geocode("Qqxzyvw")


def test_geocode_many_same_order_with_none():
    assert [p and p.name for p in mali_map.geocode_many(["Bamako", "Qqxzyvw", "Kati"])] == ["Bamako", None, "Kati"]


def test_country_argument():
    assert mali_map.geocode("Kayes", country="CG").country_code == "CG"
    assert mali_map.geocode("Paris", country="").country_code == "FR"


def test_bad_unit_and_coordinates_are_value_errors():
    with pytest.raises(ValueError):
        mali_map.distance("Kati", "Bamako", unit="furlong")
    with pytest.raises(ValueError):
        mali_map.distance((91, 0), (0, 0))


def test_public_names_are_all_importable():
    for name in ("Place", "Gazetteer", "geocode", "geocode_many", "distance", "PlaceNotFound", "BadInput"):
        assert getattr(mali_map, name) is not None
    with pytest.raises(AttributeError):
        _ = mali_map.no_such_thing
