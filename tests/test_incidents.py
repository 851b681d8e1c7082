"""Loading incident files: layouts, cell values, geocoding of bare places, rejects, bad files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from mali_map.errors import BadInput, GeocoderUnavailable
from mali_map.incidents import COLUMNS, REJECT_COLUMNS, load_incidents, load_incidents_with_rejects
from mali_map.incidents.columns import recognise
from mali_map.incidents.values import parse_coordinate, parse_date, parse_fatalities, precision_word
from mali_map.places import Place

FIXTURES = Path(__file__).parent / "fixtures" / "incidents"
HOSTILE = "<img src=x onerror=alert(1)> and </script><script>alert(2)</script>"


class FakeGazetteer:
    """Knows three names (whatever the context after a comma); records every batch it is asked,
    like Gazetteer.lookup_many."""

    PLACES = {
        "kati": Place("Kati", 12.74409, -8.07257, "ML", confidence=0.9),
        "bamako": Place("Bamako", 12.60915, -7.97522, "ML", feature="capital", confidence=1.0),
        "gao": Place("Gao", 16.27167, -0.04447, "ML", confidence=0.8),
    }

    def __init__(self):
        self.batches: list[list[str]] = []
        self.countries: list[str | None] = []

    def lookup_many(self, queries, *, country=None):
        self.batches.append(list(queries))
        self.countries.append(country)
        return [self.PLACES.get(q.split(",")[0].strip().lower()) for q in queries]


def load(name, **options):
    options.setdefault("gazetteer", FakeGazetteer())
    return load_incidents_with_rejects(FIXTURES / name, **options)


# -- ACLED layout ---------------------------------------------------------------------------


def test_acled_rows_are_mapped_and_bad_rows_rejected_with_reasons():
    loaded = load("acled-mixed.csv")
    gdf, rejects = loaded.incidents, loaded.rejects
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert list(gdf["location"]) == ["Gao", "Mopti", "Kati", "Bamako"]
    assert list(gdf["event_type"]) == ["Battles", "Violence against civilians", "Strategic developments", "Protests"]
    gao = gdf.geometry.iloc[0]
    assert (gao.y, gao.x) == (16.2717, -0.0447)
    assert list(rejects.columns[:3]) == list(REJECT_COLUMNS)
    reasons = dict(zip(rejects["event_id_cnty"], rejects["reason"]))
    assert reasons["TST0003"] == "latitude 95.0 is outside -90..90"
    assert reasons["TST0004"] == "longitude is NaN"
    assert "'Xyzzyville' was not found" in reasons["TST0005"]
    # The rejects keep the original cells, as text.
    assert rejects.loc[rejects["event_id_cnty"] == "TST0003", "latitude"].item() == "95"


def test_row_numbers_are_the_lines_a_reader_finds_in_the_file():
    # The first record's note spans two lines, so later records start one line further down.
    loaded = load("acled-mixed.csv")
    assert list(loaded.incidents["input_row"]) == [2, 4, 8, 9]
    assert list(loaded.rejects["input_row"]) == [5, 6, 7]
    lines = (FIXTURES / "acled-mixed.csv").read_text().splitlines()
    assert all(
        lines[row - 1].startswith(event)
        for row, event in zip(loaded.rejects["input_row"], loaded.rejects["event_id_cnty"])
    )


def test_acled_values_are_read_and_unreadable_ones_kept_and_reported():
    loaded = load("acled-mixed.csv")
    gdf = loaded.incidents.set_index("event_id_cnty")
    assert gdf.loc["TST0001", "event_date"] == dt.datetime(2019, 2, 22)
    assert gdf.loc["TST0002", "event_date"] == dt.datetime(2019, 3, 1)  # ISO works too
    assert gdf.loc["TST0001", "fatalities"] == 2
    assert gdf["fatalities"].isna().loc["TST0002"]  # "unknown" is not 0
    assert gdf["event_date"].isna().loc["TST0007"]  # kept, undated
    assert gdf.loc["TST0001", "precision"] == "exact"
    assert gdf.loc["TST0002", "precision"] == "near"
    assert gdf.loc["TST0001", "source"] == "Test Wire"
    assert "on purpose" in gdf.loc["TST0001", "notes"]
    assert any("1 row without a readable date" in n and "row 9" in n for n in loaded.notes)
    assert any("unreadable fatalities" in n and "row 4" in n for n in loaded.notes)


def test_hostile_text_is_kept_verbatim_for_the_renderer_to_escape():
    gdf = load("acled-mixed.csv").incidents
    note = gdf.loc[gdf["event_id_cnty"] == "TST0002", "notes"].item()
    assert HOSTILE in note and '"quotes"' in note


def test_acled_other_columns_stay_available_but_coordinates_become_the_geometry():
    gdf = load("acled-mixed.csv").incidents
    for column in ("sub_event_type", "actor1", "admin1", "year", "geo_precision", "event_id_cnty"):
        assert column in gdf.columns
    assert "latitude" not in gdf.columns and "longitude" not in gdf.columns
    assert list(gdf.columns).count("event_date") == 1


def test_rows_without_coordinates_are_geocoded_with_their_country_as_a_constraint():
    gazetteer = FakeGazetteer()
    gdf = load("acled-mixed.csv", gazetteer=gazetteer, country="ML").incidents
    kati = gdf.loc[gdf["event_id_cnty"] == "TST0006"].iloc[0]
    assert (kati.geometry.y, kati.geometry.x) == (12.74409, -8.07257)
    assert kati["precision"] == "approximate"
    assert kati["geocoded_from"] == "Kati, Koulikoro, Mali"
    assert kati["geocode_confidence"] == pytest.approx(0.9)
    # A row naming its country is never retried without it (that could answer from abroad).
    assert gazetteer.batches == [["Kati, Koulikoro, Mali", "Xyzzyville, Nowhere, Mali"]]
    assert set(gazetteer.countries) == {"ML"}
    located = gdf.loc[gdf["event_id_cnty"] == "TST0001"].iloc[0]
    assert located["geocoded_from"] is None or located["geocoded_from"] != located["geocoded_from"]
    assert math.isnan(located["geocode_confidence"])


def test_a_failing_geocoder_rejects_only_the_rows_it_had_to_find():
    class Down:
        def lookup_many(self, queries, *, country=None):
            raise GeocoderUnavailable("Nominatim timed out")

    loaded = load("acled-mixed.csv", gazetteer=Down())
    assert len(loaded.incidents) == 3
    reason = loaded.rejects.loc[loaded.rejects["event_id_cnty"] == "TST0006", "reason"].item()
    assert "geocoder failed: Nominatim timed out" in reason


# -- generic CSV ------------------------------------------------------------------------------


def test_generic_csv_with_lat_lon_semicolons_and_decimal_commas():
    loaded = load("generic-latlon.csv")
    gdf = loaded.incidents
    assert list(gdf["location"]) == ["Bamako", "Kati"]
    assert (gdf.geometry.iloc[0].y, gdf.geometry.iloc[0].x) == (12.6392, -8.0029)
    assert list(gdf["fatalities"].isna()) == [False, True]  # an empty cell is unknown, quietly
    assert loaded.notes == ()
    # The canonical columns replace the ones they were read from; the others stay.
    assert not {"Date", "Place", "Description", "Deaths", "Lat", "Lon"} & set(gdf.columns)
    assert list(gdf["notes"]) == ["Fixture: semicolon CSV with decimal commas", "Fixture: second row"]


def test_generic_csv_with_only_places_is_geocoded_in_one_batch():
    gazetteer = FakeGazetteer()
    gdf = load("generic-places.csv", gazetteer=gazetteer).incidents
    assert list(gdf["location"]) == ["Kati", "Bamako", "Gao"]
    assert gazetteer.batches == [["Bamako", "Gao", "Kati"]]
    assert list(gdf["precision"]) == ["approximate"] * 3
    assert gdf.geometry.iloc[2].y == pytest.approx(16.27167)


def test_repeated_places_are_looked_up_once(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("place,date\n" + "Gao,2019-01-01\n" * 50 + "Kati,2019-01-02\n")
    gazetteer = FakeGazetteer()
    gdf = load_incidents_with_rejects(path, gazetteer=gazetteer).incidents
    assert len(gdf) == 51
    assert gazetteer.batches == [["Gao", "Kati"]]


def test_zero_zero_is_a_placeholder_and_half_a_pair_is_rejected(tmp_path):
    path = tmp_path / "zeros.csv"
    path.write_text("place,lat,lon\nKati,0,0\nGao,16.27,\nBamako,,-7.97\n")
    loaded = load_incidents_with_rejects(path, gazetteer=FakeGazetteer())
    assert list(loaded.incidents["geocoded_from"]) == ["Kati"]
    assert list(loaded.rejects["reason"]) == ["latitude given without longitude", "longitude given without latitude"]
    assert any("coordinates 0, 0 read as missing" in n for n in loaded.notes)


def test_words_in_coordinates_and_rows_too_long_are_rejected(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("place,lat,lon\nGao,north,-0.04\nKati,12.7,-8.0,extra\nBamako,12.6,-7.9\n")
    loaded = load_incidents_with_rejects(path, gazetteer=FakeGazetteer())
    assert list(loaded.incidents["location"]) == ["Bamako"]
    assert list(loaded.rejects["reason"]) == ["latitude is not a number: 'north'", "row has 4 fields, the header has 3"]
    assert list(loaded.rejects["input_row"]) == [2, 3]


def test_utf16_text_with_a_bom_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("place\tlat\tlon\nSégou\t13.43\t-6.26\n".encode("utf-16"))
    loaded = load_incidents_with_rejects(path, gazetteer=FakeGazetteer())
    assert loaded.incidents["location"].item() == "Ségou"


def test_windows_1252_text_is_read_with_a_note(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("place,lat,lon,notes\nSégou,13.43,-6.26,été\n".encode("cp1252"))
    loaded = load_incidents_with_rejects(path, gazetteer=FakeGazetteer())
    assert loaded.incidents["location"].item() == "Ségou"
    assert any("Windows-1252" in n for n in loaded.notes)


# -- GeoJSON, GeoPackage, our own incidents.geojson ---------------------------------------------


def test_geojson_features_points_nulls_and_areas():
    loaded = load("features.geojson")
    gdf = loaded.incidents
    assert list(gdf["location"]) == ["Timbuktu", "Kati", "Bamako"]
    assert list(gdf["input_row"]) == [1, 3, 4]
    assert gdf["geocoded_from"].iloc[1] == "Kati"  # null geometry, found by name
    bamako = gdf.geometry.iloc[2]
    assert -8.1 < bamako.x < -7.9 and 12.6 < bamako.y < 12.7  # a point inside the polygon
    assert any("1 feature is a line or area, mapped at a point inside" in n for n in loaded.notes)
    reject = loaded.rejects.iloc[0]
    assert (reject["input_row"], reject["town"]) == (2, "Nowhere")
    assert reject["reason"] == "latitude 95.0 is outside -90..90"
    assert reject["feature_latitude"] == "95.0"  # the bad point is not lost


def test_our_own_incidents_geojson():
    gdf = load("incidents.geojson").incidents
    assert list(gdf["event_date"]) == [dt.datetime(2020, 8, 18)] * 2
    assert list(gdf["event_type"]) == ["mutiny", "arrest"]
    assert list(gdf["precision"]) == ["exact", "approximate"]
    assert recognise(["date", "place", "description", "category", "precision"]).name == "incidents"


def test_geopackage_in_another_crs_is_reprojected(tmp_path):
    import geopandas
    from shapely.geometry import Point

    path = tmp_path / "events.gpkg"
    source = geopandas.GeoDataFrame(
        {"event_date": ["18 August 2020", "21 March 2012"], "location": ["Kati", "Kati"], "fatalities": [0, 1]},
        geometry=[Point(-8.07257, 12.74409), Point(-8.07, 12.74)],
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    source.to_file(path, driver="GPKG")
    gdf = load_incidents_with_rejects(path, gazetteer=FakeGazetteer()).incidents
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].y == pytest.approx(12.74409, abs=1e-9)
    assert gdf.geometry.iloc[0].x == pytest.approx(-8.07257, abs=1e-9)
    assert list(gdf["event_date"]) == [dt.datetime(2020, 8, 18), dt.datetime(2012, 3, 21)]
    assert list(gdf["fatalities"]) == [0, 1]


def test_several_inputs_become_one_table():
    loaded = load_incidents_with_rejects(
        [FIXTURES / "generic-latlon.csv", FIXTURES / "incidents.geojson"], gazetteer=FakeGazetteer()
    )
    files = loaded.incidents["input_file"].map(lambda p: Path(p).name)
    assert list(files) == ["generic-latlon.csv"] * 2 + ["incidents.geojson"] * 2
    assert loaded.incidents.crs.to_epsg() == 4326


def test_load_incidents_warns_about_rejected_rows():
    with pytest.warns(UserWarning, match="3 rows rejected"):
        gdf = load_incidents(FIXTURES / "acled-mixed.csv", gazetteer=FakeGazetteer())
    assert len(gdf) == 4


# -- files we cannot use --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        ("missing.csv", "no such file"),
        ("empty.csv", "empty file"),
        ("binary.csv", "binary file"),
        ("no-columns.csv", "no coordinate columns (latitude, longitude) and no place column"),
    ],
)
def test_unusable_files_fail_with_one_line_naming_the_file(name, message):
    with pytest.raises(BadInput) as caught:
        load(name)
    text = str(caught.value)
    assert name in text and message in text and "\n" not in text


@pytest.mark.parametrize(
    "content, message",
    [
        ("place,lat,lon\n", "no rows under the header"),
        ("\n\n   \n", "empty file"),
        ('{"type": "FeatureCollection", "features": []}', "no features"),
        ('{"hello": "world"}', "not a GeoJSON"),
        ('{"type": "FeatureCollection",\n "features": [', "invalid JSON"),
        ("SQLite format 3\x00" + "x" * 200, "GeoPackage"),
    ],
)
def test_more_unusable_files(tmp_path, content, message):
    path = tmp_path / "input.dat"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(BadInput, match="input.dat") as caught:
        load_incidents_with_rejects(path, gazetteer=FakeGazetteer())
    assert message in str(caught.value)


def test_a_folder_is_not_an_input(tmp_path):
    with pytest.raises(BadInput, match="is a folder"):
        load_incidents_with_rejects(tmp_path, gazetteer=FakeGazetteer())


# -- cell values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("22 February 2019", dt.date(2019, 2, 22)),
        ("22-February-2019", dt.date(2019, 2, 22)),
        ("February 22, 2019", dt.date(2019, 2, 22)),
        ("2019-02-22", dt.date(2019, 2, 22)),
        ("2019-02-22T23:10:00+00:00", dt.date(2019, 2, 22)),
        ("18 août 2020", dt.date(2020, 8, 18)),
        ("1er mars 2012", dt.date(2012, 3, 1)),
        ("21 Mar 2012", dt.date(2012, 3, 21)),
        ("31 February 2019", None),
        ("03/04/2019", None),
        ("2019", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("3", 3),
        (3, 3),
        ("3.0", 3),
        (2.0, 2),
        ("1,204", 1204),
        ("0", 0),
        ("", None),
        ("unknown", None),
        ("-1", None),
        ("2.5", None),
        (float("nan"), None),
        (True, None),
    ],
)
def test_parse_fatalities(value, expected):
    assert parse_fatalities(value) == expected


def test_parse_coordinate():
    assert parse_coordinate("12.74") == 12.74
    assert parse_coordinate("12,74") == 12.74
    assert parse_coordinate(" -8 ") == -8.0
    assert parse_coordinate("") is None
    assert math.isnan(parse_coordinate("NaN"))
    with pytest.raises(ValueError, match="'12°44'"):
        parse_coordinate("12°44")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", "exact"),
        (2, "near"),
        ("3", "region"),
        ("Approximate", "approximate"),
        ("7", "7"),
        ("", None),
    ],
)
def test_precision_word(value, expected):
    assert precision_word(value) == expected


@given(st.text())
def test_cell_parsers_never_raise_on_odd_text(text):
    assert parse_date(text) is None or isinstance(parse_date(text), dt.date)
    assert parse_fatalities(text) is None or parse_fatalities(text) >= 0
    assert precision_word(text) is None or isinstance(precision_word(text), str)
    try:
        value = parse_coordinate(text)
    except ValueError as error:
        assert "not a number" in str(error)
    else:
        assert value is None or isinstance(value, float)


def test_recognise_headers():
    layout = recognise(["Event Date", "LOCATION", "Lat", "Long", "Notes"])
    assert layout.source_of == {
        "event_date": "Event Date",
        "location": "LOCATION",
        "latitude": "Lat",
        "longitude": "Long",
        "notes": "Notes",
    }
    assert recognise(["x", "y", "name"]).source_of == {"latitude": "y", "longitude": "x"}
    assert not recognise(["x", "place"]).has_coordinates  # a lone x is not a coordinate
    assert recognise(["timestamp", "place"]).source_of == {"location": "place"}  # ACLED's upload time


# -- with the real gazetteer, once it is there -------------------------------------------------------

needs_gazetteer = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("mali_map.api", "mali_map.geodata")),
    reason="the embedded gazetteer is not there yet",
)


@needs_gazetteer
def test_places_are_found_by_the_embedded_gazetteer():
    gdf = load_incidents_with_rejects(FIXTURES / "generic-places.csv").incidents
    kati = gdf.geometry.iloc[0]
    assert kati.y == pytest.approx(12.74409, abs=1e-3) and kati.x == pytest.approx(-8.07257, abs=1e-3)
    assert gdf["geocode_confidence"].between(0, 1).all()


def test_a_row_placed_by_an_acled_offset_is_found_with_its_country(tmp_path):
    # "Gao 50km W" with country Mali is asked as "Gao 50km W, Gao, Mali": the offset must survive the context
    table = tmp_path / "offsets.csv"
    table.write_text("event_date,location,admin1,country\n2020-01-01,Gao 50km W,Gao,Mali\n", encoding="utf-8")
    incidents, rejects = load_incidents_with_rejects(table)
    assert len(rejects) == 0 and len(incidents) == 1
    point = incidents.geometry.iloc[0]
    assert point.y == pytest.approx(16.27, abs=0.01) and point.x == pytest.approx(-0.51, abs=0.01)
