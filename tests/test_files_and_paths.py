"""Outputs never overwrite inputs, special files and links are honoured, full disks and killed runs leave
no damage, and no cell of ours runs as a spreadsheet formula.

Before: `map x.csv -o x.csv` overwrote the input; `-o /dev/full` replaced the device by a regular file
(so the full disk went unseen); a symlinked output was replaced by a file; a folder named
OUT.rejects.csv failed the run after the map was written; deeply nested GeoJSON raised RecursionError;
[1e30, 1e30] in a projected CRS was mapped at (90, -180); formula cells went verbatim into the rejects;
a full disk during an import or the index build gave a traceback; killed runs left their temporaries.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

import pytest

from mali_map.cli import main
from mali_map.gazetteer import embedded, index, integrity
from mali_map.session import close_default_sessions

EXAMPLE = Path(__file__).parent.parent / "examples" / "kati-incidents.csv"


def run(capsys, *argv):
    close_default_sessions()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("mali-map: error:") and "Traceback" not in err


def test_map_output_over_its_input_is_refused(capsys, tmp_path):
    source = tmp_path / "x.csv"
    source.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run(capsys, "map", source, "-o", source)
    assert code == 2 and _one_line_error(err) and "input" in err
    assert source.read_bytes() == EXAMPLE.read_bytes()
    rejects_input = tmp_path / "m.rejects.csv"
    rejects_input.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run(capsys, "map", rejects_input, "-o", tmp_path / "m.html")
    assert code == 2 and rejects_input.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_written_in_place_and_the_error_reported(capsys):
    code, _, err = run(capsys, "map", EXAMPLE, "-o", "/dev/full")
    assert code == 2 and _one_line_error(err) and "No space left" in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # still the device, not a regular file


def test_a_symlinked_output_stays_a_link(capsys, tmp_path):
    real, link = tmp_path / "real.html", tmp_path / "link.html"
    link.symlink_to(real)
    code, _, err = run(capsys, "map", EXAMPLE, "-o", link)
    assert code == 0, err
    assert link.is_symlink() and real.read_text().startswith("<!DOCTYPE html>")


def test_a_folder_in_place_of_the_rejects_file_is_found_before_the_map_is_written(capsys, tmp_path):
    (tmp_path / "m.rejects.csv").mkdir()
    code, _, err = run(capsys, "map", EXAMPLE, "-o", tmp_path / "m.html")
    assert code == 2 and _one_line_error(err) and "folder" in err
    assert not (tmp_path / "m.html").exists()


def test_deeply_nested_geojson_is_one_line(capsys, tmp_path):
    deep = tmp_path / "deep.geojson"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    code, _, err = run(capsys, "map", deep, "-o", tmp_path / "m.html")
    assert code == 2 and _one_line_error(err) and "nested" in err


def test_projected_points_far_outside_their_crs_are_rejected(capsys, tmp_path):
    source = tmp_path / "utm.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32630"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"event": "far"},
                        "geometry": {"type": "Point", "coordinates": [1e30, 1e30]},
                    },
                    {
                        "type": "Feature",
                        "properties": {"event": "near"},
                        "geometry": {"type": "Point", "coordinates": [400000, 1400000]},
                    },
                ],
            }
        )
    )
    code, out, err = run(capsys, "map", source, "-o", tmp_path / "m.html", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["incidents"], summary["rejected"]) == (1, 1)
    with open(summary["rejects_path"], newline="") as handle:
        (reject,) = list(csv.DictReader(handle))
    assert reject["event"] == "far" and "cannot be projected" in reject["reason"]


def test_formula_cells_in_the_rejects_are_escaped(capsys, tmp_path):
    source = tmp_path / "x.csv"
    source.write_text(
        "event_id,latitude,longitude,notes\n"
        "1,12.7,-8.0,fine\n"
        '2,95,-8.5,"=HYPERLINK(""http://example.invalid"",""click"")"\n'
        "3,abc,-7.5,@SUM(A1:A9)\n"
        "4,200,+1,-2+3\n"
    )
    code, out, err = run(capsys, "map", source, "-o", tmp_path / "m.html", "--json")
    assert code == 0, err
    with open(json.loads(out)["rejects_path"], newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["notes"] for row in rows] == ['\'=HYPERLINK("http://example.invalid","click")', "'@SUM(A1:A9)", "'-2+3"]
    assert rows[0]["longitude"] == "-8.5"  # numbers stay numbers
    assert all(not cell.startswith(("=", "@")) for row in rows for cell in row.values())
    assert rows[2]["longitude"] == "+1"  # a signed number is not a formula


def _tiny_disk(monkeypatch, pages: int = 6):
    """SQLite refuses to grow a file past ``pages`` pages: the 'database or disk is full' of a real disk."""
    real_connect = index.connect

    def connect(path, *, readonly=False):
        conn = real_connect(path, readonly=readonly)
        if not readonly and str(path) != ":memory:":
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(index, "connect", connect)


def test_full_disk_during_import_is_one_line_and_keeps_the_old_gazetteer(capsys, tmp_path, monkeypatch, data_folder):
    small, big = tmp_path / "v.csv", tmp_path / "big.csv"
    small.write_text("name,lat,lon\nZorbo,13.1,-7.5\n")
    big.write_text("name,lat,lon\n" + "".join(f"Village-{n},{12 + n / 1e4},{-8 + n / 1e4}\n" for n in range(5000)))
    assert run(capsys, "gazetteer", "import", small, "--name", "v")[0] == 0
    saved = (data_folder / "gazetteers" / "v.sqlite").read_bytes()
    _tiny_disk(monkeypatch)
    code, _, err = run(capsys, "gazetteer", "import", big, "--name", "v")
    assert code == 2 and _one_line_error(err) and "full" in err
    assert (data_folder / "gazetteers" / "v.sqlite").read_bytes() == saved
    assert sorted(p.name for p in (data_folder / "gazetteers").iterdir()) == ["v.sqlite", "v.sqlite.check"]


def test_full_disk_during_the_index_build_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(tmp_path / "cache"))
    _tiny_disk(monkeypatch)
    code, _, err = run(capsys, "geocode", "Kati")
    lines = err.strip().splitlines()
    assert code == 2 and "Traceback" not in err
    assert lines[-1].startswith("mali-map: error: cannot build the offline place index") and "full" in lines[-1]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []  # no temporary left


def test_temporaries_of_killed_runs_are_removed_on_the_next_run(capsys, tmp_path, monkeypatch, data_folder):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(cache))
    monkeypatch.setattr(embedded, "embedded_records", lambda: iter([]))
    embedded.embedded_index_path()
    capsys.readouterr()
    gone_pid, live_pid = 2**22 + 12345, os.getppid()  # beyond any pid_max; our parent, alive
    stale = [
        cache / f".places-{gone_pid}-k2j3.sqlite",
        data_folder / "gazetteers" / f".villages.{gone_pid}.0a1b2c3d.tmp",
    ]
    alive = [cache / f".places-{live_pid}-abcd.sqlite", data_folder / "gazetteers" / f".v.{live_pid}.00ff.tmp"]
    for path in stale + alive:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
    run(capsys, "geocode", "Kati")
    assert [p.exists() for p in stale] == [False, False]
    assert [p.exists() for p in alive] == [True, True]  # a concurrent run may still be writing them
    assert integrity.problem(embedded.embedded_index_path()) is None


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize(
    "argv",
    [
        ("map", "/dev/zero", "-o", "{tmp}/m.html"),
        ("geocode", "--file", "/dev/zero"),
        ("check", "--file", "/dev/zero"),
        ("gazetteer", "import", "/dev/zero"),
        ("article", "/dev/zero", "-o", "{tmp}/out"),
        ("places", "/dev/zero"),
    ],
)
def test_an_endless_device_as_input_is_refused_at_once(capsys, tmp_path, argv):
    code, _, err = run(capsys, *(a.format(tmp=tmp_path) for a in argv))
    assert code == 2 and _one_line_error(err)


def test_a_cache_folder_that_is_a_file_is_one_line(capsys, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("")
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(not_a_folder))
    code, _, err = run(capsys, "geocode", "Kati")
    assert code == 2 and _one_line_error(err) and "MALI_MAP_CACHE_DIR" in err


def test_folders_with_question_marks_and_hashes_in_their_names(capsys, tmp_path, monkeypatch):
    """A '?' or '#' in a folder name ended SQLite's URI early: 'no such table: names', and an empty
    database file created at the cut-off path."""
    monkeypatch.setattr(embedded, "embedded_records", lambda: iter([]))
    odd = tmp_path / "we?ird#dir %41"
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(odd / "cache"))
    monkeypatch.setenv("MALI_MAP_DATA_DIR", str(odd / "data"))
    source = tmp_path / "v.csv"
    source.write_text("name,lat,lon\nZorbo,13.1,-7.5\n")
    assert run(capsys, "gazetteer", "import", source, "--name", "v")[0] == 0
    code, out, err = run(capsys, "geocode", "Zorbo")
    assert code == 0 and "13.1" in out, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.csv", "we?ird#dir %41"]
