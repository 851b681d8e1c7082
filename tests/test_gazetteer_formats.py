"""Readers of user gazetteers: CSV, GeoJSON points, GeoNames dumps (.txt and .zip).

Fixtures in tests/fixtures/gazetteers are invented Mali villages written for
these tests; their bad rows are on known lines.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import pytest

from mali_map.errors import BadInput
from mali_map.gazetteer.formats import estimate_rows, geonames_feature, read_places
from mali_map.gazetteer.records import PlaceRecord, RowError

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteers"


def read(path: Path | str) -> tuple[dict[str, PlaceRecord], list[RowError]]:
    errors: list[RowError] = []
    records = {record.name: record for record in read_places(path, errors=errors)}
    return records, errors


def lines_of(errors: list[RowError]) -> list[int]:
    return [int(error.where.rsplit(":", 1)[1]) for error in errors]


# --------------------------------------------------------------------------- CSV


def test_csv_reads_required_and_optional_columns():
    places, _ = read(FIXTURES / "villages.csv")
    kalifabougou = places["Kalifabougou"]
    assert (kalifabougou.lat, kalifabougou.lon) == (12.9512, -8.1437)
    assert kalifabougou.feature == "village"
    assert kalifabougou.population == 4120
    assert kalifabougou.country_code == "ML"
    assert kalifabougou.admin1 == "Koulikoro"
    assert kalifabougou.alternatenames == ("Kalifabugu", "Kalifa Bougou")  # split on "|"
    assert places["Tiéssourou"].alternatenames == ("Tiessourou", "Tyessourou")  # split on ","
    assert places["Tiéssourou"].country_code == "ML"  # "ml" upper-cased


def test_csv_feature_comes_from_population_or_geonames_code_when_not_a_word():
    places, _ = read(FIXTURES / "villages.csv")
    assert places["Sirakoro-Niaré"].feature == "town"  # empty feature, population 15,400
    assert places["Dioura-Kéniéba"].feature == "village"  # GeoNames code PPL, no population
    last = places["Ouéléssébougou-Nord"]  # only the required columns filled
    assert (last.feature, last.population, last.country_code, last.admin1, last.alternatenames) == (
        "place",
        None,
        None,
        None,
        (),
    )


def test_csv_bad_rows_are_reported_by_line_and_skipped_while_good_rows_land():
    places, errors = read(FIXTURES / "villages.csv")
    assert sorted(places) == sorted(
        ["Kalifabougou", "Sirakoro-Niaré", "Dioura-Kéniéba", "Tiéssourou", "Kassela-Bas", "Ouéléssébougou-Nord"]
    )
    assert lines_of(errors) == [6, 7, 8, 9, 10, 11, 14]
    reasons = [error.message for error in errors]
    assert reasons[0] == "no latitude"
    assert "112.5" in reasons[1] and "-90..90" in reasons[1]
    assert "'abc' is not a number" in reasons[2]
    assert reasons[3] == "no name"
    assert "'MLI'" in reasons[4]
    assert "nan" in reasons[5]  # NaN is refused like check_latlon does
    assert "-40" in reasons[6]
    assert all(error.where.startswith(str(FIXTURES / "villages.csv")) for error in errors)


def test_csv_with_semicolons_bom_crlf_and_decimal_commas():
    places, errors = read(FIXTURES / "villages_semicolon_bom.csv")
    assert errors == []
    assert sorted(places) == ["Dogo-Kéra", "Niamana-Ouest", "Sébénikoro-Bas"]
    sebenikoro = places["Sébénikoro-Bas"]  # header "Nom", first column after a BOM
    assert (sebenikoro.lat, sebenikoro.lon, sebenikoro.population) == (12.6312, -8.0544, 3200)
    assert sebenikoro.admin1 == "Koulikoro"  # "Region" column


def test_tsv_and_short_header_names():
    places, errors = read(FIXTURES / "villages_tab.tsv")
    assert errors == []
    assert places["Tinkaré-Kouma"].lon == -9.4431  # "lng"


def test_csv_saved_by_excel_as_windows_1252():
    places, errors = read(FIXTURES / "villages_cp1252.csv")
    assert errors == []
    assert "Ségou-Koura" in places


def test_utf16_tab_separated_text_as_excel_saves_it(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("name\tlatitude\tlongitude\r\nKoumantou-Sud\t11,41\t-6,83\r\n".encode("utf-16"))
    places, errors = read(path)
    assert errors == [] and (places["Koumantou-Sud"].lat, places["Koumantou-Sud"].lon) == (11.41, -6.83)


def test_csv_undecodable_line_is_a_bad_row(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("name,lat,lon\nSégou-Daga,13.1,-6.2\n".encode() + b"Bad\xff,13.2,-6.3\nKoro-Daga,13.3,-6.4\n")
    places, errors = read(path)
    assert sorted(places) == ["Koro-Daga", "Ségou-Daga"]
    assert lines_of(errors) == [3]


def test_csv_extra_fields_and_unbalanced_quote_are_reported(tmp_path):
    path = tmp_path / "quotes.csv"
    path.write_text('name,lat,lon\nSiby, Koulikoro,12.38,-8.33\nKaya,12.5,-8.1\n"Open,12.1,-8.0\nLost,12.2,-8.1\n')
    places, errors = read(path)
    assert list(places) == ["Kaya", "Lost"]  # the line after the stray quote is read as the row it is
    assert lines_of(errors) == [2, 4]
    assert "4 fields but the header has 3" in errors[0].message
    assert "unbalanced quote" in errors[1].message


def test_csv_without_required_columns_is_bad_input_naming_file_and_line(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("event_date,location,fatalities\n2024-01-02,Kati,3\n")
    with pytest.raises(BadInput) as caught:
        read_places(path, errors=[])
    message = str(caught.value)
    assert message.startswith(f"{path}:1: ")
    assert "latitude" in message and "'location'" in message
    assert "\n" not in message


# --------------------------------------------------------------------------- GeoJSON


def test_geojson_points_with_properties():
    places, _ = read(FIXTURES / "villages.geojson")
    kouakourou = places["Kouakourou-Daga"]
    assert (kouakourou.lat, kouakourou.lon) == (14.0531, -4.1877)  # [lon, lat] in the file
    assert (kouakourou.population, kouakourou.feature, kouakourou.admin1) == (3100, "village", "Mopti")
    assert kouakourou.alternatenames == ("Kouakourou Daga", "Kwakuru Daga")  # a JSON list
    togere = places["Toguéré-Koumbé"]  # "Name" key, 3-D point, names in a string
    assert togere.alternatenames == ("Togere Koumbe", "Togueré")
    assert places["Sendégué-Bozo"].feature == "town"


def test_geojson_non_points_and_invalid_features_are_bad_rows_by_line():
    places, errors = read(FIXTURES / "villages.geojson")
    assert sorted(places) == ["Kouakourou-Daga", "Sendégué-Bozo", "Toguéré-Koumbé"]
    assert lines_of(errors) == [12, 15, 18, 21]
    assert [e.message.split(":")[0] for e in errors] == ["feature 3", "feature 4", "feature 5", "feature 6"]
    assert "Polygon" in errors[0].message
    assert "no geometry" in errors[1].message
    assert "200.0" in errors[2].message
    assert "no name" in errors[3].message


def test_geojson_single_feature_and_minified(tmp_path):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-8.3, 12.4]},
        "properties": {"name": "Siby-Koro"},
    }
    single = tmp_path / "one.geojson"
    single.write_text(json.dumps(feature))
    assert list(read(single)[0]) == ["Siby-Koro"]
    collection = tmp_path / "min.json"
    collection.write_text(
        json.dumps({"features": [feature, {"type": "Feature", "geometry": None}], "type": "FeatureCollection"})
    )
    places, errors = read(collection)
    assert list(places) == ["Siby-Koro"] and errors[0].message.startswith("feature 2:")


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"type": "FeatureCollection", "features": [\n{"type": "Feature",,}]}', ":2: not valid JSON"),
        ("[1, 2]", "not GeoJSON"),
        ('{"type": "FeatureCollection"}', "without a 'features' list"),
    ],
)
def test_broken_geojson_is_bad_input(tmp_path, text, expected):
    path = tmp_path / "broken.geojson"
    path.write_text(text)
    with pytest.raises(BadInput, match=expected.replace("'", ".")):
        read_places(path, errors=[])


# --------------------------------------------------------------------------- GeoNames


@pytest.mark.parametrize("name", ["ML_sample.txt", "ML_sample.zip"])
def test_geonames_dump_rows_and_feature_mapping(name):
    places, _ = read(FIXTURES / name)
    assert len(places) == 9
    capital = places["Bamako-Test"]
    assert (capital.feature, capital.population, capital.country_code, capital.geonameid) == (
        "capital",
        1_800_000,
        "ML",
        9100001,
    )
    assert capital.alternatenames == ("BKT", "Bamakó-Test")
    niamana = places["Niamana-Kôrô"]
    assert (niamana.lat, niamana.lon, niamana.population, niamana.feature) == (12.5733, -7.9381, None, "village")
    assert niamana.admin1 == "Koulikoro"  # GeoNames admin1 code 07, named
    assert "Niamana-Koro" in niamana.alternatenames  # the ASCII name is searchable too
    assert places["Dialakorobougou-Nord"].feature == "town"  # PPL, 7,400 people
    assert places["Sanankoroba-Ville"].feature == "town"  # PPLA3 without population
    assert places["Région de Koulikoro-Test"].feature == "admin1"
    assert places["Republic of Mali-Test"].feature == "country"
    assert places["Marigot de Sôrô"].feature == "place"  # a stream
    assert places["Kankan-Dougou"].feature == "village"  # last line, after the bad ones


@pytest.mark.parametrize("name", ["ML_sample.txt", "ML_sample.zip"])
def test_geonames_bad_rows_by_line(name):
    _, errors = read(FIXTURES / name)
    assert lines_of(errors) == [5, 10, 11, 12, 13]
    assert "found 9" in errors[0].message
    assert "'abc'" in errors[1].message
    assert "-200.5" in errors[2].message
    assert "geonameid" in errors[3].message
    assert "UTF-8" in errors[4].message
    if name.endswith(".zip"):
        assert errors[0].where.endswith("ML_sample.zip/ML_sample.txt:5")


@pytest.mark.parametrize(
    "code, population, word",
    [
        ("PPLC", None, "capital"),
        ("PPLA", 250_000, "city"),
        ("PPL", 12_000, "town"),
        ("PPL", 800, "village"),
        ("PPL", None, "village"),
        ("PPLA2", None, "town"),
        ("PPLX", None, "place"),
        ("ADM1", None, "admin1"),
        ("ADM2", None, "place"),
        ("PCLI", None, "country"),
        ("WLL", None, "place"),
    ],
)
def test_geonames_feature_words(code, population, word):
    assert geonames_feature(code, population) == word


def test_geonames_nan_coordinate_is_a_bad_row(tmp_path):
    row = (
        ["1", "Nan-Ville", "Nan-Ville", "", "nan", "-4.0", "P", "PPL", "ML", "", "05"]
        + [""] * 3
        + ["0", "", "", "", ""]
    )
    path = tmp_path / "nan.txt"
    path.write_text("\t".join(row) + "\n")
    places, errors = read(path)
    assert places == {} and "nan" in errors[0].message and errors[0].where == f"{path}:1"


def test_txt_that_is_a_csv_is_read_as_csv(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("name;lat;lon\nDoura-Koro;13.1;-6.9\n")
    assert list(read(path)[0]) == ["Doura-Koro"]


def test_zip_with_several_data_files_is_bad_input(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "x")
        archive.writestr("b.csv", "y")
    with pytest.raises(BadInput, match="several data files"):
        read_places(path, errors=[])


# --------------------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"\xef\xbb\xbf\n  \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"PK\x03\x04garbage", "not a valid zip"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".txt", ".geojson", ".zip"])
def test_unreadable_files_are_bad_input_with_one_line_naming_the_file(tmp_path, content, expected, suffix):
    path = tmp_path / f"villages{suffix}"
    if content is not None:
        path.write_bytes(content)
    if suffix == ".zip" and content is not None:
        expected = "not a valid zip"
    with pytest.raises(BadInput) as caught:
        read_places(path, errors=[])
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message


def test_errors_come_before_any_row_is_read(tmp_path):
    """read_places itself raises, so a caller never writes half a gazetteer from a broken file."""
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}, oops]}')
    with pytest.raises(BadInput):
        read_places(path, errors=[])  # no iteration needed


def test_estimate_rows_counts_data_lines():
    assert estimate_rows(FIXTURES / "ML_sample.zip") == 14
    assert estimate_rows(FIXTURES / "villages_tab.tsv") == 2
    assert estimate_rows(FIXTURES / "villages.geojson") is None


def test_every_read_coordinate_is_finite_and_in_range():
    for path in FIXTURES.iterdir():
        if path.suffix == ".py":
            continue
        for record in read_places(path, errors=[]):
            assert math.isfinite(record.lat) and -90 <= record.lat <= 90
            assert math.isfinite(record.lon) and -180 <= record.lon <= 180
