"""Incident tables as they really come, and colours that do not depend on the file.

Regions named as they were before a reform, rows listed under the region next door, reject
reasons that name both regions, ACLED's numbers and dates typed in --export; colours fixed by
value, --colors overrides, and the figure options' bad input.
"""

from __future__ import annotations

import json

import pytest

from mali_map.cli import main
from mali_map.render.colours import EVENT_TYPE_COLOURS, colour_of, hashed_colour, read_colours

HEADER = "event_date,event_type,location,admin1,country,fatalities,year,geo_precision,inter1\n"


class Result:
    def __init__(self, code: int, output: str) -> None:
        self.exit_code, self.output = code, output


@pytest.fixture()
def run(capsys):
    """Runs ``mali-map ARGS...``: its exit code and everything it printed."""

    def invoke(*args) -> Result:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return Result(code, out + err)

    return invoke


@pytest.fixture()
def table(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        HEADER
        # Inékar lies in Ménaka, a region carved from Gao in 2016: ACLED's older rows say Gao
        + "2015-03-02,Battles,Inékar,Gao,Mali,3,2015,1,2\n"
        # Douentza (Mopti) listed under Tombouctou, the region next door, close to it
        + "2019-01-01,Battles,Douentza,Tombouctou,Mali,1,2019,1,2\n"
        # Douentza listed under Kayes, far away at the other end of the country
        + "2019-01-02,Battles,Douentza,Kayes,Mali,1,2019,2,2\n",
        encoding="utf-8",
    )
    return path


def test_regions_before_a_reform_and_next_door_are_kept_far_ones_rejected_with_both_regions(table, tmp_path):
    from mali_map.incidents import load_incidents_with_rejects
    from mali_map.incidents.regions import NEIGHBOUR_CONFIDENCE

    incidents, rejects = load_incidents_with_rejects(table)
    kept = dict(zip(incidents["location"] + "/" + incidents["admin1"], incidents["geocode_confidence"]))
    assert kept["Inékar/Gao"] > 0.9  # the same ground: a full match, not 0.10
    assert kept["Douentza/Tombouctou"] == NEIGHBOUR_CONFIDENCE  # kept, less sure
    assert list(rejects["location"]) == ["Douentza"]
    reason = rejects["reason"].iloc[0]
    assert reason.startswith("below --min-confidence")
    assert "the row names region 'Kayes', the place found lies in Mopti" in reason


def test_a_stricter_threshold_rejects_the_row_next_door(table):
    from mali_map.incidents import load_incidents_with_rejects

    incidents, rejects = load_incidents_with_rejects(table, min_confidence=0.7)
    assert "Tombouctou" in set(rejects["admin1"])
    assert "Inékar" in set(incidents["location"])


def test_the_gazetteer_reads_old_and_new_region_names_as_one():
    from mali_map.gazetteer import Gazetteer
    from mali_map.gazetteer.region_history import same_ground

    assert same_ground("ML", "Gao") == same_ground("ML", "Ménaka") == {"gao", "menaka"}
    assert same_ground("ML", "Bandiagara") >= {"mopti"}
    assert same_ground("ML", "Kidal") == {"kidal"}
    place = Gazetteer(include_saved=False).lookup_many(["Inekar, Gao, Mali"])[0]
    assert place is not None and place.admin1 == "Ménaka" and place.confidence > 0.9


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet"])
def test_export_keeps_acled_numbers_and_dates_typed(table, tmp_path, suffix, run):
    import geopandas
    import pandas as pd

    out = tmp_path / f"out{suffix}"
    result = run("map", str(table), "-o", str(tmp_path / "map.html"), "--export", str(out))
    assert result.exit_code == 0, result.output
    frame = geopandas.read_parquet(out) if suffix == ".parquet" else geopandas.read_file(out)
    for column in ("year", "geo_precision", "inter1", "fatalities", "input_row"):
        assert pd.api.types.is_integer_dtype(frame[column]), (column, frame[column].dtype)
    assert sorted(frame["year"].tolist()) == [2015, 2019]
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])


def test_a_column_that_is_not_what_its_name_says_stays_text():
    import geopandas
    import pandas as pd

    from mali_map.render.export import typed_columns

    frame = geopandas.GeoDataFrame(
        {"year": ["2019", "around 2020"], "inter1": ["1", "2"]},
        geometry=geopandas.points_from_xy([0, 1], [0, 1]),
        crs=4326,
    )
    typed = typed_columns(frame.copy())
    assert list(typed["year"]) == ["2019", "around 2020"]
    assert pd.api.types.is_integer_dtype(typed["inter1"])


def test_colours_are_fixed_by_value_not_by_order():
    assert colour_of("Battles") == EVENT_TYPE_COLOURS["Battles"] == colour_of("  battles ")
    # sub-event types: a shade of their event type's colour, each its own
    shades = {
        colour_of(s) for s in ("Armed clash", "Government regains territory", "Non-state actor overtakes territory")
    }
    assert len(shades) == 3
    for word in ("coup", "outbreak", "disaster", "displacement"):
        assert colour_of(word) != hashed_colour(word)  # a fixed colour, not a hashed one
    assert colour_of("Cattle raid") == hashed_colour("Cattle raid") == colour_of("CATTLE RAID")
    assert colour_of("Cattle raid") != colour_of("Cattle raids")
    assert colour_of("Battles", {"battles": "#123456"}) == "#123456"


def test_colors_file_json_and_csv_override_and_bad_ones_are_one_line_exit_2(tmp_path, run):
    good = tmp_path / "colours.json"
    good.write_text(json.dumps({"Battles": "#000000", "Cattle raid": "teal"}), encoding="utf-8")
    assert read_colours(good) == {"Battles": "#000000", "Cattle raid": "teal"}
    csv_file = tmp_path / "colours.csv"
    csv_file.write_text("value,colour\nBattles,#abc\n", encoding="utf-8")
    assert read_colours(csv_file) == {"Battles": "#abc"}
    bad = tmp_path / "bad.csv"
    bad.write_text("Battles,red;background:url(x)\n", encoding="utf-8")
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "2015-03-02,Battles,Kati,Koulikoro,Mali,3,2015,1,2\n", encoding="utf-8")
    result = run("map", str(source), "-o", str(tmp_path / "m.html"), "--colors", str(bad))
    assert result.exit_code == 2
    assert "is not a colour" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "m.html").exists()
    result = run("map", str(source), "-o", str(tmp_path / "m.html"), "--colors", str(good))
    assert result.exit_code == 0, result.output
    assert "#000000" in (tmp_path / "m.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--size", "1600x900"], "give --png FILE too"),
        (["--png", "x.png", "--size", "big"], "expected WIDTHxHEIGHT"),
        (["--png", "x.png", "--size", "10x10"], "outside 200..8000"),
        (["--filter-by", "nosuchcolumn"], "--filter-by: no column 'nosuchcolumn'"),
    ],
)
def test_figure_and_filter_options_refuse_bad_input(tmp_path, args, words, run):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "2015-03-02,Battles,Kati,Koulikoro,Mali,3,2015,1,2\n", encoding="utf-8")
    args = [a if a != "x.png" else str(tmp_path / "x.png") for a in args]
    result = run("map", str(source), "-o", str(tmp_path / "m.html"), *args)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
