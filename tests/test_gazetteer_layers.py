"""Import of GeoPackage, Shapefile and OpenStreetMap .osm.pbf files, and --name-field."""

import json

import pytest

from mali_map.cli import main
from mali_map.errors import BadInput
from mali_map.gazetteer import Gazetteer
from mali_map.gazetteer.formats import read_places


def settlements(path, *, name_column="name", crs="EPSG:4326", extra_line=False):
    """A point layer as agencies publish it: two Malian villages (and optionally a line, a bad row)."""
    import geopandas
    from shapely.geometry import LineString, Point

    geometry = [Point(-7.45, 12.95), Point(-6.40, 11.90)]
    names = ["Dangaténé", "Sirakoro-Niaré"]
    if extra_line:
        geometry.append(LineString([(0, 0), (1, 1)]))
        names.append("A road")
    frame = geopandas.GeoDataFrame(
        {
            name_column: names,
            "population": [800, 1500][: len(names)] + [0] * (len(names) - 2),
            "admin1": ["Koulikoro", "Sikasso"] + [""] * (len(names) - 2),
        },
        geometry=geometry,
        crs="EPSG:4326",
    ).to_crs(crs)
    frame.to_file(path)
    return path


def test_geopackage_points_are_imported(tmp_path, capsys):
    path = settlements(tmp_path / "villages.gpkg", extra_line=True)
    assert main(["gazetteer", "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows"], report["skipped"]) == (2, 1)
    assert "not a Point" in report["bad_rows"][0]["message"]
    place = Gazetteer(country="ML").lookup("Dangatene, Koulikoro, Mali")
    assert (place.lat, place.lon, place.country_code) == (12.95, -7.45, "ML")


def test_shapefile_in_another_crs_is_brought_to_wgs84(tmp_path):
    path = settlements(tmp_path / "villages.shp", crs="EPSG:32629")
    errors = []
    records = {r.name: r for r in read_places(path, errors=errors)}
    assert not errors
    assert records["Dangaténé"].lat == pytest.approx(12.95, abs=1e-6)
    assert records["Dangaténé"].lon == pytest.approx(-7.45, abs=1e-6)
    assert records["Dangaténé"].country_code == "ML"  # from the outline: the layer names no country


def test_name_field_picks_the_name_column(tmp_path, capsys):
    path = settlements(tmp_path / "villages.gpkg", name_column="ADM4_FR")
    assert main(["gazetteer", "import", str(path)]) == 2
    assert "--name-field" in capsys.readouterr().err
    assert main(["gazetteer", "import", str(path), "--name-field", "ADM4_FR", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 2
    csv = tmp_path / "list.csv"
    csv.write_text("name,village,latitude,longitude\nSikasso,Kignan,11.3,-6.1\n")
    assert [r.name for r in read_places(csv, errors=[], name_field="village")] == ["Kignan"]
    with pytest.raises(BadInput, match="'hameau'"):
        read_places(csv, errors=[], name_field="hameau")


def test_a_file_that_is_not_a_geopackage_is_one_line(tmp_path, capsys):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"not a database at all")
    assert main(["gazetteer", "import", str(path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def osm_extract(path):
    """A small .osm.pbf written with osmium's writer: four place nodes, a shop, a place without name."""
    osmium = pytest.importorskip("osmium")
    writer = osmium.SimpleWriter(str(path))
    try:
        nodes = [
            (1, (-7.45, 12.95), {"place": "village", "name": "Dangaténé", "name:fr": "Dangatene", "population": "800"}),
            (2, (-3.10, 16.70), {"place": "hamlet", "name": "Kati"}),
            (3, (-6.40, 11.90), {"place": "town", "name": "Sirakoro", "alt_name": "Sirakoro Niaré;Sirakorola"}),
            (4, (-8.00, 12.65), {"place": "suburb", "name": "Hamdallaye", "name:bm": "Hamdalayi"}),
            (5, (-8.01, 12.64), {"shop": "bakery", "name": "Boulangerie"}),
            (6, (-8.02, 12.63), {"place": "village"}),
        ]
        for node_id, (lon, lat), tags in nodes:
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags=tags, version=1))
    finally:
        writer.close()
    return path


def test_osm_place_nodes_are_imported(tmp_path, capsys):
    path = osm_extract(tmp_path / "mali-places.osm.pbf")
    assert main(["gazetteer", "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows"], report["skipped"]) == (4, 1)  # the bakery is no place; the nameless one is a bad row
    records = {r.name: r for r in read_places(path, errors=[])}
    assert records["Dangaténé"].feature == "village" and records["Dangaténé"].population == 800
    assert records["Kati"].feature == "village" and records["Hamdallaye"].feature == "place"
    assert set(records["Sirakoro"].alternatenames) == {"Sirakoro Niaré", "Sirakorola"}
    assert all(r.country_code == "ML" for r in records.values())
    gazetteer = Gazetteer(country="ML")
    assert gazetteer.lookup("Sirakorola").lat == 11.90
    # The region of a node is estimated from its point: the Kati hamlet near Timbuktu is in the north.
    assert gazetteer.lookup("Kati, Tombouctou, Mali").lat == 16.70
    assert gazetteer.lookup("Kati, Koulikoro, Mali").lat == pytest.approx(12.74409)


def test_a_broken_osm_file_is_one_line(tmp_path, capsys):
    pytest.importorskip("osmium")
    path = tmp_path / "broken.osm.pbf"
    path.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    assert main(["gazetteer", "import", str(path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
