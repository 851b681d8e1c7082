"""User gazetteers inside lookups: one-run files, saved imports, region names, spread, damage."""

import json

import pytest

from mali_map.cli import main
from mali_map.gazetteer import Gazetteer
from mali_map.gazetteer.userstore import gazetteer_folder, import_gazetteer


def geonames_row(geonameid, name, lat, lon, code, admin1, population=""):
    """One line of a GeoNames dump: the 19 tab-separated columns."""
    return "\t".join(
        [
            str(geonameid),
            name,
            name,
            "",
            str(lat),
            str(lon),
            "P",
            code,
            "ML",
            "",
            admin1,
            "",
            "",
            "",
            str(population),
            "",
            "300",
            "Africa/Bamako",
            "2024-01-01",
        ]
    )


@pytest.fixture
def villages(tmp_path):
    """Two villages named Niéna, in Koulikoro (07) and Sikasso (06) regions, and a bad row."""
    dump = tmp_path / "villages.txt"
    dump.write_text(
        "\n".join(
            [
                geonames_row(9200001, "Niéna", 12.9101, -7.9902, "PPL", "07", 1200),
                geonames_row(9200002, "Niéna", 11.4263, -6.3494, "PPL", "06", 9800),
                "9200003\tBroken\tBroken\t\tnorth\t-6.0\tP\tPPL\tML\t\t06\t\t\t\t\t\t\t\t",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return dump


def test_region_context_picks_among_village_homonyms(villages):
    gazetteer = Gazetteer([villages], include_saved=False)
    assert gazetteer.lookup("Niéna").admin1 == "Sikasso"  # the bigger one, without context
    koulikoro = gazetteer.lookup("Niena, Koulikoro, Mali")
    assert (koulikoro.lat, koulikoro.admin1) == (12.9101, "Koulikoro")
    assert koulikoro.confidence > 0.8  # a village answer stays below 0.9 (see gazetteer/calibration.py)
    assert gazetteer.lookup("Niéna").confidence < koulikoro.confidence


def test_bad_rows_of_a_one_run_file_are_reported_once(villages, capsys):
    code = main(["geocode", "Niéna, Sikasso", "--gazetteer", str(villages), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["source"].startswith("user:")
    assert err.count("skipped 1 bad row") == 1 and "villages.txt:3" in err


def test_saved_import_is_searched_on_later_runs(villages, capsys):
    import_gazetteer(villages, "sahel-villages")
    code = main(["geocode", "Niéna, Koulikoro", "--json"])
    place = json.loads(capsys.readouterr().out)
    assert code == 0 and place["source"] == "user:sahel-villages" and place["lat"] == 12.9101


def test_two_sources_for_one_town_give_its_spread(tmp_path):
    osm = tmp_path / "osm_points.csv"
    osm.write_text("name,latitude,longitude,country_code\nKati,12.7447,-8.0600,ML\n", encoding="utf-8")
    kati = Gazetteer([osm], include_saved=False).lookup("Kati")
    assert kati.spread_km == pytest.approx(1.37, abs=0.02)
    assert not [a for a in kati.alternatives if a.country_code == "ML" and a.name == "Kati"]


def test_a_damaged_saved_gazetteer_is_skipped_with_a_warning(villages, capsys):
    import_gazetteer(villages, "good")
    (gazetteer_folder() / "broken.sqlite").write_bytes(b"this is not a database" * 100)
    code = main(["geocode", "Niéna, Koulikoro", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["lat"] == 12.9101
    assert "broken" in err and "unreadable" in err and len(err.strip().splitlines()) == 1
