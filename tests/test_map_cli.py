"""``mali-map map``: exit codes, the summary line, rejects file, atomic output, bad inputs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from mali_map.cli import main
from mali_map.session import Session
from test_incidents import FIXTURES, FakeGazetteer

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "kati-incidents.csv"
needs_render = pytest.mark.skipif(
    importlib.util.find_spec("mali_map.render.build") is None, reason="mali_map.render not written yet"
)
pytestmark = needs_render


@pytest.fixture
def fake_gazetteer(monkeypatch):
    """Geocode with three known names, so these tests do not depend on the embedded index."""
    gazetteer = FakeGazetteer()
    monkeypatch.setattr(Session, "gazetteer", property(lambda self: gazetteer))
    return gazetteer


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["map", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_example_maps_one_layer_per_year(tmp_path, capsys):
    out = tmp_path / "kati.html"
    code, stdout, stderr = run(capsys, EXAMPLE, "--layer-by", "year", "-o", out)
    assert code == 0
    assert stdout == ""
    assert stderr.strip() == f"wrote {out}: 11 incidents in 2 layers; no rows rejected"
    html = out.read_text(encoding="utf-8")
    assert "Koulouba" in html and "2012" in html and "2020" in html
    assert not (tmp_path / "kati.rejects.csv").exists()


def test_default_layers_are_event_types(tmp_path, capsys):
    code, _, stderr = run(capsys, EXAMPLE, "-o", tmp_path / "kati.html")
    assert code == 0
    # Riots, Strategic developments, Battles, Protests
    assert "11 incidents in 4 layers" in stderr


def test_our_own_words_for_columns_are_understood(tmp_path, capsys):
    code, _, stderr = run(
        capsys, FIXTURES / "incidents.geojson", "--layer-by", "category", "--time", "date", "-o", tmp_path / "own.html"
    )
    assert code == 0
    assert "2 incidents in 2 layers" in stderr


def test_rejected_rows_are_written_beside_the_map_and_counted(tmp_path, capsys, fake_gazetteer):
    out = tmp_path / "mixed.html"
    code, _, stderr = run(capsys, FIXTURES / "acled-mixed.csv", "-o", out)
    assert code == 0
    rejects = tmp_path / "mixed.rejects.csv"
    lines = stderr.strip().splitlines()
    assert lines[-1] == (
        f"wrote {out}: 4 incidents in 4 layers; 3 rows rejected: 2 invalid coordinates, "
        f"1 place not found (see {rejects})"
    )
    assert any("without a readable date" in line for line in lines[:-1])

    import pandas as pd

    table = pd.read_csv(rejects, dtype=str)
    assert list(table.columns[:3]) == ["input_file", "input_row", "reason"]
    assert list(table["input_row"]) == ["5", "6", "7"]
    assert list(table["event_id_cnty"]) == ["TST0003", "TST0004", "TST0005"]
    assert table["reason"].iloc[0] == "latitude 95.0 is outside -90..90"


def test_hostile_notes_never_reach_the_page_as_markup(tmp_path, capsys, fake_gazetteer):
    out = tmp_path / "mixed.html"
    assert run(capsys, FIXTURES / "acled-mixed.csv", "-o", out)[0] == 0
    html = out.read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html
    assert "</script><script>alert(2)" not in html
    assert "onerror=alert(1)" in html  # the text itself is kept, as text


def test_json_summary(tmp_path, capsys, fake_gazetteer):
    out = tmp_path / "mixed.html"
    code, stdout, _ = run(capsys, FIXTURES / "acled-mixed.csv", "-o", out, "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary == {
        "output": str(out),
        "incidents": 4,
        "layers": 4,
        "rejected": 3,
        "rejected_by_reason": {"invalid coordinates": 2, "place not found": 1},
        "rejects_path": str(tmp_path / "mixed.rejects.csv"),
        "claims": [],
    }


def test_several_inputs_and_geocoded_rows(tmp_path, capsys, fake_gazetteer):
    code, stdout, _ = run(
        capsys, FIXTURES / "generic-places.csv", FIXTURES / "generic-latlon.csv", "--json", "-o", tmp_path / "all.html"
    )
    assert code == 0
    summary = json.loads(stdout)
    assert (summary["incidents"], summary["rejected"], summary["rejects_path"]) == (5, 0, None)
    assert fake_gazetteer.batches == [["Bamako", "Gao", "Kati"]]


def test_a_clean_run_removes_the_stale_rejects_file(tmp_path, capsys):
    out = tmp_path / "map.html"
    stale = tmp_path / "map.rejects.csv"
    stale.write_text("input_file,input_row,reason\nold.csv,2,from an earlier run\n")
    assert run(capsys, EXAMPLE, "-o", out)[0] == 0
    assert not stale.exists()


def test_one_of_each_is_said_in_the_singular(tmp_path, capsys, fake_gazetteer):
    source = tmp_path / "two.csv"
    source.write_text("location,latitude,longitude\nKati,12.74,-8.07\nNowhere,95,0\n")
    out = tmp_path / "two.html"
    code, _, stderr = run(capsys, source, "-o", out)
    assert code == 0
    assert stderr.strip() == (
        f"wrote {out}: 1 incident in 1 layer; "
        f"1 row rejected: 1 invalid coordinates (see {tmp_path / 'two.rejects.csv'})"
    )


def test_output_folder_is_created_but_only_for_a_map(tmp_path, capsys):
    out = tmp_path / "new" / "folder" / "kati.html"
    assert run(capsys, FIXTURES / "empty.csv", "-o", out)[0] == 2
    assert not (tmp_path / "new").exists()
    assert run(capsys, EXAMPLE, "-o", out)[0] == 0
    assert out.exists()


@pytest.mark.parametrize(
    "name, message",
    [
        ("missing.csv", "no such file"),
        ("empty.csv", "empty file"),
        ("binary.csv", "binary file"),
        ("no-columns.csv", "no coordinate columns"),
    ],
)
def test_unusable_input_exits_2_with_one_line_and_keeps_the_old_map(tmp_path, capsys, name, message):
    out = tmp_path / "map.html"
    out.write_text("previous map")
    code, stdout, stderr = run(capsys, EXAMPLE, FIXTURES / name, "-o", out)
    assert code == 2
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert name in stderr and message in stderr
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_every_row_rejected_exits_2_writes_rejects_and_keeps_the_old_map(tmp_path, capsys, fake_gazetteer):
    source = tmp_path / "bad.csv"
    source.write_text("location,latitude,longitude\nNowhere,95,0\nXyzzyville,,\n")
    out = tmp_path / "map.html"
    out.write_text("previous map")
    code, _, stderr = run(capsys, source, "-o", out)
    assert code == 2
    assert "no incidents to map: all 2 rows rejected" in stderr
    assert out.read_text() == "previous map"
    assert (tmp_path / "map.rejects.csv").read_text().count("\n") == 3


def test_a_failing_render_leaves_the_previous_map_and_no_temporary_file(tmp_path, capsys, fake_gazetteer, monkeypatch):
    import mali_map.render

    out = tmp_path / "map.html"
    out.write_text("previous map")

    def broken_page(m, *, cdn=False):
        raise RuntimeError("renderer crashed half way")

    monkeypatch.setattr(mali_map.render, "map_html", broken_page)
    with pytest.raises(RuntimeError):
        main(["map", str(FIXTURES / "acled-mixed.csv"), "-o", str(out)])
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_a_failing_write_is_one_line_and_keeps_the_previous_map(tmp_path, capsys, monkeypatch):
    import mali_map.fileio

    out = tmp_path / "map.html"
    out.write_text("previous map")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mali_map.fileio.os, "replace", full_disk)
    code, _, stderr = run(capsys, EXAMPLE, "-o", out)
    assert code == 2
    assert "No space left on device" in stderr and len(stderr.strip().splitlines()) == 1
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "x.html"], "Missing argument"),
        ([str(EXAMPLE)], "Missing option"),
        ([str(EXAMPLE), "-o", "{tmp}/m.html", "--layer-by", "no_such_column"], "no column 'no_such_column'"),
        ([str(EXAMPLE), "-o", "{tmp}"], "is a folder"),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, args, message):
    code, _, stderr = run(capsys, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2
    assert message in stderr and len(stderr.strip().splitlines()) == 1


def test_cdn_links_assets_instead_of_inlining_them(tmp_path, capsys):
    inline, linked = tmp_path / "inline.html", tmp_path / "linked.html"
    assert run(capsys, EXAMPLE, "-o", inline)[0] == 0
    assert run(capsys, EXAMPLE, "-o", linked, "--cdn")[0] == 0
    assert "cdn.jsdelivr.net" in linked.read_text(encoding="utf-8")
    assert linked.stat().st_size < inline.stat().st_size


def test_title(tmp_path, capsys):
    out = tmp_path / "kati.html"
    assert run(capsys, EXAMPLE, "-o", out, "--title", "Mutinies in Kati <2012 & 2020>")[0] == 0
    assert "Mutinies in Kati &lt;2012 &amp; 2020&gt;" in out.read_text(encoding="utf-8")


def test_rejects_path_for():
    from mali_map.cli.map import rejects_path_for

    assert rejects_path_for(Path("outputs/kati.html")) == Path("outputs/kati.rejects.csv")
    assert rejects_path_for(Path("outputs/kati.HTM")) == Path("outputs/kati.rejects.csv")
    assert rejects_path_for(Path("outputs/kati")) == Path("outputs/kati.rejects.csv")
    assert rejects_path_for(Path("outputs/kati.v2.html")) == Path("outputs/kati.v2.rejects.csv")


# -- claims, checked with the embedded gazetteer ------------------------------------------------

CLAIM = "Kati is less than 10 miles from Bamako"


def test_a_claim_is_checked_drawn_and_reported(tmp_path, capsys):
    out = tmp_path / "kati.html"
    code, _, stderr = run(capsys, EXAMPLE, "--layer-by", "year", "--claim", CLAIM, "-o", out)
    # 18.3 km between the centres, about 5 km between the edges: "depends", and the map is made.
    assert code == 0
    first, last = stderr.strip().splitlines()
    assert first.startswith(f"claim depends: {CLAIM} - ")
    assert last == f"wrote {out}: 11 incidents in 2 layers; no rows rejected"
    assert CLAIM in out.read_text(encoding="utf-8")


def test_claims_in_json_are_check_objects(tmp_path, capsys):
    code, stdout, _ = run(
        capsys,
        EXAMPLE,
        "--json",
        "--claim",
        CLAIM,
        "--claim",
        "Zorblaxton is less than 10 km from Bamako",
        "-o",
        tmp_path / "kati.html",
    )
    assert code == 0  # an unresolved claim does not stop the map
    claims = json.loads(stdout)["claims"]
    assert [c["verdict"] for c in claims] == ["depends", "unresolved"]
    assert claims[0]["distance_km"] == pytest.approx(18.29, abs=0.01)
    assert claims[0]["subject"]["name"] == "Kati"


def test_a_claim_text_without_a_claim_exits_2_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "kati.html"
    code, _, stderr = run(capsys, EXAMPLE, "--claim", "Kati is lovely in August", "-o", out)
    assert code == 2
    assert "no distance or direction claim" in stderr
    assert not out.exists()


# -- --time, --basemap, --export, --png ---------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--time", "no_such_column"], "--time: no column 'no_such_column'"),
        (["--time", "notes"], "--time: column 'notes' holds no dates"),
        (["--basemap", "watercolour"], "--basemap: no base layer 'watercolour'"),
        (["--export", "{tmp}/incidents.shp"], "--export: cannot tell the format"),
        (["--png", "{tmp}/view.jpg"], "--png: the picture's file name must end in .png"),
    ],
)
def test_bad_map_options_exit_2_with_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "m.html"
    code, _, stderr = run(capsys, EXAMPLE, "-o", out, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2
    assert message in stderr and len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_basemap_chooses_the_base_layer_shown_first(tmp_path, capsys):
    import re

    out = tmp_path / "m.html"
    assert run(capsys, EXAMPLE, "-o", out, "--basemap", "satellite")[0] == 0
    html = out.read_text(encoding="utf-8")
    control = html[html.index("MaliMap.layerControl(") :]
    shown = [name for name, _, on in re.findall(r'\["([^"]+)", (\w+), (true|false)\]', control)[:4] if on == "true"]
    assert shown == ["Satellite (Esri World Imagery)"]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet"])
def test_export_writes_the_mapped_incidents_with_geocoding_fields(tmp_path, capsys, fake_gazetteer, suffix):
    import geopandas as gpd

    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    out, export = tmp_path / "m.html", tmp_path / "out" / f"incidents{suffix}"
    code, stdout, _ = run(capsys, FIXTURES / "acled-mixed.csv", "-o", out, "--export", export, "--json")
    assert code == 0
    assert json.loads(stdout)["export"] == str(export)
    table = gpd.read_parquet(export) if suffix == ".parquet" else gpd.read_file(export)
    assert len(table) == 4  # the mapped rows: the three rejects are not in it
    assert {"precision", "geocoded_from", "geocode_confidence", "event_date"} <= set(table.columns)
    assert table.crs.to_epsg() == 4326
    geocoded = table[table["geocoded_from"].notna()]
    assert len(geocoded) and (geocoded["geocode_confidence"] > 0).all()
    assert sorted(p.name for p in export.parent.iterdir()) == [export.name]  # no partial file left


def test_png_without_chromium_is_one_clear_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MALI_MAP_CHROMIUM", str(tmp_path / "no-chromium"))
    code, _, stderr = run(capsys, EXAMPLE, "-o", tmp_path / "m.html", "--png", tmp_path / "m.png")
    assert code == 2
    assert "--png needs" in stderr and "chromium" in stderr.lower() and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "m.html").exists()


@pytest.mark.browser
def test_png_snapshot_of_the_first_view(tmp_path, capsys):
    from mali_map.render.snapshot import chromium_path

    if chromium_path() is None or importlib.util.find_spec("playwright") is None:
        pytest.skip("no Chromium or Playwright")
    for extra in ([], ["--cdn"]):  # a page that links its assets is photographed offline all the same
        png = tmp_path / f"view{len(extra)}.png"
        code, _, stderr = run(capsys, EXAMPLE, "-o", tmp_path / "m.html", "--png", png, *extra)
        assert code == 0, stderr
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (1280, 800)
        assert len(data) > 20_000  # a drawn map, not a blank page


@pytest.mark.browser
def test_png_of_a_page_that_never_gets_ready_is_one_line(tmp_path):
    from mali_map.errors import MaliMapError
    from mali_map.render.snapshot import chromium_path, snapshot_png

    if chromium_path() is None or importlib.util.find_spec("playwright") is None:
        pytest.skip("no Chromium or Playwright")
    page = tmp_path / "blank.html"
    page.write_text("<html><body>not a map</body></html>", encoding="utf-8")
    with pytest.raises(MaliMapError, match=r"^--png: Chromium could not photograph blank.html: ") as caught:
        snapshot_png(page, tmp_path / "blank.png", timeout_s=1)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "blank.png").exists()
